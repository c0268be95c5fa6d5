//! Server functions of the customer's Documents tab (staff only).

use super::CustomerFile;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::db,
    crate::activity::db::{record_change, Actor, Change},
    crate::auth::session::require_staff,
    crate::customers::api::live_customer,
    crate::domain::{required_line, FilePurpose},
    crate::error::FieldErrors,
    crate::state::{app_state, now_ms},
};

#[server(endpoint = "customer_files/of_customer")]
pub async fn customer_files(customer_id: i64) -> Result<Vec<CustomerFile>, AppError> {
    require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let mut conn = db.pool.acquire().await?;
    Ok(db::of_customer(&mut conn, customer_id).await?)
}

/// Attaches an uploaded file (purpose `document`) to the customer under a title.
#[server(endpoint = "customer_files/add")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id)))]
pub async fn add_customer_file(customer_id: i64, title: String, file_id: String) -> Result<i64, AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let mut errors = FieldErrors::new();
    let title = errors.check("title", required_line(&title, "Title", 200));
    let file = match crate::domain::file_id(&file_id) {
        Ok(id) => crate::documents::db::find_file(&db, &id)
            .await?
            .filter(|f| crate::documents::db::is_for(f, FilePurpose::Document)),
        Err(_) => None,
    };
    if file.is_none() {
        errors.add("file", "Choose a file to upload, and wait until it is uploaded.");
    }
    let (Some(title), Some(file)) = (title, file) else {
        return Err(AppError::Invalid(errors));
    };
    let now = now_ms();
    let mut tx = db.begin().await?;
    let id = db::insert(&mut tx, customer_id, &file.id, &title, &user, now)
        .await
        .map_err(|error| match &error {
            // The upload was swept as abandoned while the form stood open.
            sqlx::Error::Database(e) if e.is_foreign_key_violation() => {
                AppError::field("file", "The uploaded file was not found. Upload it again.")
            }
            _ => AppError::internal(error),
        })?;
    let change = Change {
        action: "customer_file_added",
        detail: format!("Attached the document {title}"),
        before: None,
        after: Some(format!("{title} ({})", file.file_name)),
    };
    record_change(&mut tx, customer_id, &Actor::staff(&user), &change, now).await?;
    tx.commit().await?;
    Ok(id)
}

#[server(endpoint = "customer_files/remove")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn remove_customer_file(id: i64) -> Result<(), AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    let mut conn = db.pool.acquire().await?;
    let (customer_id, title) = db::find(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound("This document".into()))?;
    drop(conn);
    live_customer(&db, customer_id).await?;
    let mut tx = db.begin().await?;
    if !db::delete(&mut tx, id).await? {
        return Err(AppError::NotFound("This document".into()));
    }
    let change = Change {
        action: "customer_file_removed",
        detail: format!("Removed the document {title}"),
        before: Some(title),
        after: None,
    };
    record_change(&mut tx, customer_id, &Actor::staff(&user), &change, now_ms()).await?;
    tx.commit().await?;
    Ok(())
}
