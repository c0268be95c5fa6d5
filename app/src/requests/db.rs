//! Queries for Document Requests: the list with PostOnce recommendations, accepting and attaching
//! documents, and marking requests sent.

use super::{DocumentRef, RequestRow, RequestStatus, RequestsPage, MAX_LISTED};
use crate::domain::{CalendarDate, DocumentStatus, Level};
use crate::listings::db::of_request;
use crate::listings::PAGE_SIZE;
use crate::sql::{Bind, Sql};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// The current document of the request's type for its location or item, unexpired on `$today`:
/// the PostOnce recommendation. `r` is the request.
const RECOMMENDED: &str = "d.type_id = r.type_id AND d.replaced_at IS NULL
     AND (d.location_id = r.location_id OR d.item_id = r.item_id)";

fn select(today_bind: &str) -> String {
    let listing_name = of_request("name");
    format!(
        "SELECT r.id, r.status, r.type_id, t.name AS type_name, t.level, r.location_id, r.item_id,
             {listing_name} AS listing_name, r.sent_at, r.requested_by_name,
             a.id AS doc_id, a.title AS doc_title, a.expires_on AS doc_expires, a.file_id AS doc_file,
             rec.id AS rec_id, rec.title AS rec_title, rec.expires_on AS rec_expires, rec.file_id AS rec_file,
             (SELECT COUNT(*) FROM document_downloads x WHERE x.request_id = r.id) AS downloads,
             (SELECT c.first_name || ' ' || c.last_name FROM document_downloads x JOIN contacts c ON c.id = x.contact_id
                WHERE x.request_id = r.id ORDER BY x.downloaded_at DESC, x.id DESC LIMIT 1) AS last_by,
             (SELECT MAX(x.downloaded_at) FROM document_downloads x WHERE x.request_id = r.id) AS last_at
         FROM document_requests r
         JOIN document_types t ON t.id = r.type_id
         LEFT JOIN documents a ON a.id = r.document_id
         LEFT JOIN documents rec ON rec.id = (
             SELECT d.id FROM documents d
             WHERE r.status = 'open' AND r.document_id IS NULL AND {RECOMMENDED} AND d.expires_on >= {today_bind}
             LIMIT 1)"
    )
}

fn document_ref(row: &AnyRow, prefix: &str, today: CalendarDate) -> Result<Option<DocumentRef>, sqlx::Error> {
    let Some(id) = row.try_get::<Option<i64>, _>(format!("{prefix}_id").as_str())? else {
        return Ok(None);
    };
    let expires: String = row.try_get(format!("{prefix}_expires").as_str())?;
    let expires_on =
        CalendarDate::parse(&expires, "expires_on").map_err(|e| sqlx::Error::Decode(e.into()))?;
    Ok(Some(DocumentRef {
        id,
        title: row.try_get(format!("{prefix}_title").as_str())?,
        expires_on,
        status: DocumentStatus::on(today, expires_on),
        file_id: row.try_get(format!("{prefix}_file").as_str())?,
    }))
}

fn request_from_row(row: &AnyRow, today: CalendarDate) -> Result<RequestRow, sqlx::Error> {
    let level: String = row.try_get("level")?;
    let level = Level::parse(&level).map_err(|e| sqlx::Error::Decode(e.into()))?;
    let status: String = row.try_get("status")?;
    let last_by: Option<String> = row.try_get("last_by")?;
    let last_at: Option<i64> = row.try_get("last_at")?;
    Ok(RequestRow {
        id: row.try_get("id")?,
        type_id: row.try_get("type_id")?,
        type_name: row.try_get("type_name")?,
        level,
        listing_id: match level {
            Level::Location => row.try_get("location_id")?,
            Level::Item => row.try_get("item_id")?,
        },
        listing_name: row.try_get("listing_name")?,
        status: if status == "sent" {
            RequestStatus::Sent
        } else {
            RequestStatus::Open
        },
        document: document_ref(row, "doc", today)?,
        recommendation: document_ref(row, "rec", today)?,
        sent_at: row.try_get("sent_at")?,
        requested_by: row.try_get("requested_by_name")?,
        downloads: row.try_get("downloads")?,
        last_download: last_by.zip(last_at),
    })
}

