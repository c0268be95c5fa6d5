//! The ordering portal, on SQLite and PostgreSQL: an invitation received over SMTP leads to an
//! account and an order for the chosen customer; who may act for which customer; one order per
//! cart; staff acting for a customer; the Sunday reminders.

mod common;

use app::contacts::ContactListPage;
use app::error::AppError;
use app::listings::Page;
use app::orders::{Order, OrderTotals};
use app::portal::{CatalogItem, PortalContext, PortalVisitor};
use app::ship_to::ShipTo;
use common::portal::*;
use common::sharing::*;
use common::*;
use reqwest::StatusCode;
use server::smtp_sink::{Behaviour, SmtpSink};
use std::time::Duration;

async fn an_invited_contact_orders_for_the_customer_they_choose(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    let (uptown, ship_to, [beans, filters]) = orderable_customer(&app, "Coffee Uptown", "CU-1").await;
    let (downtown, _, _) = orderable_customer(&app, "Coffee Downtown", "CD-1").await;
    let ana = contact_on(&app, uptown, "Ana", "ana@coffee.example").await;
    assign(&app, downtown, ana).await;

    invite(&app, uptown, ana).await;
    let received = sink.wait_for(1, Duration::from_secs(20)).await;
    let text = received[0].readable();
    assert!(
        text.contains("Subject: You are invited to order online for Coffee Uptown"),
        "{text}"
    );
    let link = link_in(&received[0]);
    assert!(
        link.starts_with(&format!("{}/portal/invitation/", app.url)),
        "{link}"
    );
    // The invitation's link opens nothing on the Document Retrieval Site.
    let (status, body) = app.call("shared/link", &[("token", &token_of(&link))]).await;
    assert_eq!(
        ok::<app::retrieval::LinkState>(status, &body),
        app::retrieval::LinkState::Unknown
    );

    let contact = accept(&app, &token_of(&link)).await;
    // Accepted: staff see it.
    let (status, body) = app
        .call("portal/customer", &[("customer_id", &uptown.to_string())])
        .await;
    let access: app::portal::CustomerPortalAccess = ok(status, &body);
    assert!(matches!(
        access.invitees[0].status,
        app::portal::InvitationStatus::Accepted { .. }
    ));

    let (status, body) = call_as(&contact, &app.url, "portal/visitor", &[]).await;
    match ok::<PortalVisitor>(status, &body) {
        PortalVisitor::Contact {
            customers, chosen, ..
        } => {
            let names: Vec<_> = customers.iter().map(|c| c.name.as_str()).collect();
            assert_eq!(names, ["Coffee Downtown", "Coffee Uptown"]);
            assert_eq!(chosen, Some(uptown), "the invitation's customer is chosen");
        }
        other => panic!("{other:?}"),
    }
    let (status, body) = call_as(
        &contact,
        &app.url,
        "portal/catalog",
        &[("customer_id", &uptown.to_string())],
    )
    .await;
    let (items, ship_tos): (Vec<CatalogItem>, Vec<ShipTo>) = ok(status, &body);
    assert_eq!(
        items.iter().map(|i| i.unit_price_cents).collect::<Vec<_>>(),
        [1200, 350]
    );
    assert_eq!(ship_tos.len(), 1);

    let order = placed(&contact, &app, uptown, ship_to, &[(beans, 3), (filters, 2)]).await;
    assert_eq!(order.total_cents, 3 * 1200 + 2 * 350);
    assert_eq!(order.lines.len(), 2);
    assert_eq!(order.po_number.as_deref(), Some("PO-77"));
    assert_eq!(order.placed_by_name, "Ana Buyer");
    // The lines keep their price when the item's price changes later.
    sqlx::query("UPDATE items SET unit_price_cents = 9999 WHERE id = $1")
        .bind(beans)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (status, body) = call_as(
        &contact,
        &app.url,
        "portal/orders",
        &[("customer_id", &uptown.to_string()), ("page", "0")],
    )
    .await;
    let history: Page<Order> = ok(status, &body);
    assert_eq!(history.total, 1);
    assert_eq!(history.rows[0].lines[0].unit_price_cents, 1200);

    let received = sink.wait_for(2, Duration::from_secs(20)).await;
    let confirmation = received[1].readable();
    assert!(
        confirmation.contains(&format!("Order {} confirmed for Coffee Uptown", order.number())),
        "{confirmation}"
    );
    assert!(
        confirmation.contains("$43.00") || confirmation.contains("43.00"),
        "{confirmation}"
    );

    // Change Customer: the other customer's history is empty.
    let (status, _) = call_as(
        &contact,
        &app.url,
        "portal/choose",
        &[("customer_id", &downtown.to_string())],
    )
    .await;
    assert!(status.is_success());
    let (status, body) = call_as(
        &contact,
        &app.url,
        "portal/orders",
        &[("customer_id", &downtown.to_string()), ("page", "0")],
    )
    .await;
    assert_eq!(ok::<Page<Order>>(status, &body).total, 0);

    // Staff see the order and its value on the customer and in the list.
    let (status, body) = app
        .call(
            "orders/of_customer",
            &[("customer_id", &uptown.to_string()), ("page", "0")],
        )
        .await;
    let (totals, orders): (OrderTotals, Page<Order>) = ok(status, &body);
    assert_eq!(
        totals,
        OrderTotals {
            count: 1,
            total_cents: 4300
        }
    );
    assert_eq!(orders.rows[0].id, order.id);
    let page = list(
        &app,
        &app::customers::ListQuery {
            q: "uptown".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        (page.rows[0].order_count, page.rows[0].order_total_cents),
        (1, 4300)
    );
    let orders_of = |customer: &'static str, from: String| {
        let app = &app;
        async move {
            let (status, body) = app
                .call(
                    "orders/list",
                    &[
                        ("filter[customer]", customer),
                        ("filter[from]", &from),
                        ("filter[to]", ""),
                        ("page", "0"),
                    ],
                )
                .await;
            ok::<Page<Order>>(status, &body).total
        }
    };
    assert_eq!(orders_of("uptown", String::new()).await, 1);
    assert_eq!(orders_of("downtown", String::new()).await, 0);
    assert_eq!(orders_of("", day(1)).await, 0, "nothing from tomorrow on");
    let (status, body) = app
        .call(
            "orders/list",
            &[
                ("filter[customer]", ""),
                ("filter[from]", "31/02/2026"),
                ("filter[to]", ""),
                ("page", "0"),
            ],
        )
        .await;
    assert!(error_of(status, &body)
        .field_errors()
        .unwrap()
        .get("from")
        .is_some());
}

