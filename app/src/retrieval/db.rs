//! Queries of the Document Retrieval Site: links, contact accounts and sessions, what a contact
//! may see, and downloads.

use super::{SharedCustomer, SharedDocument, SharedGroup, SharedPage};
use crate::domain::{CalendarDate, DocumentStatus, Level};
use crate::listings::db::of_request;
use crate::listings::PAGE_SIZE;
use crate::mail::LinkRule;
use crate::state::Db;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// The email a link is made for: its outbox row, kind's rule, contact and customer.
pub struct LinkFor {
    pub outbox_id: i64,
    pub rule: LinkRule,
    pub contact_id: i64,
    pub customer_id: Option<i64>,
}

/// Stores a new link (only the token's hash); returns when it expires.
pub async fn insert_link(
    conn: &mut AnyConnection,
    token_hash: &str,
    link: &LinkFor,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let expires = now + link.rule.valid_ms;
    sqlx::query(
        "INSERT INTO access_links (token_hash, contact_id, purpose, customer_id, outbox_id, created_at, expires_at, email_key)
         SELECT $1, $2, $3, $4, $5, $6, $7, email_key FROM contacts WHERE id = $2",
    )
    .bind(token_hash)
    .bind(link.contact_id)
    .bind(link.rule.purpose)
    .bind(link.customer_id)
    .bind(link.outbox_id)
    .bind(now)
    .bind(expires)
    .execute(&mut *conn)
    .await?;
    Ok(expires)
}

/// The contact's email of today, if the contact exists.
pub async fn contact_email(conn: &mut AnyConnection, contact_id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT email FROM contacts WHERE id = $1")
        .bind(contact_id)
        .fetch_optional(&mut *conn)
        .await
}

/// The contact a link was made for.
pub struct LinkHolder {
    pub contact_id: i64,
    pub expires_at: i64,
    pub email: String,
    pub first_name: String,
    pub has_account: bool,
}

pub async fn link(db: &Db, token_hash: &str) -> Result<Option<LinkHolder>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT a.contact_id, a.expires_at, c.email, c.first_name, c.password_hash
         FROM access_links a JOIN contacts c ON c.id = a.contact_id AND c.email_key = a.email_key
         WHERE a.token_hash = $1 AND a.purpose = 'retrieval'",
    )
    .bind(token_hash)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| {
        Ok(LinkHolder {
            contact_id: row.try_get("contact_id")?,
            expires_at: row.try_get("expires_at")?,
            email: row.try_get("email")?,
            first_name: row.try_get("first_name")?,
            has_account: row.try_get::<Option<String>, _>("password_hash")?.is_some(),
        })
    })
    .transpose()
}

/// The contact with this email (lower case): id and password hash, if they made an account.
pub async fn contact_by_email(
    db: &Db,
    email_key: &str,
) -> Result<Option<(i64, Option<String>)>, sqlx::Error> {
    let row = sqlx::query("SELECT id, password_hash FROM contacts WHERE email_key = $1")
        .bind(email_key)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|row| Ok((row.try_get("id")?, row.try_get("password_hash")?)))
        .transpose()
}

/// Sets the password of a contact that has none yet; `false` if they already have one.
pub async fn set_first_password(db: &Db, contact_id: i64, password_hash: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE contacts SET password_hash = $1 WHERE id = $2 AND password_hash IS NULL")
        .bind(password_hash)
        .bind(contact_id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub struct NewSession {
    pub contact_id: i64,
    pub customer_id: Option<i64>,
    pub only_customer_id: Option<i64>,
    pub expires_at: i64,
}

pub async fn insert_session(
    db: &Db,
    token_hash: &str,
    session: &NewSession,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO contact_sessions (token_hash, contact_id, customer_id, only_customer_id, created_at, expires_at, email_key)
         SELECT $1, $2, $3, $4, $5, $6, email_key FROM contacts WHERE id = $2",
    )
        .bind(token_hash)
        .bind(session.contact_id)
        .bind(session.customer_id)
        .bind(session.only_customer_id)
        .bind(now)
        .bind(session.expires_at)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The contact of a live session.
pub async fn contact_by_session(
    db: &Db,
    token_hash: &str,
    now: i64,
) -> Result<Option<ContactSession>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT c.id, c.first_name, c.last_name, c.email, s.customer_id, s.only_customer_id
         FROM contact_sessions s JOIN contacts c ON c.id = s.contact_id AND c.email_key = s.email_key
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| {
        let first: String = row.try_get("first_name")?;
        let last: String = row.try_get("last_name")?;
        Ok(ContactSession {
            token_hash: token_hash.to_string(),
            contact_id: row.try_get("id")?,
            name: format!("{first} {last}"),
            email: row.try_get("email")?,
            chosen_customer_id: row.try_get("customer_id")?,
            only_customer_id: row.try_get("only_customer_id")?,
        })
    })
    .transpose()
}

