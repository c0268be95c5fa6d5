-- Bulk imports: one row per uploaded file. The preview is kept so that a restarted server (or
-- another instance) can show it; `imported_at` and `result` are written in the transaction that
-- stores the rows, so a row says "imported" exactly when its rows are there. The file is not a
-- foreign key: uploads no one refers to are pruned after a day, and so are old import files.
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('customers', 'contacts')),
    file_id     TEXT    NOT NULL,
    file_name   TEXT    NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES staff_users (id),
    created_at  INTEGER NOT NULL,
    preview     TEXT,
    imported_at INTEGER,
    result      TEXT
);
