//! Contact queries: search, create, update, and their assignments to customers.

use super::{Assignment, Contact, ContactListPage, ContactRow, CustomerContact, SEARCH_LIMIT};
use crate::customers::search::{push_like, words};
use crate::domain::{ContactRole, ValidContact};
use crate::listings::PAGE_SIZE;
use crate::sql::{Bind, Sql};
use crate::state::Db;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

const COLUMNS: &str = "c.id, c.first_name, c.last_name, c.email, c.phone, c.job_title, c.version";

fn contact_from_row(row: &AnyRow) -> Result<Contact, sqlx::Error> {
    Ok(Contact {
        id: row.try_get("id")?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        email: row.try_get("email")?,
        phone: row.try_get("phone")?,
        job_title: row.try_get("job_title")?,
        version: row.try_get("version")?,
    })
}

/// What a contact search looks in: the name both ways round and the email, lower case.
pub(crate) fn search_text(contact: &ValidContact) -> String {
    format!(
        "{} {} {}",
        contact.full_name(),
        contact.last_name,
        contact.email.as_str()
    )
    .to_lowercase()
}

/// Contacts whose name or email holds every word of `q`, by name.
pub async fn search(db: &Db, q: &str) -> Result<Vec<Contact>, sqlx::Error> {
    let mut sql = Sql::default();
    sql.push(&format!("SELECT {COLUMNS} FROM contacts c WHERE 1 = 1"));
    push_like(&mut sql, "c.search_text", &words(q));
    sql.push(" ORDER BY c.last_name, c.first_name, c.id LIMIT ");
    sql.bind(Bind::Int(SEARCH_LIMIT));
    let rows = sql.query().fetch_all(&db.pool).await?;
    rows.iter().map(contact_from_row).collect()
}

pub async fn find(db: &Db, id: i64) -> Result<Option<Contact>, sqlx::Error> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM contacts c WHERE c.id = $1"
    )))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(contact_from_row).transpose()
}

/// The contact, other than `except`, that already has this email: id and name.
pub async fn email_holder(
    db: &Db,
    email_key: &str,
    except: Option<i64>,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    let row = sqlx::query("SELECT id, first_name, last_name FROM contacts WHERE email_key = $1 AND id <> $2")
        .bind(email_key)
        .bind(except.unwrap_or(-1))
        .fetch_optional(&db.pool)
        .await?;
    row.map(|row| {
        let first: String = row.try_get("first_name")?;
        let last: String = row.try_get("last_name")?;
        Ok((row.try_get("id")?, format!("{first} {last}")))
    })
    .transpose()
}

pub async fn insert(tx: &mut AnyConnection, contact: &ValidContact, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO contacts (first_name, last_name, email, email_key, phone, job_title, search_text,
             version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) RETURNING id",
    )
    .bind(contact.first_name.clone())
    .bind(contact.last_name.clone())
    .bind(contact.email.as_str().to_string())
    .bind(contact.email.key())
    .bind(contact.phone.as_ref().map(|p| p.as_str().to_string()))
    .bind(contact.job_title.clone())
    .bind(search_text(contact))
    .bind(now)
    .fetch_one(&mut *tx)
    .await
}

/// Saves over `version`; `false` when the stored contact is at another version (or gone).
pub async fn update(
    tx: &mut AnyConnection,
    id: i64,
    version: i64,
    contact: &ValidContact,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE contacts SET first_name = $1, last_name = $2, email = $3, email_key = $4, phone = $5,
             job_title = $6, search_text = $7, updated_at = $8, version = version + 1
         WHERE id = $9 AND version = $10",
    )
    .bind(contact.first_name.clone())
    .bind(contact.last_name.clone())
    .bind(contact.email.as_str().to_string())
    .bind(contact.email.key())
    .bind(contact.phone.as_ref().map(|p| p.as_str().to_string()))
    .bind(contact.job_title.clone())
    .bind(search_text(contact))
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The customers the contact belongs to, but those in the Trash.
pub async fn customer_ids(tx: &mut AnyConnection, contact_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT cc.customer_id FROM customer_contacts cc JOIN customers k ON k.id = cc.customer_id
         WHERE cc.contact_id = $1 AND k.deleted_at IS NULL ORDER BY cc.customer_id",
    )
    .bind(contact_id)
    .fetch_all(&mut *tx)
    .await
}

