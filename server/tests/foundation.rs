//! The foundation end to end over HTTP, on SQLite and on PostgreSQL: health, first run, signing
//! in, customers (create, validate, edit with conflicts, delete, Trash, restore), search pages.

mod common;

use app::customers::{CustomerPageData, ListQuery, SaveOutcome, SortKey, StatusFilter};
use app::error::AppError;
use common::{call_as, new_client, Engine, TestApp, PASSWORD};
use reqwest::StatusCode;

fn error_of(status: StatusCode, body: &str) -> AppError {
    assert!(!status.is_success(), "expected an error, got {status}: {body}");
    let error: AppError =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"));
    assert_eq!(status.as_u16(), error.status().as_u16(), "status of {error:?}");
    error
}

fn company<'a>(name: &'a str, account: &'a str, city: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("company[name]", name),
        ("company[account_number]", account),
        ("company[street]", "1 Main St"),
        ("company[city]", city),
        ("company[region]", "OR"),
        ("company[postal_code]", "97201"),
        ("company[country]", "United States"),
        ("company[phone]", "+1 503 555 0100"),
        ("company[website]", "example.com"),
    ]
}

async fn create(app: &TestApp, name: &str, account: &str, city: &str) -> i64 {
    let (status, body) = app.call("customers/create", &company(name, account, city)).await;
    assert!(status.is_success(), "create failed: {status} {body}");
    body.parse().expect("id")
}

async fn list(app: &TestApp, query: &ListQuery) -> CustomerPageData {
    let (status, body) = app
        .call_json("customers/list", serde_json::json!({ "query": query }))
        .await;
    assert!(status.is_success(), "list failed: {status} {body}");
    serde_json::from_str(&body).expect("page")
}

async fn health_reports_the_database(engine: Engine) {
    let app = TestApp::start(engine).await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    let expected = match engine {
        Engine::Sqlite => "sqlite",
        Engine::Postgres => "postgres",
    };
    assert_eq!(body, serde_json::json!({"status": "ok", "database": expected}));
}

