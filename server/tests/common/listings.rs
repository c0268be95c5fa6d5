//! Helpers for listings and documents: uploads, locations, items, document types, documents.

use super::*;
use reqwest::StatusCode;

/// Uploads `bytes` as a file called `name` to `/files`; returns the status and the body.
pub async fn upload_as(
    client: &reqwest::Client,
    url: &str,
    purpose: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (StatusCode, String) {
    let response = client
        .post(format!("{url}/files"))
        .query(&[("purpose", purpose), ("name", name)])
        .body(bytes)
        .send()
        .await
        .expect("upload");
    (response.status(), response.text().await.expect("body"))
}

/// The server's answer to an upload that declares `length` bytes, read before any of the body is
/// sent: how a too-large file is refused at once.
pub async fn answer_to_declared_length(app: &TestApp, purpose: &str, name: &str, length: usize) -> String {
    let cookie = session_cookie(app).await;
    answer_before_body(
        app,
        &format!(
            "POST /files?purpose={purpose}&name={name} HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\n\
             Content-Length: {length}\r\n\r\n"
        ),
    )
    .await
}

/// The server's answer to a request of which only `head` is sent, never the body it declares.
pub async fn answer_before_body(app: &TestApp, head: &str) -> String {
    let mut connection = tokio::net::TcpStream::connect(app.url.trim_start_matches("http://"))
        .await
        .unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut connection, head.as_bytes())
        .await
        .unwrap();
    let mut answer = vec![0; 4096];
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        tokio::io::AsyncReadExt::read(&mut connection, &mut answer),
    )
    .await
    .expect("an answer without waiting for the body")
    .unwrap();
    String::from_utf8_lossy(&answer[..read]).into_owned()
}

/// Uploads a file as the app's signed-in client and returns its id.
pub async fn upload_ok(app: &TestApp, purpose: &str, name: &str, bytes: Vec<u8>) -> String {
    let (status, body) = upload_as(&app.client, &app.url, purpose, name, bytes).await;
    assert!(status.is_success(), "upload failed: {status} {body}");
    let file: app::documents::UploadedFile = serde_json::from_str(&body).expect("uploaded file");
    file.id
}

/// A small but real PDF, different for each `marker`.
pub fn pdf(marker: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% {marker}\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

pub fn location<'a>(name: &'a str, code: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("location[name]", name),
        ("location[code]", code),
        ("location[street]", "200 Industrial Way"),
        ("location[city]", "Portland"),
        ("location[region]", "OR"),
        ("location[postal_code]", "97210"),
        ("location[country]", "United States"),
    ]
}

pub async fn create_location(app: &TestApp, name: &str, code: &str) -> i64 {
    let (status, body) = app.call("listings/locations/create", &location(name, code)).await;
    assert!(status.is_success(), "create location failed: {status} {body}");
    body.parse().expect("id")
}

pub async fn create_item(app: &TestApp, sku: &str, name: &str, price: &str, location_ids: &str) -> i64 {
    let (status, body) = app
        .call(
            "listings/items/create",
            &[
                ("item[sku]", sku),
                ("item[name]", name),
                ("item[description]", ""),
                ("item[unit_price]", price),
                ("location_ids", location_ids),
                ("active", "on"),
            ],
        )
        .await;
    assert!(status.is_success(), "create item failed: {status} {body}");
    body.parse().expect("id")
}

/// The id of the document type called `name`.
pub async fn type_id(app: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM document_types WHERE name = $1")
        .bind(name)
        .fetch_one(&app.db.pool)
        .await
        .expect("document type")
}

/// Stores a document for a location or item from an uploaded file; returns the status and body.
pub async fn add_document(
    app: &TestApp,
    level: &str,
    owner_id: i64,
    type_id: i64,
    title: &str,
    dates: (&str, &str),
    file_id: &str,
) -> (StatusCode, String) {
    app.call(
        "documents/add",
        &[
            ("level", level),
            ("owner_id", &owner_id.to_string()),
            ("document[type_id]", &type_id.to_string()),
            ("document[title]", title),
            ("document[effective_on]", dates.0),
            ("document[expires_on]", dates.1),
            ("document[file_id]", file_id),
        ],
    )
    .await
}
