//! Self-registration: when an Admin allows it, a visitor signs up at /portal/register, confirms
//! their email by the link sent to it, and their customer waits as Pending until staff approve
//! it; the visitor is emailed then. Abuse is held off by a limit of sign-ups per address and by
//! nothing being made before the address is confirmed.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
mod emails;
mod pages;

pub use pages::{
    rules_resource, ApprovalNotice, RegisterLink, RegisterPage, RegistrationSettings, VerifyPage,
};

use serde::{Deserialize, Serialize};

/// Settings keys.
pub const ALLOW_REGISTRATION: &str = "allow_registration";
pub const ALLOW_PERSONAL: &str = "allow_personal_accounts";

/// Sign-ups per email address within [`RATE_WINDOW_MS`].
pub const MAX_PER_ADDRESS: i64 = 3;
pub const RATE_WINDOW_MS: i64 = 3_600_000;
/// Sign-ups from all addresses within [`RATE_WINDOW_MS`]: each costs a password hash and an email.
pub const MAX_PER_HOUR: i64 = 500;
/// How long the confirmation link works.
pub const LINK_HOURS: i64 = 24;

/// Whether visitors may register, and whether individuals may (otherwise only businesses).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationRules {
    pub open: bool,
    pub personal_allowed: bool,
}

/// Outbox kinds.
pub const VERIFY_EMAIL: &str = "registration_verify";
pub const APPROVED_EMAIL: &str = "registration_approved";
