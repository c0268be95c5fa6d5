//! Previews and imports run as background tasks, so a large file neither holds a request open
//! nor freezes the page; the page polls [`Jobs`] for how far they are. The registry is per
//! server process: what is written to the database (the preview, the result) is what another
//! instance or a restarted server goes by.

use super::columns::{columns, layout, Layout};
use super::commit::{self, CommitError, Importer};
use super::table::{self, Table};
use super::{contact_rows, customer_rows, existing, ImportChoice, ImportKind, ImportStatus, Preview};
use crate::state::AppState;
use sqlx::Row;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Finished uploads remembered in memory; older ones are answered from their database row.
const KEPT: usize = 64;

#[derive(Clone, Debug, Default)]
pub struct Jobs(Arc<Mutex<BTreeMap<i64, ImportStatus>>>);

impl Jobs {
    pub fn get(&self, id: i64) -> Option<ImportStatus> {
        self.0.lock().ok()?.get(&id).cloned()
    }

    pub fn set(&self, id: i64, status: ImportStatus) {
        if let Ok(mut jobs) = self.0.lock() {
            jobs.insert(id, status);
            forget_oldest(&mut jobs);
        }
    }

    /// Sets `status` unless the upload is already being read or imported; whether it did.
    fn start(&self, id: i64, status: ImportStatus) -> bool {
        let Ok(mut jobs) = self.0.lock() else { return false };
        if jobs.get(&id).is_some_and(ImportStatus::in_progress) {
            return false;
        }
        jobs.insert(id, status);
        forget_oldest(&mut jobs);
        true
    }
}

/// Keeps at most [`KEPT`] finished uploads (the oldest go first); those under way stay.
fn forget_oldest(jobs: &mut BTreeMap<i64, ImportStatus>) {
    let finished: Vec<i64> = jobs
        .iter()
        .filter(|(_, s)| !s.in_progress())
        .map(|(id, _)| *id)
        .collect();
    for id in finished.iter().take(finished.len().saturating_sub(KEPT)) {
        jobs.remove(id);
    }
}

/// An upload as its row stores it.
#[derive(Debug, Clone)]
pub struct Upload {
    pub id: i64,
    pub kind: ImportKind,
    pub file_id: String,
    pub file_name: String,
    pub preview: Option<Preview>,
    pub imported: bool,
    pub result: Option<String>,
}

pub async fn find(state: &AppState, id: i64) -> Result<Option<Upload>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, kind, file_id, file_name, preview, imported_at, result FROM imports WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&state.db.pool)
    .await?;
    row.map(|row| {
        let kind: String = row.try_get("kind")?;
        let preview: Option<String> = row.try_get("preview")?;
        Ok(Upload {
            id: row.try_get("id")?,
            kind: ImportKind::parse(&kind).unwrap_or(ImportKind::Customers),
            file_id: row.try_get("file_id")?,
            file_name: row.try_get("file_name")?,
            preview: preview.and_then(|p| serde_json::from_str(&p).ok()),
            imported: row.try_get::<Option<i64>, _>("imported_at")?.is_some(),
            result: row.try_get("result")?,
        })
    })
    .transpose()
}

/// Reads the uploaded file into a table and matches its header to the kind's columns.
pub async fn read_file(state: &AppState, upload: &Upload) -> Result<(Table, Layout), String> {
    let bytes = state
        .files
        .read_import(&upload.file_id)
        .await
        .map_err(|e| match e {
            object_store::Error::NotFound { .. } => format!(
                "'{}' is no longer kept (uploads are kept for a day). Upload it again.",
                upload.file_name
            ),
            other => format!("'{}' could not be read back: {other}", upload.file_name),
        })?;
    let name = upload.file_name.clone();
    let kind = upload.kind;
    // Unpacking and parsing is CPU work: off the threads that serve requests.
    tokio::task::spawn_blocking(move || {
        let table = table::read(&bytes, &name)?;
        let layout = layout(columns(kind), &table.header).map_err(|e| format!("'{name}': {e}"))?;
        Ok((table, layout))
    })
    .await
    .map_err(|e| format!("'{}' could not be read: {e}", upload.file_name))?
}

