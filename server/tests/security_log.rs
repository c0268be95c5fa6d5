//! The Security log, on SQLite and PostgreSQL: what happens to accounts is logged with whose,
//! when and from where, and only Admins read it.

use crate::common;

use app::security_log::SecurityLogPage;
use common::sharing::ok;
use common::*;
use reqwest::StatusCode;

async fn log_of(app: &TestApp, email: &str, before: Option<i64>) -> SecurityLogPage {
    let before = before.map(|b| b.to_string());
    let mut form = vec![("email", email)];
    if let Some(before) = &before {
        form.push(("before", before));
    }
    let (status, body) = app.call("settings/security_log", &form).await;
    ok(status, &body)
}

async fn sign_ins_role_and_password_changes_are_logged_for_admins(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let sam = app.client_for_new_user("sam@supplier.example", "staff").await;
    let (status, _) = call_as(
        &new_client(),
        &app.url,
        "auth/sign_in",
        &[
            ("email", "Sam@Supplier.example"),
            ("password", "not sams password"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let sam_id = app.staff_id("sam@supplier.example").await;
    let (status, body) = app
        .call(
            "settings/users/role",
            &[("user_id", &sam_id.to_string()), ("role", "admin")],
        )
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = call_as(
        &sam,
        &app.url,
        "account/password",
        &[
            ("current", PASSWORD),
            ("password", "sams new passphrase"),
            ("confirm", "sams new passphrase"),
        ],
    )
    .await;
    assert!(status.is_success(), "{body}");

    let sams = log_of(&app, "SAM@supplier.example", None).await;
    let kinds: Vec<&str> = sams.rows.iter().map(|e| e.kind.as_str()).collect();
    // Newest first: the password change checks the current password as a sign-in does, and says
    // so (it is not a sign-in).
    assert_eq!(
        kinds,
        [
            "password_changed",
            "password_confirmed",
            "role_changed",
            "sign_in_failed",
            "signed_in",
            "user_added"
        ]
    );
    assert!(sams
        .rows
        .iter()
        .all(|e| e.email == "sam@supplier.example" && e.account == "staff"));
    assert!(
        sams.rows.iter().all(|e| e.address == "127.0.0.1"),
        "{:?}",
        sams.rows
    );
    assert_eq!(sams.rows[2].detail, "To Admin, by Ada Admin");
    assert_eq!(sams.rows[5].detail, "As Staff, by Ada Admin");
    assert!(sams.rows.windows(2).all(|w| w[0].at >= w[1].at));

    // Everyone's, a page at a time; Sam is Admin now and may read it too.
    let all = log_of(&app, "", None).await;
    assert_eq!(all.rows.len(), 6);
    assert_eq!(all.next, None);
    let older = log_of(&app, "", Some(all.rows[2].id)).await;
    assert_eq!(older.rows, all.rows[3..]);

    let viewer = app.client_for_new_user("vi@supplier.example", "staff").await;
    let (status, _) = call_as(&viewer, &app.url, "settings/security_log", &[("email", "")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .call("settings/security_log", &[("email", &"x".repeat(201))])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

async fn throttled_sign_ins_are_logged(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let stranger = new_client();
    let mut statuses = Vec::new();
    for _ in 0..7 {
        let (status, _) = call_as(
            &stranger,
            &app.url,
            "auth/sign_in",
            &[("email", "ada@supplier.example"), ("password", "a guess at it")],
        )
        .await;
        statuses.push(status);
    }
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    let log = log_of(&app, "ada@supplier.example", None).await;
    let throttled = log.rows.iter().filter(|e| e.kind == "sign_in_throttled").count();
    let failed = log.rows.iter().filter(|e| e.kind == "sign_in_failed").count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((failed, throttled), (7 - refused, refused));
}

on_both_databases!(
    sign_ins_role_and_password_changes_are_logged_for_admins,
    throttled_sign_ins_are_logged,
);
