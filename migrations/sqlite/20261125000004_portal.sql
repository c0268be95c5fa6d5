-- The ordering portal: contact roles, Ship-To Locations, portal access and invitations, orders,
-- "Place order as customer", the customer's Activity, and the Sunday reminders.

-- Supplier-wide settings, one row per key (the portal's on/off switch to begin with).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('portal_enabled', '1');

ALTER TABLE customers ADD COLUMN portal_enabled   INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN sunday_reminders INTEGER NOT NULL DEFAULT 0;
-- Kept in step with `orders` in the transaction that places an order, so the list shows them
-- without adding up orders for every row.
ALTER TABLE customers ADD COLUMN order_count       INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN order_total_cents INTEGER NOT NULL DEFAULT 0;

-- A Buyer may order; a Viewer sees documents and order history only.
ALTER TABLE customer_contacts ADD COLUMN role TEXT NOT NULL DEFAULT 'buyer' CHECK (role IN ('buyer', 'viewer'));

CREATE TABLE ship_to_locations (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    street      TEXT    NOT NULL,
    city        TEXT    NOT NULL,
    region      TEXT,
    postal_code TEXT    NOT NULL,
    country     TEXT    NOT NULL,
    is_default  INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX ship_to_locations_customer ON ship_to_locations (customer_id, id);
CREATE UNIQUE INDEX ship_to_locations_default ON ship_to_locations (customer_id) WHERE is_default = 1;

-- Links in emails now open more than the Document Retrieval Site: an invitation to the portal of a
-- customer, or a reminder's sign-in to one customer's portal. `outbox_id` ties a link to the email
-- that carried it (an invitation's status); `used_at` records an accepted invitation.
ALTER TABLE access_links ADD COLUMN customer_id INTEGER REFERENCES customers (id) ON DELETE CASCADE;
ALTER TABLE access_links ADD COLUMN outbox_id   INTEGER REFERENCES outbox (id) ON DELETE SET NULL;
ALTER TABLE access_links ADD COLUMN used_at     INTEGER;
CREATE INDEX access_links_outbox ON access_links (outbox_id);

-- The customer a contact chose to act as, and for a session opened by a reminder's link the one
-- customer it may act for.
ALTER TABLE contact_sessions ADD COLUMN customer_id      INTEGER REFERENCES customers (id) ON DELETE SET NULL;
ALTER TABLE contact_sessions ADD COLUMN only_customer_id INTEGER REFERENCES customers (id) ON DELETE CASCADE;

-- "Place order as customer": the customer a staff user acts for in the portal.
ALTER TABLE staff_sessions ADD COLUMN acting_for_customer_id INTEGER REFERENCES customers (id) ON DELETE SET NULL;

CREATE TABLE orders (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    -- Who placed it: a contact, or a staff user acting for the customer (then contact_id is NULL).
    contact_id      INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
    staff_user_id   INTEGER REFERENCES staff_users (id) ON DELETE SET NULL,
    placed_by_name  TEXT    NOT NULL,
    ship_to_id      INTEGER REFERENCES ship_to_locations (id) ON DELETE SET NULL,
    -- The address as it was when the order was placed.
    ship_to_name    TEXT    NOT NULL,
    ship_to_address TEXT    NOT NULL,
    po_number       TEXT,
    note            TEXT,
    -- Made by the page when the cart was opened: pressing "Place Order" twice places one order.
    client_key      TEXT    NOT NULL,
    total_cents     INTEGER NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX orders_customer ON orders (customer_id, created_at);
CREATE UNIQUE INDEX orders_client_key ON orders (customer_id, client_key);
CREATE INDEX orders_created ON orders (created_at, id);

-- The lines as they were at ordering time: SKU, name and price are copies, not references.
CREATE TABLE order_lines (
    order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no          INTEGER NOT NULL,
    item_id          INTEGER REFERENCES items (id) ON DELETE SET NULL,
    sku              TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    unit_price_cents INTEGER NOT NULL,
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    line_total_cents INTEGER NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

-- What happened to a customer, by whom. Issue 7 widens it to every change.
CREATE TABLE customer_activity (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    staff_user_id INTEGER REFERENCES staff_users (id) ON DELETE SET NULL,
    contact_id    INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
    actor_name    TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    detail        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX customer_activity_customer ON customer_activity (customer_id, id);

-- One row per Sunday reminder slot that ran: the primary key makes a slot run once, whichever
-- server gets there first, and a slot missed while the server was down is found and run.
CREATE TABLE reminder_runs (
    slot_at INTEGER PRIMARY KEY,
    ran_at  INTEGER NOT NULL,
    emails  INTEGER NOT NULL
);
