//! Server functions of the Activity tab (staff only).

use super::ActivityEntry;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {crate::auth::session::require_staff, crate::customers::api::live_customer, crate::state::app_state};

/// The customer's latest 200 entries.
#[server(endpoint = "activity/of_customer")]
pub async fn customer_activity(customer_id: i64) -> Result<Vec<ActivityEntry>, AppError> {
    require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    Ok(super::db::of_customer(&db, customer_id, 200).await?)
}
