//! The customers import: each row a company, and optionally a contact to create or find by email
//! and assign to it.

use super::columns::{is_example, Layout, CUSTOMER_COLUMNS};
use super::existing::{name_postal_key, Existing, ExistingCustomer};
use super::plan::{Plan, RowProblems};
use super::table::Table;
use super::Match;
use crate::domain::{CompanyInput, ContactInput, ValidCompany, ValidContact};
use std::collections::{HashMap, HashSet};

/// A good row.
#[derive(Debug, Clone)]
pub struct CustomerRow {
    pub number: usize,
    pub company: ValidCompany,
    /// The row's contact, and those of later rows repeating the same company (as an export with
    /// several contacts per customer has them).
    pub contacts: Vec<ValidContact>,
    /// The customer it names, when it exists.
    pub existing: Option<ExistingCustomer>,
}

/// What makes two rows the same customer: the account number, else name and postal code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Identity {
    Account(String),
    NamePostal(String, String),
}

pub fn plan(table: &Table, layout: &Layout, file_name: &str, existing: &Existing) -> Plan<CustomerRow> {
    let columns = CUSTOMER_COLUMNS;
    let mut plan: Plan<CustomerRow> = Plan::new(file_name, table.rows.len(), layout.ignored.clone());
    // Each customer's first row, and where its good row is (`None` when that row was bad).
    let mut seen: HashMap<Identity, (usize, Option<usize>)> = HashMap::new();
    let mut new_contacts: HashSet<String> = HashSet::new();
    let mut matched_contacts: HashSet<String> = HashSet::new();
    for row in &table.rows {
        let cells = &row.cells;
        if row.number <= 3 && is_example(columns, layout, cells) {
            plan.preview.rows -= 1;
            plan.preview.example_row_skipped = true;
            continue;
        }
        let mut problems = RowProblems::new(columns, row.number);
        let (company, contact) = parse_row(layout, cells, &mut problems);
        let (Some(company), Some(contact)) = (company, contact) else {
            plan.reject(problems.into_bad_row(layout, cells));
            continue;
        };
        let identity = match &company.account_number {
            Some(number) => Identity::Account(number.key()),
            None => {
                let (name, postal) = name_postal_key(company.name.as_str(), &company.address.postal_code);
                Identity::NamePostal(name, postal)
            }
        };
        if let Some(&(first, good)) = seen.get(&identity) {
            match good {
                // The same company again with another contact (as an export of a customer with
                // several contacts has it): the contact joins the first row's customer.
                Some(at) if plan.good[at].company == company => {
                    if let Some(contact) = contact {
                        count_contact(existing, &contact, &mut new_contacts, &mut matched_contacts);
                        plan.good[at].contacts.push(contact);
                    }
                    plan.preview.rows -= 1;
                    continue;
                }
                Some(_) => match &company.account_number {
                    Some(number) => problems.add(
                        "account_number",
                        format!("'{}' is also on row {first}, with other details: a customer can be in the file once.", number.as_str()),
                    ),
                    None => problems.add(
                        "name",
                        format!(
                            "'{}' with postal code {} is also on row {first}, with other details: a customer can be in the file once.",
                            company.name.as_str(),
                            company.address.postal_code
                        ),
                    ),
                },
                None => problems.add(
                    "name",
                    format!("row {first} names the same customer and has problems: fix that row first."),
                ),
            }
            plan.reject(problems.into_bad_row(layout, cells));
            continue;
        }
        let found = match &identity {
            Identity::Account(key) => existing.by_account.get(key).map(|c| (c, "account number")),
            Identity::NamePostal(name, postal) => existing
                .by_name_postal
                .get(&(name.clone(), postal.clone()))
                .map(|c| (c, "name and postal code")),
        };
        if let Some((customer, _)) = found.filter(|(c, _)| c.trashed) {
            problems.add(
                "account_number",
                format!(
                    "'{}' is the account number of '{}', which is in the Trash: restore it first, or give this row another account number.",
                    customer.account_number.clone().unwrap_or_default(),
                    customer.name
                ),
            );
            seen.insert(identity, (row.number, None));
            plan.reject(problems.into_bad_row(layout, cells));
            continue;
        }
        if let Some(contact) = &contact {
            count_contact(existing, contact, &mut new_contacts, &mut matched_contacts);
        }
        let existing = found.map(|(customer, by)| {
            plan.matched(Match {
                row: row.number,
                name: company.name.as_str().to_string(),
                existing_id: customer.id,
                existing_name: customer.name.clone(),
                by: by.to_string(),
            });
            customer.clone()
        });
        if existing.is_none() {
            plan.preview.new += 1;
        }
        seen.insert(identity, (row.number, Some(plan.good.len())));
        plan.good.push(CustomerRow {
            number: row.number,
            company,
            contacts: contact.into_iter().collect(),
            existing,
        });
    }
    plan.preview.new_contacts = new_contacts.len();
    plan.preview.matched_contacts = matched_contacts.len();
    plan
}

