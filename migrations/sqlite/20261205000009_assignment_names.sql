-- A customer's contacts in name order, read from one index: a big account's page of contacts
-- joined and sorted all 5,000, or walked the index of every contact's name. Each assignment keeps
-- its contact's names; a rename updates them. An insert that does not give them (all but the
-- bulk ones) has them filled from the contact.
ALTER TABLE customer_contacts ADD COLUMN last_name TEXT NOT NULL DEFAULT '';
ALTER TABLE customer_contacts ADD COLUMN first_name TEXT NOT NULL DEFAULT '';

UPDATE customer_contacts
SET last_name = (SELECT k.last_name FROM contacts k WHERE k.id = customer_contacts.contact_id),
    first_name = (SELECT k.first_name FROM contacts k WHERE k.id = customer_contacts.contact_id);

CREATE INDEX customer_contacts_by_name ON customer_contacts (customer_id, last_name, first_name, contact_id);

CREATE TRIGGER customer_contacts_named AFTER INSERT ON customer_contacts
WHEN NEW.last_name = '' AND NEW.first_name = '' BEGIN
    UPDATE customer_contacts
    SET last_name = (SELECT k.last_name FROM contacts k WHERE k.id = NEW.contact_id),
        first_name = (SELECT k.first_name FROM contacts k WHERE k.id = NEW.contact_id)
    WHERE customer_id = NEW.customer_id AND contact_id = NEW.contact_id;
END;

CREATE TRIGGER contacts_renamed AFTER UPDATE OF last_name, first_name ON contacts
WHEN OLD.last_name IS NOT NEW.last_name OR OLD.first_name IS NOT NEW.first_name BEGIN
    UPDATE customer_contacts SET last_name = NEW.last_name, first_name = NEW.first_name
    WHERE contact_id = NEW.id;
END;
