//! Share Settings and documents over HTTP, on SQLite and on PostgreSQL: document types, default
//! requirements, uploads and their limits, versions, expiry status, downloads.

use crate::common;

use app::documents::{DocumentRow, DocumentType};
use app::domain::{DocumentStatus, Level};
use app::error::AppError;
use common::*;

async fn types(app: &TestApp) -> Vec<DocumentType> {
    let (status, body) = app.call("documents/types", &[]).await;
    assert!(status.is_success(), "{status} {body}");
    serde_json::from_str(&body).unwrap()
}

async fn documents(app: &TestApp, level: &str, owner: i64) -> Vec<DocumentRow> {
    let (status, body) = app
        .call(
            "documents/list",
            &[("level", level), ("owner_id", &owner.to_string())],
        )
        .await;
    assert!(status.is_success(), "{status} {body}");
    serde_json::from_str(&body).unwrap()
}

async fn built_in_types_are_there_and_can_be_hidden_not_deleted(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let all = types(&app).await;
    let names = |level: Level| {
        all.iter()
            .filter(|t| t.level == level && t.builtin)
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(Level::Location),
        ["3rd Party Audit", "Allergen Control Policy", "HACCP Plan"]
    );
    assert_eq!(
        names(Level::Item),
        ["Certificate of Analysis", "Specification Sheet"]
    );

    let haccp = type_id(&app, "HACCP Plan").await.to_string();
    let (status, body) = app.call("documents/types/delete", &[("id", &haccp)]).await;
    let AppError::Refused(message) = error_of(status, &body) else {
        panic!("{body}")
    };
    assert!(message.contains("can be hidden, not deleted"), "{message}");
    let (status, body) = app
        .call("documents/types/hide", &[("id", &haccp), ("hidden", "true")])
        .await;
    assert!(status.is_success(), "{body}");
    assert!(types(&app)
        .await
        .iter()
        .any(|t| t.name == "HACCP Plan" && t.hidden));

    // A hidden type takes no new documents.
    let plant = create_location(&app, "Plant A", "A").await;
    let file = upload_ok(&app, "document", "haccp.pdf", pdf("haccp")).await;
    let (status, body) = add_document(
        &app,
        "location",
        plant,
        haccp.parse().unwrap(),
        "HACCP",
        (&day(0), &day(300)),
        &file,
    )
    .await;
    let errors = error_of(status, &body).field_errors().cloned().unwrap();
    assert!(errors.get("type_id").unwrap().contains("is hidden"));
}

async fn admins_create_custom_types_and_staff_may_not(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let form = |name: &'static str, level: &'static str, days: &'static str| {
        vec![
            ("document_type[name]", name),
            ("document_type[level]", level),
            ("document_type[description]", "Kosher certificate of the site."),
            ("document_type[validity_days]", days),
        ]
    };
    let (status, body) = app.call("documents/types/create", &form("", "planet", "0")).await;
    let errors = error_of(status, &body).field_errors().cloned().unwrap();
    assert_eq!(errors.get("name"), Some("Name is required."));
    assert!(errors.get("level").is_some() && errors.get("validity_days").is_some());

    let (status, body) = app
        .call(
            "documents/types/create",
            &form("Kosher Certificate", "location", "365"),
        )
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app
        .call(
            "documents/types/create",
            &form("kosher certificate", "location", ""),
        )
        .await;
    let errors = error_of(status, &body).field_errors().cloned().unwrap();
    assert!(errors.get("name").unwrap().contains("already"));
    // The same name at the other level is another type.
    let (status, body) = app
        .call("documents/types/create", &form("Kosher Certificate", "item", ""))
        .await;
    assert!(status.is_success(), "{body}");

    let staff = app.client_for_new_user("sam@supplier.example", "staff").await;
    let (status, body) = call_as(
        &staff,
        &app.url,
        "documents/types/create",
        &form("Halal", "item", ""),
    )
    .await;
    assert_eq!(error_of(status, &body), AppError::Forbidden);
    let (status, body) = call_as(&staff, &app.url, "documents/requirements", &[("type_ids", "")]).await;
    assert_eq!(error_of(status, &body), AppError::Forbidden);

    let kosher = types(&app)
        .await
        .into_iter()
        .find(|t| t.name == "Kosher Certificate" && t.level == Level::Location)
        .unwrap();
    assert_eq!((kosher.validity_days, kosher.builtin), (Some(365), false));
    let (status, body) = app
        .call("documents/types/delete", &[("id", &kosher.id.to_string())])
        .await;
    assert!(status.is_success(), "{body}");
}

