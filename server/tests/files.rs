//! Stored files over HTTP, on SQLite and on PostgreSQL: upload limits, forged ids, logos, and
//! the removal of abandoned uploads.

use crate::common;

use app::error::AppError;
use app::state::now_ms;
use common::*;

async fn uploads_are_limited_by_kind_and_size(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let upload = |purpose: &'static str, name: &'static str, bytes: Vec<u8>| {
        let app = &app;
        async move { upload_as(&app.client, &app.url, purpose, name, bytes).await }
    };
    let message = |status, body: &str| {
        error_of(status, body)
            .field_errors()
            .and_then(|e| e.get("file").map(String::from))
            .unwrap()
    };

    let (status, body) = upload("document", "setup.exe", b"MZ\x90\x00".to_vec()).await;
    assert!(message(status, &body).contains("only PDF"));
    let (status, body) = upload("document", "report.pdf", b"MZ\x90\x00 not a pdf".to_vec()).await;
    assert!(message(status, &body).contains("does not hold what its name says"));
    let (status, body) = upload("document", "notes.txt", b"line one\0binary".to_vec()).await;
    assert!(message(status, &body).contains("does not hold what its name says"));
    let (status, body) = upload("document", "empty.pdf", vec![]).await;
    assert!(message(status, &body).contains("empty"));

    // Over 25 MB: refused from the declared length, before any of the body is sent…
    let answer = answer_to_declared_length(&app, "document", "big.pdf", 25 * 1024 * 1024 + 1).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("larger than 25 MB"), "{answer}");
    let mut big = pdf("big");
    big.resize(25 * 1024 * 1024 + 1, b' ');
    // …and counted while streaming when no length is declared.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        big.chunks(1024 * 1024).map(|c| Ok(c.to_vec())).collect();
    let response = app
        .client
        .post(format!("{}/files", app.url))
        .query(&[("purpose", "document"), ("name", "big.pdf")])
        .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)))
        .send()
        .await;
    // The server answers as soon as the limit is passed; the client may see that answer or a
    // closed connection, but never a stored file.
    if let Ok(response) = response {
        assert_eq!(response.status(), 413);
    }
    // Exactly 25 MB is accepted.
    big.truncate(25 * 1024 * 1024);
    let (status, body) = upload("document", "max.pdf", big).await;
    assert!(status.is_success(), "{status} {body}");

    // Logos: images up to 2 MB.
    let (status, body) = upload("logo", "logo.pdf", pdf("logo")).await;
    assert!(message(status, &body).contains("PNG, JPEG, SVG or WebP"));
    // Refused from the declared length, before the body is sent (sending it all would race the
    // server closing the connection).
    let answer = answer_to_declared_length(&app, "logo", "logo.png", 2 * 1024 * 1024 + 1).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    assert_eq!(app.count("SELECT COUNT(*) FROM stored_files").await, 1);
    let stranger = new_client();
    let (status, body) = upload_as(&stranger, &app.url, "document", "a.pdf", pdf("a")).await;
    assert_eq!(error_of(status, &body), AppError::Unauthorized);
}

