//! The import itself: one transaction that checks the rows again against what is stored now,
//! then writes all the chosen rows or none. Rows go in as multi-row statements of a thousand rows
//! or more ([`rows_per_statement`]), so a 100,000-row file is a few hundred statements, not
//! hundreds of thousands.

use super::columns::Layout;
use super::plan::Plan;
use super::table::Table;
use super::write_contacts::write_contacts;
use super::write_customers::write_customers;
use super::{contact_rows, customer_rows, existing};
use super::{ImportChoice, ImportKind, ImportReport, Preview};
use crate::domain::ValidContact;
use crate::sql::{rows_per_statement, Bind, Sql};
use crate::state::{now_ms, Db};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// Who is importing.
pub struct Importer {
    pub user_id: i64,
    pub name: String,
}

#[derive(Debug)]
pub enum CommitError {
    /// Nothing was stored, for the reason given.
    Refused(String),
    Database(sqlx::Error),
}

impl From<sqlx::Error> for CommitError {
    fn from(error: sqlx::Error) -> Self {
        CommitError::Database(error)
    }
}

/// Imports `table` (already read and laid out) as upload `import_id`; `progress` hears how many
/// of how many rows are written.
#[allow(clippy::too_many_arguments)]
pub async fn import(
    db: &Db,
    import_id: i64,
    kind: ImportKind,
    table: &Table,
    layout: &Layout,
    choice: ImportChoice,
    importer: &Importer,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<(ImportReport, Preview), CommitError> {
    let now = now_ms();
    let mut tx = db.begin().await?;
    // Written first: on SQLite the transaction holds the write lock from here, so what is read
    // next cannot change before the rows are written; a second press of Import stops here.
    let claimed = sqlx::query("UPDATE imports SET imported_at = $1 WHERE id = $2 AND imported_at IS NULL")
        .bind(now)
        .bind(import_id)
        .execute(&mut *tx)
        .await?;
    if claimed.rows_affected() != 1 {
        return Err(CommitError::Refused(
            "This file has been imported already.".into(),
        ));
    }
    let file_name: String = sqlx::query_scalar("SELECT file_name FROM imports WHERE id = $1")
        .bind(import_id)
        .fetch_one(&mut *tx)
        .await?;
    crate::contacts::search_texts::later(&mut tx).await?;
    let started = std::time::Instant::now();
    let existing = existing::load(&mut tx).await?;
    tracing::info!(
        import_id,
        ms = started.elapsed().as_millis() as u64,
        "import: existing records read"
    );
    let writing = Writing {
        choice,
        importer,
        file_name: &file_name,
        now,
        progress,
    };
    let (report, preview) = match kind {
        ImportKind::Customers => {
            let plan = customer_rows::plan(table, layout, &file_name, &existing);
            refuse_bad_rows(&plan, choice)?;
            let report = write_customers(&mut tx, &plan, writing).await?;
            (report, plan.preview)
        }
        ImportKind::Contacts => {
            let plan = contact_rows::plan(table, layout, &file_name, &existing);
            refuse_bad_rows(&plan, choice)?;
            let report = write_contacts(&mut tx, &plan, writing).await?;
            (report, plan.preview)
        }
    };
    let result =
        serde_json::to_string(&(&report, &preview)).map_err(|e| CommitError::Refused(e.to_string()))?;
    sqlx::query("UPDATE imports SET result = $1 WHERE id = $2")
        .bind(result)
        .bind(import_id)
        .execute(&mut *tx)
        .await?;
    let started = std::time::Instant::now();
    tx.commit().await?;
    tracing::info!(
        import_id,
        ms = started.elapsed().as_millis() as u64,
        "import: committed"
    );
    Ok((report, preview))
}

fn refuse_bad_rows<R>(plan: &Plan<R>, choice: ImportChoice) -> Result<(), CommitError> {
    if plan.bad.is_empty() || choice.good_rows_only {
        return Ok(());
    }
    let first = plan.bad[0]
        .problems
        .first()
        .map(ToString::to_string)
        .unwrap_or_default();
    let rows = if plan.bad.len() == 1 {
        "1 row has problems".to_string()
    } else {
        format!("{} rows have problems", plan.bad.len())
    };
    Err(CommitError::Refused(format!(
        "Nothing was imported: {rows} (the first: {first}). Fix them and upload the file again, or choose to import the good rows only."
    )))
}

pub(super) fn text(value: &str) -> Bind {
    Bind::Text(value.to_string())
}

/// What writing any kind of rows needs.
#[derive(Clone, Copy)]
pub(super) struct Writing<'a> {
    pub choice: ImportChoice,
    pub importer: &'a Importer,
    pub file_name: &'a str,
    pub now: i64,
    pub progress: &'a (dyn Fn(usize, usize) + Sync),
}

