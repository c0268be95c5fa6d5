//! Server functions for the locations and items a customer sources and its requirements.

use super::SourcedPage;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::{db, MAX_ADD},
    crate::activity::db::{record_change, Actor, Change},
    crate::auth::session::require_staff,
    crate::customers::api::live_customer,
    crate::domain::Level,
    crate::state::{app_state, now_ms},
};

#[cfg(feature = "ssr")]
fn parse_level(level: &str) -> Result<Level, AppError> {
    Level::parse(level).map_err(|e| AppError::field("level", e))
}

/// A page of the customer's locations (`level` "location") or items ("item") with their
/// requirements: after the listing `after`, of those matching `q`.
#[server(endpoint = "requirements/sourced")]
pub async fn sourced_listings(
    customer_id: i64,
    level: String,
    #[server(default)] q: String,
    after: Option<i64>,
) -> Result<SourcedPage, AppError> {
    require_staff().await?;
    crate::text_search::check_query("q", &q)?;
    crate::paging::check_position("after", after)?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    Ok(db::sourced(&db, customer_id, parse_level(&level)?, &q, after).await?)
}

/// "+ Add Locations" / "+ Add Items": the customer sources these too, each starting with the
/// default requirements of its level. Returns how many were new.
#[server(endpoint = "requirements/add")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id, level)))]
pub async fn add_sourced(customer_id: i64, level: String, ids: Vec<i64>) -> Result<u64, AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    let level = parse_level(&level)?;
    live_customer(&db, customer_id).await?;
    if ids.is_empty() {
        return Err(AppError::Refused(format!(
            "Choose at least one {} to add.",
            level.key()
        )));
    }
    if ids.len() > MAX_ADD {
        return Err(AppError::Refused(format!(
            "At most {MAX_ADD} can be added at once."
        )));
    }
    let existing = db::existing_listings(&db, level, &ids).await?;
    if let Some(missing) = ids.iter().find(|id| !existing.contains(id)) {
        return Err(AppError::NotFound(format!(
            "The {} with id {missing}",
            level.key()
        )));
    }
    let now = now_ms();
    let mut tx = db.begin().await?;
    let mut added = Vec::new();
    for id in ids {
        if db::add(&mut tx, customer_id, level, id, now).await? {
            added.push(db::listing_name(&mut tx, level, id).await?);
        }
    }
    if !added.is_empty() {
        let change = Change {
            action: "listings_added",
            detail: format!("Added {} {}(s)", added.len(), level.key()),
            before: None,
            after: Some(added.join(", ")),
        };
        record_change(&mut tx, customer_id, &Actor::staff(&user), &change, now).await?;
    }
    tx.commit().await?;
    Ok(added.len() as u64)
}

/// Takes a location or item off the customer, with its requirements and open requests.
#[server(endpoint = "requirements/remove")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(skip_all, fields(customer_id, level, listing_id))
)]
pub async fn remove_sourced(customer_id: i64, level: String, listing_id: i64) -> Result<(), AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    let level = parse_level(&level)?;
    live_customer(&db, customer_id).await?;
    let mut tx = db.begin().await?;
    crate::customers::db::lock(&mut tx, customer_id).await?;
    let name = db::listing_name(&mut tx, level, listing_id).await?;
    if !db::remove(&mut tx, customer_id, level, listing_id).await? {
        return Err(AppError::NotFound(format!(
            "This {} of the customer",
            level.key()
        )));
    }
    let change = Change {
        action: "listing_removed",
        detail: format!(
            "Took the {} {name} off the customer, with its requirements",
            level.key()
        ),
        before: Some(name),
        after: None,
    };
    record_change(&mut tx, customer_id, &Actor::staff(&user), &change, now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// Ticks or unticks one requirement: opens a Document Request, or cancels the open one.
#[server(endpoint = "requirements/set")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(skip_all, fields(customer_id, listing_id, type_id, required))
)]
pub async fn set_requirement(
    customer_id: i64,
    level: String,
    listing_id: i64,
    type_id: i64,
    required: bool,
) -> Result<(), AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    let level = parse_level(&level)?;
    live_customer(&db, customer_id).await?;
    let kind = crate::documents::db::find_type(&db, type_id)
        .await?
        .ok_or_else(|| AppError::NotFound("This document type".into()))?;
    if kind.level != level {
        return Err(AppError::Refused(format!(
            "{} documents belong to {}s, not {}s.",
            kind.name,
            kind.level.key(),
            level.key()
        )));
    }
    let mut tx = db.begin().await?;
    crate::customers::db::lock(&mut tx, customer_id).await?;
    if !db::is_sourced(&mut tx, customer_id, level, listing_id).await? {
        return Err(AppError::NotFound(format!(
            "This {} of the customer",
            level.key()
        )));
    }
    if required && kind.hidden {
        return Err(AppError::Refused(format!(
            "{} is hidden. An Admin can show it again in Share Settings.",
            kind.name
        )));
    }
    let changed = if required {
        db::require(&mut tx, customer_id, level, listing_id, type_id, now_ms()).await?
    } else {
        db::unrequire(&mut tx, customer_id, level, listing_id, type_id).await?
    };
    if changed {
        let name = db::listing_name(&mut tx, level, listing_id).await?;
        let state = |on: bool| if on { "Required" } else { "Not required" }.to_string();
        let change = Change {
            action: "requirement_changed",
            detail: format!("{} for {name}", kind.name),
            before: Some(state(!required)),
            after: Some(state(required)),
        };
        record_change(&mut tx, customer_id, &Actor::staff(&user), &change, now_ms()).await?;
    }
    tx.commit().await?;
    Ok(())
}
