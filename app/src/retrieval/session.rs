//! Who is calling the Document Retrieval Site: a contact's session, in its own HttpOnly,
//! SameSite=Lax cookie, stored as a SHA-256 of the token like staff sessions.

use super::db::{ContactSession, NewSession};
use crate::auth::session::{cookie_from_headers, cookie_header, hash_token, new_token, request_headers};
use crate::error::AppError;
use crate::state::{app_state, now_ms, AppState};
use axum::http::HeaderMap;

pub const COOKIE_NAME: &str = "clientele_contact";
pub const SESSION_DAYS: i64 = 14;

/// The contact signed in by the request's cookie.
pub async fn contact_from_headers(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<ContactSession>, AppError> {
    let Some(token) = cookie_from_headers(headers, COOKIE_NAME) else {
        return Ok(None);
    };
    Ok(super::db::contact_by_session(&state.db, &hash_token(&token), now_ms()).await?)
}

/// The calling contact's session, or `Unauthorized`.
pub async fn require_contact() -> Result<ContactSession, AppError> {
    let state = app_state()?;
    contact_from_headers(&state, &request_headers())
        .await?
        .ok_or(AppError::Unauthorized)
}

/// Signs the contact in: a new session and its cookie on the response. `customer_id` is the
/// customer they act as in the portal, when already known.
pub async fn start(state: &AppState, contact_id: i64, customer_id: Option<i64>) -> Result<(), AppError> {
    let token = new_token();
    let now = now_ms();
    let max_age = SESSION_DAYS * 24 * 3600;
    let session = NewSession {
        contact_id,
        customer_id,
        only_customer_id: None,
        expires_at: now + max_age * 1000,
    };
    super::db::insert_session(&state.db, &hash_token(&token), &session, now).await?;
    set_cookie(state, &token, Some(max_age));
    Ok(())
}

/// Signs the contact in for one customer only, until `expires_at` or the browser closes (the
/// cookie has no Max-Age): a reminder's passwordless link.
pub async fn start_for_one_customer(
    state: &AppState,
    contact_id: i64,
    customer_id: i64,
    expires_at: i64,
) -> Result<(), AppError> {
    let token = new_token();
    let session = NewSession {
        contact_id,
        customer_id: Some(customer_id),
        only_customer_id: Some(customer_id),
        expires_at,
    };
    super::db::insert_session(&state.db, &hash_token(&token), &session, now_ms()).await?;
    set_cookie(state, &token, None);
    Ok(())
}

fn set_cookie(state: &AppState, token: &str, max_age: Option<i64>) {
    let header = cookie_header(COOKIE_NAME, token, max_age, state.secure_cookies());
    leptos::prelude::expect_context::<leptos_axum::ResponseOptions>()
        .append_header(axum::http::header::SET_COOKIE, header);
}

pub async fn end(state: &AppState) -> Result<(), AppError> {
    if let Some(token) = cookie_from_headers(&request_headers(), COOKIE_NAME) {
        super::db::delete_session(&state.db, &hash_token(&token)).await?;
    }
    leptos::prelude::expect_context::<leptos_axum::ResponseOptions>().append_header(
        axum::http::header::SET_COOKIE,
        cookie_header(COOKIE_NAME, "", Some(0), state.secure_cookies()),
    );
    Ok(())
}
