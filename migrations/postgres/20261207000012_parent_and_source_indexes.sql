-- A customer's sub-accounts are shown in name order and counted, and each "How did you hear
-- about us" answer shows how many customers gave it. With only `(parent_id)` a big account's
-- Account details sorted its 1,000 sub-accounts on every view (2.3 ms), and with no index on
-- `source_id` counting an answer's customers read every customer.
--
-- Both indexes leave out the customers without a parent or an answer (most of them). Were those
-- in, SQLite's statistics would see two or three values of `parent_id` in 100,000 rows and
-- answer the customers list by skipping through `(parent_id, deleted_at, …)` and sorting
-- (21 ms instead of 0.2). Lookups by a parent or an answer (`= $1`, also the foreign keys' on
-- delete) still use them.
DROP INDEX customers_parent;
CREATE INDEX customers_parent ON customers (parent_id, name_key, id, deleted_at) WHERE parent_id IS NOT NULL;
CREATE INDEX customers_source ON customers (source_id, deleted_at) WHERE source_id IS NOT NULL;

-- The Trash is read a page at a time, the last deleted first, from a customer's place in it.
DROP INDEX customers_trash;
CREATE INDEX customers_trash ON customers (deleted_at, id) WHERE deleted_at IS NOT NULL;
