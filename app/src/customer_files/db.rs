//! Customer document queries.

use super::CustomerFile;
use sqlx::{AnyConnection, Row};

pub async fn of_customer(
    conn: &mut AnyConnection,
    customer_id: i64,
) -> Result<Vec<CustomerFile>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT cf.id, cf.title, cf.file_id, f.file_name, f.size, cf.uploader_name, cf.created_at
         FROM customer_files cf JOIN stored_files f ON f.id = cf.file_id
         WHERE cf.customer_id = $1 ORDER BY cf.id DESC",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(CustomerFile {
                id: row.try_get("id")?,
                title: row.try_get("title")?,
                file_id: row.try_get("file_id")?,
                file_name: row.try_get("file_name")?,
                size: row.try_get("size")?,
                uploader_name: row.try_get("uploader_name")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

pub async fn insert(
    tx: &mut AnyConnection,
    customer_id: i64,
    file_id: &str,
    title: &str,
    user: &crate::auth::CurrentUser,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO customer_files (customer_id, file_id, title, uploaded_by, uploader_name, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(customer_id)
    .bind(file_id.to_string())
    .bind(title.to_string())
    .bind(user.id)
    .bind(user.name.clone())
    .bind(now)
    .fetch_one(&mut *tx)
    .await
}

/// The customer and title of an attached file.
pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<(i64, String)>, sqlx::Error> {
    let row = sqlx::query("SELECT customer_id, title FROM customer_files WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|row| Ok((row.try_get("customer_id")?, row.try_get("title")?)))
        .transpose()
}

pub async fn delete(tx: &mut AnyConnection, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM customer_files WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    Ok(done.rows_affected() == 1)
}
