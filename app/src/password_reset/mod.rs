//! "Forgot your password?" for staff and contacts: a link emailed to the address of the account
//! (random, stored as its SHA-256, made when the email is delivered, working once and for 30
//! minutes, for that address only) opens a page to choose a new password. Every session of the
//! account ends when the password changes, and the browser that changed it is signed in.
//!
//! Asking answers the same whether or not an account uses the address, so the page does not
//! tell strangers who has an account.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod pages;

pub use pages::{ForgotPasswordPage, ResetPasswordPage};

use serde::{Deserialize, Serialize};

/// How long a reset link works.
pub const LINK_MINUTES: i64 = 30;

/// Whose password: a staff user's (signing in at `/login`) or a contact's (the portal and the
/// Document Retrieval Site share one account per contact).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Who {
    Staff,
    Contact,
}

impl Who {
    pub fn key(self) -> &'static str {
        match self {
            Who::Staff => "staff",
            Who::Contact => "contact",
        }
    }

    pub fn parse(key: &str) -> Option<Who> {
        match key {
            "staff" => Some(Who::Staff),
            "contact" => Some(Who::Contact),
            _ => None,
        }
    }

    /// Where this person signs in.
    pub fn sign_in_path(self) -> &'static str {
        match self {
            Who::Staff => "/login",
            Who::Contact => "/shared",
        }
    }

    /// Where they ask for a reset link.
    pub fn forgot_path(self) -> &'static str {
        match self {
            Who::Staff => "/login/forgot",
            Who::Contact => "/shared/forgot",
        }
    }
}

/// What a reset link is worth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResetLinkState {
    /// It may set a new password for this address.
    Valid {
        email: String,
    },
    /// Used already, expired, or made for an address the account no longer has.
    Spent,
    Unknown,
}
