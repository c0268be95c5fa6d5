//! The Security log's server function (Admins only).

use super::SecurityLogPage;
use crate::error::AppError;
use leptos::prelude::*;

/// A page of the log, newest first, before the event `before`; only `email`'s when given.
#[server(endpoint = "settings/security_log")]
pub async fn security_log(email: String, before: Option<i64>) -> Result<SecurityLogPage, AppError> {
    crate::auth::session::require_admin().await?;
    crate::text_search::check_query("email", &email)?;
    crate::paging::check_position("before", before)?;
    let db = crate::state::app_state()?.db;
    Ok(super::db::page(&db, email.trim(), before).await?)
}
