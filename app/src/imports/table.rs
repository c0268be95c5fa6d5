//! Reads an uploaded file into rows of text: xlsx, xls and ods through calamine, CSV (UTF-8, with
//! or without a byte order mark, comma, semicolon or tab separated, quoted cells with line
//! breaks) by [`super::csv`]. The kind is told by the bytes, not the file's name. Every
//! failure is a sentence for the person who chose the file; no input makes this panic. xlsx is
//! read cell by cell, so its memory follows its filled cells; .ods and .xls are read whole by
//! calamine, which bounds them (100 million cells, 65,536 × 256).

use calamine::{DataType, Reader};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// A sheet as text: its header row and the rows below it that hold anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The row number a spreadsheet program shows for it (1 for the first row of the sheet).
    pub number: usize,
    pub cells: Vec<String>,
}

/// A spreadsheet's parts may unpack to at most this much in all...
const MAX_UNPACKED: u64 = 1024 * 1024 * 1024;
/// ...and each part to at most this many times its packed size. Spreadsheet XML packs about
/// ten to one; zip bombs pack thousands to one.
const MAX_RATIO: u64 = 250;
/// Columns past this one are never read: no import has nearly as many.
const MAX_COLUMNS: u32 = 256;

/// Reads the first sheet of `bytes`, the file a person named `file_name`.
pub fn read(bytes: &[u8], file_name: &str) -> Result<Table, String> {
    if bytes.is_empty() {
        return Err(format!("'{file_name}' is empty."));
    }
    // The spreadsheet readers are another project's code, and a damaged file has made one panic
    // (a workbook whose dimension ends before it starts: an overflowing subtraction). A panic in
    // them is a file that cannot be read, not a failed import.
    std::panic::catch_unwind(|| read_unchecked(bytes, file_name)).unwrap_or_else(|_| {
        Err(format!(
            "'{file_name}' could not be read: it is damaged. Open it in your spreadsheet program and save it again, or save it as CSV."
        ))
    })
}

fn read_unchecked(bytes: &[u8], file_name: &str) -> Result<Table, String> {
    let rows = if bytes.starts_with(b"PK\x03\x04") {
        read_zipped(bytes, file_name)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        let what = "an Excel 97–2003 (.xls) workbook";
        let cells = super::grid::xls_cells(bytes)
            .ok_or_else(|| unreadable(file_name, what, &"its workbook stream is missing or damaged"))?;
        too_many_cells(cells, file_name)?;
        let workbook = calamine::Xls::new(Cursor::new(bytes)).map_err(|e| unreadable(file_name, what, &e))?;
        first_sheet(workbook, file_name)?
    } else {
        super::csv::read_csv(bytes, file_name)?
    };
    into_table(rows, file_name)
}

/// Refuses a sheet whose grid would have more than [`super::grid::MOST_CELLS`] cells.
fn too_many_cells(cells: u64, file_name: &str) -> Result<(), String> {
    if cells > super::grid::MOST_CELLS {
        return Err(format!(
            "'{file_name}' describes a sheet of {cells} cells, far more than an import reads (at most {}): \
             it may be damaged, or built to do harm. It was not read. Save it again with only the rows to import, or as CSV.",
            super::grid::MOST_CELLS
        ));
    }
    Ok(())
}

fn unreadable(file_name: &str, what: &str, error: &dyn std::fmt::Display) -> String {
    format!("'{file_name}' looks like {what} but could not be read ({error}). Open it in your spreadsheet program and save it again, or save it as CSV.")
}