async fn a_contact_can_act_only_for_their_own_portal_customers(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let (mine, ship_to, [beans, _]) = orderable_customer(&app, "Mine", "M-1").await;
    let (theirs, their_ship_to, [their_beans, _]) = orderable_customer(&app, "Theirs", "T-1").await;
    let ana = contact_on(&app, mine, "Ana", "ana@mine.example").await;
    let contact = signed_in_contact(&app, ana, "ana@mine.example").await;
    let anonymous = new_client();
    let theirs_id = theirs.to_string();

    // Every portal call for the other customer is refused, as is every one without a session.
    for endpoint in ["portal/context", "portal/catalog", "portal/choose"] {
        let (status, body) = call_as(&contact, &app.url, endpoint, &[("customer_id", &theirs_id)]).await;
        assert_eq!(error_of(status, &body), AppError::Forbidden, "{endpoint}");
        let (status, body) = call_as(&anonymous, &app.url, endpoint, &[("customer_id", &theirs_id)]).await;
        assert_eq!(error_of(status, &body), AppError::Unauthorized, "{endpoint}");
    }
    let (status, body) = call_as(
        &contact,
        &app.url,
        "portal/orders",
        &[("customer_id", &theirs_id), ("page", "0")],
    )
    .await;
    assert_eq!(error_of(status, &body), AppError::Forbidden);
    let (status, body) = place_order(
        &contact,
        &app,
        theirs,
        their_ship_to,
        &[(their_beans, 1)],
        "key-theirs-1",
    )
    .await;
    assert_eq!(error_of(status, &body), AppError::Forbidden);
    let (status, body) = place_order(&anonymous, &app, mine, ship_to, &[(beans, 1)], "key-anon-0001").await;
    assert_eq!(error_of(status, &body), AppError::Unauthorized);
    // A Ship-To Location or an item of another customer cannot be slipped into one's own order.
    let (status, body) = place_order(
        &contact,
        &app,
        mine,
        their_ship_to,
        &[(beans, 1)],
        "key-mine-0001",
    )
    .await;
    assert!(error_of(status, &body)
        .field_errors()
        .unwrap()
        .get("ship_to_id")
        .is_some());
    let (status, body) = place_order(
        &contact,
        &app,
        mine,
        ship_to,
        &[(their_beans, 1)],
        "key-mine-0002",
    )
    .await;
    assert!(error_of(status, &body)
        .field_errors()
        .unwrap()
        .get("lines")
        .is_some());
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, 0);

    // Staff-only calls refuse a contact.
    for (endpoint, form) in [
        ("contacts/list", vec![("q", ""), ("page", "0")]),
        (
            "portal/invite",
            vec![("customer_id", theirs_id.as_str()), ("contact_ids[0]", "1")],
        ),
        ("portal/act", vec![("customer_id", theirs_id.as_str())]),
        (
            "portal/customer/enable",
            vec![("customer_id", theirs_id.as_str()), ("on", "false")],
        ),
        ("ship_to/of_customer", vec![("customer_id", theirs_id.as_str())]),
        (
            "orders/of_customer",
            vec![("customer_id", theirs_id.as_str()), ("page", "0")],
        ),
        ("activity/of_customer", vec![("customer_id", theirs_id.as_str())]),
    ] {
        let (status, body) = call_as(&contact, &app.url, endpoint, &form).await;
        assert_eq!(error_of(status, &body), AppError::Unauthorized, "{endpoint}");
    }
    let response = contact
        .get(format!("{}/customers/{theirs}/ship-to-locations.csv", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    // A Viewer sees but may not order; a customer with the portal off is closed to its contacts.
    set_role(&app, mine, ana, "viewer").await;
    let (status, body) = call_as(
        &contact,
        &app.url,
        "portal/context",
        &[("customer_id", &mine.to_string())],
    )
    .await;
    assert!(!ok::<PortalContext>(status, &body).may_order);
    let (status, body) = place_order(&contact, &app, mine, ship_to, &[(beans, 1)], "key-viewer-01").await;
    assert!(matches!(error_of(status, &body), AppError::Refused(m) if m.contains("Buyer")));
    set_portal(&app, mine, false).await;
    let (status, body) = call_as(
        &contact,
        &app.url,
        "portal/catalog",
        &[("customer_id", &mine.to_string())],
    )
    .await;
    assert_eq!(error_of(status, &body), AppError::Forbidden);
    // The supplier's switch closes the portal for everyone.
    set_portal(&app, mine, true).await;
    let (status, _) = app.call("portal/settings/set", &[("on", "false")]).await;
    assert!(status.is_success());
    let (status, body) = call_as(
        &contact,
        &app.url,
        "portal/catalog",
        &[("customer_id", &mine.to_string())],
    )
    .await;
    assert!(matches!(error_of(status, &body), AppError::Refused(m) if m.contains("closed")));
}

async fn the_same_cart_sent_twice_places_one_order(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let (customer, ship_to, [beans, _]) = orderable_customer(&app, "Coffee Uptown", "CU-1").await;
    let ana = contact_on(&app, customer, "Ana", "ana@coffee.example").await;
    let contact = signed_in_contact(&app, ana, "ana@coffee.example").await;
    let lines = [(beans, 2)];
    let send = || place_order(&contact, &app, customer, ship_to, &lines, "key-twice-0001");
    let (first, second) = tokio::join!(send(), send());
    let first: Order = ok(first.0, &first.1);
    let second: Order = ok(second.0, &second.1);
    assert_eq!(first.id, second.id);
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, 1);
    assert_eq!(
        app.count("SELECT order_count FROM customers WHERE account_number = 'CU-1'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'order_confirmation'")
            .await,
        1
    );
    // Bad quantities are refused at the cart, with nothing stored.
    for lines in [
        vec![],
        vec![(beans, -1)],
        vec![(beans, 100_001)],
        vec![(beans, i64::MAX), (beans, 1)],
    ] {
        let (status, body) = place_order(&contact, &app, customer, ship_to, &lines, "key-bad-00001").await;
        assert!(
            error_of(status, &body)
                .field_errors()
                .unwrap()
                .get("lines")
                .is_some(),
            "{lines:?}"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, 1);
}

async fn staff_place_an_order_as_the_customer(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let (customer, ship_to, [beans, _]) = orderable_customer(&app, "Coffee Uptown", "CU-1").await;
    let (other, _, _) = orderable_customer(&app, "Other", "O-1").await;
    contact_on(&app, customer, "Ana", "ana@coffee.example").await;
    let id = customer.to_string();
    // Not acting yet: the portal is closed to staff.
    let (status, body) = app.call("portal/context", &[("customer_id", &id)]).await;
    assert_eq!(error_of(status, &body), AppError::Unauthorized);

    let (status, body) = app.call("portal/act", &[("customer_id", &id)]).await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app.call("portal/context", &[("customer_id", &id)]).await;
    let context: PortalContext = ok(status, &body);
    assert!(context.staff_acting && context.may_order);
    assert_eq!(context.actor_name, "Ada Admin");
    // Acting for one customer opens no other.
    let (status, body) = app
        .call("portal/context", &[("customer_id", &other.to_string())])
        .await;
    assert_eq!(error_of(status, &body), AppError::Unauthorized);

    let order = placed(&app.client, &app, customer, ship_to, &[(beans, 1)]).await;
    assert!(order.placed_by_staff);
    let staff: Option<i64> = sqlx::query_scalar("SELECT staff_user_id FROM orders WHERE id = $1")
        .bind(order.id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(staff.is_some(), "the order records the staff user");
    // The confirmation goes to the customer's Buyers.
    let to: String = sqlx::query_scalar("SELECT to_address FROM outbox WHERE kind = 'order_confirmation'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(to, "ana@coffee.example");
    let (status, body) = app.call("activity/of_customer", &[("customer_id", &id)]).await;
    let activity: Vec<app::activity::ActivityEntry> = ok(status, &body);
    let actions: Vec<_> = activity.iter().map(|a| a.action.as_str()).collect();
    assert!(
        actions.starts_with(&["order_placed", "acting_started"]),
        "{actions:?}"
    );
    assert!(activity[0].detail.contains("as the customer") && activity[0].by_staff);

    let (status, body) = app.call("portal/act/stop", &[]).await;
    assert_eq!(ok::<Option<i64>>(status, &body), Some(customer));
    let (status, body) = app.call("portal/context", &[("customer_id", &id)]).await;
    assert_eq!(error_of(status, &body), AppError::Unauthorized);
    let (status, body) = app.call("activity/of_customer", &[("customer_id", &id)]).await;
    let activity: Vec<app::activity::ActivityEntry> = ok(status, &body);
    assert_eq!(activity[0].action, "acting_stopped");
}

async fn sunday_reminders_reach_buyers_once_with_a_link_for_that_customer(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    let (customer, _, _) = orderable_customer(&app, "Coffee Uptown", "CU-1").await;
    let (other, _, _) = orderable_customer(&app, "Other", "O-1").await;
    let ana = contact_on(&app, customer, "Ana", "ana@coffee.example").await;
    assign(&app, other, ana).await;
    let vic = contact_on(&app, customer, "Vic", "vic@coffee.example").await;
    set_role(&app, customer, vic, "viewer").await;
    let (status, body) = app
        .call(
            "portal/customer/reminders",
            &[("customer_id", &customer.to_string()), ("on", "true")],
        )
        .await;
    assert!(status.is_success(), "{body}");

    let slot = 1_800_000_000_000;
    let now = app::state::now_ms();
    assert_eq!(
        app::portal::reminders::run_slot(&app.db, slot, now)
            .await
            .unwrap(),
        Some(1)
    );
    // The same slot, again (another server, or a restart): nothing more.
    assert_eq!(
        app::portal::reminders::run_slot(&app.db, slot, now)
            .await
            .unwrap(),
        None
    );
    let received = sink.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].to, ["ana@coffee.example"], "Buyers only");
    let link = link_in(&received[0]);
    assert!(link.starts_with(&format!("{}/portal/link/", app.url)), "{link}");
    let expires: i64 =
        sqlx::query_scalar("SELECT expires_at - created_at FROM access_links WHERE purpose = 'reminder'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(expires, 7 * 24 * 3600 * 1000);

    // The link opens that customer's portal without a password, and no other customer's.
    let browser = new_client();
    let (status, body) = call_as(
        &browser,
        &app.url,
        "portal/open_link",
        &[("token", &token_of(&link))],
    )
    .await;
    assert_eq!(ok::<i64>(status, &body), customer);
    let (status, body) = call_as(
        &browser,
        &app.url,
        "portal/context",
        &[("customer_id", &customer.to_string())],
    )
    .await;
    assert!(ok::<PortalContext>(status, &body).may_order);
    let (status, body) = call_as(
        &browser,
        &app.url,
        "portal/context",
        &[("customer_id", &other.to_string())],
    )
    .await;
    assert_eq!(error_of(status, &body), AppError::Forbidden);
    let (status, body) = call_as(&browser, &app.url, "shared/documents", &[]).await;
    assert!(status.is_success(), "{body}");
    // Opened where the contact is signed in with their password, it keeps the whole session.
    let signed_in = signed_in_contact(&app, ana, "ana@coffee.example").await;
    let (status, body) = call_as(
        &signed_in,
        &app.url,
        "portal/open_link",
        &[("token", &token_of(&link))],
    )
    .await;
    assert_eq!(ok::<i64>(status, &body), customer);
    let (status, body) = call_as(
        &signed_in,
        &app.url,
        "portal/context",
        &[("customer_id", &other.to_string())],
    )
    .await;
    assert!(ok::<PortalContext>(status, &body).other_customers);

    // Expired, it opens nothing.
    sqlx::query("UPDATE access_links SET expires_at = 0 WHERE purpose = 'reminder'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (status, body) = call_as(
        &new_client(),
        &app.url,
        "portal/open_link",
        &[("token", &token_of(&link))],
    )
    .await;
    assert!(matches!(error_of(status, &body), AppError::Refused(m) if m.contains("expired")));
}

async fn the_contacts_page_finds_contacts_by_customer_and_keeps_roles(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let uptown = create(&app, "Coffee Uptown", "CU-1", "Seattle").await;
    let downtown = create(&app, "Coffee Downtown", "CD-1", "Seattle").await;
    let ana = contact_on(&app, uptown, "Ana", "ana@coffee.example").await;
    assign(&app, downtown, ana).await;
    set_role(&app, downtown, ana, "viewer").await;
    contact_on(&app, downtown, "Bob", "bob@coffee.example").await;

    let (status, body) = app.call("contacts/list", &[("q", "uptown"), ("page", "0")]).await;
    let page: ContactListPage = ok(status, &body);
    assert_eq!(page.total, 1);
    assert_eq!(page.rows[0].customers, ["Coffee Downtown", "Coffee Uptown"]);
    let (status, body) = app.call("contacts/get", &[("id", &ana.to_string())]).await;
    let (_, assignments): (app::contacts::Contact, Vec<app::contacts::Assignment>) = ok(status, &body);
    let roles: Vec<_> = assignments
        .iter()
        .map(|a| (a.customer_name.as_str(), a.role))
        .collect();
    assert_eq!(
        roles,
        [
            ("Coffee Downtown", app::domain::ContactRole::Viewer),
            ("Coffee Uptown", app::domain::ContactRole::Buyer)
        ]
    );
    let (status, body) = app
        .call(
            "contacts/role",
            &[
                ("customer_id", &uptown.to_string()),
                ("contact_id", &ana.to_string()),
                ("role", "owner"),
            ],
        )
        .await;
    assert!(error_of(status, &body)
        .field_errors()
        .unwrap()
        .get("role")
        .is_some());
    // A contact of no customer, from the Contacts page.
    let (status, body) = app
        .call(
            "contacts/create_alone",
            &[
                ("contact[first_name]", "Cy"),
                ("contact[last_name]", "Solo"),
                ("contact[email]", "ANA@coffee.example"),
                ("contact[phone]", ""),
                ("contact[job_title]", ""),
            ],
        )
        .await;
    assert!(
        error_of(status, &body)
            .field_errors()
            .unwrap()
            .get("email")
            .is_some(),
        "email taken, any case"
    );
}

async fn ship_to_locations_keep_one_default_and_download_as_csv(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let customer = create(&app, "Coffee Uptown", "CU-1", "Seattle").await;
    let first = add_ship_to(&app, customer, "Main warehouse").await;
    let second = add_ship_to(&app, customer, "=HYPERLINK(\"evil\")").await;
    let defaults = || async {
        let (status, body) = app
            .call("ship_to/of_customer", &[("customer_id", &customer.to_string())])
            .await;
        let rows: Vec<ShipTo> = ok(status, &body);
        rows.iter()
            .filter(|s| s.is_default)
            .map(|s| s.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(defaults().await, [first], "the first is the default");
    let (status, _) = app.call("ship_to/default", &[("id", &second.to_string())]).await;
    assert!(status.is_success());
    assert_eq!(defaults().await, [second]);
    let (status, _) = app.call("ship_to/remove", &[("id", &second.to_string())]).await;
    assert!(status.is_success());
    assert_eq!(
        defaults().await,
        [first],
        "removing the default makes another the default"
    );
    let evil = add_ship_to(&app, customer, "=HYPERLINK(\"evil\")").await;

    let response = app
        .get(&format!("/customers/{customer}/ship-to-locations.csv"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let csv = response.text().await.unwrap();
    assert!(
        csv.starts_with("\u{feff}id,name,street,city,region,postal_code,country,default\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains(&format!(
            "{first},Main warehouse,1 Pier Rd,Oakland,CA,94607,US,yes\r\n"
        )),
        "{csv}"
    );
    let escaped = format!("{evil},\"'=HYPERLINK(\"\"evil\"\")\"");
    assert!(csv.contains(&escaped), "formula escaped: {csv}");

    // A bad address is refused at its fields, with nothing stored.
    let (status, body) = app
        .call(
            "ship_to/add",
            &[
                ("customer_id", &customer.to_string()),
                ("ship_to[name]", ""),
                ("ship_to[street]", ""),
                ("ship_to[city]", "Oakland"),
                ("ship_to[region]", ""),
                ("ship_to[postal_code]", "94607"),
                ("ship_to[country]", "US"),
            ],
        )
        .await;
    let errors = error_of(status, &body);
    let fields = errors.field_errors().unwrap();
    assert!(fields.get("name").is_some() && fields.get("street").is_some());
    assert_eq!(app.count("SELECT COUNT(*) FROM ship_to_locations").await, 2);
}

on_both_databases!(
    an_invited_contact_orders_for_the_customer_they_choose,
    a_contact_can_act_only_for_their_own_portal_customers,
    the_same_cart_sent_twice_places_one_order,
    staff_place_an_order_as_the_customer,
    sunday_reminders_reach_buyers_once_with_a_link_for_that_customer,
    the_contacts_page_finds_contacts_by_customer_and_keeps_roles,
    ship_to_locations_keep_one_default_and_download_as_csv,
);
