//! Email: every message is a row of the outbox, written in the same transaction as the change
//! that caused it; the server's worker delivers it over SMTP. Staff read a customer's messages on
//! its page (and resend them); Admins read all of them at Settings → Email Log.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod pages;
#[cfg(feature = "ssr")]
pub mod portal_emails;
#[cfg(feature = "ssr")]
pub mod templates;

pub use pages::{EmailLogPage, MessagesPanel};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmailStatus {
    Queued,
    Sent,
    Failed,
}

impl EmailStatus {
    pub fn parse(raw: &str) -> Self {
        match raw {
            "sent" => EmailStatus::Sent,
            "failed" => EmailStatus::Failed,
            _ => EmailStatus::Queued,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EmailStatus::Queued => "Queued",
            EmailStatus::Sent => "Sent",
            EmailStatus::Failed => "Failed",
        }
    }
}

/// An email as the Messages tab and the Email Log show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailRow {
    pub id: i64,
    pub customer: Option<String>,
    pub to_name: String,
    pub to_address: String,
    pub subject: String,
    /// The plain-text part; a sign-in link made at delivery shows as a note.
    pub text_body: String,
    pub status: EmailStatus,
    pub attempts: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

/// Where a body gets the recipient's sign-in link, made fresh when the worker delivers it. Names
/// and titles never hold control characters, so no typed text can fake it.
pub const LINK_PLACEHOLDER: &str = "\u{1}LINK\u{1}";

/// How a link made at delivery appears to staff reading a stored message.
/// What the link in an email of a kind opens, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkRule {
    /// Stored with the link; each page accepts only links of its own purpose.
    pub purpose: &'static str,
    /// The page, followed by the token.
    pub path: &'static str,
    /// How long the link works, from when it is made.
    pub valid_ms: i64,
}

/// Invitations accept the portal for a customer; reminders open one customer's portal without a
/// password; a contact's password reset works for half an hour; every other link opens the
/// Document Retrieval Site.
pub fn link_rule(kind: &str) -> LinkRule {
    match kind {
        INVITATION => LinkRule {
            purpose: "invitation",
            path: "/portal/invitation/",
            valid_ms: 14 * DAY_MS,
        },
        REMINDER => LinkRule {
            purpose: "reminder",
            path: "/portal/link/",
            valid_ms: 7 * DAY_MS,
        },
        PASSWORD_RESET => LinkRule {
            purpose: "password_reset",
            path: "/shared/reset/",
            valid_ms: crate::password_reset::LINK_MINUTES * 60_000,
        },
        _ => LinkRule {
            purpose: "retrieval",
            path: "/shared/link/",
            valid_ms: crate::retrieval::LINK_DAYS * DAY_MS,
        },
    }
}

/// Outbox kinds of the portal's emails.
pub const INVITATION: &str = "portal_invitation";
pub const REMINDER: &str = "portal_reminder";
pub const ORDER_CONFIRMATION: &str = "order_confirmation";
/// "Forgot your password?", to staff and contacts alike.
pub const PASSWORD_RESET: &str = "password_reset";

const DAY_MS: i64 = 24 * 3600 * 1000;

pub const LINK_SHOWN_AS: &str = "[personal sign-in link, made when the email is delivered]";
