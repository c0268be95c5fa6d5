//! Contacts: the people who work for customers, and which customers each belongs to. A contact
//! can belong to several customers; per customer, a toggle makes them a Documents Contact.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod pages;
mod panel;

pub use pages::{ContactPage, ContactsPage, NewContactPage};
pub use panel::ContactsPanel;

use crate::domain::{ContactInput, ContactRole};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: Option<String>,
    pub job_title: Option<String>,
    /// Raised by every save; a save naming an older version is refused as a conflict.
    pub version: i64,
}

impl Contact {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    pub fn to_input(&self) -> ContactInput {
        ContactInput {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone().unwrap_or_default(),
            job_title: self.job_title.clone().unwrap_or_default(),
        }
    }
}

/// A contact as one customer has them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerContact {
    pub contact: Contact,
    /// Receives this customer's document emails.
    pub documents_contact: bool,
    pub role: ContactRole,
    /// How many other customers the contact also belongs to.
    pub other_customers: i64,
}

/// A page of a customer's contacts, by name: a big account has thousands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerContactsPage {
    pub rows: Vec<CustomerContact>,
    pub has_next: bool,
    /// The customer's contacts in all, and how many of them are Documents Contacts.
    pub total: i64,
    pub documents_contacts: i64,
}

/// The most contacts a search returns; narrow the search to find others.
pub const SEARCH_LIMIT: i64 = 20;

/// A row of the Contacts page: the contact and the names of its customers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRow {
    pub contact: Contact,
    pub customers: Vec<String>,
}

/// One page of the Contacts page, in name order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactListPage {
    pub rows: Vec<ContactRow>,
    pub has_previous: bool,
    pub has_next: bool,
}

/// Which page of the Contacts page, as its URL says: `?after=ID` (the "Next" link), `?before=ID`
/// ("Previous"), `?page=last`, or none (the first page).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Position {
    #[default]
    First,
    After(i64),
    Before(i64),
    Last,
}

impl Position {
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Position {
        let id = |name: &str| get(name).and_then(|v| v.parse::<i64>().ok());
        if get("page").as_deref() == Some("last") {
            Position::Last
        } else if let Some(after) = id("after") {
            Position::After(after)
        } else if let Some(before) = id("before") {
            Position::Before(before)
        } else {
            Position::First
        }
    }

    /// The query string of this page (without `?`), `q` first when there is one.
    pub fn href(self, path: &str, q: &str) -> String {
        let mut params = Vec::new();
        if !q.is_empty() {
            params.push(format!("q={}", crate::ui::url_encode(q)));
        }
        match self {
            Position::First => {}
            Position::After(id) => params.push(format!("after={id}")),
            Position::Before(id) => params.push(format!("before={id}")),
            Position::Last => params.push("page=last".into()),
        }
        if params.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", params.join("&"))
        }
    }
}

/// A customer a contact belongs to, as the contact's page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub customer_id: i64,
    pub customer_name: String,
    pub account_number: Option<String>,
    pub portal_enabled: bool,
    pub documents_contact: bool,
    pub role: ContactRole,
}
