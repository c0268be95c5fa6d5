//! The Clientele server: configuration, the HTTP app, and the command line's jobs.

pub mod bench;
pub mod bench_import;
pub mod bench_mail;
pub mod bench_pages;
pub mod bench_pages_list;
pub mod bench_portal;
pub mod bench_server;
pub mod bench_upload;
pub mod config;
pub mod jobs;
pub mod mail;
pub mod reminders;
pub mod routes;
pub mod seed;
pub mod seed_names;
pub mod seed_volume;
pub mod smtp_sink;
pub mod upgrade;

use app::documents::files::FileStore;
use app::state::{AppState, Db};
use config::Config;

/// Connects to the database (migrating it), opens the file store and builds the HTTP app.
pub async fn build(config: &Config) -> Result<axum::Router, String> {
    let db = Db::connect(&config.database_url)
        .await
        .map_err(|e| format!("database {}: {e}", config.database_url))?;
    upgrade::fold_search_texts(&db)
        .await
        .map_err(|e| format!("folding search texts: {e}"))?;
    let files = FileStore::open(&config.data_dir, config.storage_url.as_deref())?;
    let state = AppState::new(db, files, config.public_url.clone());
    jobs::spawn_housekeeping(state.clone());
    reminders::spawn(state.clone(), config.reminders.clone());
    match &config.smtp_url {
        Some(url) => mail::spawn_worker(state.clone(), mail::Mailer::new(url, &config.mail_from)?),
        None => tracing::info!("SMTP_URL is not set: emails stay in the outbox (Settings → Email Log)"),
    }
    Ok(routes::router(state, config.leptos.clone()))
}
