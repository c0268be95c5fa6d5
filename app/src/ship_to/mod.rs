//! Ship-To Locations: a customer's delivery addresses, one of them the default. Staff keep them on
//! the customer's page (and download them as CSV); the portal's orders go to one of them.

pub mod api;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod db;
mod panel;

pub use panel::ShipToPanel;

use crate::domain::ShipToInput;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipTo {
    pub id: i64,
    pub customer_id: i64,
    pub name: String,
    pub street: String,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    pub country: String,
    pub is_default: bool,
    /// Raised by every save; a save naming an older version is refused as a conflict.
    pub version: i64,
}

impl ShipTo {
    /// The address on one line, as an order keeps it.
    pub fn address_line(&self) -> String {
        let mut parts = vec![self.street.clone(), self.city.clone()];
        parts.extend(self.region.clone());
        parts.push(self.postal_code.clone());
        parts.push(self.country.clone());
        parts.join(", ")
    }

    pub fn to_input(&self) -> ShipToInput {
        ShipToInput {
            name: self.name.clone(),
            street: self.street.clone(),
            city: self.city.clone(),
            region: self.region.clone().unwrap_or_default(),
            postal_code: self.postal_code.clone(),
            country: self.country.clone(),
        }
    }
}

/// Where "Download Ship-To Locations" fetches the customer's CSV.
pub fn csv_path(customer_id: i64) -> String {
    format!("/customers/{customer_id}/ship-to-locations.csv")
}
