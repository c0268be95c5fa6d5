//! Server functions of Share Settings (document types, default requirements) and of the documents
//! of locations and items.

use super::{DocumentRow, DocumentType};
use crate::domain::{DocumentInput, DocumentTypeInput};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::db,
    crate::auth::session::{require_admin, require_staff},
    crate::domain::{CalendarDate, FilePurpose, Level},
    crate::state::{app_state, now_ms},
};

/// Every document type, hidden ones included (staff see which exist; forms offer shown ones).
#[server(endpoint = "documents/types")]
pub async fn list_document_types() -> Result<Vec<DocumentType>, AppError> {
    require_staff().await?;
    Ok(db::types(&app_state()?.db).await?)
}

#[server(endpoint = "documents/types/create")]
pub async fn create_document_type(document_type: DocumentTypeInput) -> Result<i64, AppError> {
    require_admin().await?;
    let db = app_state()?.db;
    let parsed = document_type.parse().map_err(AppError::Invalid)?;
    if db::type_named(&db, &parsed, None).await? {
        return Err(AppError::field(
            "name",
            format!(
                "There is already a {}-level type called {}.",
                parsed.level.key(),
                parsed.name
            ),
        ));
    }
    db::insert_type(&db, &parsed, now_ms())
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                AppError::field("name", "A type of this name was just added. Choose another name.")
            }
            _ => e.into(),
        })
}

/// Saves a type's name, description and validity. A built-in type keeps its name; no type
/// changes level (its documents would no longer fit).
#[server(endpoint = "documents/types/update")]
pub async fn update_document_type(id: i64, document_type: DocumentTypeInput) -> Result<(), AppError> {
    require_admin().await?;
    let db = app_state()?.db;
    let current = db::find_type(&db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("This document type".into()))?;
    let input = DocumentTypeInput {
        level: current.level.key().into(),
        ..document_type
    };
    let parsed = input.parse().map_err(AppError::Invalid)?;
    if current.builtin && parsed.name != current.name {
        return Err(AppError::field(
            "name",
            format!("Built-in types keep their name: {}.", current.name),
        ));
    }
    if db::type_named(&db, &parsed, Some(id)).await? {
        return Err(AppError::field(
            "name",
            format!("There is already a type called {}.", parsed.name),
        ));
    }
    db::update_type(&db, id, &parsed).await?;
    Ok(())
}

/// Hides a type from forms and requirements, or shows it again.
#[server(endpoint = "documents/types/hide")]
pub async fn set_document_type_hidden(id: i64, hidden: bool) -> Result<(), AppError> {
    require_admin().await?;
    if db::set_hidden(&app_state()?.db, id, hidden).await? {
        Ok(())
    } else {
        Err(AppError::NotFound("This document type".into()))
    }
}

#[server(endpoint = "documents/types/delete")]
pub async fn delete_document_type(id: i64) -> Result<(), AppError> {
    require_admin().await?;
    let db = app_state()?.db;
    let current = db::find_type(&db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("This document type".into()))?;
    if current.builtin {
        return Err(AppError::Refused(format!(
            "{} is built in: it can be hidden, not deleted.",
            current.name
        )));
    }
    let stored = current.documents;
    if stored > 0 {
        return Err(AppError::Refused(format!(
            "{} cannot be deleted: {} document(s) of this type are stored. Hide it instead.",
            current.name, stored
        )));
    }
    let customers = db::customers_requiring(&db, id).await?;
    if customers > 0 {
        return Err(AppError::Refused(format!(
            "{} cannot be deleted: {customers} customer(s) require it or were sent it. Hide it instead.",
            current.name
        )));
    }
    if db::delete_type(&db, id).await? {
        Ok(())
    } else {
        Err(AppError::Refused(format!(
            "{} was just given a document or required of a customer and cannot be deleted.",
            current.name
        )))
    }
}

