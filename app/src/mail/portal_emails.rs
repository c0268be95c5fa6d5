//! The portal's emails: an invitation, an order confirmation, the Sunday reminder.

use super::templates::{escape_html, page, Content};
use super::LINK_PLACEHOLDER;

/// An invitation to order for `customer` in the portal; the link accepts it.
pub fn invitation(customer: &str, contact_first_name: &str) -> Content {
    let subject = format!("You are invited to order online for {customer}");
    let text = format!(
        "Hello {contact_first_name},\n\nYou can now order online for {customer}, 24 hours a day, and see your order history \
         and the documents shared with you.\n\nAccept the invitation:\n{LINK_PLACEHOLDER}\n\n\
         The link works for 14 days. If you already have an account with us, sign in with it; otherwise you choose a password.\n"
    );
    let html = page(&format!(
        "<p>Hello {},</p><p>You can now order online for {}, 24 hours a day, and see your order history and the \
         documents shared with you.</p><p><a href=\"{LINK_PLACEHOLDER}\">Accept the invitation</a></p>\
         <p style=\"color: #52606d\">The link works for 14 days. If you already have an account with us, sign in with it; \
         otherwise you choose a password.</p>",
        escape_html(contact_first_name),
        escape_html(customer)
    ));
    Content { subject, text, html }
}

/// One line of an order as its confirmation lists it.
pub struct ConfirmedLine {
    pub quantity: i64,
    pub sku: String,
    pub name: String,
    pub line_total: String,
}

pub struct ConfirmedOrder<'a> {
    pub number: &'a str,
    pub customer: &'a str,
    pub ship_to: &'a str,
    pub po_number: Option<&'a str>,
    pub total: &'a str,
    pub lines: &'a [ConfirmedLine],
}

pub fn order_confirmation(order: &ConfirmedOrder<'_>, contact_first_name: &str) -> Content {
    let subject = format!("Order {} confirmed for {}", order.number, order.customer);
    let mut text = format!(
        "Hello {contact_first_name},\n\nThank you for your order {} for {}.\n\n",
        order.number, order.customer
    );
    let mut rows = String::new();
    for line in order.lines {
        text.push_str(&format!(
            "{} × {} {} — {}\n",
            line.quantity, line.sku, line.name, line.line_total
        ));
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{} {}</td><td style=\"text-align: right\">{}</td></tr>",
            line.quantity,
            escape_html(&line.sku),
            escape_html(&line.name),
            escape_html(&line.line_total)
        ));
    }
    let po = order
        .po_number
        .map(|po| format!("Purchase order: {po}\n"))
        .unwrap_or_default();
    text.push_str(&format!(
        "\nTotal: {}\nShip to: {}\n{po}",
        order.total, order.ship_to
    ));
    let html = page(&format!(
        "<p>Hello {},</p><p>Thank you for your order <strong>{}</strong> for {}.</p>\
         <table cellpadding=\"4\"><tbody>{rows}</tbody></table><p><strong>Total: {}</strong><br>Ship to: {}{}</p>",
        escape_html(contact_first_name),
        escape_html(order.number),
        escape_html(order.customer),
        escape_html(order.total),
        escape_html(order.ship_to),
        order
            .po_number
            .map(|po| format!("<br>Purchase order: {}", escape_html(po)))
            .unwrap_or_default()
    ));
    Content { subject, text, html }
}

/// "Send Reminder Email on Sundays": a link that opens the customer's portal without a password.
pub fn sunday_reminder(customer: &str, contact_first_name: &str) -> Content {
    let subject = format!("Time to order for {customer}?");
    let text = format!(
        "Hello {contact_first_name},\n\nYour weekly reminder: you can place this week's order for {customer} online.\n\n\
         Open the portal (no password needed):\n{LINK_PLACEHOLDER}\n\nThe link works for 7 days, for {customer} only.\n"
    );
    let html = page(&format!(
        "<p>Hello {},</p><p>Your weekly reminder: you can place this week's order for {} online.</p>\
         <p><a href=\"{LINK_PLACEHOLDER}\">Open the portal</a> (no password needed)</p>\
         <p style=\"color: #52606d\">The link works for 7 days, for {} only.</p>",
        escape_html(contact_first_name),
        escape_html(customer),
        escape_html(customer)
    ));
    Content { subject, text, html }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_confirmation_lists_lines_and_escapes_names() {
        let lines = [ConfirmedLine {
            quantity: 3,
            sku: "BEAN-1".into(),
            name: "<Beans>".into(),
            line_total: "$36.00".into(),
        }];
        let content = order_confirmation(
            &ConfirmedOrder {
                number: "SO-000001",
                customer: "Coffee & Co",
                ship_to: "Dock 4, 1 Pier Rd",
                po_number: Some("PO-9"),
                total: "$36.00",
                lines: &lines,
            },
            "Ana",
        );
        assert_eq!(content.subject, "Order SO-000001 confirmed for Coffee & Co");
        assert!(content.text.contains("3 × BEAN-1 <Beans> — $36.00"));
        assert!(content.text.contains("Purchase order: PO-9"));
        assert!(content.html.contains("&lt;Beans&gt;") && content.html.contains("Coffee &amp; Co"));
    }

    #[test]
    fn invitations_and_reminders_carry_the_link_placeholder() {
        assert!(invitation("Uptown", "Ana").text.contains(LINK_PLACEHOLDER));
        assert!(sunday_reminder("Uptown", "Ana").html.contains(LINK_PLACEHOLDER));
    }
}
