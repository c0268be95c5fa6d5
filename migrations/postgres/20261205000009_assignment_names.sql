-- A customer's contacts in name order, read from one index: a big account's page of contacts
-- joined and sorted all 5,000, or walked the index of every contact's name. Each assignment keeps
-- its contact's names; a rename updates them. An insert that does not give them (all but the
-- bulk ones) has them filled from the contact.
ALTER TABLE customer_contacts
    ADD COLUMN last_name TEXT NOT NULL DEFAULT '',
    ADD COLUMN first_name TEXT NOT NULL DEFAULT '';

UPDATE customer_contacts cc SET last_name = k.last_name, first_name = k.first_name
FROM contacts k WHERE k.id = cc.contact_id;

CREATE INDEX customer_contacts_by_name ON customer_contacts (customer_id, last_name, first_name, contact_id);

CREATE FUNCTION customer_contacts_named() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT k.last_name, k.first_name INTO NEW.last_name, NEW.first_name
    FROM contacts k WHERE k.id = NEW.contact_id;
    RETURN NEW;
END
$$;

CREATE TRIGGER customer_contacts_named BEFORE INSERT ON customer_contacts FOR EACH ROW
WHEN (NEW.last_name = '' AND NEW.first_name = '')
EXECUTE FUNCTION customer_contacts_named();

CREATE FUNCTION contacts_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customer_contacts SET last_name = NEW.last_name, first_name = NEW.first_name
    WHERE contact_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER contacts_renamed AFTER UPDATE OF last_name, first_name ON contacts FOR EACH ROW
WHEN (OLD.last_name IS DISTINCT FROM NEW.last_name OR OLD.first_name IS DISTINCT FROM NEW.first_name)
EXECUTE FUNCTION contacts_renamed();
