//! Orders: placed in the portal by a Buyer (or by staff acting for the customer), kept with their
//! lines and prices as they were at ordering time. Staff see them on the Orders page and on a
//! customer's Orders tab; contacts see their customer's history in the portal.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod pages;

pub use pages::{page_param, OrderList, OrdersPage, OrdersPanel};

use serde::{Deserialize, Serialize};

/// A page of the Orders page, newest first, read from a cursor order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPage {
    pub rows: Vec<Order>,
    pub has_previous: bool,
    pub has_next: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub placed_by_name: String,
    /// Set when a staff user placed it for the customer.
    pub placed_by_staff: bool,
    pub ship_to_name: String,
    pub ship_to_address: String,
    pub po_number: Option<String>,
    pub note: Option<String>,
    pub total_cents: i64,
    pub created_at: i64,
    pub lines: Vec<OrderLine>,
}

impl Order {
    pub fn number(&self) -> String {
        order_number(self.id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub sku: String,
    pub name: String,
    pub unit_price_cents: i64,
    pub quantity: i64,
    pub line_total_cents: i64,
}

/// A line of the cart as the browser sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub item_id: i64,
    pub quantity: i64,
}

/// What "Place Order" sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRequest {
    pub ship_to_id: Option<i64>,
    pub po_number: String,
    pub note: String,
    pub lines: Vec<CartLine>,
    /// Made when the cart page opened: sending the same order twice places it once.
    pub client_key: String,
}

/// A customer's orders in number and value, as the list and the Orders tab show them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderTotals {
    pub count: i64,
    pub total_cents: i64,
}

/// The staff Orders page's filters (dates as YYYY-MM-DD, inclusive; empty for none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderFilter {
    pub customer: String,
    pub from: String,
    pub to: String,
}

/// "SO-000042".
pub fn order_number(id: i64) -> String {
    format!("SO-{id:06}")
}

/// At most this many lines in one order, and this many of one item.
pub const MAX_LINES: usize = 500;
pub const MAX_QUANTITY: i64 = 100_000;
/// The largest order total accepted: a hundred billion in the supplier's currency.
pub const MAX_ORDER_TOTAL_CENTS: i64 = 10_000_000_000_000;
/// Orders per page.
pub const ORDERS_PAGE_SIZE: i64 = crate::listings::PAGE_SIZE;
