-- A contact's search text is remade whenever it is assigned, and an import writes it whole with
-- the contact: the index of search texts is rewritten only when the text did change.

DROP TRIGGER contacts_search_update;
CREATE TRIGGER contacts_search_update AFTER UPDATE OF search_text ON contacts
WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO contact_search (contact_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    INSERT INTO contact_search (rowid, search_text) VALUES (new.id, new.search_text);
END;

DROP TRIGGER contacts_name_search_update;
CREATE TRIGGER contacts_name_search_update AFTER UPDATE OF name_text ON contacts
WHEN old.name_text IS NOT new.name_text BEGIN
    INSERT INTO contact_name_search (contact_name_search, rowid, name_text)
        VALUES ('delete', old.id, old.name_text);
    INSERT INTO contact_name_search (rowid, name_text) VALUES (new.id, new.name_text);
END;
