//! The outbox worker: delivers queued emails over SMTP, marking each sent only once the mail
//! server accepted it, and retrying failures with a growing wait. A message claimed by a worker
//! that died is taken up again when its claim runs out, so a crash loses no email.

use app::auth::session::{hash_token, new_token};
use app::mail::db::{self as outbox, Claimed};
use app::mail::{link_rule, LINK_PLACEHOLDER};
use app::retrieval::db::{insert_link, LinkFor};
use app::state::{now_ms, AppState};
use futures::stream::{self, StreamExt};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::{Error as SmtpError, PoolConfig};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How long each step of an SMTP conversation may take before it is abandoned.
const SMTP_TIMEOUT: Duration = Duration::from_secs(10);
/// A claim outlives the slowest delivery (a handful of steps), so no message is taken over by
/// another worker while it is being delivered.
const LEASE_MS: i64 = 60_000;
/// Messages claimed at a time, delivered `CONNECTIONS` at once over pooled connections (more at
/// once would open connections beyond the pool): even at a second per message, a batch is done
/// long before its claim runs out.
const BATCH: i64 = 32;
const CONNECTIONS: u32 = 32;
/// After this many failed attempts a message is marked failed.
pub const MAX_ATTEMPTS: i64 = 10;
/// How often the worker looks for due messages when the outbox was empty.
const IDLE_POLL: Duration = Duration::from_millis(500);

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `smtp://host:port` (plain), `smtp://host:port?tls=required` (STARTTLS) or `smtps://…`,
    /// with optional `user:password@`.
    pub fn new(smtp_url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| format!("SMTP_URL '{smtp_url}' is not a mail server address: {e}"))?
            .timeout(Some(SMTP_TIMEOUT))
            // The pool gets a connection back a moment after a delivery (lettre recycles it in a
            // task of its own): room for twice the deliveries at once keeps it from opening new ones.
            .pool_config(PoolConfig::new().max_size(CONNECTIONS * 2))
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("MAIL_FROM '{from}' is not an email address: {e}"))?;
        Ok(Mailer { transport, from })
    }
}

/// The wait before attempt `attempts + 1`: 5 s, 10 s, 20 s, … up to an hour.
pub fn backoff_ms(attempts: i64) -> i64 {
    let doublings = (attempts - 1).clamp(0, 20) as u32;
    (5_000_i64 << doublings).min(3_600_000)
}

/// Runs the worker for as long as the server runs.
pub fn spawn_worker(state: AppState, mailer: Mailer) {
    tokio::spawn(async move {
        loop {
            match deliver_due(&state, &mailer).await {
                Ok(n) if n as i64 == BATCH => continue,
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "outbox: could not read due messages"),
            }
            tokio::time::sleep(IDLE_POLL).await;
        }
    });
}

/// Claims and delivers one batch of due messages; returns how many were claimed. The database
/// is written three times a batch (claim, links, outcomes), not once per message: on SQLite every
/// write waits for the one before.
pub async fn deliver_due(state: &AppState, mailer: &Mailer) -> Result<usize, sqlx::Error> {
    let now = now_ms();
    let claimed = outbox::claim_due(&state.db, now, now + LEASE_MS, BATCH).await?;
    let count = claimed.len();
    if count == 0 {
        return Ok(0);
    }
    let prepared = with_links(state, claimed).await;
    let outcomes: Vec<Outcome> = stream::iter(prepared)
        .map(|(claim, message)| async move {
            let result = match message {
                Ok(message) => send(mailer, &message).await,
                Err(failure) => Err(failure),
            };
            (claim, result)
        })
        .buffer_unordered(CONNECTIONS as usize)
        .collect()
        .await;
    if let Err(error) = record(state, &outcomes).await {
        // The claims run out and the messages are tried again: at worst some are sent twice.
        tracing::error!(%error, "outbox: could not record deliveries");
    }
    Ok(count)
}

/// Which claim a delivery was made under: id, attempts so far, lease.
type ClaimOf = (i64, i64, i64);
type Outcome = (ClaimOf, Result<(), Failure>);

/// Records each delivery's outcome, in one transaction.
async fn record(state: &AppState, outcomes: &[Outcome]) -> Result<(), sqlx::Error> {
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    for ((id, attempts, lease), result) in outcomes {
        let (id, attempts, lease) = (*id, *attempts, *lease);
        let held = match result {
            Ok(()) => outbox::mark_sent(&mut tx, id, lease, now).await?,
            Err(Failure::Permanent(reason)) => {
                tracing::warn!(id, %reason, "outbox: message refused for good");
                outbox::mark_failed(&mut tx, id, lease, reason, None).await?
            }
            Err(Failure::Retry(reason)) => {
                let retry_at = (attempts < MAX_ATTEMPTS).then(|| now + backoff_ms(attempts));
                tracing::info!(id, attempts, %reason, "outbox: delivery failed");
                outbox::mark_failed(&mut tx, id, lease, reason, retry_at).await?
            }
        };
        if !held {
            // The claim ran out and another worker took the message over: its record stands.
            tracing::warn!(id, "outbox: a delivery outlived its claim");
        }
    }
    tx.commit().await
}

/// Puts a fresh sign-in link for the recipient where a body asks for one, for the whole batch in
/// one transaction; only the tokens' hashes are stored. A link opens the contact's account, so it
/// goes only to the contact's address of today: a message written before their email changed is
/// not delivered with one.
async fn with_links(state: &AppState, claimed: Vec<Claimed>) -> Vec<(ClaimOf, Result<Claimed, Failure>)> {
    let claims: Vec<ClaimOf> = claimed
        .iter()
        .map(|m| (m.id, m.attempts, m.lease_until))
        .collect();
    match link_all(state, claimed).await {
        Ok(prepared) => claims.into_iter().zip(prepared).collect(),
        Err(error) => claims
            .into_iter()
            .map(|claim| {
                (
                    claim,
                    Err(Failure::Retry(format!(
                        "could not store the sign-in link: {error}"
                    ))),
                )
            })
            .collect(),
    }
}