/// An xlsx or ods file: a zip archive, checked to unpack to a sane size before it is read.
fn read_zipped(bytes: &[u8], file_name: &str) -> Result<Vec<Row>, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| unreadable(file_name, "a spreadsheet (a zip archive)", &e))?;
    let mut unpacked: u64 = 0;
    let mut is_ods = false;
    let mut is_xlsx = false;
    let mut shared_strings_size = 0;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|e| unreadable(file_name, "a spreadsheet (a zip archive)", &e))?;
        unpacked = unpacked.saturating_add(entry.size());
        if entry.size() > 64 * 1024 && entry.size() / entry.compressed_size().max(1) > MAX_RATIO
            || unpacked > MAX_UNPACKED
        {
            return Err(format!(
                "'{file_name}' would unpack to far more than a spreadsheet of its size holds: it may be damaged, or built to do harm (a \"zip bomb\"). It was not read."
            ));
        }
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        is_xlsx |= name == "xl/workbook.xml";
        if name == "xl/sharedStrings.xml" {
            shared_strings_size = entry.size();
        }
        is_ods |= name == "content.xml";
    }
    if is_ods {
        let mut mimetype = String::new();
        if let Ok(mut entry) = archive.by_name("mimetype") {
            let _ = entry.by_ref().take(200).read_to_string(&mut mimetype);
        }
        if !mimetype.contains("spreadsheet") {
            return Err(format!("'{file_name}' is an OpenDocument file but not a spreadsheet. Upload an .ods, .xlsx or .csv file."));
        }
        let content = archive
            .by_name("content.xml")
            .map_err(|e| unreadable(file_name, "an OpenDocument spreadsheet", &e))?;
        let cells = super::grid::ods_cells(content)
            .map_err(|e| unreadable(file_name, "an OpenDocument spreadsheet", &e))?;
        too_many_cells(cells, file_name)?;
        let workbook = calamine::Ods::new(Cursor::new(bytes))
            .map_err(|e| unreadable(file_name, "an OpenDocument spreadsheet", &e))?;
        return first_sheet(workbook, file_name);
    }
    if !is_xlsx {
        return Err(format!(
            "'{file_name}' is a zip archive but not an Excel workbook. Upload an .xlsx, .xls, .ods or .csv file."
        ));
    }
    // calamine reserves room for as many shared texts as the file claims: the claim is checked
    // against the part's size first, so a small file cannot ask for gigabytes.
    let mut head = String::new();
    if let Ok(mut entry) = archive.by_name("xl/sharedStrings.xml") {
        let _ = entry.by_ref().take(4096).read_to_string(&mut head);
    }
    let claimed = head
        .split_once("uniqueCount=\"")
        .and_then(|(_, rest)| rest.split('"').next())
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0);
    if claimed > shared_strings_size / 5 + 1 {
        return Err(format!(
            "'{file_name}' claims to hold far more text than it does: it may be damaged, or built to do harm. It was not read."
        ));
    }
    let mut workbook = calamine::Xlsx::new(Cursor::new(bytes))
        .map_err(|e| unreadable(file_name, "an Excel workbook", &e))?;
    let Some(sheet) = workbook.sheet_names().first().cloned() else {
        return Err(format!("'{file_name}' has no sheet."));
    };
    // Cell by cell, keeping only filled ones: a sheet with two cells a million rows apart costs
    // two cells, not the grid between them.
    let mut cells = workbook
        .worksheet_cells_reader(&sheet)
        .map_err(|e| unreadable(file_name, "an Excel workbook", &e))?;
    let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| unreadable(file_name, "an Excel workbook", &e))?
    {
        let (row, column) = cell.get_position();
        let text = cell_text(cell.get_value());
        if column >= MAX_COLUMNS || text.is_empty() {
            continue;
        }
        let texts = rows.entry(row).or_default();
        let at = column as usize;
        if texts.len() <= at {
            texts.resize(at + 1, String::new());
        }
        texts[at] = text;
    }
    Ok(rows
        .into_iter()
        .map(|(row, cells)| Row {
            number: row as usize + 1,
            cells,
        })
        .collect())
}

fn first_sheet<R, W>(mut workbook: W, file_name: &str) -> Result<Vec<Row>, String>
where
    R: std::io::Read + std::io::Seek,
    W: calamine::Reader<R>,
    W::Error: std::fmt::Display,
{
    let range = match workbook.worksheet_range_at(0) {
        None => return Err(format!("'{file_name}' has no sheet.")),
        Some(Err(e)) => return Err(unreadable(file_name, "a spreadsheet", &e)),
        Some(Ok(range)) => range,
    };
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            // Cells left of the used range are empty; keeping them keeps column positions.
            let mut texts = vec![String::new(); first_column as usize];
            texts.extend(cells.iter().map(cell_text));
            Row {
                number: first_row as usize + i + 1,
                cells: texts,
            }
        })
        .collect();
    Ok(rows)
}

/// A cell as the person typed it: whole numbers without ".0", dates as YYYY-MM-DD.
fn cell_text(cell: &impl DataType) -> String {
    if let Some(text) = cell
        .get_string()
        .or(cell.get_datetime_iso())
        .or(cell.get_duration_iso())
    {
        text.to_string()
    } else if let Some(number) = cell.get_int() {
        number.to_string()
    } else if let Some(number) = cell.get_float() {
        number.to_string()
    } else if let Some(yes) = cell.get_bool() {
        if yes { "TRUE" } else { "FALSE" }.to_string()
    } else if let Some(date) = cell.get_datetime() {
        date_text(date.as_f64())
    } else if let Some(error) = cell.get_error() {
        format!("#{error:?}")
    } else {
        String::new()
    }
}

