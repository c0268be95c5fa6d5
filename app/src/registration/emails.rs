//! The registration's emails: the confirmation link, and the approval.

use crate::mail::templates::{escape_html, Content};

fn page(body: &str) -> String {
    format!("<!DOCTYPE html><html><body style=\"font-family: sans-serif; line-height: 1.5; color: #1f2933\">{body}</body></html>")
}

/// `link` is where the confirmation link goes: the outbox's placeholder, filled at delivery.
pub fn confirm_address(first_name: &str, link: &str, hours: i64) -> Content {
    let subject = "Confirm your email to finish signing up".to_string();
    let text = format!(
        "Hello {first_name},\n\nConfirm this email address to finish signing up:\n{link}\n\n\
         The link works for {hours} hours. If you did not sign up, ignore this email: nothing was made.\n"
    );
    let html = page(&format!(
        "<p>Hello {},</p><p><a href=\"{}\">Confirm this email address</a> to finish signing up.</p>\
         <p style=\"color: #52606d\">The link works for {hours} hours. If you did not sign up, ignore this email: nothing was made.</p>",
        escape_html(first_name),
        escape_html(link)
    ));
    Content { subject, text, html }
}

pub fn approved(first_name: &str, customer: &str, portal: &str) -> Content {
    let subject = format!("Your account {customer} is approved");
    let text = format!(
        "Hello {first_name},\n\nYour account {customer} is approved. Sign in with your email and password to order:\n{portal}\n"
    );
    let html = page(&format!(
        "<p>Hello {},</p><p>Your account <strong>{}</strong> is approved.</p><p><a href=\"{}\">Sign in to order</a> with your email and password.</p>",
        escape_html(first_name),
        escape_html(customer),
        escape_html(portal)
    ));
    Content { subject, text, html }
}
