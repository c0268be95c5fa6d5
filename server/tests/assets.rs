//! Built files: served compressed and revalidated (a build with hashed names is cached for a
//! year instead); a miss is never cached.

use crate::common;

use common::*;
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING};

#[tokio::test]
async fn built_files_are_compressed_and_revalidated_but_misses_are_not_cached() {
    let app = TestApp::start(Engine::Sqlite).await;
    let script = "export function hydrate() { console.log('hydrated'); }\n".repeat(40);
    std::fs::write(app.site.join("pkg/clientele.abc123.js"), &script).unwrap();

    let found = app
        .client
        .get(format!("{}/pkg/clientele.abc123.js", app.url))
        .header(ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(found.status(), 200);
    assert_eq!(found.headers()[CONTENT_ENCODING], "gzip");
    assert_eq!(found.headers()[CACHE_CONTROL], "no-cache");
    assert!(found.bytes().await.unwrap().len() < script.len() / 4);

    let missing = app.get("/pkg/clientele.other.js").await;
    assert_eq!(missing.status(), 404);
    assert!(missing.headers().get(CACHE_CONTROL).is_none());
}

/// GETs `path` asking for compression as Chromium does: brotli is its first choice.
async fn get_as_a_browser(app: &TestApp, path: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.url))
        .header(ACCEPT_ENCODING, "gzip, deflate, br, zstd")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn pages_go_with_gzip_and_built_files_with_their_brotli() {
    let app = TestApp::start(Engine::Sqlite).await;
    app.set_up_admin().await;
    let page = get_as_a_browser(&app, "/customers").await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()[CONTENT_ENCODING], "gzip");

    let script = "export function hydrate() { console.log('hydrated'); }\n".repeat(40);
    std::fs::write(app.site.join("pkg/clientele.def456.js"), &script).unwrap();
    std::fs::write(
        app.site.join("pkg/clientele.def456.js.br"),
        b"made once by the build",
    )
    .unwrap();
    let built = get_as_a_browser(&app, "/pkg/clientele.def456.js").await;
    assert_eq!(built.headers()[CONTENT_ENCODING], "br");
    assert_eq!(&built.bytes().await.unwrap()[..], b"made once by the build");
}
