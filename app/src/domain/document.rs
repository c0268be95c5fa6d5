//! Document types, documents and the files behind them: what may be uploaded, and when a
//! document stops being valid.

use super::date::CalendarDate;
use super::file::file_id;
use super::listing::{description, first_error};
use super::text::required;
use crate::error::FieldErrors;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a document type's documents are attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Level {
    Location,
    Item,
}

impl Level {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim() {
            "location" => Ok(Level::Location),
            "item" => Ok(Level::Item),
            _ => Err("Choose whether documents of this type belong to a location or an item.".into()),
        }
    }

    /// The stored form, also the form value.
    pub fn key(self) -> &'static str {
        match self {
            Level::Location => "location",
            Level::Item => "item",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Location => "Location",
            Level::Item => "Item",
        })
    }
}

/// The document type form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentTypeInput {
    pub name: String,
    pub level: String,
    pub description: String,
    pub validity_days: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDocumentType {
    pub name: String,
    pub level: Level,
    pub description: Option<String>,
    pub validity_days: Option<i64>,
}

impl ValidDocumentType {
    /// Names are unique per level, ignoring case.
    pub fn name_key(&self) -> String {
        self.name.to_lowercase()
    }
}

/// Days a document stays valid: a whole number from 1 to 3650 (ten years), or blank for none.
pub fn validity_days(raw: &str) -> Result<Option<i64>, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    match value.parse::<i64>() {
        Ok(days) if (1..=3650).contains(&days) => Ok(Some(days)),
        _ => Err(format!(
            "Valid for '{value}' days: give a whole number of days from 1 to 3650, or leave it blank."
        )),
    }
}

impl DocumentTypeInput {
    pub fn parse(&self) -> Result<ValidDocumentType, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", required(&self.name, "Name", 100));
        let level = errors.check("level", Level::parse(&self.level));
        let description = errors.check("description", description(&self.description));
        let validity_days = errors.check("validity_days", validity_days(&self.validity_days));
        match (name, level, description, validity_days) {
            (Some(name), Some(level), Some(description), Some(validity_days)) => Ok(ValidDocumentType {
                name,
                level,
                description,
                validity_days,
            }),
            _ => Err(errors),
        }
    }

    pub fn check_field(field: &str, value: &str) -> Result<(), String> {
        let mut input = DocumentTypeInput {
            level: "location".into(),
            ..Default::default()
        };
        let slot = match field {
            "name" => &mut input.name,
            "description" => &mut input.description,
            "validity_days" => &mut input.validity_days,
            _ => return Ok(()),
        };
        *slot = value.into();
        first_error(input.parse().err(), field)
    }
}

/// Where a document stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentStatus {
    Valid,
    /// Expires within [`EXPIRING_WITHIN_DAYS`] days.
    Expiring,
    Expired,
}

/// A document this close to its expiry date is flagged as expiring.
pub const EXPIRING_WITHIN_DAYS: i64 = 30;

impl DocumentStatus {
    /// A document is valid through its expiry date and expired the day after.
    pub fn on(today: CalendarDate, expires_on: CalendarDate) -> Self {
        if expires_on < today {
            DocumentStatus::Expired
        } else if expires_on.days() - today.days() <= EXPIRING_WITHIN_DAYS {
            DocumentStatus::Expiring
        } else {
            DocumentStatus::Valid
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DocumentStatus::Valid => "Valid",
            DocumentStatus::Expiring => "Expiring soon",
            DocumentStatus::Expired => "Expired",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            DocumentStatus::Valid => "status valid",
            DocumentStatus::Expiring => "status expiring",
            DocumentStatus::Expired => "status expired",
        }
    }
}

/// The document form as typed; `file_id` names a file uploaded before the form is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInput {
    pub type_id: String,
    pub title: String,
    pub effective_on: String,
    pub expires_on: String,
    pub file_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDocument {
    pub type_id: i64,
    pub title: String,
    pub effective_on: CalendarDate,
    pub expires_on: CalendarDate,
    pub file_id: String,
}

impl DocumentInput {
    pub fn parse(&self) -> Result<ValidDocument, FieldErrors> {
        let mut errors = FieldErrors::new();
        let type_id = errors.check(
            "type_id",
            self.type_id
                .trim()
                .parse::<i64>()
                .map_err(|_| "Choose a document type.".to_string()),
        );
        let title = errors.check("title", required(&self.title, "Title", 200));
        let effective_on = errors.check(
            "effective_on",
            CalendarDate::parse(&self.effective_on, "Effective date"),
        );
        let expires_on = errors.check("expires_on", CalendarDate::parse(&self.expires_on, "Expiry date"));
        if let (Some(effective), Some(expires)) = (effective_on, expires_on) {
            if expires < effective {
                errors.add(
                    "expires_on",
                    "The expiry date must not be before the effective date.",
                );
            }
        }
        let file_id = errors.check("file", file_id(&self.file_id));
        match (type_id, title, effective_on, expires_on, file_id) {
            (Some(type_id), Some(title), Some(effective_on), Some(expires_on), Some(file_id))
                if errors.is_empty() =>
            {
                Ok(ValidDocument {
                    type_id,
                    title,
                    effective_on,
                    expires_on,
                    file_id,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> CalendarDate {
        CalendarDate::parse(text, "Date").unwrap()
    }

    #[test]
    fn status_follows_the_expiry_date() {
        let today = day("2026-11-25");
        assert_eq!(
            DocumentStatus::on(today, day("2026-11-24")),
            DocumentStatus::Expired
        );
        assert_eq!(
            DocumentStatus::on(today, day("2026-11-25")),
            DocumentStatus::Expiring
        );
        assert_eq!(
            DocumentStatus::on(today, day("2026-12-25")),
            DocumentStatus::Expiring
        );
        assert_eq!(
            DocumentStatus::on(today, day("2026-12-26")),
            DocumentStatus::Valid
        );
    }

    #[test]
    fn a_document_expires_after_it_takes_effect() {
        let input = DocumentInput {
            type_id: "3".into(),
            title: "Audit".into(),
            effective_on: "2026-05-01".into(),
            expires_on: "2026-04-30".into(),
            file_id: "0123456789abcdef0123456789abcdef".into(),
        };
        let errors = input.parse().unwrap_err();
        assert!(errors.get("expires_on").unwrap().contains("not be before"));
        let errors = DocumentInput {
            file_id: "../../etc/passwd".into(),
            ..input.clone()
        }
        .parse()
        .unwrap_err();
        assert!(errors.get("file").unwrap().contains("not found"));
        let valid = DocumentInput {
            expires_on: "2027-05-01".into(),
            ..input
        }
        .parse()
        .unwrap();
        assert_eq!(valid.expires_on.to_string(), "2027-05-01");
    }

    #[test]
    fn validity_is_a_number_of_days_or_blank() {
        assert_eq!(validity_days(""), Ok(None));
        assert_eq!(validity_days("365"), Ok(Some(365)));
        assert!(validity_days("0").is_err());
        assert!(validity_days("1 year").unwrap_err().contains("whole number"));
    }
}