/// What importing the file's table now would do, with its bad rows.
pub async fn check(
    state: &AppState,
    upload: &Upload,
    (table, layout): (Table, Layout),
) -> Result<(Preview, Vec<super::plan::BadRow>), String> {
    let mut conn = state.db.pool.acquire().await.map_err(|e| e.to_string())?;
    let existing = existing::load(&mut conn).await.map_err(|e| e.to_string())?;
    drop(conn);
    let (kind, name) = (upload.kind, upload.file_name.clone());
    tokio::task::spawn_blocking(move || match kind {
        ImportKind::Customers => {
            let plan = customer_rows::plan(&table, &layout, &name, &existing);
            (plan.preview, plan.bad)
        }
        ImportKind::Contacts => {
            let plan = contact_rows::plan(&table, &layout, &name, &existing);
            (plan.preview, plan.bad)
        }
    })
    .await
    .map_err(|e| e.to_string())
}

/// Starts reading and checking an upload, unless that is under way.
pub fn spawn_preview(state: &AppState, upload: Upload) {
    if !state.imports.start(upload.id, ImportStatus::Reading) {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        let checked = async {
            let read = read_file(&state, &upload).await?;
            state.imports.set(
                upload.id,
                ImportStatus::Checking {
                    rows: read.0.rows.len(),
                },
            );
            check(&state, &upload, read).await
        };
        let status = match checked.await {
            Ok((preview, _)) => {
                let stored = serde_json::to_string(&preview).unwrap_or_default();
                let saved = sqlx::query("UPDATE imports SET preview = $1 WHERE id = $2")
                    .bind(stored)
                    .bind(upload.id)
                    .execute(&state.db.pool)
                    .await;
                if let Err(error) = saved {
                    tracing::warn!(%error, import = upload.id, "preview not saved");
                }
                ImportStatus::Previewed(preview)
            }
            Err(message) => ImportStatus::Failed {
                message,
                preview: None,
            },
        };
        state.imports.set(upload.id, status);
    });
}

/// Starts the import of a previewed upload; `false` when one is under way already.
pub fn spawn_import(
    state: &AppState,
    upload: Upload,
    preview: Preview,
    choice: ImportChoice,
    importer: Importer,
) -> bool {
    let total = preview.new + preview.existing;
    let importing = ImportStatus::Importing {
        done: 0,
        total,
        preview: preview.clone(),
    };
    if !state.imports.start(upload.id, importing) {
        return false;
    }
    let state = state.clone();
    tokio::spawn(async move {
        let id = upload.id;
        let failed = |message: String, preview: Preview| ImportStatus::Failed {
            message,
            preview: Some(preview),
        };
        let status = match read_file(&state, &upload).await {
            Err(message) => failed(message, preview),
            Ok((table, layout)) => {
                let jobs = state.imports.clone();
                let shown = preview.clone();
                let progress = move |done: usize, total: usize| {
                    jobs.set(
                        id,
                        ImportStatus::Importing {
                            done,
                            total,
                            preview: shown.clone(),
                        },
                    )
                };
                match commit::import(
                    &state.db,
                    id,
                    upload.kind,
                    &table,
                    &layout,
                    choice,
                    &importer,
                    &progress,
                )
                .await
                {
                    Ok((report, preview)) => ImportStatus::Imported { report, preview },
                    Err(CommitError::Refused(message)) => failed(message, preview),
                    Err(CommitError::Database(error)) => {
                        let reference = crate::error::AppError::internal(error);
                        failed(
                            format!("The import failed and nothing was stored. {reference}"),
                            preview,
                        )
                    }
                }
            }
        };
        state.imports.set(id, status);
    });
    true
}
