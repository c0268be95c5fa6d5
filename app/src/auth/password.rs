//! Password hashing with argon2 (its default, memory-hard parameters), off the async threads.

use crate::domain::Password;
use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::OnceLock;

pub async fn hash(password: &Password) -> Result<String, AppError> {
    let plain = password.expose().to_string();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(plain.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)
}

pub async fn verify(stored_hash: &str, candidate: &str) -> Result<bool, AppError> {
    let (stored, candidate) = (stored_hash.to_string(), candidate.to_string());
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored).map(|parsed| {
            Argon2::default()
                .verify_password(candidate.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)
}

/// Verifies `candidate` against a hash of no one's password. Used when an email is unknown, so
/// that the answer takes as long as for a known one and does not tell which emails have accounts.
pub async fn verify_decoy(candidate: &str) -> Result<bool, AppError> {
    static DECOY: OnceLock<String> = OnceLock::new();
    let decoy = match DECOY.get() {
        Some(decoy) => decoy.clone(),
        None => {
            let random = Password::parse(&super::session::new_token()).map_err(AppError::internal)?;
            let made = hash(&random).await?;
            DECOY.get_or_init(|| made).clone()
        }
    };
    verify(&decoy, candidate).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let password = Password::parse("correct horse battery").unwrap();
        let stored = hash(&password).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify(&stored, "correct horse battery").await.unwrap());
        assert!(!verify(&stored, "wrong horse battery").await.unwrap());
    }

    #[tokio::test]
    async fn the_decoy_matches_nothing_typed() {
        assert!(!verify_decoy("anything at all").await.unwrap());
    }
}
