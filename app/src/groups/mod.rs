//! Customer groups: Settings → Customer Groups (Admins) names them with a price adjustment and a
//! tax exemption; staff give them to customers on the customer's page or in bulk from the list;
//! the portal prices a customer's items by its groups (see `PriceAdjustment::for_groups`).

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod pages;

pub use pages::{BulkGroupBar, CustomerGroupsCard, GroupsPage};

use crate::domain::PriceAdjustment;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerGroup {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    pub price_adjustment: PriceAdjustment,
    pub tax_exempt: bool,
    /// Only assignable groups can be given to customers.
    pub assignable: bool,
    pub version: i64,
    /// Live customers in the group: counted only where shown (Settings → Customer Groups).
    pub customer_count: Option<i64>,
}

/// A customer's groups as its page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerGroups {
    pub assigned: Vec<CustomerGroup>,
    /// Every group that may be given to customers.
    pub assignable: Vec<CustomerGroup>,
    /// What the groups make of the customer's portal prices.
    pub price_adjustment: PriceAdjustment,
    pub tax_exempt: bool,
}
