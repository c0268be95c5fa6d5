-- Links in emails and contacts' sessions are bound to the address they were made for: when a
-- contact's email changes, links sent to the old address and sessions begun under it stop working.
ALTER TABLE access_links ADD COLUMN email_key TEXT;
UPDATE access_links SET email_key = (SELECT c.email_key FROM contacts c WHERE c.id = access_links.contact_id);
ALTER TABLE contact_sessions ADD COLUMN email_key TEXT;
UPDATE contact_sessions SET email_key = (SELECT c.email_key FROM contacts c WHERE c.id = contact_sessions.contact_id);

-- A contact's emails of a kind, lately ("Email me a new link", resets): was a scan of the outbox.
CREATE INDEX outbox_contact ON outbox (contact_id, kind, created_at);

-- "Forgot your password?" for staff: the email's link is made at delivery, like contacts' links,
-- and only its SHA-256 is kept. Single use, for 30 minutes, for the address it was sent to.
ALTER TABLE outbox ADD COLUMN staff_user_id INTEGER REFERENCES staff_users (id) ON DELETE SET NULL;
CREATE INDEX outbox_staff_user ON outbox (staff_user_id, kind, created_at) WHERE staff_user_id IS NOT NULL;
CREATE TABLE staff_password_resets (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    email_key  TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX staff_password_resets_expiry ON staff_password_resets (expires_at);

-- Requests that send an email to whoever asks (a password reset, a new link, a sign-up), by the
-- client address that asked: one address cannot make the server mail thousands.
CREATE TABLE address_requests (
    kind    TEXT    NOT NULL,
    address TEXT    NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX address_requests_by_address ON address_requests (kind, address, at);
CREATE INDEX address_requests_by_time ON address_requests (at);
