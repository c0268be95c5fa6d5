//! Queries for the listings a customer sources, its requirements, and the Document Requests they
//! open and cancel. Every change runs inside the caller's transaction.

use super::{RequirementTick, SourcedListing, SourcedPage};
use crate::domain::Level;
use crate::listings::PAGE_SIZE;
use crate::sql::{Bind, Sql};
use crate::state::Db;
use crate::text_search::{push_like, words};
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::HashSet;

/// The table of what a customer sources at this level, the column naming the listing, and the
/// listings' own table.
fn tables(level: Level) -> (&'static str, &'static str, &'static str) {
    match level {
        Level::Location => ("customer_locations", "location_id", "locations"),
        Level::Item => ("customer_items", "item_id", "items"),
    }
}

/// A page of the customer's locations or items in name order, after the listing `after`, of those
/// whose name and code or SKU hold every word of `q`; each with the document types of its level:
/// the ones shown in Share Settings, and any hidden one still required.
pub async fn sourced(
    db: &Db,
    customer_id: i64,
    level: Level,
    q: &str,
    after: Option<i64>,
) -> Result<SourcedPage, sqlx::Error> {
    let (sourced, column, listings) = tables(level);
    let detail = match level {
        Level::Location => "l.code",
        Level::Item => "l.sku",
    };
    let mut sql = Sql::default();
    sql.push(&format!(
        "SELECT l.id, l.name, {detail} AS detail FROM {sourced} s JOIN {listings} l ON l.id = s.{column}
         WHERE s.customer_id = "
    ));
    sql.bind(Bind::Int(customer_id));
    push_like(&mut sql, "l.search_text", &words(q));
    if let Some(after) = after {
        let key: Option<String> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT name_key FROM {listings} WHERE id = $1"
        )))
        .bind(after)
        .fetch_optional(&db.pool)
        .await?;
        if let Some(key) = key {
            sql.push(" AND (l.name_key, l.id) > (");
            sql.bind(Bind::Text(key));
            sql.push(", ");
            sql.bind(Bind::Int(after));
            sql.push(")");
        }
    }
    sql.push(" ORDER BY l.name_key, l.id LIMIT ");
    sql.bind(Bind::Int(PAGE_SIZE + 1));
    let mut rows = sql.query().fetch_all(&db.pool).await?;
    let has_next = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM {sourced} WHERE customer_id = $1"
    )))
    .bind(customer_id)
    .fetch_one(&db.pool)
    .await?;
    let types =
        sqlx::query("SELECT id, name, hidden FROM document_types WHERE level = $1 ORDER BY name_key, id")
            .bind(level.key())
            .fetch_all(&db.pool)
            .await?;
    // The requirements of this page's listings only, not of a big account's thousands.
    let mut of_page = Sql::default();
    of_page.push(&format!(
        "SELECT {column} AS listing_id, type_id FROM customer_requirements WHERE customer_id = "
    ));
    of_page.bind(Bind::Int(customer_id));
    of_page.push(&format!(" AND {column} IN (-1"));
    for row in &rows {
        of_page.push(", ");
        of_page.bind(Bind::Int(row.try_get("id")?));
    }
    of_page.push(")");
    let required: HashSet<(i64, i64)> = of_page
        .query()
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|row| Ok((row.try_get("listing_id")?, row.try_get("type_id")?)))
        .collect::<Result<_, sqlx::Error>>()?;
    let rows = rows
        .iter()
        .map(|row| {
            let id: i64 = row.try_get("id")?;
            let mut requirements = Vec::new();
            for t in &types {
                let type_id: i64 = t.try_get("id")?;
                let is_required = required.contains(&(id, type_id));
                if is_required || t.try_get::<i64, _>("hidden")? == 0 {
                    requirements.push(RequirementTick {
                        type_id,
                        type_name: t.try_get("name")?,
                        required: is_required,
                    });
                }
            }
            Ok(SourcedListing {
                id,
                name: row.try_get("name")?,
                detail: row.try_get("detail")?,
                requirements,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(SourcedPage {
        rows,
        has_next,
        total,
    })
}

pub async fn is_sourced(
    tx: &mut AnyConnection,
    customer_id: i64,
    level: Level,
    listing_id: i64,
) -> Result<bool, sqlx::Error> {
    let (sourced, column, _) = tables(level);
    let found: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT customer_id FROM {sourced} WHERE customer_id = $1 AND {column} = $2"
    )))
    .bind(customer_id)
    .bind(listing_id)
    .fetch_optional(&mut *tx)
    .await?;
    Ok(found.is_some())
}

/// The ids among `ids` that are listings of this level.
pub async fn existing_listings(db: &Db, level: Level, ids: &[i64]) -> Result<HashSet<i64>, sqlx::Error> {
    let (_, _, listings) = tables(level);
    let mut sql = crate::sql::Sql::default();
    sql.push(&format!("SELECT id FROM {listings} WHERE id IN ("));
    for (n, id) in ids.iter().enumerate() {
        if n > 0 {
            sql.push(", ");
        }
        sql.bind(crate::sql::Bind::Int(*id));
    }
    sql.push(")");
    let rows = sql.query().fetch_all(&db.pool).await?;
    rows.iter().map(|row| row.try_get("id")).collect()
}

