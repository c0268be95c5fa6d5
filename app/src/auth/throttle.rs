//! Slowing down guessed passwords without letting a stranger lock anyone out (staff, portal and
//! Document Retrieval Site sign-ins alike).
//!
//! Failed sign-ins of the last 15 minutes are counted three ways:
//! - for an email, from browsers that have never signed in to it: five are free, then each
//!   further attempt waits, the wait doubling from 30 seconds up to 15 minutes;
//! - for an email, from a browser that has signed in to it before (it keeps a random device token
//!   in an HttpOnly cookie; the database keeps the token's SHA-256): counted apart, so a
//!   stranger's 30 guesses at an Admin's email never stop the Admin at their usual browser;
//! - from one client address, whatever the emails (browsers new to them): thirty are free, so one
//!   address cannot guess its way across many accounts.

use super::password::Place;
use super::session::{cookie_from_headers, cookie_header, hash_token, new_token, token_shaped};
use crate::error::AppError;
use crate::security_log::db::{Account, Event};
use crate::state::{AppState, Db};
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap};
use leptos::prelude::use_context;
use sqlx::Row;
use std::net::SocketAddr;

/// How long failures are remembered and counted.
pub const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failures for an email (from one known browser, or from all the others) before waits begin.
const FREE_FAILURES: i64 = 5;
/// Failures from one address, across emails, before waits begin.
const FREE_FAILURES_PER_ADDRESS: i64 = 30;
/// The cookie holding a browser's device token.
pub const DEVICE_COOKIE: &str = "clientele_device";
/// A browser is known for a year after it last signed in.
pub const DEVICE_DAYS: i64 = 365;

/// One sign-in attempt: for which email, from which address, and whether from a browser that
/// signed in to that email before.
pub struct Attempt {
    email_key: String,
    address: String,
    /// The device token the browser sent, if it looks like one of ours.
    device_token: Option<String>,
    /// Its hash, when this browser has signed in to this email before.
    known_device: Option<String>,
    /// The attempt's place in line for its password check, taken before any database work.
    place: Place,
    account: Account,
}

impl Attempt {
    pub fn email_key(&self) -> &str {
        &self.email_key
    }

    pub fn place(&self) -> &Place {
        &self.place
    }

    /// Logs what became of the attempt in the Security log.
    pub async fn log(&self, state: &AppState, kind: &'static str, now: i64) {
        let event = Event {
            kind,
            account: self.account,
            email: &self.email_key,
            address: &self.address,
            detail: String::new(),
        };
        crate::security_log::db::record(state, event, now).await;
    }

    /// The attempt the current request makes for `email_key`.
    pub async fn of_request(
        state: &AppState,
        email_key: &str,
        account: Account,
    ) -> Result<Attempt, AppError> {
        let place = super::password::admit()?;
        let headers = super::session::request_headers();
        let address = request_address(state);
        let device_token = cookie_from_headers(&headers, DEVICE_COOKIE).filter(|t| token_shaped(t));
        let known_device = match &device_token {
            Some(token) => {
                let hash = hash_token(token);
                device_known(&state.db, &hash, email_key).await?.then_some(hash)
            }
            None => None,
        };
        Ok(Attempt {
            email_key: email_key.to_string(),
            address,
            device_token,
            known_device,
            place,
            account,
        })
    }

    /// Refuses the attempt (429) when its failures lately say it must wait.
    pub async fn refuse_if_throttled(&self, db: &Db, now: i64) -> Result<(), AppError> {
        let since = now - FAILURE_WINDOW_MS;
        let (failures, latest) = self.failures_for_email(db, since).await?;
        if let Some(wait_ms) = throttle_wait(failures, latest, now, FREE_FAILURES) {
            return Err(too_many("for this email", wait_ms));
        }
        if self.known_device.is_none() {
            let (failures, latest) = count_failures(
                db,
                "address = $1 AND device_hash IS NULL",
                &[&self.address],
                since,
            )
            .await?;
            if let Some(wait_ms) = throttle_wait(failures, latest, now, FREE_FAILURES_PER_ADDRESS) {
                return Err(too_many("from your network", wait_ms));
            }
        }
        Ok(())
    }

    async fn failures_for_email(&self, db: &Db, since: i64) -> Result<(i64, Option<i64>), sqlx::Error> {
        match &self.known_device {
            Some(device) => {
                count_failures(
                    db,
                    "email_key = $1 AND device_hash = $2",
                    &[&self.email_key, device],
                    since,
                )
                .await
            }
            None => {
                count_failures(
                    db,
                    "email_key = $1 AND device_hash IS NULL",
                    &[&self.email_key],
                    since,
                )
                .await
            }
        }
    }

