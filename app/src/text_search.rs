//! Text search as a person means it: every word of a query found anywhere in a record's search
//! text, in any order, ignoring case and accents. Shared by every list with a search box; the
//! search texts stored beside records are folded the same way, so one `LIKE` per word decides.

use crate::sql::{Bind, Sql};
use crate::state::{Backend, Db};
use sqlx::Row;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use unicode_normalization::UnicodeNormalization;

/// Lower case without accents: "Zoë Müller, Café" → "zoe muller, cafe". Letters that are not a
/// base letter plus marks take their usual plain spelling (ß → ss, ø → o, æ → ae).
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            'ß' | 'ẞ' => folded.push_str("ss"),
            'æ' | 'Æ' => folded.push_str("ae"),
            'œ' | 'Œ' => folded.push_str("oe"),
            'ø' | 'Ø' => folded.push('o'),
            'ł' | 'Ł' => folded.push('l'),
            'đ' | 'Đ' | 'ð' | 'Ð' => folded.push('d'),
            'þ' | 'Þ' => folded.push_str("th"),
            'ı' => folded.push('i'),
            _ => folded.extend(c.to_lowercase()),
        }
    }
    folded
}

/// The most words of a query that are looked for; the rest are ignored.
pub const MAX_WORDS: usize = 5;

/// The longest search, in characters: names, emails and account numbers fit many times over.
/// A search of 600 characters made SQLite's trigram count one statement of 598 parts, over its
/// limit of 500, and the list answered 500 Internal.
pub const MAX_QUERY_CHARS: usize = 200;

/// Refuses a search longer than [`MAX_QUERY_CHARS`], at the form's `field` (422).
pub fn check_query(field: &str, q: &str) -> Result<(), crate::error::AppError> {
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(crate::error::AppError::field(
            field,
            format!("Search with at most {MAX_QUERY_CHARS} characters."),
        ));
    }
    Ok(())
}

/// The words of a query, folded, without repeats, at most [`MAX_WORDS`] of the first
/// [`MAX_QUERY_CHARS`] characters (searches longer are refused where they come in).
pub fn words(q: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let q: String = q.chars().take(MAX_QUERY_CHARS).collect();
    for word in fold(&q).split_whitespace() {
        if !words.iter().any(|w| w == word) && words.len() < MAX_WORDS {
            words.push(word.to_string());
        }
    }
    words
}

pub fn like_pattern(word: &str) -> String {
    let escaped = word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// Appends ` AND …` conditions that keep only rows whose `column` (folded text) holds every word.
pub fn push_like(sql: &mut Sql, column: &str, words: &[String]) {
    for word in words {
        match email_local_part(word) {
            // PostgreSQL's trigram index reads every trigram of a pattern, and a domain's are
            // in every email ("exa", "@ex"): 17 ms for "lee100000@exa" at 300,000 contacts. The
            // index is asked for the distinctive part before the "@" (0.5 ms); the whole word is
            // checked on an expression no index serves.
            Some(local) => {
                push_pattern(sql, column, local);
                push_pattern(sql, &format!("({column} || '')"), word);
            }
            None => push_pattern(sql, column, word),
        }
    }
}

/// The part of a word before its "@", when it is long enough for a trigram index (three letters).
fn email_local_part(word: &str) -> Option<&str> {
    let (local, _) = word.split_once('@')?;
    (local.chars().count() >= 3).then_some(local)
}

fn push_pattern(sql: &mut Sql, column: &str, word: &str) {
    sql.push(" AND ");
    sql.push(column);
    sql.push(" LIKE ");
    sql.bind(Bind::Text(like_pattern(word)));
    sql.push(" ESCAPE '\\'");
}

/// An FTS5 phrase matching `text` exactly.
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The trigrams of a word, as SQLite's trigram tokenizer cuts them.
fn trigrams(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    chars.windows(3).map(|w| w.iter().collect()).collect()
}

/// A query for an SQLite FTS5 trigram index, and how many rows it may yield at most.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrigramQuery {
    /// For each word of three letters or more, its two rarest trigrams.
    pub query: String,
    /// The rows the query yields, counted up to the limit asked for: when it equals the limit,
    /// maybe many more.
    pub at_most: i64,
}

