//! Two-factor secrets sealed at rest (AES-256-GCM) with the server's `TWO_FACTOR_KEY`, so that a
//! copy of the database (a backup, a stolen disk) cannot make anyone's codes.

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use std::sync::Arc;

/// What sealed text starts with: the scheme, should another ever be needed.
const PREFIX: &str = "v1.";

#[derive(Clone)]
pub struct SealingKey {
    sealing: Arc<LessSafeKey>,
    /// For keyed hashes (recovery codes), derived from the key so that the two uses differ.
    hashing: hmac::Key,
}

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealingKey(…)")
    }
}

impl SealingKey {
    /// The key from its 64 hexadecimal digits (32 bytes), as `openssl rand -hex 32` prints them.
    pub fn from_hex(text: &str) -> Result<SealingKey, String> {
        let bytes = hex::decode(text.trim())
            .ok()
            .filter(|bytes| bytes.len() == 32)
            .ok_or(
                "TWO_FACTOR_KEY must be 64 hexadecimal digits (32 bytes), e.g. from `openssl rand -hex 32`",
            )?;
        let key = UnboundKey::new(&AES_256_GCM, &bytes).map_err(|_| "TWO_FACTOR_KEY is not a usable key")?;
        let derived = hmac::sign(
            &hmac::Key::new(hmac::HMAC_SHA256, &bytes),
            b"clientele keyed hashes",
        );
        Ok(SealingKey {
            sealing: Arc::new(LessSafeKey::new(key)),
            hashing: hmac::Key::new(hmac::HMAC_SHA256, derived.as_ref()),
        })
    }

    /// A hash of `text` that only this key makes (HMAC-SHA256), as hex: a copy of the database
    /// alone cannot be searched for the short texts it hashes.
    pub fn keyed_hash(&self, text: &[u8]) -> String {
        hex::encode(hmac::sign(&self.hashing, text).as_ref())
    }

    /// `plain` sealed for `owner` (a staff user's id): text for the database. A sealed secret
    /// moved to another user's row does not open there.
    pub fn seal(&self, owner: i64, plain: &[u8]) -> Result<String, ring::error::Unspecified> {
        let mut nonce = [0u8; NONCE_LEN];
        SystemRandom::new().fill(&mut nonce)?;
        let mut sealed = plain.to_vec();
        self.sealing.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(owner.to_be_bytes()),
            &mut sealed,
        )?;
        Ok(format!("{PREFIX}{}{}", hex::encode(nonce), hex::encode(sealed)))
    }

    /// What [`Self::seal`] sealed for `owner`; `None` when it was sealed with another key, for
    /// another owner, or altered.
    pub fn open(&self, owner: i64, sealed: &str) -> Option<Vec<u8>> {
        let bytes = hex::decode(sealed.strip_prefix(PREFIX)?).ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut in_out = sealed.to_vec();
        let plain = self
            .sealing
            .open_in_place(nonce, Aad::from(owner.to_be_bytes()), &mut in_out)
            .ok()?;
        Some(plain.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_for_its_owner() {
        let key = SealingKey::from_hex(KEY).unwrap();
        let sealed = key.seal(7, b"secret bytes").unwrap();
        assert!(!sealed.contains(&hex::encode(b"secret bytes")));
        assert_eq!(key.open(7, &sealed).as_deref(), Some(&b"secret bytes"[..]));
        assert_eq!(key.open(8, &sealed), None, "another user's row");
        let other = SealingKey::from_hex(&KEY.replace("00", "ff")).unwrap();
        assert_eq!(other.open(7, &sealed), None, "another key");
        let flipped = if sealed.ends_with('0') { "1" } else { "0" };
        let altered = format!("{}{flipped}", &sealed[..sealed.len() - 1]);
        assert_eq!(key.open(7, &altered), None, "altered");
        assert_eq!(key.open(7, "v1.zz"), None);
        assert_eq!(key.open(7, ""), None);
    }

    #[test]
    fn sealing_twice_gives_different_text() {
        let key = SealingKey::from_hex(KEY).unwrap();
        assert_ne!(key.seal(1, b"x").unwrap(), key.seal(1, b"x").unwrap());
    }

    #[test]
    fn a_key_must_be_32_bytes_of_hex() {
        for bad in ["", "abc", &KEY[..62], &format!("{KEY}00"), &KEY.replace('0', "g")] {
            assert!(SealingKey::from_hex(bad).is_err(), "{bad:?}");
        }
    }
}