async fn first_run_leads_every_page_to_setup_once(engine: Engine) {
    let app = TestApp::start(engine).await;
    let response = app.get("/customers").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/setup");

    let (status, body) = app
        .call(
            "auth/setup",
            &[("name", ""), ("email", "ada@"), ("password", "short")],
        )
        .await;
    let errors = error_of(status, &body)
        .field_errors()
        .cloned()
        .expect("field errors");
    assert_eq!(errors.get("name"), Some("Name is required."));
    assert_eq!(errors.get("email"), Some("'ada@' is not an email address."));
    assert!(errors.get("password").unwrap().contains("at least 10"));
    assert_eq!(app.count("SELECT COUNT(*) FROM staff_users").await, 0);

    let response = app
        .client
        .post(format!("{}/api/auth/setup", app.url))
        .form(&[
            ("name", "Ada Admin"),
            ("email", "ada@supplier.example"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM staff_users")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");

    // Signed in by setup; setup itself is closed from now on.
    assert_eq!(app.get("/customers").await.status(), StatusCode::OK);
    let again = new_client();
    let (status, body) = call_as(
        &again,
        &app.url,
        "auth/setup",
        &[
            ("name", "Eve"),
            ("email", "eve@x.example"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert!(matches!(error_of(status, &body), AppError::Refused(_)));
    let response = again.get(format!("{}/setup", app.url)).send().await.unwrap();
    assert_eq!(response.headers()["location"], "/login");
    let response = again
        .get(format!("{}/customers?q=a", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/login?next=/customers%3Fq%3Da");
}

async fn repeated_failed_sign_ins_are_slowed_down(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let client = new_client();
    let attempt = |password: &'static str| {
        let (client, url) = (client.clone(), app.url.clone());
        async move {
            call_as(
                &client,
                &url,
                "auth/sign_in",
                &[("email", "ADA@supplier.example"), ("password", password)],
            )
            .await
        }
    };
    for _ in 0..5 {
        let (status, body) = attempt("wrong password!").await;
        assert!(error_of(status, &body).to_string().contains("do not match"));
    }
    // Now even the right password must wait.
    let (status, body) = attempt(PASSWORD).await;
    let message = error_of(status, &body).to_string();
    assert!(
        message.starts_with("Too many failed sign-ins for this email. Try again in"),
        "{message}"
    );
    sqlx::query("UPDATE sign_in_failures SET failed_at = failed_at - 60000")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (status, body) = attempt(PASSWORD).await;
    assert!(status.is_success(), "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM sign_in_failures").await, 0);
}

async fn server_functions_refuse_callers_without_a_session(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let stranger = new_client();
    let (status, body) = call_as(&stranger, &app.url, "customers/create", &company("X", "", "Y")).await;
    assert_eq!(error_of(status, &body), AppError::Unauthorized);
    let (status, body) = call_as(&stranger, &app.url, "customers/get", &[("id", "1")]).await;
    assert_eq!(error_of(status, &body), AppError::Unauthorized);
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 0);
}

async fn a_customer_is_created_only_when_every_field_is_valid(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let mut bad = company("  ", "ACC 1;", "");
    bad[7] = ("company[phone]", "12");
    bad[8] = ("company[website]", "not a site");
    let (status, body) = app.call("customers/create", &bad).await;
    let errors = error_of(status, &body).field_errors().cloned().unwrap();
    assert_eq!(errors.get("name"), Some("Company name is required."));
    assert!(errors.get("account_number").is_some());
    assert_eq!(errors.get("city"), Some("City is required."));
    assert!(errors.get("phone").unwrap().contains("7 to 15"));
    assert!(errors.get("website").unwrap().contains("not a web address"));
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 0);

    let id = create(&app, "Coffee Uptown", "ACC-1", "Portland").await;
    let (status, body) = app.call("customers/get", &[("id", &id.to_string())]).await;
    assert!(status.is_success());
    let customer: app::customers::Customer = serde_json::from_str(&body).unwrap();
    assert_eq!(customer.website.as_deref(), Some("https://example.com"));

    let (status, body) = app
        .call(
            "customers/create",
            &company("Coffee Downtown", "acc-1", "Portland"),
        )
        .await;
    let errors = error_of(status, &body).field_errors().cloned().unwrap();
    assert_eq!(
        errors.get("account_number"),
        Some("Account number acc-1 is already used by Coffee Uptown.")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 1);
}

async fn a_stale_edit_is_refused_and_shows_the_saved_values(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let id = create(&app, "Coffee Uptown", "ACC-1", "Portland")
        .await
        .to_string();
    let mut first = company("Coffee Uptown", "ACC-1", "Beaverton");
    first.extend([("id", id.as_str()), ("version", "1"), ("active", "on")]);
    let (status, body) = app.call("customers/update", &first).await;
    assert!(status.is_success(), "{body}");
    let SaveOutcome::Saved(saved) = serde_json::from_str(&body).unwrap() else {
        panic!("not saved: {body}")
    };
    assert_eq!((saved.city.as_str(), saved.version), ("Beaverton", 2));

    // A second editor still holds version 1.
    let mut second = company("Coffee Uptown", "ACC-1", "Salem");
    second.extend([("id", id.as_str()), ("version", "1")]);
    let (status, body) = app.call("customers/update", &second).await;
    assert!(status.is_success(), "{body}");
    let SaveOutcome::Conflict(current) = serde_json::from_str(&body).unwrap() else {
        panic!("no conflict: {body}")
    };
    assert_eq!(
        (current.city.as_str(), current.version, current.active),
        ("Beaverton", 2, true)
    );
    let city: String = sqlx::query_scalar("SELECT city FROM customers")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(city, "Beaverton");
}

async fn deleted_customers_wait_in_the_trash_for_an_admin(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let keep = create(&app, "Keep Me", "", "Portland").await;
    let gone = create(&app, "Delete Me", "", "Portland").await;
    let also_gone = create(&app, "Delete Me Too", "", "Portland").await;
    let (status, body) = app
        .call(
            "customers/delete",
            &[("ids[0]", &gone.to_string()), ("ids[1]", &also_gone.to_string())],
        )
        .await;
    assert!(status.is_success(), "{body}");
    assert_eq!(body, "2");
    let page = list(&app, &ListQuery::default()).await;
    assert_eq!(page.rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![keep]);

    let (_, body) = app.call("customers/trash", &[]).await;
    let trash: Vec<app::customers::TrashedCustomer> = serde_json::from_str(&body).unwrap();
    assert_eq!(trash.len(), 2);
    assert_eq!(trash[0].deleted_by.as_deref(), Some("Ada Admin"));

    let staff = app.client_for_new_user("sam@supplier.example", "staff").await;
    let (status, body) = call_as(
        &staff,
        &app.url,
        "customers/restore",
        &[("id", &gone.to_string())],
    )
    .await;
    assert_eq!(error_of(status, &body), AppError::Forbidden);

    let (status, body) = app.call("customers/restore", &[("id", &gone.to_string())]).await;
    assert!(status.is_success(), "{body}");
    let page = list(&app, &ListQuery::default()).await;
    assert_eq!(page.rows.len(), 2);
    let (status, body) = app.call("customers/restore", &[("id", &gone.to_string())]).await;
    assert!(matches!(error_of(status, &body), AppError::NotFound(_)));
}

async fn keyset_pages_cover_the_list_exactly_once(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    server::seed::customers(&app.db, 230).await.unwrap();
    for sort in SortKey::ALL {
        let mut query = ListQuery {
            sort,
            ..ListQuery::default()
        };
        let mut seen = Vec::new();
        loop {
            let page = list(&app, &query).await;
            seen.extend(page.rows.iter().cloned());
            match page.rows.last() {
                Some(last) if page.has_next => query = query.page_after(last.id),
                _ => break,
            }
        }
        assert_eq!(seen.len(), 230, "{sort:?}");
        let mut ids: Vec<i64> = seen.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 230, "{sort:?} repeats a customer");
        let in_order = seen.windows(2).all(|w| match sort {
            SortKey::NameAsc => (w[0].name.to_lowercase(), w[0].id) < (w[1].name.to_lowercase(), w[1].id),
            SortKey::NameDesc => (w[0].name.to_lowercase(), w[0].id) > (w[1].name.to_lowercase(), w[1].id),
            SortKey::NewestFirst => w[0].id > w[1].id && w[0].created_at >= w[1].created_at,
            SortKey::OldestFirst => w[0].id < w[1].id && w[0].created_at <= w[1].created_at,
        });
        assert!(in_order, "{sort:?} out of order");

        // The last page is the end of the same order, and Previous from it goes back one page.
        let last = list(
            &app,
            &ListQuery {
                sort,
                last: true,
                ..ListQuery::default()
            },
        )
        .await;
        assert_eq!(last.rows, seen[180..].to_vec(), "{sort:?} last page");
        assert!(last.has_previous && !last.has_next);
        let before = list(
            &app,
            &ListQuery {
                sort,
                ..ListQuery::default()
            }
            .page_before(last.rows[0].id),
        )
        .await;
        assert_eq!(
            before.rows,
            seen[130..180].to_vec(),
            "{sort:?} page before the last"
        );
        assert!(before.has_previous && before.has_next);
    }
}

async fn search_matches_name_account_number_and_city(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    server::seed::customers(&app.db, 300).await.unwrap();
    let uptown = create(&app, "Zebra Quokka Coffee", "ZX-77", "Reykjavík").await;
    let search = |q: &str| ListQuery {
        q: q.into(),
        ..ListQuery::default()
    };
    for q in ["zebra", "QUOKKA", "zx-7", "reykjav", "zebra reykjavík", "ZX"] {
        let page = list(&app, &search(q)).await;
        assert_eq!(
            page.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![uptown],
            "query {q}"
        );
    }
    assert!(list(&app, &search("zebra portland")).await.rows.is_empty());
    assert!(list(&app, &search("100%")).await.rows.is_empty());
    // A common word matches many customers, in name order, all of which contain it.
    let page = list(&app, &search("coffee")).await;
    assert!(page.rows.len() > 1);
    assert!(page.rows.iter().all(|r| r.name.to_lowercase().contains("coffee")));
    // Inactive filter.
    let page = list(
        &app,
        &ListQuery {
            status: StatusFilter::Inactive,
            ..ListQuery::default()
        },
    )
    .await;
    assert!(!page.rows.is_empty() && page.rows.iter().all(|r| !r.active));
}

/// Every page of every search, in both orders, against the same search done by hand.
async fn search_pages_follow_the_list_order(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    server::seed::customers(&app.db, 1000).await.unwrap();
    // A rename moves a customer in name order and in what the search finds.
    let id = create(&app, "Zz Last Café", "", "Lyon").await.to_string();
    let mut renamed = company("Aa First Roasters", "", "Lyon");
    renamed.extend([("id", id.as_str()), ("version", "1"), ("active", "on")]);
    let (status, body) = app.call("customers/update", &renamed).await;
    assert!(status.is_success(), "{body}");

    let mut everyone = Vec::new();
    let mut query = ListQuery::default();
    loop {
        let page = list(&app, &query).await;
        everyone.extend(page.rows.iter().cloned());
        match page.rows.last() {
            Some(last) if page.has_next => query = query.page_after(last.id),
            _ => break,
        }
    }
    assert_eq!(everyone[0].name, "Aa First Roasters");
    let searchable = |r: &app::customers::CustomerSummary| {
        format!(
            "{} / {} / {}",
            r.name,
            r.account_number.as_deref().unwrap_or(""),
            r.city
        )
        .to_lowercase()
    };
    for q in ["ers", "roasters", "ers mar", "café", "acc-0003", "ly", "zz last"] {
        for sort in [
            SortKey::NameAsc,
            SortKey::NameDesc,
            SortKey::NewestFirst,
            SortKey::OldestFirst,
        ] {
            let mut expected: Vec<i64> = everyone
                .iter()
                .filter(|r| q.split(' ').all(|w| searchable(r).contains(w)))
                .map(|r| r.id)
                .collect();
            match sort {
                SortKey::NameAsc => {}
                SortKey::NameDesc => expected.reverse(),
                SortKey::NewestFirst => expected.sort_by(|a, b| b.cmp(a)),
                SortKey::OldestFirst => expected.sort(),
            }
            let mut found = Vec::new();
            let mut query = ListQuery {
                q: q.into(),
                sort,
                ..ListQuery::default()
            };
            loop {
                let page = list(&app, &query).await;
                found.extend(page.rows.iter().map(|r| r.id));
                match page.rows.last() {
                    Some(last) if page.has_next => query = query.page_after(last.id),
                    _ => break,
                }
            }
            assert_eq!(found, expected, "search {q:?} sorted {sort:?}");
        }
    }
    assert!(everyone.iter().filter(|r| searchable(r).contains("ers")).count() > 50);
}

async fn the_last_admin_stays_admin_and_staff_cannot_manage_users(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let staff = app.client_for_new_user("sam@supplier.example", "staff").await;
    let (status, body) = call_as(&staff, &app.url, "settings/users", &[]).await;
    assert_eq!(error_of(status, &body), AppError::Forbidden);
    let (status, body) = app
        .call("settings/users/role", &[("user_id", "1"), ("role", "staff")])
        .await;
    assert!(matches!(error_of(status, &body), AppError::Refused(_)));
    let (status, body) = app
        .call(
            "settings/users/add",
            &[
                ("name", "Dup"),
                ("email", "SAM@supplier.example"),
                ("password", PASSWORD),
                ("role", "staff"),
            ],
        )
        .await;
    let errors = error_of(status, &body).field_errors().cloned().unwrap();
    assert_eq!(
        errors.get("email"),
        Some("SAM@supplier.example already has an account.")
    );
    let (status, body) = app
        .call("settings/users/role", &[("user_id", "2"), ("role", "admin")])
        .await;
    assert!(status.is_success(), "{body}");
    let (status, _) = call_as(&staff, &app.url, "settings/users", &[]).await;
    assert!(status.is_success());
}

on_both_databases!(
    health_reports_the_database,
    first_run_leads_every_page_to_setup_once,
    repeated_failed_sign_ins_are_slowed_down,
    server_functions_refuse_callers_without_a_session,
    a_customer_is_created_only_when_every_field_is_valid,
    a_stale_edit_is_refused_and_shows_the_saved_values,
    deleted_customers_wait_in_the_trash_for_an_admin,
    keyset_pages_cover_the_list_exactly_once,
    search_matches_name_account_number_and_city,
    search_pages_follow_the_list_order,
    the_last_admin_stays_admin_and_staff_cannot_manage_users,
);
