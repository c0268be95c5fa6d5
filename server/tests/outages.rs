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
    assert!(html.contains("database is not answering"), "{html}");
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

/// Writers queued for SQLite's one write lock wait without holding a connection: while 20
/// writers wait behind a long transaction, a reader is answered at once, and each writer then
/// writes. Each used to take one of the pool's eight connections to wait in, and the reader
/// waited for the pool (6–7 s stalls for every page under load).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_are_answered_while_writers_wait_their_turn_on_sqlite() {
    let folder = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/turns.db", folder.path().display());
    let db = app::state::Db::connect(&url).await.unwrap();
    let long_write = db.begin().await.unwrap();
    let writers: Vec<_> = (0..20)
        .map(|n| {
            let db = db.clone();
            tokio::spawn(async move {
                let mut tx = db.begin().await?;
                sqlx::query("INSERT INTO settings (key, value) VALUES ($1, 'x')")
                    .bind(format!("turn-{n}"))
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;

    let asked = Instant::now();
    let read = tokio::time::timeout(
        Duration::from_secs(2),
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM settings WHERE key LIKE 'turn-%'")
            .fetch_one(&db.pool),
    )
    .await;
    assert!(
        matches!(read, Ok(Ok(0))),
        "the reader waited {:?}: {read:?}",
        asked.elapsed()
    );
    assert!(
        asked.elapsed() < Duration::from_millis(500),
        "{:?}",
        asked.elapsed()
    );

    long_write.commit().await.unwrap();
    for writer in writers {
        writer.await.unwrap().unwrap();
    }
    let written: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM settings WHERE key LIKE 'turn-%'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(written, 20);
}

/// What is written reaches the SQLite database file within seconds, copied from the write-ahead
/// log by the server in the background rather than by a write's own commit (which held every
/// other write waiting). A copy of the file alone, without the log, holds a new customer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_reach_the_sqlite_file_in_the_background() {
    let app = TestApp::start(Engine::Sqlite).await;
    app.set_up_admin().await;
    create(&app, "Checkpoint Creamery", "CHK-1", "Oslo").await;
    let copy = tempfile::tempdir().unwrap();
    let copied = copy.path().join("copy.db");
    let mut found = 0;
    for _ in 0..40 {
        std::fs::copy(app.data_dir.join("clientele.db"), &copied).unwrap();
        let url = format!("sqlite://{}?mode=ro", copied.display());
        // A copy taken while a checkpoint writes may be torn: it counts as not there yet.
        if let Ok(mut conn) = <sqlx::AnyConnection as sqlx::Connection>::connect(&url).await {
            found = sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE name = 'Checkpoint Creamery'")
                .fetch_one(&mut conn)
                .await
                .unwrap_or(0);
            let _ = sqlx::Connection::close(conn).await;
        }
        if found == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(found, 1, "the customer never reached the database file");
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
