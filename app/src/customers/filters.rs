//! The list's search and filters as every page of them takes them: the exports, bulk changes,
//! and the list's own pages.

use super::{ListQuery, StatusFilter};
use crate::sql::{Bind, Sql};
use crate::state::Db;
use crate::text_search::{push_like, trigram_query, words};
use sqlx::Row;

/// Every customer of the list's search and filters, in its order, as rows of the import
/// template's columns: one row per contact, or one without a contact.
pub async fn export_rows(db: &Db, query: &ListQuery) -> Result<Vec<Vec<String>>, sqlx::Error> {
    let mut sql = Sql::default();
    sql.push(
        "SELECT c.name, c.account_number, c.street, c.city, c.region, c.postal_code, c.country, c.phone, c.website,
             k.first_name, k.last_name, k.email, k.phone AS contact_phone
         FROM customers c
         LEFT JOIN customer_contacts cc ON cc.customer_id = c.id
         LEFT JOIN contacts k ON k.id = cc.contact_id
         WHERE c.deleted_at IS NULL",
    );
    push_filters(&mut sql, query);
    let dir = if query.sort.ascending() { "ASC" } else { "DESC" };
    if query.sort.by_name() {
        sql.push(&format!(" ORDER BY c.name_key {dir}, c.id {dir}"));
    } else {
        sql.push(&format!(" ORDER BY c.id {dir}"));
    }
    sql.push(", k.last_name, k.first_name, k.id");
    let rows = sql.query().fetch_all(&db.pool).await?;
    rows.iter()
        .map(|row| {
            [
                "name",
                "account_number",
                "street",
                "city",
                "region",
                "postal_code",
                "country",
                "phone",
                "website",
                "first_name",
                "last_name",
                "email",
                "contact_phone",
            ]
            .iter()
            .map(|column| Ok(row.try_get::<Option<String>, _>(*column)?.unwrap_or_default()))
            .collect()
        })
        .collect()
}

/// The list's search and filters on customers `c` (after a `WHERE`): exports and bulk changes
/// take them from here. A customer matches a search when its own text holds every word, or the
/// name or email of one of its contacts does, as on the list's pages.
pub fn push_filters(sql: &mut Sql, query: &ListQuery) {
    push_filters_only(sql, query);
    let words = words(&query.q);
    if words.is_empty() {
        return;
    }
    sql.push(" AND ((1 = 1");
    push_like(sql, "c.search_text", &words);
    sql.push(") OR EXISTS (SELECT 1 FROM customer_contacts cc WHERE cc.customer_id = c.id");
    push_like(sql, "cc.contact_text", &words);
    sql.push("))");
}

/// The list's filters but its search.
pub fn push_filters_only(sql: &mut Sql, query: &ListQuery) {
    match query.status {
        StatusFilter::All => {}
        StatusFilter::Active => sql.push(" AND c.active = 1"),
        StatusFilter::Inactive => sql.push(" AND c.active = 0"),
        StatusFilter::Pending => sql.push(" AND c.pending_approval = 1"),
    }
    if let Some(group) = query.group {
        sql.push(" AND EXISTS (SELECT 1 FROM customer_group_members gm WHERE gm.customer_id = c.id AND gm.group_id = ");
        sql.bind(Bind::Int(group));
        sql.push(")");
    }
    if let Some(integration) = query.integration {
        sql.push(" AND c.integration_status = ");
        sql.bind(Bind::Text(integration.key().to_string()));
    }
    if let Some(parent) = query.parent {
        sql.push(" AND c.parent_id = ");
        sql.bind(Bind::Int(parent));
    }
}

/// The ids of the live customers of the list's search, or of those of `only` among them, in
/// name order. A search is two lookups by index, merged: customers whose own text holds the
/// words, and customers of contacts whose name or email does.
pub async fn matching_ids(db: &Db, query: &ListQuery, only: &[i64]) -> Result<Vec<i64>, sqlx::Error> {
    let search = MatchSearch::new(db, query).await?;
    let mut statements = Vec::new();
    let mut own = Sql::default();
    search.push_own(&mut own, only);
    statements.push(own);
    if !search.words.is_empty() {
        let mut by_contacts = Sql::default();
        search.push_by_contacts(&mut by_contacts, only);
        statements.push(by_contacts);
    }
    let mut found: Vec<(String, i64)> = Vec::new();
    for sql in statements {
        for row in sql.query().fetch_all(&db.pool).await? {
            found.push((row.try_get("name_key")?, row.try_get("id")?));
        }
    }
    found.sort();
    found.dedup();
    Ok(found.into_iter().map(|(_, id)| id).collect())
}

