//! One page of the customers list: a walk of an index in the list's order from the cursor
//! customer, keeping customers that pass the filters, until a page is full — however deep the
//! page and however many customers match.
//!
//! A search finds a customer by its own name, account number and city, or by the name or email
//! of one of its contacts. The two are separate walks in the same order from the same cursor,
//! merged: each yields at most a page, so the page costs two short walks.

use super::db::summary_from_row;
use super::{search, CustomerPageData, CustomerSummary, ListQuery, PAGE_SIZE};
use crate::sql::{estimated_rows, gathers_on_postgres, Bind, Sql, SHORT_WALK};
use crate::state::{Backend, Db};
use crate::text_search::{push_like, trigram_query, words};
use sqlx::Row;

pub async fn list_page(db: &Db, query: &ListQuery) -> Result<CustomerPageData, sqlx::Error> {
    page(db, query, true).await
}

/// The first page of customers whose own name, account number or city holds every word of `q`,
/// not found by their contacts: a picker of accounts (the parent account) looks for companies.
pub async fn by_own_text(db: &Db, q: &str) -> Result<Vec<CustomerSummary>, sqlx::Error> {
    let query = ListQuery {
        q: q.to_string(),
        ..Default::default()
    };
    Ok(page(db, &query, false).await?.rows)
}

async fn page(db: &Db, query: &ListQuery, with_contacts: bool) -> Result<CustomerPageData, sqlx::Error> {
    // Walking backwards (Previous, Last) reads the order reversed, then turns the page around.
    let backwards = query.before.is_some() || query.last;
    let walk = Walk {
        query,
        ascending: query.sort.ascending() != backwards,
        by_name: query.sort.by_name(),
        words: words(&query.q),
        cursor: match query.after.or(query.before) {
            Some(id) => cursor_of(db, id).await?,
            None => None,
        },
    };
    let mut rows = walk.by_own_text(db).await?;
    if with_contacts && !walk.words.is_empty() {
        rows.extend(walk.by_contacts(db).await?);
        rows.sort_by(|a, b| {
            let order = a.1.cmp(&b.1);
            if walk.ascending {
                order
            } else {
                order.reverse()
            }
        });
        rows.dedup_by_key(|(row, _)| row.id);
    }
    let mut rows: Vec<CustomerSummary> = rows.into_iter().map(|(row, _)| row).collect();
    let more = rows.len() > PAGE_SIZE;
    rows.truncate(PAGE_SIZE);
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    for (customer_id, name) in crate::groups::db::names_of(db, &ids).await? {
        if let Some(row) = rows.iter_mut().find(|r| r.id == customer_id) {
            row.groups.push(name);
        }
    }
    if backwards {
        rows.reverse();
    }
    let cursor_given = query.after.is_some() || query.before.is_some();
    Ok(CustomerPageData {
        has_previous: if backwards { more } else { cursor_given },
        has_next: if backwards { query.before.is_some() } else { more },
        rows,
    })
}

/// A row's place in the list's order: its name key (empty when sorted by date) and id.
type OrderKey = (String, i64);

const COLUMNS: &str =
    "SELECT c.id, c.name, c.name_key, c.account_number, c.city, c.country, c.logo_file_id, \
     c.active, c.wizard_step, c.order_count, c.order_total_cents, c.integration_status, c.pending_approval, \
     c.created_at ";

/// A trigram held by more contacts than this makes a word common among contacts: their
/// customers are found by walking the list's order, where they are dense.
const COMMON_AMONG_CONTACTS: i64 = 5_000;

/// A group with fewer customers than this is searched customer by customer.
const SMALL_GROUP: i64 = 20_000;

/// How many customers the group has (in the Trash or not), counted up to `limit`.
async fn group_members_at_most(db: &Db, group: i64, limit: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT 1 FROM customer_group_members WHERE group_id = $1 LIMIT $2) m",
    )
    .bind(group)
    .bind(limit)
    .fetch_one(&db.pool)
    .await
}

/// With a narrowing filter, customers of up to this many contacts are gathered and sorted.
const GATHER_WITH_FILTERS: i64 = 100_000;

