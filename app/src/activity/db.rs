//! Activity queries.

use super::{ActivityEntry, LogRow};
use crate::sql::{Bind, Sql};
use crate::state::Db;
use sqlx::{AnyConnection, Row};

/// Who did it: a staff user or a contact, and the name to show.
pub struct Actor<'a> {
    pub staff_user_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub name: &'a str,
}

impl<'a> Actor<'a> {
    pub fn staff(user: &'a crate::auth::CurrentUser) -> Self {
        Actor {
            staff_user_id: Some(user.id),
            contact_id: None,
            name: &user.name,
        }
    }
}

/// A change worth a line in the log: `action` is a stable key (`groups_changed`), `detail` the
/// sentence people read, `before` and `after` the values it changed, where it changed one.
pub struct Change<'a> {
    pub action: &'a str,
    pub detail: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Records an entry in the caller's transaction. `action` is a stable key (`order_placed`),
/// `detail` the sentence people read.
pub async fn record(
    tx: &mut AnyConnection,
    customer_id: i64,
    actor: &Actor<'_>,
    action: &str,
    detail: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let change = Change {
        action,
        detail: detail.to_string(),
        before: None,
        after: None,
    };
    record_change(tx, customer_id, actor, &change, now).await
}

/// Records a change with its values before and after, in the caller's transaction.
pub async fn record_change(
    tx: &mut AnyConnection,
    customer_id: i64,
    actor: &Actor<'_>,
    change: &Change<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO customer_activity (customer_id, staff_user_id, contact_id, actor_name, action, detail,
             before_value, after_value, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(customer_id)
    .bind(actor.staff_user_id)
    .bind(actor.contact_id)
    .bind(actor.name.to_string())
    .bind(change.action.to_string())
    .bind(change.detail.clone())
    .bind(change.before.clone())
    .bind(change.after.clone())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The customer's latest entries, newest first.
pub async fn of_customer(db: &Db, customer_id: i64, limit: i64) -> Result<Vec<ActivityEntry>, sqlx::Error> {
    let query = LogQuery {
        customer_id: Some(customer_id),
        ..LogQuery::default()
    };
    Ok(log(db, &query, limit)
        .await?
        .into_iter()
        .map(|row| row.entry)
        .collect())
}

/// Which entries the Activity Log shows: every condition given must hold. Times in
/// milliseconds, `from` inclusive and `until` exclusive; `before` an entry id (the next page).
#[derive(Debug, Default)]
pub struct LogQuery {
    pub customer_id: Option<i64>,
    pub customer_words: Vec<String>,
    pub action: Option<String>,
    pub staff_user_id: Option<i64>,
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub before: Option<i64>,
}

/// Entries newest first, with their customer.
pub async fn log(db: &Db, query: &LogQuery, limit: i64) -> Result<Vec<LogRow>, sqlx::Error> {
    let mut sql = Sql::default();
    sql.push(" WHERE 1 = 1");
    if let Some(customer_id) = query.customer_id {
        sql.push(" AND a.customer_id = ");
        sql.bind(Bind::Int(customer_id));
    }
    let by_customer_text = crate::customers::search::push_customer_words(
        db,
        &mut sql,
        "a.customer_id",
        "k",
        &query.customer_words,
    )
    .await?;
    if let Some(action) = &query.action {
        sql.push(" AND a.action = ");
        sql.bind(Bind::Text(action.clone()));
    }
    if let Some(user) = query.staff_user_id {
        sql.push(" AND a.staff_user_id = ");
        sql.bind(Bind::Int(user));
    }
    // Entries are numbered in the order they are written, which is the order of their times:
    // a date range is a range of ids, found by the index on times, and walked by id.
    for (op, value) in [(">=", query.from), ("<", query.until)] {
        if let Some(value) = value {
            sql.push(&format!(" AND a.created_at {op} "));
            sql.bind(Bind::Int(value));
            sql.push(&format!(
                " AND a.id {op} COALESCE((SELECT f.id FROM customer_activity f WHERE f.created_at >= "
            ));
            sql.bind(Bind::Int(value));
            sql.push(" ORDER BY f.created_at, f.id LIMIT 1), (SELECT COALESCE(MAX(m.id), 0) + 1 FROM customer_activity m))");
        }
    }
    if let Some(before) = query.before {
        sql.push(" AND a.id < ");
        sql.bind(Bind::Int(before));
    }
    sql.push(" ORDER BY a.id DESC LIMIT ");
    sql.bind(Bind::Int(limit));
    // The page's entries are chosen on indexes alone, then read with their customers' names:
    // otherwise every matching entry is read in full and sorted (a name matching 179 customers:
    // their 3,600 entries read for 51).
    let join = if by_customer_text {
        " JOIN customers k ON k.id = a.customer_id"
    } else {
        ""
    };
    sql.text = format!(
        "SELECT a.id, a.customer_id, k.name AS customer_name, a.actor_name, a.staff_user_id, a.action, a.detail,
             a.before_value, a.after_value, a.created_at
         FROM customer_activity a JOIN customers k ON k.id = a.customer_id
         WHERE a.id IN (SELECT a.id FROM customer_activity a{join}{}) ORDER BY a.id DESC",
        sql.text
    );
    let rows = sql.query().fetch_all(&db.pool).await?;
    rows.iter()
        .map(|row| {
            Ok(LogRow {
                customer_id: row.try_get("customer_id")?,
                customer_name: row.try_get("customer_name")?,
                entry: ActivityEntry {
                    id: row.try_get("id")?,
                    actor_name: row.try_get("actor_name")?,
                    by_staff: row.try_get::<Option<i64>, _>("staff_user_id")?.is_some(),
                    action: row.try_get("action")?,
                    detail: row.try_get("detail")?,
                    before: row.try_get("before_value")?,
                    after: row.try_get("after_value")?,
                    created_at: row.try_get("created_at")?,
                },
            })
        })
        .collect()
}
