//! How big a grid a spreadsheet reader would build, found before it builds it. The readers of
//! .ods and .xls files make the whole sheet as one rectangle of cells, from the first filled row
//! to the last and as wide as the widest: a small file that repeats one cell a million times, or
//! fills two cells far apart, would make one import take gigabytes. The size is found from the
//! file itself first, reading nothing into cells.

use std::io::Read;

/// The most cells a sheet's grid may have: a 100,000-row import of 40 columns, about 130 MB.
pub const MOST_CELLS: u64 = 4_000_000;

/// The grid one sheet of an OpenDocument `content.xml` makes, and the largest of its sheets.
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

/// The most cells any sheet of an OpenDocument spreadsheet's `content.xml` would make, read as
/// a stream (the part itself may be large) without building anything.
pub fn ods_cells(content: impl Read) -> std::io::Result<u64> {
    let mut scanner = TagScanner::new(content);
    let (mut sheet, mut largest) = (OdsSheet::default(), 0u64);
    while let Some(tag) = scanner.next_tag()? {
        let name = tag_name(&tag);
        match name {
            "table:table" => sheet = OdsSheet::default(),
            "/table:table" => largest = largest.max(sheet.filled_rows.saturating_mul(sheet.width)),
            "table:table-row" => {
                sheet.row_repeats = repeats(&tag, "table:number-rows-repeated");
                sheet.column = 0;
                sheet.row_width = 0;
                if tag.ends_with('/') {
                    sheet.rows = sheet.rows.saturating_add(sheet.row_repeats);
                }
            }
            "/table:table-row" => {
                sheet.rows = sheet.rows.saturating_add(sheet.row_repeats);
                if sheet.row_width > 0 {
                    sheet.filled_rows = sheet.rows;
                    sheet.width = sheet.width.max(sheet.row_width);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let count = repeats(&tag, "table:number-columns-repeated");
                sheet.column = sheet.column.saturating_add(count);
                // A cell with a value, or with text inside (not self-closed), is filled.
                if tag.contains("office:value-type") || !tag.ends_with('/') {
                    sheet.row_width = sheet.column;
                }
            }
            _ => {}
        }
    }
    Ok(largest.max(sheet.filled_rows.saturating_mul(sheet.width)))
}

fn tag_name(tag: &str) -> &str {
    tag.split(|c: char| c.is_whitespace() || c == '/' && !tag.starts_with('/'))
        .next()
        .unwrap_or_default()
}

/// The number in `attribute="…"` of `tag`, 1 when absent.
fn repeats(tag: &str, attribute: &str) -> u64 {
    tag.split_once(&format!("{attribute}=\""))
        .and_then(|(_, rest)| rest.split('"').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
}

/// The tags of an XML stream, each as the text between `<` and `>` (comments and declarations
/// included; text between tags skipped). A tag longer than 64 KB is cut short: no tag this
/// reader looks at is anywhere near that.
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

    fn next_tag(&mut self) -> std::io::Result<Option<String>> {
        loop {
            match self.next_byte()? {
                None => return Ok(None),
                Some(b'<') => break,
                Some(_) => {}
            }
        }
        let mut tag = Vec::new();
        while let Some(byte) = self.next_byte()? {
            if byte == b'>' {
                break;
            }
            if tag.len() < 64 * 1024 {
                tag.push(byte);
            }
        }
        Ok(Some(String::from_utf8_lossy(&tag).into_owned()))
    }
}

/// The most cells any sheet of an Excel 97–2003 workbook (.xls) would make: the rectangle around
/// its cells, or the dimensions it declares (the reader reserves room for those), whichever is
/// larger. `None` when the file is not a compound file holding a workbook stream as described.
pub fn xls_cells(file: &[u8]) -> Option<u64> {
    let stream = compound::stream(file, &["Workbook", "Book"])?;
    let (mut largest, mut sheet) = (0u64, SheetBox::default());
    let mut at = 0;
    while at + 4 <= stream.len() {
        let kind = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[at + 2], stream[at + 3]]));
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        let u16_at = |i: usize| {
            data.get(i..i + 2)
                .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
        };
        match kind {
            // BOF: a new substream (the globals, then each sheet).
            0x0809 => {
                largest = largest.max(sheet.cells());
                sheet = SheetBox::default();
            }
            // DIMENSIONS: rows as u32 in BIFF8 (14 bytes), u16 before.
            0x0200 => {
                let (rows, columns) = if len >= 14 {
                    let u32_at = |i: usize| {
                        u64::from(u32::from_le_bytes([
                            data[i],
                            data[i + 1],
                            data[i + 2],
                            data[i + 3],
                        ]))
                    };
                    (
                        u32_at(4).saturating_sub(u32_at(0)),
                        u16_at(10)?.saturating_sub(u16_at(8)?),
                    )
                } else {
                    (
                        u16_at(2)?.saturating_sub(u16_at(0)?),
                        u16_at(6)?.saturating_sub(u16_at(4)?),
                    )
                };
                sheet.declared = sheet.declared.max(rows.saturating_mul(columns));
            }
            // NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA: one cell at (row, column).
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                sheet.add(u16_at(0)?, u16_at(2)?);
            }
            // MULRK: a run of cells in one row, its last column in the record's last two bytes.
            0x00BD => {
                let row = u16_at(0)?;
                sheet.add(row, u16_at(2)?);
                sheet.add(row, u16_at(len.checked_sub(2)?)?);
            }
            _ => {}
        }
    }
    Some(largest.max(sheet.cells()))
}

