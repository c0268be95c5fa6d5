//! What a stranger can send is refused before any work: oversized or malformed input with a
//! 4xx and a message, requests from other sites' pages, and pages framed by them.

use crate::common;
use app::customers::ListQuery;
use common::*;
use reqwest::StatusCode;

/// Every search refuses a text past its limit with 422 at its field: a 600-character search of
/// the customers list answered 500 Internal (SQLite's trigram count went over its statement
/// limit).
async fn every_search_refuses_an_overlong_text_at_its_field(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let customer = create(&app, "Harbor Creamery", "ACC-1", "Portland")
        .await
        .to_string();
    let long = "x".repeat(600);
    // Each server function, its form, and the field its search is in.
    type Call<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);
    let forms: Vec<Call> = vec![
        ("contacts/list", vec![("q", &long)], "q"),
        ("contacts/search", vec![("q", &long)], "q"),
        (
            "contacts/of_customer",
            vec![("customer_id", &customer), ("q", &long)],
            "q",
        ),
        ("listings/locations/list", vec![("q", &long), ("page", "0")], "q"),
        ("listings/items/list", vec![("q", &long), ("page", "0")], "q"),
        (
            "bulk_requirements/customers",
            vec![("q", &long), ("status", "all")],
            "q",
        ),
        (
            "profile/parents",
            vec![("customer_id", &customer), ("q", &long)],
            "q",
        ),
        (
            "requirements/sourced",
            vec![("customer_id", &customer), ("level", "location"), ("q", &long)],
            "q",
        ),
        (
            "portal/customer",
            vec![("customer_id", &customer), ("q", &long)],
            "q",
        ),
        (
            "orders/list",
            vec![
                ("filter[customer]", &long),
                ("filter[from]", ""),
                ("filter[to]", ""),
            ],
            "customer",
        ),
    ];
    let mut answers = Vec::new();
    for (endpoint, form, field) in forms {
        answers.push((endpoint, field, app.call(endpoint, &form).await));
    }
    let query = ListQuery {
        q: long.clone(),
        ..Default::default()
    };
    let json_calls = [
        ("customers/list", serde_json::json!({ "query": query }), "q"),
        (
            "activity/log",
            serde_json::json!({"filter": {"customer": long, "action": "", "who": "", "from": "", "to": "", "before": null}}),
            "customer",
        ),
    ];
    for (endpoint, body, field) in json_calls {
        answers.push((endpoint, field, app.call_json(endpoint, body).await));
    }
    for (endpoint, field, (status, body)) in answers {
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{endpoint}: {body}");
        let error = error_of(status, &body);
        assert_eq!(
            error.field_errors().and_then(|e| e.get(field)),
            Some("Search with at most 200 characters."),
            "{endpoint}"
        );
    }
    let (status, body) = app.call("contacts/search", &[("q", &"x".repeat(200))]).await;
    assert!(status.is_success(), "200 characters are searched: {body}");
}

