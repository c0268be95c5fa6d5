//! Activity queries.

use super::ActivityEntry;
use crate::state::Db;
use sqlx::{AnyConnection, Row};

/// Who did it: a staff user or a contact, and the name to show.
pub struct Actor<'a> {
    pub staff_user_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub name: &'a str,
}

/// Records an entry in the caller's transaction. `action` is a stable key (`order_placed`),
/// `detail` the sentence people read.
pub async fn record(
    tx: &mut AnyConnection,
    customer_id: i64,
    actor: &Actor<'_>,
    action: &str,
    detail: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO customer_activity (customer_id, staff_user_id, contact_id, actor_name, action, detail, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(customer_id)
    .bind(actor.staff_user_id)
    .bind(actor.contact_id)
    .bind(actor.name.to_string())
    .bind(action.to_string())
    .bind(detail.to_string())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The customer's latest entries, newest first.
pub async fn of_customer(db: &Db, customer_id: i64, limit: i64) -> Result<Vec<ActivityEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, actor_name, staff_user_id, action, detail, created_at FROM customer_activity
         WHERE customer_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(customer_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ActivityEntry {
                id: row.try_get("id")?,
                actor_name: row.try_get("actor_name")?,
                by_staff: row.try_get::<Option<i64>, _>("staff_user_id")?.is_some(),
                action: row.try_get("action")?,
                detail: row.try_get("detail")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}
