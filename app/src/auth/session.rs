//! Who is calling: the staff session behind the request's cookie.
//!
//! A session is a random token in an HttpOnly, SameSite=Lax cookie; the database keeps only its
//! SHA-256, so a leaked database cannot be replayed as sessions.

use super::CurrentUser;
use crate::domain::Role;
use crate::error::AppError;
use crate::state::{app_state, now_ms, AppState};
use axum::http::{header, HeaderMap, HeaderValue};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tokio::sync::OnceCell;

pub const COOKIE_NAME: &str = "clientele_session";
pub const SESSION_DAYS: i64 = 14;

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Whether `token` could be one of [`new_token`]'s (64 hex digits), before it is looked up.
pub fn token_shaped(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A token from a link, as a server function's argument: refused (422) when far longer than any
/// token of ours, before it is hashed or looked up. The token trimmed.
pub fn check_token(token: &str) -> Result<&str, AppError> {
    let token = token.trim();
    if token.len() > 128 {
        return Err(AppError::field(
            "token",
            "This link is not one of ours: it is too long.",
        ));
    }
    Ok(token)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn token_from_headers(headers: &HeaderMap) -> Option<String> {
    cookie_from_headers(headers, COOKIE_NAME)
}

/// The value of the cookie `name`, if the request carries a non-empty one.
pub fn cookie_from_headers(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(found, _)| *found == name)
        .map(|(_, value)| value.to_string())
        .filter(|value| !value.is_empty())
}

pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    cookie_header(COOKIE_NAME, token, Some(SESSION_DAYS * 24 * 3600), secure)
}

pub fn clearing_cookie(secure: bool) -> HeaderValue {
    cookie_header(COOKIE_NAME, "", Some(0), secure)
}

/// A session cookie: HttpOnly (no script reads it) and SameSite=Lax (no other site's form sends
/// it). Without `max_age_seconds` it lasts until the browser closes.
pub fn cookie_header(name: &str, value: &str, max_age_seconds: Option<i64>, secure: bool) -> HeaderValue {
    let max_age = max_age_seconds
        .map(|s| format!("; Max-Age={s}"))
        .unwrap_or_default();
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}{max_age}; Path=/; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Who a request comes from, looked up once: a page rendered on the server calls a dozen server
/// functions, and each asks. The server puts an empty one in every request's extensions; the
/// first to ask fills it, and every clone of the request's parts shares it.
#[derive(Debug, Clone, Default)]
pub struct CallerCache(Arc<OnceCell<Option<CurrentUser>>>);

impl CallerCache {
    /// The request's cache, or an empty one of its own when the server put none there.
    pub fn of(extensions: &axum::http::Extensions) -> CallerCache {
        extensions.get::<CallerCache>().cloned().unwrap_or_default()
    }

    pub async fn staff(
        &self,
        state: &AppState,
        headers: &HeaderMap,
    ) -> Result<Option<CurrentUser>, AppError> {
        self.0
            .get_or_try_init(|| staff_from_headers(state, headers))
            .await
            .cloned()
    }
}

/// The signed-in staff user of a request, if its cookie names a live session.
pub async fn staff_from_headers(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(token) = token_from_headers(headers) else {
        return Ok(None);
    };
    Ok(super::db::user_by_session(&state.db, &hash_token(&token), now_ms()).await?)
}

/// The request being served by a server function, as the integration hands it over.
pub fn request_headers() -> HeaderMap {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .map(|parts| parts.headers)
        .unwrap_or_default()
}

/// The calling staff user, or `Unauthorized`.
pub async fn require_staff() -> Result<CurrentUser, AppError> {
    let state = app_state()?;
    let Some(parts) = leptos::prelude::use_context::<axum::http::request::Parts>() else {
        return Err(AppError::Unauthorized);
    };
    CallerCache::of(&parts.extensions)
        .staff(&state, &parts.headers)
        .await?
        .ok_or(AppError::Unauthorized)
}

/// The calling staff user if an Admin, else `Forbidden`.
pub async fn require_admin() -> Result<CurrentUser, AppError> {
    let user = require_staff().await?;
    if user.role == Role::Admin {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

pub fn current_token() -> Option<String> {
    token_from_headers(&request_headers())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_http_only_and_same_site() {
        let value = session_cookie("abc", false);
        let text = value.to_str().unwrap();
        assert!(text.starts_with("clientele_session=abc;"));
        assert!(text.contains("HttpOnly") && text.contains("SameSite=Lax"));
        assert!(!text.contains("Secure"));
        assert!(session_cookie("abc", true)
            .to_str()
            .unwrap()
            .ends_with("; Secure"));
    }

    #[test]
    fn a_cookie_without_max_age_lasts_the_browser_session_and_is_still_http_only() {
        let value = cookie_header("clientele_contact", "tok", None, true);
        let text = value.to_str().unwrap();
        assert_eq!(
            text,
            "clientele_contact=tok; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
        let lasting = cookie_header("clientele_contact", "tok", Some(60), false);
        assert!(lasting.to_str().unwrap().contains("; Max-Age=60; "));
    }

    #[test]
    fn the_token_is_read_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; clientele_session=tok; b=2"),
        );
        assert_eq!(token_from_headers(&headers).as_deref(), Some("tok"));
    }

    #[test]
    fn tokens_are_random_and_stored_only_as_hashes() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_ne!(hash_token(&a), a);
        assert_eq!(hash_token(&a), hash_token(&a));
    }
}
