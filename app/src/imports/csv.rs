//! CSV as spreadsheet programs write it: UTF-8 with or without a byte order mark, comma,
//! semicolon or tab separated, quoted cells holding separators and line breaks.

use super::table::Row;

pub(super) fn read_csv(bytes: &[u8], file_name: &str) -> Result<Vec<Row>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(format!(
            "'{file_name}' is UTF-16 text. Save it as \"CSV UTF-8\" and upload it again."
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "'{file_name}' is neither a spreadsheet nor UTF-8 text (the first bad byte is at position {}). If it is a CSV file, save it as \"CSV UTF-8\"; else upload .xlsx, .xls or .ods.",
            e.valid_up_to() + 1
        )
    })?;
    if text.contains('\0') {
        return Err(format!(
            "'{file_name}' is not a spreadsheet or a CSV file. Upload .xlsx, .xls, .ods or .csv."
        ));
    }
    let rows = split_records(text, separator(text)).map_err(|row| {
        format!("'{file_name}' could not be read as CSV: a quoted cell that starts on row {row} is never closed (a \" is missing).")
    })?;
    // Cells Clientele's own exports escaped against formulas read as they were.
    Ok(rows
        .into_iter()
        .map(|row| Row {
            number: row.number,
            cells: row
                .cells
                .into_iter()
                .map(crate::spreadsheet::csv_unescape)
                .collect(),
        })
        .collect())
}

/// Splits CSV text into rows as RFC 4180 has it: cells quoted with `"` may hold separators,
/// line breaks and doubled quotes; a quote inside an unquoted cell is kept as it is, as
/// spreadsheet programs do. Every line counts as a row, blank ones too, so row numbers are those
/// a spreadsheet program shows. An unclosed quote is an error naming the row it starts on.
fn split_records(text: &str, separator: u8) -> Result<Vec<Row>, usize> {
    let separator = separator as char;
    let mut rows = Vec::new();
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    // Whether the cell began with a quote (only then do quotes mean anything).
    let mut started_quoted = false;
    let mut quote_row = 0;
    let mut chars = text.chars().peekable();
    let end_row = |rows: &mut Vec<Row>, cells: &mut Vec<String>, cell: &mut String| {
        cells.push(std::mem::take(cell));
        rows.push(Row {
            number: rows.len() + 1,
            cells: std::mem::take(cells),
        });
    };
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cell.push('"');
                } else {
                    quoted = false;
                }
            } else {
                cell.push(c);
            }
            continue;
        }
        match c {
            '"' if cell.is_empty() && !started_quoted => {
                quoted = true;
                started_quoted = true;
                quote_row = rows.len() + 1;
            }
            c if c == separator => {
                cells.push(std::mem::take(&mut cell));
                started_quoted = false;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                end_row(&mut rows, &mut cells, &mut cell);
                started_quoted = false;
            }
            c => cell.push(c),
        }
    }
    if quoted {
        return Err(quote_row);
    }
    if !cell.is_empty() || !cells.is_empty() {
        end_row(&mut rows, &mut cells, &mut cell);
    }
    Ok(rows)
}

/// The separator of a CSV file: whichever of comma, semicolon and tab its first line (outside
/// quotes) has most of; comma when it has none.
fn separator(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], usize::from(i == 0)))
        .unwrap_or(0);
    [b',', b';', b'\t'][best]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imports::table::{read, Table};

    fn cells(table: &Table) -> Vec<Vec<String>> {
        table.rows.iter().map(|r| r.cells.clone()).collect()
    }

    #[test]
    fn csv_with_a_byte_order_mark_semicolons_and_line_breaks_in_quotes() {
        let text = "\u{feff}Company name;Street\r\n\"Acme; Inc\";\"1 Main St\nSuite 2\"\r\n\r\nBeta;\"2 \"\"Old\"\" Rd\"\r\n";
        let table = read(text.as_bytes(), "c.csv").unwrap();
        assert_eq!(table.header, vec!["Company name", "Street"]);
        assert_eq!(
            cells(&table),
            vec![
                vec!["Acme; Inc", "1 Main St\nSuite 2"],
                vec!["Beta", "2 \"Old\" Rd"]
            ]
        );
        // Row numbers are those of records, as a spreadsheet program shows them.
        assert_eq!(table.rows[1].number, 4);
    }

    #[test]
    fn csv_separated_by_commas_or_tabs() {
        assert_eq!(separator("a,b;c,d\n"), b',');
        assert_eq!(separator("a;b;c,d\n"), b';');
        assert_eq!(separator("a\tb\tc\n"), b'\t');
        assert_eq!(separator("\"a;b;c\",d\n"), b',');
        assert_eq!(separator("only\n"), b',');
    }

    #[test]
    fn text_that_is_not_utf8_is_refused_with_a_hint() {
        let error = read(b"Company name\nCaf\xe9\n", "latin.csv").unwrap_err();
        assert!(error.contains("CSV UTF-8"), "{error}");
    }

    #[test]
    fn a_binary_file_is_not_taken_for_csv() {
        let error = read(b"GIF89a\0\0\x01", "x.csv").unwrap_err();
        assert!(error.contains("not a spreadsheet"), "{error}");
    }

    #[test]
    fn an_unclosed_quote_names_its_row() {
        let error = read(b"Company name\nAcme\n\"Beta\nGamma\n", "q.csv").unwrap_err();
        assert!(error.contains("starts on row 3 is never closed"), "{error}");
    }

    #[test]
    fn quotes_inside_an_unquoted_cell_are_kept() {
        let table = read(b"Company name,Street\nThe \"Best\" Co,1 Main St\r\n", "q.csv").unwrap();
        assert_eq!(table.rows[0].cells, vec!["The \"Best\" Co", "1 Main St"]);
    }
}
