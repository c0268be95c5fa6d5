//! Queries of the customer's profile and of the "How did you hear about us" answers.

use super::{CustomerLink, CustomerProfile, Source, SourceName};
use crate::state::Db;
use sqlx::{AnyConnection, Row};

/// Rows of `id` and `name`, each made into a `T`.
fn id_names<T>(rows: &[sqlx::any::AnyRow], make: impl Fn(i64, String) -> T) -> Result<Vec<T>, sqlx::Error> {
    rows.iter()
        .map(|row| Ok(make(row.try_get("id")?, row.try_get("name")?)))
        .collect()
}

/// Sub-accounts named on a customer's Account details; the rest are counted.
const SUB_ACCOUNTS_SHOWN: i64 = 12;

pub async fn of_customer(conn: &mut AnyConnection, customer_id: i64) -> Result<CustomerProfile, sqlx::Error> {
    let row = sqlx::query(
        "SELECT c.source_id, c.secondary_phone, c.newsletter, p.id AS parent_id, p.name AS parent_name
         FROM customers c LEFT JOIN customers p ON p.id = c.parent_id AND p.deleted_at IS NULL
         WHERE c.id = $1",
    )
    .bind(customer_id)
    .fetch_one(&mut *conn)
    .await?;
    let parent = match row.try_get::<Option<i64>, _>("parent_id")? {
        Some(id) => Some(CustomerLink {
            id,
            name: row.try_get("parent_name")?,
        }),
        None => None,
    };
    // The first few by name, and how many in all: a head office may have a thousand.
    let subs = sqlx::query(
        "SELECT id, name FROM customers WHERE parent_id = $1 AND deleted_at IS NULL ORDER BY name_key, id LIMIT $2",
    )
    .bind(customer_id)
    .bind(SUB_ACCOUNTS_SHOWN)
    .fetch_all(&mut *conn)
    .await?;
    let sub_account_count = if (subs.len() as i64) < SUB_ACCOUNTS_SHOWN {
        subs.len() as i64
    } else {
        sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE parent_id = $1 AND deleted_at IS NULL")
            .bind(customer_id)
            .fetch_one(&mut *conn)
            .await?
    };
    Ok(CustomerProfile {
        parent,
        sub_accounts: id_names(&subs, |id, name| CustomerLink { id, name })?,
        sub_account_count,
        source_id: row.try_get("source_id")?,
        secondary_phone: row.try_get("secondary_phone")?,
        newsletter: row.try_get::<i64, _>("newsletter")? != 0,
        sources: source_names(conn).await?,
    })
}

pub async fn source_names(conn: &mut AnyConnection) -> Result<Vec<SourceName>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, name FROM referral_sources ORDER BY name_key, id")
        .fetch_all(&mut *conn)
        .await?;
    id_names(&rows, |id, name| SourceName { id, name })
}

/// The answers with how many customers gave each, for the Admins' list.
pub async fn sources(conn: &mut AnyConnection) -> Result<Vec<Source>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT s.id, s.name, (SELECT COUNT(*) FROM customers c WHERE c.source_id = s.id AND c.deleted_at IS NULL) AS n
         FROM referral_sources s ORDER BY s.name_key, s.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Source {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                customer_count: row.try_get("n")?,
            })
        })
        .collect()
}

pub async fn add_source(db: &Db, name: &str, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO referral_sources (name, name_key, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(name.to_string())
    .bind(name.to_lowercase())
    .bind(now)
    .fetch_one(&db.pool)
    .await
}

/// Deletes an answer; customers that gave it keep no answer. `false` when it was gone.
pub async fn delete_source(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM referral_sources WHERE id = $1")
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Live customers the customers list finds for `q`, other than `except`, for choosing a parent:
/// the list's first page, found by its indexes (a walk in name order checking each name took a
/// second when the matches sit far down the alphabet).
pub async fn search_customers(db: &Db, q: &str, except: i64) -> Result<Vec<CustomerLink>, sqlx::Error> {
    let q: String = q.chars().take(100).collect();
    Ok(crate::customers::db::by_own_text(db, &q)
        .await?
        .into_iter()
        .filter(|c| c.id != except)
        .take(20)
        .map(|c| CustomerLink {
            id: c.id,
            name: c.name,
        })
        .collect())
}

/// The customer's ancestors, nearest first (stops at a loop, which the saves never make).
pub async fn ancestors(conn: &mut AnyConnection, customer_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let mut found = Vec::new();
    let mut current = customer_id;
    while let Some(parent) =
        sqlx::query_scalar::<_, Option<i64>>("SELECT parent_id FROM customers WHERE id = $1")
            .bind(current)
            .fetch_optional(&mut *conn)
            .await?
            .flatten()
    {
        if parent == customer_id || found.contains(&parent) {
            break;
        }
        found.push(parent);
        current = parent;
    }
    Ok(found)
}

pub struct ProfileValues {
    pub parent_id: Option<i64>,
    pub source_id: Option<i64>,
    pub secondary_phone: Option<String>,
    pub newsletter: bool,
}

pub async fn save(
    tx: &mut AnyConnection,
    customer_id: i64,
    values: &ProfileValues,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE customers SET parent_id = $1, source_id = $2, secondary_phone = $3, newsletter = $4, updated_at = $5
         WHERE id = $6",
    )
    .bind(values.parent_id)
    .bind(values.source_id)
    .bind(values.secondary_phone.clone())
    .bind(i64::from(values.newsletter))
    .bind(now)
    .bind(customer_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
