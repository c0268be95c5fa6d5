//! The outbox worker: delivers queued emails over SMTP, marking each sent only once the mail
//! server accepted it, and retrying failures with a growing wait. A message claimed by a worker
//! that died is taken up again when its claim runs out, so a crash loses no email.

use app::auth::session::{hash_token, new_token};
use app::mail::db::{self as outbox, Claimed};
use app::mail::LINK_PLACEHOLDER;
use app::state::{now_ms, AppState};
use futures::stream::{self, StreamExt};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::Error as SmtpError;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How long each step of an SMTP conversation may take before it is abandoned.
const SMTP_TIMEOUT: Duration = Duration::from_secs(10);
/// A claim outlives the slowest delivery (a handful of steps), so no message is taken over by
/// another worker while it is being delivered.
const LEASE_MS: i64 = 60_000;
/// Messages claimed at a time, all delivered at once over pooled connections: a claimed message
/// never waits for a free connection while its claim runs.
const BATCH: i64 = 8;
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

/// Claims and delivers one batch of due messages; returns how many were claimed.
pub async fn deliver_due(state: &AppState, mailer: &Mailer) -> Result<usize, sqlx::Error> {
    let now = now_ms();
    let claimed = outbox::claim_due(&state.db, now, now + LEASE_MS, BATCH).await?;
    let count = claimed.len();
    stream::iter(claimed)
        .for_each_concurrent(BATCH as usize, |message| async move {
            deliver_one(state, mailer, message).await;
        })
        .await;
    Ok(count)
}

async fn deliver_one(state: &AppState, mailer: &Mailer, message: Claimed) {
    let (id, attempts, lease) = (message.id, message.attempts, message.lease_until);
    let result = match with_link(state, message).await {
        Ok(message) => send(mailer, &message).await,
        Err(failure) => Err(failure),
    };
    let recorded = match result {
        Ok(()) => outbox::mark_sent(&state.db, id, lease, now_ms()).await,
        Err(Failure::Permanent(reason)) => {
            tracing::warn!(id, %reason, "outbox: message refused for good");
            outbox::mark_failed(&state.db, id, lease, &reason, None).await
        }
        Err(Failure::Retry(reason)) => {
            let retry_at = (attempts < MAX_ATTEMPTS).then(|| now_ms() + backoff_ms(attempts));
            tracing::info!(id, attempts, %reason, "outbox: delivery failed");
            outbox::mark_failed(&state.db, id, lease, &reason, retry_at).await
        }
    };
    match recorded {
        Ok(true) => {}
        // The claim ran out and another worker took the message over: its record stands.
        Ok(false) => tracing::warn!(id, "outbox: a delivery outlived its claim"),
        // The claim runs out and the message is tried again: at worst it is sent twice.
        Err(error) => tracing::error!(id, %error, "outbox: could not record the delivery"),
    }
}

/// Puts a fresh sign-in link for the recipient where the body asks for one; only the token's hash
/// is stored. A link opens the contact's account, so it goes only to the contact's address of
/// today: a message written before their email changed is not delivered with one.
async fn with_link(state: &AppState, mut message: Claimed) -> Result<Claimed, Failure> {
    let wants_link =
        message.text_body.contains(LINK_PLACEHOLDER) || message.html_body.contains(LINK_PLACEHOLDER);
    let Some(contact_id) = message.contact_id.filter(|_| wants_link) else {
        return Ok(message);
    };
    let contact = app::contacts::db::find(&state.db, contact_id)
        .await
        .map_err(|e| Failure::Retry(format!("could not read the contact: {e}")))?;
    match contact {
        Some(contact) if contact.email.to_lowercase() == message.to_address.to_lowercase() => {}
        Some(_) => return Err(Failure::Permanent(
            "the contact's email changed after this email was written; resend it to reach the new address"
                .into(),
        )),
        None => return Err(Failure::Permanent("the contact was deleted".into())),
    }
    let token = new_token();
    app::retrieval::db::insert_link(&state.db, &hash_token(&token), contact_id, now_ms())
        .await
        .map_err(|e| Failure::Retry(format!("could not store the sign-in link: {e}")))?;
    let link = format!("{}/shared/link/{token}", state.public_url);
    message.text_body = message.text_body.replace(LINK_PLACEHOLDER, &link);
    message.html_body = message.html_body.replace(LINK_PLACEHOLDER, &link);
    Ok(message)
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
