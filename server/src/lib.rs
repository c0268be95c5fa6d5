//! The Clientele server: configuration, the HTTP app, and the command line's jobs.

pub mod backup;
pub mod bench;
pub mod bench_flood;
pub mod bench_import;
pub mod bench_load;
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

/// Connections accepted by `listener` with Nagle's algorithm off. Pages are streamed in several
/// writes; with it on, each write after the first waited for the client's delayed acknowledgement
/// (40 ms on Linux), and every page rendered on the server took 44 ms however little it cost.
pub fn without_delay(
    listener: tokio::net::TcpListener,
) -> axum::serve::TapIo<tokio::net::TcpListener, fn(&mut tokio::net::TcpStream)> {
    use axum::serve::ListenerExt;
    listener.tap_io(no_delay)
}

fn no_delay(stream: &mut tokio::net::TcpStream) {
    if let Err(error) = stream.set_nodelay(true) {
        tracing::warn!("cannot turn Nagle's algorithm off for a connection: {error}");
    }
}

/// Connects to the database (migrating it), opens the file store and builds the HTTP app.
pub async fn build(config: &Config) -> Result<axum::Router, String> {
    let db = Db::connect(&config.database_url)
        .await
        .map_err(|e| format!("database {}: {e}", config.database_url))?;
    upgrade::fold_search_texts(&db)
        .await
        .map_err(|e| format!("folding search texts: {e}"))?;
    check_two_factor_key(&db, config.two_factor_key.is_some()).await?;
    let files = FileStore::open(&config.data_dir, config.storage_url.as_deref())?;
    let mut state = AppState::new(db, files, config.public_url.clone());
    state.trust_forwarded_for = config.trust_forwarded_for;
    state.two_factor_key = config.two_factor_key.clone();
    jobs::spawn_housekeeping(state.clone());
    jobs::spawn_checkpoints(state.clone());
    reminders::spawn(state.clone(), config.reminders.clone());
    match &config.smtp_url {
        Some(url) => mail::spawn_worker(state.clone(), mail::Mailer::new(url, &config.mail_from)?),
        None => tracing::info!("SMTP_URL is not set: emails stay in the outbox (Settings → Email Log)"),
    }
    Ok(routes::router(state, config.leptos.clone()))
}

/// Without `TWO_FACTOR_KEY`, no one's two-factor secret opens and no one can set it up: a server
/// whose users sign in with it, or whose Admin requires it, would shut them all out. It does not
/// start, and says why.
async fn check_two_factor_key(db: &Db, has_key: bool) -> Result<(), String> {
    if has_key {
        return Ok(());
    }
    let enrolled = app::two_factor::db::enabled_users(db)
        .await
        .map_err(|e| format!("reading two-factor users: {e}"))?
        .len();
    let required = app::settings::db::flag(db, app::settings::db::REQUIRE_TWO_FACTOR)
        .await
        .map_err(|e| format!("reading settings: {e}"))?;
    if enrolled > 0 || required {
        return Err(format!(
            "TWO_FACTOR_KEY is not set, but {enrolled} staff users sign in with two-factor{}: set it to \
             the key this database was used with (without it they cannot sign in)",
            if required { " and an Admin requires it" } else { "" }
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use axum::serve::Listener;

    #[tokio::test]
    async fn accepted_connections_send_without_waiting_for_acknowledgements() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut listener = super::without_delay(listener);
        let client = tokio::spawn(tokio::net::TcpStream::connect(addr));
        let (stream, _) = listener.accept().await;
        assert!(stream.nodelay().unwrap(), "Nagle's algorithm is off");
        client.await.unwrap().unwrap();
    }
}
