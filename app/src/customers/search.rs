//! The customer search: every word of the query must appear in a customer's name, account number
//! or city — or every word in the name or email of one of its contacts — as a substring, ignoring
//! case and accents.
//!
//! This is where the two databases differ. PostgreSQL's planner uses its trigram index for
//! `LIKE` by itself. On SQLite, two FTS5 trigram indexes find candidates: one keyed by customer
//! id (the order customers were added), one keyed by `name_order` (the name order), so the first
//! candidates an index yields that pass `LIKE` are the page, however many customers match. For
//! each word the index is asked only for its two rarest trigrams (see
//! [`crate::text_search::trigram_query`]). `LIKE` then checks every whole word, including those
//! shorter than a trigram.

use crate::sql::{Bind, Sql};
use crate::state::{Backend, Db};
use crate::text_search::{fold, push_like, trigram_query};
use sqlx::Row;

/// The text a customer is found by: name, account number and city, folded (see [`fold`]).
pub fn search_text(name: &str, account_number: Option<&str>, city: &str) -> String {
    fold(&format!("{} / {} / {}", name, account_number.unwrap_or(""), city))
}

/// Trigrams held by more customers than this are all taken to be common.
const COUNT_LIMIT: i64 = 500;

/// The FTS5 query for candidate customers (see [`trigram_query`]); `None` when no word is three
/// letters long, or on PostgreSQL.
pub async fn fts_query(db: &Db, words: &[String]) -> Result<Option<String>, sqlx::Error> {
    Ok(trigram_query(db, "customer_search", words, COUNT_LIMIT)
        .await?
        .map(|q| q.query))
}

/// The live customers whose own text holds every word, when there are at most
/// `limit`: another list filtered by customer (orders, Activity) then reads just theirs. `None`
/// when there are more, or the words are too short for the trigram index: they are common, and
/// walking that list checking each row's customer finds a page sooner.
pub async fn few_matching(db: &Db, words: &[String], limit: i64) -> Result<Option<Vec<i64>>, sqlx::Error> {
    let mut sql = Sql::default();
    match fts_query(db, words).await? {
        Some(fts) => {
            sql.push("SELECT c.id FROM customer_search s JOIN customers c ON c.id = s.rowid WHERE s.customer_search MATCH ");
            sql.bind(Bind::Text(fts));
        }
        None if db.backend == Backend::Postgres => sql.push("SELECT c.id FROM customers c WHERE 1 = 1"),
        None => return Ok(None),
    }
    // PostgreSQL's trigram index holds live customers only.
    sql.push(" AND c.deleted_at IS NULL");
    push_like(&mut sql, "c.search_text", words);
    sql.push(" LIMIT ");
    sql.bind(Bind::Int(limit + 1));
    let ids: Vec<i64> = sql
        .query()
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|row| row.try_get(0))
        .collect::<Result<_, _>>()?;
    Ok((ids.len() as i64 <= limit).then_some(ids))
}

/// ` AND {column} IN (…)` for the customers of `words` when they are few (see [`few_matching`]),
/// else ` AND` the customer `alias` holds every word: then `true`, and the caller joins it.
pub async fn push_customer_words(
    db: &Db,
    sql: &mut Sql,
    column: &str,
    alias: &str,
    words: &[String],
) -> Result<bool, sqlx::Error> {
    if words.is_empty() {
        return Ok(false);
    }
    match few_matching(db, words, FEW_CUSTOMERS).await? {
        Some(ids) => {
            sql.push(&format!(" AND {column} IN (-1"));
            for id in ids {
                sql.push(", ");
                sql.bind(Bind::Int(id));
            }
            sql.push(")");
            Ok(false)
        }
        None => {
            push_like(sql, &format!("{alias}.search_text"), words);
            Ok(true)
        }
    }
}

/// At most this many customers are looked up one by one in another list's index.
const FEW_CUSTOMERS: i64 = 500;
