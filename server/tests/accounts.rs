//! Staff accounts over HTTP, on SQLite and on PostgreSQL: health, first run, signing in, roles,
//! removal.

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

async fn a_removed_user_is_signed_out_everywhere_and_can_come_back(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let sam = app.client_for_new_user("sam@supplier.example", "staff").await;
    let sam_id = app.staff_id("sam@supplier.example").await;
    let (status, body) = app
        .call(
            "settings/users/digital_admin",
            &[("user_id", &sam_id.to_string()), ("on", "true")],
        )
        .await;
    assert!(status.is_success(), "{body}");
    // Nobody removes themselves, and Staff remove nobody.
    let (status, body) = app.call("settings/users/remove", &[("user_id", "1")]).await;
    assert!(matches!(error_of(status, &body), AppError::Refused(_)));
    let (status, body) = call_as(&sam, &app.url, "settings/users/remove", &[("user_id", "1")]).await;
    assert_eq!(error_of(status, &body), AppError::Forbidden);

    let (status, body) = app
        .call("settings/users/remove", &[("user_id", &sam_id.to_string())])
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = call_as(&sam, &app.url, "contacts/search", &[("q", "a")]).await;
    assert_eq!(
        error_of(status, &body),
        AppError::Unauthorized,
        "the session ended"
    );
    let sign_in = [("email", "sam@supplier.example"), ("password", PASSWORD)];
    let (status, _) = call_as(&new_client(), &app.url, "auth/sign_in", &sign_in).await;
    assert_eq!(status, StatusCode::CONFLICT, "a removed user cannot sign in");
    let (status, body) = app.call("settings/users", &[]).await;
    assert!(
        status.is_success() && !body.contains("sam@supplier.example"),
        "{body}"
    );
    let (status, body) = app.call("settings/users/digital_admins", &[]).await;
    assert_eq!(common::sharing::ok::<Vec<i64>>(status, &body), Vec::<i64>::new());
    let (status, _) = app
        .call("settings/users/remove", &[("user_id", &sam_id.to_string())])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "removed already");

    // Added again with the same email, the account comes back with the new password.
    let (status, body) = app
        .call(
            "settings/users/add",
            &[
                ("name", "Sam Again"),
                ("email", "sam@supplier.example"),
                ("password", "a new password"),
                ("role", "staff"),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    let again = [("email", "sam@supplier.example"), ("password", "a new password")];
    let (status, body) = call_as(&new_client(), &app.url, "auth/sign_in", &again).await;
    assert!(status.is_success(), "{body}");
    let same_id = app.staff_id("sam@supplier.example").await;
    assert_eq!(same_id, sam_id, "what they did stays theirs");
}

async fn two_admins_removing_each_other_at_once_leave_one(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let bob = app.client_for_new_user("bob@supplier.example", "admin").await;
    let (remove_bob, remove_ada) = tokio::join!(
        app.call("settings/users/remove", &[("user_id", "2")]),
        call_as(&bob, &app.url, "settings/users/remove", &[("user_id", "1")]),
    );
    let admins = app
        .count("SELECT COUNT(*) FROM staff_users WHERE role = 'admin' AND removed_at IS NULL")
        .await;
    assert_eq!(admins, 1, "{remove_bob:?} {remove_ada:?}");
    assert_ne!(remove_bob.0.is_success(), remove_ada.0.is_success());
}

on_both_databases!(
    a_removed_user_is_signed_out_everywhere_and_can_come_back,
    two_admins_removing_each_other_at_once_leave_one,
    health_reports_the_database,
    first_run_leads_every_page_to_setup_once,
    repeated_failed_sign_ins_are_slowed_down,
    server_functions_refuse_callers_without_a_session,
    the_last_admin_stays_admin_and_staff_cannot_manage_users,
);
