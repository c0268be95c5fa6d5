//! The outbox: queueing emails in a change's transaction, and the worker's side — claiming due
//! messages, recording delivery or failure with a backoff.

use super::{EmailRow, EmailStatus, LINK_PLACEHOLDER, LINK_SHOWN_AS};
use crate::state::Db;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// An email to queue.
#[derive(Debug, Clone)]
pub struct NewEmail {
    /// What caused it, e.g. `documents_shared`.
    pub kind: &'static str,
    pub customer_id: Option<i64>,
    /// The recipient, when a contact: a link placeholder in the body becomes their sign-in link.
    pub contact_id: Option<i64>,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub created_by: Option<i64>,
}

pub async fn enqueue(tx: &mut AnyConnection, email: &NewEmail, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO outbox (kind, customer_id, contact_id, to_address, to_name, subject, text_body, html_body,
             status, attempts, next_attempt_at, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', 0, $9, $10, $9) RETURNING id",
    )
    .bind(email.kind)
    .bind(email.customer_id)
    .bind(email.contact_id)
    .bind(email.to_address.clone())
    .bind(email.to_name.clone())
    .bind(email.subject.clone())
    .bind(email.text_body.clone())
    .bind(email.html_body.clone())
    .bind(now)
    .bind(email.created_by)
    .fetch_one(&mut *tx)
    .await
}

/// A message the worker has claimed and must deliver.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub kind: String,
    pub customer_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    /// Set for a registration's confirmation: its link is made at delivery.
    pub registration_id: Option<i64>,
    /// Set for a staff user's password reset: its link is made at delivery.
    pub staff_user_id: Option<i64>,
    /// Including this one.
    pub attempts: i64,
    /// The claim: recording the outcome checks the message is still held under it.
    pub lease_until: i64,
}

/// Claims up to `limit` due messages until `lease_until`: no other worker takes them before then,
/// and if this one dies they become due again after it. The claim re-checks each row as it updates
/// it, so two workers (or servers) never claim the same message at once.
pub async fn claim_due(db: &Db, now: i64, lease_until: i64, limit: i64) -> Result<Vec<Claimed>, sqlx::Error> {
    let free =
        "status = 'queued' AND next_attempt_at <= $2 AND (claimed_until IS NULL OR claimed_until < $2)";
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1
         WHERE id IN (SELECT id FROM outbox WHERE {free} ORDER BY id LIMIT $3) AND {free}
         RETURNING id, kind, customer_id, contact_id, to_address, to_name, subject, text_body, html_body,
             registration_id, staff_user_id, attempts, claimed_until"
    )))
    .bind(lease_until)
    .bind(now)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Claimed {
                id: row.try_get("id")?,
                kind: row.try_get("kind")?,
                customer_id: row.try_get("customer_id")?,
                contact_id: row.try_get("contact_id")?,
                to_address: row.try_get("to_address")?,
                to_name: row.try_get("to_name")?,
                subject: row.try_get("subject")?,
                text_body: row.try_get("text_body")?,
                html_body: row.try_get("html_body")?,
                registration_id: row.try_get("registration_id")?,
                staff_user_id: row.try_get("staff_user_id")?,
                attempts: row.try_get("attempts")?,
                lease_until: row.try_get("claimed_until")?,
            })
        })
        .collect()
}

/// The mail server accepted the message; `false` when the claim `lease` was lost meanwhile.
pub async fn mark_sent(conn: &mut AnyConnection, id: i64, lease: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'sent', sent_at = $1, claimed_until = NULL, last_error = NULL
         WHERE id = $2 AND status = 'queued' AND claimed_until = $3",
    )
    .bind(now)
    .bind(id)
    .bind(lease)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Delivery failed: try again at `retry_at`, or, with none, give up. `false` when the claim