/// How many rows of a trigram index hold a trigram, or yield a query, counted up to a limit:
/// planning statistics, as a database keeps of its own indexes. They choose how a search runs,
/// never what it finds, so a count a minute old serves; every keystroke of a search asks for
/// the same common trigrams ("har", "arb" …), and counting them cost more than the search.
#[derive(Debug, Default)]
pub struct TrigramCounts {
    counted: Mutex<HashMap<String, (i64, Instant)>>,
}

impl TrigramCounts {
    /// How long a count is used.
    const FRESH_FOR: Duration = Duration::from_secs(60);
    /// The most counts kept; when full, all are forgotten.
    const MOST: usize = 20_000;

    fn get(&self, key: &str, now: Instant) -> Option<i64> {
        let counted = self
            .counted
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        counted
            .get(key)
            .filter(|(_, at)| now.duration_since(*at) < Self::FRESH_FOR)
            .map(|(count, _)| *count)
    }

    fn put(&self, key: String, count: i64, now: Instant) {
        let mut counted = self
            .counted
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if counted.len() >= Self::MOST {
            counted.clear();
        }
        counted.insert(key, (count, now));
    }
}

/// What a count is remembered by: the index, the limit, and the trigram or query counted.
fn count_key(table: &str, limit: i64, counted: &str) -> String {
    format!("{table}\u{1f}{limit}\u{1f}{counted}")
}

/// The query asking the FTS5 trigram index `table` (whose indexed column is `search_text`) for
/// candidates of every word: each word's two rarest trigrams. A word's common trigrams (the "acc"
/// of every account number, the "com" of every email) cost the most to read and narrow the
/// least. `None` when no word is three letters long, or on PostgreSQL (whose planner uses its
/// trigram indexes for `LIKE` by itself).
pub async fn trigram_query(
    db: &Db,
    table: &'static str,
    words: &[String],
    count_limit: i64,
) -> Result<Option<TrigramQuery>, sqlx::Error> {
    if db.backend != Backend::Sqlite {
        return Ok(None);
    }
    let mut all: Vec<String> = words.iter().flat_map(|w| trigrams(w)).collect();
    all.sort();
    all.dedup();
    if all.is_empty() {
        return Ok(None);
    }
    let now = Instant::now();
    let counts = &db.trigram_counts;
    let mut rows_with = HashMap::new();
    let mut uncounted = Vec::new();
    for trigram in all {
        match counts.get(&count_key(table, count_limit, &trigram), now) {
            Some(count) => {
                rows_with.insert(trigram, count);
            }
            None => uncounted.push(trigram),
        }
    }
    if !uncounted.is_empty() {
        // Counting a trigram's rows up to a limit costs little however common it is (FTS5's
        // own vocabulary table reads a common trigram's whole list); beyond the limit, all are
        // alike.
        let mut sql = Sql::default();
        for (i, trigram) in uncounted.iter().enumerate() {
            sql.push(if i == 0 { "SELECT " } else { " UNION ALL SELECT " });
            sql.bind(Bind::Text(trigram.clone()));
            sql.push(&format!(
                " AS term, COUNT(*) AS doc FROM (SELECT rowid FROM {table} WHERE {table} MATCH "
            ));
            sql.bind(Bind::Text(phrase(trigram)));
            sql.push(&format!(" LIMIT {count_limit})"));
        }
        for row in sql.query().fetch_all(&db.pool).await? {
            let (trigram, count) = (row.try_get::<String, _>("term")?, row.try_get::<i64, _>("doc")?);
            counts.put(count_key(table, count_limit, &trigram), count, now);
            rows_with.insert(trigram, count);
        }
    }
    let Some(mut query) = rarest_trigrams_query(words, |t| rows_with.get(t).copied().unwrap_or(0)) else {
        return Ok(None);
    };
    if query.at_most >= count_limit {
        // Common trigrams can still be rare together ("harbor creamery", a last name such as
        // "novak" whose letters are everywhere): the query's own rows are counted, so that it
        // is used whenever it yields few.
        let key = count_key(table, count_limit, &query.query);
        query.at_most = match counts.get(&key, now) {
            Some(count) => count,
            None => {
                let yields: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT COUNT(*) FROM (SELECT rowid FROM {table} WHERE {table} MATCH $1 LIMIT {count_limit})"
                )))
                .bind(query.query.clone())
                .fetch_one(&db.pool)
                .await?;
                counts.put(key, yields, now);
                yields
            }
        };
    }
    Ok(Some(query))
}