fn count_contact(
    existing: &Existing,
    contact: &ValidContact,
    new: &mut HashSet<String>,
    matched: &mut HashSet<String>,
) {
    let key = contact.email.key();
    if existing.contacts.contains_key(&key) {
        matched.insert(key);
    } else {
        new.insert(key);
    }
}

/// The row's company and contact (`Some(None)`: no contact), each `None` when it has problems,
/// which are recorded.
fn parse_row(
    layout: &Layout,
    cells: &[String],
    problems: &mut RowProblems,
) -> (Option<ValidCompany>, Option<Option<ValidContact>>) {
    let cell = |key: &str| layout.cell(CUSTOMER_COLUMNS, cells, key).to_string();
    let company = CompanyInput {
        name: cell("name"),
        account_number: cell("account_number"),
        street: cell("street"),
        city: cell("city"),
        region: cell("region"),
        postal_code: cell("postal_code"),
        country: cell("country"),
        phone: cell("phone"),
        website: cell("website"),
        logo_file_id: String::new(),
    };
    let company = company
        .parse()
        .map_err(|errors| problems.take(&errors, "", layout, cells))
        .ok();
    let contact_cells = [
        "contact_first_name",
        "contact_last_name",
        "contact_email",
        "contact_phone",
    ];
    if contact_cells.iter().all(|key| cell(key).is_empty()) {
        return (company, Some(None));
    }
    let input = ContactInput {
        first_name: cell("contact_first_name"),
        last_name: cell("contact_last_name"),
        email: cell("contact_email"),
        phone: cell("contact_phone"),
        job_title: String::new(),
    };
    let contact = input
        .parse()
        .map_err(|errors| problems.take(&errors, "contact_", layout, cells))
        .ok();
    (company, contact.map(Some))
}

#[cfg(test)]
mod tests {
    use super::super::columns::{header_title, layout};
    use super::*;

    fn table(rows: &[&[&str]]) -> Table {
        Table::of(CUSTOMER_COLUMNS.iter().map(header_title).collect(), rows)
    }

    fn planned(rows: &[&[&str]], existing: &Existing) -> Plan<CustomerRow> {
        let table = table(rows);
        let layout = layout(CUSTOMER_COLUMNS, &table.header).unwrap();
        plan(&table, &layout, "c.xlsx", existing)
    }

    const GOOD: &[&str] = &[
        "Acme",
        "A-1",
        "1 Main St",
        "Portland",
        "OR",
        "97201",
        "US",
        "",
        "",
        "Ana",
        "Lima",
        "ana@acme.example",
        "",
    ];

    #[test]
    fn a_bad_email_is_named_by_row_and_column() {
        let mut row = GOOD.to_vec();
        row[11] = "jo@";
        let plan = planned(&[GOOD, &row], &Existing::default());
        assert_eq!(plan.preview.bad_rows, 1);
        let problem = plan.preview.problems[0].to_string();
        assert_eq!(problem, "Row 3, Contact email: 'jo@' is not an email address.");
    }

