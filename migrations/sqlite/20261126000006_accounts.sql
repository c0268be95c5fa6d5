-- Customer groups (price adjustment, tax exemption), the integration workflow, Notes, the
-- locations whose inventory a customer may see, the price-list address, and before/after values
-- in the Activity log.

CREATE TABLE customer_groups (
    id                  INTEGER PRIMARY KEY,
    name                TEXT    NOT NULL,
    name_key            TEXT    NOT NULL UNIQUE,
    description         TEXT,
    -- Hundredths of a percent: -1250 is 12.5 % off, 500 is 5 % on top.
    price_adjustment_bp INTEGER NOT NULL DEFAULT 0 CHECK (price_adjustment_bp BETWEEN -10000 AND 100000),
    tax_exempt          INTEGER NOT NULL DEFAULT 0,
    -- Only assignable groups can be given to customers; others are kept for their history.
    assignable          INTEGER NOT NULL DEFAULT 1,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);

CREATE TABLE customer_group_members (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    group_id    INTEGER NOT NULL REFERENCES customer_groups (id) ON DELETE CASCADE,
    added_at    INTEGER NOT NULL,
    PRIMARY KEY (customer_id, group_id)
);
CREATE INDEX customer_group_members_group ON customer_group_members (group_id, customer_id);

ALTER TABLE customers ADD COLUMN integration_status TEXT NOT NULL DEFAULT 'not_requested'
    CHECK (integration_status IN ('not_requested', 'requested', 'active'));
-- The random part of the customer's price-list email address, made the first time it is asked for.
ALTER TABLE customers ADD COLUMN price_list_token TEXT;
CREATE UNIQUE INDEX customers_price_list_token ON customers (price_list_token);
-- 1: the portal shows only the inventory of the locations in customer_inventory_locations.
ALTER TABLE customers ADD COLUMN inventory_limited INTEGER NOT NULL DEFAULT 0;

CREATE TABLE customer_inventory_locations (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, location_id)
);

ALTER TABLE staff_users ADD COLUMN digital_admin INTEGER NOT NULL DEFAULT 0;

CREATE TABLE integration_requests (
    id                INTEGER PRIMARY KEY,
    customer_id       INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    contact_id        INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
    requested_by_name TEXT    NOT NULL,
    salesperson_id    INTEGER REFERENCES staff_users (id) ON DELETE SET NULL,
    salesperson_name  TEXT    NOT NULL,
    -- Comma-separated keys: orders, invoices, ship_notices, price_lists.
    transactions      TEXT    NOT NULL,
    status            TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'activated', 'returned')),
    decided_by        INTEGER REFERENCES staff_users (id) ON DELETE SET NULL,
    decided_at        INTEGER,
    reason            TEXT,
    created_at        INTEGER NOT NULL
);
CREATE INDEX integration_requests_customer ON integration_requests (customer_id, id);
-- One open request per customer: a second press, or two contacts at once, make one.
CREATE UNIQUE INDEX integration_requests_open ON integration_requests (customer_id) WHERE status = 'open';

CREATE TABLE customer_notes (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    staff_user_id INTEGER REFERENCES staff_users (id) ON DELETE SET NULL,
    author_name   TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX customer_notes_customer ON customer_notes (customer_id, id);

ALTER TABLE customer_activity ADD COLUMN before_value TEXT;
ALTER TABLE customer_activity ADD COLUMN after_value TEXT;
CREATE INDEX customer_activity_action ON customer_activity (action, id);
CREATE INDEX customer_activity_staff ON customer_activity (staff_user_id, id);

-- "How did you hear about us": the answers an Admin offers.
CREATE TABLE referral_sources (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    name_key   TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

-- The parent account ("Owner") of a sub-account; a customer is never its own ancestor.
ALTER TABLE customers ADD COLUMN parent_id INTEGER REFERENCES customers (id) ON DELETE SET NULL;
CREATE INDEX customers_parent ON customers (parent_id);
ALTER TABLE customers ADD COLUMN source_id INTEGER REFERENCES referral_sources (id) ON DELETE SET NULL;
ALTER TABLE customers ADD COLUMN secondary_phone TEXT;
ALTER TABLE customers ADD COLUMN newsletter INTEGER NOT NULL DEFAULT 0;

-- Self-registration: a visitor's sign-up, kept until its email address is confirmed by the
-- link sent to it; then the customer (Pending until staff approve it) and its contact are made.
CREATE TABLE registrations (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL,
    email_key     TEXT    NOT NULL,
    first_name    TEXT    NOT NULL,
    last_name     TEXT    NOT NULL,
    business_name TEXT,
    password_hash TEXT    NOT NULL,
    token_hash    TEXT    NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    verified_at   INTEGER,
    customer_id   INTEGER REFERENCES customers (id) ON DELETE SET NULL
);
CREATE INDEX registrations_email ON registrations (email_key, created_at);
ALTER TABLE customers ADD COLUMN pending_approval INTEGER NOT NULL DEFAULT 0;
CREATE INDEX registrations_created ON registrations (created_at);

-- Files staff attach to the customer itself (contracts, credit applications), stored like
-- documents; removing one leaves the stored file to the housekeeping of unreferenced uploads.
CREATE TABLE customer_files (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    file_id       TEXT    NOT NULL REFERENCES stored_files (id),
    title         TEXT    NOT NULL,
    uploaded_by   INTEGER REFERENCES staff_users (id) ON DELETE SET NULL,
    uploader_name TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX customer_files_customer ON customer_files (customer_id, id);
CREATE INDEX customer_files_file ON customer_files (file_id);

-- A Document Request a customer's contact asked for (in the portal or on the Document Retrieval
-- Site); NULL for those the customer's requirements made.
ALTER TABLE document_requests ADD COLUMN requested_by_contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL;
ALTER TABLE document_requests ADD COLUMN requested_by_name TEXT;

-- A registration's confirmation email: the worker makes its link when it delivers the message,
-- as for contacts' links, so no usable token is ever stored.
ALTER TABLE outbox ADD COLUMN registration_id INTEGER REFERENCES registrations (id) ON DELETE SET NULL;
