//! Customer queries: the list page, one customer, create, update with a version check, the Trash.

pub use super::filters::{count_matching, export_rows, matching_ids, push_filters};
pub use super::page::{by_own_text, list_page};
use super::{name_order, search};
use super::{Customer, CustomerSummary, TrashPage, TrashedCustomer, PAGE_SIZE};
use crate::activity::db::{record, record_change, Actor, Change};
use crate::domain::ValidCompany;
use crate::integration::IntegrationStatus;
use crate::sql::{Bind, Sql};
use crate::state::Db;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

const CUSTOMER_COLUMNS: &str = "id, name, account_number, street, city, region, postal_code, country, \
     phone, website, logo_file_id, active, wizard_step, version, created_at, updated_at, deleted_at";

fn customer_from_row(row: &AnyRow) -> Result<Customer, sqlx::Error> {
    Ok(Customer {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        account_number: row.try_get("account_number")?,
        street: row.try_get("street")?,
        city: row.try_get("city")?,
        region: row.try_get("region")?,
        postal_code: row.try_get("postal_code")?,
        country: row.try_get("country")?,
        phone: row.try_get("phone")?,
        website: row.try_get("website")?,
        logo_file_id: row.try_get("logo_file_id")?,
        active: row.try_get::<i64, _>("active")? != 0,
        wizard_step: row.try_get("wizard_step")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        deleted_at: row.try_get("deleted_at")?,
    })
}

pub(super) fn summary_from_row(row: &AnyRow) -> Result<CustomerSummary, sqlx::Error> {
    Ok(CustomerSummary {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        account_number: row.try_get("account_number")?,
        city: row.try_get("city")?,
        country: row.try_get("country")?,
        logo_file_id: row.try_get("logo_file_id")?,
        active: row.try_get::<i64, _>("active")? != 0,
        wizard_step: row.try_get("wizard_step")?,
        order_count: row.try_get("order_count")?,
        order_total_cents: row.try_get("order_total_cents")?,
        integration_status: IntegrationStatus::from_key(&row.try_get::<String, _>("integration_status")?)
            .unwrap_or_default(),
        groups: Vec::new(),
        pending_approval: row.try_get::<i64, _>("pending_approval")? != 0,
        created_at: row.try_get("created_at")?,
    })
}

pub async fn find(db: &Db, id: i64) -> Result<Option<Customer>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    find_in(&mut conn, id).await
}

pub async fn find_in(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Option<Customer>, sqlx::Error> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(customer_from_row).transpose()
}

/// The customer, other than `except`, that already has this account number, and whether it is
/// in the Trash.
pub async fn account_number_holder(
    db: &Db,
    account_key: &str,
    except: Option<i64>,
) -> Result<Option<(String, bool)>, sqlx::Error> {
    let row = sqlx::query("SELECT name, deleted_at FROM customers WHERE account_key = $1 AND id <> $2")
        .bind(account_key)
        .bind(except.unwrap_or(-1))
        .fetch_optional(&db.pool)
        .await?;
    row.map(|row| {
        Ok((
            row.try_get("name")?,
            row.try_get::<Option<i64>, _>("deleted_at")?.is_some(),
        ))
    })
    .transpose()
}

/// The values every save writes, in the order of the insert's and update's placeholders.
pub(crate) fn company_values(company: &ValidCompany) -> [Option<String>; 12] {
    let account = company.account_number.as_ref();
    let a = &company.address;
    [
        Some(company.name.as_str().to_string()),
        Some(company.name.key()),
        account.map(|n| n.as_str().to_string()),
        account.map(|n| n.key()),
        Some(a.street.clone()),
        Some(a.city.clone()),
        a.region.clone(),
        Some(a.postal_code.clone()),
        Some(a.country.clone()),
        company.phone.as_ref().map(|p| p.as_str().to_string()),
        company.website.as_ref().map(|w| w.as_str().to_string()),
        company.logo_file_id.clone(),
    ]
}

fn bind_company<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    company: &ValidCompany,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for value in company_values(company) {
        query = query.bind(value);
    }
    let account = company.account_number.as_ref().map(|n| n.as_str());
    query.bind(search::search_text(
        company.name.as_str(),
        account,
        &company.address.city,
    ))
}

const COMPANY_SET: &str = "name = $1, name_key = $2, account_number = $3, account_key = $4, street = $5, \
     city = $6, region = $7, postal_code = $8, country = $9, phone = $10, website = $11, logo_file_id = $12, \
     search_text = $13";

/// Adds a customer as a Draft whose wizard continues at step 2 (Contacts).
pub async fn insert(
    db: &Db,
    company: &ValidCompany,
    actor: &Actor<'_>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let query = sqlx::query(
        "INSERT INTO customers (name, name_key, account_number, account_key, street, city, region,
             postal_code, country, phone, website, logo_file_id, search_text, active, version, created_at, updated_at,
             wizard_step)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, 1, $14, $14, 2)
         RETURNING id",
    );
    let mut tx = db.begin().await?;
    let id = bind_company(query, company)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
    name_order::place(&mut tx, id).await?;
    let change = Change {
        action: "customer_created",
        detail: "Added the customer".into(),
        before: None,
        after: Some(company.name.as_str().to_string()),
    };
    record_change(&mut tx, id, actor, &change, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// What a save is: the form's values, whether the customer stays active, and who saves what
/// change (for the Activity log; `None` when the save changes nothing).
pub struct Save<'a> {
    pub company: &'a ValidCompany,
    pub active: bool,
    pub actor: &'a Actor<'a>,
    pub changes: Option<(String, String)>,
}

