//! Recovery codes: ten single-use codes shown once when two-factor sign-in is turned on, for the
//! day the phone is lost. Only their SHA-256 is kept.

use ring::rand::{SecureRandom, SystemRandom};
use sha2::{Digest, Sha256};

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

/// A typed recovery code as it is stored, hashed; `None` when it cannot be one.
pub fn hash_typed(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    let shaped = code.len() == LENGTH && code.bytes().all(|b| ALPHABET.contains(&b));
    shaped.then(|| hex::encode(Sha256::digest(code.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let hash = hash_typed(code).unwrap();
        assert_eq!(hash_typed(&code.to_uppercase()), Some(hash.clone()));
        assert_eq!(hash_typed(&format!(" {} ", code.replace('-', " "))), Some(hash));
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
            assert_eq!(hash_typed(bad), None, "{bad:?}");
        }
    }
}
