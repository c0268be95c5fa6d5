//! Stored files: streamed in at `POST /files`, out at `GET /files/{id}`.
//!
//! Bytes go to an object store (a folder under `DATA_DIR` by default, S3-compatible storage by
//! configuration) named by their SHA-256, so the same file uploaded twice is stored once; the
//! database keeps the name, type and size. An upload streams through a hasher into a temporary
//! object and is moved into place when complete, so neither memory nor a broken upload holds a
//! file whole.

use super::db::{self, FileRecord};
use super::UploadedFile;
use crate::auth::session::staff_from_headers;
use crate::domain::{content_fits, too_large, FilePurpose};
use crate::error::AppError;
use crate::state::{now_ms, AppState};
use axum::body::Body;
use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::StreamExt;
use object_store::path::Path;
use object_store::{ObjectStore, WriteMultipart};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Where file bytes live.
#[derive(Clone, Debug)]
pub struct FileStore {
    store: Arc<dyn ObjectStore>,
    /// The folder of a local store, where interrupted uploads leave their parts.
    folder: Option<std::path::PathBuf>,
}

impl FileStore {
    /// `url` is `s3://bucket/prefix` (credentials and endpoint from the `AWS_*` variables) or
    /// absent for the folder `<data_dir>/files`.
    pub fn open(data_dir: &str, url: Option<&str>) -> Result<FileStore, String> {
        let mut local = None;
        let store: Arc<dyn ObjectStore> = match url {
            Some(url) if url.starts_with("s3://") => {
                let (bucket, prefix) = url["s3://".len()..]
                    .split_once('/')
                    .unwrap_or((&url["s3://".len()..], ""));
                let s3 = object_store::aws::AmazonS3Builder::from_env()
                    .with_bucket_name(bucket)
                    .build()
                    .map_err(|e| format!("STORAGE_URL {url}: {e}"))?;
                match prefix.trim_matches('/') {
                    "" => Arc::new(s3),
                    prefix => Arc::new(object_store::prefix::PrefixStore::new(s3, prefix)),
                }
            }
            Some(url) => return Err(format!("STORAGE_URL must start with s3://, not '{url}'")),
            None => {
                let folder = std::path::Path::new(data_dir).join("files");
                std::fs::create_dir_all(&folder)
                    .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
                let store = object_store::local::LocalFileSystem::new_with_prefix(&folder)
                    .map_err(|e| format!("{}: {e}", folder.display()))?;
                local = Some(folder);
                Arc::new(store)
            }
        };
        Ok(FileStore { store, folder: local })
    }

