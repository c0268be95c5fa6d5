//! Server functions of the import pages: start a preview of an uploaded file, ask how it
//! stands, import it.

use super::ImportStatus;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::jobs::{self, Upload},
    super::{commit::Importer, ImportChoice, ImportKind, ImportReport, Preview},
    crate::auth::session::require_staff,
    crate::state::{app_state, now_ms},
};

/// Starts the preview of a spreadsheet uploaded for import (`file_id` from the upload);
/// returns the import's id.
#[server(endpoint = "imports/start")]
pub async fn start_import(kind: String, file_id: String, file_name: String) -> Result<i64, AppError> {
    let user = require_staff().await?;
    let state = app_state()?;
    let kind = ImportKind::parse(&kind).ok_or_else(|| AppError::field("file", "Unknown kind of import."))?;
    let file_id = crate::domain::file_id(&file_id).map_err(|m| AppError::field("file", m))?;
    let file_name = file_name.trim();
    if file_name.is_empty() || file_name.chars().count() > 255 {
        return Err(AppError::field(
            "file",
            "The file needs a name of at most 255 characters.",
        ));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO imports (kind, file_id, file_name, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(kind.key())
    .bind(file_id.clone())
    .bind(file_name.to_string())
    .bind(user.id)
    .bind(now_ms())
    .fetch_one(&state.db.pool)
    .await?;
    jobs::spawn_preview(
        &state,
        Upload {
            id,
            kind,
            file_id,
            file_name: file_name.to_string(),
            preview: None,
            imported: false,
            result: None,
        },
    );
    Ok(id)
}

#[cfg(feature = "ssr")]
async fn upload(id: i64) -> Result<Upload, AppError> {
    jobs::find(&app_state()?, id)
        .await?
        .ok_or_else(|| AppError::NotFound("This upload".into()))
}

/// How an upload stands: being read, previewed, importing, imported or failed.
#[server(endpoint = "imports/status")]
pub async fn upload_status(id: i64) -> Result<ImportStatus, AppError> {
    require_staff().await?;
    let state = app_state()?;
    if let Some(status) = state.imports.get(id) {
        return Ok(status);
    }
    // Not known to this process (another instance, or a restart): the row tells.
    let upload = upload(id).await?;
    if let Some(result) = &upload.result {
        let (report, preview): (ImportReport, Preview) =
            serde_json::from_str(result).map_err(AppError::internal)?;
        return Ok(ImportStatus::Imported { report, preview });
    }
    if let Some(preview) = upload.preview.clone() {
        return Ok(ImportStatus::Previewed(preview));
    }
    jobs::spawn_preview(&state, upload);
    Ok(ImportStatus::Reading)
}

/// "Import": stores the previewed rows as chosen, in one transaction, in the background.
#[server(endpoint = "imports/run")]
pub async fn run_import(id: i64, update_existing: bool, good_rows_only: bool) -> Result<(), AppError> {
    let choice = ImportChoice {
        update_existing,
        good_rows_only,
    };
    let user = require_staff().await?;
    let state = app_state()?;
    let upload = upload(id).await?;
    if upload.imported {
        return Err(AppError::Refused("This file has been imported already.".into()));
    }
    let Some(preview) = upload.preview.clone() else {
        return Err(AppError::Refused(
            "The file is still being checked. Wait for its preview.".into(),
        ));
    };
    let importer = Importer {
        user_id: user.id,
        name: user.name,
    };
    if !jobs::spawn_import(&state, upload, preview, choice, importer) {
        return Err(AppError::Refused("This file is being imported already.".into()));
    }
    Ok(())
}
