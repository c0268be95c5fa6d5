//! Server functions of the Activity tab (staff) and the Activity Log across customers (Admins).

use super::{ActivityEntry, ActivityFilter, LogPage};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    crate::auth::session::{require_admin, require_staff},
    crate::customers::api::live_customer,
    crate::domain::CalendarDate,
    crate::error::FieldErrors,
    crate::state::app_state,
};

/// Entries per page of the Activity Log.
pub const LOG_PAGE_SIZE: i64 = 50;

/// The customer's latest 200 entries.
#[server(endpoint = "activity/of_customer")]
pub async fn customer_activity(customer_id: i64) -> Result<Vec<ActivityEntry>, AppError> {
    require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    Ok(super::db::of_customer(&db, customer_id, 200).await?)
}

/// One page of the Activity Log, newest first, filtered.
#[server(endpoint = "activity/log", input = leptos::server_fn::codec::Json)]
pub async fn activity_log(filter: ActivityFilter) -> Result<LogPage, AppError> {
    require_admin().await?;
    crate::text_search::check_query("customer", &filter.customer)?;
    let query = log_query(&filter)?;
    let mut rows = super::db::log(&app_state()?.db, &query, LOG_PAGE_SIZE + 1).await?;
    let next_before = crate::paging::next_cursor(&mut rows, LOG_PAGE_SIZE as usize, |r| r.entry.id);
    Ok(LogPage { rows, next_before })
}

/// The filter as typed, or the messages for the fields at fault.
#[cfg(feature = "ssr")]
fn log_query(filter: &ActivityFilter) -> Result<super::db::LogQuery, AppError> {
    let mut errors = FieldErrors::new();
    let mut day = |raw: &str, field: &str, what: &str| match raw.trim() {
        "" => None,
        text => errors
            .check(field, CalendarDate::parse(text, what))
            .map(|d| d.days() * 86_400_000),
    };
    let from = day(&filter.from, "from", "From");
    let until = day(&filter.to, "to", "To").map(|d| d + 86_400_000);
    let action = Some(filter.action.trim())
        .filter(|a| !a.is_empty())
        .map(str::to_string);
    if action.as_deref().is_some_and(|a| !super::kinds::is_kind(a)) {
        errors.add("action", "Choose a kind of change from the list.");
    }
    let staff_user_id = match filter.who.trim() {
        "" => None,
        id => match id.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.add("who", "Choose a user from the list.");
                None
            }
        },
    };
    if let (Some(from), Some(until)) = (from, until) {
        if until <= from {
            errors.add("to", "To must be on or after From.");
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(super::db::LogQuery {
        customer_id: None,
        customer_words: crate::text_search::words(&filter.customer),
        action,
        staff_user_id,
        from,
        until,
        before: filter.before,
    })
}
