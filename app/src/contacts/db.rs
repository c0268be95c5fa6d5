//! Contact queries: search, create, update, and their assignments to customers.

use super::{
    Assignment, Contact, ContactListPage, ContactRow, CustomerContact, CustomerContactsPage, Position,
    SEARCH_LIMIT,
};
use crate::domain::{ContactRole, ValidContact};
use crate::listings::PAGE_SIZE;
use crate::sql::{estimated_rows, gathers_on_postgres, Bind, Sql, SHORT_WALK};
use crate::state::{Backend, Db};
use crate::text_search::{push_like, trigram_query, words};
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

/// The contact's own part of what a search looks in (`name_text`): the name both ways round and
/// the email, folded. The database adds its customers' search texts to make `search_text`.
pub(crate) fn name_text(contact: &ValidContact) -> String {
    name_text_of(&contact.first_name, &contact.last_name, contact.email.as_str())
}

pub fn name_text_of(first_name: &str, last_name: &str, email: &str) -> String {
    crate::text_search::fold(&format!("{first_name} {last_name} {last_name} {email}"))
}

/// Contacts whose name or email, or one of whose customers, holds every word of `q`, by name:
/// the first few, for "+ Add Contacts".
pub async fn search(db: &Db, q: &str) -> Result<Vec<Contact>, sqlx::Error> {
    walk(db, &words(q), None, false, SEARCH_LIMIT).await
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

/// The contact whose email is `email_key` (lower case), if any.
pub async fn find_by_email_key(db: &Db, email_key: &str) -> Result<Option<Contact>, sqlx::Error> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM contacts c WHERE c.email_key = $1"
    )))
    .bind(email_key)
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
        "INSERT INTO contacts (first_name, last_name, email, email_key, phone, job_title, name_text,
             search_text, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1, $8, $8) RETURNING id",
    )
    .bind(contact.first_name.clone())
    .bind(contact.last_name.clone())
    .bind(contact.email.as_str().to_string())
    .bind(contact.email.key())
    .bind(contact.phone.as_ref().map(|p| p.as_str().to_string()))
    .bind(contact.job_title.clone())
    .bind(name_text(contact))
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
             job_title = $6, name_text = $7, updated_at = $8, version = version + 1
         WHERE id = $9 AND version = $10",
    )
    .bind(contact.first_name.clone())
    .bind(contact.last_name.clone())
    .bind(contact.email.as_str().to_string())
    .bind(contact.email.key())
    .bind(contact.phone.as_ref().map(|p| p.as_str().to_string()))
    .bind(contact.job_title.clone())
    .bind(name_text(contact))
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

/// A contact with its `documents_contact` and `role` at one customer.
fn customer_contact_from_row(row: &AnyRow, other_customers: i64) -> Result<CustomerContact, sqlx::Error> {
    Ok(CustomerContact {
        contact: contact_from_row(row)?,
        documents_contact: row.try_get::<i64, _>("documents_contact")? != 0,
        role: role_from_row(row)?,
        other_customers,
    })
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

/// One page of the Contacts page, by name, with each contact's customers: a walk from the
/// cursor contact, so a page costs the same however deep.
pub async fn list_page(db: &Db, q: &str, position: Position) -> Result<ContactListPage, sqlx::Error> {
    let backwards = matches!(position, Position::Before(_) | Position::Last);
    let from = match position {
        Position::After(id) | Position::Before(id) => name_key_of(db, id).await?,
        Position::First | Position::Last => None,
    };
    let mut contacts = walk(db, &words(q), from, backwards, PAGE_SIZE + 1).await?;
    let more = contacts.len() as i64 > PAGE_SIZE;
    contacts.truncate(PAGE_SIZE as usize);
    if backwards {
        contacts.reverse();
    }
    let cursor_given = matches!(position, Position::After(_) | Position::Before(_));
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
    Ok(ContactListPage {
        rows,
        has_previous: if backwards { more } else { cursor_given },
        has_next: if backwards {
            matches!(position, Position::Before(_))
        } else {
            more
        },
    })
}

/// Where a contact stands in name order.
#[derive(Clone)]
struct NameKey {
    last_name: String,
    first_name: String,
    id: i64,
}

async fn name_key_of(db: &Db, id: i64) -> Result<Option<NameKey>, sqlx::Error> {
    let row = sqlx::query("SELECT last_name, first_name FROM contacts WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|row| {
        Ok(NameKey {
            last_name: row.try_get("last_name")?,
            first_name: row.try_get("first_name")?,
            id,
        })
    })
    .transpose()
}

