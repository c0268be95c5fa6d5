//! A visitor's sign-up at /portal/register, as typed.

use super::text::optional;
use super::{ContactInput, Password, ValidContact};
use crate::error::FieldErrors;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationInput {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub password: String,
    pub confirm: String,
    pub business_name: String,
}

pub struct ValidRegistration {
    pub contact: ValidContact,
    pub password: Password,
    /// `None`: an individual customer, named after the person.
    pub business_name: Option<String>,
}

impl ValidRegistration {
    /// The name the new customer gets.
    pub fn customer_name(&self) -> String {
        self.business_name
            .clone()
            .unwrap_or_else(|| self.contact.full_name())
    }
}

impl RegistrationInput {
    /// `personal_allowed`: the supplier also takes individuals, so a business name may be left out.
    pub fn parse(&self, personal_allowed: bool) -> Result<ValidRegistration, FieldErrors> {
        let contact = ContactInput {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            ..ContactInput::default()
        }
        .parse();
        let (contact, mut errors) = match contact {
            Ok(contact) => (Some(contact), FieldErrors::new()),
            Err(errors) => (None, errors),
        };
        let password = errors.check("password", Password::parse(&self.password));
        if password.is_some() && self.confirm != self.password {
            errors.add(
                "confirm",
                "The two passwords differ: type the same password twice.",
            );
        }
        let business_name = errors.check(
            "business_name",
            optional(&self.business_name, "Business name", 200).and_then(|name| match name {
                None if !personal_allowed => {
                    Err("Business name is required: accounts are for businesses only.".to_string())
                }
                name => Ok(name),
            }),
        );
        match (contact, password, business_name) {
            (Some(contact), Some(password), Some(business_name)) if errors.is_empty() => {
                Ok(ValidRegistration {
                    contact,
                    password,
                    business_name,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> RegistrationInput {
        RegistrationInput {
            first_name: "Rae".into(),
            last_name: "Newman".into(),
            email: "rae@new-cafe.example".into(),
            password: "a long enough password".into(),
            confirm: "a long enough password".into(),
            business_name: String::new(),
        }
    }

    #[test]
    fn a_business_name_is_required_unless_individuals_may_register() {
        let errors = input().parse(false).err().expect("refused");
        assert_eq!(
            errors.get("business_name"),
            Some("Business name is required: accounts are for businesses only.")
        );
        let individual = input().parse(true).expect("an individual");
        assert_eq!(individual.customer_name(), "Rae Newman");
        let business = RegistrationInput {
            business_name: " New Cafe ".into(),
            ..input()
        }
        .parse(false)
        .expect("a business");
        assert_eq!(business.customer_name(), "New Cafe");
    }

    #[test]
    fn every_field_is_checked_at_once() {
        let errors = RegistrationInput {
            first_name: "".into(),
            email: "rae@".into(),
            password: "short".into(),
            confirm: "other".into(),
            ..input()
        }
        .parse(true)
        .err()
        .expect("refused");
        assert!(errors.get("first_name").is_some());
        assert!(errors.get("email").is_some());
        assert!(errors.get("password").unwrap().contains("at least 10"));
        // A password too short is told once, not also as a mismatch.
        assert!(errors.get("confirm").is_none());
        let mismatch = RegistrationInput {
            confirm: "a long enough passwort".into(),
            ..input()
        }
        .parse(true)
        .err()
        .expect("refused");
        assert!(mismatch.get("confirm").unwrap().contains("differ"));
    }
}
