//! Faults of the parts around the app: PostgreSQL stopping while the app runs, and SQLite's
//! locking when many write at once.

use crate::common;

use common::outage::Outage;
use common::*;
use reqwest::StatusCode;
use std::time::{Duration, Instant};

/// Pages and server functions answer 503 with a message while PostgreSQL is stopped, and work
/// again by themselves, with no restart, once it is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_postgresql_is_stopped_pages_answer_503_and_the_app_recovers_by_itself() {
    let outage = Outage::proxy(postgres_address()).await;
    let app = TestApp::start_with(Engine::Postgres, None, |url| outage.route(url)).await;
    app.set_up_admin().await;
    create(&app, "Before Outage", "OUT-1", "Oslo").await;
    assert_eq!(app.get("/customers").await.status(), StatusCode::OK);

    outage.stop();
    let asked = Instant::now();
    let page = app.get("/customers").await;
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(page.headers()["retry-after"], "10");
    let html = page.text().await.unwrap();
    assert!(html.contains("cannot reach its database"), "{html}");
    assert!(
        asked.elapsed() < Duration::from_secs(15),
        "told within seconds: {:?}",
        asked.elapsed()
    );
    let (status, body) = app
        .call_json(
            "customers/list",
            serde_json::json!({ "query": app::customers::ListQuery::default() }),
        )
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(
        error_of(status, &body)
            .to_string()
            .contains("Try again in a moment"),
        "{body}"
    );

    outage.start();
    let back = Instant::now();
    loop {
        let status = app.get("/customers").await.status();
        if status == StatusCode::OK {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(30),
            "still {status} 30 s after the database came back"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    create(&app, "After Outage", "OUT-2", "Oslo").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 2);
}

/// Many clients writing and reading at once on a new SQLite database: every answer is a success,
/// none "database is locked". New customers' transactions, begun deferred, were refused at once
/// instead of waiting their turn (5–6 of these 384 requests).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_writers_at_once_on_sqlite_are_never_told_the_database_is_locked() {
    let app = TestApp::start(Engine::Sqlite).await;
    app.set_up_admin().await;
    let customer = create(&app, "Busy Bakery", "BSY-1", "Oslo").await.to_string();
    let tasks: Vec<_> = (0..48)
        .map(|client_number| {
            let (client, url, customer) = (app.client.clone(), app.url.clone(), customer.clone());
            tokio::spawn(async move {
                let mut failures = Vec::new();
                for turn in 0..8 {
                    let n = client_number * 8 + turn;
                    let (name, account) = (format!("Busy {n} Coffee"), format!("BSY-{n}-X"));
                    let (status, body) = match n % 3 {
                        0 => {
                            call_as(
                                &client,
                                &url,
                                "customers/create",
                                &company(&name, &account, "Oslo"),
                            )
                            .await
                        }
                        1 => {
                            let body = format!("Called about order {n}.");
                            call_as(
                                &client,
                                &url,
                                "notes/add",
                                &[("customer_id", &customer), ("body", &body)],
                            )
                            .await
                        }
                        _ => call_as(&client, &url, "contacts/search", &[("q", "bus")]).await,
                    };
                    if !status.is_success() {
                        failures.push(format!("{n}: {status} {body:.200}"));
                    }
                }
                failures
            })
        })
        .collect();
    let mut failures = Vec::new();
    for task in tasks {
        failures.extend(task.await.unwrap());
    }
    assert!(
        failures.is_empty(),
        "{} of 384 failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 1 + 128);
}

/// The file store refuses the bytes (here its folders replaced by plain files, as a full or
/// read-only disk would refuse them; the tests run as root, who may write anywhere): the upload
/// answers 507 with a message, and nothing is kept — no record, no part left in the store. Once
/// the store is back, uploads work again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_the_file_store_refuses_keeps_nothing_and_says_so() {
    use common::listings::{pdf, upload_as, upload_ok};
    let app = TestApp::start(Engine::Sqlite).await;
    app.set_up_admin().await;
    upload_ok(&app, "document", "first.pdf", pdf("first")).await;
    let files = app.data_dir.join("files");
    let entries = |folder: &str| std::fs::read_dir(files.join(folder)).map_or(0, |d| d.count());

    // The blobs folder cannot take a new file: the bytes were written, then could not be kept.
    std::fs::rename(files.join("blobs"), files.join("blobs-aside")).unwrap();
    std::fs::write(files.join("blobs"), b"not a folder").unwrap();
    let (status, body) = upload_as(&app.client, &app.url, "document", "second.pdf", pdf("second")).await;
    assert_eq!(status, StatusCode::INSUFFICIENT_STORAGE, "{body}");
    assert!(
        body.contains("'second.pdf' could not be stored: the file store is full or cannot be written"),
        "{body}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM stored_files").await,
        1,
        "no record without its bytes"
    );
    assert_eq!(entries("incoming"), 0, "no part left behind");

    // Nowhere to write even the parts: refused the same way.
    std::fs::remove_dir_all(files.join("incoming")).ok();
    std::fs::write(files.join("incoming"), b"not a folder").unwrap();
    let (status, body) = upload_as(&app.client, &app.url, "document", "third.pdf", pdf("third")).await;
    assert_eq!(status, StatusCode::INSUFFICIENT_STORAGE, "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM stored_files").await, 1);

    std::fs::remove_file(files.join("incoming")).unwrap();
    std::fs::remove_file(files.join("blobs")).unwrap();
    std::fs::rename(files.join("blobs-aside"), files.join("blobs")).unwrap();
    upload_ok(&app, "document", "second.pdf", pdf("second")).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM stored_files").await, 2);
}
