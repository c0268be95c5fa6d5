-- The New Customer wizard: contacts and their customers, the document requirements and requests of
-- customers, the outbox of emails, and the Document Retrieval Site's accounts, links and downloads.

-- The wizard step a customer still being added has reached (2..5); NULL once it is finished.
ALTER TABLE customers ADD COLUMN wizard_step INTEGER;

CREATE TABLE contacts (
    id            INTEGER PRIMARY KEY,
    first_name    TEXT    NOT NULL,
    last_name     TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    email_key     TEXT    NOT NULL UNIQUE,
    phone         TEXT,
    job_title     TEXT,
    search_text   TEXT    NOT NULL,
    -- Set when the contact made an account on the Document Retrieval Site (argon2).
    password_hash TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX contacts_by_name ON contacts (last_name, first_name, id);

CREATE TABLE customer_contacts (
    customer_id       INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    contact_id        INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    -- Receives the customer's document emails.
    documents_contact INTEGER NOT NULL DEFAULT 0,
    added_at          INTEGER NOT NULL,
    PRIMARY KEY (customer_id, contact_id)
);
CREATE INDEX customer_contacts_contact ON customer_contacts (contact_id);

-- "Customer C must receive type T for location L / item I".
CREATE TABLE customer_requirements (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    type_id     INTEGER NOT NULL REFERENCES document_types (id),
    location_id INTEGER REFERENCES locations (id),
    item_id     INTEGER REFERENCES items (id),
    created_at  INTEGER NOT NULL,
    CHECK ((location_id IS NULL) <> (item_id IS NULL))
);
CREATE UNIQUE INDEX customer_requirements_location ON customer_requirements (customer_id, location_id, type_id)
    WHERE location_id IS NOT NULL;
CREATE UNIQUE INDEX customer_requirements_item ON customer_requirements (customer_id, item_id, type_id)
    WHERE item_id IS NOT NULL;
CREATE INDEX customer_requirements_type ON customer_requirements (type_id);

-- One need of a customer for a document: open until sent (or cancelled with its requirement).
CREATE TABLE document_requests (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    type_id      INTEGER NOT NULL REFERENCES document_types (id),
    location_id  INTEGER REFERENCES locations (id),
    item_id      INTEGER REFERENCES items (id),
    -- The document that fulfils it, once attached.
    document_id  INTEGER REFERENCES documents (id),
    status       TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'sent', 'cancelled')),
    created_at   INTEGER NOT NULL,
    fulfilled_at INTEGER,
    sent_at      INTEGER,
    sent_by      INTEGER REFERENCES staff_users (id),
    CHECK ((location_id IS NULL) <> (item_id IS NULL))
);
CREATE INDEX document_requests_customer ON document_requests (customer_id, status, id);
CREATE INDEX document_requests_document ON document_requests (document_id);
CREATE UNIQUE INDEX document_requests_open_location ON document_requests (customer_id, location_id, type_id)
    WHERE status = 'open' AND location_id IS NOT NULL;
CREATE UNIQUE INDEX document_requests_open_item ON document_requests (customer_id, item_id, type_id)
    WHERE status = 'open' AND item_id IS NOT NULL;

-- Emails, written in the same transaction as the change that caused them and delivered by the
-- server's worker. A body may hold `{link}`: the worker puts a fresh sign-in link for the contact
-- there when it delivers, so no usable token is ever stored.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL,
    customer_id     INTEGER REFERENCES customers (id) ON DELETE SET NULL,
    contact_id      INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
    to_address      TEXT    NOT NULL,
    to_name         TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    text_body       TEXT    NOT NULL,
    html_body       TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    -- A worker delivering the message holds it until then; after, another may take it over.
    claimed_until   INTEGER,
    last_error      TEXT,
    created_by      INTEGER REFERENCES staff_users (id),
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_customer ON outbox (customer_id, id);

-- Links in emails to the Document Retrieval Site: only the SHA-256 of the token is kept.
CREATE TABLE access_links (
    token_hash TEXT    PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    purpose    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX access_links_contact ON access_links (contact_id, created_at);

CREATE TABLE contact_sessions (
    token_hash TEXT    PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX contact_sessions_contact ON contact_sessions (contact_id);

CREATE TABLE document_downloads (
    id            INTEGER PRIMARY KEY,
    request_id    INTEGER NOT NULL REFERENCES document_requests (id) ON DELETE CASCADE,
    contact_id    INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    downloaded_at INTEGER NOT NULL
);
CREATE INDEX document_downloads_request ON document_downloads (request_id, downloaded_at);
