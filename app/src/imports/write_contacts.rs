//! Writing the rows of a contacts import: new contacts, updates of existing ones, and their
//! assignments to the customers their rows name.

use super::commit::{
    contact_copies, insert_contacts, record_activity, CommitError, Writing, INSERT_ASSIGNMENTS,
};
use super::contact_rows::ContactRow;
use super::plan::Plan;
use super::ImportReport;
use crate::domain::ValidContact;
use crate::sql::{rows_per_statement, Bind, Sql};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

pub(super) async fn write_contacts(
    tx: &mut AnyConnection,
    plan: &Plan<ContactRow>,
    writing: Writing<'_>,
) -> Result<ImportReport, CommitError> {
    let Writing {
        choice,
        importer,
        file_name,
        now,
        progress,
    } = writing;
    let mut report = plan.report();
    let total = plan.good.len();
    let mut ids: HashMap<String, i64> = HashMap::new();
    // Their customers' part of their search texts is remade once they are assigned, below.
    let new: Vec<(&ValidContact, String)> = plan
        .good
        .iter()
        .filter(|r| r.existing.is_none())
        .map(|r| (&r.contact, String::new()))
        .collect();
    report.created = insert_contacts(tx, &new, now, &mut ids).await?;
    report.contacts_created = report.created;
    progress(report.created, total);
    let mut chosen: Vec<(&ContactRow, i64)> = Vec::new();
    for row in &plan.good {
        match &row.existing {
            None => chosen.push((
                row,
                ids.get(&row.contact.email.key()).copied().unwrap_or_default(),
            )),
            // Skipping keeps the contact's details; the row's customers are still assigned.
            Some(known) if !choice.update_existing => {
                report.skipped += 1;
                chosen.push((row, known.id));
            }
            Some(known) => {
                update_contact(tx, &row.contact, known.id, now).await?;
                report.updated += 1;
                chosen.push((row, known.id));
            }
        }
    }
    // Each assignment with the contact as stored, when the import made or saved it.
    let pairs: Vec<(i64, i64, Option<&ValidContact>)> = chosen
        .iter()
        .flat_map(|(row, contact_id)| {
            let stored = (row.existing.is_none() || choice.update_existing).then_some(&row.contact);
            row.customer_ids
                .iter()
                .map(move |customer| (*customer, *contact_id, stored))
        })
        .collect();
    let mut assigned_pairs = Vec::new();
    for chunk in pairs.chunks(rows_per_statement(7)) {
        let sql = Sql::insert_values(
            tx,
            INSERT_ASSIGNMENTS,
            chunk.iter().map(|(customer, contact, stored)| {
                let mut values = vec![
                    Bind::Int(*customer),
                    Bind::Int(*contact),
                    Bind::Int(0),
                    Bind::Int(now),
                ];
                values.extend(contact_copies(*stored));
                values
            }),
            "ON CONFLICT DO NOTHING RETURNING customer_id, contact_id",
        );
        for row in sql.into_query().fetch_all(&mut *tx).await? {
            assigned_pairs.push((
                row.try_get::<i64, _>("customer_id")?,
                row.try_get::<i64, _>("contact_id")?,
            ));
        }
    }
    report.contacts_assigned = assigned_pairs.len();
    let assigned: Vec<i64> = assigned_pairs.iter().map(|(_, contact)| *contact).collect();
    crate::contacts::search_texts::remake_of_contacts(tx, &assigned).await?;
    let names: HashMap<i64, String> = chosen
        .iter()
        .map(|(row, id)| (*id, row.contact.full_name()))
        .collect();
    record_activity(
        tx,
        assigned_pairs.iter().map(|(customer, contact)| {
            let name = names.get(contact).cloned().unwrap_or_default();
            (
                *customer,
                "contact_assigned",
                format!("{name} assigned by the import of '{file_name}'."),
            )
        }),
        importer,
        now,
    )
    .await?;
    progress(total, total);
    Ok(report)
}

/// Saves a row over an existing contact; its empty optional cells keep what is stored.
async fn update_contact(
    tx: &mut AnyConnection,
    contact: &ValidContact,
    id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE contacts SET first_name = $1, last_name = $2, email = $3, phone = COALESCE($4, phone),
             job_title = COALESCE($5, job_title), name_text = $6, updated_at = $7, version = version + 1
         WHERE id = $8",
    )
    .bind(contact.first_name.clone())
    .bind(contact.last_name.clone())
    .bind(contact.email.as_str().to_string())
    .bind(contact.phone.as_ref().map(|p| p.as_str().to_string()))
    .bind(contact.job_title.clone())
    .bind(crate::contacts::db::name_text(contact))
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
