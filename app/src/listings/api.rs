//! Server functions of Listings > Locations and Listings > Items.

use super::{Item, ItemRow, Location, LocationRow, Page};
use crate::domain::{ItemInput, LocationInput};
use crate::error::AppError;
use crate::ui::SaveOutcome;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::db::{self, Listing},
    super::parse_ids,
    crate::auth::session::{require_admin, require_staff},
    crate::domain::{ValidItem, ValidLocation},
    crate::state::{app_state, now_ms, Db},
};

#[server(endpoint = "listings/locations/list")]
pub async fn list_locations(q: String, page: i64) -> Result<Page<LocationRow>, AppError> {
    require_staff().await?;
    crate::text_search::check_query("q", &q)?;
    crate::paging::check_page(page)?;
    Ok(db::location_page(&app_state()?.db, &q, page).await?)
}

/// Every location's id and name, for choosing some.
#[server(endpoint = "listings/locations/all")]
pub async fn all_locations() -> Result<Vec<(i64, String)>, AppError> {
    require_staff().await?;
    Ok(db::all_locations(&app_state()?.db).await?)
}

#[server(endpoint = "listings/locations/get")]
pub async fn get_location(id: i64) -> Result<Location, AppError> {
    require_staff().await?;
    db::find_location(&app_state()?.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("This location".into()))
}

#[server(endpoint = "listings/locations/create")]
pub async fn create_location(location: LocationInput) -> Result<i64, AppError> {
    require_staff().await?;
    let db = app_state()?.db;
    let location = parse_location(&db, &location, None).await?;
    db::insert_location(&db, &location, now_ms())
        .await
        .map_err(|e| taken(e, "code", "internal code"))
}

/// Saves the location page's form over `version`, the version the form was filled from.
#[server(endpoint = "listings/locations/update")]
pub async fn update_location(
    id: i64,
    version: i64,
    location: LocationInput,
) -> Result<SaveOutcome<Location>, AppError> {
    require_staff().await?;
    let db = app_state()?.db;
    let missing = || AppError::NotFound("This location".into());
    let current = db::find_location(&db, id).await?.ok_or_else(missing)?;
    if current.version != version {
        return Ok(SaveOutcome::Conflict(current));
    }
    let location = parse_location(&db, &location, Some(id)).await?;
    let saved = db::update_location(&db, id, version, &location, now_ms())
        .await
        .map_err(|e| taken(e, "code", "internal code"))?;
    let latest = db::find_location(&db, id).await?.ok_or_else(missing)?;
    Ok(if saved {
        SaveOutcome::Saved(latest)
    } else {
        SaveOutcome::Conflict(latest)
    })
}

/// Deletes a location for good (Admins only); refused while anything uses it.
#[server(endpoint = "listings/locations/delete")]
pub async fn delete_location(id: i64) -> Result<(), AppError> {
    require_admin().await?;
    let db = app_state()?.db;
    let location = db::find_location(&db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("This location".into()))?;
    refuse_if_used(db::uses(&db, Listing::Location, id).await?, &location.name)?;
    delete_unused(&db, Listing::Location, id, &location.name).await
}

#[server(endpoint = "listings/items/list")]
pub async fn list_items(q: String, page: i64) -> Result<Page<ItemRow>, AppError> {
    require_staff().await?;
    crate::text_search::check_query("q", &q)?;
    crate::paging::check_page(page)?;
    Ok(db::item_page(&app_state()?.db, &q, page).await?)
}

#[server(endpoint = "listings/items/get")]
pub async fn get_item(id: i64) -> Result<Item, AppError> {
    require_staff().await?;
    db::find_item(&app_state()?.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("This item".into()))
}

/// Creates an item; `location_ids` lists the locations producing it, separated by commas.
#[server(endpoint = "listings/items/create")]
pub async fn create_item(
    item: ItemInput,
    location_ids: String,
    active: Option<String>,
) -> Result<i64, AppError> {
    require_staff().await?;
    let db = app_state()?.db;
    let (item, location_ids) = parse_item(&db, &item, &location_ids, None).await?;
    db::insert_item(&db, &item, active.is_some(), &location_ids, now_ms())
        .await
        .map_err(|e| taken(e, "sku", "SKU"))
}

