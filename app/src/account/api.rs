//! Server functions of a staff user's own account: changing their password, signing out
//! everywhere.

use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    crate::auth::{api::settle_sign_in, api::sign_in_attempt, api::start_session, db, password, session},
    crate::security_log::db::{record_staff, Account},
    crate::state::app_state,
};

/// Changes the caller's password, given their current one. Every other session of theirs ends
/// (a browser left signed in elsewhere, perhaps by someone who learnt the old password); this
/// browser gets a new session.
#[server(endpoint = "account/password")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn change_password(current: String, password: String, confirm: String) -> Result<(), AppError> {
    let user = session::require_staff().await?;
    let state = app_state()?;
    password::check_typed("current", &current)?;
    let chosen = password::chosen(&password, &confirm)?;
    // The current password is checked as a sign-in is: a stolen session cannot guess it quickly.
    let attempt = sign_in_attempt(&state, &user.email, Account::Staff).await?;
    let record = db::staff_by_email(&state.db, attempt.email_key()).await?;
    let account = record
        .filter(|r| r.user.id == user.id)
        .map(|r| (r.user.id, Some(r.password_hash)));
    if settle_sign_in(&state, &attempt, account, &current, Some("password_confirmed"))
        .await?
        .is_none()
    {
        return Err(AppError::field("current", "That is not your current password."));
    }
    let hash = password::hash(&chosen).await?;
    db::set_password(&state.db, user.id, &hash).await?;
    db::end_sessions_of(&state.db, user.id).await?;
    record_staff(&state, "password_changed", &user.email, String::new()).await;
    start_session(&state, user.id).await
}

/// Ends every session of the caller, this one included.
#[server(endpoint = "account/sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    let user = session::require_staff().await?;
    let state = app_state()?;
    db::end_sessions_of(&state.db, user.id).await?;
    record_staff(&state, "signed_out_everywhere", &user.email, String::new()).await;
    expect_context::<leptos_axum::ResponseOptions>().append_header(
        axum::http::header::SET_COOKIE,
        session::clearing_cookie(state.secure_cookies()),
    );
    Ok(())
}
