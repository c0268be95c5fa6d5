-- An Admin removes a staff user: the row stays (their name stays on what they did), their
-- sessions end, and they can no longer sign in, reset a password or be emailed. Adding a user
-- with the same email later brings the account back.
ALTER TABLE staff_users ADD COLUMN removed_at INTEGER;
