//! Document requests from customers: a contact signed in to the portal or the Document Retrieval
//! Site asks for a document type for one of their customer's locations or items. The request
//! joins the customer's Document Requests, marked with who asked, and is fulfilled and sent
//! like any other.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod page;

pub use page::AskPage;

use crate::domain::Level;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskListing {
    pub level: Level,
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskType {
    pub id: i64,
    pub name: String,
    pub level: Level,
}

/// A request a contact of the customer asked for, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskedRow {
    pub type_name: String,
    pub listing_name: String,
    pub requested_by_name: String,
    /// `open`, `sent` or `cancelled`.
    pub status: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskCustomer {
    pub id: i64,
    pub name: String,
    /// The locations and items the customer sources.
    pub listings: Vec<AskListing>,
    /// Asked by the customer's contacts, newest first.
    pub asked: Vec<AskedRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskOptions {
    pub customers: Vec<AskCustomer>,
    /// Document types that can be asked for (not hidden).
    pub types: Vec<AskType>,
}