    /// Counts a failure.
    pub async fn failed(&self, db: &Db, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO sign_in_failures (email_key, failed_at, address, device_hash) VALUES ($1, $2, $3, $4)",
        )
        .bind(&self.email_key)
        .bind(now)
        .bind(&self.address)
        .bind(&self.known_device)
        .execute(&db.pool)
        .await?;
        Ok(())
    }

    /// Forgets the failures this attempt was counted with: a known browser's own, or, from a
    /// browser new to the email, those of browsers new to it at this address (a stranger's
    /// guesses elsewhere, or behind a known browser, still count). Then remembers the browser as
    /// one that signs in to the email: a new device token in a cookie when it has none.
    pub async fn succeeded(&self, state: &AppState, now: i64) -> Result<(), AppError> {
        let forget = match &self.known_device {
            Some(device) => {
                sqlx::query("DELETE FROM sign_in_failures WHERE email_key = $1 AND device_hash = $2")
                    .bind(&self.email_key)
                    .bind(device)
            }
            None => sqlx::query(
                "DELETE FROM sign_in_failures WHERE email_key = $1 AND address = $2 AND device_hash IS NULL",
            )
            .bind(&self.email_key)
            .bind(&self.address),
        };
        forget.execute(&state.db.pool).await?;
        let token = self.device_token.clone().unwrap_or_else(new_token);
        sqlx::query(
            "INSERT INTO known_devices (token_hash, email_key, last_used_at) VALUES ($1, $2, $3)
             ON CONFLICT (token_hash, email_key) DO UPDATE SET last_used_at = excluded.last_used_at",
        )
        .bind(hash_token(&token))
        .bind(&self.email_key)
        .bind(now)
        .execute(&state.db.pool)
        .await?;
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.append_header(
                header::SET_COOKIE,
                cookie_header(
                    DEVICE_COOKIE,
                    &token,
                    Some(DEVICE_DAYS * 24 * 3600),
                    state.secure_cookies(),
                ),
            );
        }
        Ok(())
    }
}

/// Refuses (429) a request of `kind` that sends an email to whoever asks (a password reset, a new
/// link, a sign-up) when the calling client's address made `most_per_hour` of them in the last
/// hour; otherwise counts this one.
pub async fn limit_per_address(
    state: &AppState,
    kind: &str,
    most_per_hour: i64,
    now: i64,
) -> Result<(), AppError> {
    let address = request_address(state);
    let mut tx = state.db.begin().await?;
    // Requests sent at once take turns, so none counts before another's row is in: PostgreSQL
    // locks the kind and address for the transaction; SQLite's first write takes its lock.
    if state.db.backend == crate::state::Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1)) IS NULL")
            .bind(format!("{kind}:{address}"))
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("INSERT INTO address_requests (kind, address, at) VALUES ($1, $2, $3)")
        .bind(kind)
        .bind(&address)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query(
        "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM address_requests
         WHERE kind = $1 AND address = $2 AND at > $3",
    )
    .bind(kind)
    .bind(&address)
    .bind(now - 3_600_000)
    .fetch_one(&mut *tx)
    .await?;
    let (count, oldest): (i64, Option<i64>) = (row.try_get("n")?, row.try_get("oldest")?);
    if count > most_per_hour {
        // Rolled back: a refused request does not count.
        let wait_minutes = oldest.map_or(60, |oldest| (oldest + 3_600_000 - now + 59_999) / 60_000);
        return Err(AppError::Busy(format!(
            "Too many requests from your network. Try again in {wait_minutes} minutes."
        )));
    }
    tx.commit().await?;
    Ok(())
}

/// The calling client's address (see [`client_address`]).
pub(crate) fn request_address(state: &AppState) -> String {
    let parts = use_context::<axum::http::request::Parts>();
    let headers = parts.as_ref().map(|p| p.headers.clone()).unwrap_or_default();
    let peer = parts
        .as_ref()
        .and_then(|p| p.extensions.get::<ConnectInfo<SocketAddr>>())
        .map(|ConnectInfo(addr)| addr.ip().to_string());
    client_address(&headers, peer, state.trust_forwarded_for)
}

