//! The ordering portal, for customer contacts (and staff acting for a customer): sign-in, choosing
//! which customer to act as ("Change Customer"), the catalog and cart, and the links in the
//! portal's emails (invitations, reminders).
//!
//! Every call names the customer it acts for, and the server checks the caller may act for it
//! (`access::act_for`): the customer chosen in the session is only where `/portal` leads, so two
//! tabs on two customers each stay on their own.

#[cfg(feature = "ssr")]
pub mod access;
pub mod admin;
pub mod api;
mod cart;
#[cfg(feature = "ssr")]
pub mod db;
mod pages;
#[cfg(feature = "ssr")]
pub mod reminders;
mod staff_card;

pub(crate) use pages::PortalFrame;
pub use pages::{
    CustomerPortal, InvitationPage, PortalCatalogPage, PortalHomePage, PortalOrdersPage, ReminderLinkPage,
};
pub use staff_card::{PortalCard, PortalSettings};

use crate::domain::ContactRole;
use serde::{Deserialize, Serialize};

/// A customer the signed-in contact may act for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalCustomer {
    pub id: i64,
    pub name: String,
    pub role: ContactRole,
}

/// Who is at the portal, and where `/portal` should take them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PortalVisitor {
    /// Not signed in.
    Anonymous,
    Contact {
        name: String,
        customers: Vec<PortalCustomer>,
        /// The customer chosen last, if the contact may still act for it.
        chosen: Option<i64>,
    },
}

/// What a portal page shows about whom it acts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalContext {
    pub customer_id: i64,
    pub customer_name: String,
    /// The contact's name, or the staff user's.
    pub actor_name: String,
    /// A Buyer or staff acting for the customer; a Viewer only looks.
    pub may_order: bool,
    /// Set when a staff user acts for the customer ("Place order as customer").
    pub staff_acting: bool,
    /// The contact may act for other customers too (offer "Change Customer").
    pub other_customers: bool,
}

/// One line of the catalog: an item the customer receives, at its price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogItem {
    pub item_id: i64,
    pub sku: String,
    pub name: String,
    pub description: Option<String>,
    /// The customer's price: the list price changed by its groups.
    pub unit_price_cents: i64,
    pub list_price_cents: i64,
}

/// A customer's catalog page: its items, its Ship-To Locations, and whether the caller may order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogPage {
    pub customer_id: i64,
    pub may_order: bool,
    pub items: Vec<CatalogItem>,
    pub ship_tos: Vec<crate::ship_to::ShipTo>,
    /// What the customer's groups make of its prices.
    pub price_adjustment: crate::domain::PriceAdjustment,
    pub tax_exempt: bool,
}

/// What a link in a portal email leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PortalLinkState {
    Unknown,
    Expired,
    Valid {
        first_name: String,
        email: String,
        customer_name: String,
        has_account: bool,
    },
}

/// Where a contact's invitation to a customer's portal stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationStatus {
    NotInvited,
    Queued,
    Sent { at: i64 },
    Failed { reason: String },
    Expired,
    Accepted { at: i64 },
}

impl InvitationStatus {
    pub fn label(&self) -> String {
        match self {
            InvitationStatus::NotInvited => "Not invited".into(),
            InvitationStatus::Queued => "Invitation queued".into(),
            InvitationStatus::Sent { at } => format!("Invitation sent {}", crate::ui::date_time(*at)),
            InvitationStatus::Failed { reason } => format!("Invitation failed: {reason}"),
            InvitationStatus::Expired => "Invitation expired".into(),
            InvitationStatus::Accepted { at } => format!("Accepted {}", crate::ui::date_time(*at)),
        }
    }
}

/// A contact of the customer and their invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalInvitee {
    pub contact_id: i64,
    pub name: String,
    pub email: String,
    pub role: ContactRole,
    pub status: InvitationStatus,
}

/// A customer's portal, as staff see it on the customer's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerPortalAccess {
    /// The supplier's portal is open (Settings).
    pub portal_open: bool,
    pub enabled: bool,
    pub sunday_reminders: bool,
    /// A page of the customer's contacts (a big account has thousands) and their invitations.
    pub invitees: Vec<PortalInvitee>,
    pub has_next: bool,
    /// The customer's contacts in all.
    pub contacts: i64,
}
