//! Listings: the supplier's Locations (production sites) and Items (products), each with its
//! documents.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod items;
mod locations;
pub(crate) mod parts;

pub use items::{ItemPage, ItemsPage, NewItemPage};
pub use locations::{LocationPage, LocationsPage, NewLocationPage};

use crate::domain::{ItemInput, LocationInput, Money};
use serde::{Deserialize, Serialize};

/// Rows per page of a listing.
pub const PAGE_SIZE: i64 = 50;

/// A location as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub id: i64,
    pub name: String,
    pub code: Option<String>,
    pub street: String,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    pub country: String,
    /// Raised by every save; a save naming an older version is refused as a conflict.
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Location {
    pub fn to_input(&self) -> LocationInput {
        LocationInput {
            name: self.name.clone(),
            code: self.code.clone().unwrap_or_default(),
            street: self.street.clone(),
            city: self.city.clone(),
            region: self.region.clone().unwrap_or_default(),
            postal_code: self.postal_code.clone(),
            country: self.country.clone(),
        }
    }
}

/// An item as its page shows it, with the locations that produce it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub description: Option<String>,
    pub unit_price: Money,
    pub active: bool,
    pub location_ids: Vec<i64>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Item {
    pub fn to_input(&self) -> ItemInput {
        ItemInput {
            sku: self.sku.clone(),
            name: self.name.clone(),
            description: self.description.clone().unwrap_or_default(),
            unit_price: self.unit_price.to_string(),
        }
    }
}

/// A row of the Locations list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationRow {
    pub id: i64,
    pub name: String,
    pub code: Option<String>,
    pub city: String,
    pub country: String,
    pub documents: i64,
}

/// A row of the Items list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRow {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub unit_price: Money,
    pub active: bool,
    pub locations: i64,
}

/// One page of a listing and how many rows match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: i64,
    /// Zero-based.
    pub page: i64,
}

impl<T> Page<T> {
    pub fn page_count(&self) -> i64 {
        page_count(self.total)
    }
}

/// How many pages of `PAGE_SIZE` rows `total` rows fill: one at least, empty or not.
pub fn page_count(total: i64) -> i64 {
    ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1)
}

/// At most this many ids in one list (locations of an item, default requirements).
pub const MAX_IDS: usize = 1000;

/// Parses a list of ids separated by commas (the `location_ids` form value), without repeats.
pub fn parse_ids(raw: &str) -> Result<Vec<i64>, String> {
    let mut ids = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if ids.len() == MAX_IDS {
            return Err(format!("At most {MAX_IDS} can be chosen."));
        }
        ids.push(
            part.parse::<i64>()
                .map_err(|_| format!("'{part}' is not one of the choices."))?,
        );
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}