async fn link_all(
    state: &AppState,
    claimed: Vec<Claimed>,
) -> Result<Vec<Result<Claimed, Failure>>, sqlx::Error> {
    let mut tx = state.db.begin().await?;
    let mut prepared = Vec::with_capacity(claimed.len());
    for mut message in claimed {
        let wants_link =
            message.text_body.contains(LINK_PLACEHOLDER) || message.html_body.contains(LINK_PLACEHOLDER);
        if let Some(registration_id) = message.registration_id.filter(|_| wants_link) {
            prepared.push(registration_link(&mut tx, state, message, registration_id).await?);
            continue;
        }
        if let Some(user_id) = message.staff_user_id.filter(|_| wants_link) {
            prepared.push(staff_reset_link(&mut tx, state, message, user_id).await?);
            continue;
        }
        let Some(contact_id) = message.contact_id.filter(|_| wants_link) else {
            prepared.push(Ok(message));
            continue;
        };
        match app::retrieval::db::contact_email(&mut tx, contact_id).await? {
            Some(email) if email.to_lowercase() == message.to_address.to_lowercase() => {}
            Some(_) => {
                prepared.push(Err(Failure::Permanent(
                    "the contact's email changed after this email was written; resend it to reach the new address".into(),
                )));
                continue;
            }
            None => {
                prepared.push(Err(Failure::Permanent("the contact was deleted".into())));
                continue;
            }
        }
        let token = new_token();
        let rule = link_rule(&message.kind);
        let link_for = LinkFor {
            outbox_id: message.id,
            rule,
            contact_id,
            customer_id: message.customer_id,
        };
        insert_link(&mut tx, &hash_token(&token), &link_for, now_ms()).await?;
        let link = format!("{}{}{token}", state.public_url, rule.path);
        message.text_body = message.text_body.replace(LINK_PLACEHOLDER, &link);
        message.html_body = message.html_body.replace(LINK_PLACEHOLDER, &link);
        prepared.push(Ok(message));
    }
    tx.commit().await?;
    Ok(prepared)
}

/// A registration's confirmation link: a fresh token replaces the sign-up's (only its hash is
/// kept), working for a day from now.
async fn registration_link(
    tx: &mut sqlx::AnyConnection,
    state: &AppState,
    mut message: Claimed,
    registration_id: i64,
) -> Result<Result<Claimed, Failure>, sqlx::Error> {
    let token = new_token();
    let expires_at = now_ms() + app::registration::LINK_HOURS * 3_600_000;
    if !app::registration::db::renew_token(tx, registration_id, &hash_token(&token), expires_at).await? {
        return Ok(Err(Failure::Permanent(
            "the sign-up was confirmed already, or is gone".into(),
        )));
    }
    let link = format!(
        "{}/portal/register/verify/{token}",
        state.public_url.trim_end_matches('/')
    );
    message.text_body = message.text_body.replace(LINK_PLACEHOLDER, &link);
    message.html_body = message.html_body.replace(LINK_PLACEHOLDER, &link);
    Ok(Ok(message))
}

/// A staff user's password-reset link, for the address the email goes to while it is still theirs.
async fn staff_reset_link(
    tx: &mut sqlx::AnyConnection,
    state: &AppState,
    mut message: Claimed,
    user_id: i64,
) -> Result<Result<Claimed, Failure>, sqlx::Error> {
    let token = new_token();
    let email_key = message.to_address.trim().to_lowercase();
    if !app::password_reset::db::insert_staff_reset(tx, &hash_token(&token), user_id, &email_key, now_ms())
        .await?
    {
        return Ok(Err(Failure::Permanent(
            "the user's email changed after this email was written, or the user is gone".into(),
        )));
    }
    let link = format!("{}/login/reset/{token}", state.public_url.trim_end_matches('/'));
    message.text_body = message.text_body.replace(LINK_PLACEHOLDER, &link);
    message.html_body = message.html_body.replace(LINK_PLACEHOLDER, &link);
    Ok(Ok(message))
}

enum Failure {
    /// Worth another try later (connection trouble, a temporary refusal).
    Retry(String),
    /// The mail server refused the message for good, or it cannot be built.
    Permanent(String),
}

async fn send(mailer: &Mailer, message: &Claimed) -> Result<(), Failure> {
    let to: Mailbox = format!(
        "{} <{}>",
        message.to_name.replace(['<', '>', '"'], ""),
        message.to_address
    )
    .parse()
    .or_else(|_| message.to_address.parse())
    .map_err(|e| Failure::Permanent(format!("'{}' is not an email address: {e}", message.to_address)))?;
    let email = Message::builder()
        .from(mailer.from.clone())
        .to(to)
        .subject(message.subject.clone())
        .multipart(MultiPart::alternative_plain_html(
            message.text_body.clone(),
            message.html_body.clone(),
        ))
        .map_err(|e| Failure::Permanent(format!("the message could not be built: {e}")))?;
    mailer.transport.send(email).await.map(|_| ()).map_err(describe)
}

fn describe(error: SmtpError) -> Failure {
    let text = error.to_string();
    if error.is_permanent() {
        Failure::Permanent(text)
    } else {
        Failure::Retry(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_from_five_seconds_up_to_an_hour() {
        assert_eq!(backoff_ms(1), 5_000);
        assert_eq!(backoff_ms(2), 10_000);
        assert_eq!(backoff_ms(4), 40_000);
        assert_eq!(backoff_ms(30), 3_600_000);
    }
}