/// The list's search as statements yielding the matching customers' ids and name keys, with the
/// trigram lookups it needs decided beforehand.
struct MatchSearch<'q> {
    query: &'q ListQuery,
    words: Vec<String>,
    own_fts: Option<String>,
    contacts_fts: Option<String>,
}

impl<'q> MatchSearch<'q> {
    async fn new(db: &Db, query: &'q ListQuery) -> Result<MatchSearch<'q>, sqlx::Error> {
        let words = words(&query.q);
        let own_fts = super::search::fts_query(db, &words).await?;
        let contacts_fts = if words.is_empty() {
            None
        } else {
            trigram_query(db, "contact_name_search", &words, 5_000)
                .await?
                .map(|fts| fts.query)
        };
        Ok(MatchSearch {
            query,
            words,
            own_fts,
            contacts_fts,
        })
    }

    /// Customers whose own text holds the words.
    fn push_own(&self, sql: &mut Sql, only: &[i64]) {
        sql.push("SELECT c.id, c.name_key ");
        match &self.own_fts {
            Some(fts) => {
                sql.push(
                    "FROM customer_search s JOIN customers c ON c.id = s.rowid WHERE s.customer_search MATCH ",
                );
                sql.bind(Bind::Text(fts.clone()));
            }
            None => sql.push("FROM customers c WHERE 1 = 1"),
        }
        sql.push(" AND c.deleted_at IS NULL");
        push_filters_only(sql, self.query);
        push_like(sql, "c.search_text", &self.words);
        push_only(sql, only);
    }

    /// Customers of contacts whose name or email holds the words.
    fn push_by_contacts(&self, sql: &mut Sql, only: &[i64]) {
        sql.push(
            "SELECT DISTINCT c.id, c.name_key FROM customers c JOIN customer_contacts cc ON cc.customer_id = c.id
             WHERE cc.contact_id IN (SELECT k.id ",
        );
        match &self.contacts_fts {
            Some(fts) => {
                sql.push(
                    "FROM contact_name_search s JOIN contacts k ON k.id = s.rowid WHERE s.contact_name_search MATCH ",
                );
                sql.bind(Bind::Text(fts.clone()));
            }
            None => sql.push("FROM contacts k WHERE 1 = 1"),
        }
        push_like(sql, "k.name_text", &self.words);
        sql.push(") AND c.deleted_at IS NULL");
        push_filters_only(sql, self.query);
        push_only(sql, only);
    }
}

/// Keeps the customers among `only`, when given.
fn push_only(sql: &mut Sql, only: &[i64]) {
    if !only.is_empty() {
        sql.push(" AND c.id IN (");
        sql.bind_list(only.iter().copied().map(Bind::Int));
        sql.push(")");
    }
}

/// How many live customers the list's search and filters find.
pub async fn count_matching(db: &Db, query: &ListQuery) -> Result<usize, sqlx::Error> {
    let mut sql = Sql::default();
    if !words(&query.q).is_empty() {
        // Counted by the database: 'coffee' matches 3,300 customers, and reading their ids
        // through the driver cost more than finding them.
        let search = MatchSearch::new(db, query).await?;
        sql.push("SELECT COUNT(*) FROM (");
        search.push_own(&mut sql, &[]);
        sql.push(" UNION ");
        search.push_by_contacts(&mut sql, &[]);
        sql.push(") m");
        let count: i64 = sql.query().fetch_one(&db.pool).await?.try_get(0)?;
        return Ok(count as usize);
    }
    if !query.filtered() {
        // Every customer less those in the Trash: two small indexes counted (under a
        // millisecond at 100,000 customers), not every customer's row read (15–85 ms).
        sql.push(
            "SELECT (SELECT COUNT(*) FROM customers)
                 - (SELECT COUNT(*) FROM customers WHERE deleted_at IS NOT NULL)",
        );
    } else {
        sql.push("SELECT COUNT(*) FROM customers c WHERE c.deleted_at IS NULL");
        push_filters_only(&mut sql, query);
    }
    let count: i64 = sql.query().fetch_one(&db.pool).await?.try_get(0)?;
    Ok(count as usize)
}
