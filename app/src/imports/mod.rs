//! Bulk import from spreadsheets: the Excel template, an upload read into rows, a preview that
//! lists every bad row, then one all-or-nothing transaction. Customers (with a contact per row)
//! and contacts (assigned by account number) share the machinery; only their columns and the
//! meaning of a row differ.

pub mod api;
pub mod columns;
#[cfg(feature = "ssr")]
pub mod commit;
#[cfg(feature = "ssr")]
mod compound;
#[cfg(feature = "ssr")]
pub mod contact_rows;
#[cfg(feature = "ssr")]
mod csv;
#[cfg(feature = "ssr")]
pub mod customer_rows;
#[cfg(feature = "ssr")]
pub mod downloads;
#[cfg(feature = "ssr")]
pub mod existing;
#[cfg(feature = "ssr")]
mod grid;
#[cfg(feature = "ssr")]
pub mod jobs;
mod page;
#[cfg(feature = "ssr")]
pub mod plan;
#[cfg(feature = "ssr")]
pub mod table;
#[cfg(feature = "ssr")]
mod write_contacts;
#[cfg(feature = "ssr")]
mod write_customers;

pub use page::{ImportContactsPage, ImportCustomersPage};

use serde::{Deserialize, Serialize};

/// What a file is imported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportKind {
    Customers,
    Contacts,
}

impl ImportKind {
    pub fn key(self) -> &'static str {
        match self {
            ImportKind::Customers => "customers",
            ImportKind::Contacts => "contacts",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "customers" => Some(ImportKind::Customers),
            "contacts" => Some(ImportKind::Contacts),
            _ => None,
        }
    }

    /// The plural a person reads: "customers", "contacts".
    pub fn noun(self) -> &'static str {
        self.key()
    }
}

/// Up to how many problems and matches a preview lists; the errors download has them all.
pub const LISTED: usize = 200;

/// One thing wrong with one cell (or one row) of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The row number a spreadsheet program shows (the header is row 1 in most files).
    pub row: usize,
    /// The column's title as the template names it.
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Row {}, {}: {}", self.row, self.column, self.message)
    }
}

/// A row that names a record Clientele already has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Match {
    pub row: usize,
    /// The row's name for it (company, or contact's name).
    pub name: String,
    pub existing_id: i64,
    pub existing_name: String,
    /// How it was matched: "account number", "name and postal code", "email".
    pub by: String,
}

/// What an upload would do, before anything is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub file_name: String,
    /// Rows with data below the header.
    pub rows: usize,
    /// Rows that would be created.
    pub new: usize,
    /// Rows naming a record that exists: skipped or updated, as the person chooses.
    pub existing: usize,
    /// Rows with at least one problem: never imported.
    pub bad_rows: usize,
    /// The first [`LISTED`] problems, in row order.
    pub problems: Vec<Problem>,
    pub problem_count: usize,
    /// The first [`LISTED`] rows matching existing records.
    pub matches: Vec<Match>,
    /// Contacts the good rows would create, and existing contacts they name (by email).
    pub new_contacts: usize,
    pub matched_contacts: usize,
    /// Column titles the file has that Clientele does not read.
    pub ignored_columns: Vec<String>,
    /// The template's example row, left in the file and not imported.
    pub example_row_skipped: bool,
}

/// What to do with rows naming existing records, and with the good rows of a file with errors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportChoice {
    /// Update existing records from their rows (empty cells keep the stored value); else skip them.
    pub update_existing: bool,
    /// Import the good rows of a file that has bad ones; else a bad row stops the import.
    pub good_rows_only: bool,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub skipped: usize,
    /// Bad rows left out.
    pub left_out: usize,
    pub contacts_created: usize,
    pub contacts_assigned: usize,
}

/// Where an upload stands, as the import page polls it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportStatus {
    /// The file is being opened and its rows read.
    Reading,
    /// The rows are being checked against each other and what is stored.
    Checking {
        rows: usize,
    },
    Previewed(Preview),
    Importing {
        done: usize,
        total: usize,
        preview: Preview,
    },
    Imported {
        report: ImportReport,
        preview: Preview,
    },
    /// The file could not be read (no preview), or the import was refused or failed (nothing was
    /// stored); the message says why.
    Failed {
        message: String,
        preview: Option<Preview>,
    },
}

impl ImportStatus {
    /// Whether the page should ask again shortly.
    pub fn in_progress(&self) -> bool {
        matches!(
            self,
            ImportStatus::Reading | ImportStatus::Checking { .. } | ImportStatus::Importing { .. }
        )
    }
}