/// A body past the limit of forms is refused from its declared length (413), and a request whose
/// arguments cannot be read is the caller's fault (422): both answered 500 before.
async fn oversized_and_malformed_requests_are_refused_with_a_message(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    // 20 MB declared: the answer comes before the body is sent.
    let cookie = session_cookie(&app).await;
    let answer = answer_before_body(
        &app,
        &format!(
            "POST /api/contacts/search HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\nq=",
            20 * 1024 * 1024
        ),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("The request is larger than 2 MB."), "{answer}");

    let (status, body) = app.call("contacts/search", &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = app
        .call("listings/items/list", &[("q", "spelt"), ("page", "not a number")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = app
        .call_json("customers/list", serde_json::json!({"query": 7}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        error_of(status, &body)
            .field_errors()
            .and_then(|e| e.get("request")),
        Some("The request could not be read. Reload the page and try again.")
    );
}

/// A server function, a form for it, and the field it must refuse.
type Refusal<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);

/// The account, reset and Security log functions refuse each oversized argument at its field,
/// before any work: never a 5xx, nothing changed.
async fn account_functions_refuse_oversized_arguments(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let (long, email) = ("x".repeat(5_000), format!("{}@supplier.example", "a".repeat(300)));
    // Shaped like a token of ours but far too long; and one of the right length not of ours.
    let (token, unknown_token) = ("f".repeat(5_000), "f".repeat(64));
    let calls: [Refusal; 10] = [
        (
            "auth/sign_in",
            vec![("email", &email), ("password", PASSWORD)],
            "email",
        ),
        (
            "auth/sign_in",
            vec![("email", "ada@supplier.example"), ("password", &long)],
            "password",
        ),
        (
            "account/password",
            vec![("current", &long), ("password", PASSWORD), ("confirm", PASSWORD)],
            "current",
        ),
        (
            "account/password",
            vec![("current", PASSWORD), ("password", &long), ("confirm", &long)],
            "password",
        ),
        (
            "password_reset/ask",
            vec![("who", "staff"), ("email", &email)],
            "email",
        ),
        (
            "password_reset/ask",
            vec![("who", &long), ("email", "ada@supplier.example")],
            "who",
        ),
        (
            "password_reset/set",
            vec![
                ("who", "staff"),
                ("token", &unknown_token),
                ("password", &long),
                ("confirm", &long),
            ],
            "password",
        ),
        (
            "password_reset/set",
            vec![
                ("who", &long),
                ("token", &token),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
            "who",
        ),
        ("settings/security_log", vec![("email", &long)], "email"),
        (
            "password_reset/check",
            vec![("who", &long), ("token", &token)],
            "who",
        ),
    ];
    for (endpoint, form, field) in calls {
        let (status, body) = app.call(endpoint, &form).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{endpoint} {field}: {body}"
        );
        assert!(
            error_of(status, &body)
                .field_errors()
                .and_then(|e| e.get(field))
                .is_some(),
            "{endpoint}: {body}"
        );
    }
    // An overlong token is refused at its field; one of ours in shape but unknown is no link.
    let (status, body) = app
        .call("password_reset/check", &[("who", "staff"), ("token", &token)])
        .await;
    common::portal::assert_refused_at(status, &body, "token");
    let (status, body) = app
        .call(
            "password_reset/check",
            &[("who", "staff"), ("token", &unknown_token)],
        )
        .await;
    assert!(status.is_success() && body.contains("Unknown"), "{body}");
    let (status, body) = app
        .call(
            "password_reset/set",
            &[
                ("who", "staff"),
                ("token", &unknown_token),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, body) = app
        .call("settings/users/remove", &[("user_id", "99999999999")])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = app.call("settings/users/remove", &[("user_id", &long)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = app
        .call("settings/security_log", &[("email", ""), ("before", &long)])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // The password is unchanged: it still signs in.
    let (status, _) = call_as(
        &new_client(),
        &app.url,
        "auth/sign_in",
        &[("email", "ada@supplier.example"), ("password", PASSWORD)],
    )
    .await;
    assert!(status.is_success());
}

/// Lists of ids are capped before a write transaction begins: an inventory limited to 6,000
/// locations, or 600 groups at once, are refused at their field and change nothing.
async fn id_lists_past_their_cap_are_refused_before_any_write(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let customer = create(&app, "Harbor Creamery", "ACC-1", "Portland").await;
    let ids: Vec<i64> = (1..=6_000).collect();
    let calls = [
        (
            "integration/inventory",
            serde_json::json!({"customer_id": customer, "limited": true, "location_ids": ids}),
            "location_ids",
            "At most 5000 locations at once; 6000 were sent.",
        ),
        (
            "groups/assign",
            serde_json::json!({"customer_id": customer, "group_ids": ids[..600]}),
            "group_ids",
            "At most 500 groups at once; 600 were sent.",
        ),
    ];
    for (endpoint, body, field, message) in calls {
        let (status, answer) = app.call_json(endpoint, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{endpoint}: {answer}");
        let error = error_of(status, &answer);
        assert_eq!(error.field_errors().and_then(|e| e.get(field)), Some(message));
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM customers WHERE inventory_limited <> 0")
            .await,
        0
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM customer_group_members").await, 0);
}

/// Every response says: not in another site's frame, no guessing of types, no paths (which can
/// hold a link's token) sent to other sites. A stored file keeps its own sandbox (files.rs).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::start(Engine::Sqlite).await;
    app.set_up_admin().await;
    let page = app.get("/customers").await;
    let (status, _) = app.call("contacts/search", &[("q", "ana")]).await;
    assert!(status.is_success());
    let function = app
        .client
        .post(format!("{}/api/contacts/search", app.url))
        .form(&[("q", "ana")])
        .send()
        .await
        .unwrap();
    for response in [&page, &function] {
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        assert!(header("content-security-policy")
            .unwrap()
            .contains("frame-ancestors 'none'"));
        assert_eq!(header("x-frame-options").as_deref(), Some("DENY"));
        assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
        assert_eq!(header("referrer-policy").as_deref(), Some("same-origin"));
        // Served over plain HTTP here: no HSTS.
        assert_eq!(header("strict-transport-security"), None);
    }
}

/// A page's scripts run only with that response's nonce: Leptos's own inline scripts carry it, and
/// a script slipped into a page's text would not. Each response has its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_allow_only_scripts_with_their_own_nonce() {
    let app = TestApp::start(Engine::Sqlite).await;
    app.set_up_admin().await;
    let mut nonces = Vec::new();
    for path in ["/customers", "/login/forgot", "/no-such-page"] {
        let page = app.get(path).await;
        let policy = page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        let html = page.text().await.unwrap();
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("no nonce in {policy}"))
            .to_string();
        assert!(nonce.len() >= 16, "{nonce}");
        assert!(policy.contains("script-src 'self' 'nonce-"), "{policy}");
        assert!(policy.contains("'wasm-unsafe-eval'") && policy.contains("frame-ancestors 'none'"));
        let script_src = policy
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(!script_src.contains("unsafe-inline"), "{script_src}");
        let scripts: Vec<&str> = html.split("<script").skip(1).collect();
        assert!(!scripts.is_empty(), "{path} has Leptos's scripts");
        for script in scripts {
            let tag = script.split('>').next().unwrap_or_default();
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: <script{tag}>"
            );
        }
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 3, "a nonce per response");
}

/// Another site's page posting to a server function or an upload with the visitor's cookies is
/// refused (403); this site's own pages, and clients that are not browsers, go on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_from_other_sites_pages_are_refused() {
    let app = TestApp::start(Engine::Sqlite).await;
    app.set_up_admin().await;
    let post = |path: &str, header: (&'static str, String)| {
        app.client
            .post(format!("{}{path}", app.url))
            .header("Accept", "application/json")
            .header(header.0, header.1)
            .form(&[("q", "ana")])
            .send()
    };
    let cross_site = [
        ("sec-fetch-site", "cross-site".to_string()),
        ("origin", "https://evil.example".to_string()),
    ];
    for header in cross_site {
        for path in ["/api/contacts/search", "/files?purpose=document&name=a.pdf"] {
            let response = post(path, header.clone()).await.unwrap();
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path} {header:?}");
            let body = response.text().await.unwrap();
            assert!(body.contains("came from another site"), "{body}");
        }
    }
    for header in [
        ("sec-fetch-site", "same-origin".to_string()),
        ("origin", app.url.clone()),
    ] {
        let response = post("/api/contacts/search", header.clone()).await.unwrap();
        assert!(response.status().is_success(), "{header:?}");
    }
    // Following a link from elsewhere (a GET) is not refused.
    let page = app
        .client
        .get(format!("{}/customers", app.url))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert!(page.status().is_success());
}

on_both_databases!(
    account_functions_refuse_oversized_arguments,
    every_search_refuses_an_overlong_text_at_its_field,
    oversized_and_malformed_requests_are_refused_with_a_message,
    id_lists_past_their_cap_are_refused_before_any_write,
);
