//! The columns of each import: their titles in the template, which are required, and how a
//! header row of an uploaded file is matched to them (case, spacing, notes in brackets and
//! common other names do not matter).

use super::ImportKind;

/// Whether a column must have a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Required,
    Optional,
    /// Required when the row gives a contact (any contact cell filled).
    ForContact,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The field the column fills (the form's field name).
    pub key: &'static str,
    pub title: &'static str,
    pub need: Need,
    /// Other header texts taken for this column, already normalised.
    pub aliases: &'static [&'static str],
    /// What the template's example row holds.
    pub example: &'static str,
    /// The template's note on the header cell.
    pub note: &'static str,
}

const fn column(
    key: &'static str,
    title: &'static str,
    need: Need,
    aliases: &'static [&'static str],
    example: &'static str,
    note: &'static str,
) -> Column {
    Column {
        key,
        title,
        need,
        aliases,
        example,
        note,
    }
}

use Need::{ForContact, Optional, Required};

pub const CUSTOMER_COLUMNS: &[Column] = &[
    column("name", "Company name", Required, &["company", "customer", "customer name", "name"], "Example Coffee Co", "Required. Up to 200 characters."),
    column("account_number", "Account number", Optional, &["account", "account no", "account #", "acct", "account id"], "EX-1001", "Optional, unique. Letters, digits, spaces and - _ . / — a row with the account number of an existing customer updates or skips it."),
    column("street", "Street", Required, &["address", "street address", "address line 1"], "1 Main Street", "Required."),
    column("city", "City", Required, &["town"], "Portland", "Required."),
    column("region", "Region", Optional, &["state", "province", "county", "state/province"], "OR", "Optional: state, province or county."),
    column("postal_code", "Postal code", Required, &["zip", "zip code", "postcode", "post code"], "97201", "Required. Type it as text to keep leading zeros."),
    column("country", "Country", Required, &[], "United States", "Required."),
    column("phone", "Phone", Optional, &["telephone", "phone number"], "+1 503 555 0100", "Optional."),
    column("website", "Website", Optional, &["web", "url", "web site"], "example.com", "Optional."),
    column("contact_first_name", "Contact first name", ForContact, &[], "Ana", "Required when the row has a contact."),
    column("contact_last_name", "Contact last name", ForContact, &[], "Lima", "Required when the row has a contact."),
    column("contact_email", "Contact email", ForContact, &["email", "contact e-mail"], "ana@example.com", "Required when the row has a contact. A contact with this email already in Clientele is assigned, not created again."),
    column("contact_phone", "Contact phone", Optional, &[], "+1 503 555 0101", "Optional."),
];

pub const CONTACT_COLUMNS: &[Column] = &[
    column(
        "first_name",
        "First name",
        Required,
        &["first", "given name"],
        "Ana",
        "Required.",
    ),
    column(
        "last_name",
        "Last name",
        Required,
        &["last", "surname", "family name"],
        "Lima",
        "Required.",
    ),
    column(
        "email",
        "Email",
        Required,
        &["e-mail", "email address"],
        "ana@example.com",
        "Required. A contact with this email already in Clientele is updated or skipped.",
    ),
    column(
        "phone",
        "Phone",
        Optional,
        &["telephone"],
        "+1 503 555 0101",
        "Optional.",
    ),
    column(
        "job_title",
        "Job title",
        Optional,
        &["title", "position"],
        "Buyer",
        "Optional.",
    ),
    column(
        "account_numbers",
        "Account numbers",
        Optional,
        &[
            "account number",
            "account",
            "accounts",
            "customer account numbers",
            "customers",
        ],
        "EX-1001; EX-1002",
        "The account numbers of the customers to assign the contact to, separated by ; or ,",
    ),
];

pub fn columns(kind: ImportKind) -> &'static [Column] {
    match kind {
        ImportKind::Customers => CUSTOMER_COLUMNS,
        ImportKind::Contacts => CONTACT_COLUMNS,
    }
}

/// The header cell the template writes: the title, marked when required.
pub fn header_title(column: &Column) -> String {
    match column.need {
        Required => format!("{} (required)", column.title),
        ForContact => format!("{} (required for a contact)", column.title),
        Optional => column.title.to_string(),
    }
}

