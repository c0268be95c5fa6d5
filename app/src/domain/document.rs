//! Document types, documents and the files behind them: what may be uploaded, and when a
//! document stops being valid.

use super::date::CalendarDate;
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

/// Uploaded files are named by 32 random hex digits.
pub fn file_id(raw: &str) -> Result<String, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err("Choose a file to upload.".into());
    }
    if value.len() != 32 || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("The uploaded file was not found. Upload it again.".into());
    }
    Ok(value.to_ascii_lowercase())
}

/// Why a file is uploaded, which decides what it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FilePurpose {
    Document,
    Logo,
}

impl FilePurpose {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "document" => Some(FilePurpose::Document),
            "logo" => Some(FilePurpose::Logo),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            FilePurpose::Document => "document",
            FilePurpose::Logo => "logo",
        }
    }

    pub fn max_bytes(self) -> u64 {
        match self {
            FilePurpose::Document => 25 * 1024 * 1024,
            FilePurpose::Logo => 2 * 1024 * 1024,
        }
    }

    /// The kinds accepted, by file name extension, with the content type they are served as.
    fn kinds(self) -> &'static [(&'static str, &'static str)] {
        match self {
            FilePurpose::Document => &[
                ("pdf", "application/pdf"),
                ("png", "image/png"),
                ("jpg", "image/jpeg"),
                ("jpeg", "image/jpeg"),
                ("gif", "image/gif"),
                ("webp", "image/webp"),
                ("tif", "image/tiff"),
                ("tiff", "image/tiff"),
                ("doc", "application/msword"),
                (
                    "docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                ),
                ("xls", "application/vnd.ms-excel"),
                (
                    "xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                ("odt", "application/vnd.oasis.opendocument.text"),
                ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
                ("txt", "text/plain; charset=utf-8"),
                ("csv", "text/csv; charset=utf-8"),
            ],
            FilePurpose::Logo => &[
                ("png", "image/png"),
                ("jpg", "image/jpeg"),
                ("jpeg", "image/jpeg"),
                ("svg", "image/svg+xml"),
                ("webp", "image/webp"),
            ],
        }
    }

    /// What a person is told when a file is refused.
    pub fn accepted(self) -> &'static str {
        match self {
            FilePurpose::Document => {
                "PDF, images (PNG, JPEG, GIF, WebP, TIFF), Word, Excel, OpenDocument, text or CSV files"
            }
            FilePurpose::Logo => "PNG, JPEG, SVG or WebP images",
        }
    }

    /// The `accept` attribute of the file input.
    pub fn accept_attribute(self) -> String {
        self.kinds()
            .iter()
            .map(|(ext, _)| format!(".{ext}"))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Checks a file's name and size before its bytes are read; gives its content type.
    pub fn check(self, file_name: &str, size: Option<u64>) -> Result<&'static str, String> {
        let name = file_name.trim();
        if name.is_empty() || name.len() > 255 || name.chars().any(char::is_control) {
            return Err("The file needs a name of at most 255 characters.".into());
        }
        let extension = name
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase())
            .unwrap_or_default();
        let Some((_, content_type)) = self.kinds().iter().find(|(ext, _)| *ext == extension) else {
            return Err(format!(
                "'{name}' cannot be uploaded here: only {} are accepted.",
                self.accepted()
            ));
        };
        if let Some(size) = size {
            if size == 0 {
                return Err(format!("'{name}' is empty."));
            }
            if size > self.max_bytes() {
                return Err(too_large(name, self.max_bytes()));
            }
        }
        Ok(content_type)
    }
}

pub fn too_large(name: &str, max: u64) -> String {
    format!(
        "'{name}' is larger than {} MB, the most that can be uploaded here.",
        max / (1024 * 1024)
    )
}

/// Whether the first bytes of a file fit its content type, so a renamed program or page is not
/// stored as a PDF or an image. Text files are only checked on the server to hold no NUL bytes.
pub fn content_fits(content_type: &str, head: &[u8]) -> bool {
    let starts = |magic: &[u8]| head.starts_with(magic);
    match content_type {
        "application/pdf" => starts(b"%PDF-"),
        "image/png" => starts(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg" => starts(b"\xff\xd8\xff"),
        "image/gif" => starts(b"GIF87a") || starts(b"GIF89a"),
        "image/webp" => starts(b"RIFF") && head.get(8..12) == Some(b"WEBP"),
        "image/tiff" => starts(b"II*\0") || starts(b"MM\0*"),
        // Zip containers: Office Open XML and OpenDocument.
        t if t.starts_with("application/vnd.openxmlformats") || t.starts_with("application/vnd.oasis") => {
            starts(b"PK\x03\x04")
        }
        // OLE compound files: Word 97 and Excel 97.
        "application/msword" | "application/vnd.ms-excel" => starts(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
        "image/svg+xml" => {
            let text = String::from_utf8_lossy(head).to_lowercase();
            text.contains("<svg")
        }
        _ => true,
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
    fn files_are_accepted_by_kind_and_size() {
        let doc = FilePurpose::Document;
        assert_eq!(doc.check("Audit 2026.PDF", Some(1000)), Ok("application/pdf"));
        assert!(doc.check("setup.exe", Some(10)).unwrap_err().contains("only PDF"));
        assert!(doc
            .check("big.pdf", Some(25 * 1024 * 1024 + 1))
            .unwrap_err()
            .contains("larger than 25 MB"));
        assert!(doc.check("empty.pdf", Some(0)).unwrap_err().contains("empty"));
        assert!(FilePurpose::Logo.check("logo.pdf", Some(10)).is_err());
        assert_eq!(FilePurpose::Logo.check("logo.svg", Some(10)), Ok("image/svg+xml"));
        assert!(FilePurpose::Logo
            .check("logo.png", Some(3 * 1024 * 1024))
            .unwrap_err()
            .contains("2 MB"));
    }

    #[test]
    fn content_must_fit_its_name() {
        assert!(content_fits("application/pdf", b"%PDF-1.7\n"));
        assert!(!content_fits("application/pdf", b"MZ\x90\0"));
        assert!(content_fits("image/png", b"\x89PNG\r\n\x1a\n...."));
        assert!(!content_fits("image/svg+xml", b"<html><script>"));
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
