//! Document Types, Share Settings (the default requirements of new customers) and the documents
//! stored for locations and items, with the files behind them.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod files;
mod panel;
pub mod share_settings;
mod upload;

pub use panel::{DocumentsData, DocumentsPanel};
pub use share_settings::{DocumentTypesPage, RequirementsPage};
pub use upload::FileUpload;

use crate::domain::{CalendarDate, DocumentStatus, Level};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentType {
    pub id: i64,
    pub name: String,
    pub level: Level,
    pub description: Option<String>,
    pub validity_days: Option<i64>,
    pub builtin: bool,
    pub hidden: bool,
    /// Newly added customers start with a requirement of this type.
    pub default_required: bool,
    /// How many documents of this type are stored (any version), kept by the database.
    pub documents: i64,
}

/// A document as the lists of a location or an item show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub id: i64,
    pub type_id: i64,
    pub type_name: String,
    pub title: String,
    pub effective_on: CalendarDate,
    pub expires_on: CalendarDate,
    /// As of the day the list was read.
    pub status: DocumentStatus,
    pub file_id: String,
    pub file_name: String,
    pub size: i64,
    /// When a newer document of the same type replaced this one; `None` for the current one.
    pub replaced_at: Option<i64>,
    pub uploaded_by: Option<String>,
    pub created_at: i64,
}

/// What the server says about a file it has just stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedFile {
    pub id: String,
    pub file_name: String,
    pub size: u64,
}

/// A size in bytes as people read it: `512 bytes`, `1.4 MB`.
pub fn human_size(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{:.0} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}
