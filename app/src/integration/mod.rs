//! Integration (EDI) with a customer: the status (Not Requested, Requested, Active), the portal's
//! "Request Integration", staff activating it or sending it back with a reason; and the customer
//! page's integration tools: "Add Customer Account#", "Configure Inventory Availability" and
//! "Copy Price List Email".

pub mod api;
mod card;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
mod emails;
mod portal_page;

pub use card::IntegrationCard;
pub use portal_page::PortalIntegrationPage;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IntegrationStatus {
    #[default]
    NotRequested,
    Requested,
    Active,
}

impl IntegrationStatus {
    pub const ALL: [IntegrationStatus; 3] = [
        IntegrationStatus::NotRequested,
        IntegrationStatus::Requested,
        IntegrationStatus::Active,
    ];

    /// The stored form, also used in URLs.
    pub fn key(self) -> &'static str {
        match self {
            IntegrationStatus::NotRequested => "not_requested",
            IntegrationStatus::Requested => "requested",
            IntegrationStatus::Active => "active",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            IntegrationStatus::NotRequested => "Not Requested",
            IntegrationStatus::Requested => "Requested",
            IntegrationStatus::Active => "Active",
        }
    }
}

/// The documents a customer wants exchanged electronically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Transaction {
    Orders,
    Invoices,
    ShipNotices,
    PriceLists,
}

impl Transaction {
    pub const ALL: [Transaction; 4] = [
        Transaction::Orders,
        Transaction::Invoices,
        Transaction::ShipNotices,
        Transaction::PriceLists,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Transaction::Orders => "orders",
            Transaction::Invoices => "invoices",
            Transaction::ShipNotices => "ship_notices",
            Transaction::PriceLists => "price_lists",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Transaction::Orders => "Orders",
            Transaction::Invoices => "Invoices",
            Transaction::ShipNotices => "Ship Notices",
            Transaction::PriceLists => "Price Lists",
        }
    }

    pub fn labels(transactions: &[Transaction]) -> String {
        transactions
            .iter()
            .map(|t| t.label())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A request for integration and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationRequest {
    pub id: i64,
    pub requested_by_name: String,
    pub salesperson_name: String,
    pub transactions: Vec<Transaction>,
    /// `open`, `activated` or `returned`.
    pub status: String,
    pub reason: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

/// A supplier location and whether the customer sees its inventory in the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryLocation {
    pub location_id: i64,
    pub name: String,
    pub visible: bool,
}

/// What the customer page's Integration card shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerIntegration {
    pub status: IntegrationStatus,
    pub account_number: Option<String>,
    pub version: i64,
    /// Newest first.
    pub requests: Vec<IntegrationRequest>,
    /// The portal shows only the inventory of the ticked locations (otherwise all of it).
    pub inventory_limited: bool,
    /// How many locations are ticked. The locations themselves load when the form is opened:
    /// every supplier location on every customer's page would grow with the supplier.
    pub ticked_locations: i64,
}

/// "Configure Inventory Availability" once opened: every supplier location, ticked or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryChoice {
    pub limited: bool,
    pub locations: Vec<InventoryLocation>,
}

/// A staff user a contact can name as their salesperson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Salesperson {
    pub id: i64,
    pub name: String,
}

/// What the portal's "Request Integration" page needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationOptions {
    pub status: IntegrationStatus,
    pub may_request: bool,
    pub salespeople: Vec<Salesperson>,
    /// The open request, when there is one.
    pub open_request: Option<IntegrationRequest>,
}

/// The Settings key of the domain of price-list email addresses.
pub const PRICE_LIST_DOMAIN: &str = "price_list_email_domain";

/// A mail domain as an Admin types it: `prices.example.com`.
pub fn parse_domain(raw: &str) -> Result<String, String> {
    let domain = raw.trim().trim_start_matches('@').to_ascii_lowercase();
    if domain.is_empty() {
        return Err("Domain is required.".into());
    }
    let labels_ok = domain.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    if !labels_ok || !domain.contains('.') || domain.len() > 253 {
        return Err(format!(
            "'{}' is not a domain: write it like prices.example.com",
            raw.trim()
        ));
    }
    Ok(domain)
}

/// 16 characters from 31 that cannot be mistaken for each other (about 79 bits): the local part
/// of an address, so lower case only.
#[cfg(feature = "ssr")]
pub fn new_price_list_token() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    (0..16)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_checked_and_lower_cased() {
        assert_eq!(
            parse_domain(" Prices.Example.COM ").unwrap(),
            "prices.example.com"
        );
        assert_eq!(parse_domain("@example.com").unwrap(), "example.com");
        for bad in [
            "",
            "localhost",
            "a..b",
            "-a.com",
            "a b.com",
            "exa_mple.com",
            "x.com/",
        ] {
            assert!(parse_domain(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn statuses_and_transactions_round_trip_through_their_keys() {
        for status in IntegrationStatus::ALL {
            assert_eq!(IntegrationStatus::from_key(status.key()), Some(status));
        }
        for transaction in Transaction::ALL {
            assert_eq!(Transaction::from_key(transaction.key()), Some(transaction));
        }
        assert_eq!(
            Transaction::labels(&[Transaction::Orders, Transaction::ShipNotices]),
            "Orders, Ship Notices"
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn price_list_tokens_are_random_and_mail_safe() {
        let a = new_price_list_token();
        assert_eq!(a.len(), 16);
        assert!(a.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        assert_ne!(a, new_price_list_token());
    }
}