/// Saves the item page's form over `version`, the version the form was filled from.
#[server(endpoint = "listings/items/update")]
pub async fn update_item(
    id: i64,
    version: i64,
    item: ItemInput,
    location_ids: String,
    active: Option<String>,
) -> Result<SaveOutcome<Item>, AppError> {
    require_staff().await?;
    let db = app_state()?.db;
    let missing = || AppError::NotFound("This item".into());
    let current = db::find_item(&db, id).await?.ok_or_else(missing)?;
    if current.version != version {
        return Ok(SaveOutcome::Conflict(current));
    }
    let (item, location_ids) = parse_item(&db, &item, &location_ids, Some(id)).await?;
    let saved = db::update_item(&db, id, version, &item, active.is_some(), &location_ids, now_ms())
        .await
        .map_err(|e| taken(e, "sku", "SKU"))?;
    let latest = db::find_item(&db, id).await?.ok_or_else(missing)?;
    Ok(if saved {
        SaveOutcome::Saved(latest)
    } else {
        SaveOutcome::Conflict(latest)
    })
}

/// Deletes an item for good (Admins only); refused while anything uses it.
#[server(endpoint = "listings/items/delete")]
pub async fn delete_item(id: i64) -> Result<(), AppError> {
    require_admin().await?;
    let db = app_state()?.db;
    let item = db::find_item(&db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("This item".into()))?;
    refuse_if_used(db::uses(&db, Listing::Item, id).await?, &item.name)?;
    delete_unused(&db, Listing::Item, id, &item.name).await
}

#[cfg(feature = "ssr")]
async fn parse_location(
    db: &Db,
    input: &LocationInput,
    except: Option<i64>,
) -> Result<ValidLocation, AppError> {
    let location = input.parse().map_err(AppError::Invalid)?;
    if let Some(code_key) = location.code_key() {
        if let Some(holder) = db::code_holder(db, &code_key, except).await? {
            return Err(AppError::field(
                "code",
                format!("Internal code {} is already used by {holder}.", code_key),
            ));
        }
    }
    Ok(location)
}

#[cfg(feature = "ssr")]
async fn parse_item(
    db: &Db,
    input: &ItemInput,
    location_ids: &str,
    except: Option<i64>,
) -> Result<(ValidItem, Vec<i64>), AppError> {
    let mut errors = crate::error::FieldErrors::new();
    let item = input.parse().map_err(|e| errors = e).ok();
    let ids = errors.check("location_ids", parse_ids(location_ids));
    if let Some(ids) = &ids {
        if db::count_locations(db, ids).await? != ids.len() as i64 {
            errors.add(
                "location_ids",
                "One of the chosen locations was deleted. Reload the page and choose again.",
            );
        }
    }
    // The SKU is checked for a holder even when other fields are wrong: all is said at once.
    let sku = input.sku.trim();
    if errors.get("sku").is_none() {
        if let Some(holder) = db::sku_holder(db, &sku.to_uppercase(), except).await? {
            errors.add("sku", format!("SKU {sku} is already used by {holder}."));
        }
    }
    match (item, ids) {
        (Some(item), Some(ids)) if errors.is_empty() => Ok((item, ids)),
        _ => Err(AppError::Invalid(errors)),
    }
}

#[cfg(feature = "ssr")]
fn refuse_if_used(uses: db::Uses, name: &str) -> Result<(), AppError> {
    if uses.0.is_empty() {
        return Ok(());
    }
    Err(AppError::Refused(format!(
        "{name} cannot be deleted while it is in use: by {}. Remove it from those first.",
        uses.0.join("; ")
    )))
}

#[cfg(feature = "ssr")]
async fn delete_unused(db: &Db, listing: Listing, id: i64, name: &str) -> Result<(), AppError> {
    match db::delete(db, listing, id).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(AppError::NotFound(name.to_string())),
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => Err(AppError::Refused(format!(
            "{name} was just put to use (by a customer or a document) and cannot be deleted."
        ))),
        Err(e) => Err(e.into()),
    }
}

/// A save that lost a race for a unique value is told so at the field.
#[cfg(feature = "ssr")]
fn taken(error: sqlx::Error, field: &str, what: &str) -> AppError {
    match &error {
        sqlx::Error::Database(e) if e.is_unique_violation() => AppError::field(
            field,
            format!("This {what} was just given to another one. Choose another."),
        ),
        _ => AppError::internal(error),
    }
}