/// `lease` was lost meanwhile.
pub async fn mark_failed(
    conn: &mut AnyConnection,
    id: i64,
    lease: i64,
    error: &str,
    retry_at: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let error: String = error.chars().take(500).collect();
    let (status, next) = match retry_at {
        Some(at) => ("queued", at),
        None => ("failed", 0),
    };
    let done = sqlx::query(
        "UPDATE outbox SET status = $1, next_attempt_at = CASE WHEN $2 > 0 THEN $2 ELSE next_attempt_at END,
             claimed_until = NULL, last_error = $3
         WHERE id = $4 AND status = 'queued' AND claimed_until = $5",
    )
    .bind(status)
    .bind(next)
    .bind(error)
    .bind(id)
    .bind(lease)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a queued message as a registration's confirmation, whose link the worker makes.
pub async fn set_registration(
    tx: &mut AnyConnection,
    id: i64,
    registration_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outbox SET registration_id = $1 WHERE id = $2")
        .bind(registration_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Marks a queued message as a staff user's password reset, whose link the worker makes.
pub async fn set_staff_user(tx: &mut AnyConnection, id: i64, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outbox SET staff_user_id = $1 WHERE id = $2")
        .bind(user_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Queues the message again as new, to the same person at their address of today (a contact's
/// email may have changed since); returns the new message's id.
pub async fn resend(db: &Db, id: i64, user_id: i64, now: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO outbox (kind, customer_id, contact_id, to_address, to_name, subject, text_body, html_body,
             registration_id, staff_user_id, status, attempts, next_attempt_at, created_by, created_at)
         SELECT o.kind, o.customer_id, o.contact_id, COALESCE(c.email, o.to_address),
             COALESCE(c.first_name || ' ' || c.last_name, o.to_name), o.subject, o.text_body, o.html_body,
             o.registration_id, o.staff_user_id, 'queued', 0, $1, $2, $1
         FROM outbox o LEFT JOIN contacts c ON c.id = o.contact_id WHERE o.id = $3
         RETURNING id",
    )
    .bind(now)
    .bind(user_id)
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

pub async fn customer_of(db: &Db, id: i64) -> Result<Option<Option<i64>>, sqlx::Error> {
    sqlx::query_scalar("SELECT customer_id FROM outbox WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

fn email_from_row(row: &AnyRow) -> Result<EmailRow, sqlx::Error> {
    let status: String = row.try_get("status")?;
    let text: String = row.try_get("text_body")?;
    Ok(EmailRow {
        id: row.try_get("id")?,
        customer: row.try_get("customer")?,
        to_name: row.try_get("to_name")?,
        to_address: row.try_get("to_address")?,
        subject: row.try_get("subject")?,
        text_body: text.replace(LINK_PLACEHOLDER, LINK_SHOWN_AS),
        status: EmailStatus::parse(&status),
        attempts: row.try_get("attempts")?,
        last_error: row.try_get("last_error")?,
        created_at: row.try_get("created_at")?,
        sent_at: row.try_get("sent_at")?,
    })
}

const EMAIL_SELECT: &str = "SELECT o.id, c.name AS customer, o.to_name, o.to_address, o.subject, o.text_body,
     o.status, o.attempts, o.last_error, o.created_at, o.sent_at
     FROM outbox o LEFT JOIN customers c ON c.id = o.customer_id";

/// Every email about the customer, newest first.
pub async fn of_customer(db: &Db, customer_id: i64) -> Result<Vec<EmailRow>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{EMAIL_SELECT} WHERE o.customer_id = $1 ORDER BY o.id DESC LIMIT 500"
    )))
    .bind(customer_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(email_from_row).collect()
}

/// A page of every email, newest first: `EMAIL_LOG_PAGE` rows before the id `before`.
pub async fn log_page(db: &Db, before: Option<i64>, size: i64) -> Result<Vec<EmailRow>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{EMAIL_SELECT} WHERE o.id < $1 ORDER BY o.id DESC LIMIT $2"
    )))
    .bind(before.unwrap_or(i64::MAX))
    .bind(size)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(email_from_row).collect()
}

/// How many messages wait for delivery, for the benchmark and the Email Log's heading.
pub async fn queued_count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'queued'")
        .fetch_one(&db.pool)
        .await
}