/// Saves over `version`; `false` when the stored customer is at another version (or gone).
pub async fn update(db: &Db, id: i64, version: i64, save: &Save<'_>, now: i64) -> Result<bool, sqlx::Error> {
    let company = save.company;
    // A renamed customer loses its place in name order (the old name is read on the right of SET)
    // and is given a new one below.
    let sql = format!(
        "UPDATE customers SET {COMPANY_SET}, active = $14, updated_at = $15, version = version + 1,
             name_order = CASE WHEN name_key = $2 THEN name_order ELSE NULL END
         WHERE id = $16 AND version = $17 AND deleted_at IS NULL"
    );
    let mut tx = db.begin().await?;
    let done = bind_company(sqlx::query(AssertSqlSafe(sql)), company)
        .bind(i64::from(save.active))
        .bind(now)
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    let placed: Option<i64> = sqlx::query_scalar("SELECT name_order FROM customers WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    if placed.is_none() {
        name_order::place(&mut tx, id).await?;
    }
    if let Some((before, after)) = &save.changes {
        let change = Change {
            action: "customer_edited",
            detail: "Edited the customer's details".into(),
            before: Some(before.clone()),
            after: Some(after.clone()),
        };
        record_change(&mut tx, id, save.actor, &change, now).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Starts a change of the customer in `tx` by writing to its row. The transaction then holds
/// SQLite's write lock, or PostgreSQL's lock on the row, before it reads what it will change: two
/// changes of one customer take turns, and the Activity log's "before" is what was really there.
/// (A SQLite transaction that reads first cannot write once another writer has committed.)
pub async fn lock(tx: &mut sqlx::AnyConnection, customer_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE customers SET updated_at = updated_at WHERE id = $1")
        .bind(customer_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Moves customers to the Trash; returns how many were moved.
pub async fn trash(db: &Db, ids: &[i64], actor: &Actor<'_>, now: i64) -> Result<u64, sqlx::Error> {
    if ids.is_empty() {
        return Ok(0);
    }
    let mut sql = Sql::default();
    sql.push("UPDATE customers SET deleted_at = ");
    sql.bind(Bind::Int(now));
    sql.push(", deleted_by = ");
    sql.bind(Bind::Int(actor.staff_user_id.unwrap_or_default()));
    sql.push(", version = version + 1 WHERE deleted_at IS NULL AND id IN (");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(Bind::Int(*id));
    }
    sql.push(") RETURNING id");
    let mut tx = db.begin().await?;
    let moved: Vec<i64> = sql
        .query()
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|row| row.try_get("id"))
        .collect::<Result<_, _>>()?;
    for id in &moved {
        record(
            &mut tx,
            *id,
            actor,
            "customer_deleted",
            "Moved the customer to the Trash",
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(moved.len() as u64)
}

/// Takes a customer out of the Trash; `false` when it was not in it.
pub async fn restore(db: &Db, id: i64, actor: &Actor<'_>, now: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "UPDATE customers SET deleted_at = NULL, deleted_by = NULL, version = version + 1
         WHERE id = $1 AND deleted_at IS NOT NULL",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    record(
        &mut tx,
        id,
        actor,
        "customer_restored",
        "Restored the customer from the Trash",
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A page of the Trash, the last deleted first, after customer `after` (from the start when
/// `None`).
pub async fn trashed(db: &Db, after: Option<i64>) -> Result<TrashPage, sqlx::Error> {
    let mut sql = Sql::default();
    sql.push(
        "SELECT c.id, c.name, c.account_number, c.city, c.deleted_at, u.name AS deleted_by
         FROM customers c LEFT JOIN staff_users u ON u.id = c.deleted_by
         WHERE c.deleted_at IS NOT NULL",
    );
    if let Some(after) = after {
        sql.push(" AND (c.deleted_at, c.id) < (SELECT t.deleted_at, t.id FROM customers t WHERE t.id = ");
        sql.bind(Bind::Int(after));
        sql.push(")");
    }
    sql.push(" ORDER BY c.deleted_at DESC, c.id DESC LIMIT ");
    sql.bind(Bind::Int(PAGE_SIZE as i64 + 1));
    let rows = sql.query().fetch_all(&db.pool).await?;
    let mut rows = trashed_rows(&rows)?;
    let next = crate::paging::next_cursor(&mut rows, PAGE_SIZE, |r| r.id);
    Ok(TrashPage { rows, next })
}

fn trashed_rows(rows: &[AnyRow]) -> Result<Vec<TrashedCustomer>, sqlx::Error> {
    rows.iter()
        .map(|row| {
            Ok(TrashedCustomer {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                account_number: row.try_get("account_number")?,
                city: row.try_get("city")?,
                deleted_at: row.try_get("deleted_at")?,
                deleted_by: row.try_get("deleted_by")?,
            })
        })
        .collect()
}

/// Records that the wizard reached `step` (it never goes back); `None` finishes it.
pub async fn set_wizard_step(db: &Db, id: i64, step: Option<i64>) -> Result<bool, sqlx::Error> {
    let query = match step {
        Some(step) => sqlx::query(
            "UPDATE customers SET wizard_step = $1
             WHERE id = $2 AND deleted_at IS NULL AND wizard_step IS NOT NULL AND wizard_step < $1",
        )
        .bind(step),
        None => sqlx::query("UPDATE customers SET wizard_step = NULL WHERE id = $1 AND deleted_at IS NULL"),
    };
    Ok(query.bind(id).execute(&db.pool).await?.rows_affected() == 1)
}
