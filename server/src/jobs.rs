//! Work the server does on its own, away from requests.

use app::state::{now_ms, AppState};
use std::time::Duration;

/// At start and every hour: refreshes the database's statistics where they are stale, and forgets
/// expired sessions (staff and contacts), old links, failed sign-ins too old to count, and uploads
/// abandoned before their form was sent.
pub fn spawn_housekeeping(state: AppState) {
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            if let Err(error) = state.db.refresh_statistics().await {
                tracing::warn!(%error, "refreshing the database's statistics failed; will retry in an hour");
            }
            let now = now_ms();
            match prune_sign_ins(&state.db, now).await {
                Ok(removed) => tracing::debug!(removed, "housekeeping"),
                Err(error) => tracing::warn!(%error, "housekeeping failed; will retry in an hour"),
            }
            match app::retrieval::db::prune(&state.db, now).await {
                Ok(removed) => tracing::debug!(removed, "expired contact sessions and links removed"),
                Err(error) => {
                    tracing::warn!(%error, "removing expired contact sessions failed; will retry in an hour")
                }
            }
            match app::documents::files::prune_abandoned(&state).await {
                Ok(removed) => tracing::debug!(removed, "abandoned uploads removed"),
                Err(error) => {
                    tracing::warn!(%error, "removing abandoned uploads failed; will retry in an hour")
                }
            }
        }
    });
}

/// Every second: the SQLite write-ahead log copied into the database file (see
/// [`app::state::Db::checkpoint`]). A second's writes are a few hundred pages at most.
pub fn spawn_checkpoints(state: AppState) {
    if state.db.backend != app::state::Backend::Sqlite {
        return;
    }
    tokio::spawn(async move {
        let mut every_second = tokio::time::interval(Duration::from_secs(1));
        every_second.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // Said once when checkpoints start failing and once when they work again, not every second.
        let mut failing = false;
        loop {
            every_second.tick().await;
            match state.db.checkpoint().await {
                Err(error) if !failing => {
                    failing = true;
                    tracing::warn!(%error, "checkpointing the database failed; retrying every second");
                }
                Ok(()) if failing => {
                    failing = false;
                    tracing::info!("checkpointing the database works again");
                }
                _ => {}
            }
        }
    });
}

/// Expired staff sessions and reset links, failed sign-ins past their window, and browsers long
/// unused.
async fn prune_sign_ins(db: &app::state::Db, now: i64) -> Result<u64, sqlx::Error> {
    Ok(app::auth::db::prune(db, now).await?
        + app::auth::throttle::prune(db, now).await?
        + app::password_reset::db::prune(db, now).await?
        + app::two_factor::db::prune(db, now).await?
        + app::security_log::db::prune(db, now).await?)
}
