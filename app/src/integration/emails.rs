//! The email staff get when a customer requests integration.

use crate::mail::templates::{escape_html, Content};

pub struct RequestEmail<'a> {
    pub customer: &'a str,
    pub requested_by: &'a str,
    pub salesperson: &'a str,
    pub transactions: &'a str,
    /// The customer's page in Clientele.
    pub link: &'a str,
}

pub fn integration_requested(email: &RequestEmail<'_>, staff_first_name: &str) -> Content {
    let subject = format!("Integration requested by {}", email.customer);
    let text = format!(
        "Hello {staff_first_name},\n\n{} asked to integrate with you for {}.\n\nSalesperson: {}\nTransactions: {}\n\n\
         Activate it, or send it back with a reason, on the customer's page:\n{}\n",
        email.requested_by, email.customer, email.salesperson, email.transactions, email.link
    );
    let html = format!(
        "<!DOCTYPE html><html><body style=\"font-family: sans-serif; line-height: 1.5; color: #1f2933\">\
         <p>Hello {},</p><p>{} asked to integrate with you for <strong>{}</strong>.</p>\
         <p>Salesperson: {}<br>Transactions: {}</p>\
         <p><a href=\"{}\">Open the customer in Clientele</a> to activate it, or send it back with a reason.</p>\
         </body></html>",
        escape_html(staff_first_name),
        escape_html(email.requested_by),
        escape_html(email.customer),
        escape_html(email.salesperson),
        escape_html(email.transactions),
        escape_html(email.link),
    );
    Content { subject, text, html }
}

/// To the contact who asked: integration is active, or was sent back and why.
pub fn integration_decided(customer: &str, first_name: &str, reason: Option<&str>) -> Content {
    let (subject, news) = match reason {
        None => (
            format!("Integration is active for {customer}"),
            format!("integration for {customer} is now active."),
        ),
        Some(reason) => (
            format!("Your integration request for {customer} was sent back"),
            format!("your integration request for {customer} was sent back: {reason}"),
        ),
    };
    let text = format!(
        "Hello {first_name},\n\n{}{}\n",
        news[..1].to_uppercase(),
        &news[1..]
    );
    let html = format!(
        "<!DOCTYPE html><html><body style=\"font-family: sans-serif; line-height: 1.5; color: #1f2933\">\
         <p>Hello {},</p><p>{}{}</p></body></html>",
        escape_html(first_name),
        escape_html(&news[..1].to_uppercase()),
        escape_html(&news[1..]),
    );
    Content { subject, text, html }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_email_names_everything_and_escapes_it() {
        let content = integration_requested(
            &RequestEmail {
                customer: "Ben & Jerry's <Dairy>",
                requested_by: "Ana Buyer",
                salesperson: "Sam Seller",
                transactions: "Orders, Invoices",
                link: "http://x/customers/4?tab=overview",
            },
            "Sam",
        );
        assert_eq!(content.subject, "Integration requested by Ben & Jerry's <Dairy>");
        assert!(content.text.contains("Transactions: Orders, Invoices"));
        assert!(content.html.contains("Ben &amp; Jerry&#39;s &lt;Dairy&gt;"));
        assert!(!content.html.contains("<Dairy>"));
    }
}
