-- Two-factor sign-in for staff (TOTP, as authenticator apps use). The secret is kept sealed with
-- the server's TWO_FACTOR_KEY (AES-256-GCM): a copy of the database alone cannot make codes.
-- `totp_pending` is an enrolment under way, until its first code is typed. `totp_last_step` is
-- the last 30-second step a code was accepted for, so that a code works only once.
ALTER TABLE staff_users ADD COLUMN totp_secret TEXT;
ALTER TABLE staff_users ADD COLUMN totp_pending TEXT;
ALTER TABLE staff_users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
-- Wrong codes lately, across sign-ins: too many and codes are refused for a while.
ALTER TABLE staff_users ADD COLUMN totp_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff_users ADD COLUMN totp_failed_at INTEGER NOT NULL DEFAULT 0;

-- Single-use recovery codes, for a lost phone; only their SHA-256 is kept.
CREATE TABLE staff_recovery_codes (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    code_hash TEXT    NOT NULL,
    used_at   INTEGER
);
CREATE INDEX staff_recovery_codes_user ON staff_recovery_codes (user_id);

-- A sign-in whose password was right and whose second step is still to come: a random token in a
-- short-lived cookie, stored hashed. `enrol` = 1 when two-factor is required and the user must set
-- it up first.
CREATE TABLE two_factor_challenges (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    enrol      INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER NOT NULL
);
CREATE INDEX two_factor_challenges_user ON two_factor_challenges (user_id);
CREATE INDEX two_factor_challenges_expiry ON two_factor_challenges (expires_at);
