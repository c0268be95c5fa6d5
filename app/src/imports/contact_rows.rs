//! The contacts import: each row a contact, found by email or created, and assigned to the
//! customers whose account numbers it lists.

use super::columns::{is_example, Layout, CONTACT_COLUMNS};
use super::existing::{Existing, ExistingContact};
use super::plan::{Plan, RowProblems};
use super::table::Table;
use super::Match;
use crate::domain::{AccountNumber, ContactInput, ValidContact};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct ContactRow {
    pub number: usize,
    pub contact: ValidContact,
    /// The customers to assign the contact to.
    pub customer_ids: Vec<i64>,
    pub existing: Option<ExistingContact>,
}

pub fn plan(table: &Table, layout: &Layout, file_name: &str, existing: &Existing) -> Plan<ContactRow> {
    let columns = CONTACT_COLUMNS;
    let mut plan = Plan::new(file_name, table.rows.len(), layout.ignored.clone());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let cells = &row.cells;
        if row.number <= 3 && is_example(columns, layout, cells) {
            plan.preview.rows -= 1;
            plan.preview.example_row_skipped = true;
            continue;
        }
        let cell = |key: &str| layout.cell(columns, cells, key).to_string();
        let mut problems = RowProblems::new(columns, row.number);
        let input = ContactInput {
            first_name: cell("first_name"),
            last_name: cell("last_name"),
            email: cell("email"),
            phone: cell("phone"),
            job_title: cell("job_title"),
        };
        let contact = input
            .parse()
            .map_err(|errors| problems.take(&errors, "", layout, cells))
            .ok();
        let mut customer_ids = Vec::new();
        for raw in cell("account_numbers").split([';', ',', '\n']) {
            match AccountNumber::parse_optional(raw) {
                Ok(None) => {}
                Err(message) => problems.add("account_numbers", message),
                Ok(Some(number)) => match existing.by_account.get(&number.key()) {
                    None => problems.add(
                        "account_numbers",
                        format!("no customer has the account number '{}'.", number.as_str()),
                    ),
                    Some(customer) if customer.trashed => problems.add(
                        "account_numbers",
                        format!(
                            "'{}' is the account number of '{}', which is in the Trash.",
                            number.as_str(),
                            customer.name
                        ),
                    ),
                    Some(customer) if !customer_ids.contains(&customer.id) => customer_ids.push(customer.id),
                    Some(_) => {}
                },
            }
        }
        if let Some(contact) = &contact {
            let key = contact.email.key();
            match seen.get(&key) {
                Some(first) => problems.add(
                    "email",
                    format!(
                        "'{}' is also on row {first}: a contact can be in the file once.",
                        contact.email.as_str()
                    ),
                ),
                None => {
                    seen.insert(key, row.number);
                }
            }
        }
        match contact {
            Some(contact) if problems.problems.is_empty() => {
                let found = existing.contacts.get(&contact.email.key()).cloned();
                match &found {
                    Some(known) => plan.matched(Match {
                        row: row.number,
                        name: contact.full_name(),
                        existing_id: known.id,
                        existing_name: known.name.clone(),
                        by: "email".into(),
                    }),
                    None => plan.preview.new += 1,
                }
                plan.good.push(ContactRow {
                    number: row.number,
                    contact,
                    customer_ids,
                    existing: found,
                });
            }
            _ => plan.reject(problems.into_bad_row(layout, cells)),
        }
    }
    plan.preview.new_contacts = plan.preview.new;
    plan.preview.matched_contacts = plan.preview.existing;
    plan
}

#[cfg(test)]
mod tests {
    use super::super::columns::{header_title, layout};
    use super::super::existing::ExistingCustomer;
    use super::*;

    fn planned(rows: &[&[&str]], existing: &Existing) -> Plan<ContactRow> {
        let table = Table::of(CONTACT_COLUMNS.iter().map(header_title).collect(), rows);
        let layout = layout(CONTACT_COLUMNS, &table.header).unwrap();
        plan(&table, &layout, "c.csv", existing)
    }

    #[test]
    fn account_numbers_name_the_customers_to_assign() {
        let mut existing = Existing::default();
        for (id, key) in [(1, "A-1"), (2, "A-2")] {
            existing.by_account.insert(
                key.into(),
                ExistingCustomer {
                    id,
                    name: key.into(),
                    account_number: Some(key.into()),
                    trashed: false,
                },
            );
        }
        existing.contacts.insert(
            "bo@x.example".into(),
            ExistingContact {
                id: 5,
                name: "Bo Old".into(),
            },
        );
        let plan = planned(
            &[
                &["Ana", "Lima", "ana@x.example", "", "", "a-1; A-2, a-1"],
                &["Bo", "Ek", "BO@x.example", "", "", "A-2"],
                &["Cy", "Do", "cy@x.example", "", "", "A-9"],
                &["Di", "Fa", "ana@x.example", "", "", ""],
            ],
            &existing,
        );
        assert_eq!(plan.good[0].customer_ids, vec![1, 2]);
        assert_eq!(plan.good[1].existing.as_ref().map(|c| c.id), Some(5));
        assert_eq!(
            (plan.preview.new, plan.preview.existing, plan.preview.bad_rows),
            (1, 1, 2)
        );
        let problems: Vec<String> = plan.preview.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            problems[0],
            "Row 4, Account numbers: no customer has the account number 'A-9'."
        );
        assert!(
            problems[1].starts_with("Row 5, Email: 'ana@x.example' is also on row 2"),
            "{problems:?}"
        );
    }
}
