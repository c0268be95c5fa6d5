//! Server functions for first-run setup, signing in and out, and who is signed in.

use super::CurrentUser as StaffUser;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::accounts::{self, StaffDetails},
    super::{db, password, session},
    crate::domain::Role,
    crate::state::{app_state, now_ms, AppState},
    leptos_axum::ResponseOptions,
};

/// How many failed sign-ins for one email within [`FAILURE_WINDOW_MS`] are allowed before each
/// further attempt must wait, the wait doubling from 30 seconds up to 15 minutes.
#[cfg(feature = "ssr")]
const FREE_FAILURES: i64 = 5;
#[cfg(feature = "ssr")]
pub const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;

#[server(endpoint = "auth/signed_in_user")]
pub async fn signed_in_user() -> Result<Option<StaffUser>, AppError> {
    match session::require_staff().await {
        Ok(user) => Ok(Some(user)),
        Err(AppError::Unauthorized) => Ok(None),
        Err(other) => Err(other),
    }
}

/// Creates the first Admin on a new install and signs them in. Refused once any staff user exists.
#[server(endpoint = "auth/setup")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_first_admin(name: String, email: String, password: String) -> Result<(), AppError> {
    let state = app_state()?;
    if state.staff_exists().await? {
        return Err(already_set_up());
    }
    let details = StaffDetails::parse(&name, &email, &password).map_err(AppError::Invalid)?;
    // Hashed before the transaction: on SQLite a transaction that reads, waits, then writes fails
    // if another writer (the outbox worker, the scheduler) committed meanwhile.
    let hash = crate::auth::password::hash(&details.password).await?;
    let mut tx = state.db.pool.begin().await?;
    if db::count_staff_in(&mut *tx).await? > 0 {
        return Err(already_set_up());
    }
    let id = accounts::insert(&mut *tx, &details, &hash, Role::Admin).await?;
    tx.commit().await?;
    start_session(&state, id).await
}

#[server(endpoint = "auth/sign_in")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    let state = app_state()?;
    let email_key = sign_in_email_key(&state.db, &email).await?;
    let record = db::staff_by_email(&state.db, &email_key).await?;
    let account = record.map(|r| (r.user.id, Some(r.password_hash)));
    match settle_sign_in(&state.db, &email_key, account, &password).await? {
        Some(id) => start_session(&state, id).await,
        None => Err(AppError::Refused(
            "That email and password do not match an account.".into(),
        )),
    }
}

/// The lookup form of a sign-in's email, once it is known not to have failed too often lately
/// (staff and contacts alike).
#[cfg(feature = "ssr")]
pub async fn sign_in_email_key(db: &crate::state::Db, email: &str) -> Result<String, AppError> {
    let email_key = email.trim().to_lowercase();
    if email_key.is_empty() {
        return Err(AppError::field("email", "Email is required."));
    }
    refuse_if_throttled(db, &email_key, now_ms()).await?;
    Ok(email_key)
}

/// Checks the password against the account found for the email, `(id, its password hash if it
/// has one)`, or against a decoy when there is none, so that both take as long. Counts a failure;
/// a success clears them. The account's id when the password matches.
#[cfg(feature = "ssr")]
pub async fn settle_sign_in(
    db: &crate::state::Db,
    email_key: &str,
    account: Option<(i64, Option<String>)>,
    password: &str,
) -> Result<Option<i64>, AppError> {
    let accepted = match &account {
        Some((_, Some(hash))) => password::verify(hash, password).await?,
        _ => password::verify_decoy(password).await?,
    };
    match account {
        Some((id, _)) if accepted => {
            db::clear_failures(db, email_key).await?;
            Ok(Some(id))
        }
        _ => {
            db::record_failure(db, email_key, now_ms()).await?;
            tracing::info!("failed sign-in");
            Ok(None)
        }
    }
}

#[server(endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let state = app_state()?;
    if let Some(token) = session::current_token() {
        db::delete_session(&state.db, &session::hash_token(&token)).await?;
    }
    expect_context::<ResponseOptions>().insert_header(
        axum::http::header::SET_COOKIE,
        session::clearing_cookie(state.secure_cookies()),
    );
    Ok(())
}

#[cfg(feature = "ssr")]
fn already_set_up() -> AppError {
    AppError::Refused("Clientele is already set up. Sign in instead.".into())
}

#[cfg(feature = "ssr")]
async fn start_session(state: &AppState, user_id: i64) -> Result<(), AppError> {
    let token = session::new_token();
    let now = now_ms();
    let expires = now + session::SESSION_DAYS * 24 * 3600 * 1000;
    db::insert_session(&state.db, &session::hash_token(&token), user_id, now, expires).await?;
    expect_context::<ResponseOptions>().insert_header(
        axum::http::header::SET_COOKIE,
        session::session_cookie(&token, state.secure_cookies()),
    );
    Ok(())
}

/// Refuses a sign-in for an email that failed too often lately.
#[cfg(feature = "ssr")]
async fn refuse_if_throttled(db: &crate::state::Db, email_key: &str, now: i64) -> Result<(), AppError> {
    let (failures, latest) = db::recent_failures(db, email_key, now - FAILURE_WINDOW_MS).await?;
    match throttle_wait(failures, latest, now) {
        Some(wait_ms) => Err(AppError::Refused(format!(
            "Too many failed sign-ins for this email. Try again in {} seconds.",
            (wait_ms + 999) / 1000
        ))),
        None => Ok(()),
    }
}

/// How long the next attempt must wait, given the recent failures and the latest one's time.
#[cfg(feature = "ssr")]
fn throttle_wait(failures: i64, latest: Option<i64>, now: i64) -> Option<i64> {
    let latest = latest?;
    if failures < FREE_FAILURES {
        return None;
    }
    let doublings = (failures - FREE_FAILURES).min(5) as u32;
    let wait = (30_000_i64 << doublings).min(FAILURE_WINDOW_MS);
    let remaining = latest + wait - now;
    (remaining > 0).then_some(remaining)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_few_failures_are_free() {
        assert_eq!(throttle_wait(4, Some(1_000), 1_001), None);
        assert_eq!(throttle_wait(0, None, 1_001), None);
    }

    #[test]
    fn the_wait_doubles_with_each_further_failure() {
        assert_eq!(throttle_wait(5, Some(0), 0), Some(30_000));
        assert_eq!(throttle_wait(6, Some(0), 0), Some(60_000));
        assert_eq!(throttle_wait(6, Some(0), 59_000), Some(1_000));
        assert_eq!(throttle_wait(6, Some(0), 60_000), None);
        assert_eq!(throttle_wait(50, Some(0), 0), Some(FAILURE_WINDOW_MS));
    }
}
