//! The Clientele server: configuration, the HTTP app, and the command line's jobs.

pub mod bench;
pub mod config;
pub mod jobs;
pub mod routes;
pub mod seed;

use app::state::{AppState, Db};
use config::Config;

/// Connects to the database (migrating it) and builds the HTTP app.
pub async fn build(config: &Config) -> Result<axum::Router, sqlx::Error> {
    let db = Db::connect(&config.database_url).await?;
    jobs::spawn_housekeeping(db.clone());
    let state = AppState::new(db, config.public_url.clone());
    Ok(routes::router(state, config.leptos.clone()))
}
