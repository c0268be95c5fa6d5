//! "Bulk Configure Customer Requirements" (Share Settings): pick customers by the list's search
//! or one by one, pick location-level and item-level document types, and add or remove those
//! requirements for every location and item those customers source, at once. Adding opens the
//! Document Requests; removing cancels the open ones, as on a customer's own page.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod page;

pub use page::BulkRequirementsPage;

use serde::{Deserialize, Serialize};

/// Customers a bulk change would touch: how many match, and the first of them to tick.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidates {
    pub total: usize,
    pub first: Vec<Candidate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub account_number: Option<String>,
    pub city: String,
}

/// What a bulk change did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkOutcome {
    pub customers: usize,
    /// Requirements added (or removed).
    pub requirements: usize,
}

/// Candidates shown to tick; the search narrows them.
pub const SHOWN: usize = 50;