async fn default_requirements_are_exactly_what_was_ticked(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let audit = type_id(&app, "3rd Party Audit").await;
    let spec = type_id(&app, "Specification Sheet").await;
    let ticked = format!("{audit},{spec}");
    let (status, body) = app.call("documents/requirements", &[("type_ids", &ticked)]).await;
    assert!(status.is_success(), "{body}");
    let required: Vec<String> = types(&app)
        .await
        .into_iter()
        .filter(|t| t.default_required)
        .map(|t| t.name)
        .collect();
    assert_eq!(required, ["3rd Party Audit", "Specification Sheet"]);

    let (status, body) = app
        .call("documents/requirements", &[("type_ids", &spec.to_string())])
        .await;
    assert!(status.is_success(), "{body}");
    let required: Vec<String> = types(&app)
        .await
        .into_iter()
        .filter(|t| t.default_required)
        .map(|t| t.name)
        .collect();
    assert_eq!(required, ["Specification Sheet"]);

    // Unknown types change nothing.
    let (status, body) = app
        .call("documents/requirements", &[("type_ids", "424242")])
        .await;
    assert!(matches!(error_of(status, &body), AppError::Refused(_)));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM document_types WHERE default_required = 1")
            .await,
        1
    );
}

async fn a_new_document_keeps_the_old_one_as_a_previous_version(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let plant = create_location(&app, "Plant A", "A").await;
    let audit = type_id(&app, "3rd Party Audit").await;
    let first_bytes = pdf("audit 2025");
    let first = upload_ok(&app, "document", "Audit 2025.pdf", first_bytes.clone()).await;
    let (status, body) = add_document(
        &app,
        "location",
        plant,
        audit,
        "SQF audit 2025",
        (&day(-400), &day(-35)),
        &first,
    )
    .await;
    assert!(status.is_success(), "{body}");
    let second = upload_ok(&app, "document", "Audit 2026 – Café.pdf", pdf("audit 2026")).await;
    let (status, body) = add_document(
        &app,
        "location",
        plant,
        audit,
        "SQF audit 2026",
        (&day(-30), &day(335)),
        &second,
    )
    .await;
    assert!(status.is_success(), "{body}");

    let rows = documents(&app, "location", plant).await;
    let current: Vec<_> = rows.iter().filter(|d| d.replaced_at.is_none()).collect();
    let previous: Vec<_> = rows.iter().filter(|d| d.replaced_at.is_some()).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].title, "SQF audit 2026");
    assert_eq!(current[0].status, DocumentStatus::Valid);
    assert_eq!(previous.len(), 1);
    assert_eq!(
        (previous[0].title.as_str(), previous[0].status),
        ("SQF audit 2025", DocumentStatus::Expired)
    );

    // The previous version is still there to download, byte for byte, under its own name.
    let response = app.get(&format!("/files/{first}")).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"Audit 2025.pdf\"; filename*=UTF-8''Audit%202025.pdf"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(response.bytes().await.unwrap().to_vec(), first_bytes);
    let response = app.get(&format!("/files/{second}")).await;
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("filename*=UTF-8''Audit%202026%20%E2%80%93%20Caf%C3%A9.pdf"));

    // Each type counts its documents, every version (kept by the database as they are added).
    let listed = types(&app).await;
    assert_eq!(
        listed.iter().find(|t| t.id == audit).map(|t| t.documents),
        Some(2)
    );
    assert!(listed.iter().all(|t| t.id == audit || t.documents == 0));

    // A custom type holding a document is not deleted; the message says how many it holds.
    let form = [
        ("document_type[name]", "Kosher Certificate"),
        ("document_type[level]", "location"),
        ("document_type[description]", ""),
        ("document_type[validity_days]", ""),
    ];
    let (status, body) = app.call("documents/types/create", &form).await;
    assert!(status.is_success(), "{body}");
    let kosher: i64 = serde_json::from_str(&body).unwrap();
    let file = upload_ok(&app, "document", "kosher.pdf", pdf("kosher")).await;
    let (status, body) = add_document(
        &app,
        "location",
        plant,
        kosher,
        "Kosher 2026",
        (&day(0), &day(9)),
        &file,
    )
    .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app
        .call("documents/types/delete", &[("id", &kosher.to_string())])
        .await;
    assert!(
        error_of(status, &body)
            .to_string()
            .contains("1 document(s) of this type are stored"),
        "{body}"
    );
    assert!(types(&app)
        .await
        .iter()
        .any(|t| t.id == kosher && t.documents == 1));
}

