//! A customer's contact person, as staff type them in.

use super::contact_details::{Email, Phone};
use super::listing::first_error;
use super::text::{optional, required};
use crate::error::FieldErrors;
use serde::{Deserialize, Serialize};

/// The contact form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactInput {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub job_title: String,
}

/// A contact that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidContact {
    pub first_name: String,
    pub last_name: String,
    /// Unique among contacts, compared ignoring case ([`Email::key`]).
    pub email: Email,
    pub phone: Option<Phone>,
    pub job_title: Option<String>,
}

impl ValidContact {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

impl ContactInput {
    pub fn parse(&self) -> Result<ValidContact, FieldErrors> {
        let mut errors = FieldErrors::new();
        let first_name = errors.check("first_name", required(&self.first_name, "First name", 100));
        let last_name = errors.check("last_name", required(&self.last_name, "Last name", 100));
        let email = errors.check("email", Email::parse(&self.email));
        let phone = errors.check("phone", Phone::parse_optional(&self.phone));
        let job_title = errors.check("job_title", optional(&self.job_title, "Job title", 100));
        match (first_name, last_name, email, phone, job_title) {
            (Some(first_name), Some(last_name), Some(email), Some(phone), Some(job_title)) => {
                Ok(ValidContact {
                    first_name,
                    last_name,
                    email,
                    phone,
                    job_title,
                })
            }
            _ => Err(errors),
        }
    }

    /// The message for one field as the user leaves it, the same the server would give.
    pub fn check_field(field: &str, value: &str) -> Result<(), String> {
        let mut input = ContactInput::default();
        let slot = match field {
            "first_name" => &mut input.first_name,
            "last_name" => &mut input.last_name,
            "email" => &mut input.email,
            "phone" => &mut input.phone,
            "job_title" => &mut input.job_title,
            _ => return Ok(()),
        };
        *slot = value.into();
        first_error(input.parse().err(), field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ContactInput {
        ContactInput {
            first_name: " Ana ".into(),
            last_name: "Lima".into(),
            email: "Ana.Lima@Example.com".into(),
            phone: "".into(),
            job_title: "Quality Manager".into(),
        }
    }

    #[test]
    fn a_contact_keeps_its_email_as_typed_and_looks_it_up_ignoring_case() {
        let contact = input().parse().unwrap();
        assert_eq!(contact.first_name, "Ana");
        assert_eq!(contact.email.as_str(), "Ana.Lima@Example.com");
        assert_eq!(contact.email.key(), "ana.lima@example.com");
        assert_eq!(contact.phone, None);
        assert_eq!(contact.full_name(), "Ana Lima");
    }

    #[test]
    fn each_bad_field_is_named() {
        let errors = ContactInput {
            first_name: "".into(),
            email: "jo@".into(),
            phone: "12".into(),
            ..input()
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.get("first_name"), Some("First name is required."));
        assert_eq!(errors.get("email"), Some("'jo@' is not an email address."));
        assert!(errors.get("phone").is_some());
        assert_eq!(errors.get("last_name"), None);
        assert_eq!(
            ContactInput::check_field("last_name", ""),
            Err("Last name is required.".into())
        );
    }
}