/// Adds the contact to the customer; nothing happens (`false`) when it already belongs to it.
pub async fn assign(
    tx: &mut AnyConnection,
    customer_id: i64,
    contact_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    // Two quick clicks (or two people) adding the same contact add it once.
    let done = sqlx::query(
        "INSERT INTO customer_contacts (customer_id, contact_id, documents_contact, added_at) VALUES ($1, $2, 0, $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(customer_id)
    .bind(contact_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(done_one(done))
}

fn done_one(done: sqlx::any::AnyQueryResult) -> bool {
    done.rows_affected() == 1
}

/// Takes the contact off the customer; `false` when it was not on it.
pub async fn unassign(
    tx: &mut AnyConnection,
    customer_id: i64,
    contact_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM customer_contacts WHERE customer_id = $1 AND contact_id = $2")
        .bind(customer_id)
        .bind(contact_id)
        .execute(&mut *tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// `false` when the contact does not belong to the customer.
pub async fn set_documents_contact(
    tx: &mut AnyConnection,
    customer_id: i64,
    contact_id: i64,
    on: bool,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE customer_contacts SET documents_contact = $1 WHERE customer_id = $2 AND contact_id = $3",
    )
    .bind(i64::from(on))
    .bind(customer_id)
    .bind(contact_id)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

fn role_from_row(row: &AnyRow) -> Result<ContactRole, sqlx::Error> {
    let key: String = row.try_get("role")?;
    ContactRole::parse(&key).map_err(|e| sqlx::Error::Decode(e.into()))
}

/// `false` when the contact does not belong to the customer.
pub async fn set_role(
    tx: &mut AnyConnection,
    customer_id: i64,
    contact_id: i64,
    role: ContactRole,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE customer_contacts SET role = $1 WHERE customer_id = $2 AND contact_id = $3")
            .bind(role.key())
            .bind(customer_id)
            .bind(contact_id)
            .execute(&mut *tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Pushes the Contacts page's search: every word in the contact's name or email, or in the name
/// of one of its customers.
fn push_list_search(sql: &mut Sql, q: &str) {
    for word in words(q) {
        let pattern = crate::customers::search::like_pattern(&word);
        sql.push(" AND (c.search_text LIKE ");
        sql.bind(Bind::Text(pattern.clone()));
        sql.push(" ESCAPE '\\' OR EXISTS (SELECT 1 FROM customer_contacts cc JOIN customers k ON k.id = cc.customer_id
             WHERE cc.contact_id = c.id AND k.deleted_at IS NULL AND k.name_key LIKE ");
        sql.bind(Bind::Text(pattern));
        sql.push(" ESCAPE '\\'))");
    }
}

/// One page of the Contacts page (`page` from 0), by name, with each contact's customers.
pub async fn list_page(db: &Db, q: &str, page: i64) -> Result<ContactListPage, sqlx::Error> {
    let mut count = Sql::default();
    count.push("SELECT COUNT(*) AS n FROM contacts c WHERE 1 = 1");
    push_list_search(&mut count, q);
    let total: i64 = count.query().fetch_one(&db.pool).await?.try_get("n")?;
    let last = ((total + PAGE_SIZE - 1) / PAGE_SIZE - 1).max(0);
    let page = page.clamp(0, last);

    let mut sql = Sql::default();
    sql.push(&format!("SELECT {COLUMNS} FROM contacts c WHERE 1 = 1"));
    push_list_search(&mut sql, q);
    sql.push(" ORDER BY c.last_name, c.first_name, c.id LIMIT ");
    sql.bind(Bind::Int(PAGE_SIZE));
    sql.push(" OFFSET ");
    sql.bind(Bind::Int(page * PAGE_SIZE));
    let contacts: Vec<Contact> = sql
        .query()
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(contact_from_row)
        .collect::<Result<_, _>>()?;

    let mut rows: Vec<ContactRow> = contacts
        .into_iter()
        .map(|contact| ContactRow {
            contact,
            customers: Vec::new(),
        })
        .collect();
    if !rows.is_empty() {
        let mut names = Sql::default();
        names.push(
            "SELECT cc.contact_id, k.name FROM customer_contacts cc JOIN customers k ON k.id = cc.customer_id
             WHERE k.deleted_at IS NULL AND cc.contact_id IN (",
        );
        for (i, row) in rows.iter().enumerate() {
            if i > 0 {
                names.push(", ");
            }
            names.bind(Bind::Int(row.contact.id));
        }
        names.push(") ORDER BY k.name_key");
        for found in names.query().fetch_all(&db.pool).await? {
            let contact_id: i64 = found.try_get("contact_id")?;
            if let Some(row) = rows.iter_mut().find(|r| r.contact.id == contact_id) {
                row.customers.push(found.try_get("name")?);
            }
        }
    }
    Ok(ContactListPage { rows, total, page })
}

/// The customers a contact belongs to, by name.
pub async fn assignments(db: &Db, contact_id: i64) -> Result<Vec<Assignment>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT k.id, k.name, k.account_number, k.portal_enabled, cc.documents_contact, cc.role
         FROM customer_contacts cc JOIN customers k ON k.id = cc.customer_id
         WHERE cc.contact_id = $1 AND k.deleted_at IS NULL
         ORDER BY k.name_key, k.id",
    )
    .bind(contact_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Assignment {
                customer_id: row.try_get("id")?,
                customer_name: row.try_get("name")?,
                account_number: row.try_get("account_number")?,
                portal_enabled: row.try_get::<i64, _>("portal_enabled")? != 0,
                documents_contact: row.try_get::<i64, _>("documents_contact")? != 0,
                role: role_from_row(row)?,
            })
        })
        .collect()
}

/// The customer's contacts, by name.
pub async fn of_customer(db: &Db, customer_id: i64) -> Result<Vec<CustomerContact>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    customer_contacts(&mut conn, customer_id, None).await
}

/// One contact of the customer, as the customer's Contacts tab shows it.
pub async fn of_customer_in(
    conn: &mut AnyConnection,
    customer_id: i64,
    contact_id: i64,
) -> Result<Option<CustomerContact>, sqlx::Error> {
    Ok(customer_contacts(conn, customer_id, Some(contact_id))
        .await?
        .pop())
}

async fn customer_contacts(
    conn: &mut AnyConnection,
    customer_id: i64,
    only: Option<i64>,
) -> Result<Vec<CustomerContact>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS}, cc.documents_contact, cc.role,
             (SELECT COUNT(*) FROM customer_contacts o WHERE o.contact_id = c.id AND o.customer_id <> cc.customer_id) AS others
         FROM customer_contacts cc JOIN contacts c ON c.id = cc.contact_id
         WHERE cc.customer_id = $1 AND ($2 < 0 OR cc.contact_id = $2)
         ORDER BY c.last_name, c.first_name, c.id"
    )))
    .bind(customer_id)
    .bind(only.unwrap_or(-1))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(CustomerContact {
                contact: contact_from_row(row)?,
                documents_contact: row.try_get::<i64, _>("documents_contact")? != 0,
                role: role_from_row(row)?,
                other_customers: row.try_get("others")?,
            })
        })
        .collect()
}