/// "Customer Doc Requirements": `type_ids` (separated by commas) become the default requirements.
#[server(endpoint = "documents/requirements")]
pub async fn save_default_requirements(type_ids: String) -> Result<(), AppError> {
    require_admin().await?;
    let db = app_state()?.db;
    let ids = crate::listings::parse_ids(&type_ids).map_err(|e| AppError::field("type_ids", e))?;
    let known: Vec<i64> = db::types(&db)
        .await?
        .into_iter()
        .filter(|t| !t.hidden)
        .map(|t| t.id)
        .collect();
    if let Some(unknown) = ids.iter().find(|id| !known.contains(id)) {
        return Err(AppError::Refused(format!(
            "Document type {unknown} no longer exists or is hidden. Reload the page and choose again."
        )));
    }
    Ok(db::set_default_requirements(&db, &ids).await?)
}

/// The documents of a location (`level` = `location`) or an item (`item`), every version.
#[server(endpoint = "documents/list")]
pub async fn list_documents(level: String, owner_id: i64) -> Result<Vec<DocumentRow>, AppError> {
    require_staff().await?;
    let level = Level::parse(&level).map_err(|e| AppError::field("level", e))?;
    Ok(db::documents(&app_state()?.db, level, owner_id, CalendarDate::from_ms(now_ms())).await?)
}

/// Stores a document for a location or an item from a file uploaded to `/files` beforehand.
#[server(endpoint = "documents/add")]
pub async fn add_document(level: String, owner_id: i64, document: DocumentInput) -> Result<i64, AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    let level = Level::parse(&level).map_err(|e| AppError::field("level", e))?;
    if !db::owner_exists(&db, level, owner_id).await? {
        return Err(AppError::NotFound(format!("This {}", level.key())));
    }
    let mut document = document;
    let mut errors = crate::error::FieldErrors::new();
    // An empty expiry date defaults from the type's validity.
    let kind = match document.type_id.trim().parse::<i64>() {
        Ok(id) => db::find_type(&db, id).await?,
        Err(_) => None,
    };
    match &kind {
        Some(kind) if kind.level != level => errors.add(
            "type_id",
            format!(
                "{} documents belong to {}s, not {}s.",
                kind.name,
                kind.level.key(),
                level.key()
            ),
        ),
        Some(kind) if kind.hidden => errors.add(
            "type_id",
            format!(
                "{} is hidden. An Admin can show it again in Share Settings.",
                kind.name
            ),
        ),
        Some(kind) => {
            if let (true, Some(days), Ok(effective)) = (
                document.expires_on.trim().is_empty(),
                kind.validity_days,
                CalendarDate::parse(&document.effective_on, "Effective date"),
            ) {
                document.expires_on = effective.add_days(days).to_string();
            }
        }
        None if !document.type_id.trim().is_empty() => {
            errors.add("type_id", "This document type no longer exists.")
        }
        None => {}
    }
    let parsed = document.parse();
    if let Err(found) = &parsed {
        for field in ["type_id", "title", "effective_on", "expires_on", "file"] {
            if errors.get(field).is_none() {
                if let Some(message) = found.get(field) {
                    errors.add(field, message);
                }
            }
        }
    }
    if let Ok(valid) = &parsed {
        match db::find_file(&db, &valid.file_id).await? {
            Some(file) if db::is_for(&file, FilePurpose::Document) => {}
            Some(_) => errors.add(
                "file",
                "This file was uploaded as a logo; upload it again as a document.",
            ),
            None => errors.add("file", "The uploaded file was not found. Upload it again."),
        }
    }
    let valid = match parsed {
        Ok(valid) if errors.is_empty() => valid,
        _ => return Err(AppError::Invalid(errors)),
    };
    db::insert_document(&db, level, owner_id, &valid, user.id, now_ms()).await.map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => AppError::Refused(
            "Another document of this type was stored at the same moment. Reload to see it, then try again.".into(),
        ),
        // The file or the location/item went between the checks and the insert.
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
            AppError::field("file", "The uploaded file was not found. Upload it again.")
        }
        _ => e.into(),
    })
}
