//! Work the server does on its own, away from requests.

use app::state::{now_ms, Db};
use std::time::Duration;

/// Every hour, forgets expired sessions and failed sign-ins too old to count.
pub fn spawn_housekeeping(db: Db) {
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            let now = now_ms();
            match app::auth::db::prune(&db, now, now - app::auth::api::FAILURE_WINDOW_MS).await {
                Ok(removed) => tracing::debug!(removed, "housekeeping"),
                Err(error) => tracing::warn!(%error, "housekeeping failed; will retry in an hour"),
            }
        }
    });
}
