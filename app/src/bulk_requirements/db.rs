//! The bulk change, in one transaction: for each chosen customer, each location or item it
//! sources and each chosen type of that level, require it (opening its request) or not (cancelling
//! the open one).

use super::BulkOutcome;
use crate::activity::db::{record, Actor};
use crate::domain::Level;
use crate::requirements::db::{require, unrequire};
use crate::sql::{Bind, Sql};
use crate::state::Db;
use sqlx::{AnyConnection, Row};

/// The (customer, listing) pairs of `level` among `customers`.
async fn sourced_pairs(
    tx: &mut AnyConnection,
    level: Level,
    customers: &[i64],
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let (table, column) = match level {
        Level::Location => ("customer_locations", "location_id"),
        Level::Item => ("customer_items", "item_id"),
    };
    let mut pairs = Vec::new();
    for chunk in customers.chunks(256) {
        let mut sql = Sql::default();
        sql.push(&format!(
            "SELECT customer_id, {column} AS listing_id FROM {table} WHERE customer_id IN ("
        ));
        for (i, id) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "" } else { ", " });
            sql.bind(Bind::Int(*id));
        }
        sql.push(") ORDER BY customer_id, listing_id");
        for row in sql.query().fetch_all(&mut *tx).await? {
            pairs.push((row.try_get("customer_id")?, row.try_get("listing_id")?));
        }
    }
    Ok(pairs)
}

/// Adds (or removes) requirements of `types` (each with its level and name) for `customers`.
pub async fn apply(
    db: &Db,
    customers: &[i64],
    types: &[(i64, Level, String)],
    add: bool,
    actor: &Actor<'_>,
    now: i64,
) -> Result<BulkOutcome, sqlx::Error> {
    let mut tx = db.begin().await?;
    let mut outcome = BulkOutcome::default();
    let mut touched = std::collections::BTreeSet::new();
    for level in [Level::Location, Level::Item] {
        let of_level: Vec<&(i64, Level, String)> = types.iter().filter(|(_, l, _)| *l == level).collect();
        if of_level.is_empty() {
            continue;
        }
        for (customer, listing) in sourced_pairs(&mut tx, level, customers).await? {
            for (type_id, _, _) in &of_level {
                let changed = if add {
                    require(&mut tx, customer, level, listing, *type_id, now).await?
                } else {
                    unrequire(&mut tx, customer, level, listing, *type_id).await?
                };
                if changed {
                    outcome.requirements += 1;
                    touched.insert(customer);
                }
            }
        }
    }
    let names: Vec<&str> = types.iter().map(|(_, _, name)| name.as_str()).collect();
    let detail = format!(
        "{} in bulk: {}.",
        if add {
            "Requirements added"
        } else {
            "Requirements removed"
        },
        names.join(", ")
    );
    for customer in &touched {
        record(
            &mut tx,
            *customer,
            actor,
            if add {
                "requirements_added"
            } else {
                "requirements_removed"
            },
            &detail,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    outcome.customers = touched.len();
    Ok(outcome)
}
