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
    let trash: app::customers::TrashPage = serde_json::from_str(&body).unwrap();
    assert_eq!(trash.rows.len(), 2);
    assert_eq!(trash.next, None);
    assert_eq!(trash.rows[0].deleted_by.as_deref(), Some("Ada Admin"));

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

/// A long Trash comes a page at a time, the last deleted first, and the pages meet without a
/// gap or a repeat.
async fn the_trash_comes_a_page_at_a_time(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let mut ids = Vec::new();
    for n in 0..60 {
        ids.push(create(&app, &format!("Bakery {n:02}"), &format!("B-{n}"), "Portland").await);
    }
    // Two deletions, the later one last: the last deleted come first, then by id.
    for batch in ids.chunks(30) {
        let names: Vec<String> = (0..batch.len()).map(|i| format!("ids[{i}]")).collect();
        let values: Vec<String> = batch.iter().map(i64::to_string).collect();
        let args: Vec<(&str, &str)> = names
            .iter()
            .map(String::as_str)
            .zip(values.iter().map(String::as_str))
            .collect();
        let (status, body) = app.call("customers/delete", &args).await;
        assert!(status.is_success(), "{body}");
    }
    let expected: Vec<i64> = ids.iter().rev().copied().collect();
    let (_, body) = app.call("customers/trash", &[]).await;
    let first: app::customers::TrashPage = serde_json::from_str(&body).unwrap();
    assert_eq!(
        first.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        expected[..50]
    );
    assert_eq!(first.next, Some(expected[49]));
    let after = expected[49].to_string();
    let (_, body) = app.call("customers/trash", &[("after", &after)]).await;
    let second: app::customers::TrashPage = serde_json::from_str(&body).unwrap();
    assert_eq!(
        second.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        expected[50..]
    );
    assert_eq!(second.next, None);
}

on_both_databases!(the_trash_comes_a_page_at_a_time);

/// Customers added each just before the last one added, so that each halves the same gap, run
/// out of room every 32 or so: only the neighbourhood is numbered afresh, not every customer
/// (which held every other write back for seconds at a few thousand customers), and the numbers
/// still sort as the names do.
async fn customers_crowding_one_gap_renumber_only_their_neighbours(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    create(&app, "Anchor Farm", "", "Oslo").await;
    for n in 0..40 {
        create(&app, &format!("Yield {n:02}"), "", "Oslo").await;
    }
    let far = create(&app, "Zulu Dairy", "", "Oslo").await;
    let number_of = |id: i64| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT name_order FROM customers WHERE id = $1")
                .bind(id)
                .fetch_one(&db.pool)
                .await
                .unwrap()
        }
    };
    let far_number = number_of(far).await;
    for n in (0..70).rev() {
        create(&app, &format!("Step {n:02}"), "", "Oslo").await;
    }
    assert_eq!(number_of(far).await, far_number, "a far customer was renumbered");
    let in_name_order: Vec<i64> = sqlx::query_scalar("SELECT id FROM customers ORDER BY name_key, id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    let in_number_order: Vec<i64> = sqlx::query_scalar("SELECT id FROM customers ORDER BY name_order")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(in_number_order, in_name_order);
    let page = list(
        &app,
        &ListQuery {
            q: "step".into(),
            ..ListQuery::default()
        },
    )
    .await;
    assert_eq!(page.rows.first().map(|r| r.name.as_str()), Some("Step 00"));
}

on_both_databases!(customers_crowding_one_gap_renumber_only_their_neighbours);
