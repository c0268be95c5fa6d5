//! Staff accounts over HTTP, on SQLite and on PostgreSQL: health, first run, signing in, roles.

use crate::common;

use app::error::AppError;
use common::*;
use reqwest::StatusCode;

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
    the_last_admin_stays_admin_and_staff_cannot_manage_users,
);
