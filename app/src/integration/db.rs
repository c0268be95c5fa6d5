//! Integration queries: the status, requests, inventory availability and price-list token.

use super::{IntegrationRequest, IntegrationStatus, InventoryLocation, Salesperson, Transaction};
use crate::state::Db;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

pub async fn status(conn: &mut AnyConnection, customer_id: i64) -> Result<IntegrationStatus, sqlx::Error> {
    let key: String = sqlx::query_scalar("SELECT integration_status FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_one(&mut *conn)
        .await?;
    IntegrationStatus::from_key(&key)
        .ok_or_else(|| sqlx::Error::Decode(format!("integration status {key}").into()))
}

/// Moves the status from one of `from` to `to`; `false` when it was elsewhere (someone else moved
/// it first).
pub async fn move_status(
    tx: &mut AnyConnection,
    customer_id: i64,
    from: &[IntegrationStatus],
    to: IntegrationStatus,
) -> Result<bool, sqlx::Error> {
    let allowed: Vec<String> = from.iter().map(|s| format!("'{}'", s.key())).collect();
    let done = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE customers SET integration_status = $1 WHERE id = $2 AND integration_status IN ({})",
        allowed.join(", ")
    )))
    .bind(to.key())
    .bind(customer_id)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub struct NewRequest<'a> {
    pub customer_id: i64,
    pub contact_id: Option<i64>,
    pub requested_by_name: &'a str,
    pub salesperson: &'a Salesperson,
    pub transactions: &'a [Transaction],
}

pub async fn insert_request(
    tx: &mut AnyConnection,
    request: &NewRequest<'_>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let keys: Vec<&str> = request.transactions.iter().map(|t| t.key()).collect();
    sqlx::query_scalar(
        "INSERT INTO integration_requests (customer_id, contact_id, requested_by_name, salesperson_id,
             salesperson_name, transactions, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7) RETURNING id",
    )
    .bind(request.customer_id)
    .bind(request.contact_id)
    .bind(request.requested_by_name.to_string())
    .bind(request.salesperson.id)
    .bind(request.salesperson.name.clone())
    .bind(keys.join(","))
    .bind(now)
    .fetch_one(&mut *tx)
    .await
}

/// The contact who made the customer's open request, to tell them the decision.
pub async fn open_request_contact(
    tx: &mut AnyConnection,
    customer_id: i64,
) -> Result<Option<crate::contacts::db::Recipient>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT c.id, c.first_name, c.last_name, c.email FROM integration_requests r
         JOIN contacts c ON c.id = r.contact_id WHERE r.customer_id = $1 AND r.status = 'open'",
    )
    .bind(customer_id)
    .fetch_optional(&mut *tx)
    .await?;
    row.as_ref()
        .map(crate::contacts::db::recipient_from_row)
        .transpose()
}

/// Closes the customer's open request, if any, as `activated` or `returned`.
pub async fn decide_open_request(
    tx: &mut AnyConnection,
    customer_id: i64,
    outcome: &str,
    reason: Option<&str>,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE integration_requests SET status = $1, reason = $2, decided_by = $3, decided_at = $4
         WHERE customer_id = $5 AND status = 'open'",
    )
    .bind(outcome.to_string())
    .bind(reason.map(str::to_string))
    .bind(user_id)
    .bind(now)
    .bind(customer_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

fn request_from_row(row: &AnyRow) -> Result<IntegrationRequest, sqlx::Error> {
    let keys: String = row.try_get("transactions")?;
    Ok(IntegrationRequest {
        id: row.try_get("id")?,
        requested_by_name: row.try_get("requested_by_name")?,
        salesperson_name: row.try_get("salesperson_name")?,
        transactions: keys.split(',').filter_map(Transaction::from_key).collect(),
        status: row.try_get("status")?,
        reason: row.try_get("reason")?,
        created_at: row.try_get("created_at")?,
        decided_at: row.try_get("decided_at")?,
    })
}

/// The customer's requests, newest first.
pub async fn requests(
    conn: &mut AnyConnection,
    customer_id: i64,
) -> Result<Vec<IntegrationRequest>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, requested_by_name, salesperson_name, transactions, status, reason, created_at, decided_at
         FROM integration_requests WHERE customer_id = $1 ORDER BY id DESC LIMIT 50",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(request_from_row).collect()
}