/// An Excel serial date (days since 1899-12-30) as YYYY-MM-DD.
fn date_text(serial: f64) -> String {
    if !serial.is_finite() || !(0.0..3_000_000.0).contains(&serial) {
        return serial.to_string();
    }
    let days_since_1970 = serial.floor() as i64 - 25_569;
    crate::domain::CalendarDate::from_ms(days_since_1970 * 86_400_000).to_string()
}

/// The first row with anything in it is the header; empty rows below it are dropped.
fn into_table(rows: Vec<Row>, file_name: &str) -> Result<Table, String> {
    let filled = |row: &Row| row.cells.iter().any(|c| !c.trim().is_empty());
    let mut rows = rows.into_iter().filter(filled);
    let Some(header) = rows.next() else {
        return Err(format!("'{file_name}' has no rows: its first sheet is empty."));
    };
    let rows: Vec<Row> = rows.collect();
    if rows.is_empty() {
        return Err(format!("'{file_name}' has a header row but no rows below it."));
    }
    Ok(Table {
        header: header.cells,
        rows,
    })
}

impl Table {
    /// A table of `header` and `rows` numbered from 2, as below a header row (for tests).
    #[cfg(test)]
    pub fn of(header: Vec<String>, rows: &[&[&str]]) -> Table {
        Table {
            header,
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, cells)| Row {
                    number: i + 2,
                    cells: cells.iter().map(|c| c.to_string()).collect(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(table: &Table) -> Vec<Vec<String>> {
        table.rows.iter().map(|r| r.cells.clone()).collect()
    }

    #[test]
    fn empty_files_and_header_only_files_are_told_apart() {
        assert!(read(b"", "e.csv").unwrap_err().contains("is empty"));
        assert!(read(b"\n,,\n", "e.csv").unwrap_err().contains("no rows"));
        assert!(read(b"Company name\n", "e.csv")
            .unwrap_err()
            .contains("no rows below"));
    }

    #[test]
    fn a_zip_that_is_not_a_workbook_is_refused() {
        let mut bytes = Vec::new();
        {
            let mut zip = zip::ZipWriter::new(Cursor::new(&mut bytes));
            zip.start_file("readme.txt", zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut zip, b"hello").unwrap();
            zip.finish().unwrap();
        }
        let error = read(&bytes, "x.xlsx").unwrap_err();
        assert!(error.contains("not an Excel workbook"), "{error}");
    }

    #[test]
    fn a_zip_bomb_is_refused_before_it_is_unpacked() {
        let mut bytes = Vec::new();
        {
            let mut zip = zip::ZipWriter::new(Cursor::new(&mut bytes));
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .large_file(true);
            zip.start_file("xl/workbook.xml", options).unwrap();
            let zeros = vec![0u8; 1024 * 1024];
            for _ in 0..64 {
                std::io::Write::write_all(&mut zip, &zeros).unwrap();
            }
            zip.finish().unwrap();
        }
        assert!(bytes.len() < 1024 * 1024);
        let error = read(&bytes, "bomb.xlsx").unwrap_err();
        assert!(error.contains("zip bomb"), "{error}");
    }

    #[test]
    fn a_truncated_workbook_is_unreadable_not_a_panic() {
        let error = read(b"PK\x03\x04\x14\x00\x00\x00", "cut.xlsx").unwrap_err();
        assert!(error.contains("could not be read"), "{error}");
    }

    #[test]
    fn serial_dates_become_iso_dates() {
        assert_eq!(date_text(45_658.0), "2025-01-01");
        assert_eq!(date_text(25_569.5), "1970-01-01");
    }

    proptest::proptest! {
        #[test]
        fn no_bytes_make_the_reader_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048)) {
            let _ = read(&bytes, "any.csv");
        }

        #[test]
        fn no_text_makes_the_csv_reader_panic(text in "[a-z,;\"\\t\\r\\n ]{0,400}") {
            let _ = read(text.as_bytes(), "any.csv");
        }

        #[test]
        fn no_damage_to_a_zip_makes_the_reader_panic(at in 0usize..4096, byte in proptest::prelude::any::<u8>()) {
            let mut bytes = tiny_workbook();
            let at = at % bytes.len();
            bytes[at] = byte;
            let _ = read(&bytes, "damaged.xlsx");
        }
    }

    fn tiny_workbook() -> Vec<u8> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "Company name").unwrap();
        sheet.write_string(1, 0, "Acme").unwrap();
        workbook.save_to_buffer().unwrap()
    }

    /// The same three customers, saved by LibreOffice Calc as xlsx, ods and xls, and by Excel as
    /// "CSV UTF-8" with semicolons (as in European locales).
    #[test]
    fn files_written_by_libreoffice_and_excel_read_alike() {
        let files: [(&str, &[u8]); 4] = [
            (
                "libreoffice-customers.xlsx",
                include_bytes!("../../tests/fixtures/libreoffice-customers.xlsx"),
            ),
            (
                "libreoffice-customers.ods",
                include_bytes!("../../tests/fixtures/libreoffice-customers.ods"),
            ),
            (
                "libreoffice-customers.xls",
                include_bytes!("../../tests/fixtures/libreoffice-customers.xls"),
            ),
            (
                "excel-utf8-semicolons.csv",
                include_bytes!("../../tests/fixtures/excel-utf8-semicolons.csv"),
            ),
        ];
        for (name, bytes) in files {
            let table = read(bytes, name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(
                table.header[0].starts_with("Company name"),
                "{name}: {:?}",
                table.header
            );
            assert_eq!(table.header.len(), 13, "{name}");
            assert_eq!(table.rows.len(), 3, "{name}");
            let first = &table.rows[0];
            assert_eq!(first.number, 2, "{name}");
            assert_eq!(first.cells[0], "Café Zürich", "{name}");
            assert_eq!(
                first.cells[2].replace("\r\n", "\n"),
                "Bahnhofstrasse 1\nPostfach",
                "{name}"
            );
            assert_eq!(first.cells[5], "8001", "{name}");
            assert_eq!(table.rows[1].cells[7], "+1 503 555 0100", "{name}");
            assert_eq!(table.rows[2].cells[11], "jo@", "{name}");
        }
    }

    #[test]
    fn cells_far_apart_cost_only_themselves() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "Company name").unwrap();
        sheet.write_string(1, 0, "Acme").unwrap();
        sheet.write_string(1_048_575, 16_383, "far away").unwrap();
        sheet.write_string(1_048_575, 1, "last row").unwrap();
        let table = read(&workbook.save_to_buffer().unwrap(), "far.xlsx").unwrap();
        assert_eq!(
            cells(&table),
            vec![vec!["Acme".to_string()], vec![String::new(), "last row".into()]]
        );
        assert_eq!(table.rows[1].number, 1_048_576);
    }

    #[test]
    fn a_workbook_claiming_more_text_than_it_holds_is_refused() {
        let mut bytes = Vec::new();
        {
            let mut zip = zip::ZipWriter::new(Cursor::new(&mut bytes));
            let options = zip::write::SimpleFileOptions::default();
            zip.start_file("xl/workbook.xml", options).unwrap();
            std::io::Write::write_all(&mut zip, b"<workbook/>").unwrap();
            zip.start_file("xl/sharedStrings.xml", options).unwrap();
            std::io::Write::write_all(
                &mut zip,
                b"<sst uniqueCount=\"10000000000\"><si><t>a</t></si></sst>",
            )
            .unwrap();
            zip.finish().unwrap();
        }
        let error = read(&bytes, "claims.xlsx").unwrap_err();
        assert!(error.contains("claims to hold far more text"), "{error}");
    }

    #[test]
    fn a_workbook_written_by_rust_xlsxwriter_reads_back() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(2, 1, "Company name").unwrap();
        sheet.write_string(2, 2, "Postal code").unwrap();
        sheet.write_string(3, 1, "Acme").unwrap();
        sheet.write_number(3, 2, 97201.0).unwrap();
        sheet.write_string(5, 1, "Beta").unwrap();
        sheet.write_number(5, 2, 1.5).unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let table = read(&bytes, "w.xlsx").unwrap();
        assert_eq!(table.header, vec!["", "Company name", "Postal code"]);
        assert_eq!(
            cells(&table),
            vec![vec!["", "Acme", "97201"], vec!["", "Beta", "1.5"]]
        );
        assert_eq!(table.rows[1].number, 6);
    }
}
