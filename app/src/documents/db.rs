//! Queries of document types, default requirements, documents and stored files.

use super::{DocumentRow, DocumentType};
use crate::domain::{CalendarDate, DocumentStatus, FilePurpose, Level, ValidDocument, ValidDocumentType};
use crate::state::Db;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

fn type_from_row(row: &AnyRow) -> Result<DocumentType, sqlx::Error> {
    let level: String = row.try_get("level")?;
    Ok(DocumentType {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        level: Level::parse(&level).map_err(|e| sqlx::Error::Decode(e.into()))?,
        description: row.try_get("description")?,
        validity_days: row.try_get("validity_days")?,
        builtin: row.try_get::<i64, _>("builtin")? != 0,
        hidden: row.try_get::<i64, _>("hidden")? != 0,
        default_required: row.try_get::<i64, _>("default_required")? != 0,
        documents: row.try_get("documents")?,
    })
}

const TYPE_SELECT: &str = "SELECT t.* FROM document_types t";

/// Every type, location level first, built-in before custom, then by name.
pub async fn types(db: &Db) -> Result<Vec<DocumentType>, sqlx::Error> {
    let sql = format!("{TYPE_SELECT} ORDER BY t.level DESC, t.builtin DESC, t.name_key");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&db.pool).await?;
    rows.iter().map(type_from_row).collect()
}

pub async fn find_type(db: &Db, id: i64) -> Result<Option<DocumentType>, sqlx::Error> {
    let sql = format!("{TYPE_SELECT} WHERE t.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(type_from_row).transpose()
}

/// The type of this level, other than `except`, already called this name (ignoring case).
pub async fn type_named(db: &Db, t: &ValidDocumentType, except: Option<i64>) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM document_types WHERE level = $1 AND name_key = $2 AND id <> $3")
            .bind(t.level.key())
            .bind(t.name_key())
            .bind(except.unwrap_or(-1))
            .fetch_optional(&db.pool)
            .await?;
    Ok(found.is_some())
}

pub async fn insert_type(db: &Db, t: &ValidDocumentType, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO document_types (name, name_key, level, description, validity_days, builtin, created_at)
         VALUES ($1, $2, $3, $4, $5, 0, $6) RETURNING id",
    )
    .bind(t.name.clone())
    .bind(t.name_key())
    .bind(t.level.key())
    .bind(t.description.clone())
    .bind(t.validity_days)
    .bind(now)
    .fetch_one(&db.pool)
    .await
}

pub async fn update_type(db: &Db, id: i64, t: &ValidDocumentType) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE document_types SET name = $1, name_key = $2, description = $3, validity_days = $4 WHERE id = $5",
    )
    .bind(t.name.clone())
    .bind(t.name_key())
    .bind(t.description.clone())
    .bind(t.validity_days)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Hides or shows a type; a hidden type is no default requirement.
pub async fn set_hidden(db: &Db, id: i64, hidden: bool) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE document_types SET hidden = $1,
             default_required = CASE WHEN $1 = 1 THEN 0 ELSE default_required END
         WHERE id = $2",
    )
    .bind(i64::from(hidden))
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many customers require the type or were ever asked for it.
pub async fn customers_requiring(db: &Db, type_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(DISTINCT customer_id) FROM (
             SELECT customer_id FROM customer_requirements WHERE type_id = $1
             UNION ALL SELECT customer_id FROM document_requests WHERE type_id = $1) AS uses",
    )
    .bind(type_id)
    .fetch_one(&db.pool)
    .await
}

