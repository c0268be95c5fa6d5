//! Helpers for the tests of the wizard, email and the Document Retrieval Site: a customer with a
//! Documents Contact, a location with a document, requirements, requests and sending them, and
//! following the link in a received email.

use super::*;
use app::requests::{RequestRow, RequestsPage, SendReport};
use reqwest::StatusCode;
use server::smtp_sink::Received;

pub fn ok<T: serde::de::DeserializeOwned>(status: StatusCode, body: &str) -> T {
    assert!(status.is_success(), "{status} {body}");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// Adds a contact to the customer and makes them its Documents Contact; returns the contact's id.
pub async fn documents_contact(app: &TestApp, customer: i64, first: &str, email: &str) -> i64 {
    let customer = customer.to_string();
    let (status, body) = app
        .call(
            "contacts/create",
            &[
                ("customer_id", &customer),
                ("contact[first_name]", first),
                ("contact[last_name]", "Lima"),
                ("contact[email]", email),
                ("contact[phone]", ""),
                ("contact[job_title]", "Quality Manager"),
            ],
        )
        .await;
    let id: i64 = ok(status, &body);
    let (status, body) = app
        .call(
            "contacts/documents_contact",
            &[
                ("customer_id", &customer),
                ("contact_id", &id.to_string()),
                ("on", "true"),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    id
}

/// A location with a current HACCP Plan valid for a year.
pub async fn location_with_haccp_plan(app: &TestApp, name: &str, code: &str) -> i64 {
    let location = create_location(app, name, code).await;
    let file = upload_ok(app, "document", &format!("haccp-{code}.pdf"), pdf(code)).await;
    let haccp = type_id(app, "HACCP Plan").await;
    let (status, body) = add_document(
        app,
        "location",
        location,
        haccp,
        &format!("HACCP {name}"),
        (&day(-10), &day(355)),
        &file,
    )
    .await;
    assert!(status.is_success(), "{body}");
    location
}

/// Share Settings: 3rd Party Audit is a default requirement of new customers' locations.
pub async fn audits_by_default(app: &TestApp) {
    let audit = type_id(app, "3rd Party Audit").await;
    let (status, body) = app
        .call("documents/requirements", &[("type_ids", &audit.to_string())])
        .await;
    assert!(status.is_success(), "{body}");
}

pub async fn add_location(app: &TestApp, customer: i64, location: i64) {
    let (status, body) = app
        .call(
            "requirements/add",
            &[
                ("customer_id", &customer.to_string()),
                ("level", "location"),
                ("ids[0]", &location.to_string()),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
}

pub async fn set_requirement(
    app: &TestApp,
    customer: i64,
    location: i64,
    type_name: &str,
    required: bool,
) -> (StatusCode, String) {
    let kind = type_id(app, type_name).await;
    app.call(
        "requirements/set",
        &[
            ("customer_id", &customer.to_string()),
            ("level", "location"),
            ("listing_id", &location.to_string()),
            ("type_id", &kind.to_string()),
            ("required", &required.to_string()),
        ],
    )
    .await
}

/// The first page of the customer's Document Requests.
pub async fn requests(app: &TestApp, customer: i64) -> Vec<RequestRow> {
    requests_page(app, customer, 0).await.rows
}

pub async fn requests_page(app: &TestApp, customer: i64, page: i64) -> RequestsPage {
    let (status, body) = app
        .call(
            "requests/of_customer",
            &[
                ("customer_id", &customer.to_string()),
                ("page", &page.to_string()),
            ],
        )
        .await;
    ok(status, &body)
}

/// Calls a server function that takes `customer_id` and a list `ids` of requests.
pub async fn call_with_requests(
    app: &TestApp,
    endpoint: &str,
    customer: i64,
    ids: &[i64],
) -> (StatusCode, String) {
    let mut form = vec![("customer_id".to_string(), customer.to_string())];
    form.extend(
        ids.iter()
            .enumerate()
            .map(|(n, id)| (format!("ids[{n}]"), id.to_string())),
    );
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call(endpoint, &form).await
}

pub async fn accept_all(app: &TestApp, customer: i64, ids: &[i64]) -> (StatusCode, String) {
    call_with_requests(app, "requests/accept", customer, ids).await
}

pub async fn send(app: &TestApp, customer: i64, ids: &[i64]) -> (StatusCode, String) {
    call_with_requests(app, "requests/send", customer, ids).await
}

/// A customer whose one Documents Contact (`email`) was sent the HACCP Plan of a location: the
/// customer and the request sent.
pub async fn shared_haccp_plan(
    app: &TestApp,
    name: &str,
    account: &str,
    email: &str,
    code: &str,
) -> (i64, i64) {
    let customer = create(app, name, account, "Portland").await;
    documents_contact(app, customer, "Ana", email).await;
    let location = location_with_haccp_plan(app, &format!("Plant {code}"), code).await;
    add_location(app, customer, location).await;
    let (status, body) = set_requirement(app, customer, location, "HACCP Plan", true).await;
    assert!(status.is_success(), "{body}");
    let ids: Vec<i64> = requests(app, customer).await.iter().map(|r| r.id).collect();
    let (status, body) = accept_all(app, customer, &ids).await;
    assert!(status.is_success(), "{body}");
    let (status, body) = send(app, customer, &ids).await;
    let report: SendReport = ok(status, &body);
    assert_eq!(report.emails, 1);
    (customer, ids[0])
}

/// The sign-in link in a received email.
pub fn link_in(message: &Received) -> String {
    let text = message.readable();
    let start = text.find("http://").expect("a link in the email");
    text[start..]
        .split(|c: char| c.is_whitespace() || c == '"' || c == '<')
        .next()
        .unwrap()
        .to_string()
}

pub fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap().to_string()
}

pub async fn new_contact_account(app: &TestApp, link: &str) -> reqwest::Client {
    let contact = new_client();
    let (status, body) = call_as(
        &contact,
        &app.url,
        "shared/create_account",
        &[
            ("token", &token_of(link)),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
        ],
    )
    .await;
    assert!(status.is_success(), "{status} {body}");
    contact
}
