//! How big a grid a spreadsheet reader would build, found before it builds it. The readers of
//! .ods and .xls files make the whole sheet as one rectangle of cells, from the first filled row
//! to the last and as wide as the widest: a small file that repeats one cell a million times, or
//! fills two cells far apart, would make one import take gigabytes. The size is found from the
//! file itself first, reading nothing into cells.

use std::io::Read;

/// The most cells a sheet's grid may have: a 100,000-row import of 40 columns, about 130 MB.
pub const MOST_CELLS: u64 = 4_000_000;

/// One sheet of an OpenDocument `content.xml`, as its rows go by.
#[derive(Debug, Default)]
struct OdsSheet {
    /// Rows read so far, counting repeats.
    rows: u64,
    /// Rows up to and including the last one with a filled cell.
    filled_rows: u64,
    /// The widest filled row: its columns up to and including its last filled cell.
    width: u64,
    /// This row's columns so far, and up to its last filled cell.
    column: u64,
    row_width: u64,
    row_repeats: u64,
}

impl OdsSheet {
    fn cells(&self) -> u64 {
        self.filled_rows.saturating_mul(self.width)
    }

    fn end_row(&mut self) {
        self.rows = self.rows.saturating_add(self.row_repeats);
        if self.row_width > 0 {
            self.filled_rows = self.rows;
            self.width = self.width.max(self.row_width);
        }
    }
}

/// The cells the .ods reader would make for all the sheets of an OpenDocument spreadsheet's
/// `content.xml`, read as a stream (the part itself may be large) without building anything.
/// A sheet inside another (in a cell's note, say) counts as one more; a cell with a value, a
/// formula or anything inside it is filled. An error when a repeat count is not written as
/// plain digits, which this count could not follow.
pub fn ods_cells(content: impl Read) -> std::io::Result<u64> {
    let mut scanner = TagScanner::new(content);
    let (mut open, mut total): (Vec<OdsSheet>, u64) = (Vec::new(), 0);
    while let Some(tag) = scanner.next_tag()? {
        let self_closed = tag.ends_with('/');
        let name = tag_name(&tag);
        if name == "table:table" && !self_closed {
            open.push(OdsSheet::default());
            continue;
        }
        if name == "/table:table" {
            total = total.saturating_add(open.pop().map_or(0, |sheet| sheet.cells()));
            continue;
        }
        let Some(sheet) = open.last_mut() else {
            continue;
        };
        match name {
            "table:table-row" => {
                sheet.row_repeats = repeats(&tag, "table:number-rows-repeated")?;
                sheet.column = 0;
                sheet.row_width = 0;
                if self_closed {
                    sheet.end_row();
                }
            }
            "/table:table-row" => sheet.end_row(),
            "table:table-cell" | "table:covered-table-cell" => {
                let count = repeats(&tag, "table:number-columns-repeated")?;
                sheet.column = sheet.column.saturating_add(count);
                if tag.contains("office:value-type") || tag.contains("table:formula") || !self_closed {
                    sheet.row_width = sheet.column;
                }
            }
            _ => {}
        }
    }
    Ok(open
        .iter()
        .fold(total, |total, sheet| total.saturating_add(sheet.cells())))
}

fn tag_name(tag: &str) -> &str {
    tag.split(|c: char| c.is_whitespace() || c == '/' && !tag.starts_with('/'))
        .next()
        .unwrap_or_default()
}

/// The number in `attribute = "…"` (or `'…'`) of `tag`, 1 when absent; an error when it is not
/// plain digits (an entity, say).
fn repeats(tag: &str, attribute: &str) -> std::io::Result<u64> {
    let Some((_, rest)) = tag.split_once(attribute) else {
        return Ok(1);
    };
    let rest = rest.trim_start().strip_prefix('=').map(str::trim_start);
    let value = rest.and_then(|rest| {
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        rest[1..].split(quote).next()
    });
    value
        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
        .map(|v| v.parse::<u64>().unwrap_or(u64::MAX))
        .ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{attribute} is not a plain number"),
            )
        })
}

