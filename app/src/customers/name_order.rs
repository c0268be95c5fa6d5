//! `name_order`: a number per customer that sorts as the list's name order (name_key, id) does,
//! spaced out so that a new or renamed customer usually fits between its neighbours with one
//! update. When two neighbours have no room left, the nearest customers around are numbered
//! afresh, evenly over a gap wide enough for them (every customer only when none is).
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
        None => make_room(conn, &name_key, id).await,
    }
}

/// The least spacing a renumbered window of the smallest reach leaves between neighbours: room
/// for about 24 more customers added each between the last two, the worst case, before the
/// window is renumbered again.
const MIN_SPACING: i64 = 1 << 24;
/// The smallest reach tried, customers on each side.
const FIRST_REACH: i64 = 16;

/// Evenly spaced numbers for `count` customers strictly between `low` and `high`, when they
/// leave at least the spacing a window of `reach` needs. A wider window needs proportionally
/// more, so that once renumbered its crowded spots are later made room for by narrow windows
/// again; renumbered to the bare minimum, a crowded stretch of 5,000 customers needed all 5,000
/// renumbered every few additions.
pub fn spaced(low: i64, high: i64, count: usize, reach: i64) -> Option<Vec<i64>> {
    let least = MIN_SPACING.saturating_mul((reach / FIRST_REACH).max(1));
    let spacing = (high - low) / (count as i64 + 1);
    (spacing >= least).then(|| (1..=count as i64).map(|k| low + spacing * k).collect())
}

/// Places customer `id` (named `name_key`) where its neighbours left no room: renumbers it and
/// the `reach` nearest customers on each side evenly between the next ones out, widening the
/// reach fourfold until that gap is wide enough. Numbering every customer afresh instead took
/// each new customer's transaction 6 s with 4,000 customers (every number is a row of the
/// trigram index too) while every other write waited.
async fn make_room(conn: &mut AnyConnection, name_key: &str, id: i64) -> Result<(), sqlx::Error> {
    let mut reach = FIRST_REACH;
    loop {
        // Nearest first; one more than `reach` on each side, the window's bounds.
        let side = |sql: &'static str| {
            sqlx::query(sql)
                .bind(name_key.to_string())
                .bind(id)
                .bind(reach + 1)
        };
        let numbered = |rows: Vec<sqlx::any::AnyRow>| {
            rows.iter()
                .map(|r| Ok((r.try_get::<i64, _>("id")?, r.try_get::<i64, _>("name_order")?)))
                .collect::<Result<Vec<(i64, i64)>, sqlx::Error>>()
        };
        let before = numbered(
            side(
                "SELECT id, name_order FROM customers WHERE name_order IS NOT NULL AND (name_key, id) < ($1, $2)
                 ORDER BY name_key DESC, id DESC LIMIT $3",
            )
            .fetch_all(&mut *conn)
            .await?,
        )?;
        let after = numbered(
            side(
                "SELECT id, name_order FROM customers WHERE name_order IS NOT NULL AND (name_key, id) > ($1, $2)
                 ORDER BY name_key, id LIMIT $3",
            )
            .fetch_all(&mut *conn)
            .await?,
        )?;
        let everyone = before.len() as i64 <= reach && after.len() as i64 <= reach;
        let low = before.get(reach as usize).map_or(0, |b| b.1);
        let high = after.get(reach as usize).map_or(SPAN, |a| a.1);
        let window: Vec<i64> = before
            .iter()
            .take(reach as usize)
            .rev()
            .map(|b| b.0)
            .chain(std::iter::once(id))
            .chain(after.iter().take(reach as usize).map(|a| a.0))
            .collect();
        match spaced(low, high, window.len(), reach) {
            Some(numbers) => return renumber_window(conn, &window, &numbers).await,
            None if everyone => return renumber(conn).await,
            None => reach *= 4,
        }
    }
}