/// The columns of the Contacts page's name order.
const CONTACT_ORDER: &str = "c.last_name, c.first_name, c.id";

/// The same order of a customer's contacts, from its assignments' copies of their names.
const ASSIGNED_ORDER: &str = "cc.last_name, cc.first_name, cc.contact_id";

/// ` AND` contacts after (`>`) or before (`<`) `from` in the name order of `columns`.
fn push_from(sql: &mut Sql, columns: &str, cmp: &str, from: Option<NameKey>) {
    if let Some(from) = from {
        sql.push(&format!(" AND ({columns}) {cmp} ("));
        sql.bind(Bind::Text(from.last_name));
        sql.push(", ");
        sql.bind(Bind::Text(from.first_name));
        sql.push(", ");
        sql.bind(Bind::Int(from.id));
        sql.push(")");
    }
}

/// A trigram with more contacts than this makes a word common: its matches are found by walking
/// the name order, where they are dense, rather than by gathering and sorting them all.
const COMMON: i64 = 5_000;

/// Up to `limit` contacts holding every word, in name order (or reversed) from `from`.
///
/// Two ways, chosen by how many contacts the rarest trigram of the words has. Few (on SQLite):
/// the trigram index yields them and they are sorted. Many, or words too short for trigrams:
/// the name index is walked and each contact checked, which stops after `limit` matches, soon as
/// they are common. PostgreSQL's planner makes the same choice with its own trigram index.
async fn walk(
    db: &Db,
    words: &[String],
    from: Option<NameKey>,
    backwards: bool,
    limit: i64,
) -> Result<Vec<Contact>, sqlx::Error> {
    let (cmp, dir) = if backwards { ("<", "DESC") } else { (">", "ASC") };
    let order: Vec<String> = CONTACT_ORDER.split(", ").map(|c| format!("{c} {dir}")).collect();
    let order = format!(" ORDER BY {}", order.join(", "));
    if gathers(db, words).await? {
        // A short walk finds a page of matches spread through the order ('lena'); failing that,
        // they cluster ('novak': 170,000 contacts into it) and are gathered, then sorted.
        // `OFFSET 0` keeps PostgreSQL from walking the order inside the subquery.
        let mut sql = Sql::default();
        sql.push(&format!(
            "SELECT {COLUMNS} FROM (SELECT * FROM contacts c WHERE 1 = 1"
        ));
        push_from(&mut sql, CONTACT_ORDER, cmp, from.clone());
        sql.push(&format!("{order} LIMIT {SHORT_WALK}) c WHERE 1 = 1"));
        push_like(&mut sql, "c.search_text", words);
        sql.push(&format!("{order} LIMIT "));
        sql.bind(Bind::Int(limit));
        let walked = sql.query().fetch_all(&db.pool).await?;
        if walked.len() as i64 >= limit {
            return walked.iter().map(contact_from_row).collect();
        }
        let mut sql = Sql::default();
        sql.push(&format!(
            "SELECT {COLUMNS} FROM (SELECT * FROM contacts c WHERE 1 = 1"
        ));
        push_like(&mut sql, "c.search_text", words);
        push_from(&mut sql, CONTACT_ORDER, cmp, from);
        sql.push(&format!(" OFFSET 0) c{order} LIMIT "));
        sql.bind(Bind::Int(limit));
        let rows = sql.query().fetch_all(&db.pool).await?;
        return rows.iter().map(contact_from_row).collect();
    }
    let mut sql = Sql::default();
    match trigram_query(db, "contact_search", words, COMMON).await? {
        Some(candidates) if candidates.at_most < COMMON => {
            // CROSS JOIN keeps SQLite from walking the name index instead.
            sql.push(&format!(
                "SELECT {COLUMNS} FROM (SELECT rowid AS id FROM contact_search WHERE contact_search MATCH "
            ));
            sql.bind(Bind::Text(candidates.query));
            sql.push(") s CROSS JOIN contacts c ON c.id = s.id WHERE 1 = 1");
        }
        _ => sql.push(&format!("SELECT {COLUMNS} FROM contacts c WHERE 1 = 1")),
    }
    push_like(&mut sql, "c.search_text", words);
    push_from(&mut sql, CONTACT_ORDER, cmp, from);
    sql.push(&format!("{order} LIMIT "));
    sql.bind(Bind::Int(limit));
    let rows = sql.query().fetch_all(&db.pool).await?;
    rows.iter().map(contact_from_row).collect()
}

