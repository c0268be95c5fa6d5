//! Ship-To Location queries. The default is kept unique by a partial unique index; every change
//! of it happens in one transaction.

use super::ShipTo;
use crate::domain::ValidShipTo;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

const COLUMNS: &str =
    "id, customer_id, name, street, city, region, postal_code, country, is_default, version";

fn ship_to_from_row(row: &AnyRow) -> Result<ShipTo, sqlx::Error> {
    Ok(ShipTo {
        id: row.try_get("id")?,
        customer_id: row.try_get("customer_id")?,
        name: row.try_get("name")?,
        street: row.try_get("street")?,
        city: row.try_get("city")?,
        region: row.try_get("region")?,
        postal_code: row.try_get("postal_code")?,
        country: row.try_get("country")?,
        is_default: row.try_get::<i64, _>("is_default")? != 0,
        version: row.try_get("version")?,
    })
}

/// The customer's Ship-To Locations: the default first, then in the order they were added.
pub async fn of_customer(conn: &mut AnyConnection, customer_id: i64) -> Result<Vec<ShipTo>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM ship_to_locations WHERE customer_id = $1 ORDER BY is_default DESC, id"
    )))
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(ship_to_from_row).collect()
}

pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<ShipTo>, sqlx::Error> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM ship_to_locations WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(ship_to_from_row).transpose()
}

/// Adds a Ship-To Location; the customer's first becomes its default.
pub async fn insert(
    conn: &mut AnyConnection,
    customer_id: i64,
    ship_to: &ValidShipTo,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let a = &ship_to.address;
    sqlx::query_scalar(
        "INSERT INTO ship_to_locations (customer_id, name, street, city, region, postal_code, country,
             is_default, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7,
             CASE WHEN EXISTS (SELECT 1 FROM ship_to_locations WHERE customer_id = $1) THEN 0 ELSE 1 END,
             1, $8, $8)
         RETURNING id",
    )
    .bind(customer_id)
    .bind(ship_to.name.clone())
    .bind(a.street.clone())
    .bind(a.city.clone())
    .bind(a.region.clone())
    .bind(a.postal_code.clone())
    .bind(a.country.clone())
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

/// Saves over `version`; `false` when the stored one is at another version (or gone).
pub async fn update(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    ship_to: &ValidShipTo,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let a = &ship_to.address;
    let done = sqlx::query(
        "UPDATE ship_to_locations SET name = $1, street = $2, city = $3, region = $4, postal_code = $5,
             country = $6, updated_at = $7, version = version + 1
         WHERE id = $8 AND version = $9",
    )
    .bind(ship_to.name.clone())
    .bind(a.street.clone())
    .bind(a.city.clone())
    .bind(a.region.clone())
    .bind(a.postal_code.clone())
    .bind(a.country.clone())
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Makes `id` its customer's default (in the caller's transaction).
pub async fn make_default(conn: &mut AnyConnection, customer_id: i64, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE ship_to_locations SET is_default = 0 WHERE customer_id = $1 AND is_default = 1")
        .bind(customer_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE ship_to_locations SET is_default = 1 WHERE id = $1 AND customer_id = $2")
        .bind(id)
        .bind(customer_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Removes one; when it was the default, the oldest remaining becomes the default.
pub async fn delete(conn: &mut AnyConnection, ship_to: &ShipTo) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM ship_to_locations WHERE id = $1")
        .bind(ship_to.id)
        .execute(&mut *conn)
        .await?;
    if ship_to.is_default {
        sqlx::query(
            "UPDATE ship_to_locations SET is_default = 1
             WHERE id = (SELECT MIN(id) FROM ship_to_locations WHERE customer_id = $1)",
        )
        .bind(ship_to.customer_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