/// The customer's open and sent requests (open first), or only those among `only`.
pub async fn of_customer(
    conn: &mut AnyConnection,
    customer_id: i64,
    today: CalendarDate,
    only: Option<&[i64]>,
) -> Result<Vec<RequestRow>, sqlx::Error> {
    let mut sql = Sql {
        text: select("$1"),
        binds: vec![Bind::Text(today.to_string())],
    };
    sql.push(" WHERE r.customer_id = ");
    sql.bind(Bind::Int(customer_id));
    sql.push(" AND r.status <> 'cancelled'");
    if let Some(ids) = only {
        sql.push(" AND r.id IN (-1");
        for id in ids {
            sql.push(", ");
            sql.bind(Bind::Int(*id));
        }
        sql.push(")");
    }
    sql.push(&format!(
        " ORDER BY r.status, t.level, listing_name, t.name_key, r.id LIMIT {MAX_LISTED}"
    ));
    let rows = sql.query().fetch_all(&mut *conn).await?;
    rows.iter().map(|row| request_from_row(row, today)).collect()
}

/// The rows of one page of the customer's requests (`PAGE_SIZE` from page `page`, zero-based), and
/// what the tab says of all of them: how many are open, which are ready to send and which have a
/// recommendation. What is said of all of them comes back as one row of id lists: a big account's
/// 550 requests read as rows cost more moving through the driver than finding them.
pub async fn page_of_customer(
    conn: &mut AnyConnection,
    customer_id: i64,
    today: CalendarDate,
    page: i64,
) -> Result<RequestsPage, sqlx::Error> {
    let listing_name = of_request("name");
    // Each request's facts are worked out once (`MATERIALIZED`: folded into the numbering,
    // SQLite looked the listing's name up four times a row), then numbered in the tab's order.
    let summary = sqlx::query(sqlx::AssertSqlSafe(format!(
        "WITH facts AS MATERIALIZED (
             SELECT r.id, r.status, t.level, t.name_key AS type_key, {listing_name} AS listing,
                 CASE WHEN r.status = 'open' AND a.expires_on >= $1 THEN 1 ELSE 0 END AS ready,
                 CASE WHEN r.status = 'open' AND r.document_id IS NULL AND EXISTS (
                     SELECT 1 FROM documents d WHERE {RECOMMENDED} AND d.expires_on >= $1) THEN 1 ELSE 0 END AS recommended
             FROM document_requests r
             JOIN document_types t ON t.id = r.type_id
             LEFT JOIN documents a ON a.id = r.document_id
             WHERE r.customer_id = $2 AND r.status <> 'cancelled'),
         listed AS (
             SELECT id, status, ready, recommended,
                 ROW_NUMBER() OVER (ORDER BY status, level, listing, type_key, id) AS n
             FROM facts)
         SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END), 0) AS open,
             string_agg(CAST(id AS TEXT), ',' ORDER BY n) AS ids,
             string_agg(CASE WHEN ready = 1 THEN CAST(id AS TEXT) END, ',' ORDER BY n) AS ready,
             string_agg(CASE WHEN recommended = 1 THEN CAST(id AS TEXT) END, ',' ORDER BY n) AS recommended
         FROM listed WHERE n <= {MAX_LISTED}"
    )))
    .bind(today.to_string())
    .bind(customer_id)
    .fetch_one(&mut *conn)
    .await?;
    let id_list = |column: &str| -> Result<Vec<i64>, sqlx::Error> {
        let text: Option<String> = summary.try_get(column)?;
        text.unwrap_or_default()
            .split(',')
            .filter(|id| !id.is_empty())
            .map(|id| id.parse::<i64>().map_err(|e| sqlx::Error::Decode(e.into())))
            .collect()
    };
    let total: i64 = summary.try_get("total")?;
    let page = page.clamp(0, (total - 1).max(0) / PAGE_SIZE);
    let on_page: Vec<i64> = id_list("ids")?
        .into_iter()
        .skip((page * PAGE_SIZE) as usize)
        .take(PAGE_SIZE as usize)
        .collect();
    let rows = if on_page.is_empty() {
        Vec::new()
    } else {
        of_customer(conn, customer_id, today, Some(&on_page)).await?
    };
    Ok(RequestsPage {
        rows,
        page,
        total,
        open: summary.try_get("open")?,
        ready: id_list("ready")?,
        recommended: id_list("recommended")?,
    })
}