/// A contact an email goes to.
pub struct Recipient {
    pub id: i64,
    pub first_name: String,
    pub name: String,
    pub email: String,
}

pub fn recipient_from_row(row: &AnyRow) -> Result<Recipient, sqlx::Error> {
    let first_name: String = row.try_get("first_name")?;
    let last_name: String = row.try_get("last_name")?;
    Ok(Recipient {
        id: row.try_get("id")?,
        name: format!("{first_name} {last_name}"),
        first_name,
        email: row.try_get("email")?,
    })
}

/// The Documents Contacts of a customer.
pub async fn documents_contacts(
    tx: &mut AnyConnection,
    customer_id: i64,
) -> Result<Vec<Recipient>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT c.id, c.first_name, c.last_name, c.email FROM customer_contacts cc
         JOIN contacts c ON c.id = cc.contact_id
         WHERE cc.customer_id = $1 AND cc.documents_contact = 1
         ORDER BY c.id",
    )
    .bind(customer_id)
    .fetch_all(&mut *tx)
    .await?;
    rows.iter().map(recipient_from_row).collect()
}

/// The Buyer contacts of a customer (who get its order confirmations and reminders).
pub async fn buyers(tx: &mut AnyConnection, customer_id: i64) -> Result<Vec<Recipient>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT c.id, c.first_name, c.last_name, c.email FROM customer_contacts cc
         JOIN contacts c ON c.id = cc.contact_id
         WHERE cc.customer_id = $1 AND cc.role = 'buyer'
         ORDER BY c.id",
    )
    .bind(customer_id)
    .fetch_all(&mut *tx)
    .await?;
    rows.iter().map(recipient_from_row).collect()
}