/// Gives the customers `ids` the `numbers`, cleared first: a new number may be another's old.
async fn renumber_window(conn: &mut AnyConnection, ids: &[i64], numbers: &[i64]) -> Result<(), sqlx::Error> {
    for id in ids {
        sqlx::query("UPDATE customers SET name_order = NULL WHERE id = $1")
            .bind(*id)
            .execute(&mut *conn)
            .await?;
    }
    for (id, number) in ids.iter().zip(numbers) {
        sqlx::query("UPDATE customers SET name_order = $1 WHERE id = $2")
            .bind(*number)
            .bind(*id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
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

/// Numbers for many new customers at once, each given as its name key and id: strictly between
/// its neighbours among the `placed` customers ((name key, id, number), in name order), each run
/// of new customers between two neighbours spread evenly over their gap. In the order given;
/// `None` when a gap has no room for its run.
pub fn spread(placed: &[(String, i64, i64)], new: &[(String, i64)]) -> Option<Vec<i64>> {
    let mut order: Vec<usize> = (0..new.len()).collect();
    order.sort_by(|&a, &b| (&new[a].0, new[a].1).cmp(&(&new[b].0, new[b].1)));
    let mut numbers = vec![0; new.len()];
    let mut next = 0; // The first of `order` not yet numbered.
    while next < order.len() {
        let first = &new[order[next]];
        // The placed customers before it, then the new ones before the next placed customer.
        let gap = placed.partition_point(|(key, id, _)| (key, *id) < (&first.0, first.1));
        let run_end = match placed.get(gap) {
            Some((key, id, _)) => {
                next + order[next..].partition_point(|&i| (&new[i].0, new[i].1) < (key, *id))
            }
            None => order.len(),
        };
        let low = gap.checked_sub(1).map_or(0, |g| placed[g].2);
        let high = placed.get(gap).map_or(SPAN, |p| p.2);
        let step = (high - low) / (run_end - next + 1) as i64;
        if step < 1 {
            return None;
        }
        for (k, &i) in order[next..run_end].iter().enumerate() {
            numbers[i] = low + step * (k as i64 + 1);
        }
        next = run_end;
    }
    Some(numbers)
}

/// Numbers for many new customers (see [`spread`]), reading every placed customer once: cheaper
/// than numbering them after they are inserted, which rewrites every customer twice.
pub async fn spread_new(
    conn: &mut AnyConnection,
    new: &[(String, i64)],
) -> Result<Option<Vec<i64>>, sqlx::Error> {
    // Sorted by number, which is the name order; PostgreSQL keeps name keys in byte order
    // (`COLLATE "C"`), as Rust compares them.
    let placed = sqlx::query(
        "SELECT name_key, id, name_order FROM customers WHERE name_order IS NOT NULL ORDER BY name_order",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|row| {
        Ok((
            row.try_get("name_key")?,
            row.try_get("id")?,
            row.try_get("name_order")?,
        ))
    })
    .collect::<Result<Vec<(String, i64, i64)>, sqlx::Error>>()?;
    Ok(spread(&placed, new))
}

/// Gives customers their numbers ((id, number) each) in one statement on SQLite, in name order:
/// its index keyed by the number is then written in ascending order, once.
pub async fn set_on_sqlite(conn: &mut AnyConnection, mut placed: Vec<(i64, i64)>) -> Result<(), sqlx::Error> {
    if placed.is_empty() {
        return Ok(());
    }
    placed.sort_unstable_by_key(|(_, number)| *number);
    let pairs: Vec<String> = placed.iter().map(|(id, n)| format!("[{id},{n}]")).collect();
    sqlx::query(
        "UPDATE customers SET name_order = j.value ->> 1 FROM json_each($1) AS j
         WHERE customers.id = j.value ->> 0",
    )
    .bind(format!("[{}]", pairs.join(",")))
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

    fn keyed(pairs: &[(&str, i64)]) -> Vec<(String, i64)> {
        pairs.iter().map(|(k, id)| (k.to_string(), *id)).collect()
    }

    #[test]
    fn new_customers_spread_between_their_neighbours_in_name_order() {
        let placed = vec![("bravo".to_string(), 1, 100), ("delta".to_string(), 2, 200)];
        let new = keyed(&[
            ("echo", 9),
            ("alpha", 5),
            ("charlie", 7),
            ("bravo", 8),
            ("charlie", 6),
        ]);
        let numbers = spread(&placed, &new).expect("room");
        // Name order: alpha 5 | bravo 1 (100) | bravo 8, charlie 6, charlie 7 | delta 2 (200) | echo 9.
        assert_eq!(numbers[1], 50);
        assert_eq!((numbers[3], numbers[4], numbers[2]), (125, 150, 175));
        assert_eq!(numbers[0], 200 + (SPAN - 200) / 2);
        let mut all: Vec<(String, i64, i64)> = placed.clone();
        all.extend(new.iter().zip(&numbers).map(|((k, id), n)| (k.clone(), *id, *n)));
        all.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        assert!(all.windows(2).all(|w| w[0].2 < w[1].2), "{all:?}");
    }

    #[test]
    fn a_gap_without_room_for_its_run_gives_no_numbers() {
        let placed = vec![("a".to_string(), 1, 10), ("c".to_string(), 2, 12)];
        assert_eq!(spread(&placed, &keyed(&[("b", 3)])), Some(vec![11]));
        assert_eq!(spread(&placed, &keyed(&[("b", 3), ("bb", 4)])), None);
    }

    #[test]
    fn a_window_is_spread_evenly_only_when_it_leaves_room() {
        let spread = Some(vec![MIN_SPACING, 2 * MIN_SPACING, 3 * MIN_SPACING]);
        assert_eq!(spaced(0, 4 * MIN_SPACING, 3, FIRST_REACH), spread);
        assert_eq!(spaced(0, 4 * MIN_SPACING - 1, 3, FIRST_REACH), None);
        // Four times the reach needs four times the room.
        assert_eq!(spaced(0, 4 * MIN_SPACING, 3, 4 * FIRST_REACH), None);
        assert!(spaced(0, 16 * MIN_SPACING, 3, 4 * FIRST_REACH).is_some());
    }

    #[test]
    fn into_an_empty_list_new_customers_are_spread_over_the_whole_range() {
        let numbers = spread(&[], &keyed(&[("b", 2), ("a", 1)])).expect("room");
        assert_eq!(numbers, vec![2 * (SPAN / 3), SPAN / 3]);
    }
}
