//! `server bench-import`: a 100,000-row customers workbook (each row with a contact) previewed
//! and imported by a server of its own, on SQLite, or on a fresh PostgreSQL database with
//! `--postgres`. Prints each stage's time, rows per second and the server's peak memory.

use crate::bench_server::BenchServer;
use app::imports::columns::{header_title, CUSTOMER_COLUMNS};
use app::imports::ImportStatus;
use sqlx::Executor;
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct Options {
    /// Rows in the workbook.
    #[arg(long, default_value_t = 100_000)]
    pub rows: usize,
    /// A PostgreSQL server (an admin URL, such as postgres://postgres@127.0.0.1:5432/test) to
    /// import into a database made for the benchmark and dropped after it; SQLite without it.
    #[arg(long)]
    pub postgres: Option<String>,
}

/// The workbook, written the way the template is: text cells under the template's header.
fn workbook(rows: usize) -> Result<Vec<u8>, String> {
    let error = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, column) in CUSTOMER_COLUMNS.iter().enumerate() {
        sheet
            .write_string(0, c as u16, header_title(column))
            .map_err(error)?;
    }
    for n in 1..=rows {
        let cells = [
            format!("Bench Customer {n:06}"),
            format!("B-{n}"),
            format!("{n} Bench Street"),
            "Portland".to_string(),
            "OR".to_string(),
            format!("{:05}", 97000 + n % 1000),
            "United States".to_string(),
            "+1 503 555 0100".to_string(),
            "bench.example".to_string(),
            "Pat".to_string(),
            format!("Buyer{n}"),
            format!("buyer{n}@bench.example"),
            String::new(),
        ];
        for (c, cell) in cells.iter().enumerate() {
            sheet.write_string(n as u32, c as u16, cell).map_err(error)?;
        }
    }
    workbook.save_to_buffer().map_err(error)
}

async fn status(server: &BenchServer, id: &str) -> Result<ImportStatus, String> {
    let body = server.call("imports/status", &[("id", id)]).await?;
    serde_json::from_str(&body).map_err(|e| e.to_string())
}

/// Polls (every 50 ms) until the upload is no longer being read or imported.
async fn settled(server: &BenchServer, id: &str) -> Result<ImportStatus, String> {
    loop {
        let now = status(server, id).await?;
        if !now.in_progress() {
            return Ok(now);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn run(options: Options) -> Result<(), String> {
    sqlx::any::install_default_drivers();
    let database = match &options.postgres {
        Some(admin) => {
            let name = format!("clientele_bench_import_{}", std::process::id());
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(admin)
                .await
                .map_err(|e| e.to_string())?;
            conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .await
                .map_err(|e| e.to_string())?;
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base);
            Some((admin.clone(), name.clone(), format!("{base}/{name}")))
        }
        None => None,
    };
    let outcome = measure(&options, database.as_ref().map(|(_, _, url)| url.as_str())).await;
    if let Some((admin, name, _)) = database {
        if let Ok(mut conn) = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin).await {
            let _ = conn
                .execute(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .await;
        }
    }
    outcome
}

async fn measure(options: &Options, database_url: Option<&str>) -> Result<(), String> {
    let started = Instant::now();
    let bytes = workbook(options.rows)?;
    let written = started.elapsed().as_secs_f64();
    let server = BenchServer::start("bench-import", database_url).await?;
    let before = server.memory_mb("VmRSS")?;

    let started = Instant::now();
    let response = server
        .client
        .post(format!("{}/files", server.url))
        .query(&[("purpose", "import"), ("name", "customers.xlsx")])
        .body(bytes.clone())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let file: app::documents::UploadedFile = response.json().await.map_err(|e| e.to_string())?;
    let uploaded = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let id = server
        .call(
            "imports/start",
            &[
                ("kind", "customers"),
                ("file_id", &file.id),
                ("file_name", "customers.xlsx"),
            ],
        )
        .await?;
    let preview = match settled(&server, &id).await? {
        ImportStatus::Previewed(preview) => preview,
        other => return Err(format!("no preview: {other:?}")),
    };
    let previewed = started.elapsed().as_secs_f64();
    if preview.new != options.rows || preview.bad_rows != 0 {
        return Err(format!(
            "unexpected preview: {} new, {} bad",
            preview.new, preview.bad_rows
        ));
    }

    let started = Instant::now();
    server
        .call(
            "imports/run",
            &[
                ("id", &id),
                ("update_existing", "false"),
                ("good_rows_only", "false"),
            ],
        )
        .await?;
    let report = match settled(&server, &id).await? {
        ImportStatus::Imported { report, .. } => report,
        other => return Err(format!("not imported: {other:?}")),
    };
    let imported = started.elapsed().as_secs_f64();
    let peak = server.memory_mb("VmHWM")?;
    if report.created != options.rows || report.contacts_created != options.rows {
        return Err(format!("unexpected result: {report:?}"));
    }

    let engine = if database_url.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let rate = |seconds: f64| options.rows as f64 / seconds;
    println!(
        "{} customers with a contact each, {:.1} MB xlsx, on {engine} (server on 127.0.0.1)",
        options.rows,
        bytes.len() as f64 / 1_048_576.0
    );
    println!("  workbook written in {written:.1} s; uploaded in {uploaded:.2} s");
    println!(
        "  preview: {previewed:.1} s ({:.0} rows/s) — read, checked, duplicates and matches found",
        rate(previewed)
    );
    println!("  import:  {imported:.1} s ({:.0} rows/s) — one transaction: customers, contacts, assignments, activity", rate(imported));
    println!("  server memory: {before:.0} MB before, peak {peak:.0} MB (VmHWM)");
    Ok(())
}
