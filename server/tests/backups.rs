//! `server backup` and `server restore` on an SQLite install: a copy taken while the app serves
//! and writes, put back in a new place, holds every table's rows and every file byte for byte.

use crate::common;

use common::*;
use sqlx::Row;
use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str], data_dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/clientele.db", data_dir.display()),
        )
        .env("DATA_DIR", data_dir)
        .env_remove("STORAGE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the server binary runs")
}

fn succeeded(output: &Output) -> String {
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "{text} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    text
}

/// Every table of the database, each as its rows in a stable order, quoted as SQLite quotes them.
async fn tables(path: &Path) -> Vec<(String, Vec<String>)> {
    let db = app::state::Db::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let mut dump = Vec::new();
    for name in names {
        let columns: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA table_info(\"{name}\")")))
            .fetch_all(&db.pool)
            .await
            .unwrap()
            .iter()
            .map(|row| row.get::<String, _>("name"))
            .collect();
        let row = columns
            .iter()
            .map(|c| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT {row} AS r FROM \"{name}\" ORDER BY r"
        )))
        .fetch_all(&db.pool)
        .await
        .unwrap();
        dump.push((name, rows));
    }
    db.pool.close().await;
    dump
}

/// Every file under `folder`, by its path inside, with its bytes.
fn files(folder: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let mut folders = vec![folder.to_path_buf()];
    while let Some(current) = folders.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let inside = path.strip_prefix(folder).unwrap().display().to_string();
                found.push((inside, std::fs::read(&path).unwrap()));
            }
        }
    }
    found.sort();
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_the_app_runs_restores_every_table_and_file() {
    let app = TestApp::start(Engine::Sqlite).await;
    app.set_up_admin().await;
    for n in 0..5 {
        create(&app, &format!("Coffee {n}"), &format!("C-{n}"), "Portland").await;
    }
    upload_ok(&app, "document", "haccp.pdf", pdf("haccp")).await;
    upload_ok(&app, "document", "audit.pdf", pdf("audit")).await;
    let folder = tempfile::tempdir().unwrap();

    // Taken while customers are being added: the copy does not wait for them, nor they for it.
    let writing = {
        let (url, client) = (app.url.clone(), app.client.clone());
        tokio::spawn(async move {
            for n in 5..40 {
                let (name, account) = (format!("Busy {n}"), format!("B-{n}"));
                let form = company(&name, &account, "Portland");
                let (status, body) = call_as(&client, &url, "customers/create", &form).await;
                assert!(status.is_success(), "{body}");
            }
        })
    };
    let busy = folder.path().join("busy.zip");
    let data_dir = app.data_dir.clone();
    let busy_arg = busy.display().to_string();
    let output = tokio::task::spawn_blocking(move || run(&["backup", &busy_arg], &data_dir))
        .await
        .unwrap();
    assert!(succeeded(&output).starts_with("Backed up the database"));
    writing.await.unwrap();
    let restored_busy = folder.path().join("restored-busy");
    succeeded(&run(&["restore", &busy.display().to_string()], &restored_busy));
    let customers = tables(&restored_busy.join("clientele.db"))
        .await
        .into_iter()
        .find(|(name, _)| name == "customers")
        .unwrap()
        .1
        .len();
    assert!(
        (5..=40).contains(&customers),
        "{customers} customers in the busy copy"
    );

    // Taken when still, it is the database and the files exactly.
    let still = folder.path().join("still.zip");
    let text = succeeded(&run(&["backup", &still.display().to_string()], &app.data_dir));
    assert!(text.contains("and 2 files"), "{text}");
    let restored = folder.path().join("restored");
    succeeded(&run(&["restore", &still.display().to_string()], &restored));
    let (before, after) = (
        tables(&app.data_dir.join("clientele.db")).await,
        tables(&restored.join("clientele.db")).await,
    );
    assert!(before
        .iter()
        .any(|(name, rows)| name == "customers" && rows.len() == 40));
    assert_eq!(before, after);
    assert_eq!(files(&app.data_dir.join("files")), files(&restored.join("files")));
}

#[test]
fn restore_never_overwrites_by_accident_nor_writes_outside() {
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("clientele.db"), b"the database of now").unwrap();
    // An archive whose entry climbs out of the data folder.
    let hostile = folder.path().join("hostile.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&hostile).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for name in ["clientele.db", "files/../../escaped.txt"] {
        zip.start_file(name, options).unwrap();
        std::io::Write::write_all(&mut zip, b"x").unwrap();
    }
    zip.finish().unwrap();

    let refused = run(&["restore", &hostile.display().to_string()], &data);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--replace"));
    assert_eq!(
        std::fs::read(data.join("clientele.db")).unwrap(),
        b"the database of now"
    );

    let refused = run(&["restore", &hostile.display().to_string(), "--replace"], &data);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("leads outside"));
    assert!(!folder.path().join("escaped.txt").exists());
    assert_eq!(
        std::fs::read(data.join("clientele.db")).unwrap(),
        b"the database of now"
    );

    let not_a_backup = folder.path().join("notes.txt");
    std::fs::write(&not_a_backup, b"hello").unwrap();
    let refused = run(
        &["restore", &not_a_backup.display().to_string(), "--replace"],
        &data,
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is not a Clientele backup"));
}
