-- Staff accounts, their sessions, failed sign-ins, and customers.
-- Timestamps are milliseconds since the Unix epoch; flags are 0/1 integers (as on PostgreSQL).

CREATE TABLE staff_users (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    email_key     TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'staff')),
    created_at    INTEGER NOT NULL
);

CREATE TABLE staff_sessions (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);

CREATE TABLE sign_in_failures (
    email_key TEXT    NOT NULL,
    failed_at INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_email ON sign_in_failures (email_key, failed_at);

CREATE TABLE customers (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL,
    name_key       TEXT    NOT NULL,
    -- Position in name order (name_key, id), spaced so a new customer fits between two others.
    name_order     INTEGER,
    account_number TEXT,
    account_key    TEXT    UNIQUE,
    street         TEXT    NOT NULL,
    city           TEXT    NOT NULL,
    region         TEXT,
    postal_code    TEXT    NOT NULL,
    country        TEXT    NOT NULL,
    phone          TEXT,
    website        TEXT,
    active         INTEGER NOT NULL DEFAULT 1,
    search_text    TEXT    NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    deleted_at     INTEGER,
    deleted_by     INTEGER REFERENCES staff_users (id)
);
-- The list walks an index from a key (keyset pagination), so a page costs the same however deep:
-- by name, by name among active or inactive customers, or by id (the order customers were added).
CREATE INDEX customers_by_name      ON customers (name_key, id);
CREATE INDEX customers_active_name  ON customers (active, name_key, id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX customers_name_order ON customers (name_order);
CREATE INDEX customers_trash        ON customers (deleted_at) WHERE deleted_at IS NOT NULL;

-- Substring search on name, account number and city: trigram indexes kept in step by triggers,
-- one keyed by id, one by name_order, so that each yields its matches in a list order.
CREATE VIRTUAL TABLE customer_search USING fts5 (search_text, content = '', tokenize = 'trigram');
CREATE VIRTUAL TABLE customer_name_search USING fts5 (search_text, content = '', tokenize = 'trigram');

CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customer_search (rowid, search_text) VALUES (new.id, new.search_text);
    INSERT INTO customer_name_search (rowid, search_text)
        SELECT new.name_order, new.search_text WHERE new.name_order IS NOT NULL;
END;
CREATE TRIGGER customers_search_update AFTER UPDATE OF search_text ON customers BEGIN
    INSERT INTO customer_search (customer_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    INSERT INTO customer_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER customers_name_search_update AFTER UPDATE OF name_order, search_text ON customers BEGIN
    INSERT INTO customer_name_search (customer_name_search, rowid, search_text)
        SELECT 'delete', old.name_order, old.search_text WHERE old.name_order IS NOT NULL;
    INSERT INTO customer_name_search (rowid, search_text)
        SELECT new.name_order, new.search_text WHERE new.name_order IS NOT NULL;
END;
CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customer_search (customer_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    INSERT INTO customer_name_search (customer_name_search, rowid, search_text)
        SELECT 'delete', old.name_order, old.search_text WHERE old.name_order IS NOT NULL;
END;
