//! Writing the rows of a customers import: new customers in multi-row statements, updates,
//! their place in name order, and the contacts of their rows.

use super::commit::{
    contact_copies, insert_contacts, record_activity, text, CommitError, Writing, INSERT_ASSIGNMENTS,
};
use super::customer_rows::CustomerRow;
use super::plan::Plan;
use super::ImportReport;
use crate::contacts::search_texts;
use crate::customers::{db::company_values, name_order, search::search_text};
use crate::domain::ValidContact;
use crate::sql::{is_sqlite, reserve_ids, rows_per_statement, Bind, Sql};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// Up to this many new or renamed customers are placed in name order one by one; more, and every
/// customer is numbered afresh in one statement.
const PLACE_ONE_BY_ONE: usize = 1000;

pub(super) async fn write_customers(
    tx: &mut AnyConnection,
    plan: &Plan<CustomerRow>,
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
    let mut done = 0;
    // The customer each written row became, and whether it was created.
    let mut written: Vec<(&CustomerRow, i64, bool)> = Vec::with_capacity(total);
    let started = std::time::Instant::now();
    let new_rows: Vec<&CustomerRow> = plan.good.iter().filter(|r| r.existing.is_none()).collect();
    let ids = reserve_ids(tx, "customers", new_rows.len()).await?;
    let name_orders = new_name_orders(tx, &new_rows, &ids).await?;
    // PostgreSQL takes the places with the rows: given afterwards, every new row would be written
    // again with all its indexes (2.8 s of a 100,000-row import). SQLite takes them afterwards in
    // one statement: given with the rows, its name-ordered trigram index is written out at the end
    // of each statement (11 s instead of 4, with statements of 2,000 values).
    let sqlite = is_sqlite(tx);
    let at_insert = name_orders.as_deref().filter(|_| !sqlite);
    let numbered: Vec<(usize, &&CustomerRow)> = new_rows.iter().enumerate().collect();
    for chunk in numbered.chunks(rows_per_statement(19)) {
        let sql = Sql::insert_values(
            tx,
            "INSERT INTO customers (id, name_order, name, name_key, account_number, account_key, street,
                 city, region, postal_code, country, phone, website, logo_file_id, search_text, active,
                 version, created_at, updated_at)",
            chunk.iter().map(|(i, row)| {
                let mut values = vec![Bind::Int(ids[*i]), Bind::MaybeInt(at_insert.map(|n| n[*i]))];
                values.extend(company_values(&row.company).into_iter().map(Bind::MaybeText));
                values.push(text(&customer_search_text(row)));
                values.extend([Bind::Int(1), Bind::Int(1), Bind::Int(now), Bind::Int(now)]);
                values
            }),
            "",
        );
        sql.into_query().execute(&mut *tx).await?;
        written.extend(chunk.iter().map(|(i, row)| (**row, ids[*i], true)));
        done += chunk.len();
        report.created += chunk.len();
        progress(done, total);
    }
    if let (true, Some(numbers)) = (sqlite, name_orders) {
        name_order::set_on_sqlite(tx, ids.iter().copied().zip(numbers).collect()).await?;
    }
    tracing::info!(
        ms = started.elapsed().as_millis() as u64,
        created = report.created,
        "import: new customers inserted"
    );
    for row in plan.good.iter().filter(|r| r.existing.is_some()) {
        let Some(customer) = &row.existing else { continue };
        done += 1;
        if !choice.update_existing {
            report.skipped += 1;
            continue;
        }
        update_customer(tx, row, customer.account_number.as_deref(), customer.id, now).await?;
        written.push((row, customer.id, false));
        report.updated += 1;
        if done % 500 == 0 {
            progress(done, total);
        }
    }
    let started = std::time::Instant::now();
    tracing::info!(
        rows = report.created + report.updated,
        "import: customers written"
    );
    place_in_name_order(tx).await?;
    tracing::info!(
        ms = started.elapsed().as_millis() as u64,
        "import: name order placed"
    );
    let started = std::time::Instant::now();
    let contacts: Vec<(&ValidContact, i64, bool)> = written
        .iter()
        .flat_map(|(row, id, created)| row.contacts.iter().map(move |c| (c, *id, *created)))
        .collect();
    // New customers' texts go into their new contacts' search texts as they are inserted; the
    // contacts of the customers updated are remade.
    let new_texts: HashMap<i64, String> = written
        .iter()
        .filter(|(_, _, created)| *created)
        .map(|(row, id, _)| (*id, customer_search_text(row)))
        .collect();
    let (created, assigned) = assign_contacts(tx, &contacts, &new_texts, now).await?;
    report.contacts_created = created;
    report.contacts_assigned = assigned;
    let updated: Vec<i64> = written
        .iter()
        .filter(|(_, _, created)| !*created)
        .map(|(_, id, _)| *id)
        .collect();
    search_texts::remake_of_customers(tx, &updated).await?;
    tracing::info!(
        ms = started.elapsed().as_millis() as u64,
        created,
        assigned,
        "import: contacts written"
    );
    let started = std::time::Instant::now();
    record_activity(
        tx,
        written.iter().map(|(_, id, created)| {
            let detail = if *created {
                format!("Created by the import of '{file_name}'.")
            } else {
                format!("Updated by the import of '{file_name}'.")
            };
            (*id, if *created { "imported" } else { "import_updated" }, detail)
        }),
        importer,
        now,
    )
    .await?;
    tracing::info!(
        ms = started.elapsed().as_millis() as u64,
        "import: activity recorded"
    );
    progress(total, total);
    Ok(report)
}