/// The tags of an XML stream, each as the text between `<` and `>` (a `>` inside a quoted
/// attribute value is part of the tag; comments and CDATA sections are skipped whole; text
/// between tags is skipped). A tag longer than 64 KB is cut short: no tag this reader looks at
/// is anywhere near that.
struct TagScanner<R> {
    reader: R,
    buffer: Vec<u8>,
    at: usize,
    filled: usize,
}

impl<R: Read> TagScanner<R> {
    fn new(reader: R) -> Self {
        TagScanner {
            reader,
            buffer: vec![0; 64 * 1024],
            at: 0,
            filled: 0,
        }
    }

    fn next_byte(&mut self) -> std::io::Result<Option<u8>> {
        if self.at == self.filled {
            self.filled = self.reader.read(&mut self.buffer)?;
            self.at = 0;
            if self.filled == 0 {
                return Ok(None);
            }
        }
        self.at += 1;
        Ok(Some(self.buffer[self.at - 1]))
    }

    /// Reads up to and including `end`.
    fn skip_past(&mut self, end: &[u8]) -> std::io::Result<()> {
        let mut recent: Vec<u8> = Vec::with_capacity(end.len());
        while let Some(byte) = self.next_byte()? {
            if recent.len() == end.len() {
                recent.remove(0);
            }
            recent.push(byte);
            if recent == end {
                break;
            }
        }
        Ok(())
    }

    fn next_tag(&mut self) -> std::io::Result<Option<String>> {
        loop {
            loop {
                match self.next_byte()? {
                    None => return Ok(None),
                    Some(b'<') => break,
                    Some(_) => {}
                }
            }
            let mut tag = Vec::new();
            let mut quote = None;
            while let Some(byte) = self.next_byte()? {
                match (quote, byte) {
                    (None, b'>') => break,
                    (None, b'"' | b'\'') => quote = Some(byte),
                    (Some(open), _) if open == byte => quote = None,
                    _ => {}
                }
                if tag.len() < 64 * 1024 {
                    tag.push(byte);
                }
                if tag == b"!--" {
                    self.skip_past(b"-->")?;
                    break;
                }
                if tag == b"![CDATA[" {
                    self.skip_past(b"]]>")?;
                    break;
                }
            }
            if tag.starts_with(b"!--") || tag.starts_with(b"![CDATA[") {
                continue;
            }
            return Ok(Some(String::from_utf8_lossy(&tag).into_owned()));
        }
    }
}

/// The cells the .xls reader would set aside for all the sheets of an Excel 97–2003 workbook,
/// found as it finds them: the workbook stream it would choose, each sheet from where the
/// workbook's sheet list says it starts, embedded substreams (charts) skipped. For each sheet,
/// the room it reserves from the sheet's declared dimensions (with the reader's own fix-ups and
/// arithmetic) and the rectangle around its cells. `None` when the file is not a compound file
/// holding a workbook stream as described.
pub fn xls_cells(file: &[u8]) -> Option<u64> {
    let stream =
        super::compound::stream(file, "Workbook").or_else(|| super::compound::stream(file, "Book"))?;
    let mut total = 0u64;
    for start in sheet_starts(&stream) {
        total = total.saturating_add(xls_sheet_cells(stream.get(start..)?));
    }
    Some(total)
}

/// The records of a BIFF stream from its start: (type, data), stopping at a truncated one.
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        let head = rest.get(..4)?;
        let kind = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let data = rest.get(4..4 + len)?;
        rest = &rest[4 + len..];
        Some((kind, data))
    })
}

/// Where each sheet starts, from the BOUNDSHEET records of the workbook's globals.
fn sheet_starts(stream: &[u8]) -> Vec<usize> {
    records(stream)
        .take_while(|(kind, _)| *kind != 0x000A)
        .filter(|(kind, data)| *kind == 0x0085 && data.len() >= 4)
        .map(|(_, data)| u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize)
        .collect()
}