/// A signed-in contact, as their session has them.
#[derive(Debug, Clone)]
pub struct ContactSession {
    pub token_hash: String,
    pub contact_id: i64,
    pub name: String,
    pub email: String,
    /// The customer they chose to act as in the portal.
    pub chosen_customer_id: Option<i64>,
    /// Set for a session opened by a reminder's link: the one customer it may act for.
    pub only_customer_id: Option<i64>,
}

impl ContactSession {
    /// The session's bound on customers, for queries: -1 when it has none.
    pub fn scope(&self) -> i64 {
        self.only_customer_id.unwrap_or(-1)
    }
}

pub async fn delete_session(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM contact_sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// When the contact was last sent a new link, to keep "send me a new link" from flooding them.
pub async fn last_new_link(db: &Db, contact_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT MAX(created_at) FROM outbox WHERE contact_id = $1 AND kind = 'new_link'")
        .bind(contact_id)
        .fetch_one(&db.pool)
        .await
}

/// The sent requests of the customers the contact belongs to (customers in the Trash excepted):
/// exactly what the contact may see and download. A sent request has its document, and a
/// document its file and type (foreign keys), so neither is joined to decide what is shared.
const SHARED_JOINS: &str = "FROM customer_contacts cc
     JOIN customers cu ON cu.id = cc.customer_id AND cu.deleted_at IS NULL
     JOIN document_requests r ON r.customer_id = cc.customer_id AND r.status = 'sent'
         AND r.document_id IS NOT NULL";
const OF_CONTACT: &str = "WHERE cc.contact_id = $1 AND ($2 < 0 OR cc.customer_id = $2)";

/// A page of the documents shared with the contact's customers (`PAGE_SIZE` from page `page`,
/// zero-based), by customer, then location/item; and how many there are in all.
pub async fn shared(
    db: &Db,
    session: &ContactSession,
    today: CalendarDate,
    page: i64,
) -> Result<SharedPage, sqlx::Error> {
    let mut page = page.clamp(0, i64::MAX / PAGE_SIZE);
    let mut rows = shared_rows(db, session, page).await?;
    let total = match rows.first() {
        Some(row) => row.try_get("total")?,
        None if page == 0 => 0,
        // Past the last page (a link kept while documents went): the last page instead.
        None => {
            let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) {SHARED_JOINS} {OF_CONTACT}"
            )))
            .bind(session.contact_id)
            .bind(session.scope())
            .fetch_one(&db.pool)
            .await?;
            page = page.clamp(0, (total - 1).max(0) / PAGE_SIZE);
            rows = shared_rows(db, session, page).await?;
            total
        }
    };
    let mut customers: Vec<(i64, SharedCustomer)> = Vec::new();
    // The location or item of the last group: two listings may share a name, not an id.
    let mut last_group: Option<(Level, i64)> = None;
    for row in &rows {
        let customer_id: i64 = row.try_get("customer_id")?;
        if customers.last().is_none_or(|(id, _)| *id != customer_id) {
            customers.push((
                customer_id,
                SharedCustomer {
                    name: row.try_get("customer")?,
                    groups: Vec::new(),
                },
            ));
            last_group = None;
        }
        let level: String = row.try_get("level")?;
        let level = Level::parse(&level).map_err(|e| sqlx::Error::Decode(e.into()))?;
        let listing: String = row.try_get("listing_name")?;
        let listing_id: i64 = row.try_get("listing_id")?;
        let date = |column: &str| -> Result<CalendarDate, sqlx::Error> {
            let text: String = row.try_get(column)?;
            CalendarDate::parse(&text, column).map_err(|e| sqlx::Error::Decode(e.into()))
        };
        let expires_on = date("expires_on")?;
        let document = SharedDocument {
            request_id: row.try_get("id")?,
            type_name: row.try_get("type_name")?,
            title: row.try_get("title")?,
            effective_on: date("effective_on")?,
            expires_on,
            status: DocumentStatus::on(today, expires_on),
            file_name: row.try_get("file_name")?,
            size: row.try_get("size")?,
        };
        let Some((_, customer)) = customers.last_mut() else {
            continue;
        };
        match customer.groups.last_mut() {
            Some(group) if last_group == Some((level, listing_id)) => group.documents.push(document),
            _ => customer.groups.push(SharedGroup {
                level,
                name: listing,
                documents: vec![document],
            }),
        }
        last_group = Some((level, listing_id));
    }
    Ok(SharedPage {
        customers: customers.into_iter().map(|(_, c)| c).collect(),
        page,
        total,
    })
}