async fn forged_or_missing_files_are_refused(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let plant = create_location(&app, "Plant A", "A").await;
    let audit = type_id(&app, "3rd Party Audit").await;
    let dates = (day(0), day(100));
    let dates = (dates.0.as_str(), dates.1.as_str());
    for (forged, expected) in [
        ("0123456789abcdef0123456789abcdef", "not found"),
        ("../../etc/passwd", "not found"),
        ("", "Choose a file"),
    ] {
        let (status, body) = add_document(&app, "location", plant, audit, "Audit", dates, forged).await;
        let errors = error_of(status, &body).field_errors().cloned().unwrap();
        assert!(errors.get("file").unwrap().contains(expected), "{forged}: {body}");
    }
    let logo = upload_ok(
        &app,
        "logo",
        "logo.svg",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec(),
    )
    .await;
    let (status, body) = add_document(&app, "location", plant, audit, "Audit", dates, &logo).await;
    let errors = error_of(status, &body).field_errors().cloned().unwrap();
    assert!(errors.get("file").unwrap().contains("logo"));
    let (status, body) = add_document(&app, "location", 424242, audit, "Audit", dates, &logo).await;
    assert!(matches!(error_of(status, &body), AppError::NotFound(_)));
    assert_eq!(app.count("SELECT COUNT(*) FROM documents").await, 0);

    assert_eq!(
        app.get("/files/0123456789abcdef0123456789abcdef").await.status(),
        404
    );
    assert_eq!(app.get("/files/..%2F..%2Fetc%2Fpasswd").await.status(), 404);
    // Only logos are shown inline, and an SVG cannot run script there.
    let response = app.get(&format!("/files/{logo}/inline")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    assert!(response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    let document = upload_ok(&app, "document", "a.pdf", pdf("a")).await;
    assert_eq!(app.get(&format!("/files/{document}/inline")).await.status(), 404);
    // Downloads are for signed-in staff.
    let stranger = new_client();
    let response = stranger
        .get(format!("{}/files/{document}", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

async fn a_customer_logo_is_an_uploaded_image(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&[0; 64]);
    let logo = upload_ok(&app, "logo", "uptown.png", png.clone()).await;
    let document = upload_ok(&app, "document", "a.pdf", pdf("a")).await;
    for (forged, expected) in [
        (document.as_str(), "not found"),
        ("0123456789abcdef0123456789abcdef", "not found"),
        ("x", "not found"),
    ] {
        let mut form = company("Coffee Uptown", "ACC-1", "Portland");
        form.push(("company[logo_file_id]", forged));
        let (status, body) = app.call("customers/create", &form).await;
        let errors = error_of(status, &body).field_errors().cloned().unwrap();
        assert!(errors.get("logo").unwrap().contains(expected), "{forged}: {body}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 0);

    let mut form = company("Coffee Uptown", "ACC-1", "Portland");
    form.push(("company[logo_file_id]", &logo));
    let (status, body) = app.call("customers/create", &form).await;
    assert!(status.is_success(), "{body}");
    let id = body;
    let (status, body) = app.call("customers/get", &[("id", &id)]).await;
    assert!(status.is_success(), "{body}");
    let customer: app::customers::Customer = serde_json::from_str(&body).unwrap();
    assert_eq!(customer.logo_file_id.as_deref(), Some(logo.as_str()));
    let page = list(&app, &app::customers::ListQuery::default()).await;
    assert_eq!(page.rows[0].logo_file_id.as_deref(), Some(logo.as_str()));
    let response = app.get(&format!("/files/{logo}/inline")).await;
    assert_eq!(response.headers()["content-type"], "image/png");
    assert_eq!(response.bytes().await.unwrap().to_vec(), png);
}

async fn abandoned_uploads_are_removed_after_a_day_and_used_ones_kept(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let plant = create_location(&app, "Plant A", "A").await;
    let audit = type_id(&app, "3rd Party Audit").await;
    let bytes = pdf("shared");
    let used = upload_ok(&app, "document", "used.pdf", bytes.clone()).await;
    let abandoned_twin = upload_ok(&app, "document", "twin.pdf", bytes.clone()).await;
    let abandoned = upload_ok(&app, "document", "alone.pdf", pdf("alone")).await;
    upload_ok(&app, "document", "fresh.pdf", pdf("fresh")).await;
    let (status, body) =
        add_document(&app, "location", plant, audit, "Audit", (&day(0), &day(9)), &used).await;
    assert!(status.is_success(), "{body}");
    let two_days_ago = now_ms() - 48 * 3600 * 1000;
    for id in [&used, &abandoned_twin, &abandoned] {
        sqlx::query("UPDATE stored_files SET created_at = $1 WHERE id = $2")
            .bind(two_days_ago)
            .bind(id.as_str())
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    let files = app::documents::files::FileStore::open(&app.data_dir.display().to_string(), None).unwrap();
    let state = app::state::AppState::new(app.db.clone(), files, app.url.clone());
    assert_eq!(app::documents::files::prune_abandoned(&state).await.unwrap(), 2);

    let left: Vec<String> = sqlx::query_scalar("SELECT file_name FROM stored_files ORDER BY file_name")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(left, ["fresh.pdf", "used.pdf"]);
    // The used file's bytes, shared with its abandoned twin, are still there.
    let response = app.get(&format!("/files/{used}")).await;
    assert_eq!(response.bytes().await.unwrap().to_vec(), bytes);
    assert_eq!(app.get(&format!("/files/{abandoned}")).await.status(), 404);
    let blobs = std::fs::read_dir(app.data_dir.join("files/blobs"))
        .unwrap()
        .count();
    assert_eq!(blobs, 2, "the shared blob and the fresh one");
}

async fn a_file_taken_up_after_it_was_found_abandoned_is_kept(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let plant = create_location(&app, "Plant A", "A").await;
    let audit = type_id(&app, "3rd Party Audit").await;
    let late = upload_ok(&app, "document", "late.pdf", pdf("late")).await;
    sqlx::query("UPDATE stored_files SET created_at = 0 WHERE id = $1")
        .bind(late.as_str())
        .execute(&app.db.pool)
        .await
        .unwrap();
    let found = app::documents::db::abandoned_files(&app.db, now_ms())
        .await
        .unwrap();
    assert_eq!(
        found.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
        [late.as_str()]
    );
    // The form is sent between the housekeeping's search and its removal.
    let (status, body) =
        add_document(&app, "location", plant, audit, "Audit", (&day(0), &day(9)), &late).await;
    assert!(status.is_success(), "{body}");
    assert!(!app::documents::db::delete_file_record(&app.db, &late)
        .await
        .unwrap());
    assert_eq!(app.get(&format!("/files/{late}")).await.status(), 200);
}

async fn parts_left_by_interrupted_uploads_are_swept_after_a_day(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let incoming = app.data_dir.join("files/incoming");
    std::fs::create_dir_all(&incoming).unwrap();
    let old = incoming.join("0123#1");
    let young = incoming.join("4567#1");
    std::fs::write(&old, b"part of an upload cut off by a crash").unwrap();
    std::fs::write(&young, b"part of an upload under way").unwrap();
    let two_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(48 * 3600);
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(two_days_ago)
        .unwrap();
    let files = app::documents::files::FileStore::open(&app.data_dir.display().to_string(), None).unwrap();
    let state = app::state::AppState::new(app.db.clone(), files, app.url.clone());
    app::documents::files::prune_abandoned(&state).await.unwrap();
    assert!(!old.exists(), "the day-old part is gone");
    assert!(young.exists(), "an upload under way keeps its part");
}

on_both_databases!(
    parts_left_by_interrupted_uploads_are_swept_after_a_day,
    uploads_are_limited_by_kind_and_size,
    forged_or_missing_files_are_refused,
    a_customer_logo_is_an_uploaded_image,
    abandoned_uploads_are_removed_after_a_day_and_used_ones_kept,
    a_file_taken_up_after_it_was_found_abandoned_is_kept,
);

/// Housekeeping removes an abandoned upload's bytes while uploads of the same bytes come in, again
/// and again: every upload kept is downloaded whole. An upload puts its bytes in place before its
/// record's transaction, so a removal may run in between; the upload must see it and put them
/// back.
async fn uploads_racing_the_removal_of_the_same_bytes_keep_their_bytes(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let files = app::documents::files::FileStore::open(&app.data_dir.display().to_string(), None).unwrap();
    let state = app::state::AppState::new(app.db.clone(), files, app.url.clone());
    let mut kept = Vec::new();
    for round in 0..30 {
        // Bytes of its own each round, so that the files kept before do not keep them.
        let bytes = pdf(&format!("raced {round}"));
        let old = upload_ok(&app, "document", "old.pdf", bytes.clone()).await;
        sqlx::query("UPDATE stored_files SET created_at = 0 WHERE id = $1")
            .bind(old.as_str())
            .execute(&app.db.pool)
            .await
            .unwrap();
        let (removed, new) = tokio::join!(
            app::documents::files::prune_abandoned(&state),
            upload_ok(&app, "document", "new.pdf", bytes.clone())
        );
        removed.unwrap();
        kept.push((new, bytes));
        // Kept from the next round's removal.
        sqlx::query("UPDATE stored_files SET created_at = $1 WHERE id = $2")
            .bind(now_ms() + 3_600_000)
            .bind(kept[round].0.as_str())
            .execute(&app.db.pool)
            .await
            .unwrap();
        for (id, bytes) in &kept {
            let response = app.get(&format!("/files/{id}")).await;
            assert_eq!(response.status(), 200, "file {id}");
            assert_eq!(&response.bytes().await.unwrap().to_vec(), bytes);
        }
    }
}

on_both_databases!(uploads_racing_the_removal_of_the_same_bytes_keep_their_bytes);

/// Bytes placed for an upload whose record was never kept (the server stopped between the two)
/// are swept by housekeeping once a day old; bytes a stored file has, and young ones, stay.
async fn bytes_no_record_names_are_swept_after_a_day(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let kept = upload_ok(&app, "document", "kept.pdf", pdf("kept")).await;
    let blobs = app.data_dir.join("files/blobs");
    let two_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(48 * 3600);
    let stray = blobs.join(format!("{:064x}", 7));
    let young = blobs.join(format!("{:064x}", 8));
    std::fs::write(&stray, b"never recorded").unwrap();
    std::fs::write(&young, b"being recorded").unwrap();
    for entry in std::fs::read_dir(&blobs).unwrap() {
        let path = entry.unwrap().path();
        if path != young {
            let file = std::fs::File::options().write(true).open(&path).unwrap();
            file.set_modified(two_days_ago).unwrap();
        }
    }
    let files = app::documents::files::FileStore::open(&app.data_dir.display().to_string(), None).unwrap();
    let state = app::state::AppState::new(app.db.clone(), files, app.url.clone());
    app::documents::files::prune_abandoned(&state).await.unwrap();

    assert!(!stray.exists(), "bytes no record names were kept");
    assert!(young.exists(), "bytes perhaps being recorded were removed");
    let response = app.get(&format!("/files/{kept}")).await;
    assert_eq!(response.bytes().await.unwrap().to_vec(), pdf("kept"));
}

on_both_databases!(bytes_no_record_names_are_swept_after_a_day);
