//! Helpers for imports: workbooks to upload, the upload and its preview, the import.

use super::*;
use app::imports::{columns::CUSTOMER_COLUMNS, ImportStatus};
use reqwest::StatusCode;

/// An xlsx workbook of one sheet holding `rows` as text.
pub fn workbook(rows: &[Vec<String>]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, cell).expect("cell");
        }
    }
    workbook.save_to_buffer().expect("workbook")
}

/// The customers template's column titles.
pub fn customer_header() -> Vec<String> {
    CUSTOMER_COLUMNS.iter().map(|c| c.title.to_string()).collect()
}

/// A good customer row: `n` names it (account `IMP-n`), with a contact `person{n}@…`.
pub fn customer_row(n: usize) -> Vec<String> {
    [
        format!("Imported Company {n:06}"),
        format!("IMP-{n}"),
        format!("{n} Import Street"),
        "Portland".into(),
        "OR".into(),
        "97201".into(),
        "United States".into(),
        String::new(),
        String::new(),
        "Pat".into(),
        format!("Person{n}"),
        format!("person{n}@import.example"),
        String::new(),
    ]
    .to_vec()
}

/// Uploads `bytes` for import as `kind` and starts its preview; returns the upload's id.
pub async fn start_import(app: &TestApp, kind: &str, name: &str, bytes: Vec<u8>) -> i64 {
    let file_id = upload_ok(app, "import", name, bytes).await;
    let (status, body) = app
        .call(
            "imports/start",
            &[("kind", kind), ("file_id", &file_id), ("file_name", name)],
        )
        .await;
    assert!(status.is_success(), "start failed: {status} {body}");
    body.trim().parse().expect("import id")
}

pub async fn import_status(app: &TestApp, id: i64) -> ImportStatus {
    let (status, body) = app.call("imports/status", &[("id", &id.to_string())]).await;
    assert!(status.is_success(), "status failed: {status} {body}");
    serde_json::from_str(&body).expect("status")
}

/// Polls until the upload is no longer being read or imported.
pub async fn settled(app: &TestApp, id: i64) -> ImportStatus {
    for _ in 0..1200 {
        let status = import_status(app, id).await;
        if !status.in_progress() {
            return status;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("import {id} did not settle in a minute");
}

pub async fn run_import(
    app: &TestApp,
    id: i64,
    update_existing: bool,
    good_rows_only: bool,
) -> (StatusCode, String) {
    app.call(
        "imports/run",
        &[
            ("id", &id.to_string()),
            ("update_existing", &update_existing.to_string()),
            ("good_rows_only", &good_rows_only.to_string()),
        ],
    )
    .await
}

/// The preview of a settled upload, failing the test otherwise.
pub fn previewed(status: ImportStatus) -> app::imports::Preview {
    match status {
        ImportStatus::Previewed(preview) => preview,
        other => panic!("expected a preview, got {other:?}"),
    }
}
