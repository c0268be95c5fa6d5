//! Server functions of a customer's Ship-To Locations (staff only).

use super::ShipTo;
use crate::domain::ShipToInput;
use crate::error::AppError;
use crate::ui::SaveOutcome;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::db,
    crate::auth::session::require_staff,
    crate::customers::api::live_customer,
    crate::state::{app_state, now_ms, Db},
};

#[server(endpoint = "ship_to/of_customer")]
pub async fn ship_to_locations(customer_id: i64) -> Result<Vec<ShipTo>, AppError> {
    require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let mut conn = db.pool.acquire().await?;
    Ok(db::of_customer(&mut conn, customer_id).await?)
}

#[server(endpoint = "ship_to/add")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id)))]
pub async fn add_ship_to(customer_id: i64, ship_to: ShipToInput) -> Result<i64, AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let ship_to = ship_to.parse().map_err(AppError::Invalid)?;
    let mut tx = db.begin().await?;
    let id = db::insert(&mut tx, customer_id, &ship_to, now_ms()).await?;
    let added = db::find(&mut tx, id).await?.map(|s| describe(&s));
    record_ship_to(
        &mut tx,
        customer_id,
        &user,
        "Added a Ship-To Location",
        None,
        added,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves over `version`, the version the form was filled from.
#[server(endpoint = "ship_to/update")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn update_ship_to(
    id: i64,
    version: i64,
    ship_to: ShipToInput,
) -> Result<SaveOutcome<ShipTo>, AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    let missing = || AppError::NotFound("This Ship-To Location".into());
    let current = of_live_customer(&db, id).await?;
    if current.version != version {
        return Ok(SaveOutcome::Conflict(current));
    }
    let ship_to = ship_to.parse().map_err(AppError::Invalid)?;
    let mut tx = db.begin().await?;
    let saved = db::update(&mut tx, id, version, &ship_to, now_ms()).await?;
    let latest = db::find(&mut tx, id).await?.ok_or_else(missing)?;
    if saved && describe(&current) != describe(&latest) {
        let (before, after) = (Some(describe(&current)), Some(describe(&latest)));
        record_ship_to(
            &mut tx,
            current.customer_id,
            &user,
            "Edited a Ship-To Location",
            before,
            after,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(if saved {
        SaveOutcome::Saved(latest)
    } else {
        SaveOutcome::Conflict(latest)
    })
}

#[server(endpoint = "ship_to/default")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn make_default_ship_to(id: i64) -> Result<(), AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    let ship_to = of_live_customer(&db, id).await?;
    let mut tx = db.begin().await?;
    db::make_default(&mut tx, ship_to.customer_id, id).await?;
    let detail = format!("Made {} the default Ship-To Location", ship_to.name);
    record_ship_to(&mut tx, ship_to.customer_id, &user, &detail, None, None).await?;
    tx.commit().await?;
    Ok(())
}

/// Orders placed to it keep their copy of the address.
#[server(endpoint = "ship_to/remove")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn remove_ship_to(id: i64) -> Result<(), AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    let ship_to = of_live_customer(&db, id).await?;
    let mut tx = db.begin().await?;
    db::delete(&mut tx, &ship_to).await?;
    let removed = Some(describe(&ship_to));
    record_ship_to(
        &mut tx,
        ship_to.customer_id,
        &user,
        "Removed a Ship-To Location",
        removed,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The Ship-To Location, if its customer is not in the Trash. Read before a change's transaction:
/// on SQLite a transaction that reads first cannot write once another writer committed.
#[cfg(feature = "ssr")]
async fn of_live_customer(db: &Db, id: i64) -> Result<ShipTo, AppError> {
    let mut conn = db.pool.acquire().await?;
    let ship_to = db::find(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound("This Ship-To Location".into()))?;
    drop(conn);
    live_customer(db, ship_to.customer_id).await?;
    Ok(ship_to)
}

/// "Name: address", as the Activity log shows a Ship-To Location.
#[cfg(feature = "ssr")]
fn describe(ship_to: &ShipTo) -> String {
    format!("{}: {}", ship_to.name, ship_to.address_line())
}

#[cfg(feature = "ssr")]
async fn record_ship_to(
    tx: &mut sqlx::AnyConnection,
    customer_id: i64,
    user: &crate::auth::CurrentUser,
    detail: &str,
    before: Option<String>,
    after: Option<String>,
) -> Result<(), AppError> {
    let change = crate::activity::db::Change {
        action: "ship_to_changed",
        detail: detail.to_string(),
        before,
        after,
    };
    crate::activity::db::record_change(
        tx,
        customer_id,
        &crate::activity::db::Actor::staff(user),
        &change,
        now_ms(),
    )
    .await?;
    Ok(())
}
