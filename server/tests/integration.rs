//! The integration workflow on SQLite and PostgreSQL: a Buyer requests it in the portal, the
//! salesperson and the Digital Administrators are emailed over SMTP, staff send it back with a
//! reason or activate it; and the customer page's tools: the account number, inventory
//! availability and the price-list email address.

use crate::common;

use app::customers::ListQuery;
use app::integration::{CustomerIntegration, IntegrationOptions, IntegrationStatus, InventoryChoice};
use app::portal::CatalogPage;
use common::portal::*;
use common::sharing::ok;
use common::*;
use serde_json::json;
use server::smtp_sink::{Behaviour, SmtpSink};
use std::time::Duration;

async fn staff_id(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM staff_users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db.pool)
        .await
        .expect("staff user")
}

async fn add_user(app: &TestApp, name: &str, email: &str) -> i64 {
    let (status, body) = app
        .call(
            "settings/users/add",
            &[
                ("name", name),
                ("email", email),
                ("password", PASSWORD),
                ("role", "staff"),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    staff_id(app, email).await
}

async fn request(
    contact: &reqwest::Client,
    app: &TestApp,
    customer: i64,
    salesperson: Option<i64>,
    transactions: &[&str],
) -> (reqwest::StatusCode, String) {
    let response = contact
        .post(format!("{}/api/portal/integration/request", app.url))
        .json(&json!({"customer_id": customer, "salesperson_id": salesperson, "transactions": transactions}))
        .send()
        .await
        .expect("request");
    (response.status(), response.text().await.expect("body"))
}

async fn integration(app: &TestApp, customer: i64) -> CustomerIntegration {
    let (status, body) = app
        .call(
            "integration/of_customer",
            &[("customer_id", &customer.to_string())],
        )
        .await;
    ok(status, &body)
}

async fn a_buyer_requests_integration_and_staff_decide(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    let sam = add_user(&app, "Sam Seller", "sam@supplier.example").await;
    let dee = add_user(&app, "Dee Digital", "dee@supplier.example").await;
    let (status, body) = app
        .call(
            "settings/users/digital_admin",
            &[("user_id", &dee.to_string()), ("on", "true")],
        )
        .await;
    assert!(status.is_success(), "{body}");
    let (uptown, _, _) = orderable_customer(&app, "Coffee Uptown", "CU-1").await;
    let (downtown, _, _) = orderable_customer(&app, "Coffee Downtown", "CD-1").await;
    let ana = contact_on(&app, uptown, "Ana", "ana@coffee.example").await;
    let vic = contact_on(&app, uptown, "Vic", "vic@coffee.example").await;
    set_role(&app, uptown, vic, "viewer").await;
    let buyer = signed_in_contact(&app, ana, "ana@coffee.example").await;
    let viewer = signed_in_contact(&app, vic, "vic@coffee.example").await;
    let stranger_id = contact_on(&app, downtown, "Stu", "stu@downtown.example").await;
    let stranger = signed_in_contact(&app, stranger_id, "stu@downtown.example").await;

    let (status, body) = for_customer(&buyer, &app, "portal/integration/options", uptown).await;
    let options: IntegrationOptions = ok(status, &body);
    assert_eq!(options.status, IntegrationStatus::NotRequested);
    assert!(options.may_request);
    let names: Vec<_> = options.salespeople.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Ada Admin", "Dee Digital", "Sam Seller"]);

    // Refusals: nothing chosen (both fields told), a Viewer, a contact of another customer.
    let (status, body) = request(&buyer, &app, uptown, None, &[]).await;
    let error = error_of(status, &body);
    let fields = error.field_errors().expect("field errors");
    assert_eq!(fields.get("salesperson"), Some("Choose your salesperson."));
    assert_eq!(fields.get("transactions"), Some("Tick at least one transaction."));
    let (status, body) = request(&viewer, &app, uptown, Some(sam), &["orders"]).await;
    assert!(
        error_of(status, &body).to_string().contains("Only a Buyer"),
        "{body}"
    );
    let (status, _) = request(&stranger, &app, uptown, Some(sam), &["orders"]).await;
    assert_eq!(status.as_u16(), 403);
    assert_eq!(
        integration(&app, uptown).await.status,
        IntegrationStatus::NotRequested
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 0);

    let (status, body) = request(&buyer, &app, uptown, Some(sam), &["orders", "invoices", "bogus"]).await;
    assert!(status.is_success(), "{body}");
    // The salesperson and the Digital Administrator, not the other Admin.
    let received = sink.wait_for(2, Duration::from_secs(20)).await;
    let mut to: Vec<_> = received.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, ["dee@supplier.example", "sam@supplier.example"]);
    let text = received[0].readable();
    assert!(
        text.contains("Subject: Integration requested by Coffee Uptown"),
        "{text}"
    );
    assert!(text.contains("Transactions: Orders, Invoices"), "{text}");
    assert!(text.contains("Salesperson: Sam Seller"), "{text}");
    assert!(
        text.contains(&format!("{}/customers/{uptown}", app.url)),
        "{text}"
    );

    let state = integration(&app, uptown).await;
    assert_eq!(state.status, IntegrationStatus::Requested);
    assert_eq!(state.requests[0].requested_by_name, "Ana Buyer");
    // A second request while one is open is refused; no more email.
    let (status, body) = request(&buyer, &app, uptown, Some(sam), &["orders"]).await;
    assert!(
        error_of(status, &body).to_string().contains("already requested"),
        "{body}"
    );
    // The list shows the status and filters by it.
    let requested = every_page(
        &app,
        ListQuery {
            integration: Some(IntegrationStatus::Requested),
            ..ListQuery::default()
        },
    )
    .await;
    assert_eq!(requested.iter().map(|c| c.id).collect::<Vec<_>>(), [uptown]);
    assert_eq!(requested[0].integration_status, IntegrationStatus::Requested);

    // Sent back: a reason is required; then Not Requested, the reason kept.
    let (status, body) = app
        .call(
            "integration/send_back",
            &[("customer_id", &uptown.to_string()), ("reason", "  ")],
        )
        .await;
    assert_refused_at(status, &body, "reason");
    let (status, body) = app
        .call(
            "integration/send_back",
            &[
                ("customer_id", &uptown.to_string()),
                ("reason", "We need your EDI partner ID first."),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    let state = integration(&app, uptown).await;
    assert_eq!(state.status, IntegrationStatus::NotRequested);
    assert_eq!(state.requests[0].status, "returned");
    assert_eq!(
        state.requests[0].reason.as_deref(),
        Some("We need your EDI partner ID first.")
    );

    // Asked again, then activated.
    let (status, body) = request(&buyer, &app, uptown, Some(sam), &["ship_notices"]).await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app
        .call("integration/activate", &[("customer_id", &uptown.to_string())])
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app
        .call("integration/activate", &[("customer_id", &uptown.to_string())])
        .await;
    assert!(
        error_of(status, &body).to_string().contains("already active"),
        "{body}"
    );
    let (status, body) = for_customer(&buyer, &app, "portal/integration/options", uptown).await;
    assert_eq!(
        ok::<IntegrationOptions>(status, &body).status,
        IntegrationStatus::Active
    );
    let state = integration(&app, uptown).await;
    assert_eq!(state.requests.len(), 2);
    assert_eq!(state.requests[0].status, "activated");
    // Two requests to two staff users, and both decisions to the Buyer who asked.
    let received = sink.wait_for(6, Duration::from_secs(20)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.received().len(), 6);
    let to_ana: Vec<String> = received
        .iter()
        .filter(|m| m.to == ["ana@coffee.example"])
        .map(|m| m.readable())
        .collect();
    assert_eq!(to_ana.len(), 2);
    assert!(
        to_ana.iter().any(|t| t
            .contains("Subject: Your integration request for Coffee Uptown was sent back")
            && t.contains("We need your EDI partner ID first.")),
        "{to_ana:?}"
    );
    assert!(
        to_ana
            .iter()
            .any(|t| t.contains("Subject: Integration is active for Coffee Uptown")),
        "{to_ana:?}"
    );

    // Every step is in the Activity log, with the status before and after.
    let (status, body) = app
        .call("activity/of_customer", &[("customer_id", &uptown.to_string())])
        .await;
    let log: Vec<app::activity::ActivityEntry> = ok(status, &body);
    let steps: Vec<_> = log
        .iter()
        .filter(|e| e.action.starts_with("integration_"))
        .map(|e| {
            (
                e.action.as_str(),
                e.before.as_deref().unwrap_or(""),
                e.after.as_deref().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("integration_activated", "Requested", "Active"),
            ("integration_requested", "Not Requested", "Requested"),
            ("integration_returned", "Requested", "Not Requested"),
            ("integration_requested", "Not Requested", "Requested"),
        ]
    );
    assert_eq!(
        log.iter()
            .find(|e| e.action == "integration_requested")
            .unwrap()
            .actor_name,
        "Ana Buyer"
    );

    // Contacts cannot decide.
    let (status, _) = for_customer(&buyer, &app, "integration/activate", uptown).await;
    assert_eq!(status.as_u16(), 401);
}

async fn account_number_inventory_and_price_list_email(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let north = create_location(&app, "North Plant", "N-1").await;
    let south = create_location(&app, "South Plant", "S-1").await;
    let customer = create(&app, "Coffee Uptown", "", "Seattle").await;
    let other = create(&app, "Coffee Downtown", "CD-1", "Seattle").await;
    let from_north = create_item(
        &app,
        "N-BEANS",
        "Beans from the north",
        "10.00",
        &north.to_string(),
    )
    .await;
    let from_south = create_item(
        &app,
        "S-BEANS",
        "Beans from the south",
        "11.00",
        &south.to_string(),
    )
    .await;
    let (status, body) = app
        .call(
            "requirements/add",
            &[
                ("customer_id", &customer.to_string()),
                ("level", "item"),
                ("ids[0]", &from_north.to_string()),
                ("ids[1]", &from_south.to_string()),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    set_portal(&app, customer, true).await;
    let ana = contact_on(&app, customer, "Ana", "ana@coffee.example").await;
    let contact = signed_in_contact(&app, ana, "ana@coffee.example").await;
    let catalog_skus = || async {
        let (status, body) = for_customer(&contact, &app, "portal/catalog", customer).await;
        ok::<CatalogPage>(status, &body)
            .items
            .into_iter()
            .map(|i| i.sku)
            .collect::<Vec<_>>()
    };

    // Add Customer Account#: another customer's number is refused at the field.
    let version = integration(&app, customer).await.version.to_string();
    let id = customer.to_string();
    let (status, body) = app
        .call(
            "integration/account_number",
            &[
                ("customer_id", &id),
                ("version", &version),
                ("account_number", "cd-1"),
            ],
        )
        .await;
    assert_refused_at(status, &body, "account_number");
    let (status, body) = app
        .call(
            "integration/account_number",
            &[
                ("customer_id", &id),
                ("version", &version),
                ("account_number", "EDI-77"),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    assert_eq!(
        integration(&app, customer).await.account_number.as_deref(),
        Some("EDI-77")
    );
    let found = every_page(
        &app,
        ListQuery {
            q: "edi-77".into(),
            ..ListQuery::default()
        },
    )
    .await;
    assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), [customer]);
    // The old version is stale now.
    let (status, body) = app
        .call(
            "integration/account_number",
            &[
                ("customer_id", &id),
                ("version", &version),
                ("account_number", "EDI-78"),
            ],
        )
        .await;
    assert!(
        error_of(status, &body)
            .to_string()
            .contains("changed this customer meanwhile"),
        "{body}"
    );

    // Inventory availability: all locations by default; limited to one, the catalog follows.
    assert_eq!(catalog_skus().await, ["N-BEANS", "S-BEANS"]);
    let (status, body) = app
        .call_json(
            "integration/inventory",
            json!({"customer_id": customer, "limited": true, "location_ids": [north]}),
        )
        .await;
    assert!(status.is_success(), "{body}");
    assert_eq!(catalog_skus().await, ["N-BEANS"]);
    let state = integration(&app, customer).await;
    assert_eq!((state.inventory_limited, state.ticked_locations), (true, 1));
    let (status, body) = app
        .call("integration/inventory_of_customer", &[("customer_id", &id)])
        .await;
    let choice: InventoryChoice = ok(status, &body);
    assert!(choice.limited);
    let visible: Vec<_> = choice
        .locations
        .iter()
        .map(|l| (l.name.as_str(), l.visible))
        .collect();
    assert_eq!(visible, [("North Plant", true), ("South Plant", false)]);
    let (status, body) = app
        .call_json(
            "integration/inventory",
            json!({"customer_id": customer, "limited": true, "location_ids": []}),
        )
        .await;
    assert!(status.is_success(), "{body}");
    assert!(catalog_skus().await.is_empty());
    let (status, body) = app
        .call_json(
            "integration/inventory",
            json!({"customer_id": customer, "limited": false, "location_ids": []}),
        )
        .await;
    assert!(status.is_success(), "{body}");
    assert_eq!(catalog_skus().await, ["N-BEANS", "S-BEANS"]);

    // Copy Price List Email: refused until an Admin sets the domain; then one address per customer.
    let (status, body) = app
        .call("integration/price_list_email", &[("customer_id", &id)])
        .await;
    assert!(
        error_of(status, &body)
            .to_string()
            .contains("No price-list email domain"),
        "{body}"
    );
    let (status, body) = app
        .call("integration/settings/domain", &[("domain", "not a domain")])
        .await;
    assert_refused_at(status, &body, "domain");
    let (status, body) = app
        .call("integration/settings/domain", &[("domain", "Prices.Example.com")])
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app
        .call("integration/price_list_email", &[("customer_id", &id)])
        .await;
    let address: String = ok(status, &body);
    let token = address
        .strip_prefix("prices-")
        .and_then(|rest| rest.strip_suffix("@prices.example.com"))
        .unwrap_or_else(|| panic!("{address}"));
    assert_eq!(token.len(), 16);
    let (status, body) = app
        .call("integration/price_list_email", &[("customer_id", &id)])
        .await;
    assert_eq!(ok::<String>(status, &body), address);
    let (status, body) = app
        .call(
            "integration/price_list_email",
            &[("customer_id", &other.to_string())],
        )
        .await;
    assert_ne!(ok::<String>(status, &body), address);

    // Activity: the account number and the inventory, with before and after.
    let log = groups_activity(&app, customer).await;
    let account = log
        .iter()
        .find(|e| e.action == "account_number_changed")
        .expect("account entry");
    assert_eq!(
        (account.before.as_deref(), account.after.as_deref()),
        (None, Some("EDI-77"))
    );
    let inventory: Vec<_> = log
        .iter()
        .filter(|e| e.action == "inventory_changed")
        .map(|e| {
            (
                e.before.clone().unwrap_or_default(),
                e.after.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        inventory,
        [
            ("No location".to_string(), "All locations".to_string()),
            ("North Plant".to_string(), "No location".to_string()),
            ("All locations".to_string(), "North Plant".to_string()),
        ]
    );
}

async fn groups_activity(app: &TestApp, customer: i64) -> Vec<app::activity::ActivityEntry> {
    let (status, body) = app
        .call("activity/of_customer", &[("customer_id", &customer.to_string())])
        .await;
    ok(status, &body)
}

on_both_databases!(
    a_buyer_requests_integration_and_staff_decide,
    account_number_inventory_and_price_list_email
);