/// Whether PostgreSQL should gather the contacts holding `words` rather than walk the name
/// order for them (`sql::gathers_on_postgres`); words of three letters or more only, which its
/// trigram index finds.
async fn gathers(db: &Db, words: &[String]) -> Result<bool, sqlx::Error> {
    if db.backend != Backend::Postgres || words.is_empty() || words.iter().any(|w| w.chars().count() < 3) {
        return Ok(false);
    }
    let mut probe = Sql::default();
    probe.push("SELECT c.id FROM contacts c WHERE 1 = 1");
    push_like(&mut probe, "c.search_text", words);
    Ok(gathers_on_postgres(estimated_rows(&db.pool, &probe).await?))
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

/// A page of the customer's contacts in name order, after the contact `after`, of those whose
/// own name or email holds every word of `q`.
pub async fn of_customer_page(
    db: &Db,
    customer_id: i64,
    q: &str,
    after: Option<i64>,
) -> Result<CustomerContactsPage, sqlx::Error> {
    let mut sql = Sql::default();
    sql.push(&format!(
        "SELECT {COLUMNS}, cc.documents_contact, cc.role
         FROM customer_contacts cc JOIN contacts c ON c.id = cc.contact_id WHERE cc.customer_id = "
    ));
    sql.bind(Bind::Int(customer_id));
    push_like(&mut sql, "c.name_text", &words(q));
    if let Some(id) = after {
        push_from(&mut sql, ASSIGNED_ORDER, ">", name_key_of(db, id).await?);
    }
    sql.push(&format!(" ORDER BY {ASSIGNED_ORDER} LIMIT "));
    sql.bind(Bind::Int(PAGE_SIZE + 1));
    let found = sql.query().fetch_all(&db.pool).await?;
    let mut rows = found
        .iter()
        .map(|row| customer_contact_from_row(row, 0))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let has_next = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    if !rows.is_empty() {
        // Counted for the page's contacts alone, not for every contact of a big account.
        let mut others = Sql::default();
        others.push("SELECT contact_id, COUNT(*) AS n FROM customer_contacts WHERE contact_id IN (");
        for (i, row) in rows.iter().enumerate() {
            others.push(if i == 0 { "" } else { ", " });
            others.bind(Bind::Int(row.contact.id));
        }
        others.push(") GROUP BY contact_id");
        for count in others.query().fetch_all(&db.pool).await? {
            let id: i64 = count.try_get("contact_id")?;
            let n: i64 = count.try_get("n")?;
            if let Some(row) = rows.iter_mut().find(|r| r.contact.id == id) {
                row.other_customers = n - 1;
            }
        }
    }
    let counts = sqlx::query(
        "SELECT COUNT(*) AS total, CAST(COALESCE(SUM(documents_contact), 0) AS BIGINT) AS documents
         FROM customer_contacts WHERE customer_id = $1",
    )
    .bind(customer_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(CustomerContactsPage {
        rows,
        has_next,
        total: counts.try_get("total")?,
        documents_contacts: counts.try_get("documents")?,
    })
}

/// Those of `ids` that are contacts of the customer.
pub async fn of_customer_among(
    db: &Db,
    customer_id: i64,
    ids: &[i64],
) -> Result<Vec<CustomerContact>, sqlx::Error> {
    let mut sql = Sql::default();
    sql.push(&format!(
        "SELECT {COLUMNS}, cc.documents_contact, cc.role
         FROM customer_contacts cc JOIN contacts c ON c.id = cc.contact_id WHERE cc.customer_id = "
    ));
    sql.bind(Bind::Int(customer_id));
    sql.push(" AND cc.contact_id IN (-1");
    for id in ids {
        sql.push(", ");
        sql.bind(Bind::Int(*id));
    }
    sql.push(")");
    let rows = sql.query().fetch_all(&db.pool).await?;
    rows.iter().map(|row| customer_contact_from_row(row, 0)).collect()
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
         ORDER BY {ASSIGNED_ORDER}"
    )))
    .bind(customer_id)
    .bind(only.unwrap_or(-1))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| customer_contact_from_row(row, row.try_get("others")?))
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
