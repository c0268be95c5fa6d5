//! Contacts: the people who work for customers, and which customers each belongs to. A contact
//! can belong to several customers; per customer, a toggle makes them a Documents Contact.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod pages;
mod panel;
#[cfg(feature = "ssr")]
pub mod search_texts;

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

pub use crate::paging::Position;

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