/// Deletes a custom type no document, requirement or request uses; `false` when there was no such
/// type or one appeared.
pub async fn delete_type(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM document_types WHERE id = $1 AND builtin = 0
             AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.type_id = $1)
             AND NOT EXISTS (SELECT 1 FROM customer_requirements r WHERE r.type_id = $1)
             AND NOT EXISTS (SELECT 1 FROM document_requests q WHERE q.type_id = $1)",
    )
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Makes exactly `ids` (of the shown types) the default requirements, in one transaction.
pub async fn set_default_requirements(db: &Db, ids: &[i64]) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE document_types SET default_required = 0")
        .execute(&mut *tx)
        .await?;
    for id in ids {
        sqlx::query("UPDATE document_types SET default_required = 1 WHERE id = $1 AND hidden = 0")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

/// A stored file's details, if it exists and was uploaded for `purpose`.
#[derive(Debug, Clone)]
pub struct FileRecord {
    pub id: String,
    pub sha256: String,
    pub size: i64,
    pub content_type: String,
    pub file_name: String,
    pub purpose: String,
}

pub async fn find_file(db: &Db, id: &str) -> Result<Option<FileRecord>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, sha256, size, content_type, file_name, purpose FROM stored_files WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| {
        Ok(FileRecord {
            id: row.try_get("id")?,
            sha256: row.try_get("sha256")?,
            size: row.try_get("size")?,
            content_type: row.try_get("content_type")?,
            file_name: row.try_get("file_name")?,
            purpose: row.try_get("purpose")?,
        })
    })
    .transpose()
}

/// Records a file, and takes the lock of its bytes' row until `tx` ends (see [`lock_blob`]).
pub async fn insert_file(
    tx: &mut AnyConnection,
    file: &FileRecord,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    hold_blob(tx, &file.sha256, now).await?;
    sqlx::query(
        "INSERT INTO stored_files (id, sha256, size, content_type, file_name, purpose, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(file.id.clone())
    .bind(file.sha256.clone())
    .bind(file.size)
    .bind(file.content_type.clone())
    .bind(file.file_name.clone())
    .bind(file.purpose.clone())
    .bind(user_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Locks the row of these bytes until `tx` ends; `false` when there is none. An upload of the same
/// bytes waits meanwhile, so what is decided about them under the lock stays true.
/// Writes the row of these bytes, made if missing, so that it waits for (and then locks out) a
/// removal of the same bytes.
pub async fn hold_blob(tx: &mut AnyConnection, sha256: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO blobs (sha256, created_at) VALUES ($1, $2)
         ON CONFLICT (sha256) DO UPDATE SET created_at = excluded.created_at",
    )
    .bind(sha256)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Which of `sha256s` have a row.
pub async fn recorded_blobs(
    db: &Db,
    sha256s: &[String],
) -> Result<std::collections::HashSet<String>, sqlx::Error> {
    if sha256s.is_empty() {
        return Ok(Default::default());
    }
    let mut sql = crate::sql::Sql::default();
    sql.push("SELECT sha256 FROM blobs WHERE sha256 IN (");
    sql.bind_list(sha256s.iter().cloned().map(crate::sql::Bind::Text));
    sql.push(")");
    let rows = sql.query().fetch_all(&db.pool).await?;
    rows.iter()
        .map(|row| row.try_get::<String, _>("sha256"))
        .collect()
}

pub async fn lock_blob(tx: &mut AnyConnection, sha256: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE blobs SET sha256 = sha256 WHERE sha256 = $1")
        .bind(sha256)
        .execute(&mut *tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets the row of bytes no stored file has; `true` when it did, and the bytes may go.
pub async fn forget_unused_blob(tx: &mut AnyConnection, sha256: &str) -> Result<bool, sqlx::Error> {
    // A statement of its own, after the lock: it sees every upload that committed before.
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stored_files WHERE sha256 = $1")
        .bind(sha256)
        .fetch_one(&mut *tx)
        .await?;
    if users > 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM blobs WHERE sha256 = $1")
        .bind(sha256)
        .execute(&mut *tx)
        .await?;
    Ok(true)
}

/// Forgets a stored file unless a document, a customer's logo or a customer file refers to it (one may have, since it
/// was found abandoned).
pub async fn delete_file_record(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    let deleted = sqlx::query(
        "DELETE FROM stored_files WHERE id = $1
             AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.file_id = $1)
             AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.logo_file_id = $1)
             AND NOT EXISTS (SELECT 1 FROM customer_files cf WHERE cf.file_id = $1)",
    )
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(deleted.rows_affected() == 1)
}

/// Files uploaded before `before` that nothing refers to: uploads abandoned before their form was
/// sent. Returns their ids and content hashes.
pub async fn abandoned_files(db: &Db, before: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT f.id, f.sha256 FROM stored_files f WHERE f.created_at < $1
             AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.file_id = f.id)
             AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.logo_file_id = f.id)
             AND NOT EXISTS (SELECT 1 FROM customer_files cf WHERE cf.file_id = f.id)
         LIMIT 1000",
    )
    .bind(before)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("sha256")?)))
        .collect()
}