/// The address a request comes from: the connection's peer, or, behind a reverse proxy trusted
/// to say (`TRUST_FORWARDED_FOR`), the last address in `X-Forwarded-For`, the one the proxy added.
fn client_address(headers: &HeaderMap, peer: Option<String>, trust_forwarded_for: bool) -> String {
    let forwarded = trust_forwarded_for
        .then(|| {
            headers
                .get("x-forwarded-for")?
                .to_str()
                .ok()?
                .rsplit(',')
                .next()
                .map(str::trim)
        })
        .flatten()
        .filter(|a| !a.is_empty() && a.len() <= 64)
        .map(str::to_string);
    forwarded.or(peer).unwrap_or_default()
}

fn too_many(whence: &str, wait_ms: i64) -> AppError {
    AppError::Busy(format!(
        "Too many failed sign-ins {whence}. Try again in {} seconds.",
        (wait_ms + 999) / 1000
    ))
}

/// Failed sign-ins since `since` matching `condition` (on `$1`, `$2` …), and the latest one's time.
async fn count_failures(
    db: &Db,
    condition: &str,
    values: &[&str],
    since: i64,
) -> Result<(i64, Option<i64>), sqlx::Error> {
    let sql = format!(
        "SELECT COUNT(*) AS failures, MAX(failed_at) AS latest FROM sign_in_failures
         WHERE {condition} AND failed_at > ${}",
        values.len() + 1
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for value in values {
        query = query.bind(*value);
    }
    let row = query.bind(since).fetch_one(&db.pool).await?;
    Ok((row.try_get("failures")?, row.try_get("latest")?))
}

async fn device_known(db: &Db, token_hash: &str, email_key: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM known_devices WHERE token_hash = $1 AND email_key = $2")
            .bind(token_hash)
            .bind(email_key)
            .fetch_optional(&db.pool)
            .await?;
    Ok(found.is_some())
}

/// Forgets failures older than the window, browsers unused for [`DEVICE_DAYS`], and requests by
/// address older than an hour.
pub async fn prune(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let failures = sqlx::query("DELETE FROM sign_in_failures WHERE failed_at < $1")
        .bind(now - FAILURE_WINDOW_MS)
        .execute(&db.pool)
        .await?;
    let devices = sqlx::query("DELETE FROM known_devices WHERE last_used_at < $1")
        .bind(now - DEVICE_DAYS * 24 * 3600 * 1000)
        .execute(&db.pool)
        .await?;
    let requests = sqlx::query("DELETE FROM address_requests WHERE at < $1")
        .bind(now - 3_600_000)
        .execute(&db.pool)
        .await?;
    Ok(failures.rows_affected() + devices.rows_affected() + requests.rows_affected())
}

/// How long the next attempt must wait, given the recent failures, the latest one's time, and
/// how many are free.
fn throttle_wait(failures: i64, latest: Option<i64>, now: i64, free: i64) -> Option<i64> {
    let latest = latest?;
    if failures < free {
        return None;
    }
    let doublings = (failures - free).min(5) as u32;
    let wait = (30_000_i64 << doublings).min(FAILURE_WINDOW_MS);
    let remaining = latest + wait - now;
    (remaining > 0).then_some(remaining)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_failures_are_free() {
        assert_eq!(throttle_wait(4, Some(1_000), 1_001, FREE_FAILURES), None);
        assert_eq!(throttle_wait(0, None, 1_001, FREE_FAILURES), None);
        assert_eq!(throttle_wait(29, Some(0), 0, FREE_FAILURES_PER_ADDRESS), None);
    }

    #[test]
    fn the_wait_doubles_with_each_further_failure() {
        assert_eq!(throttle_wait(5, Some(0), 0, FREE_FAILURES), Some(30_000));
        assert_eq!(throttle_wait(6, Some(0), 0, FREE_FAILURES), Some(60_000));
        assert_eq!(throttle_wait(6, Some(0), 59_000, FREE_FAILURES), Some(1_000));
        assert_eq!(throttle_wait(6, Some(0), 60_000, FREE_FAILURES), None);
        assert_eq!(
            throttle_wait(50, Some(0), 0, FREE_FAILURES),
            Some(FAILURE_WINDOW_MS)
        );
    }

    #[test]
    fn the_forwarded_address_counts_only_behind_a_trusted_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "6.6.6.6, 10.0.0.7".parse().unwrap());
        let peer = Some("127.0.0.1".to_string());
        assert_eq!(client_address(&headers, peer.clone(), false), "127.0.0.1");
        assert_eq!(client_address(&headers, peer.clone(), true), "10.0.0.7");
        assert_eq!(client_address(&HeaderMap::new(), peer, true), "127.0.0.1");
        assert_eq!(client_address(&HeaderMap::new(), None, false), "");
    }
}