/// The rows of page `page` of the documents shared with the contact, each with how many there
/// are in all (`total`). The page is chosen on the sort keys alone, and only its 50 requests are
/// joined with their documents and files: the contact of 200 customers has 350 of them.
async fn shared_rows(db: &Db, session: &ContactSession, page: i64) -> Result<Vec<AnyRow>, sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT p.total, r.id, cu.id AS customer_id, cu.name AS customer, t.level, t.name AS type_name,
             {} AS listing_name, p.listing_id, d.title, d.effective_on, d.expires_on, f.file_name, f.size
         FROM (SELECT r.id AS request_id, cu.name_key, cu.id AS customer_id, t.level, t.name_key AS type_key,
                 {} AS listing_key, COALESCE(r.location_id, r.item_id) AS listing_id,
                 COUNT(*) OVER () AS total
               {SHARED_JOINS} JOIN document_types t ON t.id = r.type_id {OF_CONTACT}
               ORDER BY cu.name_key, cu.id, t.level, listing_key, listing_id, t.name_key, r.id DESC
               LIMIT $3 OFFSET $4) p
         JOIN document_requests r ON r.id = p.request_id
         JOIN customers cu ON cu.id = p.customer_id
         JOIN document_types t ON t.id = r.type_id
         JOIN documents d ON d.id = r.document_id
         JOIN stored_files f ON f.id = d.file_id
         ORDER BY p.name_key, p.customer_id, p.level, p.listing_key, p.listing_id, p.type_key, r.id DESC",
        // Looked up, not joined: more tables made PostgreSQL spend 11 ms planning this
        // statement (eight tables), against 4 running it.
        of_request("name"),
        of_request("name_key"),
    )))
    .bind(session.contact_id)
    .bind(session.scope())
    .bind(PAGE_SIZE)
    .bind(page * PAGE_SIZE)
    .fetch_all(&db.pool)
    .await
}

/// The stored file of a request shared with the contact; `None` when the contact may not have it.
pub async fn shared_file(
    db: &Db,
    session: &ContactSession,
    request_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT d.file_id FROM documents d
         WHERE d.id = (SELECT r.document_id {SHARED_JOINS} {OF_CONTACT} AND r.id = $3 LIMIT 1)"
    )))
    .bind(session.contact_id)
    .bind(session.scope())
    .bind(request_id)
    .fetch_optional(&db.pool)
    .await
}

pub async fn record_download(
    conn: &mut AnyConnection,
    request_id: i64,
    contact_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO document_downloads (request_id, contact_id, downloaded_at) VALUES ($1, $2, $3)")
        .bind(request_id)
        .bind(contact_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// How long an expired link is kept, so that following it still offers a new one.
const EXPIRED_LINKS_KEPT_MS: i64 = 90 * 24 * 3600 * 1000;

/// Forgets expired contact sessions and links long expired; returns how many rows went.
pub async fn prune(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let sessions = sqlx::query("DELETE FROM contact_sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    let links = sqlx::query("DELETE FROM access_links WHERE expires_at <= $1")
        .bind(now - EXPIRED_LINKS_KEPT_MS)
        .execute(&db.pool)
        .await?;
    Ok(sessions.rows_affected() + links.rows_affected())
}
