//! The customer search, the one place where the two databases differ: both match every word of
//! the query as a substring of name, account number and city, through a trigram index.
//!
//! PostgreSQL's planner uses its trigram index for `LIKE` by itself. SQLite's FTS5 trigram
//! index answers substring queries fast when few customers match; when many do, walking the list
//! order and testing each row finds a page sooner than sorting every match. So SQLite first
//! counts matches up to [`SPARSE_LIMIT`] and picks the way that stays fast.

use crate::sql::{Bind, Sql};
use crate::state::{Backend, Db};

/// Up to this many matches, SQLite sorts the index's matches; beyond it, it walks the list order.
const SPARSE_LIMIT: i64 = 2_000;

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

/// An FTS5 query that all of `words` (those long enough for trigrams) appear in a row.
fn fts_query(words: &[String]) -> Option<String> {
    let phrases: Vec<String> = words
        .iter()
        .filter(|w| w.chars().count() >= 3)
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    (!phrases.is_empty()).then(|| phrases.join(" AND "))
}

/// Appends ` AND …` conditions that keep only customers matching every word of `q`.
pub async fn push_conditions(db: &Db, sql: &mut Sql, q: &str) -> Result<(), sqlx::Error> {
    let words = words(q);
    if words.is_empty() {
        return Ok(());
    }
    if db.backend == Backend::Sqlite {
        if let Some(fts) = fts_query(&words) {
            let matches: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM (SELECT rowid FROM customer_search WHERE customer_search MATCH $1 LIMIT $2)",
            )
            .bind(fts.clone())
            .bind(SPARSE_LIMIT)
            .fetch_one(&db.pool)
            .await?;
            if matches < SPARSE_LIMIT {
                sql.push(" AND c.id IN (SELECT rowid FROM customer_search WHERE customer_search MATCH ");
                sql.bind(Bind::Text(fts));
                sql.push(")");
            }
        }
    }
    for word in &words {
        sql.push(" AND c.search_text LIKE ");
        sql.bind(Bind::Text(like_pattern(word)));
        sql.push(" ESCAPE '\\'");
    }
    Ok(())
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
        assert_eq!(
            fts_query(&words("co uptown say\"hi")).unwrap(),
            "\"uptown\" AND \"say\"\"hi\""
        );
        assert_eq!(fts_query(&words("co")), None);
    }
}