/// The search text of a new customer made from `row`.
fn customer_search_text(row: &CustomerRow) -> String {
    let company = &row.company;
    search_text(
        company.name.as_str(),
        company.account_number.as_ref().map(|n| n.as_str()),
        &company.address.city,
    )
}

/// Saves a row over an existing customer. Its empty optional cells keep what is stored.
async fn update_customer(
    tx: &mut AnyConnection,
    row: &CustomerRow,
    stored_account: Option<&str>,
    id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let company = &row.company;
    let account = company
        .account_number
        .as_ref()
        .map(|n| n.as_str())
        .or(stored_account);
    let [name, name_key, account_number, account_key, street, city, region, postal_code, country, phone, website, _logo] =
        company_values(company);
    sqlx::query(
        "UPDATE customers SET name = $1, name_key = $2, account_number = COALESCE($3, account_number),
             account_key = COALESCE($4, account_key), street = $5, city = $6, region = COALESCE($7, region),
             postal_code = $8, country = $9, phone = COALESCE($10, phone), website = COALESCE($11, website),
             search_text = $12, updated_at = $13, version = version + 1,
             name_order = CASE WHEN name_key = $2 THEN name_order ELSE NULL END
         WHERE id = $14",
    )
    .bind(name)
    .bind(name_key)
    .bind(account_number)
    .bind(account_key)
    .bind(street)
    .bind(city)
    .bind(region)
    .bind(postal_code)
    .bind(country)
    .bind(phone)
    .bind(website)
    .bind(search_text(company.name.as_str(), account, &company.address.city))
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The place in name order of each new customer (of id `ids`), when they are many; `None` when
/// they are few (they are placed one by one once written) or there is no room between their
/// neighbours (every customer is numbered afresh).
async fn new_name_orders(
    tx: &mut AnyConnection,
    rows: &[&CustomerRow],
    ids: &[i64],
) -> Result<Option<Vec<i64>>, sqlx::Error> {
    if rows.len() <= PLACE_ONE_BY_ONE {
        return Ok(None);
    }
    let keyed: Vec<(String, i64)> = rows
        .iter()
        .zip(ids)
        .map(|(row, id)| (row.company.name.key(), *id))
        .collect();
    name_order::spread_new(tx, &keyed).await
}

/// Gives new and renamed customers their place in name order.
async fn place_in_name_order(tx: &mut AnyConnection) -> Result<(), sqlx::Error> {
    let unplaced: Vec<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE name_order IS NULL")
        .fetch_all(&mut *tx)
        .await?;
    if unplaced.len() > PLACE_ONE_BY_ONE {
        return name_order::renumber(tx).await;
    }
    for id in unplaced {
        name_order::place(tx, id).await?;
    }
    Ok(())
}

/// Finds each contact by email or creates it (once per email), and assigns it to its customer;
/// the contacts of a customer the import created receive its documents. A new contact's search
/// text holds the `new_texts` of its customers the import created; contacts found are remade.
/// Returns how many contacts were created and how many assignments were new.
async fn assign_contacts(
    tx: &mut AnyConnection,
    contacts: &[(&ValidContact, i64, bool)],
    new_texts: &HashMap<i64, String>,
    now: i64,
) -> Result<(usize, usize), sqlx::Error> {
    if contacts.is_empty() {
        return Ok((0, 0));
    }
    let mut ids: HashMap<String, i64> = HashMap::new();
    let keys: Vec<String> = contacts.iter().map(|(c, _, _)| c.email.key()).collect();
    for chunk in keys.chunks(256) {
        let mut sql = Sql::default();
        sql.push("SELECT id, email_key FROM contacts WHERE email_key IN (");
        sql.bind_list(chunk.iter().map(|key| text(key)));
        sql.push(")");
        for row in sql.into_query().fetch_all(&mut *tx).await? {
            ids.insert(row.try_get("email_key")?, row.try_get("id")?);
        }
    }
    let found: Vec<i64> = ids.values().copied().collect();
    // Each new contact once, with the texts of its customers (each once).
    let mut new: Vec<(&ValidContact, String)> = Vec::new();
    let mut place: HashMap<String, (usize, Vec<i64>)> = HashMap::new();
    for (contact, customer_id, _) in contacts {
        let key = contact.email.key();
        if ids.contains_key(&key) {
            continue;
        }
        let (at, customers) = place.entry(key).or_insert_with(|| {
            new.push((contact, String::new()));
            (new.len() - 1, Vec::new())
        });
        if !customers.contains(customer_id) {
            customers.push(*customer_id);
            if let Some(text) = new_texts.get(customer_id) {
                new[*at].1.push_str(" | ");
                new[*at].1.push_str(text);
            }
        }
    }
    let created = insert_contacts(tx, &new, now, &mut ids).await?;
    let made: HashMap<String, &ValidContact> = new.iter().map(|(c, _)| (c.email.key(), *c)).collect();
    let mut assigned = 0;
    for chunk in contacts.chunks(rows_per_statement(7)) {
        let sql = Sql::insert_values(
            tx,
            INSERT_ASSIGNMENTS,
            chunk.iter().map(|(contact, customer_id, created)| {
                let key = contact.email.key();
                let mut values = vec![
                    Bind::Int(*customer_id),
                    Bind::Int(ids.get(&key).copied().unwrap_or_default()),
                    Bind::Int(i64::from(*created)),
                    Bind::Int(now),
                ];
                values.extend(contact_copies(made.get(&key).copied()));
                values
            }),
            "ON CONFLICT DO NOTHING",
        );
        assigned += sql.into_query().execute(&mut *tx).await?.rows_affected() as usize;
    }
    search_texts::remake_of_contacts(tx, &found).await?;
    Ok((created, assigned))
}
