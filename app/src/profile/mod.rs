//! More of a customer's record, kept apart from the company form: its parent account ("Owner")
//! and sub-accounts, "How did you hear about us", a secondary phone and the newsletter flag; and
//! the list of answers to "How did you hear about us" that Admins edit in Settings.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod pages;

pub use pages::{ProfileCard, SourcesSettings};

use serde::{Deserialize, Serialize};

/// Another customer, as a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerLink {
    pub id: i64,
    pub name: String,
}

/// An answer to "How did you hear about us", as a customer's form offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceName {
    pub id: i64,
    pub name: String,
}

/// An answer to "How did you hear about us", as Admins keep them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub id: i64,
    pub name: String,
    /// Customers that gave this answer.
    pub customer_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerProfile {
    pub parent: Option<CustomerLink>,
    /// The first sub-accounts in name order (a dozen)…
    pub sub_accounts: Vec<CustomerLink>,
    /// …of this many.
    pub sub_account_count: i64,
    pub source_id: Option<i64>,
    pub secondary_phone: Option<String>,
    pub newsletter: bool,
    /// Every answer an Admin offers (not counted: that reads every customer who gave one).
    pub sources: Vec<SourceName>,
}
