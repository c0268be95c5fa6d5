//! Customer documents and the contacts' document requests, on SQLite and PostgreSQL.

use crate::common;

use app::asks::AskOptions;
use app::customer_files::CustomerFile;
use app::requests::SendReport;
use common::portal::{assert_refused_at, contact_on, signed_in_contact};
use common::sharing::*;
use common::*;

async fn files(app: &TestApp, customer: i64) -> Vec<CustomerFile> {
    let (status, body) = app
        .call(
            "customer_files/of_customer",
            &[("customer_id", &customer.to_string())],
        )
        .await;
    ok(status, &body)
}

async fn staff_attach_files_to_the_customer(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let customer = create(&app, "Coffee Uptown", "CU-1", "Seattle").await;
    let id = customer.to_string();
    let contract = upload_ok(&app, "document", "contract.pdf", pdf("contract")).await;
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&[0; 64]);
    let logo = upload_ok(&app, "logo", "logo.png", png).await;

    // Refused at their fields: no title, no file, a file uploaded for another purpose.
    let (status, body) = app
        .call(
            "customer_files/add",
            &[("customer_id", &id), ("title", " "), ("file_id", "")],
        )
        .await;
    let error = error_of(status, &body);
    let fields = error.field_errors().expect("field errors");
    assert_eq!(fields.get("title"), Some("Title is required."));
    assert!(fields.get("file").is_some());
    let (status, body) = app
        .call(
            "customer_files/add",
            &[("customer_id", &id), ("title", "Logo"), ("file_id", &logo)],
        )
        .await;
    assert_refused_at(status, &body, "file");
    assert!(files(&app, customer).await.is_empty());

    let (status, body) = app
        .call(
            "customer_files/add",
            &[
                ("customer_id", &id),
                ("title", "Supply contract 2027"),
                ("file_id", &contract),
            ],
        )
        .await;
    let file_row: i64 = ok(status, &body);
    let listed = files(&app, customer).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].title.as_str(), listed[0].file_name.as_str()),
        ("Supply contract 2027", "contract.pdf")
    );
    assert_eq!(listed[0].uploader_name, "Ada Admin");
    let download = app.get(&format!("/files/{contract}")).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.bytes().await.unwrap().to_vec(), pdf("contract"));
    // Housekeeping keeps an attached file; it would sweep the unused logo upload.
    let abandoned = app::documents::db::abandoned_files(&app.db, i64::MAX)
        .await
        .unwrap();
    assert!(abandoned.iter().all(|(id, _)| *id != contract), "{abandoned:?}");
    assert!(abandoned.iter().any(|(id, _)| *id == logo));

    // Contacts and strangers see nothing.
    let ana = contact_on(&app, customer, "Ana", "ana@coffee.example").await;
    let contact = signed_in_contact(&app, ana, "ana@coffee.example").await;
    let (status, _) = call_as(
        &contact,
        &app.url,
        "customer_files/of_customer",
        &[("customer_id", &id)],
    )
    .await;
    assert_eq!(status.as_u16(), 401);
    let response = contact
        .get(format!("{}/files/{contract}", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);

    let (status, body) = app
        .call("customer_files/remove", &[("id", &file_row.to_string())])
        .await;
    assert!(status.is_success(), "{body}");
    assert!(files(&app, customer).await.is_empty());
    let (status, body) = app.call("activity/of_customer", &[("customer_id", &id)]).await;
    let log: Vec<app::activity::ActivityEntry> = ok(status, &body);
    let actions: Vec<_> = log
        .iter()
        .filter(|e| e.action.starts_with("customer_file"))
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(actions, ["customer_file_removed", "customer_file_added"]);
}