/// The current document and every previous version of a location's or an item's documents.
pub async fn documents(
    db: &Db,
    level: Level,
    owner_id: i64,
    today: CalendarDate,
) -> Result<Vec<DocumentRow>, sqlx::Error> {
    let owner = match level {
        Level::Location => "d.location_id",
        Level::Item => "d.item_id",
    };
    let sql = format!(
        "SELECT d.id, d.type_id, t.name AS type_name, d.title, d.effective_on, d.expires_on, d.file_id,
             f.file_name, f.size, d.replaced_at, u.name AS uploaded_by, d.created_at
         FROM documents d
         JOIN document_types t ON t.id = d.type_id
         JOIN stored_files f ON f.id = d.file_id
         LEFT JOIN staff_users u ON u.id = d.uploaded_by
         WHERE {owner} = $1
         ORDER BY t.name_key, d.id DESC
         LIMIT 1000"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(owner_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|row| {
            let date = |column: &str| -> Result<CalendarDate, sqlx::Error> {
                let text: String = row.try_get(column)?;
                CalendarDate::parse(&text, column).map_err(|e| sqlx::Error::Decode(e.into()))
            };
            let expires_on = date("expires_on")?;
            Ok(DocumentRow {
                id: row.try_get("id")?,
                type_id: row.try_get("type_id")?,
                type_name: row.try_get("type_name")?,
                title: row.try_get("title")?,
                effective_on: date("effective_on")?,
                expires_on,
                status: DocumentStatus::on(today, expires_on),
                file_id: row.try_get("file_id")?,
                file_name: row.try_get("file_name")?,
                size: row.try_get("size")?,
                replaced_at: row.try_get("replaced_at")?,
                uploaded_by: row.try_get("uploaded_by")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

/// Whether the location or item exists.
pub async fn owner_exists(db: &Db, level: Level, owner_id: i64) -> Result<bool, sqlx::Error> {
    let sql = match level {
        Level::Location => "SELECT id FROM locations WHERE id = $1",
        Level::Item => "SELECT id FROM items WHERE id = $1",
    };
    let found: Option<i64> = sqlx::query_scalar(sql)
        .bind(owner_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(found.is_some())
}

/// Stores a document as the current one of its type for its location or item; the one it
/// replaces is kept as a previous version. One transaction.
pub async fn insert_document(
    db: &Db,
    level: Level,
    owner_id: i64,
    document: &ValidDocument,
    user_id: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let owner = match level {
        Level::Location => "location_id",
        Level::Item => "item_id",
    };
    let mut tx = db.begin().await?;
    let replaced: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM documents WHERE {owner} = $1 AND type_id = $2 AND replaced_at IS NULL"
    )))
    .bind(owner_id)
    .bind(document.type_id)
    .fetch_optional(&mut *tx)
    .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE documents SET replaced_at = $1 WHERE {owner} = $2 AND type_id = $3 AND replaced_at IS NULL"
    )))
    .bind(now)
    .bind(owner_id)
    .bind(document.type_id)
    .execute(&mut *tx)
    .await?;
    let id = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "INSERT INTO documents (type_id, {owner}, title, effective_on, expires_on, file_id, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"
    )))
    .bind(document.type_id)
    .bind(owner_id)
    .bind(document.title.clone())
    .bind(document.effective_on.to_string())
    .bind(document.expires_on.to_string())
    .bind(document.file_id.clone())
    .bind(user_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    // Requests not yet sent that hold the replaced version now hold the new one: customers are
    // sent the current document.
    if let Some(replaced) = replaced {
        sqlx::query(
            "UPDATE document_requests SET document_id = $1 WHERE document_id = $2 AND status = 'open'",
        )
        .bind(id)
        .bind(replaced)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// The purpose a file was uploaded for, as stored.
pub fn is_for(file: &FileRecord, purpose: FilePurpose) -> bool {
    file.purpose == purpose.key()
}
