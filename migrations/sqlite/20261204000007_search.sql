-- Search at volume. Contacts are found by their own name and email and by the names, account
-- numbers and cities of their customers: `name_text` is the contact's own folded text (written by
-- the app), `search_text` that followed by the search texts of the customers it belongs to (but
-- those in the Trash), kept in step here by triggers, and indexed by trigrams like customers.

ALTER TABLE contacts ADD COLUMN name_text TEXT NOT NULL DEFAULT '';
UPDATE contacts SET name_text = search_text;
UPDATE contacts SET search_text = name_text || COALESCE((
    SELECT group_concat(' | ' || k.search_text, '') FROM customer_contacts cc
    JOIN customers k ON k.id = cc.customer_id
    WHERE cc.contact_id = contacts.id AND k.deleted_at IS NULL), '');

CREATE VIRTUAL TABLE contact_search USING fts5 (search_text, content = '', tokenize = 'trigram');
INSERT INTO contact_search (rowid, search_text) SELECT id, search_text FROM contacts;

CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contact_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER contacts_search_update AFTER UPDATE OF search_text ON contacts BEGIN
    INSERT INTO contact_search (contact_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    INSERT INTO contact_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contact_search (contact_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
END;

-- The contacts' own texts alone, for the customers list's search by contacts: a customer's name
-- in many contacts' search texts must not make a word look common among contacts' names.
CREATE VIRTUAL TABLE contact_name_search USING fts5 (name_text, content = '', tokenize = 'trigram');
INSERT INTO contact_name_search (rowid, name_text) SELECT id, name_text FROM contacts;
CREATE TRIGGER contacts_name_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contact_name_search (rowid, name_text) VALUES (new.id, new.name_text);
END;
CREATE TRIGGER contacts_name_search_update AFTER UPDATE OF name_text ON contacts BEGIN
    INSERT INTO contact_name_search (contact_name_search, rowid, name_text)
        VALUES ('delete', old.id, old.name_text);
    INSERT INTO contact_name_search (rowid, name_text) VALUES (new.id, new.name_text);
END;
CREATE TRIGGER contacts_name_search_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contact_name_search (contact_name_search, rowid, name_text)
        VALUES ('delete', old.id, old.name_text);
END;

CREATE TRIGGER contacts_name_text_update AFTER UPDATE OF name_text ON contacts
WHEN old.name_text IS NOT new.name_text BEGIN
    UPDATE contacts SET search_text = new.name_text || COALESCE((
        SELECT group_concat(' | ' || k.search_text, '') FROM customer_contacts cc
        JOIN customers k ON k.id = cc.customer_id
        WHERE cc.contact_id = new.id AND k.deleted_at IS NULL), '')
    WHERE id = new.id;
END;
CREATE TRIGGER customer_contacts_search_insert AFTER INSERT ON customer_contacts BEGIN
    UPDATE contacts SET search_text = name_text || COALESCE((
        SELECT group_concat(' | ' || k.search_text, '') FROM customer_contacts cc
        JOIN customers k ON k.id = cc.customer_id
        WHERE cc.contact_id = new.contact_id AND k.deleted_at IS NULL), '')
    WHERE id = new.contact_id;
END;
CREATE TRIGGER customer_contacts_search_delete AFTER DELETE ON customer_contacts BEGIN
    UPDATE contacts SET search_text = name_text || COALESCE((
        SELECT group_concat(' | ' || k.search_text, '') FROM customer_contacts cc
        JOIN customers k ON k.id = cc.customer_id
        WHERE cc.contact_id = old.contact_id AND k.deleted_at IS NULL), '')
    WHERE id = old.contact_id;
END;
CREATE TRIGGER customers_contacts_search_update AFTER UPDATE OF search_text, deleted_at ON customers
WHEN old.search_text IS NOT new.search_text OR old.deleted_at IS NOT new.deleted_at BEGIN
    UPDATE contacts SET search_text = name_text || COALESCE((
        SELECT group_concat(' | ' || k.search_text, '') FROM customer_contacts cc
        JOIN customers k ON k.id = cc.customer_id
        WHERE cc.contact_id = contacts.id AND k.deleted_at IS NULL), '')
    WHERE id IN (SELECT contact_id FROM customer_contacts WHERE customer_id = new.id);
END;

-- Customers waiting for approval are few: the list's filter finds them by this index, not by
-- reading every customer.
CREATE INDEX customers_pending_name ON customers (name_key, id) WHERE pending_approval = 1 AND deleted_at IS NULL;

-- The Activity Log's date filter: the first entry of a day, found without reading the others.
CREATE INDEX customer_activity_created ON customer_activity (created_at, id);