async fn status_says_valid_expiring_or_expired(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let plant = create_location(&app, "Plant A", "A").await;
    for (name, expires) in [
        ("3rd Party Audit", day(-1)),
        ("HACCP Plan", day(30)),
        ("Allergen Control Policy", day(31)),
    ] {
        let file = upload_ok(&app, "document", "doc.pdf", pdf(name)).await;
        let kind = type_id(&app, name).await;
        let (status, body) =
            add_document(&app, "location", plant, kind, name, (&day(-100), &expires), &file).await;
        assert!(status.is_success(), "{body}");
    }
    let status_of =
        |rows: &[DocumentRow], name: &str| rows.iter().find(|d| d.type_name == name).unwrap().status;
    let rows = documents(&app, "location", plant).await;
    assert_eq!(status_of(&rows, "3rd Party Audit"), DocumentStatus::Expired);
    assert_eq!(status_of(&rows, "HACCP Plan"), DocumentStatus::Expiring);
    assert_eq!(status_of(&rows, "Allergen Control Policy"), DocumentStatus::Valid);

    // A blank expiry date defaults from the type's validity (Certificate of Analysis: 180 days).
    let item = create_item(&app, "CB-1", "Beans", "1", "").await;
    let file = upload_ok(&app, "document", "coa.pdf", pdf("coa")).await;
    let coa = type_id(&app, "Certificate of Analysis").await;
    let (status, body) = add_document(&app, "item", item, coa, "CoA lot 7", (&day(0), ""), &file).await;
    assert!(status.is_success(), "{body}");
    let rows = documents(&app, "item", item).await;
    assert_eq!(rows[0].expires_on.to_string(), day(180));
    // A location-level type does not fit an item.
    let audit = type_id(&app, "3rd Party Audit").await;
    let (status, body) = add_document(&app, "item", item, audit, "Audit", (&day(0), &day(9)), &file).await;
    let errors = error_of(status, &body).field_errors().cloned().unwrap();
    assert!(errors.get("type_id").unwrap().contains("belong to locations"));
}

async fn a_type_is_edited_but_a_built_in_one_keeps_its_name(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let haccp = type_id(&app, "HACCP Plan").await.to_string();
    let update = |name: &'static str, days: &'static str| {
        let (app, haccp) = (&app, haccp.clone());
        async move {
            let form = [
                ("id", haccp.as_str()),
                ("document_type[name]", name),
                ("document_type[level]", "item"),
                ("document_type[description]", "Reviewed yearly."),
                ("document_type[validity_days]", days),
            ];
            app.call("documents/types/update", &form).await
        }
    };
    let (status, body) = update("Food Safety Plan", "400").await;
    let errors = error_of(status, &body).field_errors().cloned().unwrap();
    assert_eq!(
        errors.get("name"),
        Some("Built-in types keep their name: HACCP Plan.")
    );
    let (status, body) = update("HACCP Plan", "400").await;
    assert!(status.is_success(), "{body}");
    let saved = types(&app)
        .await
        .into_iter()
        .find(|t| t.name == "HACCP Plan")
        .unwrap();
    // The level stays what it was, whatever the form says.
    assert_eq!((saved.validity_days, saved.level), (Some(400), Level::Location));
    assert_eq!(saved.description.as_deref(), Some("Reviewed yearly."));
    let (status, body) = update("HACCP Plan", "forever").await;
    assert!(error_of(status, &body)
        .field_errors()
        .unwrap()
        .get("validity_days")
        .is_some());
}

on_both_databases!(
    a_type_is_edited_but_a_built_in_one_keeps_its_name,
    built_in_types_are_there_and_can_be_hidden_not_deleted,
    admins_create_custom_types_and_staff_may_not,
    default_requirements_are_exactly_what_was_ticked,
    a_new_document_keeps_the_old_one_as_a_previous_version,
    status_says_valid_expiring_or_expired,
);