/// Attaches each open request's recommendation, for the requests among `ids` that have one.
/// Returns how many were fulfilled.
pub async fn accept_recommendations(
    tx: &mut AnyConnection,
    customer_id: i64,
    ids: &[i64],
    today: CalendarDate,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let recommended = format!(
        "SELECT d.id FROM documents d, document_requests r
         WHERE r.id = document_requests.id AND {RECOMMENDED} AND d.expires_on >= $1 LIMIT 1"
    );
    let mut accepted = 0;
    for id in ids {
        let done = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE document_requests SET document_id = ({recommended}), fulfilled_at = $2
             WHERE id = $3 AND customer_id = $4 AND status = 'open' AND document_id IS NULL
               AND EXISTS ({recommended})"
        )))
        .bind(today.to_string())
        .bind(now)
        .bind(*id)
        .bind(customer_id)
        .execute(&mut *tx)
        .await?;
        accepted += done.rows_affected();
    }
    Ok(accepted)
}

/// A document as a request needs to know it: its type, location or item, and whether it is the
/// current version.
pub struct DocumentFacts {
    pub type_id: i64,
    pub location_id: Option<i64>,
    pub item_id: Option<i64>,
    pub expires_on: String,
    /// A newer version of the document exists.
    pub replaced: bool,
}

pub async fn document_facts(
    tx: &mut AnyConnection,
    document_id: i64,
) -> Result<Option<DocumentFacts>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT type_id, location_id, item_id, expires_on, replaced_at FROM documents WHERE id = $1",
    )
    .bind(document_id)
    .fetch_optional(&mut *tx)
    .await?;
    row.map(|row| {
        Ok(DocumentFacts {
            type_id: row.try_get("type_id")?,
            location_id: row.try_get("location_id")?,
            item_id: row.try_get("item_id")?,
            expires_on: row.try_get("expires_on")?,
            replaced: row.try_get::<Option<i64>, _>("replaced_at")?.is_some(),
        })
    })
    .transpose()
}

/// Fulfils an open request with a document; `false` when it was no longer open.
pub async fn attach(
    tx: &mut AnyConnection,
    request_id: i64,
    document_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE document_requests SET document_id = $1, fulfilled_at = $2 WHERE id = $3 AND status = 'open'",
    )
    .bind(document_id)
    .bind(now)
    .bind(request_id)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks each request sent with the document it holds, `(request, document)`; returns how many
/// were still open with that document (another change in between makes it fewer).
pub async fn mark_sent(
    tx: &mut AnyConnection,
    sends: &[(i64, i64)],
    user_id: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let mut sent = 0;
    for (request_id, document_id) in sends {
        let done = sqlx::query(
            "UPDATE document_requests SET status = 'sent', sent_at = $1, sent_by = $2
             WHERE id = $3 AND status = 'open' AND document_id = $4",
        )
        .bind(now)
        .bind(user_id)
        .bind(*request_id)
        .bind(*document_id)
        .execute(&mut *tx)
        .await?;
        sent += done.rows_affected();
    }
    Ok(sent)
}