/// A header text as compared: lower case, without notes in brackets, `*`, `:` or extra spaces.
pub fn normalise(header: &str) -> String {
    let mut text = String::new();
    let mut depth = 0usize;
    for c in header.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            '*' | ':' | '_' if depth == 0 => text.push(' '),
            c if depth == 0 => text.extend(c.to_lowercase()),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where each column is in a file: `positions[i]` is the cell index of `columns[i]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub positions: Vec<Option<usize>>,
    /// Header texts matching no column; their cells are not read.
    pub ignored: Vec<String>,
}

impl Layout {
    /// The cell of column `key` in `cells`, trimmed; empty when the file has no such column.
    pub fn cell<'a>(&self, columns: &[Column], cells: &'a [String], key: &str) -> &'a str {
        columns
            .iter()
            .position(|c| c.key == key)
            .and_then(|i| self.positions[i])
            .and_then(|at| cells.get(at))
            .map_or("", |cell| cell.trim())
    }
}

/// The spreadsheet name of a column: 0 is A, 26 is AA.
pub fn column_letter(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push((b'A' + (index % 26) as u8) as char);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.iter().rev().collect()
}

/// Matches a header row to the columns, or says what is wrong with it.
pub fn layout(columns: &[Column], header: &[String]) -> Result<Layout, String> {
    let mut positions = vec![None; columns.len()];
    let mut ignored = Vec::new();
    for (at, text) in header.iter().enumerate() {
        let name = normalise(text);
        if name.is_empty() {
            continue;
        }
        let found = columns
            .iter()
            .position(|c| normalise(c.title) == name)
            .or_else(|| columns.iter().position(|c| c.aliases.contains(&name.as_str())));
        match found {
            Some(i) => {
                if let Some(first) = positions[i] {
                    return Err(format!(
                        "The column '{}' is in the file twice (columns {} and {}). Keep one of them.",
                        columns[i].title,
                        column_letter(first),
                        column_letter(at)
                    ));
                }
                positions[i] = Some(at);
            }
            None => ignored.push(text.trim().to_string()),
        }
    }
    if positions.iter().all(Option::is_none) {
        let shown: Vec<String> = header
            .iter()
            .filter(|h| !h.trim().is_empty())
            .take(4)
            .map(|h| format!("'{}'", h.trim()))
            .collect();
        return Err(format!(
            "The first row must name the columns, as the template's does ({}). This file's first row holds {}: is its header row missing?",
            columns.iter().take(4).map(|c| c.title).collect::<Vec<_>>().join(", ") + ", …",
            shown.join(", ")
        ));
    }
    let missing: Vec<&str> = columns
        .iter()
        .zip(&positions)
        .filter(|(c, at)| c.need == Required && at.is_none())
        .map(|(c, _)| c.title)
        .collect();
    if !missing.is_empty() {
        let what = if missing.len() == 1 { "column" } else { "columns" };
        return Err(format!(
            "The file has no {what} {}, which {} required. Get the Excel template to see the columns Clientele reads.",
            missing.iter().map(|m| format!("'{m}'")).collect::<Vec<_>>().join(", "),
            if missing.len() == 1 { "is" } else { "are" }
        ));
    }
    Ok(Layout { positions, ignored })
}

/// Whether a row is the template's own example, left in by mistake.
pub fn is_example(columns: &[Column], layout: &Layout, cells: &[String]) -> bool {
    columns.iter().zip(&layout.positions).all(|(column, at)| {
        at.is_none_or(|at| cells.get(at).map_or("", |cell| cell.trim()) == column.example)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn the_templates_own_header_matches_every_column() {
        let titles: Vec<String> = CUSTOMER_COLUMNS.iter().map(header_title).collect();
        let layout = layout(CUSTOMER_COLUMNS, &titles).unwrap();
        assert!(layout.positions.iter().all(Option::is_some));
        assert!(layout.ignored.is_empty());
    }

    #[test]
    fn headers_match_ignoring_case_notes_and_other_names() {
        let layout = layout(
            CUSTOMER_COLUMNS,
            &header(&[
                "COMPANY NAME*",
                "Zip",
                "street address",
                "City",
                "Country",
                "Notes",
            ]),
        )
        .unwrap();
        assert_eq!(layout.positions[0], Some(0));
        assert_eq!(layout.positions[5], Some(1));
        assert_eq!(layout.ignored, vec!["Notes".to_string()]);
    }

    #[test]
    fn a_missing_required_column_is_named() {
        let error = layout(
            CUSTOMER_COLUMNS,
            &header(&["Company name", "Street", "City", "Country"]),
        )
        .unwrap_err();
        assert!(error.contains("no column 'Postal code'"), "{error}");
    }

    #[test]
    fn a_file_without_a_header_row_is_told_so() {
        let error = layout(CUSTOMER_COLUMNS, &header(&["Acme", "1 Main St", "Portland"])).unwrap_err();
        assert!(error.contains("header row missing"), "{error}");
        assert!(error.contains("'Acme'"), "{error}");
    }

    #[test]
    fn a_column_given_twice_is_refused() {
        let error = layout(CUSTOMER_COLUMNS, &header(&["City", "Company name", "city"])).unwrap_err();
        assert!(error.contains("columns A and C"), "{error}");
    }

    #[test]
    fn column_letters_run_like_a_spreadsheets() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
