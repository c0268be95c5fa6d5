//! Who is calling the Document Retrieval Site: a contact's session, in its own HttpOnly,
//! SameSite=Lax cookie, stored as a SHA-256 of the token like staff sessions.

use crate::auth::session::{cookie_from_headers, cookie_header, hash_token, new_token, request_headers};
use crate::error::AppError;
use crate::state::{app_state, now_ms, AppState};
use axum::http::HeaderMap;

pub const COOKIE_NAME: &str = "clientele_contact";
pub const SESSION_DAYS: i64 = 14;

/// The contact signed in by the request's cookie: id, name and email.
pub async fn contact_from_headers(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<(i64, String, String)>, AppError> {
    let Some(token) = cookie_from_headers(headers, COOKIE_NAME) else {
        return Ok(None);
    };
    Ok(super::db::contact_by_session(&state.db, &hash_token(&token), now_ms()).await?)
}

/// The calling contact's id, or `Unauthorized`.
pub async fn require_contact() -> Result<i64, AppError> {
    let state = app_state()?;
    contact_from_headers(&state, &request_headers())
        .await?
        .map(|(id, _, _)| id)
        .ok_or(AppError::Unauthorized)
}

/// Signs the contact in: a new session and its cookie on the response.
pub async fn start(state: &AppState, contact_id: i64) -> Result<(), AppError> {
    let token = new_token();
    let now = now_ms();
    let max_age = SESSION_DAYS * 24 * 3600;
    super::db::insert_session(
        &state.db,
        &hash_token(&token),
        contact_id,
        now,
        now + max_age * 1000,
    )
    .await?;
    leptos::prelude::expect_context::<leptos_axum::ResponseOptions>().insert_header(
        axum::http::header::SET_COOKIE,
        cookie_header(COOKIE_NAME, &token, max_age, state.secure_cookies()),
    );
    Ok(())
}

pub async fn end(state: &AppState) -> Result<(), AppError> {
    if let Some(token) = cookie_from_headers(&request_headers(), COOKIE_NAME) {
        super::db::delete_session(&state.db, &hash_token(&token)).await?;
    }
    leptos::prelude::expect_context::<leptos_axum::ResponseOptions>().insert_header(
        axum::http::header::SET_COOKIE,
        cookie_header(COOKIE_NAME, "", 0, state.secure_cookies()),
    );
    Ok(())
}
