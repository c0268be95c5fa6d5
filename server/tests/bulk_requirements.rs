//! Bulk Configure Customer Requirements: requirements added and removed for the customers of a
//! search, or for the ticked ones, with their Document Requests opened and cancelled.

use crate::common;

use common::sharing::add_location;
use common::*;

on_both_databases!(requirements_are_added_and_removed_for_many_customers_at_once);

async fn apply(
    app: &TestApp,
    q: &str,
    ids: &[i64],
    types: &[i64],
    add: bool,
) -> app::bulk_requirements::BulkOutcome {
    let mut form: Vec<(String, String)> = vec![
        ("q".into(), q.into()),
        ("status".into(), "all".into()),
        ("add".into(), add.to_string()),
    ];
    for (i, id) in ids.iter().enumerate() {
        form.push((format!("customer_ids[{i}]"), id.to_string()));
    }
    for (i, id) in types.iter().enumerate() {
        form.push((format!("type_ids[{i}]"), id.to_string()));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, body) = app.call("bulk_requirements/apply", &form).await;
    assert!(status.is_success(), "{status} {body}");
    serde_json::from_str(&body).expect("outcome")
}

async fn open_requests(app: &TestApp, customer: i64, type_id: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM document_requests WHERE customer_id = $1 AND type_id = $2 AND status = 'open'",
    )
    .bind(customer)
    .bind(type_id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

async fn requirements_are_added_and_removed_for_many_customers_at_once(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let north = create_location(&app, "North Plant", "NP").await;
    let south = create_location(&app, "South Plant", "SP").await;
    let beans = create_item(&app, "B-1", "Beans", "10.00", &north.to_string()).await;
    let one = create(&app, "Bulk One", "BK-1", "Portland").await;
    let two = create(&app, "Bulk Two", "BK-2", "Portland").await;
    let other = create(&app, "Elsewhere", "EW-1", "Boston").await;
    for customer in [one, two, other] {
        add_location(&app, customer, north).await;
    }
    add_location(&app, two, south).await;
    let (status, body) = app
        .call(
            "requirements/add",
            &[
                ("customer_id", &one.to_string()),
                ("level", "item"),
                ("ids[0]", &beans.to_string()),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    let haccp = type_id(&app, "HACCP Plan").await;
    let spec = type_id(&app, "Specification Sheet").await;

    // The picker counts every live customer, or those of a search; none in the Trash.
    let trashed = create(&app, "Bulk Gone", "BK-9", "Portland").await;
    let (status, body) = app
        .call("customers/delete", &[("ids[0]", &trashed.to_string())])
        .await;
    assert!(status.is_success(), "{body}");
    for (q, status, total) in [("", "all", 3), ("", "active", 3), ("bulk", "all", 2)] {
        let (code, body) = app
            .call("bulk_requirements/customers", &[("q", q), ("status", status)])
            .await;
        assert!(code.is_success(), "{body}");
        let found: app::bulk_requirements::Candidates = serde_json::from_str(&body).unwrap();
        assert_eq!(found.total, total, "{q:?} {status}");
    }

    // Every customer of the search "bulk": three locations and one item in all.
    let done = apply(&app, "bulk", &[], &[haccp, spec], true).await;
    assert_eq!((done.customers, done.requirements), (2, 4));
    assert_eq!(open_requests(&app, one, haccp).await, 1);
    assert_eq!(open_requests(&app, one, spec).await, 1);
    assert_eq!(open_requests(&app, two, haccp).await, 2);
    assert_eq!(open_requests(&app, other, haccp).await, 0, "outside the search");
    // Again: nothing new is required, no request is opened twice.
    assert_eq!(apply(&app, "bulk", &[], &[haccp], true).await.requirements, 0);

    // Only the ticked customer loses them; its open requests are cancelled.
    let done = apply(&app, "bulk", &[two], &[haccp], false).await;
    assert_eq!((done.customers, done.requirements), (1, 2));
    assert_eq!(open_requests(&app, two, haccp).await, 0);
    assert_eq!(open_requests(&app, one, haccp).await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM customer_activity WHERE action IN ('requirements_added', 'requirements_removed')")
            .await,
        3
    );

    // A Staff user may not; nor may a change without types.
    let staff = app.client_for_new_user("sam@supplier.example", "staff").await;
    let (status, body) = call_as(
        &staff,
        &app.url,
        "bulk_requirements/apply",
        &[
            ("q", "bulk"),
            ("status", "all"),
            ("add", "true"),
            ("type_ids[0]", &haccp.to_string()),
        ],
    )
    .await;
    assert_eq!(error_of(status, &body), app::error::AppError::Forbidden);
    let (status, body) = app
        .call(
            "bulk_requirements/apply",
            &[("q", "bulk"), ("status", "all"), ("add", "true")],
        )
        .await;
    assert!(error_of(status, &body)
        .field_errors()
        .unwrap()
        .get("type_ids")
        .is_some());
}
