//! What a customer sources and must receive: its Locations and Items, and per location or item
//! the document types it requires. Requiring a type opens a Document Request; no longer requiring
//! it cancels the open one.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod panel;

pub use panel::SourcedPanel;

use serde::{Deserialize, Serialize};

/// A location or an item the customer sources, with the document types of its level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourcedListing {
    pub id: i64,
    pub name: String,
    /// The location's internal code or the item's SKU.
    pub detail: Option<String>,
    pub requirements: Vec<RequirementTick>,
}

/// A page of the listings a customer sources, in name order (a big account sources thousands).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourcedPage {
    pub rows: Vec<SourcedListing>,
    pub has_next: bool,
    /// The customer's locations or items in all, searched or not.
    pub total: i64,
}

/// One document type of a sourced listing, and whether the customer requires it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementTick {
    pub type_id: i64,
    pub type_name: String,
    pub required: bool,
}

/// The most listings added in one go.
pub const MAX_ADD: usize = 500;
