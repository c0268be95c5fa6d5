//! The Security log's rows: written as things happen, read a page at a time.

use super::{SecurityEvent, SecurityLogPage};
use crate::state::{AppState, Db};
use sqlx::Row;

const PAGE: i64 = 50;
/// Events are kept this long.
const KEEP_MS: i64 = 365 * 24 * 3600 * 1000;

/// Whose account an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Account {
    Staff,
    Contact,
}

/// An event to log.
pub struct Event<'a> {
    pub kind: &'static str,
    pub account: Account,
    pub email: &'a str,
    /// The client address; empty to take the calling request's.
    pub address: &'a str,
    pub detail: String,
}

/// Logs an event. A failure to log is reported and otherwise ignored: the log must not stop
/// anyone signing in.
pub async fn record(state: &AppState, event: Event<'_>, now: i64) {
    let address = match event.address {
        "" => crate::auth::throttle::request_address(state),
        given => given.to_string(),
    };
    let account = match event.account {
        Account::Staff => "staff",
        Account::Contact => "contact",
    };
    let email: String = event.email.trim().to_lowercase().chars().take(200).collect();
    let written = sqlx::query(
        "INSERT INTO security_events (at, kind, account, email_key, address, detail) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(now)
    .bind(event.kind)
    .bind(account)
    .bind(email)
    .bind(address)
    .bind(event.detail)
    .execute(&state.db.pool)
    .await;
    if let Err(error) = written {
        tracing::warn!(%error, kind = event.kind, "could not write the security log");
    }
}

/// Logs an event about a staff user's account, from the calling request's address.
pub async fn record_staff(state: &AppState, kind: &'static str, email: &str, detail: String) {
    let event = Event {
        kind,
        account: Account::Staff,
        email,
        address: "",
        detail,
    };
    record(state, event, crate::state::now_ms()).await;
}

/// A page, newest first, of events before `before`, of `email` only when not empty.
pub async fn page(db: &Db, email: &str, before: Option<i64>) -> Result<SecurityLogPage, sqlx::Error> {
    // Each shape walks its own index backwards: by id, or by (email, id).
    let email_key = email.to_lowercase();
    let only_email = if email_key.is_empty() {
        ""
    } else {
        "email_key = $3 AND"
    };
    let sql = format!(
        "SELECT id, at, kind, account, email_key, address, detail FROM security_events
         WHERE {only_email} id < $1 ORDER BY id DESC LIMIT $2"
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(before.unwrap_or(i64::MAX))
        .bind(PAGE + 1);
    if !email_key.is_empty() {
        query = query.bind(email_key);
    }
    let rows = query.fetch_all(&db.pool).await?;
    let mut rows: Vec<SecurityEvent> = rows
        .iter()
        .map(|row| {
            Ok(SecurityEvent {
                id: row.try_get("id")?,
                at: row.try_get("at")?,
                kind: row.try_get("kind")?,
                account: row.try_get("account")?,
                email: row.try_get("email_key")?,
                address: row.try_get("address")?,
                detail: row.try_get("detail")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let next = more.then(|| rows.last().map(|r| r.id)).flatten();
    Ok(SecurityLogPage { rows, next })
}

/// Forgets events older than a year.
pub async fn prune(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM security_events WHERE at < $1")
        .bind(now - KEEP_MS)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
