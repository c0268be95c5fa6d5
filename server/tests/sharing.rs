//! The wizard's server side, on SQLite and PostgreSQL: contacts, requirements and the requests
//! they open, PostOnce recommendations, "Send Selected Documents" through the outbox and a real
//! SMTP conversation, and the Document Retrieval Site's accounts and access rules.

mod common;

use app::contacts::CustomerContact;
use app::requests::{RequestRow, RequestStatus, SendReport};
use app::requirements::SourcedListing;
use app::retrieval::{LinkState, SharedCustomer};
use common::*;
use reqwest::StatusCode;
use server::smtp_sink::{Behaviour, Received, SmtpSink};
use std::time::Duration;

fn ok<T: serde::de::DeserializeOwned>(status: StatusCode, body: &str) -> T {
    assert!(status.is_success(), "{status} {body}");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// Adds a contact to the customer and makes them its Documents Contact; returns the contact's id.
async fn documents_contact(app: &TestApp, customer: i64, first: &str, email: &str) -> i64 {
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
async fn location_with_haccp_plan(app: &TestApp, name: &str, code: &str) -> i64 {
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

async fn add_location(app: &TestApp, customer: i64, location: i64) {
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

async fn set_requirement(
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

async fn requests(app: &TestApp, customer: i64) -> Vec<RequestRow> {
    let (status, body) = app
        .call("requests/of_customer", &[("customer_id", &customer.to_string())])
        .await;
    ok(status, &body)
}

/// Calls a server function that takes `customer_id` and a list `ids` of requests.
async fn call_with_requests(
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

async fn accept_all(app: &TestApp, customer: i64, ids: &[i64]) -> (StatusCode, String) {
    call_with_requests(app, "requests/accept", customer, ids).await
}

async fn send(app: &TestApp, customer: i64, ids: &[i64]) -> (StatusCode, String) {
    call_with_requests(app, "requests/send", customer, ids).await
}

/// A customer whose one Documents Contact (`email`) was sent the HACCP Plan of a location: the
/// customer and the request sent.
async fn shared_haccp_plan(app: &TestApp, name: &str, account: &str, email: &str, code: &str) -> (i64, i64) {
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
fn link_in(message: &Received) -> String {
    let text = message.readable();
    let start = text.find("http://").expect("a link in the email");
    text[start..]
        .split(|c: char| c.is_whitespace() || c == '"' || c == '<')
        .next()
        .unwrap()
        .to_string()
}

fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap().to_string()
}

async fn new_contact_account(app: &TestApp, link: &str) -> reqwest::Client {
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

async fn requirements_open_and_cancel_requests(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    // Share Settings: 3rd Party Audit is a default for new customers' locations.
    let audit = type_id(&app, "3rd Party Audit").await;
    let (status, body) = app
        .call("documents/requirements", &[("type_ids", &audit.to_string())])
        .await;
    assert!(status.is_success(), "{body}");
    let customer = create(&app, "Coffee Uptown", "CU-1", "Portland").await;
    let location = create_location(&app, "Plant A", "PA").await;
    add_location(&app, customer, location).await;
    let (status, body) = app
        .call(
            "requirements/sourced",
            &[("customer_id", &customer.to_string()), ("level", "location")],
        )
        .await;
    let sourced: Vec<SourcedListing> = ok(status, &body);
    let ticked: Vec<&str> = sourced[0]
        .requirements
        .iter()
        .filter(|r| r.required)
        .map(|r| r.type_name.as_str())
        .collect();
    assert_eq!(ticked, ["3rd Party Audit"], "pre-ticked from the defaults");
    let open = |rows: &[RequestRow]| rows.iter().map(|r| r.type_name.clone()).collect::<Vec<_>>();
    assert_eq!(open(&requests(&app, customer).await), ["3rd Party Audit"]);

    let (status, body) = set_requirement(&app, customer, location, "HACCP Plan", true).await;
    assert!(status.is_success(), "{body}");
    assert_eq!(
        open(&requests(&app, customer).await),
        ["3rd Party Audit", "HACCP Plan"]
    );
    // Ticking it twice opens no second request.
    set_requirement(&app, customer, location, "HACCP Plan", true).await;
    assert_eq!(requests(&app, customer).await.len(), 2);

    let (status, body) = set_requirement(&app, customer, location, "3rd Party Audit", false).await;
    assert!(status.is_success(), "{body}");
    assert_eq!(open(&requests(&app, customer).await), ["HACCP Plan"]);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM document_requests WHERE status = 'cancelled'")
            .await,
        1
    );

    // An item-level type cannot be required of a location.
    let (status, body) = set_requirement(&app, customer, location, "Specification Sheet", true).await;
    assert!(
        error_of(status, &body).to_string().contains("belong to items"),
        "{body}"
    );

    // Removing the location cancels its open requests.
    let (status, body) = app
        .call(
            "requirements/remove",
            &[
                ("customer_id", &customer.to_string()),
                ("level", "location"),
                ("listing_id", &location.to_string()),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    assert!(requests(&app, customer).await.is_empty());
}

async fn a_contact_belongs_to_several_customers_with_a_unique_email(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let uptown = create(&app, "Coffee Uptown", "CU-1", "Portland").await;
    let downtown = create(&app, "Coffee Downtown", "CD-1", "Portland").await;
    let ana = documents_contact(&app, uptown, "Ana", "ana@coffee.example").await;
    // The same email, typed differently, is someone who exists already.
    let (status, body) = app
        .call(
            "contacts/create",
            &[
                ("customer_id", &downtown.to_string()),
                ("contact[first_name]", "Ann"),
                ("contact[last_name]", "Other"),
                ("contact[email]", "ANA@coffee.example"),
                ("contact[phone]", ""),
                ("contact[job_title]", ""),
            ],
        )
        .await;
    let error = error_of(status, &body);
    assert!(
        error
            .field_errors()
            .unwrap()
            .get("email")
            .unwrap()
            .contains("Ana Lima already has"),
        "{body}"
    );
    let (status, body) = app.call("contacts/search", &[("q", "lima ana")]).await;
    let found: Vec<app::contacts::Contact> = ok(status, &body);
    assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), [ana]);
    let (status, body) = app
        .call(
            "contacts/assign",
            &[
                ("customer_id", &downtown.to_string()),
                ("contact_id", &ana.to_string()),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app
        .call("contacts/of_customer", &[("customer_id", &downtown.to_string())])
        .await;
    let contacts: Vec<CustomerContact> = ok(status, &body);
    assert_eq!(contacts.len(), 1);
    assert_eq!(
        (contacts[0].other_customers, contacts[0].documents_contact),
        (1, false)
    );
    // Removing from one customer keeps the contact on the other.
    let (status, body) = app
        .call(
            "contacts/unassign",
            &[
                ("customer_id", &downtown.to_string()),
                ("contact_id", &ana.to_string()),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM customer_contacts").await, 1);
}

async fn documents_need_a_documents_contact_and_a_fulfilled_request(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let customer = create(&app, "Coffee Uptown", "CU-1", "Portland").await;
    let location = location_with_haccp_plan(&app, "Plant A", "PA").await;
    add_location(&app, customer, location).await;
    set_requirement(&app, customer, location, "HACCP Plan", true).await;
    set_requirement(&app, customer, location, "Allergen Control Policy", true).await;
    let rows = requests(&app, customer).await;
    let haccp = rows.iter().find(|r| r.type_name == "HACCP Plan").unwrap();
    let allergen = rows
        .iter()
        .find(|r| r.type_name == "Allergen Control Policy")
        .unwrap();
    // PostOnce: the location's current HACCP Plan is offered; nothing exists for allergens.
    assert_eq!(haccp.recommendation.as_ref().unwrap().title, "HACCP Plant A");
    assert!(allergen.recommendation.is_none());

    let (status, body) = send(&app, customer, &[haccp.id]).await;
    assert!(
        error_of(status, &body).to_string().contains("Documents Contact"),
        "{body}"
    );
    documents_contact(&app, customer, "Ana", "ana@coffee.example").await;
    let (status, body) = send(&app, customer, &[haccp.id]).await;
    assert!(
        error_of(status, &body)
            .to_string()
            .contains("has no document yet"),
        "{body}"
    );

    let (status, body) = accept_all(&app, customer, &[haccp.id, allergen.id]).await;
    assert_eq!(ok::<u64>(status, &body), 1);
    // A new version of the HACCP Plan before sending: the request now holds it.
    let file = upload_ok(&app, "document", "haccp-v2.pdf", pdf("v2")).await;
    let haccp_type = type_id(&app, "HACCP Plan").await;
    let (status, body) = add_document(
        &app,
        "location",
        location,
        haccp_type,
        "HACCP v2",
        (&day(0), &day(365)),
        &file,
    )
    .await;
    assert!(status.is_success(), "{body}");
    let held = requests(&app, customer)
        .await
        .into_iter()
        .find(|r| r.id == haccp.id)
        .unwrap();
    assert_eq!(held.document.unwrap().title, "HACCP v2");
    let (status, body) = send(&app, customer, &[haccp.id, allergen.id]).await;
    assert!(error_of(status, &body)
        .to_string()
        .contains("Allergen Control Policy for Plant A has no document yet"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox").await,
        0,
        "nothing queued by a refused send"
    );

    let (status, body) = send(&app, customer, &[haccp.id]).await;
    assert_eq!(
        ok::<SendReport>(status, &body),
        SendReport {
            documents: 1,
            emails: 1
        }
    );
    let rows = requests(&app, customer).await;
    assert_eq!(
        rows.iter().find(|r| r.id == haccp.id).unwrap().status,
        RequestStatus::Sent
    );
    // Sending again sends nothing twice, and requiring it again does not ask for it again.
    let (status, body) = send(&app, customer, &[haccp.id]).await;
    assert!(error_of(status, &body).to_string().contains("was sent already"));
    set_requirement(&app, customer, location, "HACCP Plan", true).await;
    let open = requests(&app, customer)
        .await
        .into_iter()
        .filter(|r| r.status == RequestStatus::Open)
        .count();
    assert_eq!(open, 1, "only the allergen request is open");
    // Without SMTP the email waits in the outbox, readable in the Messages tab.
    let (status, body) = app
        .call("mail/of_customer", &[("customer_id", &customer.to_string())])
        .await;
    let messages: Vec<app::mail::EmailRow> = ok(status, &body);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].status, app::mail::EmailStatus::Queued);
    assert!(messages[0].text_body.contains("HACCP Plan: Plant A (HACCP v2)"));
    assert!(messages[0].text_body.contains(app::mail::LINK_SHOWN_AS));
}

async fn the_email_leads_the_contact_to_an_account_and_the_download(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    let (customer, request) =
        shared_haccp_plan(&app, "Coffee Uptown", "CU-1", "ana@coffee.example", "PA").await;

    let received = sink.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(received.len(), 1, "the email reached the SMTP server");
    let message = &received[0];
    assert_eq!(message.to, ["ana@coffee.example"]);
    let text = message.readable();
    assert!(
        text.contains("Subject: 1 document shared with Coffee Uptown"),
        "{text}"
    );
    assert!(
        text.contains("text/plain") && text.contains("text/html"),
        "both parts: {text}"
    );
    let link = link_in(message);
    assert!(link.starts_with(&format!("{}/shared/link/", app.url)), "{link}");
    // Only the token's hash is stored.
    let token = token_of(&link);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM access_links WHERE token_hash = $1")
        .bind(app::auth::session::hash_token(&token))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 1);
    let plain: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM access_links WHERE token_hash = $1")
        .bind(token.clone())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(plain, 0);
    // The outbox says sent once the server accepted it.
    for _ in 0..50 {
        if app
            .count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
            .await
            == 1
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
            .await,
        1
    );

    // The contact follows the link: the page opens, then they make an account.
    let contact = new_client();
    let page = contact.get(&link).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let (status, body) = call_as(&contact, &app.url, "shared/link", &[("token", &token)]).await;
    assert!(matches!(
        ok::<LinkState>(status, &body),
        LinkState::Valid {
            has_account: false,
            ..
        }
    ));
    let (status, body) = call_as(
        &contact,
        &app.url,
        "shared/create_account",
        &[("token", &token), ("password", "short"), ("confirm", "short")],
    )
    .await;
    assert!(error_of(status, &body)
        .field_errors()
        .unwrap()
        .get("password")
        .is_some());
    let contact = new_contact_account(&app, &link).await;
    let (status, body) = call_as(&contact, &app.url, "shared/documents", &[]).await;
    let shared: Vec<SharedCustomer> = ok(status, &body);
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0].name, "Coffee Uptown");
    assert_eq!(shared[0].groups[0].name, "Plant PA");
    assert_eq!(shared[0].groups[0].documents[0].type_name, "HACCP Plan");
    let download = contact
        .get(format!("{}/shared/files/{request}", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.bytes().await.unwrap().to_vec(), pdf("PA"));
    // Staff see the download on the request.
    let row = requests(&app, customer)
        .await
        .into_iter()
        .find(|r| r.id == request)
        .unwrap();
    assert_eq!(row.downloads, 1);
    assert_eq!(row.last_download.unwrap().0, "Ana Lima");

    // A second visit signs in with the password; the link says they have an account.
    let (status, body) = call_as(&contact, &app.url, "shared/link", &[("token", &token)]).await;
    assert!(matches!(
        ok::<LinkState>(status, &body),
        LinkState::Valid {
            has_account: true,
            ..
        }
    ));
    let again = new_client();
    let (status, body) = call_as(
        &again,
        &app.url,
        "shared/sign_in",
        &[("email", "ANA@coffee.example"), ("password", PASSWORD)],
    )
    .await;
    assert!(status.is_success(), "{body}");
    let (status, _) = call_as(&again, &app.url, "shared/documents", &[]).await;
    assert!(status.is_success());
}

async fn a_contact_sees_only_what_was_sent_to_their_customers(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    let (_, ours) = shared_haccp_plan(&app, "Coffee Uptown", "CU-1", "ana@coffee.example", "PA").await;
    let (other_customer, theirs) =
        shared_haccp_plan(&app, "Tea House", "TH-1", "ben@tea.example", "PB").await;
    // An open (unsent) request of the contact's own customer.
    let received = sink.wait_for(2, Duration::from_secs(20)).await;
    let ana_link = received
        .iter()
        .find(|m| m.to == ["ana@coffee.example"])
        .map(link_in)
        .unwrap();
    let ana = new_contact_account(&app, &ana_link).await;

    let (status, body) = call_as(&ana, &app.url, "shared/documents", &[]).await;
    let shared: Vec<SharedCustomer> = ok(status, &body);
    assert_eq!(
        shared.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["Coffee Uptown"]
    );
    let get = |client: &reqwest::Client, path: String| {
        let client = client.clone();
        async move { client.get(path).send().await.unwrap().status() }
    };
    assert_eq!(
        get(&ana, format!("{}/shared/files/{ours}", app.url)).await,
        StatusCode::OK
    );
    // Another customer's request, a made-up one, not a number: all "not found".
    assert_eq!(
        get(&ana, format!("{}/shared/files/{theirs}", app.url)).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&ana, format!("{}/shared/files/999999", app.url)).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&ana, format!("{}/shared/files/1%20OR%201=1", app.url)).await,
        StatusCode::NOT_FOUND
    );
    // Staff downloads and staff functions stay closed to a contact.
    let file_id: String = sqlx::query_scalar(
        "SELECT d.file_id FROM document_requests r JOIN documents d ON d.id = r.document_id WHERE r.id = $1",
    )
    .bind(theirs)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        get(&ana, format!("{}/files/{file_id}", app.url)).await,
        StatusCode::UNAUTHORIZED
    );
    for (endpoint, form) in [
        (
            "requests/of_customer",
            vec![("customer_id", other_customer.to_string())],
        ),
        (
            "contacts/of_customer",
            vec![("customer_id", other_customer.to_string())],
        ),
        (
            "mail/of_customer",
            vec![("customer_id", other_customer.to_string())],
        ),
        ("contacts/search", vec![("q", "ben".to_string())]),
    ] {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = call_as(&ana, &app.url, endpoint, &form).await;
        assert_eq!(
            error_of(status, &body),
            app::error::AppError::Unauthorized,
            "{endpoint}"
        );
    }
    // No one signed in sees nothing.
    let anonymous = new_client();
    let (status, body) = call_as(&anonymous, &app.url, "shared/documents", &[]).await;
    assert_eq!(error_of(status, &body), app::error::AppError::Unauthorized);
    assert_eq!(
        get(&anonymous, format!("{}/shared/files/{ours}", app.url)).await,
        StatusCode::UNAUTHORIZED
    );
    // A contact taken off the customer loses its documents.
    let ana_id: i64 = sqlx::query_scalar("SELECT id FROM contacts WHERE email_key = 'ana@coffee.example'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM customer_contacts WHERE contact_id = $1")
        .bind(ana_id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        get(&ana, format!("{}/shared/files/{ours}", app.url)).await,
        StatusCode::NOT_FOUND
    );
}

async fn an_expired_link_offers_a_new_one(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    shared_haccp_plan(&app, "Coffee Uptown", "CU-1", "ana@coffee.example", "PA").await;
    let first = sink.wait_for(1, Duration::from_secs(20)).await;
    let token = token_of(&link_in(&first[0]));
    sqlx::query("UPDATE access_links SET expires_at = 0")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let contact = new_client();
    let (status, body) = call_as(&contact, &app.url, "shared/link", &[("token", &token)]).await;
    assert_eq!(ok::<LinkState>(status, &body), LinkState::Expired);
    let (status, body) = call_as(
        &contact,
        &app.url,
        "shared/create_account",
        &[("token", &token), ("password", PASSWORD), ("confirm", PASSWORD)],
    )
    .await;
    assert!(error_of(status, &body).to_string().contains("expired"));
    let (status, body) = call_as(&contact, &app.url, "shared/link", &[("token", "not-a-token")]).await;
    assert_eq!(ok::<LinkState>(status, &body), LinkState::Unknown);

    let (status, body) = call_as(&contact, &app.url, "shared/new_link", &[("token", &token)]).await;
    assert!(status.is_success(), "{body}");
    // Asked again at once: refused, no flood.
    let (status, body) = call_as(&contact, &app.url, "shared/new_link", &[("token", &token)]).await;
    assert!(error_of(status, &body).to_string().contains("a few minutes ago"));
    let both = sink.wait_for(2, Duration::from_secs(20)).await;
    assert_eq!(both.len(), 2);
    assert_eq!(both[1].to, ["ana@coffee.example"]);
    let fresh = new_contact_account(&app, &link_in(&both[1])).await;
    let (status, _) = call_as(&fresh, &app.url, "shared/documents", &[]).await;
    assert!(status.is_success());
}

async fn a_refused_delivery_is_retried_and_staff_can_resend(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::RefuseFirst(1)).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    let (customer, _) = shared_haccp_plan(&app, "Coffee Uptown", "CU-1", "ana@coffee.example", "PA").await;
    // Refused once (451), delivered on the retry five seconds later.
    let received = sink.wait_for(1, Duration::from_secs(30)).await;
    assert_eq!(received.len(), 1);
    for _ in 0..50 {
        if app
            .count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
            .await
            == 1
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (status, body) = app
        .call("mail/of_customer", &[("customer_id", &customer.to_string())])
        .await;
    let messages: Vec<app::mail::EmailRow> = ok(status, &body);
    assert_eq!(
        (messages[0].status, messages[0].attempts),
        (app::mail::EmailStatus::Sent, 2)
    );
    let (status, body) = app
        .call("mail/resend", &[("id", &messages[0].id.to_string())])
        .await;
    assert!(status.is_success(), "{body}");
    let again = sink.wait_for(2, Duration::from_secs(20)).await;
    assert_eq!(again.len(), 2);
    assert_ne!(
        link_in(&again[0]),
        link_in(&again[1]),
        "a resent email carries a fresh link"
    );
    // The Email Log is for Admins.
    let staff = app.client_for_new_user("sam@supplier.example", "staff").await;
    let (status, body) = call_as(&staff, &app.url, "mail/log", &[]).await;
    assert_eq!(error_of(status, &body), app::error::AppError::Forbidden);
    let (status, body) = app.call("mail/log", &[]).await;
    assert_eq!(ok::<Vec<app::mail::EmailRow>>(status, &body).len(), 2);
}

async fn a_draft_resumes_where_the_wizard_stopped(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let customer = create(&app, "Coffee Uptown", "CU-1", "Portland").await;
    let step = |app: &TestApp| {
        let url = app.url.clone();
        let client = app.client.clone();
        async move {
            let (status, body) =
                call_as(&client, &url, "customers/get", &[("id", &customer.to_string())]).await;
            ok::<app::customers::Customer>(status, &body).wizard_step
        }
    };
    assert_eq!(step(&app).await, Some(2), "a new customer is a Draft at Contacts");
    let id = customer.to_string();
    let reach = |n: &'static str| {
        let (app, id) = (&app, id.clone());
        async move {
            app.call("customers/wizard_step", &[("id", id.as_str()), ("step", n)])
                .await
        }
    };
    assert!(reach("4").await.0.is_success());
    assert!(reach("3").await.0.is_success());
    assert_eq!(step(&app).await, Some(4), "going back keeps how far it got");
    assert!(!reach("9").await.0.is_success());
    let (status, _) = app
        .call("customers/finish_wizard", &[("id", &customer.to_string())])
        .await;
    assert!(status.is_success());
    assert_eq!(step(&app).await, None);
    assert!(reach("5").await.0.is_success());
    assert_eq!(step(&app).await, None, "a finished customer stays finished");
}

async fn a_resend_goes_to_the_contacts_address_of_today(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    let (customer, _) = shared_haccp_plan(&app, "Coffee Uptown", "CU-1", "ana@coffee.example", "PA").await;
    assert_eq!(sink.wait_for(1, Duration::from_secs(20)).await.len(), 1);
    let contact: app::contacts::Contact = {
        let (status, body) = app.call("contacts/search", &[("q", "ana")]).await;
        ok::<Vec<app::contacts::Contact>>(status, &body).remove(0)
    };
    let (status, body) = app
        .call(
            "contacts/update",
            &[
                ("id", &contact.id.to_string()),
                ("version", &contact.version.to_string()),
                ("contact[first_name]", "Ana"),
                ("contact[last_name]", "Lima"),
                ("contact[email]", "ana.lima@new-coffee.example"),
                ("contact[phone]", ""),
                ("contact[job_title]", ""),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app
        .call("mail/of_customer", &[("customer_id", &customer.to_string())])
        .await;
    let first = ok::<Vec<app::mail::EmailRow>>(status, &body).remove(0);
    let (status, body) = app.call("mail/resend", &[("id", &first.id.to_string())]).await;
    assert!(status.is_success(), "{body}");
    let both = sink.wait_for(2, Duration::from_secs(20)).await;
    assert_eq!(both.len(), 2);
    assert_eq!(
        both[1].to,
        ["ana.lima@new-coffee.example"],
        "the old mailbox gets no new link"
    );
}

on_both_databases!(
    a_resend_goes_to_the_contacts_address_of_today,
    requirements_open_and_cancel_requests,
    a_contact_belongs_to_several_customers_with_a_unique_email,
    documents_need_a_documents_contact_and_a_fulfilled_request,
    the_email_leads_the_contact_to_an_account_and_the_download,
    a_contact_sees_only_what_was_sent_to_their_customers,
    an_expired_link_offers_a_new_one,
    a_refused_delivery_is_retried_and_staff_can_resend,
    a_draft_resumes_where_the_wizard_stopped,
);

/// A server process of this build on the test's database, delivering to `smtp_url`.
fn spawn_server(app: &TestApp, smtp_url: &str) -> std::process::Child {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/clientele.db", app.data_dir.display()),
        )
        .env("DATA_DIR", &app.data_dir)
        .env("SMTP_URL", smtp_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", &app.site)
        .env("LEPTOS_HASH_FILES", "false")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("server starts")
}

/// The documents email is committed; the server dies (SIGKILL) while the mail server is still
/// in the middle of taking it. After a restart, the email is delivered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_survives_the_server_being_killed_before_delivery() {
    let app = TestApp::start(Engine::Sqlite).await;
    app.set_up_admin().await;
    shared_haccp_plan(&app, "Coffee Uptown", "CU-1", "ana@coffee.example", "PA").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status = 'queued'")
            .await,
        1
    );

    let hanging = SmtpSink::start(Behaviour::Stall).await.unwrap();
    let mut server = spawn_server(&app, &hanging.url());
    for _ in 0..200 {
        if hanging.connections() > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        hanging.connections() > 0,
        "the worker took the email and began delivering it"
    );
    server.kill().expect("SIGKILL");
    server.wait().unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status = 'queued' AND attempts = 1")
            .await,
        1
    );

    let working = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let mut restarted = spawn_server(&app, &working.url());
    // The dead worker's claim runs out (30 s), then the new server delivers it.
    let received = working.wait_for(1, Duration::from_secs(90)).await;
    let mut sent = 0;
    for _ in 0..50 {
        sent = app
            .count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
            .await;
        if sent == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    restarted.kill().unwrap();
    restarted.wait().unwrap();
    assert_eq!(received.len(), 1, "the email was delivered after the restart");
    assert_eq!(received[0].to, ["ana@coffee.example"]);
    assert_eq!(sent, 1);
}
