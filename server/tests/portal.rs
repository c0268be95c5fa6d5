//! The ordering portal, on SQLite and PostgreSQL: an invitation received over SMTP leads to an
//! account and orders for the customer chosen; one account across the portal and the Document
//! Retrieval Site; two tabs on two customers; one order per cart.

use crate::common;

use app::error::AppError;
use app::listings::Page;
use app::orders::{Order, OrderTotals};
use app::portal::{CatalogPage, PortalVisitor};
use common::portal::*;
use common::sharing::*;
use common::*;
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
    let (status, body) = for_customer(&contact, &app, "portal/catalog", uptown).await;
    let catalog: CatalogPage = ok(status, &body);
    let (items, ship_tos) = (catalog.items, catalog.ship_tos);
    assert!(catalog.may_order);
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
    let (status, _) = for_customer(&contact, &app, "portal/choose", downtown).await;
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
                    ],
                )
                .await;
            ok::<app::orders::OrderPage>(status, &body).rows.len()
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
            ],
        )
        .await;
    assert_refused_at(status, &body, "from");
}

async fn an_account_from_the_retrieval_site_accepts_and_two_tabs_stay_apart(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    let (uptown, uptown_ship_to, [uptown_beans, _]) = orderable_customer(&app, "Coffee Uptown", "CU-1").await;
    let (downtown, downtown_ship_to, [downtown_beans, _]) =
        orderable_customer(&app, "Coffee Downtown", "CD-1").await;
    let ana = contact_on(&app, uptown, "Ana", "ana@coffee.example").await;
    assign(&app, downtown, ana).await;
    // Ana made an account on the Document Retrieval Site before.
    signed_in_contact(&app, ana, "ana@coffee.example").await;

    invite(&app, uptown, ana).await;
    let received = sink.wait_for(1, Duration::from_secs(20)).await;
    let token = token_of(&link_in(&received[0]));
    let (status, body) = app.call("portal/invitation", &[("token", &token)]).await;
    match ok::<app::portal::PortalLinkState>(status, &body) {
        app::portal::PortalLinkState::Valid {
            has_account,
            customer_name,
            ..
        } => {
            assert!(has_account);
            assert_eq!(customer_name, "Coffee Uptown");
        }
        other => panic!("{other:?}"),
    }
    let browser = new_client();
    let (status, body) = call_as(
        &browser,
        &app.url,
        "portal/accept",
        &[
            ("token", &token),
            ("password", "not the password"),
            ("confirm", ""),
        ],
    )
    .await;
    assert_refused_at(status, &body, "password");
    let (status, body) = call_as(
        &browser,
        &app.url,
        "portal/accept",
        &[("token", &token), ("password", PASSWORD), ("confirm", "")],
    )
    .await;
    assert_eq!(ok::<i64>(status, &body), uptown, "one account across both sites");

    // Two tabs: Downtown chosen in one, an order placed for Uptown in the other goes to Uptown.
    let (status, _) = for_customer(&browser, &app, "portal/choose", downtown).await;
    assert!(status.is_success());
    let uptown_order = placed(&browser, &app, uptown, uptown_ship_to, &[(uptown_beans, 1)]).await;
    let downtown_order = placed(&browser, &app, downtown, downtown_ship_to, &[(downtown_beans, 2)]).await;
    assert_eq!(
        (uptown_order.customer_id, downtown_order.customer_id),
        (uptown, downtown)
    );
    // Neither customer's Ship-To or items slip into the other's order.
    let (status, body) = place_order(
        &browser,
        &app,
        uptown,
        downtown_ship_to,
        &[(uptown_beans, 1)],
        "key-cross-0001",
    )
    .await;
    assert_refused_at(status, &body, "ship_to_id");
}

async fn an_invitation_shows_sent_expired_and_accepted_and_resends_with_a_fresh_link(engine: Engine) {
    use app::portal::{CustomerPortalAccess, InvitationStatus};
    let sink = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    let (customer, _, _) = orderable_customer(&app, "Coffee Uptown", "CU-1").await;
    let ana = contact_on(&app, customer, "Ana", "ana@coffee.example").await;
    let status_of = || async {
        let (status, body) = app
            .call("portal/customer", &[("customer_id", &customer.to_string())])
            .await;
        ok::<CustomerPortalAccess>(status, &body).invitees[0]
            .status
            .clone()
    };
    assert_eq!(status_of().await, InvitationStatus::NotInvited);
    // Inviting needs the portal on.
    set_portal(&app, customer, false).await;
    let (status, body) = app
        .call(
            "portal/invite",
            &[
                ("customer_id", &customer.to_string()),
                ("contact_ids[0]", &ana.to_string()),
            ],
        )
        .await;
    assert!(matches!(error_of(status, &body), AppError::Refused(m) if m.contains("Turn the portal on")));
    set_portal(&app, customer, true).await;

    invite(&app, customer, ana).await;
    let first = token_of(&link_in(&sink.wait_for(1, Duration::from_secs(20)).await[0]));
    for _ in 0..50 {
        if matches!(status_of().await, InvitationStatus::Sent { .. }) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(matches!(status_of().await, InvitationStatus::Sent { .. }));
    sqlx::query("UPDATE access_links SET expires_at = 0 WHERE purpose = 'invitation'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(status_of().await, InvitationStatus::Expired);
    let (status, body) = call_as(
        &new_client(),
        &app.url,
        "portal/accept",
        &[("token", &first), ("password", PASSWORD), ("confirm", PASSWORD)],
    )
    .await;
    assert!(matches!(error_of(status, &body), AppError::Refused(m) if m.contains("expired")));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM contacts WHERE password_hash IS NOT NULL")
            .await,
        0
    );

    // "Resend invitation": a new email with a fresh link, which works.
    invite(&app, customer, ana).await;
    let received = sink.wait_for(2, Duration::from_secs(20)).await;
    let second = token_of(&link_in(&received[1]));
    assert_ne!(first, second);
    accept(&app, &second).await;
    assert!(matches!(status_of().await, InvitationStatus::Accepted { .. }));
    // Accepted once, the link signs no one in again, even with the password.
    let (status, body) = call_as(
        &new_client(),
        &app.url,
        "portal/accept",
        &[("token", &second), ("password", PASSWORD), ("confirm", "")],
    )
    .await;
    assert!(
        matches!(error_of(status, &body), AppError::Refused(m) if m.contains("already accepted")),
        "{body}"
    );
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

on_both_databases!(
    an_invited_contact_orders_for_the_customer_they_choose,
    an_account_from_the_retrieval_site_accepts_and_two_tabs_stay_apart,
    the_same_cart_sent_twice_places_one_order,
    an_invitation_shows_sent_expired_and_accepted_and_resends_with_a_fresh_link,
);