    /// Removes files older than `before` (ms) from `incoming/` (what uploads cut off by a crash
    /// left) and `imports/` (spreadsheets uploaded for import) of a local store. The object store
    /// cannot list unfinished parts, so the folders are read directly. An S3 bucket sweeps them by
    /// its lifecycle rules.
    pub fn sweep_incoming(&self, before: i64) -> std::io::Result<usize> {
        let Some(folder) = &self.folder else {
            return Ok(0);
        };
        let before = std::time::UNIX_EPOCH + std::time::Duration::from_millis(before.max(0) as u64);
        let mut removed = 0;
        for name in ["incoming", "imports"] {
            let entries = match std::fs::read_dir(folder.join(name)) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            for entry in entries {
                let entry = entry?;
                let modified = entry.metadata()?.modified()?;
                if entry.file_type()?.is_file() && modified < before {
                    std::fs::remove_file(entry.path())?;
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }

    /// Where a spreadsheet uploaded for import is kept until it is imported (a day at most).
    fn import(id: &str) -> Path {
        Path::from(format!("imports/{id}"))
    }

    /// The bytes of a spreadsheet uploaded for import.
    pub async fn read_import(&self, id: &str) -> Result<Vec<u8>, object_store::Error> {
        Ok(self
            .store
            .get(&FileStore::import(id))
            .await?
            .bytes()
            .await?
            .to_vec())
    }

    /// Makes sure what is at `path` is on the disk, not only in the operating system's memory,
    /// before the database says it exists: a power cut after the commit must not leave a record
    /// without its bytes. `Bytes` syncs the file's bytes (before it is moved into place, outside
    /// any transaction: a 25 MB file takes a while); `Name` syncs its folder, where its name is
    /// (after the move, cheap). S3 stores have it durably once put.
    pub async fn sync(&self, path: &Path, what: Durable) -> std::io::Result<()> {
        let Some(folder) = &self.folder else {
            return Ok(());
        };
        let file = folder.join(path.as_ref());
        tokio::task::spawn_blocking(move || match what {
            Durable::Bytes => std::fs::File::open(&file)?.sync_all(),
            Durable::Name => match file.parent() {
                Some(parent) => std::fs::File::open(parent)?.sync_all(),
                None => Ok(()),
            },
        })
        .await
        .map_err(std::io::Error::other)?
    }

    fn blob(sha256: &str) -> Path {
        Path::from(format!("blobs/{sha256}"))
    }

    /// Puts the complete, synced upload at `from` in place as the blob of its bytes, its name
    /// synced too; the upload stays at `from`. A local store links it (the blob may be there
    /// already: the same bytes); S3 copies it.
    async fn place(&self, from: &Path, sha256: &str) -> Result<(), object_store::Error> {
        let blob = Self::blob(sha256);
        if self.folder.is_none() {
            return self.store.copy(from, &blob).await;
        }
        match self.store.copy_if_not_exists(from, &blob).await {
            Ok(()) | Err(object_store::Error::AlreadyExists { .. }) => {}
            Err(e) => return Err(e),
        }
        self.sync(&blob, Durable::Name).await.map_err(store_error)
    }

    /// Whether the blob of these bytes is stored.
    async fn has_blob(&self, sha256: &str) -> Result<bool, object_store::Error> {
        match self.store.head(&Self::blob(sha256)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Forgets a blob no stored file refers to any more.
    pub async fn delete_blob(&self, sha256: &str) -> Result<(), object_store::Error> {
        match self.store.delete(&Self::blob(sha256)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct UploadParams {
    purpose: String,
    name: String,
}

pub fn refuse(status: StatusCode, error: AppError) -> Response {
    (status, Json(error)).into_response()
}

fn bad_file(message: impl Into<String>) -> Response {
    let error = AppError::field("file", message);
    refuse(error.status(), error)
}

/// `POST /files?purpose=document|logo&name=<file name>` with the file as the body. Answers with
/// [`UploadedFile`], or an [`AppError`] naming what is wrong with the file.
pub async fn upload(
    State(state): State<AppState>,
    Query(params): Query<UploadParams>,
    request: Request,
) -> Response {
    let user = match staff_from_headers(&state, request.headers()).await {
        Ok(Some(user)) => user,
        Ok(None) => return refuse(StatusCode::UNAUTHORIZED, AppError::Unauthorized),
        Err(error) => return refuse(error.status(), error),
    };
    let Some(purpose) = FilePurpose::parse(&params.purpose) else {
        return bad_file("Unknown upload purpose.");
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let content_type = match purpose.check(&params.name, declared) {
        Ok(content_type) => content_type,
        Err(message) if declared.is_some_and(|size| size > purpose.max_bytes()) => {
            return refuse(StatusCode::PAYLOAD_TOO_LARGE, AppError::field("file", message))
        }
        Err(message) => return bad_file(message),
    };
    match receive(
        &state,
        purpose,
        &params.name,
        content_type,
        request.into_body(),
        user.id,
    )
    .await
    {
        Ok(file) => Json(file).into_response(),
        Err(response) => response,
    }
}

/// Streams the body to a temporary object while hashing and measuring it, then files it.
async fn receive(
    state: &AppState,
    purpose: FilePurpose,
    name: &str,
    content_type: &'static str,
    body: Body,
    user_id: i64,
) -> Result<UploadedFile, Response> {
    let store = &state.files.store;
    let temporary = Path::from(format!("incoming/{}", uuid::Uuid::new_v4().simple()));
    let upload = store
        .put_multipart(&temporary)
        .await
        .map_err(|e| not_stored(name, &e))?;
    let mut writer = WriteMultipart::new(upload);
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut head: Vec<u8> = Vec::with_capacity(512);
    let mut stream = body.into_data_stream();
    let failure = loop {
        let chunk = match stream.next().await {
            None => break None,
            Some(Ok(chunk)) => chunk,
            Some(Err(_)) => break Some(bad_file("The upload was interrupted. Try again.")),
        };
        size += chunk.len() as u64;
        if size > purpose.max_bytes() {
            break Some(refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                AppError::field("file", too_large(name, purpose.max_bytes())),
            ));
        }
        if head.len() < 512 {
            head.extend_from_slice(&chunk[..chunk.len().min(512 - head.len())]);
        }
        hasher.update(&chunk);
        // Waiting for earlier parts to be written keeps at most a few parts in memory.
        if let Err(e) = writer.wait_for_capacity(2).await {
            break Some(not_stored(name, &e));
        }
        writer.write(&chunk);
    };
    let failure = failure.or_else(|| {
        if size == 0 {
            Some(bad_file(format!("'{name}' is empty.")))
        } else if !content_fits(content_type, &head) || content_type.starts_with("text/") && head.contains(&0)
        {
            Some(bad_file(format!(
                "'{name}' does not hold what its name says. Only {} are accepted.",
                purpose.accepted()
            )))
        } else {
            None
        }
    });
    if let Some(response) = failure {
        let _ = writer.abort().await;
        return Err(response);
    }
    let finished = match writer.finish().await {
        Ok(_) => state
            .files
            .sync(&temporary, Durable::Bytes)
            .await
            .map_err(store_error),
        Err(e) => Err(e),
    };
    if let Err(e) = finished {
        let _ = store.delete(&temporary).await;
        return Err(not_stored(name, &e));
    }
    if purpose == FilePurpose::Import {
        // Read once by the import and never served: kept apart, with no record of its own.
        let id = uuid::Uuid::new_v4().simple().to_string();
        let kept = async {
            store.rename(&temporary, &FileStore::import(&id)).await?;
            state
                .files
                .sync(&FileStore::import(&id), Durable::Name)
                .await
                .map_err(store_error)
        };
        if let Err(e) = kept.await {
            let _ = store.delete(&temporary).await;
            return Err(not_stored(name, &e));
        }
        return Ok(UploadedFile {
            id,
            file_name: name.trim().to_string(),
            size,
        });
    }
    let sha256 = hex::encode(hasher.finalize());
    let record = FileRecord {
        id: uuid::Uuid::new_v4().simple().to_string(),
        sha256: sha256.clone(),
        size: size as i64,
        content_type: content_type.to_string(),
        file_name: name.trim().to_string(),
        purpose: purpose.key().to_string(),
    };
    // The bytes go in place, their name synced, before the record's transaction: synced in it,
    // every other write in the app waited for the disk (3.3 ms of an upload's 3.6 ms turn at 64
    // clients). A removal of the same bytes (housekeeping) that ran in between is seen once the
    // record's transaction holds their row, and the bytes are put back.
    if let Err(error) = state.files.place(&temporary, &sha256).await {
        let _ = store.delete(&temporary).await;
        return Err(not_stored(name, &error));
    }
    let stored = async {
        let mut tx = state.db.begin().await.map_err(Stored::Database)?;
        db::insert_file(&mut tx, &record, user_id, now_ms())
            .await
            .map_err(Stored::Database)?;
        if !state.files.has_blob(&sha256).await.map_err(Stored::Files)? {
            state
                .files
                .place(&temporary, &sha256)
                .await
                .map_err(Stored::Files)?;
        }
        tx.commit().await.map_err(Stored::Database)
    };
    let outcome = stored.await;
    let _ = store.delete(&temporary).await;
    match outcome {
        Ok(()) => {}
        Err(Stored::Files(error)) => {
            forget_unused_blob(state, &sha256).await;
            return Err(not_stored(name, &error));
        }
        Err(Stored::Database(error)) => {
            forget_unused_blob(state, &sha256).await;
            let error = AppError::from(error);
            return Err(refuse(error.status(), error));
        }
    }
    Ok(UploadedFile {
        id: record.id,
        file_name: record.file_name,
        size,
    })
}

/// Removes the blob of `sha256` unless a stored file has it: placed for an upload whose record
/// was not kept. Under the lock of its row, as housekeeping removes one. `true` when it removed
/// them; a failure is logged, and housekeeping sweeps the blob a day on.
async fn forget_unused_blob(state: &AppState, sha256: &str) -> bool {
    let removed = async {
        let mut tx = state.db.begin().await.map_err(|e| e.to_string())?;
        db::hold_blob(&mut tx, sha256, now_ms())
            .await
            .map_err(|e| e.to_string())?;
        let unused = db::forget_unused_blob(&mut tx, sha256)
            .await
            .map_err(|e| e.to_string())?;
        if unused {
            state.files.delete_blob(sha256).await.map_err(|e| e.to_string())?;
        }
        tx.commit().await.map_err(|e| e.to_string())?;
        Ok::<_, String>(unused)
    };
    match removed.await {
        Ok(unused) => unused,
        Err(error) => {
            tracing::warn!(%error, sha256, "could not remove the bytes of an upload that was not kept");
            false
        }
    }
}

/// What [`FileStore::sync`] puts on the disk.
#[derive(Debug, Clone, Copy)]
pub enum Durable {
    Bytes,
    Name,
}

/// A local store's error as the object store's.
fn store_error(error: std::io::Error) -> object_store::Error {
    object_store::Error::Generic {
        store: "local",
        source: Box::new(error),
    }
}

/// Why a file's bytes and record could not both be kept.
enum Stored {
    Files(object_store::Error),
    Database(sqlx::Error),
}

/// The file store would not take the bytes (full, not writable, unreachable): 507 with a message,
/// nothing kept. The cause is logged for the administrator.
fn not_stored(name: &str, error: &dyn std::fmt::Display) -> Response {
    tracing::error!(%error, "the file store refused an upload");
    refuse(
        StatusCode::INSUFFICIENT_STORAGE,
        AppError::Refused(format!(
            "'{name}' could not be stored: the file store is full or cannot be written. Nothing was kept. \
             Tell your administrator, then try again."
        )),
    )
}

/// `GET /files/{id}`: the file as a download, with its original name. Signed-in staff only.
pub async fn download(
    State(state): State<AppState>,
    UrlPath(id): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    serve(&state, &id, &headers, false).await
}

/// `GET /files/{id}/inline`: a logo, shown in a page. An SVG logo cannot run script: the
/// response forbids it, and pages show logos with `<img>`, which never runs it either.
pub async fn inline(
    State(state): State<AppState>,
    UrlPath(id): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    serve(&state, &id, &headers, true).await
}

async fn serve(state: &AppState, id: &str, headers: &HeaderMap, inline: bool) -> Response {
    match staff_from_headers(state, headers).await {
        Ok(Some(_)) => {}
        Ok(None) => return refuse(StatusCode::UNAUTHORIZED, AppError::Unauthorized),
        Err(error) => return refuse(error.status(), error),
    }
    stream_file(state, id, inline).await
}

/// The response carrying a stored file's bytes, for a caller already found allowed to have it.
pub async fn stream_file(state: &AppState, id: &str, inline: bool) -> Response {
    let not_found = || refuse(StatusCode::NOT_FOUND, AppError::NotFound("This file".into()));
    let Ok(id) = crate::domain::file_id(id) else {
        return not_found();
    };
    let file = match db::find_file(&state.db, &id).await {
        Ok(Some(file)) if !inline || db::is_for(&file, FilePurpose::Logo) => file,
        Ok(_) => return not_found(),
        Err(error) => {
            let error = AppError::from(error);
            return refuse(error.status(), error);
        }
    };
    let found = match state.files.store.get(&FileStore::blob(&file.sha256)).await {
        Ok(found) => found,
        Err(object_store::Error::NotFound { .. }) => {
            tracing::error!(file = %file.id, sha256 = %file.sha256, "stored file's bytes are missing");
            return not_found();
        }
        Err(error) => {
            let error = AppError::internal(error);
            return refuse(error.status(), error);
        }
    };
    let mut response = Body::from_stream(found.into_stream()).into_response();
    let h = response.headers_mut();
    let value = |text: &str| {
        HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"))
    };
    h.insert(header::CONTENT_TYPE, value(&file.content_type));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(file.size as u64));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
    );
    let disposition = if inline { "inline" } else { "attachment" };
    h.insert(
        header::CONTENT_DISPOSITION,
        value(&content_disposition(disposition, &file.file_name)),
    );
    response
}

/// `attachment; filename="…"; filename*=UTF-8''…`: a plain-ASCII name for old clients and the
/// exact name, percent-encoded, for the rest.
pub fn content_disposition(disposition: &str, name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = crate::ui::url_encode(name);
    format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Forgets files uploaded more than a day ago that no document or customer refers to, and their
/// bytes when no other file shares them. Returns how many were removed; one failure is logged
/// and the rest go on.
pub async fn prune_abandoned(state: &AppState) -> Result<usize, String> {
    let before = now_ms() - 24 * 3600 * 1000;
    let abandoned = db::abandoned_files(&state.db, before)
        .await
        .map_err(|e| e.to_string())?;
    match sweep_unrecorded_blobs(state, before).await {
        Ok(swept) => tracing::debug!(swept, "bytes of uploads never recorded removed"),
        Err(error) => tracing::warn!(%error, "could not sweep the bytes of uploads never recorded"),
    }
    match state.files.sweep_incoming(before) {
        Ok(swept) => tracing::debug!(swept, "parts of interrupted uploads removed"),
        Err(error) => tracing::warn!(%error, "could not sweep interrupted uploads"),
    }
    let mut removed = 0;
    for (id, sha256) in &abandoned {
        match remove_abandoned(state, id, sha256).await {
            Ok(true) => removed += 1,
            Ok(false) => {}
            Err(error) => tracing::warn!(file = %id, %error, "could not remove an abandoned upload"),
        }
    }
    Ok(removed)
}

/// Removes the blobs written before `before` that no row names: placed for an upload whose
/// record was never kept (the server stopped in between, or the clean-up after a failure failed
/// too). Listed a page at a time, each page's rows read in one statement.
async fn sweep_unrecorded_blobs(state: &AppState, before: i64) -> Result<usize, String> {
    let mut listed = state.files.store.list(Some(&Path::from("blobs"))).chunks(500);
    let mut removed = 0;
    while let Some(page) = listed.next().await {
        let mut old = Vec::new();
        for meta in page {
            let meta = meta.map_err(|e| e.to_string())?;
            if meta.last_modified.timestamp_millis() < before {
                old.extend(meta.location.filename().map(str::to_string));
            }
        }
        let recorded = db::recorded_blobs(&state.db, &old)
            .await
            .map_err(|e| e.to_string())?;
        for sha256 in old.iter().filter(|sha256| !recorded.contains(*sha256)) {
            if forget_unused_blob(state, sha256).await {
                removed += 1;
            }
        }
    }
    Ok(removed)
}

async fn remove_abandoned(state: &AppState, id: &str, sha256: &str) -> Result<bool, String> {
    let error = |e: sqlx::Error| e.to_string();
    if !db::delete_file_record(&state.db, id).await.map_err(error)? {
        return Ok(false);
    }
    let mut tx = state.db.begin().await.map_err(error)?;
    if db::lock_blob(&mut tx, sha256).await.map_err(error)?
        && db::forget_unused_blob(&mut tx, sha256).await.map_err(error)?
    {
        // Under the lock: an upload of the same bytes waits, then puts them back.
        state.files.delete_blob(sha256).await.map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(error)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downloads_keep_their_name() {
        assert_eq!(
            content_disposition("attachment", "Audit 2026.pdf"),
            "attachment; filename=\"Audit 2026.pdf\"; filename*=UTF-8''Audit%202026.pdf"
        );
        assert_eq!(
            content_disposition("attachment", "Café \"B\".pdf"),
            "attachment; filename=\"Caf_ _B_.pdf\"; filename*=UTF-8''Caf%C3%A9%20%22B%22.pdf"
        );
    }
}