struct Walk<'q> {
    query: &'q ListQuery,
    ascending: bool,
    by_name: bool,
    words: Vec<String>,
    cursor: Option<Cursor>,
}

impl Walk<'_> {
    /// Customers whose own text holds every word (or all, without words).
    async fn by_own_text(&self, db: &Db) -> Result<Vec<(CustomerSummary, OrderKey)>, sqlx::Error> {
        let mut sql = Sql::default();
        sql.push(COLUMNS);
        match search::fts_query(db, &self.words).await? {
            Some(fts) => {
                // A trigram index whose rowids follow the list's order: its first matches are
                // the page.
                let (table, key) = if self.by_name {
                    ("customer_name_search", "name_order")
                } else {
                    ("customer_search", "id")
                };
                sql.push(&format!(
                    "FROM {table} s JOIN customers c ON c.{key} = s.rowid WHERE s.{table} MATCH "
                ));
                sql.bind(Bind::Text(fts));
                self.filters(&mut sql, &self.words);
                let after = self
                    .cursor
                    .as_ref()
                    .map(|c| vec![Bind::Int(if self.by_name { c.name_order } else { c.id })]);
                self.order(&mut sql, &["s.rowid"], after);
            }
            None if self.gathers_own_matches(db).await? => {
                // Matches may cluster in name order ("Coffee …" names sort together: a walk Z-A
                // read 83,000 customers to reach them). A short walk finds a page of matches
                // spread through the list ("portland"); failing that, they are gathered from the
                // trigram index and sorted. `OFFSET 0` keeps PostgreSQL from walking the order
                // inside the subquery.
                let walked = self.walk_a_little(db).await?;
                if walked.len() > PAGE_SIZE {
                    return Ok(walked);
                }
                sql.push("FROM (SELECT * FROM customers c WHERE 1 = 1");
                self.filters(&mut sql, &self.words);
                sql.push(" OFFSET 0) c WHERE 1 = 1");
                self.order_by_list(&mut sql);
            }
            None => match self.query.group {
                Some(group) => {
                    self.push_from_group(&mut sql, db, group);
                    self.filters_but_group(&mut sql, &self.words);
                    self.order_by_group(&mut sql);
                }
                None => {
                    sql.push("FROM customers c WHERE 1 = 1");
                    self.filters(&mut sql, &self.words);
                    self.order_by_list(&mut sql);
                }
            },
        }
        self.fetch(db, sql).await
    }

    /// `FROM` the group's memberships and their customers, for a walk of the group in the
    /// list's order ([`Self::order_by_group`]): a group's customers are sparse in the whole
    /// list's order. CROSS JOIN makes SQLite start from the group (PostgreSQL has no such join
    /// with ON).
    fn push_from_group(&self, sql: &mut Sql, db: &Db, group: i64) {
        let join = match db.backend {
            Backend::Sqlite => "CROSS JOIN",
            Backend::Postgres => "JOIN",
        };
        sql.push(&format!(
            "FROM customer_group_members gm {join} customers c ON c.id = gm.customer_id WHERE gm.group_id = "
        ));
        sql.bind(Bind::Int(group));
    }

    /// Orders by the memberships' copies of the list's columns, which their index by group holds
    /// in order, from the cursor.
    fn order_by_group(&self, sql: &mut Sql) {
        self.order_by_keys(sql, ("gm.name_key", "gm.customer_id"), PAGE_SIZE as i64 + 1);
    }

    /// The matches among the next `SHORT_WALK` customers of the list's order.
    async fn walk_a_little(&self, db: &Db) -> Result<Vec<(CustomerSummary, OrderKey)>, sqlx::Error> {
        let mut sql = Sql::default();
        sql.push(COLUMNS);
        sql.push("FROM (SELECT * FROM customers c WHERE 1 = 1");
        self.filters(&mut sql, &[]);
        self.order_by_list_up_to(&mut sql, SHORT_WALK);
        sql.push(") c WHERE 1 = 1");
        push_like(&mut sql, "c.search_text", &self.words);
        self.order_by_list(&mut sql);
        self.fetch(db, sql).await
    }

    /// Whether the customers whose own text holds the words are few enough, by PostgreSQL's
    /// estimate, to gather, and many enough that its planner would walk (words of three letters
    /// or more: the trigram index finds those).
    async fn gathers_own_matches(&self, db: &Db) -> Result<bool, sqlx::Error> {
        if db.backend != Backend::Postgres
            || self.words.is_empty()
            || self.words.iter().any(|w| w.chars().count() < 3)
        {
            return Ok(false);
        }
        let mut probe = Sql::default();
        probe.push("SELECT c.id FROM customers c WHERE 1 = 1");
        self.filters(&mut probe, &self.words);
        // Fewer, and the planner itself reads them from the trigram index.
        let expected = estimated_rows(&db.pool, &probe).await?;
        Ok(gathers_on_postgres(expected))
    }

    /// Customers one of whose contacts holds every word in their name or email.
    async fn by_contacts(&self, db: &Db) -> Result<Vec<(CustomerSummary, OrderKey)>, sqlx::Error> {
        let mut contacts = Sql::default();
        let mut sql = Sql::default();
        sql.push(COLUMNS);
        if let Some(group) = self.query.group {
            if group_members_at_most(db, group, SMALL_GROUP).await? < SMALL_GROUP {
                // A group's customers are few: each is checked in the list's order until a page
                // is found.
                self.push_from_group(&mut sql, db, group);
                sql.push(" AND EXISTS (SELECT 1 FROM customer_contacts cc WHERE cc.customer_id = c.id");
                push_like(&mut sql, "cc.contact_text", &self.words);
                sql.push(")");
                self.filters_but_group(&mut sql, &[]);
                self.order_by_group(&mut sql);
                return self.fetch(db, sql).await;
            }
        }
        // With a filter that leaves few customers, walking the list reads most of it to fill a
        // page (17 s for a group's active customers with a contact at "market…"): their
        // candidates are gathered however many more contacts match.
        let gather_below = if self.query.narrowing() {
            GATHER_WITH_FILTERS
        } else {
            COMMON_AMONG_CONTACTS
        };
        match trigram_query(db, "contact_name_search", &self.words, gather_below).await? {
            Some(candidates) if candidates.at_most < gather_below => {
                // Few contacts can match: gather their customers, then sort those. CROSS JOIN
                // keeps SQLite from walking the whole list instead.
                contacts.push(
                    "(SELECT DISTINCT cc.customer_id AS id FROM (SELECT rowid AS id FROM contact_name_search
                      WHERE contact_name_search MATCH ",
                );
                contacts.bind(Bind::Text(candidates.query));
                contacts.push(
                    ") s CROSS JOIN contacts k ON k.id = s.id CROSS JOIN customer_contacts cc ON cc.contact_id = k.id
                     WHERE 1 = 1",
                );
                push_like(&mut contacts, "k.name_text", &self.words);
                contacts.push(")");
                // The list's statement has no values before these, so their numbers stand.
                sql.push("FROM ");
                sql.push(&contacts.text);
                sql.binds.extend(contacts.binds);
                sql.push(" m CROSS JOIN customers c ON c.id = m.id WHERE 1 = 1");
            }
            _ if db.backend == Backend::Postgres => {
                // The planner finds the contacts by their trigram index, or walks, as it judges
                // best.
                sql.push(
                    "FROM customers c WHERE c.id IN (SELECT cc.customer_id FROM contacts k
                     JOIN customer_contacts cc ON cc.contact_id = k.id WHERE 1 = 1",
                );
                push_like(&mut sql, "k.name_text", &self.words);
                sql.push(")");
            }
            _ => {
                // Many contacts match: their customers are dense in the list's order. The
                // assignments' copies of the contacts' texts are read beside each customer.
                sql.push(
                    "FROM customers c WHERE EXISTS (SELECT 1 FROM customer_contacts cc
                     WHERE cc.customer_id = c.id",
                );
                push_like(&mut sql, "cc.contact_text", &self.words);
                sql.push(")");
            }
        }
        self.filters(&mut sql, &[]);
        self.order_by_list(&mut sql);
        self.fetch(db, sql).await
    }

    /// Live customers passing the list's filters, and holding `words` in their own text.
    fn filters(&self, sql: &mut Sql, words: &[String]) {
        push_live_filtered(sql, self.query, words);
    }

    /// The same but the group, for a walk of the group ([`Self::push_from_group`]): asked
    /// again, PostgreSQL joins the group to itself and sorts all its customers (20 ms, not 1).
    fn filters_but_group(&self, sql: &mut Sql, words: &[String]) {
        let others = ListQuery {
            group: None,
            ..self.query.clone()
        };
        push_live_filtered(sql, &others, words);
    }

    /// Orders by the list's own columns (name key and id, or id) from the cursor.
    fn order_by_list(&self, sql: &mut Sql) {
        self.order_by_list_up_to(sql, PAGE_SIZE as i64 + 1);
    }

    /// The same, `limit` rows.
    fn order_by_list_up_to(&self, sql: &mut Sql, limit: i64) {
        self.order_by_keys(sql, ("c.name_key", "c.id"), limit);
    }

    /// Orders by the list's keys as these columns hold them (name key and customer id, or the
    /// id alone when sorted by date), from the cursor, `limit` rows.
    fn order_by_keys(&self, sql: &mut Sql, (name_key, id): (&str, &str), limit: i64) {
        if self.by_name {
            let after = self
                .cursor
                .as_ref()
                .map(|c| vec![Bind::Text(c.name_key.clone()), Bind::Int(c.id)]);
            self.order_up_to(sql, &[name_key, id], after, limit);
        } else {
            let after = self.cursor.as_ref().map(|c| vec![Bind::Int(c.id)]);
            self.order_up_to(sql, &[id], after, limit);
        }
    }

    /// ` AND (columns) > (cursor) ORDER BY columns LIMIT` a page and one more.
    fn order(&self, sql: &mut Sql, columns: &[&str], after: Option<Vec<Bind>>) {
        self.order_up_to(sql, columns, after, PAGE_SIZE as i64 + 1);
    }

    /// The same, `limit` rows.
    fn order_up_to(&self, sql: &mut Sql, columns: &[&str], after: Option<Vec<Bind>>, limit: i64) {
        let (cmp, dir) = if self.ascending {
            (">", "ASC")
        } else {
            ("<", "DESC")
        };
        if let Some(after) = after {
            sql.push(&format!(" AND ({}) {cmp} (", columns.join(", ")));
            for (i, value) in after.into_iter().enumerate() {
                sql.push(if i == 0 { "" } else { ", " });
                sql.bind(value);
            }
            sql.push(")");
        }
        let order_by: Vec<String> = columns.iter().map(|column| format!("{column} {dir}")).collect();
        sql.push(&format!(" ORDER BY {} LIMIT {limit}", order_by.join(", ")));
    }

    async fn fetch(&self, db: &Db, sql: Sql) -> Result<Vec<(CustomerSummary, OrderKey)>, sqlx::Error> {
        let rows = sql.query().fetch_all(&db.pool).await?;
        rows.iter()
            .map(|row| {
                let summary = summary_from_row(row)?;
                let name_key = if self.by_name {
                    row.try_get("name_key")?
                } else {
                    String::new()
                };
                let key = (name_key, summary.id);
                Ok((summary, key))
            })
            .collect()
    }
}

fn push_live_filtered(sql: &mut Sql, query: &ListQuery, words: &[String]) {
    sql.push(" AND c.deleted_at IS NULL");
    super::filters::push_filters_only(sql, query);
    push_like(sql, "c.search_text", words);
}

/// Where a customer stands in each order of the list.
struct Cursor {
    id: i64,
    name_key: String,
    name_order: i64,
}

async fn cursor_of(db: &Db, id: i64) -> Result<Option<Cursor>, sqlx::Error> {
    let row = sqlx::query("SELECT name_key, name_order FROM customers WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|row| {
        Ok(Cursor {
            id,
            name_key: row.try_get("name_key")?,
            name_order: row.try_get::<Option<i64>, _>("name_order")?.unwrap_or_default(),
        })
    })
    .transpose()
}
