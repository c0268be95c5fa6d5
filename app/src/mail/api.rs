//! Server functions for reading and resending emails.

use super::EmailRow;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::db,
    crate::auth::session::{require_admin, require_staff},
    crate::customers::api::live_customer,
    crate::state::{app_state, now_ms},
};

/// Rows per page of the Email Log.
pub const EMAIL_LOG_PAGE: i64 = 50;

/// The Messages tab: every email sent to the customer's contacts, newest first.
#[server(endpoint = "mail/of_customer")]
pub async fn customer_messages(customer_id: i64) -> Result<Vec<EmailRow>, AppError> {
    require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    Ok(db::of_customer(&db, customer_id).await?)
}

/// Settings → Email Log (Admins): every email, newest first, a page before the id `before`.
#[server(endpoint = "mail/log")]
pub async fn email_log(before: Option<i64>) -> Result<Vec<EmailRow>, AppError> {
    require_admin().await?;
    crate::paging::check_position("before", before)?;
    Ok(db::log_page(&app_state()?.db, before, EMAIL_LOG_PAGE).await?)
}

/// Queues a copy of an email to the same recipient; a sign-in link in it is made afresh.
#[server(endpoint = "mail/resend")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn resend_email(id: i64) -> Result<i64, AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    let missing = || AppError::NotFound("This email".into());
    let customer = db::customer_of(&db, id).await?.ok_or_else(missing)?;
    // Staff resend a customer's messages; other mail (e.g. to staff) is for Admins.
    match customer {
        Some(customer_id) => {
            live_customer(&db, customer_id).await?;
        }
        None => {
            require_admin().await?;
        }
    }
    db::resend(&db, id, user.id, now_ms()).await?.ok_or_else(missing)
}
