use serde::{Deserialize, Serialize};
use std::fmt;

/// Trims `raw` and checks it is present and not longer than `max` characters.
pub(crate) fn required(raw: &str, what: &str, max: usize) -> Result<String, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(format!("{what} is required."));
    }
    optional(value, what, max).map(|v| v.unwrap_or_default())
}

/// Trims `raw`; empty means absent. Rejects control characters and overlong values.
pub(crate) fn optional(raw: &str, what: &str, max: usize) -> Result<Option<String>, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().count() > max {
        return Err(format!("{what} must be at most {max} characters."));
    }
    if value.chars().any(char::is_control) {
        return Err(format!(
            "{what} must not contain line breaks or control characters."
        ));
    }
    Ok(Some(value.to_string()))
}

/// One line of text that must be given: trimmed, at most `max` characters, no control
/// characters.
pub fn required_line(raw: &str, what: &str, max: usize) -> Result<String, String> {
    required(raw, what, max)
}

/// Text of several lines that must be given (a note, a reason): trimmed, at most `max`
/// characters, line breaks and tabs allowed but no other control characters.
pub fn required_text(raw: &str, what: &str, max: usize) -> Result<String, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(format!("{what} is required."));
    }
    if value.chars().count() > max {
        return Err(format!("{what} must be at most {max} characters."));
    }
    if value.chars().any(|c| c.is_control() && !"\n\r\t".contains(c)) {
        return Err(format!("{what} must not contain control characters."));
    }
    Ok(value.to_string())
}

/// A person's full name, as staff users give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        required(raw, "Name", 100).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a staff user may do: an Admin everything, Staff all but settings, users and restores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Admin,
    Staff,
}

impl Role {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "admin" => Ok(Role::Admin),
            "staff" => Ok(Role::Staff),
            _ => Err("Role must be Admin or Staff.".into()),
        }
    }

    /// The stored form, also used as form values.
    pub fn key(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Admin => "Admin",
            Role::Staff => "Staff",
        })
    }
}

/// What a contact may do in the portal for one customer: a Buyer orders; a Viewer sees documents
/// and order history only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContactRole {
    Buyer,
    Viewer,
}

impl ContactRole {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "buyer" => Ok(ContactRole::Buyer),
            "viewer" => Ok(ContactRole::Viewer),
            _ => Err("Role must be Buyer or Viewer.".into()),
        }
    }

    /// The stored form, also used as form values.
    pub fn key(self) -> &'static str {
        match self {
            ContactRole::Buyer => "buyer",
            ContactRole::Viewer => "viewer",
        }
    }
}

impl fmt::Display for ContactRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ContactRole::Buyer => "Buyer",
            ContactRole::Viewer => "Viewer",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_role_is_buyer_or_viewer() {
        assert_eq!(ContactRole::parse(" Viewer ").unwrap(), ContactRole::Viewer);
        assert_eq!(
            ContactRole::parse(ContactRole::Buyer.key()).unwrap(),
            ContactRole::Buyer
        );
        assert_eq!(
            ContactRole::parse("owner").unwrap_err(),
            "Role must be Buyer or Viewer."
        );
    }

    #[test]
    fn required_text_is_trimmed_and_must_be_present() {
        assert_eq!(required("  Acme  ", "Name", 10).unwrap(), "Acme");
        assert_eq!(required("   ", "Name", 10).unwrap_err(), "Name is required.");
    }

    #[test]
    fn overlong_and_control_characters_are_refused() {
        assert_eq!(
            optional("abcdef", "City", 5).unwrap_err(),
            "City must be at most 5 characters."
        );
        assert!(optional("a\u{0}b", "City", 5).is_err());
        assert_eq!(optional("", "City", 5).unwrap(), None);
    }

    #[test]
    fn role_parses_its_own_keys_only() {
        assert_eq!(Role::parse("Admin").unwrap(), Role::Admin);
        assert_eq!(Role::parse(Role::Staff.key()).unwrap(), Role::Staff);
        assert!(Role::parse("owner").is_err());
    }
}
