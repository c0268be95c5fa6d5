//! Customer group queries: the groups, their members, and what they make of a customer's prices.

use super::CustomerGroup;
use crate::domain::{PriceAdjustment, ValidGroup};
use crate::state::Db;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

const GROUP_COLUMNS: &str =
    "g.id, g.name, g.description, g.price_adjustment_bp, g.tax_exempt, g.assignable, g.version";

/// The count of live customers is the group's members (read from its index alone) less those in
/// the Trash (found from the Trash's index): never a read of every member's customer row, which
/// took a second a page at 100,000 customers. Still a read of every member, so only the page
/// that shows it (Settings → Customer Groups) counts.
const CUSTOMER_COUNT: &str = "(SELECT COUNT(*) FROM customer_group_members m WHERE m.group_id = g.id)
     - (SELECT COUNT(*) FROM customers c JOIN customer_group_members m ON m.customer_id = c.id
        WHERE c.deleted_at IS NOT NULL AND m.group_id = g.id) AS customer_count";

fn group_from_row(row: &AnyRow) -> Result<CustomerGroup, sqlx::Error> {
    Ok(CustomerGroup {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        price_adjustment: PriceAdjustment::from_basis_points(row.try_get("price_adjustment_bp")?),
        tax_exempt: row.try_get::<i64, _>("tax_exempt")? != 0,
        assignable: row.try_get::<i64, _>("assignable")? != 0,
        version: row.try_get("version")?,
        customer_count: match row.try_column("customer_count") {
            Ok(_) => Some(row.try_get("customer_count")?),
            Err(_) => None,
        },
    })
}

/// Every group, by name; with how many live customers each has when `counted`.
pub async fn list(db: &Db, counted: bool) -> Result<Vec<CustomerGroup>, sqlx::Error> {
    let count = if counted {
        format!(", {CUSTOMER_COUNT}")
    } else {
        String::new()
    };
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {GROUP_COLUMNS}{count} FROM customer_groups g ORDER BY g.name_key, g.id"
    )))
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(group_from_row).collect()
}

pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<CustomerGroup>, sqlx::Error> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {GROUP_COLUMNS} FROM customer_groups g WHERE g.id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(group_from_row).transpose()
}

/// The groups a customer is in, by name.
pub async fn of_customer(
    conn: &mut AnyConnection,
    customer_id: i64,
) -> Result<Vec<CustomerGroup>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {GROUP_COLUMNS} FROM customer_group_members mm JOIN customer_groups g ON g.id = mm.group_id
         WHERE mm.customer_id = $1 ORDER BY g.name_key, g.id"
    )))
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(group_from_row).collect()
}

/// The adjustment of the customer's prices (see [`PriceAdjustment::for_groups`]) and whether one
/// of its groups makes it tax exempt.
pub async fn pricing(
    conn: &mut AnyConnection,
    customer_id: i64,
) -> Result<(PriceAdjustment, bool), sqlx::Error> {
    let rows = sqlx::query(
        "SELECT g.price_adjustment_bp, g.tax_exempt FROM customer_group_members m
         JOIN customer_groups g ON g.id = m.group_id WHERE m.customer_id = $1",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut adjustments = Vec::with_capacity(rows.len());
    let mut tax_exempt = false;
    for row in &rows {
        adjustments.push(PriceAdjustment::from_basis_points(
            row.try_get("price_adjustment_bp")?,
        ));
        tax_exempt |= row.try_get::<i64, _>("tax_exempt")? != 0;
    }
    Ok((PriceAdjustment::for_groups(adjustments), tax_exempt))
}

pub async fn insert(db: &Db, group: &ValidGroup, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO customer_groups (name, name_key, description, price_adjustment_bp, tax_exempt, assignable,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(group.name.clone())
    .bind(group.name_key())
    .bind(group.description.clone())
    .bind(group.price_adjustment.basis_points())
    .bind(i64::from(group.tax_exempt))
    .bind(i64::from(group.assignable))
    .bind(now)
    .fetch_one(&db.pool)
    .await
}

/// Saves over `version`; `false` when the stored group is at another version (or gone).
pub async fn update(
    db: &Db,
    id: i64,
    version: i64,
    group: &ValidGroup,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE customer_groups SET name = $1, name_key = $2, description = $3, price_adjustment_bp = $4,
             tax_exempt = $5, assignable = $6, updated_at = $7, version = version + 1
         WHERE id = $8 AND version = $9",
    )
    .bind(group.name.clone())
    .bind(group.name_key())
    .bind(group.description.clone())
    .bind(group.price_adjustment.basis_points())
    .bind(i64::from(group.tax_exempt))
    .bind(i64::from(group.assignable))
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a group no customer is in (customers in the Trash included); `false` otherwise.
pub async fn delete_unused(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM customer_groups WHERE id = $1
         AND NOT EXISTS (SELECT 1 FROM customer_group_members m WHERE m.group_id = $1)",
    )
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Puts the customer in the group; `false` when it already was.
pub async fn add_member(
    tx: &mut AnyConnection,
    customer_id: i64,
    group_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO customer_group_members (customer_id, group_id, added_at) VALUES ($1, $2, $3)
         ON CONFLICT (customer_id, group_id) DO NOTHING",
    )
    .bind(customer_id)
    .bind(group_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes the customer out of the group; `false` when it was not in it.
pub async fn remove_member(
    tx: &mut AnyConnection,
    customer_id: i64,
    group_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM customer_group_members WHERE customer_id = $1 AND group_id = $2")
        .bind(customer_id)
        .bind(group_id)
        .execute(&mut *tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The names of the groups of each of these customers, for the list's column.
pub async fn names_of(db: &Db, customer_ids: &[i64]) -> Result<Vec<(i64, String)>, sqlx::Error> {
    if customer_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = crate::sql::Sql::default();
    sql.push("SELECT m.customer_id, g.name FROM customer_group_members m JOIN customer_groups g ON g.id = m.group_id WHERE m.customer_id IN (");
    for (i, id) in customer_ids.iter().enumerate() {
        sql.push(if i == 0 { "" } else { ", " });
        sql.bind(crate::sql::Bind::Int(*id));
    }
    sql.push(") ORDER BY g.name_key, g.id");
    sql.query()
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|row| Ok((row.try_get("customer_id")?, row.try_get("name")?)))
        .collect()
}
