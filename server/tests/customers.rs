//! Customers over HTTP, on SQLite and on PostgreSQL: create, validate, edit with conflicts, Trash.

use crate::common;

use app::customers::{ListQuery, SaveOutcome};
use app::error::AppError;
use common::*;

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

on_both_databases!(
    a_customer_is_created_only_when_every_field_is_valid,
    a_stale_edit_is_refused_and_shows_the_saved_values,
    deleted_customers_wait_in_the_trash_for_an_admin,
);
