//! What the database already holds that rows of a file may name: customers by account number
//! and by name and postal code, contacts by email. Read once per preview or import (in the
//! import's transaction, so what it decides still holds when it writes).

use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingCustomer {
    pub id: i64,
    pub name: String,
    pub account_number: Option<String>,
    pub trashed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingContact {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Default)]
pub struct Existing {
    /// By [`crate::domain::AccountNumber::key`]; customers in the Trash included, as their
    /// numbers stay taken.
    pub by_account: HashMap<String, ExistingCustomer>,
    /// By [`name_postal_key`]; customers in the Trash left out.
    pub by_name_postal: HashMap<(String, String), ExistingCustomer>,
    /// By [`crate::domain::Email::key`].
    pub contacts: HashMap<String, ExistingContact>,
}

/// How a row without an account number is matched: the name as the list sorts it (ignoring
/// case) and the postal code ignoring case and spaces.
pub fn name_postal_key(name: &str, postal_code: &str) -> (String, String) {
    (
        name.to_lowercase(),
        postal_code.split_whitespace().collect::<String>().to_uppercase(),
    )
}

pub async fn load(conn: &mut AnyConnection) -> Result<Existing, sqlx::Error> {
    let mut existing = Existing::default();
    let rows =
        sqlx::query("SELECT id, name, account_number, account_key, postal_code, deleted_at FROM customers")
            .fetch_all(&mut *conn)
            .await?;
    for row in rows {
        let customer = ExistingCustomer {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            account_number: row.try_get("account_number")?,
            trashed: row.try_get::<Option<i64>, _>("deleted_at")?.is_some(),
        };
        let postal_code: String = row.try_get("postal_code")?;
        if !customer.trashed {
            existing
                .by_name_postal
                .entry(name_postal_key(&customer.name, &postal_code))
                .or_insert_with(|| customer.clone());
        }
        if let Some(key) = row.try_get::<Option<String>, _>("account_key")? {
            existing.by_account.insert(key, customer);
        }
    }
    let rows = sqlx::query("SELECT id, first_name, last_name, email_key FROM contacts")
        .fetch_all(&mut *conn)
        .await?;
    for row in rows {
        let first: String = row.try_get("first_name")?;
        let last: String = row.try_get("last_name")?;
        existing.contacts.insert(
            row.try_get("email_key")?,
            ExistingContact {
                id: row.try_get("id")?,
                name: format!("{first} {last}"),
            },
        );
    }
    Ok(existing)
}
