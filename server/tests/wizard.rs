//! The wizard's server side, on SQLite and PostgreSQL: contacts on several customers, the
//! requirements of a customer's locations and the Document Requests they open and cancel, PostOnce
//! recommendations, "Send Selected Documents" and its refusals, and a Draft resuming.

use crate::common;

use app::requests::{RequestRow, RequestStatus, SendReport};
use app::requirements::SourcedPage;
use common::sharing::*;
use common::*;

async fn requirements_open_and_cancel_requests(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    audits_by_default(&app).await;
    let customer = create(&app, "Coffee Uptown", "CU-1", "Portland").await;
    let location = create_location(&app, "Plant A", "PA").await;
    add_location(&app, customer, location).await;
    let (status, body) = app
        .call(
            "requirements/sourced",
            &[("customer_id", &customer.to_string()), ("level", "location")],
        )
        .await;
    let sourced: SourcedPage = ok(status, &body);
    let ticked: Vec<&str> = sourced.rows[0]
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
    let contacts = ok::<app::contacts::CustomerContactsPage>(status, &body).rows;
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

on_both_databases!(
    requirements_open_and_cancel_requests,
    a_contact_belongs_to_several_customers_with_a_unique_email,
    documents_need_a_documents_contact_and_a_fulfilled_request,
    a_draft_resumes_where_the_wizard_stopped,
);
