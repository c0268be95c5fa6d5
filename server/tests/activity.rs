//! The Activity log on SQLite and PostgreSQL: each kind of change to a customer and what hangs off
//! it is recorded with who and the values before and after; Admins read the log across customers
//! with filters.

use crate::common;

use app::activity::{ActivityEntry, LogPage};
use common::portal::*;
use common::sharing::{ok, set_requirement};
use common::*;
use serde_json::json;

async fn entries(app: &TestApp, customer: i64) -> Vec<ActivityEntry> {
    let (status, body) = app
        .call("activity/of_customer", &[("customer_id", &customer.to_string())])
        .await;
    let mut log: Vec<ActivityEntry> = ok(status, &body);
    log.reverse();
    log
}

async fn log_page(
    client: &reqwest::Client,
    app: &TestApp,
    filter: serde_json::Value,
) -> (reqwest::StatusCode, String) {
    let response = client
        .post(format!("{}/api/activity/log", app.url))
        .json(&json!({ "filter": filter }))
        .send()
        .await
        .expect("request");
    (response.status(), response.text().await.expect("body"))
}

fn filter(customer: &str, action: &str, who: &str, from: &str, to: &str) -> serde_json::Value {
    json!({"customer": customer, "action": action, "who": who, "from": from, "to": to, "before": null})
}

