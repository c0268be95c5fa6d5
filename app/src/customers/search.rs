//! The customer search: every word of the query must appear in a customer's name, account number
//! or city, as a substring, ignoring case.
//!
//! This is where the two databases differ. PostgreSQL's planner uses its trigram index for
//! `LIKE` by itself. On SQLite, two FTS5 trigram indexes find candidates: one keyed by customer
//! id (the order customers were added), one keyed by `name_order` (the name order), so the first
//! candidates an index yields that pass `LIKE` are the page, however many customers match. For
//! each word the index is asked only for its two rarest trigrams: a word's common trigrams (the
//! "acc" of every account number) cost the most to read and narrow the least. `LIKE` then checks
//! every whole word, including those shorter than a trigram.

use crate::sql::{Bind, Sql};
use crate::state::{Backend, Db};
use sqlx::Row;
use std::collections::HashMap;

/// The text a customer is found by: name, account number and city, lower-cased.
pub fn search_text(name: &str, account_number: Option<&str>, city: &str) -> String {
    format!("{} / {} / {}", name, account_number.unwrap_or(""), city).to_lowercase()
}

/// The words of a query, lower-cased, without repeats, at most five.
pub fn words(q: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in q.to_lowercase().split_whitespace() {
        if !words.iter().any(|w| w == word) && words.len() < 5 {
            words.push(word.to_string());
        }
    }
    words
}

pub fn like_pattern(word: &str) -> String {
    let escaped = word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// Trigrams held by more customers than this are all taken to be common.
const COUNT_LIMIT: i64 = 500;

/// An FTS5 phrase matching `text` exactly.
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The trigrams of a word, as the trigram tokenizer cuts them.
fn trigrams(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    chars.windows(3).map(|w| w.iter().collect()).collect()
}

/// An FTS5 query for candidates: for each word of three letters or more, its two rarest
/// trigrams. `None` when no word is that long, or on PostgreSQL.
pub async fn fts_query(db: &Db, words: &[String]) -> Result<Option<String>, sqlx::Error> {
    if db.backend != Backend::Sqlite {
        return Ok(None);
    }
    let mut all: Vec<String> = words.iter().flat_map(|w| trigrams(w)).collect();
    all.sort();
    all.dedup();
    if all.is_empty() {
        return Ok(None);
    }
    // Counting a trigram's customers up to a limit costs little however common it is (FTS5's
    // own vocabulary table reads a common trigram's whole list); beyond the limit, all are alike.
    let mut sql = Sql::default();
    for (i, trigram) in all.iter().enumerate() {
        sql.push(if i == 0 { "SELECT " } else { " UNION ALL SELECT " });
        sql.bind(Bind::Text(trigram.clone()));
        sql.push(
            " AS term, COUNT(*) AS doc FROM (SELECT rowid FROM customer_search WHERE customer_search MATCH ",
        );
        sql.bind(Bind::Text(phrase(trigram)));
        sql.push(&format!(" LIMIT {COUNT_LIMIT})"));
    }
    let rows = sql.query().fetch_all(&db.pool).await?;
    let mut customers_with = HashMap::new();
    for row in rows {
        customers_with.insert(row.try_get::<String, _>("term")?, row.try_get::<i64, _>("doc")?);
    }
    Ok(rarest_trigrams_query(words, |t| {
        customers_with.get(t).copied().unwrap_or(0)
    }))
}

/// The FTS5 query asking for each word's two rarest trigrams, given how many customers hold each.
fn rarest_trigrams_query(words: &[String], customers_with: impl Fn(&str) -> i64) -> Option<String> {
    let mut phrases: Vec<String> = Vec::new();
    for word in words {
        let mut trigrams = trigrams(word);
        trigrams.sort_by_key(|t| customers_with(t));
        for trigram in trigrams.into_iter().take(2) {
            let phrase = phrase(&trigram);
            if !phrases.contains(&phrase) {
                phrases.push(phrase);
            }
        }
    }
    (!phrases.is_empty()).then(|| phrases.join(" AND "))
}

/// Appends ` AND …` conditions that keep only rows whose `column` (lower-case text) holds every
/// word.
pub fn push_like(sql: &mut Sql, column: &str, words: &[String]) {
    for word in words {
        sql.push(" AND ");
        sql.push(column);
        sql.push(" LIKE ");
        sql.bind(Bind::Text(like_pattern(word)));
        sql.push(" ESCAPE '\\'");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_cased_deduplicated_and_capped() {
        assert_eq!(words("  Coffee coffee UPTOWN "), vec!["coffee", "uptown"]);
        assert_eq!(words("a b c d e f g").len(), 5);
    }

    #[test]
    fn like_wildcards_in_a_query_are_taken_literally() {
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }

    #[test]
    fn words_are_cut_into_trigrams() {
        assert_eq!(trigrams("café"), vec!["caf", "afé"]);
        assert!(trigrams("co").is_empty());
    }

    #[test]
    fn candidates_come_from_each_words_two_rarest_trigrams() {
        let counts = |t: &str| match t {
            "acc" | "cc-" | "c-0" => 80_000,
            "-04" => 8_000,
            "042" => 1_000,
            "421" => 200,
            _ => 5,
        };
        assert_eq!(
            rarest_trigrams_query(&words("ACC-0421"), counts).unwrap(),
            "\"421\" AND \"042\""
        );
        assert_eq!(
            rarest_trigrams_query(&words("co say\"hi"), counts).unwrap(),
            "\"say\" AND \"ay\"\"\""
        );
        assert_eq!(rarest_trigrams_query(&words("co"), counts), None);
    }
}
