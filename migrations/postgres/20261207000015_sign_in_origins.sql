-- Where a failed sign-in came from: the client's address, and the browser's device token (its
-- SHA-256) when that browser had signed in to the email before. A stranger's guesses then slow
-- down strangers only: the person at their usual browser is counted apart, and one address
-- guessing across many emails is slowed down as a whole.
ALTER TABLE sign_in_failures ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE sign_in_failures ADD COLUMN device_hash TEXT;
CREATE INDEX sign_in_failures_address ON sign_in_failures (address, failed_at);

-- Browsers that have signed in to an email: the SHA-256 of the random token in their
-- `clientele_device` cookie. Forgotten a year after their last sign-in.
CREATE TABLE known_devices (
    token_hash   TEXT    NOT NULL,
    email_key    TEXT    NOT NULL,
    last_used_at BIGINT  NOT NULL,
    PRIMARY KEY (token_hash, email_key)
);
CREATE INDEX known_devices_last_used ON known_devices (last_used_at);
