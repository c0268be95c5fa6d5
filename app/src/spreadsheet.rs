//! Text that spreadsheets open: CSV rows whose cells can never run as formulas.

/// One CSV cell: quoted when it holds a separator, quote or line break; a cell starting with
/// `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` so a spreadsheet shows it as
/// text instead of running it.
pub fn csv_cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// A cell read from CSV with [`csv_cell`]'s escape taken off: `'=1+2` is `=1+2` again, so an
/// exported file imports as it was.
pub fn csv_unescape(mut text: String) -> String {
    if text.starts_with('\'') && text[1..].starts_with(['=', '+', '-', '@', '\t', '\r']) {
        text.remove(0);
    }
    text
}

/// One CSV line (ending in CRLF, as RFC 4180 has it).
pub fn csv_line<S: AsRef<str>>(cells: &[S]) -> String {
    let cells: Vec<String> = cells.iter().map(|c| csv_cell(c.as_ref())).collect();
    format!("{}\r\n", cells.join(","))
}

/// The content type of xlsx workbooks.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// The content type of CSV files.
pub const CSV: &str = "text/csv; charset=utf-8";

/// A download response: `body` as `file_name`, never sniffed into something else.
#[cfg(feature = "ssr")]
pub fn attachment(content_type: &str, file_name: &str, body: Vec<u8>) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                crate::documents::files::content_disposition("attachment", file_name),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_look_like_formulas_stay_text() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1 555"), "'+1 555");
        assert_eq!(csv_cell("@SUM"), "'@SUM");
        assert_eq!(csv_cell("-3"), "'-3");
    }

    #[test]
    fn an_escaped_cell_reads_back_as_it_was() {
        for text in ["=1+2 Foods", "+1 503 555 0100", "-3", "@SUM", "'quoted", "plain"] {
            let cell = csv_cell(text);
            let unquoted = cell.trim_matches('"').replace("\"\"", "\"");
            assert_eq!(csv_unescape(unquoted), text);
        }
    }

    #[test]
    fn separators_quotes_and_line_breaks_are_quoted() {
        assert_eq!(
            csv_line(&["a,b", "say \"hi\"", "two\nlines", "plain"]),
            "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",plain\r\n"
        );
    }
}