fn xls_sheet_cells(sheet: &[u8]) -> u64 {
    let u16_at = |data: &[u8], i: usize| {
        data.get(i..i + 2)
            .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u32_at = |data: &[u8], i: usize| {
        data.get(i..i + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let (mut cells, mut reserved, mut formulas) = (SheetBox::default(), 0u64, false);
    let (mut seen_bof, mut depth) = (false, 0usize);
    for (kind, data) in records(sheet) {
        if depth > 0 {
            match kind {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        match kind {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x000A => break,
            // DIMENSIONS, read as the reader reads it, its subtractions wrapping as they do in a
            // release build: a last row before the first asks for billions.
            0x0200 => {
                let declared = match data.len() {
                    10 => (u16_at(data, 0), u16_at(data, 2), u16_at(data, 4), u16_at(data, 6)),
                    14 | 16 => (
                        u32_at(data, 0),
                        u32_at(data, 4),
                        u16_at(data, 8),
                        u16_at(data, 10),
                    ),
                    _ => continue,
                };
                let (Some(rf), Some(rl), Some(mut cf), Some(cl)) = declared else {
                    continue;
                };
                if 0xFF < cf || cl < cf {
                    cf = 0;
                }
                if rl >= 1 && cl >= 1 {
                    let rows = (rl - 1).wrapping_sub(rf).wrapping_add(1);
                    let columns = (cl - 1).wrapping_sub(cf).wrapping_add(1);
                    reserved = reserved.saturating_add(u64::from(rows).saturating_mul(u64::from(columns)));
                }
            }
            // NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA: one cell at (row, column).
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(row), Some(column)) = (u16_at(data, 0), u16_at(data, 2)) {
                    cells.add(row.into(), column.into());
                    formulas |= kind == 0x0006;
                }
            }
            // MULRK: a run of cells in one row, its last column in the record's last two bytes.
            0x00BD => {
                let last = data.len().checked_sub(2).and_then(|at| u16_at(data, at));
                if let (Some(row), Some(first), Some(last)) = (u16_at(data, 0), u16_at(data, 2), last) {
                    cells.add(row.into(), first.into());
                    cells.add(row.into(), last.into());
                }
            }
            _ => {}
        }
    }
    // The cells' rectangle is built once for values and once more for formulas, if any.
    let rectangle = cells.cells();
    reserved
        .saturating_add(rectangle)
        .saturating_add(if formulas { rectangle } else { 0 })
}

/// The rectangle around a sheet's cells.
#[derive(Debug)]
struct SheetBox {
    rows: (u64, u64),
    columns: (u64, u64),
}

impl Default for SheetBox {
    fn default() -> Self {
        SheetBox {
            rows: (u64::MAX, 0),
            columns: (u64::MAX, 0),
        }
    }
}

impl SheetBox {
    fn add(&mut self, row: u64, column: u64) {
        self.rows = (self.rows.0.min(row), self.rows.1.max(row));
        self.columns = (self.columns.0.min(column), self.columns.1.max(column));
    }

    fn cells(&self) -> u64 {
        if self.rows.0 > self.rows.1 {
            return 0;
        }
        (self.rows.1 - self.rows.0 + 1).saturating_mul(self.columns.1 - self.columns.0 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?><office:document-content><office:body><office:spreadsheet>\
             <table:table table:name=\"Sheet1\">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
        )
    }

    fn cell(text: &str) -> String {
        format!("<table:table-cell office:value-type=\"string\"><text:p>{text}</text:p></table:table-cell>")
    }

    #[test]
    fn a_plain_sheet_is_its_filled_rows_by_its_widest_row() {
        let rows = format!(
            "<table:table-row>{}{}</table:table-row><table:table-row>{}</table:table-row>",
            cell("Company name"),
            cell("City"),
            cell("Acme")
        );
        assert_eq!(ods_cells(sheet(&rows).as_bytes()).unwrap(), 4);
    }

    #[test]
    fn empty_cells_and_rows_repeated_after_the_last_filled_one_cost_nothing() {
        // What LibreOffice writes after the last filled cell of a sheet.
        let rows = format!(
            "<table:table-row>{}<table:table-cell table:number-columns-repeated=\"16383\"/></table:table-row>\
             <table:table-row table:number-rows-repeated=\"1048575\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>",
            cell("Company name")
        );
        assert_eq!(ods_cells(sheet(&rows).as_bytes()).unwrap(), 1);
    }

    #[test]
    fn every_sheet_counts_and_tricks_of_writing_hide_nothing() {
        let wide = "<table:table-row table:number-rows-repeated=\"2000\">\
             <table:table-cell table:number-columns-repeated=\"1000\" table:formula=\"of:=1\"/></table:table-row>";
        let two_sheets = format!("{}{}", sheet(wide), sheet(wide));
        assert_eq!(ods_cells(two_sheets.as_bytes()).unwrap(), 4_000_000);
        // A `>` in a quoted value, single quotes and spaces around `=`, and a comment holding a
        // quote: the repeat counts are still read.
        let hidden = "<table:table-row table:style-name=\"a>b\" table:number-rows-repeated = '3000'>\
             <!-- don't --><table:table-cell table:number-columns-repeated='1000' office:value-type='float'/></table:table-row>";
        assert_eq!(ods_cells(sheet(hidden).as_bytes()).unwrap(), 3_000_000);
        // A sheet inside a cell's note counts as one more, and does not reset the outer one.
        let nested = format!(
            "<table:table-row table:number-rows-repeated=\"10\"><table:table-cell><office:annotation>{}</office:annotation></table:table-cell>\
             <table:table-cell table:number-columns-repeated=\"9\" office:value-type=\"float\"/></table:table-row>",
            sheet("<table:table-row><table:table-cell office:value-type=\"float\"/></table:table-row>")
        );
        assert_eq!(ods_cells(sheet(&nested).as_bytes()).unwrap(), 10 * 10 + 1);
        let entity = "<table:table-row table:number-rows-repeated=\"&#49;000000\"><table:table-cell office:value-type=\"float\"/></table:table-row>";
        assert!(ods_cells(sheet(entity).as_bytes()).is_err());
    }

    #[test]
    fn a_filled_cell_repeated_far_and_wide_counts_every_copy() {
        let rows = "<table:table-row table:number-rows-repeated=\"1000000\">\
             <table:table-cell table:number-columns-repeated=\"16384\" office:value-type=\"float\" office:value=\"1\"/>\
             </table:table-row>";
        assert_eq!(ods_cells(sheet(rows).as_bytes()).unwrap(), 16_384_000_000);
    }

    #[test]
    fn two_cells_far_apart_make_the_rectangle_between_them() {
        let rows = format!(
            "<table:table-row>{}</table:table-row>\
             <table:table-row table:number-rows-repeated=\"999998\"><table:table-cell/></table:table-row>\
             <table:table-row><table:table-cell table:number-columns-repeated=\"9999\"/>{}</table:table-row>",
            cell("here"),
            cell("there")
        );
        assert_eq!(ods_cells(sheet(&rows).as_bytes()).unwrap(), 1_000_000 * 10_000);
    }

    /// A compound file of 512-byte sectors holding `stream` as "Workbook": the header, one FAT
    /// sector, one directory sector, then the stream (padded past the mini-stream cutoff).
    fn compound_file(mut stream: Vec<u8>) -> Vec<u8> {
        // An unknown record pads the stream to past 4,096 bytes, out of the mini stream.
        stream.extend([0x34, 0x12, 0x00, 0x10]);
        stream.extend(vec![0u8; 0x1000]);
        let sectors = stream.len().div_ceil(512);
        let mut file = vec![0u8; 512];
        file[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        file[0x1A] = 0x3E; // minor version
        file[0x1C..0x1E].copy_from_slice(&[0xFE, 0xFF]); // byte order
        file[0x1E] = 9; // 512-byte sectors
        file[0x20] = 6; // 64-byte mini sectors
        file[0x2C..0x30].copy_from_slice(&1u32.to_le_bytes()); // one FAT sector
        file[0x30..0x34].copy_from_slice(&1u32.to_le_bytes()); // the directory at sector 1
        file[0x38..0x3C].copy_from_slice(&4096u32.to_le_bytes());
        file[0x3C..0x40].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
        file[0x44..0x48].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
        for i in 0..109 {
            file[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        file[0x4C..0x50].copy_from_slice(&0u32.to_le_bytes()); // the FAT at sector 0
        let mut fat = vec![0xFFFF_FFFDu32, 0xFFFF_FFFE];
        fat.extend((0..sectors as u32).map(|i| {
            if i + 1 == sectors as u32 {
                0xFFFF_FFFE
            } else {
                i + 3
            }
        }));
        fat.resize(128, 0xFFFF_FFFF);
        file.extend(fat.iter().flat_map(|n| n.to_le_bytes()));
        let mut directory = vec![0u8; 512];
        for (at, name, kind, start, size) in [
            (0, "Root Entry", 5u8, 0xFFFF_FFFEu32, 0u32),
            (128, "Workbook", 2, 2, stream.len() as u32),
        ] {
            let utf16: Vec<u8> = name
                .encode_utf16()
                .chain([0])
                .flat_map(u16::to_le_bytes)
                .collect();
            directory[at..at + utf16.len()].copy_from_slice(&utf16);
            directory[at + 0x40..at + 0x42].copy_from_slice(&(utf16.len() as u16).to_le_bytes());
            directory[at + 0x42] = kind;
            directory[at + 0x74..at + 0x78].copy_from_slice(&start.to_le_bytes());
            directory[at + 0x78..at + 0x7C].copy_from_slice(&size.to_le_bytes());
        }
        file.extend(directory);
        stream.resize(sectors * 512, 0);
        file.extend(stream);
        file
    }

    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut out = kind.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    }

    /// A NUMBER record: the value 1 at (row, column).
    fn number(row: u16, column: u16) -> Vec<u8> {
        let mut data = row.to_le_bytes().to_vec();
        data.extend(column.to_le_bytes());
        data.extend([0, 0]);
        data.extend(1f64.to_le_bytes());
        record(0x0203, &data)
    }

    /// A workbook stream: the globals naming each sheet and where it starts, then the sheets.
    fn workbook_of(sheets: &[&[Vec<u8>]]) -> Vec<u8> {
        let bof = record(0x0809, &[0, 6, 0x10, 0, 0, 0, 0, 0]);
        let globals_len = bof.len() + sheets.len() * (4 + 9) + 4;
        let mut globals = bof.clone();
        let mut body = Vec::new();
        for records in sheets {
            let mut sheet = bof.clone();
            records.iter().for_each(|r| sheet.extend(r));
            sheet.extend(record(0x000A, &[]));
            let mut bound = ((globals_len + body.len()) as u32).to_le_bytes().to_vec();
            bound.extend([0, 0, 1, 0, b'S']);
            globals.extend(record(0x0085, &bound));
            body.extend(sheet);
        }
        globals.extend(record(0x000A, &[]));
        assert_eq!(globals.len(), globals_len);
        globals.extend(body);
        compound_file(globals)
    }

    fn workbook(sheet_records: &[Vec<u8>]) -> Vec<u8> {
        workbook_of(&[sheet_records])
    }

    fn dimensions(first_row: u32, last_row: u32, first_column: u16, last_column: u16) -> Vec<u8> {
        let mut data = first_row.to_le_bytes().to_vec();
        data.extend(last_row.to_le_bytes());
        data.extend(first_column.to_le_bytes());
        data.extend(last_column.to_le_bytes());
        data.extend([0, 0]);
        record(0x0200, &data)
    }

    #[test]
    fn every_sheet_counts_and_embedded_charts_do_not_hide_cells() {
        let big = [number(0, 0), number(1_999, 999)];
        assert_eq!(
            xls_cells(&workbook_of(&[&big, &big, &big])).unwrap(),
            3 * 2_000_000
        );
        let chart = record(0x0809, &[0, 6, 0x20, 0, 0, 0, 0, 0]);
        let with_chart = [
            number(0, 0),
            chart,
            number(5, 5),
            record(0x000A, &[]),
            number(65_535, 255),
        ];
        assert_eq!(xls_cells(&workbook(&with_chart)).unwrap(), 65_536 * 256);
    }

    #[test]
    fn dimensions_are_read_as_the_reader_reads_them() {
        // A first column past 255 is taken as 0; a last row before the first wraps around.
        assert_eq!(
            xls_cells(&workbook(&[dimensions(0, 1_000, 300, 300)])).unwrap(),
            1_000 * 300
        );
        assert!(xls_cells(&workbook(&[dimensions(10, 5, 0, 1)])).unwrap() > 4_000_000_000);
    }

    #[test]
    fn a_real_xls_file_is_its_rows_by_its_columns() {
        let file = include_bytes!("../../tests/fixtures/libreoffice-customers.xls");
        let cells = xls_cells(file).unwrap();
        // 4 rows (a header and three customers) of 13 columns: the room reserved for the
        // dimensions LibreOffice declares, and the rectangle of the cells themselves.
        assert_eq!(cells, 2 * 4 * 13);
    }

    #[test]
    fn two_cells_far_apart_in_an_xls_file_make_the_rectangle_between_them() {
        let far = workbook(&[number(0, 0), number(65_535, 16_383)]);
        assert_eq!(xls_cells(&far).unwrap(), 65_536 * 16_384);
        let near = workbook(&[number(3, 2), number(4, 2)]);
        assert_eq!(xls_cells(&near).unwrap(), 2);
    }

    #[test]
    fn declared_dimensions_count_even_without_cells() {
        assert_eq!(
            xls_cells(&workbook(&[dimensions(0, 4_000_000, 0, 256)])).unwrap(),
            4_000_000 * 256
        );
    }

    #[test]
    fn what_is_not_a_compound_file_or_loops_is_not_read() {
        assert_eq!(xls_cells(b"not a workbook"), None);
        let mut looping = workbook(&[number(0, 0)]);
        // The directory's chain points back at itself.
        looping[512 + 4..512 + 8].copy_from_slice(&1u32.to_le_bytes());
        assert_eq!(xls_cells(&looping), None);
        let truncated = &workbook(&[number(0, 0)])[..1000];
        assert_eq!(xls_cells(truncated), None);
    }

    #[test]
    fn the_import_refuses_such_files_before_reading_them() {
        let xls = workbook(&[number(0, 0), number(65_535, 16_383)]);
        let error = crate::imports::table::read(&xls, "far.xls").unwrap_err();
        assert!(
            error.contains("'far.xls' describes a sheet of 1073741824 cells"),
            "{error}"
        );

        let rows = "<table:table-row table:number-rows-repeated=\"1000000\">\
             <table:table-cell table:number-columns-repeated=\"1024\" office:value-type=\"float\" office:value=\"1\"/>\
             </table:table-row>";
        let mut ods = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, text) in [
            (
                "mimetype",
                "application/vnd.oasis.opendocument.spreadsheet".to_string(),
            ),
            ("content.xml", sheet(rows)),
        ] {
            ods.start_file(name, stored).unwrap();
            std::io::Write::write_all(&mut ods, text.as_bytes()).unwrap();
        }
        let ods = ods.finish().unwrap().into_inner();
        assert!(ods.len() < 2_000, "a small file: {} bytes", ods.len());
        let error = crate::imports::table::read(&ods, "wide.ods").unwrap_err();
        assert!(
            error.contains("'wide.ods' describes a sheet of 1024000000 cells"),
            "{error}"
        );
    }
}
