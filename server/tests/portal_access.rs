//! Who may act for which customer in the portal, on SQLite and PostgreSQL: a contact of another
//! customer and an anonymous caller are refused everywhere; staff act for one customer at a time;
//! a Sunday reminder's link opens one customer only.

use crate::common;

use app::error::AppError;
use app::portal::PortalContext;
use common::portal::*;
use common::sharing::*;
use common::*;
use reqwest::StatusCode;
use server::smtp_sink::{Behaviour, SmtpSink};
use std::time::Duration;

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
    assert_refused_at(status, &body, "ship_to_id");
    let (status, body) = place_order(
        &contact,
        &app,
        mine,
        ship_to,
        &[(their_beans, 1)],
        "key-mine-0002",
    )
    .await;
    assert_refused_at(status, &body, "lines");
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
    let (status, body) = for_customer(&contact, &app, "portal/context", mine).await;
    assert!(!ok::<PortalContext>(status, &body).may_order);
    let (status, body) = place_order(&contact, &app, mine, ship_to, &[(beans, 1)], "key-viewer-01").await;
    assert!(matches!(error_of(status, &body), AppError::Refused(m) if m.contains("Buyer")));
    set_portal(&app, mine, false).await;
    let (status, body) = for_customer(&contact, &app, "portal/catalog", mine).await;
    assert_eq!(error_of(status, &body), AppError::Forbidden);
    // The supplier's switch closes the portal for everyone.
    set_portal(&app, mine, true).await;
    let (status, _) = app.call("portal/settings/set", &[("on", "false")]).await;
    assert!(status.is_success());
    let (status, body) = for_customer(&contact, &app, "portal/catalog", mine).await;
    assert!(matches!(error_of(status, &body), AppError::Refused(m) if m.contains("closed")));
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
    let (status, body) = for_customer(&browser, &app, "portal/context", customer).await;
    assert!(ok::<PortalContext>(status, &body).may_order);
    let (status, body) = for_customer(&browser, &app, "portal/context", other).await;
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
    let (status, body) = for_customer(&signed_in, &app, "portal/context", other).await;
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

on_both_databases!(
    a_contact_can_act_only_for_their_own_portal_customers,
    staff_place_an_order_as_the_customer,
    sunday_reminders_reach_buyers_once_with_a_link_for_that_customer,
);
