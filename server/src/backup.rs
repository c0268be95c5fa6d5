//! `server backup FILE` and `server restore FILE [--replace]`: an SQLite install's database and
//! uploaded files in one archive, copied while the app runs, and put back.
//!
//! The database is copied with `VACUUM INTO`, a consistent snapshot that readers and writers do
//! not wait for; the files are copied after it, so every file the snapshot names is there (an
//! upload moves its file into place before its row commits). A file whose row is deleted, and
//! which housekeeping removes, while the copy runs can be missing from it. Unfinished uploads and import spreadsheets are
//! left out. On PostgreSQL and S3 the database and bucket have their own tools (see README).

use crate::config::Config;
use sqlx::Connection;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;
use zip::write::SimpleFileOptions;

/// The database's name inside the archive.
const DATABASE_ENTRY: &str = "clientele.db";
/// Folders of the file store that hold nothing worth keeping.
const TRANSIENT_FOLDERS: [&str; 2] = ["incoming", "imports"];

pub async fn backup(config: &Config, file: &Path) -> Result<(), String> {
    sqlx::any::install_default_drivers();
    let database = sqlite_path(&config.database_url)?;
    let started = Instant::now();
    let snapshot = PathBuf::from(format!("{}.snapshot", file.display()));
    let partial = PathBuf::from(format!("{}.partial", file.display()));
    let _ = std::fs::remove_file(&snapshot);
    let outcome = async {
        snapshot_database(&database, &snapshot).await?;
        let files = files_folder(config);
        let copied = write_archive(&partial, &snapshot, files.as_deref())?;
        std::fs::rename(&partial, file).map_err(|e| format!("{}: {e}", file.display()))?;
        Ok::<_, String>(copied)
    }
    .await;
    let _ = std::fs::remove_file(&snapshot);
    let _ = std::fs::remove_file(&partial);
    let (database_bytes, file_count, file_bytes) = outcome?;
    println!(
        "Backed up the database ({}) and {file_count} files ({}) to {} in {:.1} s.",
        megabytes(database_bytes),
        megabytes(file_bytes),
        file.display(),
        started.elapsed().as_secs_f64()
    );
    if config.storage_url.is_some() {
        println!(
            "The files are in S3 (STORAGE_URL): back them up with the bucket's versioning or replication."
        );
    }
    Ok(())
}

pub async fn restore(config: &Config, file: &Path, replace: bool) -> Result<(), String> {
    sqlx::any::install_default_drivers();
    let database = sqlite_path(&config.database_url)?;
    if database.exists() && !replace {
        return Err(format!(
            "{} exists. Stop the server, then run `server restore {} --replace`: the database of now is kept beside it as {}.",
            database.display(),
            file.display(),
            kept_name(&database).display()
        ));
    }
    let opened = File::open(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut archive = zip::ZipArchive::new(opened)
        .map_err(|e| format!("{} is not a Clientele backup: {e}", file.display()))?;
    if archive.index_for_name(DATABASE_ENTRY).is_none() {
        return Err(format!(
            "{} is not a Clientele backup: it holds no {DATABASE_ENTRY}.",
            file.display()
        ));
    }
    if let Some(folder) = database.parent() {
        std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    }
    // Names are checked before anything is written, never trusted: none may lead outside.
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(|e| e.to_string())?;
        if entry.enclosed_name().is_none() {
            return Err(format!(
                "{}: an entry named {:?} leads outside the data folder; nothing was restored.",
                file.display(),
                entry.name()
            ));
        }
    }
    let restoring = PathBuf::from(format!("{}.restoring", database.display()));
    let outcome = put_back(config, &mut archive, &database, &restoring).await;
    if outcome.is_err() {
        let _ = std::fs::remove_file(&restoring);
    }
    let file_count = outcome?;
    println!(
        "Restored the database and {file_count} files from {}.",
        file.display()
    );
    Ok(())
}

/// Writes the archive's database beside the one of now and checks it, then the files into the
/// store, then moves the database into place (the one of now kept aside). How many files.
async fn put_back(
    config: &Config,
    archive: &mut zip::ZipArchive<File>,
    database: &Path,
    restoring: &Path,
) -> Result<usize, String> {
    // The database first, checked before anything of now is touched.
    extract(
        &mut archive.by_name(DATABASE_ENTRY).map_err(|e| e.to_string())?,
        restoring,
    )?;
    check_integrity(restoring).await?;
    let mut file_count = 0;
    if let Some(files) = files_folder(config) {
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index).map_err(|e| e.to_string())?;
            let inside = entry
                .enclosed_name()
                .and_then(|name| name.strip_prefix("files").ok().map(Path::to_path_buf))
                .filter(|inside| !inside.as_os_str().is_empty());
            if let Some(inside) = inside.filter(|_| !entry.is_dir()) {
                extract(&mut entry, &files.join(inside))?;
                file_count += 1;
            }
        }
    }
    if database.exists() {
        let kept = kept_name(database);
        std::fs::rename(database, &kept).map_err(|e| format!("{}: {e}", database.display()))?;
        // The write-ahead log belongs to the database it was kept beside.
        for suffix in ["-wal", "-shm"] {
            let log = PathBuf::from(format!("{}{suffix}", database.display()));
            if log.exists() {
                let kept_log = PathBuf::from(format!("{}{suffix}", kept.display()));
                std::fs::rename(&log, &kept_log).map_err(|e| format!("{}: {e}", log.display()))?;
            }
        }
        println!("The database of before is kept as {}.", kept.display());
    }
    std::fs::rename(restoring, database).map_err(|e| format!("{}: {e}", database.display()))?;
    Ok(file_count)
}

