//! Document Requests: what each customer still needs, the PostOnce recommendations that can fulfil
//! them, and "Send Selected Documents", which shares the attached documents with the customer's
//! Documents Contacts by email.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod panel;

pub use panel::RequestsPanel;

use crate::domain::{CalendarDate, DocumentStatus, Level};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestStatus {
    Open,
    Sent,
}

/// A document attached to, or recommended for, a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRef {
    pub id: i64,
    pub title: String,
    pub expires_on: CalendarDate,
    pub status: DocumentStatus,
    pub file_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRow {
    pub id: i64,
    pub type_id: i64,
    pub type_name: String,
    pub level: Level,
    pub listing_id: i64,
    pub listing_name: String,
    pub status: RequestStatus,
    /// The document that fulfils it.
    pub document: Option<DocumentRef>,
    /// PostOnce: the current, unexpired document of the type for the location or item, offered
    /// while the request is open and has none.
    pub recommendation: Option<DocumentRef>,
    pub sent_at: Option<i64>,
    /// The customer's contact who asked for it (in the portal or on the Document Retrieval
    /// Site); `None` when the customer's requirements made it.
    pub requested_by: Option<String>,
    pub downloads: i64,
    /// Who downloaded it last, and when.
    pub last_download: Option<(String, i64)>,
}

impl RequestRow {
    /// Ready to be sent: open, with a document that has not expired.
    pub fn fulfilled(&self) -> bool {
        self.status == RequestStatus::Open
            && self
                .document
                .as_ref()
                .is_some_and(|d| d.status != DocumentStatus::Expired)
    }
}

/// A page of a customer's Document Requests, and what the tab tells and selects across all of
/// them (a big account has thousands).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestsPage {
    pub rows: Vec<RequestRow>,
    /// Zero-based.
    pub page: i64,
    /// Open and sent requests in all.
    pub total: i64,
    pub open: i64,
    /// Every request ready to send (`RequestRow::fulfilled`), on any page.
    pub ready: Vec<i64>,
    /// Every open request with a PostOnce recommendation, on any page.
    pub recommended: Vec<i64>,
}

impl RequestsPage {
    pub fn page_count(&self) -> i64 {
        crate::listings::page_count(self.total)
    }
}

/// The most requests of one customer the tab lists.
pub const MAX_LISTED: i64 = 5000;

/// What "Send Selected Documents" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendReport {
    pub documents: usize,
    /// One email per Documents Contact, queued in the outbox.
    pub emails: usize,
}

/// The most requests sent at once.
pub const MAX_SEND: usize = 500;
