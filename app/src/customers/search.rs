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

use crate::state::Db;
use crate::text_search::{fold, trigram_query};

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
