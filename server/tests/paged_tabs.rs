//! A big account's Locations, Items and Document Requests tabs read a page at a time: the rows of
//! one page in full, what the tab says and selects of all of them.

use crate::common;
use app::requirements::SourcedPage;
use common::sharing::*;
use common::*;

async fn sourced(app: &TestApp, customer: i64, q: &str, after: Option<i64>) -> SourcedPage {
    let mut form = vec![
        ("customer_id", customer.to_string()),
        ("level", "location".to_string()),
        ("q", q.to_string()),
    ];
    form.extend(after.map(|id| ("after", id.to_string())));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = app.call("requirements/sourced", &form).await;
    ok(status, &body)
}

fn names(page: &SourcedPage) -> Vec<String> {
    page.rows.iter().map(|l| l.name.clone()).collect()
}

fn ticked(page: &SourcedPage, name: &str) -> Vec<String> {
    let listing = page
        .rows
        .iter()
        .find(|l| l.name == name)
        .expect("listing on the page");
    listing
        .requirements
        .iter()
        .filter(|r| r.required)
        .map(|r| r.type_name.clone())
        .collect()
}

async fn a_big_accounts_locations_and_requests_come_a_page_at_a_time(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    audits_by_default(&app).await;
    let customer = create(&app, "Harbor Creamery", "HC-1", "Portland").await;
    let mut locations = Vec::new();
    for n in 0..60 {
        locations.push(create_location(&app, &format!("Plant {n:02}"), &format!("P{n:02}")).await);
    }
    let mut form = vec![
        ("customer_id".to_string(), customer.to_string()),
        ("level".to_string(), "location".to_string()),
    ];
    form.extend(
        locations
            .iter()
            .enumerate()
            .map(|(n, id)| (format!("ids[{n}]"), id.to_string())),
    );
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, body) = app.call("requirements/add", &form).await;
    assert!(status.is_success(), "{body}");
    let (status, body) = set_requirement(&app, customer, locations[55], "HACCP Plan", true).await;
    assert!(status.is_success(), "{body}");

    // Locations: fifty in name order, then the rest after the last of them.
    let first = sourced(&app, customer, "", None).await;
    let expected: Vec<String> = (0..60).map(|n| format!("Plant {n:02}")).collect();
    assert_eq!(names(&first), expected[..50]);
    assert!(first.has_next);
    assert_eq!(first.total, 60);
    assert_eq!(ticked(&first, "Plant 07"), ["3rd Party Audit"]);
    let second = sourced(&app, customer, "", first.rows.last().map(|l| l.id)).await;
    assert_eq!(names(&second), expected[50..]);
    assert!(!second.has_next);
    assert_eq!(ticked(&second, "Plant 55"), ["3rd Party Audit", "HACCP Plan"]);
    assert_eq!(ticked(&second, "Plant 54"), ["3rd Party Audit"]);
    // Searched by code, ignoring case; the total stays the customer's.
    let searched = sourced(&app, customer, "p07", None).await;
    assert_eq!(names(&searched), ["Plant 07"]);
    assert_eq!(searched.total, 60);
    assert!(sourced(&app, customer, "zzqx", None).await.rows.is_empty());
    let (status, body) = app
        .call(
            "requirements/sourced",
            &[
                ("customer_id", &customer.to_string()),
                ("level", "location"),
                ("q", &"x".repeat(201)),
            ],
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(error_of(status, &body).field_errors().unwrap().get("q").is_some());

    // Requests: 60 audits and one HACCP Plan, fifty to a page, open first in listing order.
    let page = requests_page(&app, customer, 0).await;
    assert_eq!((page.total, page.open, page.page_count()), (61, 61, 2));
    assert_eq!(page.rows.len(), 50);
    assert_eq!(page.rows[0].listing_name, "Plant 00");
    assert_eq!(page.rows[49].listing_name, "Plant 49");
    let last = requests_page(&app, customer, 1).await;
    assert_eq!(last.rows.len(), 11);
    assert_eq!(last.rows[10].listing_name, "Plant 59");
    assert!(last.rows.iter().all(|r| !page.rows.iter().any(|p| p.id == r.id)));
    assert_eq!(
        requests_page(&app, customer, 9).await.page,
        1,
        "past the end: the last page"
    );
    assert!(page.ready.is_empty() && page.recommended.is_empty());

    // A current HACCP Plan for Plant 55 is recommended for its request on the second page; the
    // first page knows it, and once accepted, that it is ready to send.
    let file = upload_ok(&app, "document", "haccp.pdf", pdf("55")).await;
    let haccp = type_id(&app, "HACCP Plan").await;
    let (status, body) = add_document(
        &app,
        "location",
        locations[55],
        haccp,
        "HACCP Plant 55",
        (&day(-10), &day(355)),
        &file,
    )
    .await;
    assert!(status.is_success(), "{body}");
    let haccp_request = last
        .rows
        .iter()
        .find(|r| r.type_name == "HACCP Plan")
        .expect("HACCP request")
        .id;
    let page = requests_page(&app, customer, 0).await;
    assert_eq!(page.recommended, [haccp_request]);
    let (status, body) = accept_all(&app, customer, &page.recommended).await;
    assert!(status.is_success(), "{body}");
    let page = requests_page(&app, customer, 0).await;
    assert_eq!(
        (page.ready.as_slice(), page.recommended.len()),
        ([haccp_request].as_slice(), 0)
    );
    assert_eq!(page.open, 61);
}

on_both_databases!(a_big_accounts_locations_and_requests_come_a_page_at_a_time);