/// Staff users a contact may name as their salesperson, by name.
pub async fn salespeople(db: &Db) -> Result<Vec<Salesperson>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, name FROM staff_users WHERE removed_at IS NULL ORDER BY name, id")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(Salesperson {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
            })
        })
        .collect()
}

/// Whom a request is emailed to: the salesperson and every Digital Administrator, once each.
pub async fn request_recipients(
    tx: &mut AnyConnection,
    salesperson_id: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT id, name, email FROM staff_users WHERE (id = $1 OR digital_admin = 1) AND removed_at IS NULL ORDER BY id")
            .bind(salesperson_id)
            .fetch_all(&mut *tx)
            .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("id")?, row.try_get("name")?, row.try_get("email")?)))
        .collect()
}

/// Whether the customer's portal shows the inventory of some locations only, and how many.
pub async fn inventory_limit(conn: &mut AnyConnection, customer_id: i64) -> Result<(bool, i64), sqlx::Error> {
    let row = sqlx::query(
        "SELECT inventory_limited,
             (SELECT COUNT(*) FROM customer_inventory_locations v WHERE v.customer_id = c.id) AS ticked
         FROM customers c WHERE c.id = $1",
    )
    .bind(customer_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok((
        row.try_get::<i64, _>("inventory_limited")? != 0,
        row.try_get("ticked")?,
    ))
}

/// Every supplier location, ticked when the customer sees its inventory.
pub async fn inventory(
    conn: &mut AnyConnection,
    customer_id: i64,
) -> Result<(bool, Vec<InventoryLocation>), sqlx::Error> {
    let limited: i64 = sqlx::query_scalar("SELECT inventory_limited FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_one(&mut *conn)
        .await?;
    let rows = sqlx::query(
        "SELECT l.id, l.name,
             (SELECT COUNT(*) FROM customer_inventory_locations v WHERE v.customer_id = $1 AND v.location_id = l.id) AS ticked
         FROM locations l ORDER BY l.name_key, l.id",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    let locations = rows
        .iter()
        .map(|row| {
            Ok(InventoryLocation {
                location_id: row.try_get("id")?,
                name: row.try_get("name")?,
                visible: limited == 0 || row.try_get::<i64, _>("ticked")? > 0,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok((limited != 0, locations))
}

/// Limits the customer's portal to the inventory of `location_ids`, or (`limited` false) lifts
/// the limit.
pub async fn set_inventory(
    tx: &mut AnyConnection,
    customer_id: i64,
    limited: bool,
    location_ids: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE customers SET inventory_limited = $1 WHERE id = $2")
        .bind(i64::from(limited))
        .bind(customer_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM customer_inventory_locations WHERE customer_id = $1")
        .bind(customer_id)
        .execute(&mut *tx)
        .await?;
    if limited {
        let mut location_ids = location_ids.to_vec();
        location_ids.sort_unstable();
        location_ids.dedup();
        for location_id in &location_ids {
            sqlx::query(
                "INSERT INTO customer_inventory_locations (customer_id, location_id)
                 SELECT $1, id FROM locations WHERE id = $2",
            )
            .bind(customer_id)
            .bind(*location_id)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}

/// The customer's price-list token, made on first use. Two calls at once agree on one token.
pub async fn price_list_token(
    tx: &mut AnyConnection,
    customer_id: i64,
    fresh: &str,
) -> Result<String, sqlx::Error> {
    sqlx::query("UPDATE customers SET price_list_token = $1 WHERE id = $2 AND price_list_token IS NULL")
        .bind(fresh.to_string())
        .bind(customer_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query_scalar("SELECT price_list_token FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_one(&mut *tx)
        .await
}

/// Sets the account number (and the search text that holds it) over `version`; `false` when the
/// customer is at another version.
pub async fn set_account_number(
    tx: &mut AnyConnection,
    customer_id: i64,
    version: i64,
    number: Option<&crate::domain::AccountNumber>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT name, city FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_one(&mut *tx)
        .await?;
    let (name, city): (String, String) = (row.try_get("name")?, row.try_get("city")?);
    let search_text = crate::customers::search::search_text(&name, number.map(|n| n.as_str()), &city);
    let done = sqlx::query(
        "UPDATE customers SET account_number = $1, account_key = $2, search_text = $3, updated_at = $4,
             version = version + 1
         WHERE id = $5 AND version = $6 AND deleted_at IS NULL",
    )
    .bind(number.map(|n| n.as_str().to_string()))
    .bind(number.map(|n| n.key()))
    .bind(search_text)
    .bind(now)
    .bind(customer_id)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
