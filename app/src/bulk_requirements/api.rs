//! Server functions of Bulk Configure Customer Requirements.

use super::{BulkOutcome, Candidates};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::{db, Candidate, SHOWN},
    crate::activity::db::Actor,
    crate::auth::session::{require_admin, require_staff},
    crate::customers::ListQuery,
    crate::state::{app_state, now_ms},
};

#[cfg(feature = "ssr")]
fn list_query(q: &str, status: &str) -> Result<ListQuery, AppError> {
    if !matches!(status, "" | "all" | "active" | "inactive" | "pending") {
        return Err(AppError::field(
            "status",
            "Choose a status: all, active, inactive or pending.",
        ));
    }
    Ok(ListQuery::from_params(|key| match key {
        "q" => Some(q.to_string()),
        "status" => Some(status.to_string()),
        _ => None,
    }))
}

/// The customers of a search (`q`, `status` as in the Customers list): how many, and the first.
#[server(endpoint = "bulk_requirements/customers")]
pub async fn bulk_candidates(q: String, status: String) -> Result<Candidates, AppError> {
    require_staff().await?;
    crate::text_search::check_query("q", &q)?;
    let db = app_state()?.db;
    let query = list_query(&q, &status)?;
    // The first customers as the list's first page finds them; the count from the same search.
    let page = crate::customers::db::list_page(&db, &query).await?;
    let total = crate::customers::db::count_matching(&db, &query).await?;
    let first = page
        .rows
        .into_iter()
        .take(SHOWN)
        .map(|c| Candidate {
            id: c.id,
            name: c.name,
            account_number: c.account_number,
            city: c.city,
        })
        .collect();
    Ok(Candidates { total, first })
}

/// "Apply": adds (`add`) or removes requirements of `type_ids` for every location and item of
/// the customers of the search, or of `customer_ids` among them when any are given.
#[server(endpoint = "bulk_requirements/apply")]
pub async fn apply_bulk_requirements(
    q: String,
    status: String,
    #[server(default)] customer_ids: Vec<i64>,
    #[server(default)] type_ids: Vec<i64>,
    add: bool,
) -> Result<BulkOutcome, AppError> {
    let user = require_admin().await?;
    crate::text_search::check_query("q", &q)?;
    let query = list_query(&q, &status)?;
    AppError::check_list_len(
        "customer_ids",
        &customer_ids,
        crate::customers::MAX_BULK,
        "customers",
    )?;
    AppError::check_list_len("type_ids", &type_ids, 200, "document types")?;
    let db = app_state()?.db;
    if type_ids.is_empty() {
        return Err(AppError::field("type_ids", "Choose at least one document type."));
    }
    let mut types = Vec::new();
    for id in &type_ids {
        let found = crate::documents::db::find_type(&db, *id).await?.ok_or_else(|| {
            AppError::field(
                "type_ids",
                "A chosen document type no longer exists. Reload the page.",
            )
        })?;
        if add && found.hidden {
            return Err(AppError::field(
                "type_ids",
                format!(
                    "'{}' is hidden in Share Settings: show it again before requiring it.",
                    found.name
                ),
            ));
        }
        types.push((found.id, found.level, found.name));
    }
    let customers = crate::customers::db::matching_ids(&db, &query, &customer_ids).await?;
    if customers.is_empty() {
        return Err(AppError::field(
            "customers",
            "No customer matches: change the search, or tick customers.",
        ));
    }
    let actor = Actor {
        staff_user_id: Some(user.id),
        contact_id: None,
        name: &user.name,
    };
    Ok(db::apply(&db, &customers, &types, add, &actor, now_ms()).await?)
}
