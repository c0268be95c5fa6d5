//! Recovery codes: ten single-use codes shown once when two-factor sign-in is turned on, for the
//! day the phone is lost. Only a keyed hash of each is kept (HMAC with a key derived from
//! `TWO_FACTOR_KEY`): unsalted, 50-bit codes could be found from a plain hash by trying them all.

use super::sealing::SealingKey;
use ring::rand::{SecureRandom, SystemRandom};

pub const COUNT: usize = 10;
/// Letters and digits that cannot be mistaken for one another when read back from paper.
const ALPHABET: &[u8; 32] = b"abcdefghjkmnpqrstuvwxyz123456789";
const LENGTH: usize = 10;

/// `COUNT` new codes, as people are shown them: `abcde-23456`. 50 random bits each.
pub fn generate() -> Result<Vec<String>, ring::error::Unspecified> {
    let random = SystemRandom::new();
    (0..COUNT)
        .map(|_| {
            let mut bytes = [0u8; LENGTH];
            random.fill(&mut bytes)?;
            let code: String = bytes
                .iter()
                .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
                .collect();
            Ok(format!("{}-{}", &code[..5], &code[5..]))
        })
        .collect()
}

/// A typed recovery code as it is stored, hashed with `key`; `None` when it cannot be one.
pub fn hash_typed(typed: &str, key: &SealingKey) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    let shaped = code.len() == LENGTH && code.bytes().all(|b| ALPHABET.contains(&b));
    shaped.then(|| key.keyed_hash(code.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SealingKey {
        SealingKey::from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f").unwrap()
    }

    #[test]
    fn codes_are_ten_different_and_read_back_however_they_are_typed() {
        let codes = generate().unwrap();
        assert_eq!(codes.len(), 10);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        let code = &codes[0];
        assert_eq!(code.len(), 11);
        let hash = hash_typed(code, &key()).unwrap();
        assert_eq!(hash_typed(&code.to_uppercase(), &key()), Some(hash.clone()));
        assert_eq!(
            hash_typed(&format!(" {} ", code.replace('-', " ")), &key()),
            Some(hash)
        );
    }

    #[test]
    fn what_cannot_be_a_code_is_not_looked_up() {
        for bad in [
            "",
            "abcde-fghi",
            "abcde-fghijk",
            "abcde-fgh0j",
            "abcde-fghij",
            "123456",
            "abcde_fghjk",
        ] {
            assert_eq!(hash_typed(bad, &key()), None, "{bad:?}");
        }
    }
}
