//! `server bench-mail`: how many outbox emails per second the worker delivers to a local SMTP
//! server. Queues the emails in a fresh SQLite database (each to a contact, so each delivery also
//! makes and stores a sign-in link, as real document emails do), starts the in-process SMTP sink,
//! and times the worker from the first claim to the last message accepted.

use crate::mail::{deliver_due, Mailer};
use crate::smtp_sink::{Behaviour, SmtpSink};
use app::documents::files::FileStore;
use app::mail::db::{enqueue, queued_count, NewEmail};
use app::mail::templates::{documents_shared, SharedLine};
use app::state::{now_ms, AppState, Db};
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct Options {
    /// Emails queued and delivered.
    #[arg(long, default_value_t = 2000)]
    pub emails: usize,
}

pub async fn run(options: Options) -> Result<(), String> {
    let folder = std::env::temp_dir().join(format!("clientele-bench-mail-{}", std::process::id()));
    std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
    let outcome = measure(&folder, options.emails).await;
    let _ = std::fs::remove_dir_all(&folder);
    outcome
}

async fn measure(folder: &std::path::Path, emails: usize) -> Result<(), String> {
    let error = |e: sqlx::Error| e.to_string();
    let db = Db::connect(&format!("sqlite://{}/bench.db", folder.display()))
        .await
        .map_err(error)?;
    let files = FileStore::open(&folder.display().to_string(), None)?;
    let state = AppState::new(db.clone(), files, "http://127.0.0.1:3000".into());
    let contact_id: i64 = sqlx::query_scalar(
        "INSERT INTO contacts (first_name, last_name, email, email_key, search_text, created_at, updated_at)
         VALUES ('Bea', 'Bench', 'bea@customer.example', 'bea@customer.example', 'bea bench', 0, 0) RETURNING id",
    )
    .fetch_one(&db.pool)
    .await
    .map_err(error)?;
    let lines: Vec<SharedLine> = ["3rd Party Audit", "HACCP Plan", "Specification Sheet"]
        .iter()
        .map(|kind| SharedLine {
            type_name: kind.to_string(),
            listing_name: "Plant A".into(),
            title: format!("{kind} 2026"),
            expires_on: "2027-06-30".into(),
        })
        .collect();
    let content = documents_shared("Coffee Uptown", "Bea", &lines);
    let mut tx = db.begin().await.map_err(error)?;
    let now = now_ms();
    for _ in 0..emails {
        let email = NewEmail {
            kind: "documents_shared",
            customer_id: None,
            contact_id: Some(contact_id),
            to_address: "bea@customer.example".into(),
            to_name: "Bea Bench".into(),
            subject: content.subject.clone(),
            text_body: content.text.clone(),
            html_body: content.html.clone(),
            created_by: None,
        };
        enqueue(&mut tx, &email, now).await.map_err(error)?;
    }
    tx.commit().await.map_err(error)?;

    let sink = SmtpSink::start(Behaviour::Accept)
        .await
        .map_err(|e| e.to_string())?;
    let mailer = Mailer::new(&sink.url(), crate::config::DEFAULT_MAIL_FROM)?;
    let started = Instant::now();
    while queued_count(&db).await.map_err(error)? > 0 {
        if deliver_due(&state, &mailer).await.map_err(error)? == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        if started.elapsed() > Duration::from_secs(600) {
            return Err("the worker did not finish within 10 minutes".into());
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let received = sink.received().len();
    if received != emails {
        return Err(format!("the SMTP server received {received} of {emails} emails"));
    }
    println!(
        "delivered {emails} emails over SMTP in {seconds:.2} s: {:.0} emails/s ({} connections, SQLite)",
        emails as f64 / seconds,
        sink.connections()
    );
    Ok(())
}
