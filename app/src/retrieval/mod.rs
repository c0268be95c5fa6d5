//! The Document Retrieval Site (`/shared`): a customer's contacts follow the link in a documents
//! email, make a simple account (their email and a password), and download what was sent to the
//! customers they belong to — nothing else.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod download;
mod pages;
#[cfg(feature = "ssr")]
pub mod session;

pub(crate) use pages::SignInForm;
pub(crate) use pages::SiteFrame;
pub use pages::{LinkPage, SharedDocumentsPage};

use crate::domain::{CalendarDate, DocumentStatus, Level};
use serde::{Deserialize, Serialize};

/// How long a link in an email works.
pub const LINK_DAYS: i64 = 14;

/// What a link from an email leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkState {
    /// The link works: make an account (first visit) or sign in.
    Valid {
        email: String,
        first_name: String,
        has_account: bool,
    },
    /// Older than [`LINK_DAYS`]; a new one can be asked for.
    Expired,
    /// No such link.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInContact {
    pub name: String,
    pub email: String,
}

/// A page of the documents shared with a contact (a contact of 200 customers has hundreds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedPage {
    /// The customers of this page's documents, each with the documents of this page.
    pub customers: Vec<SharedCustomer>,
    /// Zero-based.
    pub page: i64,
    /// Documents in all.
    pub total: i64,
}

/// The documents shared with one customer of the contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedCustomer {
    pub name: String,
    pub groups: Vec<SharedGroup>,
}

/// The documents of one location or item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedGroup {
    pub level: Level,
    pub name: String,
    pub documents: Vec<SharedDocument>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedDocument {
    /// Downloads go through the request the document was sent for: `/shared/files/{request_id}`.
    pub request_id: i64,
    pub type_name: String,
    pub title: String,
    pub effective_on: CalendarDate,
    pub expires_on: CalendarDate,
    pub status: DocumentStatus,
    pub file_name: String,
    pub size: i64,
}
