//! The spreadsheets Clientele hands out: the Excel templates, a file's bad rows with what to fix,
//! and the customers list exported as CSV or xlsx.

use super::columns::{columns, header_title, CUSTOMER_COLUMNS};
use super::jobs;
use super::ImportKind;
use crate::auth::session::staff_from_headers;
use crate::customers::ListQuery;
use crate::documents::files::refuse;
use crate::error::AppError;
use crate::spreadsheet::{attachment, csv_line, CSV, XLSX};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use rust_xlsxwriter::{Format, Note, Workbook, XlsxError};
use std::collections::HashMap;

async fn staff_only(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    staff_from_headers(state, headers)
        .await?
        .ok_or(AppError::Unauthorized)
        .map(|_| ())
}

fn workbook_error(error: XlsxError) -> AppError {
    AppError::internal(error)
}

/// `GET /customers/import-template.xlsx`: "Get Excel template".
pub async fn customers_template(State(state): State<AppState>, headers: HeaderMap) -> Response {
    template(&state, &headers, ImportKind::Customers).await
}

/// `GET /contacts/import-template.xlsx`.
pub async fn contacts_template(State(state): State<AppState>, headers: HeaderMap) -> Response {
    template(&state, &headers, ImportKind::Contacts).await
}

async fn template(state: &AppState, headers: &HeaderMap, kind: ImportKind) -> Response {
    let made = async {
        staff_only(state, headers).await?;
        template_workbook(kind).map_err(workbook_error)
    };
    match made.await {
        Ok(bytes) => attachment(XLSX, &format!("clientele-{}-template.xlsx", kind.key()), bytes),
        Err(error) => refuse(error.status(), error),
    }
}

/// One sheet: a header row (required columns marked, each with a note), an example row in grey
/// italics, and text-formatted columns so postal codes keep their leading zeros.
pub fn template_workbook(kind: ImportKind) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(match kind {
        ImportKind::Customers => "Customers",
        ImportKind::Contacts => "Contacts",
    })?;
    let header = Format::new().set_bold().set_background_color("#E8EEF7");
    let example = Format::new()
        .set_italic()
        .set_font_color("#777777")
        .set_num_format("@");
    let text = Format::new().set_num_format("@");
    for (at, column) in columns(kind).iter().enumerate() {
        let at = at as u16;
        sheet.set_column_width(at, 24)?;
        sheet.set_column_format(at, &text)?;
        sheet.write_string_with_format(0, at, header_title(column), &header)?;
        let note = format!("{} Replace the example row (row 2) with your own.", column.note);
        sheet.insert_note(
            0,
            at,
            &Note::new(note).set_author("Clientele").add_author_prefix(false),
        )?;
        sheet.write_string_with_format(1, at, column.example, &example)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

/// `GET /imports/{id}/errors.xlsx`: the bad rows of an upload, with a "What to fix" column; the
/// file can be corrected and uploaded again.
pub async fn errors(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let made = async {
        staff_only(&state, &headers).await?;
        let id: i64 = id.parse().map_err(|_| AppError::NotFound("This upload".into()))?;
        let upload = jobs::find(&state, id)
            .await?
            .ok_or_else(|| AppError::NotFound("This upload".into()))?;
        let read = jobs::read_file(&state, &upload)
            .await
            .map_err(AppError::Refused)?;
        let (_, bad) = jobs::check(&state, &upload, read)
            .await
            .map_err(AppError::Refused)?;
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        let header = Format::new().set_bold();
        let wrap = Format::new().set_text_wrap().set_font_color("#B00020");
        let columns = columns(upload.kind);
        sheet
            .write_string_with_format(0, 0, "Row", &header)
            .map_err(workbook_error)?;
        for (at, column) in columns.iter().enumerate() {
            sheet
                .write_string_with_format(0, at as u16 + 1, header_title(column), &header)
                .map_err(workbook_error)?;
        }
        let fix_at = columns.len() as u16 + 1;
        sheet
            .write_string_with_format(0, fix_at, "What to fix", &header)
            .map_err(workbook_error)?;
        sheet.set_column_width(fix_at, 60).map_err(workbook_error)?;
        for (i, row) in bad.iter().enumerate() {
            let r = i as u32 + 1;
            sheet
                .write_number(r, 0, row.number as f64)
                .map_err(workbook_error)?;
            for (at, value) in row.values.iter().enumerate() {
                sheet
                    .write_string(r, at as u16 + 1, value)
                    .map_err(workbook_error)?;
            }
            sheet
                .write_string_with_format(r, fix_at, row.what_to_fix(), &wrap)
                .map_err(workbook_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(workbook_error)?;
        let bytes = workbook.save_to_buffer().map_err(workbook_error)?;
        let stem = upload
            .file_name
            .rsplit_once('.')
            .map_or(upload.file_name.as_str(), |(stem, _)| stem);
        Ok::<_, AppError>((format!("{stem} - errors.xlsx"), bytes))
    };
    match made.await {
        Ok((name, bytes)) => attachment(XLSX, &name, bytes),
        Err(error) => refuse(error.status(), error),
    }
}

/// `GET /customers/export.csv?q=…&status=…&sort=…`: the customers of the list's search, in its
/// order, one row per contact (a customer without contacts has one row), in the template's
/// columns so the file can be imported again.
pub async fn export_csv(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    export(&state, &headers, &params, false).await
}

/// `GET /customers/export.xlsx?…`: the same as a workbook.
pub async fn export_xlsx(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    export(&state, &headers, &params, true).await
}

async fn export(
    state: &AppState,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
    xlsx: bool,
) -> Response {
    let made = async {
        staff_only(state, headers).await?;
        let query = ListQuery::from_params(|k| params.get(k).cloned());
        let rows = crate::customers::db::export_rows(&state.db, &query).await?;
        let titles: Vec<&str> = CUSTOMER_COLUMNS.iter().map(|c| c.title).collect();
        if xlsx {
            let mut workbook = Workbook::new();
            let sheet = workbook.add_worksheet();
            let header = Format::new().set_bold();
            for (at, title) in titles.iter().enumerate() {
                sheet
                    .write_string_with_format(0, at as u16, *title, &header)
                    .map_err(workbook_error)?;
            }
            for (i, row) in rows.iter().enumerate() {
                for (at, value) in row.iter().enumerate() {
                    // Written as text cells: a spreadsheet never runs them as formulas.
                    sheet
                        .write_string(i as u32 + 1, at as u16, value)
                        .map_err(workbook_error)?;
                }
            }
            sheet.set_freeze_panes(1, 0).map_err(workbook_error)?;
            Ok::<_, AppError>((
                XLSX,
                "customers.xlsx",
                workbook.save_to_buffer().map_err(workbook_error)?,
            ))
        } else {
            let mut body = String::from("\u{feff}");
            body.push_str(&csv_line(&titles));
            for row in &rows {
                body.push_str(&csv_line(row));
            }
            Ok((CSV, "customers.csv", body.into_bytes()))
        }
    };
    match made.await {
        Ok((content_type, name, bytes)) => attachment(content_type, name, bytes),
        Err(error) => refuse(error.status(), error),
    }
}
