//! `name_order`: a number per customer that sorts as the list's name order (name_key, id) does,
//! spaced out so that a new or renamed customer usually fits between its neighbours with one
//! update. When two neighbours have no room left, every customer is numbered afresh.
//! SQLite's name-ordered search index is keyed by it.

use sqlx::{AnyConnection, Row};

/// Numbers run from 0 to `SPAN`.
const SPAN: i64 = 1 << 62;
/// At most this far from a neighbour, so that runs of customers added in name order (an
/// alphabetical import) use little of a gap each.
const STRIDE: i64 = 1 << 32;

/// A number strictly between the neighbours' (an absent one stands for the end of the range);
/// `None` when there is none.
pub fn between(before: Option<i64>, after: Option<i64>) -> Option<i64> {
    let (low, high) = (before.unwrap_or(0), after.unwrap_or(SPAN));
    if high - low < 2 {
        return None;
    }
    let step = ((high - low) / 2).min(STRIDE);
    Some(if before.is_none() && after.is_some() {
        high - step
    } else {
        low + step
    })
}

/// Gives customer `id` its place, reading its neighbours in the same transaction.
pub async fn place(conn: &mut AnyConnection, id: i64) -> Result<(), sqlx::Error> {
    let name_key: String = sqlx::query_scalar("SELECT name_key FROM customers WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    let neighbour = |sql: &'static str| sqlx::query(sql).bind(name_key.clone()).bind(id);
    let before = neighbour(
        "SELECT name_order FROM customers WHERE name_order IS NOT NULL AND (name_key, id) < ($1, $2)
         ORDER BY name_key DESC, id DESC LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await?;
    let after = neighbour(
        "SELECT name_order FROM customers WHERE name_order IS NOT NULL AND (name_key, id) > ($1, $2)
         ORDER BY name_key, id LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await?;
    let value = |row: Option<sqlx::any::AnyRow>| row.map(|r| r.try_get::<i64, _>("name_order")).transpose();
    match between(value(before)?, value(after)?) {
        Some(number) => {
            sqlx::query("UPDATE customers SET name_order = $1 WHERE id = $2")
                .bind(number)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }
        None => renumber(conn).await,
    }
}

/// Numbers every customer afresh, evenly spaced, in name order.
pub async fn renumber(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    let customers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers")
        .fetch_one(&mut *conn)
        .await?;
    let spacing = SPAN / (customers + 1);
    // Cleared first: numbers are unique, and the new ones may cross the old.
    sqlx::query("UPDATE customers SET name_order = NULL WHERE name_order IS NOT NULL")
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE customers SET name_order = ranked.position * $1
         FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY name_key, id) AS position FROM customers) AS ranked
         WHERE ranked.id = customers.id",
    )
    .bind(spacing)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_customer_is_placed_a_stride_in() {
        assert_eq!(between(None, None), Some(STRIDE));
    }

    #[test]
    fn a_customer_fits_between_its_neighbours() {
        assert_eq!(between(Some(10), Some(20)), Some(15));
        assert_eq!(between(Some(10), Some(12)), Some(11));
        assert_eq!(between(Some(10), Some(11)), None);
    }

    #[test]
    fn runs_at_either_end_step_by_at_most_a_stride() {
        assert_eq!(between(Some(100), None), Some(100 + STRIDE));
        assert_eq!(between(None, Some(SPAN - 1)), Some(SPAN - 1 - STRIDE));
        assert_eq!(between(None, Some(3)), Some(2));
    }

    #[test]
    fn a_sorted_run_of_ten_thousand_fits_in_one_even_gap() {
        let (mut low, high) = (0, SPAN / 100_001);
        for _ in 0..10_000 {
            low = between(Some(low), Some(high)).expect("room");
        }
        assert!(low < high);
    }
}
