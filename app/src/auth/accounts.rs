//! Creating staff users: the one path used by first-run setup, Settings → Users and the CLI.

use super::{db, password};
use crate::domain::{Email, Password, PersonName, Role};
use crate::error::{AppError, FieldErrors};
use crate::state::now_ms;

/// A new staff user's details, each valid.
#[derive(Debug)]
pub struct StaffDetails {
    pub name: PersonName,
    pub email: Email,
    pub password: Password,
}

impl StaffDetails {
    pub fn parse(name: &str, email: &str, password: &str) -> Result<StaffDetails, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", PersonName::parse(name));
        let email = errors.check("email", Email::parse(email));
        let password = errors.check("password", Password::parse(password));
        match (name, email, password) {
            (Some(name), Some(email), Some(password)) => Ok(StaffDetails {
                name,
                email,
                password,
            }),
            _ => Err(errors),
        }
    }
}

/// Hashes the password and stores the user; a taken email is a field error.
pub async fn create<'c, E>(executor: E, details: &StaffDetails, role: Role) -> Result<i64, AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let hash = password::hash(&details.password).await?;
    insert(executor, details, &hash, role).await
}

/// Stores the user with a password hashed already; a taken email is a field error.
pub async fn insert<'c, E>(
    executor: E,
    details: &StaffDetails,
    hash: &str,
    role: Role,
) -> Result<i64, AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let email = &details.email;
    db::insert_staff(
        executor,
        details.name.as_str(),
        email.as_str(),
        &email.key(),
        hash,
        role,
        now_ms(),
    )
    .await?
    .ok_or_else(|| AppError::field("email", format!("{} already has an account.", email.as_str())))
}