async fn every_change_is_logged_with_before_and_after(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let customer = create(&app, "Coffee Uptown", "CU-1", "Seattle").await;
    let id = customer.to_string();
    // The details: only the changed fields, before and after.
    let mut edit = company("Coffee Uptown", "CU-1", "Tacoma");
    edit.extend([("id", id.as_str()), ("version", "1"), ("active", "on")]);
    let (status, body) = app.call("customers/update", &edit).await;
    assert!(status.is_success(), "{body}");
    // Contacts.
    let ana = contact_on(&app, customer, "Ana", "ana@coffee.example").await;
    set_role(&app, customer, ana, "viewer").await;
    let (status, body) = app
        .call(
            "contacts/documents_contact",
            &[
                ("customer_id", &id),
                ("contact_id", &ana.to_string()),
                ("on", "true"),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app
        .call(
            "contacts/update",
            &[
                ("id", &ana.to_string()),
                ("version", "1"),
                ("contact[first_name]", "Ana"),
                ("contact[last_name]", "Buyer"),
                ("contact[email]", "ana@coffee.example"),
                ("contact[phone]", ""),
                ("contact[job_title]", "Head of purchasing"),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app
        .call(
            "contacts/unassign",
            &[("customer_id", &id), ("contact_id", &ana.to_string())],
        )
        .await;
    assert!(status.is_success(), "{body}");
    // Locations and requirements.
    let plant = create_location(&app, "North Plant", "N-1").await;
    common::sharing::add_location(&app, customer, plant).await;
    let (status, body) = set_requirement(&app, customer, plant, "HACCP Plan", true).await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app
        .call(
            "requirements/remove",
            &[
                ("customer_id", &id),
                ("level", "location"),
                ("listing_id", &plant.to_string()),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    // Ship-To Locations.
    let dock = add_ship_to(&app, customer, "Dock").await;
    let (status, body) = app.call("ship_to/remove", &[("id", &dock.to_string())]).await;
    assert!(status.is_success(), "{body}");
    // Portal, deletion and restore.
    set_portal(&app, customer, true).await;
    let (status, body) = app.call("customers/delete", &[("ids[0]", &id)]).await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app.call("customers/restore", &[("id", &id)]).await;
    assert!(status.is_success(), "{body}");

    let log = entries(&app, customer).await;
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "customer_created",
            "customer_edited",
            "contact_assigned",
            "contact_role_changed",
            "documents_contact_changed",
            "contact_edited",
            "contact_removed",
            "listings_added",
            "requirement_changed",
            "listing_removed",
            "ship_to_changed",
            "ship_to_changed",
            "portal_toggled",
            "customer_deleted",
            "customer_restored",
        ]
    );
    assert!(log.iter().all(|e| e.actor_name == "Ada Admin" && e.by_staff));
    let value = |i: usize| (log[i].before.as_deref(), log[i].after.as_deref());
    assert_eq!(value(0), (None, Some("Coffee Uptown")));
    assert_eq!(value(1), (Some("City: Seattle"), Some("City: Tacoma")));
    assert_eq!(value(2), (None, Some("Ana Buyer <ana@coffee.example>")));
    assert_eq!(value(3), (Some("Buyer"), Some("Viewer")));
    assert_eq!(value(4), (Some("No"), Some("Yes")));
    assert_eq!(
        value(5),
        (Some("Job title: "), Some("Job title: Head of purchasing"))
    );
    assert_eq!(value(7), (None, Some("North Plant")));
    assert_eq!(value(8), (Some("Not required"), Some("Required")));
    assert_eq!(log[8].detail, "HACCP Plan for North Plant");
    assert_eq!(value(10).0, None);
    assert!(
        value(10).1.unwrap().starts_with("Dock: 1 Pier Rd, Oakland"),
        "{:?}",
        value(10)
    );
    assert!(value(11).0.unwrap().starts_with("Dock: "));
    // A save that changes nothing logs nothing.
    let version: i64 = sqlx::query_scalar("SELECT version FROM customers WHERE id = $1")
        .bind(customer)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let version = version.to_string();
    let mut same = company("Coffee Uptown", "CU-1", "Tacoma");
    same.extend([
        ("id", id.as_str()),
        ("version", version.as_str()),
        ("active", "on"),
    ]);
    let (status, body) = app.call("customers/update", &same).await;
    assert!(status.is_success(), "{body}");
    assert_eq!(entries(&app, customer).await.len(), log.len());
}

async fn admins_filter_the_log_across_customers(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let uptown = create(&app, "Coffee Uptown", "CU-1", "Seattle").await;
    let staff = app.client_for_new_user("sam@supplier.example", "staff").await;
    let (status, body) = call_as(
        &staff,
        &app.url,
        "customers/create",
        &company("Tea Downtown", "TD-1", "Boise"),
    )
    .await;
    let downtown: i64 = ok(status, &body);
    // Sixty notes by the Admin: more than a page.
    for n in 0..60 {
        let (status, body) = app
            .call(
                "notes/add",
                &[
                    ("customer_id", &uptown.to_string()),
                    ("body", &format!("Note {n}")),
                ],
            )
            .await;
        assert!(status.is_success(), "{body}");
    }

    let (status, body) = log_page(&app.client, &app, filter("", "", "", "", "")).await;
    let first: LogPage = ok(status, &body);
    assert_eq!(first.rows.len(), 50);
    assert_eq!(first.rows[0].entry.detail, "Added a note");
    assert_eq!(first.rows[0].entry.after.as_deref(), Some("Note 59"));
    let before = first.next_before.expect("a second page");
    let mut next = filter("", "", "", "", "");
    next["before"] = json!(before);
    let (status, body) = log_page(&app.client, &app, next).await;
    let second: LogPage = ok(status, &body);
    assert_eq!(second.rows.len(), 12);
    assert_eq!(second.next_before, None);
    assert!(second.rows.iter().all(|r| r.entry.id < before));

    // By customer, by kind, by staff user.
    let (status, body) = log_page(&app.client, &app, filter("tea", "", "", "", "")).await;
    let by_customer: LogPage = ok(status, &body);
    assert_eq!(by_customer.rows.len(), 1);
    assert_eq!(
        (
            by_customer.rows[0].customer_id,
            by_customer.rows[0].customer_name.as_str()
        ),
        (downtown, "Tea Downtown")
    );
    // One customer's entries a page at a time, newest first, each once.
    let (status, body) = log_page(&app.client, &app, filter("coffee", "", "", "", "")).await;
    let first: LogPage = ok(status, &body);
    let mut next = filter("coffee", "", "", "", "");
    next["before"] = json!(first.next_before.expect("a second page"));
    let (status, body) = log_page(&app.client, &app, next).await;
    let second: LogPage = ok(status, &body);
    assert_eq!(second.next_before, None);
    let ids: Vec<i64> = first
        .rows
        .iter()
        .chain(&second.rows)
        .map(|row| {
            assert_eq!(
                (row.customer_id, row.customer_name.as_str()),
                (uptown, "Coffee Uptown")
            );
            row.entry.id
        })
        .collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first, each once");
    let uptowns: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customer_activity WHERE customer_id = $1")
        .bind(uptown)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(ids.len() as i64, uptowns);
    let (status, body) = log_page(&app.client, &app, filter("", "customer_created", "", "", "")).await;
    assert_eq!(ok::<LogPage>(status, &body).rows.len(), 2);
    let sam: i64 = sqlx::query_scalar("SELECT id FROM staff_users WHERE email = 'sam@supplier.example'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let (status, body) = log_page(&app.client, &app, filter("", "", &sam.to_string(), "", "")).await;
    let by_sam: LogPage = ok(status, &body);
    assert_eq!(by_sam.rows.len(), 1);
    assert_eq!(by_sam.rows[0].entry.actor_name, "Sam Staff");
    // By date: today has them all, yesterday none.
    let today = app::domain::CalendarDate::from_ms(app::state::now_ms()).to_string();
    let (status, body) = log_page(
        &app.client,
        &app,
        filter("", "customer_created", "", &today, &today),
    )
    .await;
    assert_eq!(ok::<LogPage>(status, &body).rows.len(), 2);
    let (status, body) = log_page(&app.client, &app, filter("", "", "", &day(-1), &day(-1))).await;
    assert!(ok::<LogPage>(status, &body).rows.is_empty());

    // Bad filters are told at their field; the log is for Admins.
    let (status, body) = log_page(&app.client, &app, filter("", "drop table", "", "someday", "")).await;
    let error = error_of(status, &body);
    let fields = error.field_errors().expect("field errors");
    assert!(
        fields.get("action").is_some() && fields.get("from").is_some(),
        "{fields:?}"
    );
    let (status, body) = log_page(&app.client, &app, filter("", "", "", &today, &day(-1))).await;
    assert_refused_at(status, &body, "to");
    let (status, _) = log_page(&staff, &app, filter("", "", "", "", "")).await;
    assert_eq!(status.as_u16(), 403);
}

on_both_databases!(
    every_change_is_logged_with_before_and_after,
    admins_filter_the_log_across_customers
);
