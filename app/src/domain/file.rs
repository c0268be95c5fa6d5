//! Uploaded files: what may be uploaded for which purpose, how large, and whether a file's first
//! bytes fit its name.

use serde::{Deserialize, Serialize};

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
    /// A spreadsheet of customers or contacts to import.
    Import,
}

impl FilePurpose {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "document" => Some(FilePurpose::Document),
            "logo" => Some(FilePurpose::Logo),
            "import" => Some(FilePurpose::Import),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            FilePurpose::Document => "document",
            FilePurpose::Logo => "logo",
            FilePurpose::Import => "import",
        }
    }

    pub fn max_bytes(self) -> u64 {
        match self {
            FilePurpose::Document => 25 * 1024 * 1024,
            FilePurpose::Logo => 2 * 1024 * 1024,
            FilePurpose::Import => 50 * 1024 * 1024,
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
            FilePurpose::Import => &[
                (
                    "xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                ("xls", "application/vnd.ms-excel"),
                ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
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
            FilePurpose::Import => "Excel (.xlsx, .xls), OpenDocument (.ods) or CSV files",
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
}
