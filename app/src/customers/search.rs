//! The customer search: every word of the query must appear in a customer's name, account number
//! or city, as a substring, ignoring case.
//!
//! This is where the two databases differ. PostgreSQL's planner uses its trigram index for
//! `LIKE` by itself. On SQLite, two FTS5 trigram indexes answer the words of three letters or
//! more: one keyed by customer id (the order customers were added), one keyed by `name_order`
//! (the name order), so the first matches an index yields are the page, however many customers
//! match. Shorter words, which trigrams cannot find, are checked with `LIKE` on those rows.

use crate::sql::{Bind, Sql};
use crate::state::Backend;

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

fn like_pattern(word: &str) -> String {
    let escaped = word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// An FTS5 query that all of `words` long enough for trigrams appear in a row; `None` when there
/// is none, or the database has no FTS5 (PostgreSQL).
pub fn fts_query(backend: Backend, words: &[String]) -> Option<String> {
    let phrases: Vec<String> = words
        .iter()
        .filter(|w| w.chars().count() >= 3)
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    (backend == Backend::Sqlite && !phrases.is_empty()).then(|| phrases.join(" AND "))
}

/// Appends ` AND …` conditions that keep only customers matching every word.
pub fn push_like(sql: &mut Sql, words: &[String]) {
    for word in words {
        sql.push(" AND c.search_text LIKE ");
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
    fn fts_queries_quote_words_and_skip_short_ones() {
        let sqlite = |q: &str| fts_query(Backend::Sqlite, &words(q));
        assert_eq!(
            sqlite("co uptown say\"hi").unwrap(),
            "\"uptown\" AND \"say\"\"hi\""
        );
        assert_eq!(sqlite("co"), None);
        assert_eq!(fts_query(Backend::Postgres, &words("uptown")), None);
    }
}
