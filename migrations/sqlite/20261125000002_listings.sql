-- Listings (locations, items), document types and their default requirements, stored files and
-- documents. Dates of documents are ISO `YYYY-MM-DD` text, which sorts and compares as dates.

CREATE TABLE locations (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL,
    code        TEXT,
    code_key    TEXT    UNIQUE,
    street      TEXT    NOT NULL,
    city        TEXT    NOT NULL,
    region      TEXT,
    postal_code TEXT    NOT NULL,
    country     TEXT    NOT NULL,
    search_text TEXT    NOT NULL,
    -- Raised by every save; a save naming an older version is refused as a conflict.
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX locations_by_name ON locations (name_key, id);

CREATE TABLE items (
    id               INTEGER PRIMARY KEY,
    sku              TEXT    NOT NULL,
    sku_key          TEXT    NOT NULL UNIQUE,
    name             TEXT    NOT NULL,
    name_key         TEXT    NOT NULL,
    description      TEXT,
    -- Money in the smallest unit (cents): exact, never a float.
    unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
    active           INTEGER NOT NULL DEFAULT 1,
    search_text      TEXT    NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX items_by_name ON items (name_key, id);

-- The locations that produce an item.
CREATE TABLE item_locations (
    item_id     INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES locations (id),
    PRIMARY KEY (item_id, location_id)
);
CREATE INDEX item_locations_location ON item_locations (location_id);

-- The locations and items a customer sources (filled by the New Customer wizard).
CREATE TABLE customer_locations (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES locations (id),
    added_at    INTEGER NOT NULL,
    PRIMARY KEY (customer_id, location_id)
);
CREATE INDEX customer_locations_location ON customer_locations (location_id);
CREATE TABLE customer_items (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    item_id     INTEGER NOT NULL REFERENCES items (id),
    added_at    INTEGER NOT NULL,
    PRIMARY KEY (customer_id, item_id)
);
CREATE INDEX customer_items_item ON customer_items (item_id);

CREATE TABLE document_types (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL,
    name_key         TEXT    NOT NULL,
    level            TEXT    NOT NULL CHECK (level IN ('location', 'item')),
    description      TEXT,
    -- How long a document of this type stays valid by default; NULL: no default.
    validity_days    INTEGER,
    builtin          INTEGER NOT NULL DEFAULT 0,
    hidden           INTEGER NOT NULL DEFAULT 0,
    -- Ticked in Share Settings: newly added customers start with this requirement.
    default_required INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    UNIQUE (level, name_key)
);
INSERT INTO document_types (name, name_key, level, description, validity_days, builtin, created_at) VALUES
    ('3rd Party Audit', '3rd party audit', 'location', 'An independent audit of the site, such as SQF or BRCGS.', 365, 1, 0),
    ('HACCP Plan', 'haccp plan', 'location', 'The hazard analysis and critical control points plan of the site.', 365, 1, 0),
    ('Allergen Control Policy', 'allergen control policy', 'location', 'How the site keeps allergens apart.', 365, 1, 0),
    ('Specification Sheet', 'specification sheet', 'item', 'What the item is made of and how it is made.', 730, 1, 0),
    ('Certificate of Analysis', 'certificate of analysis', 'item', 'Laboratory results for a lot of the item.', 180, 1, 0);

-- The bytes of stored files, once per content, under `blobs/<sha256>` in the file store. Storing
-- and removing bytes happen while this row is locked, so the two never cross.
CREATE TABLE blobs (
    sha256     TEXT    PRIMARY KEY,
    created_at INTEGER NOT NULL
);

-- A file as uploaded: a name, a type and who uploaded it, for bytes in `blobs`.
CREATE TABLE stored_files (
    id           TEXT    PRIMARY KEY,
    sha256       TEXT    NOT NULL REFERENCES blobs (sha256),
    size         INTEGER NOT NULL,
    content_type TEXT    NOT NULL,
    file_name    TEXT    NOT NULL,
    purpose      TEXT    NOT NULL CHECK (purpose IN ('document', 'logo')),
    uploaded_by  INTEGER REFERENCES staff_users (id),
    created_at   INTEGER NOT NULL
);
CREATE INDEX stored_files_sha256 ON stored_files (sha256);
CREATE INDEX stored_files_created ON stored_files (created_at);

CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    type_id      INTEGER NOT NULL REFERENCES document_types (id),
    location_id  INTEGER REFERENCES locations (id),
    item_id      INTEGER REFERENCES items (id),
    title        TEXT    NOT NULL,
    effective_on TEXT    NOT NULL,
    expires_on   TEXT    NOT NULL,
    file_id      TEXT    NOT NULL REFERENCES stored_files (id),
    -- Set when a newer document of the same type for the same location or item arrived.
    replaced_at  INTEGER,
    uploaded_by  INTEGER REFERENCES staff_users (id),
    created_at   INTEGER NOT NULL,
    CHECK ((location_id IS NULL) <> (item_id IS NULL))
);
CREATE INDEX documents_location ON documents (location_id, type_id, id);
CREATE INDEX documents_item ON documents (item_id, type_id, id);
CREATE INDEX documents_file ON documents (file_id);
-- One current document per type per location or item.
CREATE UNIQUE INDEX documents_current_location ON documents (location_id, type_id)
    WHERE replaced_at IS NULL AND location_id IS NOT NULL;
CREATE UNIQUE INDEX documents_current_item ON documents (item_id, type_id)
    WHERE replaced_at IS NULL AND item_id IS NOT NULL;

ALTER TABLE customers ADD COLUMN logo_file_id TEXT REFERENCES stored_files (id);