/// The name of a location or item, for the Activity log.
pub async fn listing_name(
    tx: &mut AnyConnection,
    level: Level,
    listing_id: i64,
) -> Result<String, sqlx::Error> {
    let (_, _, listings) = tables(level);
    let name: Option<String> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT name FROM {listings} WHERE id = $1"
    )))
    .bind(listing_id)
    .fetch_optional(&mut *tx)
    .await?;
    Ok(name.unwrap_or_else(|| format!("#{listing_id}")))
}

/// Adds a listing the customer sources, with the default requirements of its level (shown types
/// ticked in Share Settings). `false` when the customer already sourced it.
pub async fn add(
    tx: &mut AnyConnection,
    customer_id: i64,
    level: Level,
    listing_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let (sourced, column, _) = tables(level);
    // A listing added twice at once (two clicks, two people) is added once.
    let added = sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO {sourced} (customer_id, {column}, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
    )))
    .bind(customer_id)
    .bind(listing_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if added.rows_affected() == 0 {
        return Ok(false);
    }
    let defaults: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM document_types WHERE level = $1 AND default_required = 1 AND hidden = 0 ORDER BY id",
    )
    .bind(level.key())
    .fetch_all(&mut *tx)
    .await?;
    for type_id in defaults {
        require(tx, customer_id, level, listing_id, type_id, now).await?;
    }
    Ok(true)
}

/// Takes a listing off the customer with its requirements; their open requests are cancelled,
/// sent ones stay as history. `false` when the customer did not source it.
pub async fn remove(
    tx: &mut AnyConnection,
    customer_id: i64,
    level: Level,
    listing_id: i64,
) -> Result<bool, sqlx::Error> {
    let (sourced, column, _) = tables(level);
    sqlx::query(AssertSqlSafe(format!(
        "DELETE FROM customer_requirements WHERE customer_id = $1 AND {column} = $2"
    )))
    .bind(customer_id)
    .bind(listing_id)
    .execute(&mut *tx)
    .await?;
    cancel_open(tx, customer_id, column, listing_id, None).await?;
    let done = sqlx::query(AssertSqlSafe(format!(
        "DELETE FROM {sourced} WHERE customer_id = $1 AND {column} = $2"
    )))
    .bind(customer_id)
    .bind(listing_id)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Makes the customer require the type for the listing and opens its request. Requiring what is
/// required already changes nothing: a request that was sent is not asked for again. Whether it
/// was new.
pub async fn require(
    tx: &mut AnyConnection,
    customer_id: i64,
    level: Level,
    listing_id: i64,
    type_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let (_, column, _) = tables(level);
    let added = sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO customer_requirements (customer_id, type_id, {column}, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING"
    )))
    .bind(customer_id)
    .bind(type_id)
    .bind(listing_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if added.rows_affected() == 1 {
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO document_requests (customer_id, type_id, {column}, status, created_at)
             VALUES ($1, $2, $3, 'open', $4) ON CONFLICT DO NOTHING"
        )))
        .bind(customer_id)
        .bind(type_id)
        .bind(listing_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    Ok(added.rows_affected() == 1)
}

/// No longer requires the type for the listing; its open request is cancelled. Whether it was
/// required.
pub async fn unrequire(
    tx: &mut AnyConnection,
    customer_id: i64,
    level: Level,
    listing_id: i64,
    type_id: i64,
) -> Result<bool, sqlx::Error> {
    let (_, column, _) = tables(level);
    let removed = sqlx::query(AssertSqlSafe(format!(
        "DELETE FROM customer_requirements WHERE customer_id = $1 AND {column} = $2 AND type_id = $3"
    )))
    .bind(customer_id)
    .bind(listing_id)
    .bind(type_id)
    .execute(&mut *tx)
    .await?;
    cancel_open(tx, customer_id, column, listing_id, Some(type_id)).await?;
    Ok(removed.rows_affected() == 1)
}

async fn cancel_open(
    tx: &mut AnyConnection,
    customer_id: i64,
    column: &str,
    listing_id: i64,
    type_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    // A requirement no longer wanted leaves alone what a contact asked for themselves; a location
    // or item taken off the customer (no `type_id`) takes every request for it along.
    sqlx::query(AssertSqlSafe(format!(
        "UPDATE document_requests SET status = 'cancelled'
         WHERE customer_id = $1 AND {column} = $2 AND status = 'open'
           AND ($3 = 0 OR (type_id = $3 AND requested_by_name IS NULL))"
    )))
    .bind(customer_id)
    .bind(listing_id)
    .bind(type_id.unwrap_or(0))
    .execute(&mut *tx)
    .await?;
    Ok(())
}
