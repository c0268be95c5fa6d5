//! Queries of the contacts' document requests.

use super::{AskListing, AskType, AskedRow};
use crate::domain::Level;
use sqlx::{AnyConnection, Row};

/// The customers the contact belongs to that are live and active (only `only` for a session
/// bound to one customer), by name.
pub async fn customers_of(
    conn: &mut AnyConnection,
    contact_id: i64,
    only: Option<i64>,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT k.id, k.name FROM customer_contacts cc JOIN customers k ON k.id = cc.customer_id
         WHERE cc.contact_id = $1 AND k.deleted_at IS NULL AND k.active = 1 AND ($2 < 0 OR k.id = $2)
         ORDER BY k.name_key, k.id",
    )
    .bind(contact_id)
    .bind(only.unwrap_or(-1))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("id")?, row.try_get("name")?)))
        .collect()
}

pub async fn listings(conn: &mut AnyConnection, customer_id: i64) -> Result<Vec<AskListing>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT 'location' AS level, l.id, l.name, l.name_key FROM customer_locations cl JOIN locations l ON l.id = cl.location_id
         WHERE cl.customer_id = $1
         UNION ALL
         SELECT 'item' AS level, i.id, i.name, i.name_key FROM customer_items ci JOIN items i ON i.id = ci.item_id
         WHERE ci.customer_id = $1
         ORDER BY 1 DESC, 4, 2",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let level: String = row.try_get("level")?;
            Ok(AskListing {
                level: Level::parse(&level).map_err(|e| sqlx::Error::Decode(e.into()))?,
                id: row.try_get("id")?,
                name: row.try_get("name")?,
            })
        })
        .collect()
}

pub async fn types(conn: &mut AnyConnection) -> Result<Vec<AskType>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, name, level FROM document_types WHERE hidden = 0 ORDER BY level, name_key, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let level: String = row.try_get("level")?;
            Ok(AskType {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                level: Level::parse(&level).map_err(|e| sqlx::Error::Decode(e.into()))?,
            })
        })
        .collect()
}

pub async fn asked(conn: &mut AnyConnection, customer_id: i64) -> Result<Vec<AskedRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT t.name AS type_name, COALESCE(l.name, i.name) AS listing_name, r.requested_by_name, r.status, r.created_at
         FROM document_requests r JOIN document_types t ON t.id = r.type_id
         LEFT JOIN locations l ON l.id = r.location_id LEFT JOIN items i ON i.id = r.item_id
         WHERE r.customer_id = $1 AND r.requested_by_name IS NOT NULL
         ORDER BY r.id DESC LIMIT 100",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(AskedRow {
                type_name: row.try_get("type_name")?,
                listing_name: row.try_get("listing_name")?,
                requested_by_name: row.try_get("requested_by_name")?,
                status: row.try_get("status")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

pub struct Ask<'a> {
    pub customer_id: i64,
    pub level: Level,
    pub listing_id: i64,
    pub type_id: i64,
    pub contact_id: i64,
    pub contact_name: &'a str,
}

/// Opens the request; `false` when one is open already for this type, location or item.
pub async fn insert(tx: &mut AnyConnection, ask: &Ask<'_>, now: i64) -> Result<bool, sqlx::Error> {
    let column = match ask.level {
        Level::Location => "location_id",
        Level::Item => "item_id",
    };
    let done = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO document_requests (customer_id, type_id, {column}, status, created_at, requested_by_contact_id,
             requested_by_name)
         VALUES ($1, $2, $3, 'open', $4, $5, $6) ON CONFLICT DO NOTHING"
    )))
    .bind(ask.customer_id)
    .bind(ask.type_id)
    .bind(ask.listing_id)
    .bind(now)
    .bind(ask.contact_id)
    .bind(ask.contact_name.to_string())
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
