//! Self-registration on SQLite and PostgreSQL: closed by default; a business name required unless
//! individuals may register; nothing made before the emailed link is pressed; a limit per
//! address; Pending until staff approve, then an email and the portal.

use crate::common;

use app::customers::{ListQuery, StatusFilter};
use app::portal::PortalVisitor;
use common::portal::assert_refused_at;
use common::sharing::ok;
use common::*;
use server::smtp_sink::{Behaviour, SmtpSink};
use std::time::Duration;

const VISITOR_PASSWORD: &str = "a long visitor password";

async fn register(
    client: &reqwest::Client,
    app: &TestApp,
    email: &str,
    business: &str,
) -> (reqwest::StatusCode, String) {
    call_as(
        client,
        &app.url,
        "portal/register",
        &[
            ("registration[first_name]", "Rae"),
            ("registration[last_name]", "Newman"),
            ("registration[email]", email),
            ("registration[password]", VISITOR_PASSWORD),
            ("registration[confirm]", VISITOR_PASSWORD),
            ("registration[business_name]", business),
        ],
    )
    .await
}

async fn set_rules(app: &TestApp, open: bool, personal: bool) {
    let (status, body) = app
        .call(
            "settings/registration",
            &[
                ("open", &open.to_string()),
                ("personal_allowed", &personal.to_string()),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
}

fn token_in(message: &server::smtp_sink::Received) -> String {
    let text = message.readable();
    let start = text.find("/portal/register/verify/").expect("link") + "/portal/register/verify/".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect()
}

async fn visitors_register_confirm_and_wait_for_approval(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    let visitor = new_client();

    // Closed by default.
    let (status, body) = register(&visitor, &app, "rae@new-cafe.example", "New Cafe").await;
    assert!(
        error_of(status, &body)
            .to_string()
            .contains("Registration is closed"),
        "{body}"
    );

    // Open for businesses only: the business name is required, at its field; nothing is stored.
    set_rules(&app, true, false).await;
    let (status, body) = register(&visitor, &app, "rae@new-cafe.example", " ").await;
    assert_refused_at(status, &body, "business_name");
    assert_eq!(app.count("SELECT COUNT(*) FROM registrations").await, 0);

    let (status, body) = register(&visitor, &app, "Rae@New-Cafe.example", "New Cafe").await;
    assert_eq!(ok::<String>(status, &body), "Rae@New-Cafe.example");
    // Nothing is made before the address is confirmed.
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 0);
    let received = sink.wait_for(1, Duration::from_secs(20)).await;
    assert!(received[0]
        .readable()
        .contains("Subject: Confirm your email to finish signing up"));
    let token = token_in(&received[0]);
    assert_eq!(token.len(), 64);
    // The token is stored hashed only.
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE token_hash = $1")
        .bind(token.clone())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);
    // The stored email holds no link either: the worker made it when it delivered the message.
    let bodies: Vec<String> = sqlx::query_scalar("SELECT text_body FROM outbox")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert!(bodies.iter().all(|b| !b.contains(&token)), "{bodies:?}");

    let (status, body) = call_as(
        &visitor,
        &app.url,
        "portal/register/verify",
        &[("token", "0123abcd")],
    )
    .await;
    assert!(
        error_of(status, &body).to_string().contains("not valid"),
        "{body}"
    );
    let (status, body) = call_as(&visitor, &app.url, "portal/register/verify", &[("token", &token)]).await;
    assert_eq!(ok::<String>(status, &body), "New Cafe");
    // A second press makes nothing more.
    let (status, body) = call_as(&visitor, &app.url, "portal/register/verify", &[("token", &token)]).await;
    assert_eq!(ok::<String>(status, &body), "New Cafe");
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 1);

    // Staff see it Pending; the visitor can sign in but orders for no customer yet.
    let pending = every_page(
        &app,
        ListQuery {
            status: StatusFilter::Pending,
            ..ListQuery::default()
        },
    )
    .await;
    assert_eq!(pending.len(), 1);
    assert!(pending[0].pending_approval && !pending[0].active);
    let customer = pending[0].id;
    let (status, body) = call_as(
        &visitor,
        &app.url,
        "shared/sign_in",
        &[("email", "rae@new-cafe.example"), ("password", VISITOR_PASSWORD)],
    )
    .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = call_as(&visitor, &app.url, "portal/visitor", &[]).await;
    match ok::<PortalVisitor>(status, &body) {
        PortalVisitor::Contact { customers, .. } => assert!(customers.is_empty()),
        other => panic!("{other:?}"),
    }

    // Approved: active, portal on, the visitor emailed and ordering for it.
    let (status, body) = app
        .call("customers/approve", &[("customer_id", &customer.to_string())])
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app
        .call("customers/approve", &[("customer_id", &customer.to_string())])
        .await;
    assert!(
        error_of(status, &body)
            .to_string()
            .contains("not waiting for approval"),
        "{body}"
    );
    let received = sink.wait_for(2, Duration::from_secs(20)).await;
    let approval = received[1].readable();
    assert!(
        approval.contains("Subject: Your account New Cafe is approved"),
        "{approval}"
    );
    assert!(approval.contains(&format!("{}/portal", app.url)), "{approval}");
    assert_eq!(received[1].to, ["Rae@New-Cafe.example"]);
    let (status, body) = call_as(&visitor, &app.url, "portal/visitor", &[]).await;
    match ok::<PortalVisitor>(status, &body) {
        PortalVisitor::Contact { customers, .. } => {
            assert_eq!(customers.iter().map(|c| c.id).collect::<Vec<_>>(), [customer])
        }
        other => panic!("{other:?}"),
    }
    let (status, body) = app
        .call("activity/of_customer", &[("customer_id", &customer.to_string())])
        .await;
    let log: Vec<app::activity::ActivityEntry> = ok(status, &body);
    let actions: Vec<_> = log
        .iter()
        .map(|e| (e.action.as_str(), e.actor_name.as_str()))
        .collect();
    assert_eq!(
        actions,
        [("customer_approved", "Ada Admin"), ("registered", "Rae Newman")]
    );

    // An address with an account cannot register again.
    let (status, body) = register(&new_client(), &app, "rae@new-cafe.example", "Other Cafe").await;
    assert_refused_at(status, &body, "email");
}

