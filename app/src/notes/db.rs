//! Note queries.

use super::{Note, NotesPage};
use crate::listings::PAGE_SIZE;
use sqlx::{AnyConnection, Row};

/// A page of the customer's notes, newest first, from before note `before` (the newest when
/// `None`); `mine` marks those `user_id` wrote.
pub async fn page_of_customer(
    conn: &mut AnyConnection,
    customer_id: i64,
    user_id: i64,
    before: Option<i64>,
) -> Result<NotesPage, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, staff_user_id, author_name, body, version, created_at, updated_at FROM customer_notes
         WHERE customer_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(customer_id)
    .bind(before.unwrap_or(i64::MAX))
    .bind(PAGE_SIZE + 1)
    .fetch_all(&mut *conn)
    .await?;
    let mut notes = rows
        .iter()
        .map(|row| {
            Ok(Note {
                id: row.try_get("id")?,
                author_name: row.try_get("author_name")?,
                mine: row.try_get::<Option<i64>, _>("staff_user_id")? == Some(user_id),
                body: row.try_get("body")?,
                version: row.try_get("version")?,
                created_at: row.try_get("created_at")?,
                updated_at: row.try_get("updated_at")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let older = crate::paging::next_cursor(&mut notes, PAGE_SIZE as usize, |n| n.id);
    Ok(NotesPage { notes, older })
}

/// A note's customer, writer and text.
pub struct StoredNote {
    pub customer_id: i64,
    pub staff_user_id: Option<i64>,
    pub body: String,
    pub version: i64,
}

pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<StoredNote>, sqlx::Error> {
    let row =
        sqlx::query("SELECT customer_id, staff_user_id, body, version FROM customer_notes WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|row| {
        Ok(StoredNote {
            customer_id: row.try_get("customer_id")?,
            staff_user_id: row.try_get("staff_user_id")?,
            body: row.try_get("body")?,
            version: row.try_get("version")?,
        })
    })
    .transpose()
}

pub async fn insert(
    tx: &mut AnyConnection,
    customer_id: i64,
    user: &crate::auth::CurrentUser,
    body: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO customer_notes (customer_id, staff_user_id, author_name, body, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(customer_id)
    .bind(user.id)
    .bind(user.name.clone())
    .bind(body.to_string())
    .bind(now)
    .fetch_one(&mut *tx)
    .await
}

/// Saves over `version`; `false` when the note is at another version (or gone).
pub async fn update(
    tx: &mut AnyConnection,
    id: i64,
    version: i64,
    body: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE customer_notes SET body = $1, updated_at = $2, version = version + 1 WHERE id = $3 AND version = $4",
    )
    .bind(body.to_string())
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes the note at `version`; `false` when it is at another version (or gone).
pub async fn delete(tx: &mut AnyConnection, id: i64, version: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM customer_notes WHERE id = $1 AND version = $2")
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
    Ok(done.rows_affected() == 1)
}
