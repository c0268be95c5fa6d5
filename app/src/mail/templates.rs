//! The words of each email, in a plain-text and an HTML part.

use super::LINK_PLACEHOLDER;

/// Subject, plain text and HTML of one email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One shared document as the email lists it.
pub struct SharedLine {
    pub type_name: String,
    pub listing_name: String,
    pub title: String,
    pub expires_on: String,
}

pub(super) fn page(body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><body style=\"font-family: sans-serif; line-height: 1.5; color: #1f2933\">{body}</body></html>"
    )
}

/// "Send Selected Documents": the documents now on the Document Retrieval Site, and the link.
pub fn documents_shared(customer: &str, contact_first_name: &str, lines: &[SharedLine]) -> Content {
    let count = lines.len();
    let noun = if count == 1 { "document" } else { "documents" };
    let subject = format!("{count} {noun} shared with {customer}");
    let mut text =
        format!("Hello {contact_first_name},\n\n{count} {noun} for {customer} are ready for you:\n\n");
    let mut items = String::new();
    for line in lines {
        text.push_str(&format!(
            "- {}: {} ({}), valid until {}\n",
            line.type_name, line.listing_name, line.title, line.expires_on
        ));
        items.push_str(&format!(
            "<li><strong>{}</strong>: {} ({}), valid until {}</li>",
            escape_html(&line.type_name),
            escape_html(&line.listing_name),
            escape_html(&line.title),
            escape_html(&line.expires_on)
        ));
    }
    text.push_str(&format!(
        "\nOpen them on the Document Retrieval Site:\n{LINK_PLACEHOLDER}\n\n\
         The link works for 14 days. On your first visit you choose a password; after that you sign in with your email.\n"
    ));
    let html = page(&format!(
        "<p>Hello {},</p><p>{count} {noun} for {} are ready for you:</p><ul>{items}</ul>\
         <p><a href=\"{LINK_PLACEHOLDER}\">Open them on the Document Retrieval Site</a></p>\
         <p style=\"color: #52606d\">The link works for 14 days. On your first visit you choose a password; \
         after that you sign in with your email.</p>",
        escape_html(contact_first_name),
        escape_html(customer)
    ));
    Content { subject, text, html }
}

/// A new link for a contact whose link expired.
pub fn new_link(contact_first_name: &str) -> Content {
    let subject = "Your new link to the Document Retrieval Site".to_string();
    let text = format!(
        "Hello {contact_first_name},\n\nHere is a new link to the documents shared with you:\n{LINK_PLACEHOLDER}\n\n\
         It works for 14 days.\n"
    );
    let html = page(&format!(
        "<p>Hello {},</p><p><a href=\"{LINK_PLACEHOLDER}\">Open the documents shared with you</a></p>\
         <p style=\"color: #52606d\">The link works for 14 days.</p>",
        escape_html(contact_first_name)
    ));
    Content { subject, text, html }
}

/// "Forgot your password?": the link to choose a new one.
pub fn password_reset(first_name: &str, minutes: i64) -> Content {
    let subject = "Choose a new password for Clientele".to_string();
    let text = format!(
        "Hello {first_name},\n\nSomeone, probably you, asked to reset your password. Choose a new one here:\n\
         {LINK_PLACEHOLDER}\n\nThe link works once, for {minutes} minutes. If you did not ask, ignore this \
         email: your password stays as it is.\n"
    );
    let html = page(&format!(
        "<p>Hello {},</p><p>Someone, probably you, asked to reset your password.</p>\
         <p><a href=\"{LINK_PLACEHOLDER}\">Choose a new password</a></p>\
         <p style=\"color: #52606d\">The link works once, for {minutes} minutes. If you did not ask, ignore \
         this email: your password stays as it is.</p>",
        escape_html(first_name)
    ));
    Content { subject, text, html }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_the_html_part_cannot_inject_markup() {
        let content = documents_shared(
            "<script>x</script> & Co",
            "Ana",
            &[SharedLine {
                type_name: "HACCP Plan".into(),
                listing_name: "Plant \"A\"".into(),
                title: "Plan 2026".into(),
                expires_on: "2027-01-31".into(),
            }],
        );
        assert_eq!(content.subject, "1 document shared with <script>x</script> & Co");
        assert!(content.html.contains("&lt;script&gt;x&lt;/script&gt; &amp; Co"));
        assert!(!content.html.contains("<script>"));
        assert!(content.html.contains("Plant &quot;A&quot;"));
        assert!(content
            .text
            .contains("- HACCP Plan: Plant \"A\" (Plan 2026), valid until 2027-01-31"));
        assert!(content.text.contains(LINK_PLACEHOLDER) && content.html.contains(LINK_PLACEHOLDER));
    }
}
