//! Server functions for first-run setup, signing in and out, and who is signed in.

use super::CurrentUser as StaffUser;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::accounts::{self, StaffDetails},
    super::throttle::Attempt,
    super::{db, password, session},
    crate::domain::Role,
    crate::security_log::db::Account,
    crate::state::{app_state, now_ms, AppState},
    leptos_axum::ResponseOptions,
};

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
    // The form is checked first: a request past every cap is refused for it, before any work.
    let details = StaffDetails::parse(&name, &email, &password).map_err(AppError::Invalid)?;
    let state = app_state()?;
    if state.staff_exists().await? {
        return Err(already_set_up());
    }
    // Hashed before the transaction: on SQLite a transaction that reads, waits, then writes fails
    // if another writer (the outbox worker, the scheduler) committed meanwhile.
    let hash = crate::auth::password::hash(&details.password).await?;
    let mut tx = state.db.begin().await?;
    db::lock_staff(&mut tx, state.db.backend).await?;
    if db::count_staff_in(&mut *tx).await? > 0 {
        return Err(already_set_up());
    }
    let id = accounts::insert(&mut *tx, &details, &hash, Role::Admin).await?;
    tx.commit().await?;
    start_session(&state, id).await
}

#[server(endpoint = "auth/sign_in")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn sign_in(email: String, password: String) -> Result<crate::two_factor::SignInStep, AppError> {
    let state = app_state()?;
    let attempt = sign_in_attempt(&state, &email, Account::Staff).await?;
    let record = db::staff_by_email(&state.db, attempt.email_key()).await?;
    let account = record.map(|r| (r.user.id, Some(r.password_hash)));
    match settle_sign_in(&state, &attempt, account, &password, None).await? {
        Some(id) => {
            let step = crate::two_factor::api::after_password(&state, id).await?;
            // Signed in only once the second step, if there is one, is passed.
            let kind = match step {
                crate::two_factor::SignInStep::Done => "signed_in",
                _ => "password_accepted",
            };
            attempt.log(&state, kind, now_ms()).await;
            Ok(step)
        }
        None => Err(AppError::Refused(
            "That email and password do not match an account.".into(),
        )),
    }
}

/// A sign-in attempt for `email` by the calling browser, once it is known not to have failed too
/// often lately (staff and contacts alike; see [`super::throttle`]).
#[cfg(feature = "ssr")]
pub async fn sign_in_attempt(state: &AppState, email: &str, account: Account) -> Result<Attempt, AppError> {
    let email_key = email.trim().to_lowercase();
    if email_key.is_empty() {
        return Err(AppError::field("email", "Email is required."));
    }
    if email_key.len() > 254 {
        return Err(AppError::field("email", "Email must be at most 254 characters."));
    }
    let attempt = Attempt::of_request(state, &email_key, account).await?;
    let now = now_ms();
    match attempt.refuse_if_throttled(&state.db, now).await {
        Err(throttled @ AppError::Busy(_)) => {
            attempt.log(state, "sign_in_throttled", now).await;
            Err(throttled)
        }
        Err(other) => Err(other),
        Ok(()) => Ok(attempt),
    }
}

/// Checks the password against the account found for the email, `(id, its password hash if it
/// has one)`, or against a decoy when there is none, so that both take as long. Counts a failure;
/// a success forgets this browser's failures, remembers the browser and is logged as
/// `success_kind` (or by the caller, when `None`). The account's id when the password matches.
#[cfg(feature = "ssr")]
pub async fn settle_sign_in(
    state: &AppState,
    attempt: &Attempt,
    account: Option<(i64, Option<String>)>,
    password: &str,
    success_kind: Option<&'static str>,
) -> Result<Option<i64>, AppError> {
    password::check_typed("password", password)?;
    let accepted = match &account {
        Some((_, Some(hash))) => password::verify_in(attempt.place(), hash, password).await?,
        _ => password::verify_decoy_in(attempt.place(), password).await?,
    };
    match account {
        Some((id, _)) if accepted => {
            attempt.succeeded(state, now_ms()).await?;
            if let Some(kind) = success_kind {
                attempt.log(state, kind, now_ms()).await;
            }
            Ok(Some(id))
        }
        _ => {
            attempt.failed(&state.db, now_ms()).await?;
            attempt.log(state, "sign_in_failed", now_ms()).await;
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
    expect_context::<ResponseOptions>().append_header(
        axum::http::header::SET_COOKIE,
        session::clearing_cookie(state.secure_cookies()),
    );
    Ok(())
}

#[cfg(feature = "ssr")]
fn already_set_up() -> AppError {
    AppError::Refused("Clientele is already set up. Sign in instead.".into())
}

/// Signs the staff user in: a new session, and its cookie on the response.
#[cfg(feature = "ssr")]
pub async fn start_session(state: &AppState, user_id: i64) -> Result<(), AppError> {
    let token = session::new_token();
    let now = now_ms();
    let expires = now + session::SESSION_DAYS * 24 * 3600 * 1000;
    db::insert_session(&state.db, &session::hash_token(&token), user_id, now, expires).await?;
    expect_context::<ResponseOptions>().append_header(
        axum::http::header::SET_COOKIE,
        session::session_cookie(&token, state.secure_cookies()),
    );
    Ok(())
}