/// Writes an entry of the archive to `target`, synced to disk.
fn extract(entry: &mut zip::read::ZipFile<'_, File>, target: &Path) -> Result<(), String> {
    if let Some(folder) = target.parent() {
        std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    }
    let mut out = File::create(target).map_err(|e| format!("{}: {e}", target.display()))?;
    std::io::copy(entry, &mut out).map_err(|e| format!("{}: {e}", target.display()))?;
    out.sync_all().map_err(|e| format!("{}: {e}", target.display()))
}

/// The SQLite database file of `database_url`, or why there is none to copy.
fn sqlite_path(database_url: &str) -> Result<PathBuf, String> {
    let Some(rest) = database_url.strip_prefix("sqlite:") else {
        return Err(
            "DATABASE_URL is not SQLite: on PostgreSQL, use pg_dump and pg_restore (see README).".into(),
        );
    };
    let path = rest
        .trim_start_matches("//")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Err(format!("DATABASE_URL {database_url} names no database file."));
    }
    Ok(PathBuf::from(path))
}

/// The local file store's folder; `None` when files are in S3.
fn files_folder(config: &Config) -> Option<PathBuf> {
    config
        .storage_url
        .is_none()
        .then(|| Path::new(&config.data_dir).join("files"))
}

fn kept_name(database: &Path) -> PathBuf {
    PathBuf::from(format!(
        "{}.before-restore-{}",
        database.display(),
        app::state::now_ms()
    ))
}

async fn snapshot_database(database: &Path, snapshot: &Path) -> Result<(), String> {
    if !database.exists() {
        return Err(format!(
            "{} does not exist: nothing to back up.",
            database.display()
        ));
    }
    let url = format!("sqlite://{}", database.display());
    let mut conn = sqlx::AnyConnection::connect(&url)
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    let quoted = snapshot.display().to_string().replace('\'', "''");
    sqlx::query("PRAGMA busy_timeout = 10000")
        .execute(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    sqlx::query(sqlx::AssertSqlSafe(format!("VACUUM INTO '{quoted}'")))
        .execute(&mut conn)
        .await
        .map_err(|e| format!("copying the database: {e}"))?;
    Ok(())
}

/// Writes the archive: the database snapshot, then every file of the store. The database's
/// size, the files' count and their size.
fn write_archive(archive: &Path, snapshot: &Path, files: Option<&Path>) -> Result<(u64, usize, u64), String> {
    let out = File::create(archive).map_err(|e| format!("{}: {e}", archive.display()))?;
    let mut zip = zip::ZipWriter::new(out);
    // Stored, not compressed: documents are PDFs and images already, and the copy stays fast.
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    let database_bytes = add_file(&mut zip, DATABASE_ENTRY, snapshot, options)?
        .ok_or("the database snapshot disappeared while it was copied")?;
    let (mut count, mut bytes) = (0, 0);
    if let Some(root) = files.filter(|f| f.exists()) {
        let mut folders = vec![root.to_path_buf()];
        while let Some(folder) = folders.pop() {
            let entries = std::fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
            for entry in entries {
                let path = entry.map_err(|e| e.to_string())?.path();
                let inside = path.strip_prefix(root).map_err(|e| e.to_string())?;
                let transient = folder == root && TRANSIENT_FOLDERS.iter().any(|t| inside == Path::new(t));
                if path.is_dir() {
                    if !transient {
                        folders.push(path);
                    }
                    continue;
                }
                let name = format!("files/{}", inside.to_string_lossy().replace('\\', "/"));
                if let Some(copied) = add_file(&mut zip, &name, &path, options)? {
                    bytes += copied;
                    count += 1;
                }
            }
        }
    }
    let out = zip.finish().map_err(|e| e.to_string())?;
    out.sync_all()
        .map_err(|e| format!("{}: {e}", archive.display()))?;
    Ok((database_bytes, count, bytes))
}

fn add_file(
    zip: &mut zip::ZipWriter<File>,
    name: &str,
    path: &Path,
    options: SimpleFileOptions,
) -> Result<Option<u64>, String> {
    let mut source = match File::open(path) {
        Ok(source) => source,
        // Removed since the folder was read (its document deleted): left out, as it is gone.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    zip.start_file(name, options).map_err(|e| e.to_string())?;
    let copied = std::io::copy(&mut source, zip).map_err(|e| format!("{}: {e}", path.display()))?;
    zip.flush().map_err(|e| e.to_string())?;
    Ok(Some(copied))
}

async fn check_integrity(database: &Path) -> Result<(), String> {
    let url = format!("sqlite://{}", database.display());
    let mut conn = sqlx::AnyConnection::connect(&url)
        .await
        .map_err(|e| format!("the restored database: {e}"))?;
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| format!("the restored database: {e}"))?;
    conn.close().await.map_err(|e| e.to_string())?;
    if verdict != "ok" {
        return Err(format!(
            "the backup's database is damaged ({verdict}); nothing was replaced."
        ));
    }
    Ok(())
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_048_576.0)
}
