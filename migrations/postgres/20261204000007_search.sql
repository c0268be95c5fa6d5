-- Search at volume. Contacts are found by their own name and email and by the names, account
-- numbers and cities of their customers: `name_text` is the contact's own folded text (written by
-- the app), `search_text` that followed by the search texts of the customers it belongs to (but
-- those in the Trash), kept in step here by triggers and indexed by trigrams (contacts_search).

ALTER TABLE contacts ADD COLUMN name_text TEXT NOT NULL DEFAULT '';
UPDATE contacts SET name_text = search_text;

CREATE FUNCTION contact_search_text(contact BIGINT, own TEXT) RETURNS TEXT
LANGUAGE sql STABLE AS $$
    SELECT own || COALESCE((
        SELECT string_agg(' | ' || k.search_text, '') FROM customer_contacts cc
        JOIN customers k ON k.id = cc.customer_id
        WHERE cc.contact_id = contact AND k.deleted_at IS NULL), '')
$$;
UPDATE contacts SET search_text = contact_search_text(id, name_text);

CREATE FUNCTION contacts_name_text_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_text := contact_search_text(NEW.id, NEW.name_text);
    RETURN NEW;
END
$$;
CREATE TRIGGER contacts_name_text_update BEFORE UPDATE OF name_text ON contacts FOR EACH ROW
    WHEN (OLD.name_text IS DISTINCT FROM NEW.name_text)
    EXECUTE FUNCTION contacts_name_text_changed();

-- Once per statement, for all the contacts it assigned or took off: an import assigns 100,000 in
-- a few statements, and a trigger per row made that minutes.
-- One contact at a time by its key: a join with the changed rows was planned from statistics
-- that an import's new contacts are not in yet, and read every contact for each of them.
CREATE FUNCTION customer_contacts_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    who BIGINT;
BEGIN
    FOR who IN SELECT DISTINCT contact_id FROM changed LOOP
        UPDATE contacts SET search_text = contact_search_text(id, name_text) WHERE id = who;
    END LOOP;
    RETURN NULL;
END
$$;
CREATE TRIGGER customer_contacts_search_insert AFTER INSERT ON customer_contacts
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION customer_contacts_added();
CREATE TRIGGER customer_contacts_search_delete AFTER DELETE ON customer_contacts
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION customer_contacts_added();

CREATE FUNCTION customers_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE contacts SET search_text = contact_search_text(id, name_text)
    WHERE id IN (SELECT contact_id FROM customer_contacts WHERE customer_id = NEW.id);
    RETURN NULL;
END
$$;
CREATE TRIGGER customers_contacts_search AFTER UPDATE OF search_text, deleted_at ON customers FOR EACH ROW
    WHEN (OLD.search_text IS DISTINCT FROM NEW.search_text OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
    EXECUTE FUNCTION customers_search_changed();

-- The contacts' own texts alone, for the customers list's search by contacts.
CREATE INDEX contacts_name_search ON contacts USING gin (name_text gin_trgm_ops);

-- Customers waiting for approval are few: the list's filter finds them by this index, not by
-- reading every customer.
CREATE INDEX customers_pending_name ON customers (name_key, id) WHERE pending_approval = 1 AND deleted_at IS NULL;

-- The Activity Log's date filter: the first entry of a day, found without reading the others.
CREATE INDEX customer_activity_created ON customer_activity (created_at, id);
