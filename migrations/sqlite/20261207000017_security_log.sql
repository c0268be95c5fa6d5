-- The Security log (Settings → Security): sign-ins, failures, lock-outs, password and role
-- changes, with whose account, when and from which client address. Kept for a year.
CREATE TABLE security_events (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    kind      TEXT    NOT NULL,
    account   TEXT    NOT NULL CHECK (account IN ('staff', 'contact')),
    email_key TEXT    NOT NULL,
    address   TEXT    NOT NULL,
    detail    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX security_events_email ON security_events (email_key, id);
CREATE INDEX security_events_at ON security_events (at);
