//! Helpers for the portal's tests: a customer ready to order (items, a Ship-To Location, the
//! portal on), a contact on it, invitations, sign-in, and orders.

use super::sharing::ok;
use super::*;
use app::orders::Order;
use serde_json::json;

/// A customer whose catalog holds two items ($12.00 and $3.50) and who has a Ship-To Location;
/// answers with the customer, its Ship-To Location and the two items.
pub async fn orderable_customer(app: &TestApp, name: &str, account: &str) -> (i64, i64, [i64; 2]) {
    let customer = create(app, name, account, "Seattle").await;
    let beans = create_item(app, &format!("{account}-BEANS"), "Colombia Beans", "12.00", "").await;
    let filters = create_item(app, &format!("{account}-FILTER"), "Paper Filters", "3.50", "").await;
    let (status, body) = app
        .call(
            "requirements/add",
            &[
                ("customer_id", &customer.to_string()),
                ("level", "item"),
                ("ids[0]", &beans.to_string()),
                ("ids[1]", &filters.to_string()),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    let ship_to = add_ship_to(app, customer, "Main warehouse").await;
    set_portal(app, customer, true).await;
    (customer, ship_to, [beans, filters])
}

pub async fn add_ship_to(app: &TestApp, customer: i64, name: &str) -> i64 {
    let (status, body) = app
        .call(
            "ship_to/add",
            &[
                ("customer_id", &customer.to_string()),
                ("ship_to[name]", name),
                ("ship_to[street]", "1 Pier Rd"),
                ("ship_to[city]", "Oakland"),
                ("ship_to[region]", "CA"),
                ("ship_to[postal_code]", "94607"),
                ("ship_to[country]", "US"),
            ],
        )
        .await;
    ok(status, &body)
}

pub async fn set_portal(app: &TestApp, customer: i64, on: bool) {
    let (status, body) = app
        .call(
            "portal/customer/enable",
            &[("customer_id", &customer.to_string()), ("on", &on.to_string())],
        )
        .await;
    assert!(status.is_success(), "{body}");
}

/// A new contact on the customer (a Buyer); answers with the contact's id.
pub async fn contact_on(app: &TestApp, customer: i64, first: &str, email: &str) -> i64 {
    let (status, body) = app
        .call(
            "contacts/create",
            &[
                ("customer_id", &customer.to_string()),
                ("contact[first_name]", first),
                ("contact[last_name]", "Buyer"),
                ("contact[email]", email),
                ("contact[phone]", ""),
                ("contact[job_title]", ""),
            ],
        )
        .await;
    ok(status, &body)
}

pub async fn assign(app: &TestApp, customer: i64, contact: i64) {
    let (status, body) = app
        .call(
            "contacts/assign",
            &[
                ("customer_id", &customer.to_string()),
                ("contact_id", &contact.to_string()),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
}

pub async fn set_role(app: &TestApp, customer: i64, contact: i64, role: &str) {
    let (status, body) = app
        .call(
            "contacts/role",
            &[
                ("customer_id", &customer.to_string()),
                ("contact_id", &contact.to_string()),
                ("role", role),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
}

pub async fn invite(app: &TestApp, customer: i64, contact: i64) {
    let (status, body) = app
        .call(
            "portal/invite",
            &[
                ("customer_id", &customer.to_string()),
                ("contact_ids[0]", &contact.to_string()),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
}

/// A browser of the contact, signed in with the password of their account (made first through
/// the invitation `token`).
pub async fn accept(app: &TestApp, token: &str) -> reqwest::Client {
    let contact = new_client();
    let (status, body) = call_as(
        &contact,
        &app.url,
        "portal/accept",
        &[("token", token), ("password", PASSWORD), ("confirm", PASSWORD)],
    )
    .await;
    assert!(status.is_success(), "{status} {body}");
    contact
}

/// Gives the contact an account directly (as accepting an invitation would) and signs them in.
pub async fn signed_in_contact(app: &TestApp, contact: i64, email: &str) -> reqwest::Client {
    let hash = app::auth::password::hash(&app::domain::Password::parse(PASSWORD).unwrap())
        .await
        .unwrap();
    sqlx::query("UPDATE contacts SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(contact)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let client = new_client();
    let (status, body) = call_as(
        &client,
        &app.url,
        "shared/sign_in",
        &[("email", email), ("password", PASSWORD)],
    )
    .await;
    assert!(status.is_success(), "{status} {body}");
    client
}

/// The call was refused with a message at `field`.
pub fn assert_refused_at(status: StatusCode, body: &str, field: &str) {
    let error = error_of(status, body);
    assert!(
        error.field_errors().and_then(|e| e.get(field)).is_some(),
        "expected a message at {field}: {error:?}"
    );
}

/// Calls a server function that takes only `customer_id`, from `client`.
pub async fn for_customer(
    client: &reqwest::Client,
    app: &TestApp,
    endpoint: &str,
    customer: i64,
) -> (StatusCode, String) {
    call_as(
        client,
        &app.url,
        endpoint,
        &[("customer_id", &customer.to_string())],
    )
    .await
}

/// "Place Order" from `client`: answers with the status and body.
pub async fn place_order(
    client: &reqwest::Client,
    app: &TestApp,
    customer: i64,
    ship_to: i64,
    lines: &[(i64, i64)],
    key: &str,
) -> (StatusCode, String) {
    let lines: Vec<_> = lines
        .iter()
        .map(|(item, quantity)| json!({"item_id": item, "quantity": quantity}))
        .collect();
    let response = client
        .post(format!("{}/api/portal/place_order", app.url))
        .json(&json!({
            "customer_id": customer,
            "order": {
                "ship_to_id": ship_to,
                "po_number": "PO-77",
                "note": "",
                "lines": lines,
                "client_key": key,
            }
        }))
        .send()
        .await
        .expect("request");
    (response.status(), response.text().await.expect("body"))
}

pub async fn placed(
    client: &reqwest::Client,
    app: &TestApp,
    customer: i64,
    ship_to: i64,
    lines: &[(i64, i64)],
) -> Order {
    let key = format!("key-{}", rand::random::<u64>());
    let (status, body) = place_order(client, app, customer, ship_to, lines, &key).await;
    ok(status, &body)
}