async fn contacts_ask_for_documents_that_staff_send(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let customer = create(&app, "Coffee Uptown", "CU-1", "Seattle").await;
    let other = create(&app, "Tea House", "TH-1", "Boise").await;
    let plant = location_with_haccp_plan(&app, "North Plant", "N-1").await;
    let elsewhere = create_location(&app, "South Plant", "S-1").await;
    add_location(&app, customer, plant).await;
    let beans = create_item(&app, "BEANS", "Colombia Beans", "12.00", "").await;
    let (status, body) = app
        .call(
            "requirements/add",
            &[
                ("customer_id", &customer.to_string()),
                ("level", "item"),
                ("ids[0]", &beans.to_string()),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    let ana = documents_contact(&app, customer, "Ana", "ana@coffee.example").await;
    let contact = signed_in_contact(&app, ana, "ana@coffee.example").await;
    let haccp = type_id(&app, "HACCP Plan").await.to_string();
    let spec = type_id(&app, "Specification Sheet").await.to_string();

    let (status, body) = call_as(&contact, &app.url, "shared/ask/options", &[]).await;
    let options: AskOptions = ok(status, &body);
    assert_eq!(options.customers.len(), 1);
    let listings: Vec<_> = options.customers[0]
        .listings
        .iter()
        .map(|l| l.name.as_str())
        .collect();
    assert_eq!(listings, ["North Plant", "Colombia Beans"]);
    assert!(options.types.iter().any(|t| t.name == "HACCP Plan"));

    let ask = |listing: String, kind: String, customer: i64| {
        let contact = contact.clone();
        let url = app.url.clone();
        async move {
            call_as(
                &contact,
                &url,
                "shared/ask",
                &[
                    ("customer_id", &customer.to_string()),
                    ("listing", &listing),
                    ("type_id", &kind),
                ],
            )
            .await
        }
    };
    // Refused: an item's type for a location, a location the customer does not source, no type,
    // another customer.
    let (status, body) = ask(format!("location:{plant}"), spec.clone(), customer).await;
    assert_refused_at(status, &body, "type");
    let (status, body) = ask(format!("location:{elsewhere}"), haccp.clone(), customer).await;
    assert_refused_at(status, &body, "listing");
    let (status, body) = ask(format!("location:{plant}"), String::new(), customer).await;
    assert_refused_at(status, &body, "type");
    let (status, _) = ask(format!("location:{plant}"), haccp.clone(), other).await;
    assert_eq!(status.as_u16(), 403);
    let (status, _) = call_as(
        &new_client(),
        &app.url,
        "shared/ask",
        &[
            ("customer_id", &customer.to_string()),
            ("listing", "location:1"),
            ("type_id", "1"),
        ],
    )
    .await;
    assert_eq!(status.as_u16(), 401);
    assert!(requests(&app, customer).await.is_empty());

    let (status, body) = ask(format!("location:{plant}"), haccp.clone(), customer).await;
    assert!(status.is_success(), "{body}");
    let (status, body) = ask(format!("location:{plant}"), haccp.clone(), customer).await;
    assert!(
        error_of(status, &body).to_string().contains("requested already"),
        "{body}"
    );

    // A requirement of the same type added and removed again leaves the contact's request open.
    for required in [true, false] {
        let (status, body) = set_requirement(&app, customer, plant, "HACCP Plan", required).await;
        assert!(status.is_success(), "{body}");
    }

    // Staff see it with who asked, and fulfil and send it like any other.
    let rows = requests(&app, customer).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].requested_by.as_deref(), Some("Ana Lima"));
    assert_eq!(
        (rows[0].type_name.as_str(), rows[0].listing_name.as_str()),
        ("HACCP Plan", "North Plant")
    );
    let (status, body) = accept_all(&app, customer, &[rows[0].id]).await;
    assert!(status.is_success(), "{body}");
    let (status, body) = send(&app, customer, &[rows[0].id]).await;
    assert_eq!(ok::<SendReport>(status, &body).emails, 1);
    let (status, body) = call_as(&contact, &app.url, "shared/ask/options", &[]).await;
    let options: AskOptions = ok(status, &body);
    assert_eq!(options.customers[0].asked[0].status, "sent");
    let (status, body) = app
        .call("activity/of_customer", &[("customer_id", &customer.to_string())])
        .await;
    let log: Vec<app::activity::ActivityEntry> = ok(status, &body);
    assert!(log
        .iter()
        .any(|e| e.action == "recommendations_accepted" && e.actor_name == "Ada Admin"));
    assert!(log.iter().any(|e| e.action == "documents_sent"));
    let asked = log
        .iter()
        .find(|e| e.action == "document_asked")
        .expect("asked entry");
    assert_eq!((asked.actor_name.as_str(), asked.by_staff), ("Ana Lima", false));
    assert_eq!(asked.detail, "Asked for HACCP Plan for North Plant");
}

on_both_databases!(
    staff_attach_files_to_the_customer,
    contacts_ask_for_documents_that_staff_send
);