/// The FTS5 query asking for each word's two rarest trigrams, given how many rows hold each.
fn rarest_trigrams_query(words: &[String], rows_with: impl Fn(&str) -> i64) -> Option<TrigramQuery> {
    let mut phrases: Vec<String> = Vec::new();
    let mut at_most = i64::MAX;
    for word in words {
        let mut trigrams = trigrams(word);
        trigrams.sort_by_key(|t| rows_with(t));
        if let Some(rarest) = trigrams.first() {
            at_most = at_most.min(rows_with(rarest));
        }
        for trigram in trigrams.into_iter().take(2) {
            let phrase = phrase(&trigram);
            if !phrases.contains(&phrase) {
                phrases.push(phrase);
            }
        }
    }
    (!phrases.is_empty()).then(|| TrigramQuery {
        query: phrases.join(" AND "),
        at_most,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_email_word_asks_the_index_for_its_local_part() {
        assert_eq!(email_local_part("lee100000@exa"), Some("lee100000"));
        assert_eq!(email_local_part("@wombat"), None);
        assert_eq!(email_local_part("ab@x"), None);
        assert_eq!(email_local_part("novak"), None);
        let mut sql = Sql::default();
        push_like(
            &mut sql,
            "c.search_text",
            &["lee1@exa".to_string(), "novak".to_string()],
        );
        assert_eq!(
            sql.text,
            " AND c.search_text LIKE $1 ESCAPE '\\' AND (c.search_text || '') LIKE $2 ESCAPE '\\' \
             AND c.search_text LIKE $3 ESCAPE '\\'"
        );
    }

    #[test]
    fn accents_and_case_are_folded_away() {
        assert_eq!(fold("Zoë Müller, Café MONTRÉAL"), "zoe muller, cafe montreal");
        assert_eq!(fold("Bahnhofstraße Ørsted Łódź"), "bahnhofstrasse orsted lodz");
        assert_eq!(fold("plain ascii 42"), "plain ascii 42");
    }

    #[test]
    fn words_are_folded_deduplicated_and_capped() {
        assert_eq!(words("  Café cafe UPTOWN "), vec!["cafe", "uptown"]);
        assert_eq!(words("a b c d e f g").len(), MAX_WORDS);
    }

    #[test]
    fn like_wildcards_in_a_query_are_taken_literally() {
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }

    #[test]
    fn a_count_serves_for_a_minute_then_is_counted_again() {
        let counts = TrigramCounts::default();
        let then = Instant::now();
        let key = count_key("contact_search", 5_000, "nov");
        assert_eq!(counts.get(&key, then), None);
        counts.put(key.clone(), 3_030, then);
        assert_eq!(counts.get(&key, then + Duration::from_secs(59)), Some(3_030));
        assert_eq!(counts.get(&count_key("contact_search", 500, "nov"), then), None);
        assert_eq!(counts.get(&key, then + TrigramCounts::FRESH_FOR), None);
    }

    #[test]
    fn counts_are_bounded() {
        let counts = TrigramCounts::default();
        let now = Instant::now();
        for i in 0..TrigramCounts::MOST + 10 {
            counts.put(i.to_string(), 1, now);
        }
        assert!(counts.counted.lock().unwrap().len() <= TrigramCounts::MOST);
        assert_eq!(counts.get(&(TrigramCounts::MOST + 9).to_string(), now), Some(1));
    }

    #[test]
    fn words_are_cut_into_trigrams() {
        assert_eq!(trigrams("cafe"), vec!["caf", "afe"]);
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
            TrigramQuery {
                query: "\"421\" AND \"042\"".into(),
                at_most: 200
            }
        );
        assert_eq!(
            rarest_trigrams_query(&words("co say\"hi"), counts).unwrap().query,
            "\"say\" AND \"ay\"\"\""
        );
        assert_eq!(rarest_trigrams_query(&words("co"), counts), None);
    }

    proptest! {
        #[test]
        fn folding_twice_changes_nothing(text in "\\PC{0,40}") {
            let once = fold(&text);
            prop_assert_eq!(fold(&once), once);
        }

        #[test]
        fn a_folded_text_contains_each_of_its_folded_words(text in "[a-zA-Zàéîõüßø ]{1,40}") {
            let folded = fold(&text);
            for word in words(&text) {
                prop_assert!(folded.contains(&word));
            }
        }
    }
}