/// The cells of one sheet of a workbook: the rectangle around them, and its declared size.
#[derive(Debug)]
struct SheetBox {
    rows: (u64, u64),
    columns: (u64, u64),
    declared: u64,
}

impl Default for SheetBox {
    fn default() -> Self {
        SheetBox {
            rows: (u64::MAX, 0),
            columns: (u64::MAX, 0),
            declared: 0,
        }
    }
}

impl SheetBox {
    fn add(&mut self, row: u64, column: u64) {
        self.rows = (self.rows.0.min(row), self.rows.1.max(row));
        self.columns = (self.columns.0.min(column), self.columns.1.max(column));
    }

    fn cells(&self) -> u64 {
        let spanned = if self.rows.0 > self.rows.1 {
            0
        } else {
            (self.rows.1 - self.rows.0 + 1).saturating_mul(self.columns.1 - self.columns.0 + 1)
        };
        spanned.max(self.declared)
    }
}

/// Just enough of the compound file format (the container of .xls files) to read one stream.
mod compound {
    const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

    fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    struct File<'a> {
        bytes: &'a [u8],
        sector_size: usize,
        fat: Vec<u32>,
    }

    impl File<'_> {
        fn sector(&self, index: u32) -> Option<&[u8]> {
            let start = (index as usize).checked_add(1)?.checked_mul(self.sector_size)?;
            self.bytes.get(start..start.checked_add(self.sector_size)?)
        }

        /// The bytes of the chain of sectors starting at `first`, in `table` (FAT or mini FAT),
        /// reading each sector with `sector`. A chain longer than the table loops: refused.
        fn chain(
            &self,
            first: u32,
            table: &[u32],
            sector: impl Fn(u32) -> Option<Vec<u8>>,
        ) -> Option<Vec<u8>> {
            let mut out = Vec::new();
            let mut index = first;
            for _ in 0..=table.len() {
                if index == END_OF_CHAIN {
                    return Some(out);
                }
                out.extend(sector(index)?);
                index = *table.get(index as usize)?;
            }
            None
        }
    }

    /// The first stream of `file` named one of `names` (ignoring case).
    pub fn stream(bytes: &[u8], names: &[&str]) -> Option<Vec<u8>> {
        if bytes.get(..8)? != SIGNATURE {
            return None;
        }
        let shift = u32::from(u16::from_le_bytes([*bytes.get(0x1E)?, *bytes.get(0x1F)?]));
        if !(7..=16).contains(&shift) {
            return None;
        }
        let mut file = File {
            bytes,
            sector_size: 1 << shift,
            fat: Vec::new(),
        };
        // The FAT's sectors: 109 named in the header, the rest in a chain of DIFAT sectors.
        let mut fat_sectors: Vec<u32> = (0..109).filter_map(|i| u32_at(bytes, 0x4C + 4 * i)).collect();
        let mut difat = u32_at(bytes, 0x44)?;
        let per_sector = file.sector_size / 4;
        for _ in 0..u32_at(bytes, 0x48)?.min(1 << 16) {
            let sector = file.sector(difat)?;
            fat_sectors.extend((0..per_sector - 1).filter_map(|i| u32_at(sector, 4 * i)));
            difat = u32_at(sector, 4 * (per_sector - 1))?;
        }
        let fat_count = u32_at(bytes, 0x2C)? as usize;
        let mut fat = Vec::new();
        for &sector in fat_sectors.iter().take(fat_count) {
            let sector = file.sector(sector)?;
            fat.extend((0..per_sector).filter_map(|i| u32_at(sector, 4 * i)));
        }
        file.fat = fat;
        let read = |index: u32| file.sector(index).map(<[u8]>::to_vec);
        let directory = file.chain(u32_at(bytes, 0x30)?, &file.fat, read)?;
        let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
        let root = entries.first()?;
        let found = entries.iter().find(|entry| {
            let name_len = usize::from(u16::from_le_bytes([entry[0x40], entry[0x41]])).min(64);
            let name: Vec<u16> = entry[..name_len.saturating_sub(2)]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            let name = String::from_utf16_lossy(&name);
            entry[0x42] == 2 && names.iter().any(|n| n.eq_ignore_ascii_case(&name))
        })?;
        let (start, size) = (u32_at(found, 0x74)?, u32_at(found, 0x78)? as usize);
        let mut data = if size < u32_at(bytes, 0x38)? as usize {
            // A small stream lives in the mini stream, in 64-byte sectors of its own table.
            let mini_fat_bytes = file.chain(u32_at(bytes, 0x3C)?, &file.fat, read)?;
            let mini_fat: Vec<u32> = (0..mini_fat_bytes.len() / 4)
                .filter_map(|i| u32_at(&mini_fat_bytes, 4 * i))
                .collect();
            let mini_stream = file.chain(u32_at(root, 0x74)?, &file.fat, read)?;
            file.chain(start, &mini_fat, |index| {
                let at = (index as usize).checked_mul(64)?;
                mini_stream.get(at..at.checked_add(64)?).map(<[u8]>::to_vec)
            })?
        } else {
            file.chain(start, &file.fat, read)?
        };
        data.truncate(size);
        Some(data)
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

    fn workbook(sheet_records: &[Vec<u8>]) -> Vec<u8> {
        let bof = record(0x0809, &[0, 6, 0x10, 0, 0, 0, 0, 0]);
        let mut stream = bof.clone();
        stream.extend(record(0x000A, &[]));
        stream.extend(bof);
        sheet_records.iter().for_each(|r| stream.extend(r));
        stream.extend(record(0x000A, &[]));
        compound_file(stream)
    }

    #[test]
    fn a_real_xls_file_is_its_rows_by_its_columns() {
        let file = include_bytes!("../../tests/fixtures/libreoffice-customers.xls");
        let cells = xls_cells(file).unwrap();
        // 4 rows (a header and three customers) of 13 columns, as LibreOffice declares them.
        assert!((4 * 13..=4 * 16).contains(&cells), "{cells}");
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
        let mut data = 0u32.to_le_bytes().to_vec();
        data.extend(4_000_000u32.to_le_bytes());
        data.extend([0, 0, 0, 1, 0, 0]);
        assert_eq!(
            xls_cells(&workbook(&[record(0x0200, &data)])).unwrap(),
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
