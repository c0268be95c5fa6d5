//! Contacts: the people who work for customers, and which customers each belongs to. A contact
//! can belong to several customers; per customer, a toggle makes them a Documents Contact.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod panel;

pub use panel::ContactsPanel;

use crate::domain::ContactInput;
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
    /// How many other customers the contact also belongs to.
    pub other_customers: i64,
}

/// The most contacts a search returns; narrow the search to find others.
pub const SEARCH_LIMIT: i64 = 20;
