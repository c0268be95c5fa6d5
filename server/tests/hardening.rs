//! What a stranger can send does not take the server down or lock anyone out: floods of costly
//! requests are bounded, guessed passwords slowed down without stopping the person they target.

use crate::common;
use app::customers::ListQuery;
use common::*;
use reqwest::StatusCode;
use std::time::{Duration, Instant};

/// The server's peak memory so far, in MB (`VmHWM`).
fn peak_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM")).unwrap();
    let kb: f64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb / 1024.0
}

/// Each password check holds argon2's 19 MiB: 200 sign-ins at once, unbounded, took a server
/// from 67 MB to 3.8 GB. A few are checked at once, a few dozen wait, the rest are told to try
/// again (429), and the server stays small and answers its other requests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_sign_ins_is_checked_a_few_at_a_time_in_bounded_memory() {
    let app = TestApp::start(Engine::Sqlite).await;
    app.set_up_admin().await;
    let (mut server, url) = spawn_server(&app, None);
    wait_until_up(&url).await;
    let client = reqwest::Client::new();
    let attempts: Vec<_> = (0..200)
        .map(|i| {
            let (client, url) = (client.clone(), url.clone());
            tokio::spawn(async move {
                client
                    .post(format!("{url}/api/auth/sign_in"))
                    .header("Accept", "application/json")
                    .form(&[
                        ("email", format!("stranger{i}@elsewhere.example")),
                        ("password", "not anyone's password".to_string()),
                    ])
                    .send()
                    .await
                    .map(|r| r.status())
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let asked = Instant::now();
    let health = client
        .get(format!("{url}/healthz"))
        .send()
        .await
        .unwrap()
        .status();
    let health_took = asked.elapsed();
    let mut statuses = Vec::new();
    for attempt in attempts {
        statuses.push(attempt.await.unwrap().unwrap());
    }
    let peak = peak_mb(server.id());
    server.kill().unwrap();
    server.wait().unwrap();

    assert_eq!(health, StatusCode::OK);
    assert!(
        health_took < Duration::from_secs(2),
        "/healthz took {health_took:?}"
    );
    let refused_wrong = statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count();
    let busy = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(
        refused_wrong + busy,
        200,
        "every attempt is refused as wrong, or told to try again: {statuses:?}"
    );
    assert!(
        refused_wrong >= 2 && busy >= 1,
        "{refused_wrong} checked, {busy} told to wait"
    );
    assert!(peak < 300.0, "the server peaked at {peak:.0} MB");
}

async fn sign_in(
    client: &reqwest::Client,
    app: &TestApp,
    email: &str,
    password: &str,
) -> (StatusCode, String) {
    call_as(
        client,
        &app.url,
        "auth/sign_in",
        &[("email", email), ("password", password)],
    )
    .await
}

/// Thirty guesses at the Admin's email from a stranger slowed down every sign-in to it for 15
/// minutes, the Admin's own included. Now the browser the Admin signed in with before is counted
/// apart; browsers new to the email stay slowed down.
async fn a_strangers_guesses_do_not_lock_the_admin_out_of_their_usual_browser(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let usual = new_client();
    let first = usual
        .post(format!("{}/api/auth/sign_in", app.url))
        .header("Accept", "application/json")
        .form(&[("email", "ada@supplier.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(first.status().is_success());
    let device = cookie_set(&first, "clientele_device").expect("the browser is given a device token");
    assert!(
        device.contains("HttpOnly") && device.contains("SameSite=Lax"),
        "{device}"
    );
    let token = device["clientele_device=".len()..].split(';').next().unwrap();
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM known_devices")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored.len(), 64);
    assert_ne!(stored, token, "the database keeps the token's hash only");

    let stranger = new_client();
    let mut last = String::new();
    for _ in 0..30 {
        let (status, body) = sign_in(&stranger, &app, "ADA@supplier.example", "a guess at it").await;
        last = error_of(status, &body).to_string();
    }
    assert!(
        last.starts_with("Too many failed sign-ins for this email. Try again in"),
        "{last}"
    );
    let (status, body) = sign_in(&stranger, &app, "ada@supplier.example", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let (status, _) = sign_in(&new_client(), &app, "ada@supplier.example", PASSWORD).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "a browser new to the email still waits"
    );

    let (status, body) = sign_in(&usual, &app, "ada@supplier.example", PASSWORD).await;
    assert!(status.is_success(), "the Admin's usual browser signs in: {body}");
    // The stranger's failures still count against strangers.
    let (status, _) = sign_in(&stranger, &app, "ada@supplier.example", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

/// One address guessing a password for one email after another is slowed down as a whole, while
/// a browser that signed in to its email before still signs in from there.
async fn one_address_guessing_across_many_emails_is_slowed_down(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let usual = new_client();
    let (status, _) = sign_in(&usual, &app, "ada@supplier.example", PASSWORD).await;
    assert!(status.is_success());
    let stranger = new_client();
    for i in 0..30 {
        let email = format!("someone{i}@supplier.example");
        let (status, body) = sign_in(&stranger, &app, &email, "a guess at it").await;
        assert_eq!(status, StatusCode::CONFLICT, "{i}: {body}");
    }
    let (status, body) = sign_in(&stranger, &app, "someone.else@supplier.example", "a guess").await;
    let message = error_of(status, &body).to_string();
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        message.starts_with("Too many failed sign-ins from your network. Try again in"),
        "{message}"
    );
    let (status, body) = sign_in(&usual, &app, "ada@supplier.example", PASSWORD).await;
    assert!(status.is_success(), "{body}");
}

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

/// On PostgreSQL two first-run setups at once could both succeed: two first Admins. Each round,
/// two setups race; exactly one makes an Admin, the other is told Clientele is set up.
async fn two_first_run_setups_at_once_make_one_admin(engine: Engine) {
    for round in 0..3 {
        let app = TestApp::start(engine).await;
        let setup = |email: &'static str| {
            let (client, url) = (new_client(), app.url.clone());
            async move {
                call_as(
                    &client,
                    &url,
                    "auth/setup",
                    &[("name", "Ada Admin"), ("email", email), ("password", PASSWORD)],
                )
                .await
            }
        };
        let (first, second) = tokio::join!(setup("ada@supplier.example"), setup("bob@supplier.example"));
        let made: Vec<_> = [&first, &second]
            .into_iter()
            .filter(|(s, _)| s.is_success())
            .collect();
        assert_eq!(made.len(), 1, "round {round}: {first:?} {second:?}");
        let refused = if first.0.is_success() { &second } else { &first };
        assert_eq!(
            error_of(refused.0, &refused.1).to_string(),
            "Clientele is already set up. Sign in instead."
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM staff_users").await, 1);
    }
}

/// Two Admins demoting each other at once each saw the other still Admin, and left none. Each
/// round, both try; one is refused, and an Admin remains.
async fn two_admins_demoting_each_other_at_once_leave_one(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let bob = app.client_for_new_user("bob@supplier.example", "admin").await;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM staff_users ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    let (ada_id, bob_id) = (ids[0].to_string(), ids[1].to_string());
    let demote_bob = [("user_id", bob_id.as_str()), ("role", "staff")];
    let demote_ada = [("user_id", ada_id.as_str()), ("role", "staff")];
    for round in 0..5 {
        let (ada_demotes, bob_demotes) = tokio::join!(
            app.call("settings/users/role", &demote_bob),
            call_as(&bob, &app.url, "settings/users/role", &demote_ada),
        );
        let admins = app
            .count("SELECT COUNT(*) FROM staff_users WHERE role = 'admin'")
            .await;
        assert_eq!(admins, 1, "round {round}: {ada_demotes:?} {bob_demotes:?}");
        // Whoever is still Admin makes the other Admin again for the next round.
        let (status, body) = if ada_demotes.0.is_success() {
            app.call("settings/users/role", &[("user_id", &bob_id), ("role", "admin")])
                .await
        } else {
            call_as(
                &bob,
                &app.url,
                "settings/users/role",
                &[("user_id", &ada_id), ("role", "admin")],
            )
            .await
        };
        assert!(status.is_success(), "{body}");
    }
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
    a_strangers_guesses_do_not_lock_the_admin_out_of_their_usual_browser,
    one_address_guessing_across_many_emails_is_slowed_down,
    every_search_refuses_an_overlong_text_at_its_field,
    oversized_and_malformed_requests_are_refused_with_a_message,
    id_lists_past_their_cap_are_refused_before_any_write,
    two_first_run_setups_at_once_make_one_admin,
    two_admins_demoting_each_other_at_once_leave_one,
);