/// Inserts contacts, each with the customers' part of its search text (` | ` and the search text
/// of each customer it is about to be assigned to, or nothing), recording their ids by email
/// key; returns how many.
pub(super) async fn insert_contacts(
    tx: &mut AnyConnection,
    contacts: &[(&ValidContact, String)],
    now: i64,
    ids: &mut HashMap<String, i64>,
) -> Result<usize, sqlx::Error> {
    for chunk in contacts.chunks(rows_per_statement(11)) {
        let sql = Sql::insert_values(
            tx,
            "INSERT INTO contacts (first_name, last_name, email, email_key, phone, job_title, name_text,
                 search_text, version, created_at, updated_at)",
            chunk.iter().map(|(c, customers_text)| {
                let name_text = crate::contacts::db::name_text(c);
                vec![
                    text(&c.first_name),
                    text(&c.last_name),
                    text(c.email.as_str()),
                    text(&c.email.key()),
                    Bind::MaybeText(c.phone.as_ref().map(|p| p.as_str().to_string())),
                    Bind::MaybeText(c.job_title.clone()),
                    text(&name_text),
                    text(&format!("{name_text}{customers_text}")),
                    Bind::Int(1),
                    Bind::Int(now),
                    Bind::Int(now),
                ]
            }),
            "RETURNING id, email_key",
        );
        for row in sql.into_query().fetch_all(&mut *tx).await? {
            ids.insert(row.try_get("email_key")?, row.try_get("id")?);
        }
    }
    Ok(contacts.len())
}

/// An insert of assignments, each with the copies it keeps of its contact's names and text
/// (see [`contact_copies`]).
pub(super) const INSERT_ASSIGNMENTS: &str = "INSERT INTO customer_contacts (customer_id, contact_id,
     documents_contact, added_at, last_name, first_name, contact_text)";

/// An assignment's copies of its contact's names and text, when the import knows the contact as
/// stored (it made or saved it); left empty, a trigger fills them from the stored contact, one
/// lookup per assignment (a second of a 100,000-row import on PostgreSQL).
pub(super) fn contact_copies(stored: Option<&ValidContact>) -> [Bind; 3] {
    match stored {
        Some(c) => [
            text(&c.last_name),
            text(&c.first_name),
            text(&crate::contacts::db::name_text(c)),
        ],
        None => [text(""), text(""), text("")],
    }
}

pub(super) async fn record_activity(
    tx: &mut AnyConnection,
    entries: impl Iterator<Item = (i64, &'static str, String)>,
    importer: &Importer,
    now: i64,
) -> Result<(), sqlx::Error> {
    let entries: Vec<(i64, &str, String)> = entries.collect();
    for chunk in entries.chunks(rows_per_statement(6)) {
        let sql = Sql::insert_values(
            tx,
            "INSERT INTO customer_activity (customer_id, staff_user_id, actor_name, action, detail, created_at)",
            chunk.iter().map(|(customer_id, action, detail)| {
                vec![
                    Bind::Int(*customer_id),
                    Bind::Int(importer.user_id),
                    text(&importer.name),
                    text(action),
                    text(detail),
                    Bind::Int(now),
                ]
            }),
            "",
        );
        sql.into_query().execute(&mut *tx).await?;
    }
    Ok(())
}
