//! Customers: the list with search and filters, the company form, a customer's page, the Trash.

pub mod api;
#[cfg(feature = "ssr")]
mod changes;
#[cfg(feature = "ssr")]
pub mod db;
mod detail;
#[cfg(feature = "ssr")]
mod filters;
mod form;
mod list;
#[cfg(feature = "ssr")]
pub mod name_order;
#[cfg(feature = "ssr")]
mod page;
mod query;
#[cfg(feature = "ssr")]
pub mod search;
mod trash;

pub use detail::{customer_id_param, customer_of_page, CustomerPage};
pub use form::{CompanyEditForm, CompanyFields};
pub use list::CustomersPage;
pub use query::{ListQuery, SortKey, StatusFilter};
pub use trash::TrashPage;

use crate::domain::CompanyInput;
use serde::{Deserialize, Serialize};

/// A customer as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub account_number: Option<String>,
    pub street: String,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    pub country: String,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub logo_file_id: Option<String>,
    pub active: bool,
    /// The New Customer wizard's step reached, while the customer is a Draft.
    pub wizard_step: Option<i64>,
    /// Raised by every save; a save naming an older version is refused as a conflict.
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub deleted_at: Option<i64>,
}

impl Customer {
    /// The company form filled with this customer's values.
    pub fn to_input(&self) -> CompanyInput {
        CompanyInput {
            name: self.name.clone(),
            account_number: self.account_number.clone().unwrap_or_default(),
            street: self.street.clone(),
            city: self.city.clone(),
            region: self.region.clone().unwrap_or_default(),
            postal_code: self.postal_code.clone(),
            country: self.country.clone(),
            phone: self.phone.clone().unwrap_or_default(),
            website: self.website.clone().unwrap_or_default(),
            logo_file_id: self.logo_file_id.clone().unwrap_or_default(),
        }
    }
}

/// A customer as a row of the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerSummary {
    pub id: i64,
    pub name: String,
    pub account_number: Option<String>,
    pub city: String,
    pub country: String,
    pub logo_file_id: Option<String>,
    pub active: bool,
    /// Set while the customer is a Draft: where its wizard continues.
    pub wizard_step: Option<i64>,
    pub order_count: i64,
    pub order_total_cents: i64,
    pub integration_status: crate::integration::IntegrationStatus,
    /// The names of its customer groups.
    pub groups: Vec<String>,
    /// Registered at the portal and not yet approved.
    pub pending_approval: bool,
    pub created_at: i64,
}

/// One page of the list, and whether there are pages before and after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerPageData {
    pub rows: Vec<CustomerSummary>,
    pub has_previous: bool,
    pub has_next: bool,
}

/// What became of a save of the company form.
pub type SaveOutcome = crate::ui::SaveOutcome<Customer>;

/// A customer in the Trash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrashedCustomer {
    pub id: i64,
    pub name: String,
    pub account_number: Option<String>,
    pub city: String,
    pub deleted_at: i64,
    pub deleted_by: Option<String>,
}

/// A page of the Trash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrashPage {
    /// The last deleted first.
    pub rows: Vec<TrashedCustomer>,
    /// The page's last customer, when more follow.
    pub next: Option<i64>,
}

/// Up to how many customers one "Delete selected" may name.
pub const MAX_BULK: usize = 500;
/// Customers per page of the list.
pub const PAGE_SIZE: usize = 50;