    #[test]
    fn empty_required_cells_are_said_to_be_empty() {
        let plan = planned(
            &[&[
                "", "", "", "Portland", "", "97201", "US", "", "", "Ana", "", "", "",
            ]],
            &Existing::default(),
        );
        let problems: Vec<String> = plan.preview.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            problems,
            vec![
                "Row 2, Company name: empty, but required.",
                "Row 2, Street: empty, but required.",
                "Row 2, Contact last name: empty, but required when the row has a contact.",
                "Row 2, Contact email: empty, but required when the row has a contact.",
            ]
        );
        assert_eq!(plan.bad[0].what_to_fix().lines().count(), 4);
    }

    #[test]
    fn a_customer_twice_in_the_file_is_a_problem_on_its_second_row() {
        let mut again = GOOD.to_vec();
        again[1] = "a-1";
        again[2] = "9 Other St";
        let no_account: &[&str] = &["Beta", "", "2 Main St", "Portland", "", "97 201", "US"];
        let same: &[&str] = &["BETA", "", "9 Side St", "Portland", "", "97201", "US"];
        let plan = planned(&[GOOD, &again, no_account, same], &Existing::default());
        let problems: Vec<String> = plan.preview.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].starts_with("Row 3, Account number: 'a-1' is also on row 2"),
            "{problems:?}"
        );
        assert!(
            problems[1].starts_with("Row 5, Company name: 'BETA' with postal code 97201 is also on row 4"),
            "{problems:?}"
        );
        assert_eq!(plan.preview.new, 2);
    }

    #[test]
    fn existing_customers_match_by_account_else_by_name_and_postal_code() {
        let mut existing = Existing::default();
        let customer = |id, name: &str, trashed| ExistingCustomer {
            id,
            name: name.into(),
            account_number: Some("A-1".into()),
            trashed,
        };
        existing
            .by_account
            .insert("A-1".into(), customer(7, "Acme Old", false));
        existing
            .by_account
            .insert("T-1".into(), customer(8, "Gone", true));
        existing
            .by_name_postal
            .insert(name_postal_key("Beta", "97201"), customer(9, "Beta", false));
        let beta: &[&str] = &["beta", "", "2 Main St", "Portland", "", "97201", "US"];
        let trashed: &[&str] = &["Gamma", "t-1", "3 Main St", "Portland", "", "97201", "US"];
        let plan = planned(&[GOOD, beta, trashed], &existing);
        assert_eq!(
            (plan.preview.new, plan.preview.existing, plan.preview.bad_rows),
            (0, 2, 1)
        );
        assert_eq!(plan.preview.matches[0].existing_id, 7);
        assert_eq!(plan.preview.matches[1].by, "name and postal code");
        assert!(plan.preview.problems[0].message.contains("in the Trash"));
    }

    #[test]
    fn the_templates_example_row_is_skipped() {
        let example: Vec<&str> = CUSTOMER_COLUMNS.iter().map(|c| c.example).collect();
        let plan = planned(&[&example, GOOD], &Existing::default());
        assert!(plan.preview.example_row_skipped);
        assert_eq!((plan.preview.rows, plan.preview.new), (1, 1));
    }

    #[test]
    fn a_company_repeated_with_another_contact_gains_that_contact() {
        let mut second = GOOD.to_vec();
        second[11] = "bo@acme.example";
        let plan = planned(&[GOOD, &second], &Existing::default());
        assert_eq!(
            (plan.preview.rows, plan.preview.new, plan.preview.bad_rows),
            (1, 1, 0)
        );
        assert_eq!(plan.good[0].contacts.len(), 2);
        assert_eq!(plan.preview.new_contacts, 2);
    }

    #[test]
    fn contacts_are_counted_once_per_email() {
        let mut second = GOOD.to_vec();
        second[1] = "A-2";
        second[11] = "ANA@acme.example";
        let plan = planned(&[GOOD, &second], &Existing::default());
        assert_eq!((plan.preview.new, plan.preview.new_contacts), (2, 1));
    }
}