async fn individuals_and_the_limit_per_address(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    set_rules(&app, true, true).await;
    let visitor = new_client();
    // Individuals may register: the customer is named after the person.
    for _ in 0..3 {
        let (status, body) = register(&visitor, &app, "solo@example.com", "").await;
        assert!(status.is_success(), "{body}");
    }
    // A fourth within the hour is refused and sends nothing.
    let (status, body) = register(&visitor, &app, "solo@example.com", "").await;
    assert!(
        error_of(status, &body)
            .to_string()
            .contains("Too many sign-ups for this email address"),
        "{body}"
    );
    let received = sink.wait_for(3, Duration::from_secs(20)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.received().len(), 3);
    // Another address is not held back.
    let (status, body) = register(&visitor, &app, "other@example.com", "").await;
    assert!(status.is_success(), "{body}");

    // Any of the three links confirms; the others then make nothing more.
    let (status, body) = call_as(
        &visitor,
        &app.url,
        "portal/register/verify",
        &[("token", &token_in(&received[2]))],
    )
    .await;
    assert_eq!(ok::<String>(status, &body), "Rae Newman");
    let (status, body) = call_as(
        &visitor,
        &app.url,
        "portal/register/verify",
        &[("token", &token_in(&received[0]))],
    )
    .await;
    assert!(
        error_of(status, &body)
            .to_string()
            .contains("already has an account"),
        "{body}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 1);

    // An expired link is refused (its day starts when the email is delivered).
    let received = sink.wait_for(4, Duration::from_secs(20)).await;
    sqlx::query("UPDATE registrations SET expires_at = 0 WHERE email_key = 'other@example.com'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let other = received
        .iter()
        .find(|m| m.to == ["other@example.com"])
        .expect("other's email");
    let (status, body) = call_as(
        &visitor,
        &app.url,
        "portal/register/verify",
        &[("token", &token_in(other))],
    )
    .await;
    assert!(error_of(status, &body).to_string().contains("expired"), "{body}");

    // Settings are for Admins; approval is for staff only.
    let staff = app.client_for_new_user("sam@supplier.example", "staff").await;
    let (status, _) = call_as(
        &staff,
        &app.url,
        "settings/registration",
        &[("open", "false"), ("personal_allowed", "false")],
    )
    .await;
    assert_eq!(status.as_u16(), 403);
    let (status, _) = call_as(&visitor, &app.url, "customers/approve", &[("customer_id", "1")]).await;
    assert_eq!(status.as_u16(), 401);
}

on_both_databases!(
    visitors_register_confirm_and_wait_for_approval,
    individuals_and_the_limit_per_address
);
