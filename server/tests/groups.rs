//! Customer groups on SQLite and PostgreSQL: Settings (Admins), giving groups to customers one at a
//! time and in bulk, the list's filter, and what groups make of portal prices and orders.

use crate::common;

use app::activity::ActivityEntry;
use app::customers::ListQuery;
use app::groups::{CustomerGroup, CustomerGroups};
use app::portal::CatalogPage;
use common::portal::*;
use common::sharing::ok;
use common::*;
use serde_json::json;

async fn save_group(
    app: &TestApp,
    name: &str,
    adjustment: &str,
    tax_exempt: bool,
    assignable: bool,
) -> (reqwest::StatusCode, String) {
    let mut form = vec![
        ("group[name]", name),
        ("group[description]", ""),
        ("group[price_adjustment]", adjustment),
    ];
    if tax_exempt {
        form.push(("group[tax_exempt]", "on"));
    }
    if assignable {
        form.push(("group[assignable]", "on"));
    }
    app.call("groups/save", &form).await
}

async fn groups(app: &TestApp) -> Vec<CustomerGroup> {
    let (status, body) = app.call("groups/list", &[]).await;
    ok(status, &body)
}

async fn group_id(app: &TestApp, name: &str) -> i64 {
    groups(app)
        .await
        .into_iter()
        .find(|g| g.name == name)
        .expect("group")
        .id
}

/// The unit prices the portal shows the contact, in catalog order.
async fn portal_prices(contact: &reqwest::Client, app: &TestApp, customer: i64) -> (Vec<i64>, bool) {
    let (status, body) = for_customer(contact, app, "portal/catalog", customer).await;
    let catalog: CatalogPage = ok(status, &body);
    (
        catalog.items.iter().map(|i| i.unit_price_cents).collect(),
        catalog.tax_exempt,
    )
}

async fn assign_groups(app: &TestApp, customer: i64, ids: &[i64]) -> (reqwest::StatusCode, String) {
    app.call_json(
        "groups/assign",
        json!({"customer_id": customer, "group_ids": ids}),
    )
    .await
}

pub async fn activity(app: &TestApp, customer: i64) -> Vec<ActivityEntry> {
    let (status, body) = app
        .call("activity/of_customer", &[("customer_id", &customer.to_string())])
        .await;
    ok(status, &body)
}

async fn groups_set_prices_in_the_portal_and_its_orders(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    // Colombia Beans $12.00 and Paper Filters $3.50, by name: beans first.
    let (uptown, ship_to, [beans, _]) = orderable_customer(&app, "Coffee Uptown", "CU-1").await;
    let (downtown, _, _) = orderable_customer(&app, "Coffee Downtown", "CD-1").await;
    let plain = create(&app, "Plain Foods", "PF-1", "Boise").await;
    let ana = contact_on(&app, uptown, "Ana", "ana@coffee.example").await;
    let contact = signed_in_contact(&app, ana, "ana@coffee.example").await;
    assert_eq!(
        portal_prices(&contact, &app, uptown).await,
        (vec![1200, 350], false)
    );

    // Settings: bad input is refused at its field and stores nothing.
    let (status, body) = save_group(&app, "Wholesale", "ten percent", false, true).await;
    assert_refused_at(status, &body, "price_adjustment");
    let (status, body) = save_group(&app, "", "-150", false, true).await;
    let error = error_of(status, &body);
    let fields = error.field_errors().expect("field errors");
    assert_eq!(fields.get("name"), Some("Group name is required."));
    assert_eq!(
        fields.get("price_adjustment"),
        Some("Price adjustment cannot take off more than 100 %.")
    );
    assert!(groups(&app).await.is_empty());
    for (name, adjustment, tax_exempt, assignable) in [
        ("Wholesale", "-10", false, true),
        ("Partners", "-12.5 %", true, true),
        ("Legacy", "+5", false, false),
    ] {
        let (status, body) = save_group(&app, name, adjustment, tax_exempt, assignable).await;
        assert!(status.is_success(), "{body}");
    }
    let (status, body) = save_group(&app, "wholesale", "-3", false, true).await;
    assert_refused_at(status, &body, "name");
    let (wholesale, partners, legacy) = (
        group_id(&app, "Wholesale").await,
        group_id(&app, "Partners").await,
        group_id(&app, "Legacy").await,
    );

    // Bulk from the list: two customers into Wholesale; the portal's prices follow at once.
    let (status, body) = app
        .call_json(
            "groups/bulk",
            json!({"customer_ids": [uptown, downtown], "group_id": wholesale, "add": true}),
        )
        .await;
    assert_eq!(ok::<u64>(status, &body), 2);
    assert_eq!(
        portal_prices(&contact, &app, uptown).await,
        (vec![1080, 315], false)
    );
    // Again: nothing changes, nothing is logged twice.
    let (status, body) = app
        .call_json(
            "groups/bulk",
            json!({"customer_ids": [uptown], "group_id": wholesale, "add": true}),
        )
        .await;
    assert_eq!(ok::<u64>(status, &body), 0);

    // In two groups the lower price applies; the adjustments do not add up (-22.5 %).
    let (status, body) = assign_groups(&app, uptown, &[wholesale, partners]).await;
    assert!(status.is_success(), "{body}");
    // 12.00 less 12.5 % is 10.50; 3.50 less 12.5 % is 3.0625, so 3.06.
    assert_eq!(
        portal_prices(&contact, &app, uptown).await,
        (vec![1050, 306], true)
    );
    let order = placed(&contact, &app, uptown, ship_to, &[(beans, 2)]).await;
    assert_eq!(order.total_cents, 2 * 1050);
    assert_eq!(order.lines[0].unit_price_cents, 1050);

    // A group that is not assignable cannot be given; nothing changes.
    let (status, body) = assign_groups(&app, uptown, &[wholesale, partners, legacy]).await;
    assert!(
        error_of(status, &body)
            .to_string()
            .contains("Legacy is not assignable"),
        "{body}"
    );
    let (status, body) = app
        .call_json(
            "groups/bulk",
            json!({"customer_ids": [plain], "group_id": legacy, "add": true}),
        )
        .await;
    assert!(
        error_of(status, &body)
            .to_string()
            .contains("Legacy is not assignable"),
        "{body}"
    );
    let (status, body) = app
        .call("groups/of_customer", &[("customer_id", &uptown.to_string())])
        .await;
    let of_uptown: CustomerGroups = ok(status, &body);
    let names: Vec<_> = of_uptown.assigned.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["Partners", "Wholesale"]);
    assert_eq!(of_uptown.price_adjustment.basis_points(), -1250);
    assert!(of_uptown.tax_exempt);
    assert!(of_uptown.assignable.iter().all(|g| g.name != "Legacy"));

    // The list shows the groups and filters by them.
    let in_partners = every_page(
        &app,
        ListQuery {
            group: Some(partners),
            ..ListQuery::default()
        },
    )
    .await;
    assert_eq!(in_partners.iter().map(|c| c.id).collect::<Vec<_>>(), [uptown]);
    assert_eq!(in_partners[0].groups, ["Partners", "Wholesale"]);
    let in_wholesale = every_page(
        &app,
        ListQuery {
            group: Some(wholesale),
            ..ListQuery::default()
        },
    )
    .await;
    assert_eq!(
        in_wholesale.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["Coffee Downtown", "Coffee Uptown"]
    );
    let searched = every_page(
        &app,
        ListQuery {
            group: Some(wholesale),
            q: "downtown".into(),
            ..ListQuery::default()
        },
    )
    .await;
    assert_eq!(searched.len(), 1);

    // Each change is in the customer's Activity with the groups before and after.
    let log = activity(&app, uptown).await;
    let changes: Vec<_> = log.iter().filter(|e| e.action == "groups_changed").collect();
    assert_eq!(changes.len(), 2, "{log:?}");
    assert_eq!(changes[0].before.as_deref(), Some("Wholesale"));
    assert_eq!(changes[0].after.as_deref(), Some("Partners, Wholesale"));
    assert_eq!(changes[1].after.as_deref(), Some("Wholesale"));
    assert_eq!(changes[1].actor_name, "Ada Admin");

    // Taking a customer out in bulk, and a group in use cannot be deleted; an unused one can.
    let (status, body) = app
        .call_json(
            "groups/bulk",
            json!({"customer_ids": [downtown], "group_id": wholesale, "add": false}),
        )
        .await;
    assert_eq!(ok::<u64>(status, &body), 1);
    let (status, body) = app.call("groups/delete", &[("id", &wholesale.to_string())]).await;
    assert!(
        error_of(status, &body)
            .to_string()
            .contains("still has customers"),
        "{body}"
    );
    let (status, body) = app.call("groups/delete", &[("id", &legacy.to_string())]).await;
    assert!(status.is_success(), "{body}");
    assert_eq!(groups(&app).await.len(), 2);

    // Editing a group's adjustment changes the prices; an edit over an old version is refused.
    let group = groups(&app).await.into_iter().find(|g| g.id == partners).unwrap();
    let version = group.version.to_string();
    let id = partners.to_string();
    let edit = |adjustment: &'static str| {
        vec![
            ("id", id.clone()),
            ("version", version.clone()),
            ("group[name]", "Partners".to_string()),
            ("group[description]", "Long-standing accounts".to_string()),
            ("group[price_adjustment]", adjustment.to_string()),
            ("group[assignable]", "on".to_string()),
        ]
    };
    let form = edit("-20");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = app.call("groups/save", &pairs).await;
    assert!(status.is_success(), "{body}");
    assert_eq!(
        portal_prices(&contact, &app, uptown).await,
        (vec![960, 280], false)
    );
    let (status, body) = app.call("groups/save", &pairs).await;
    assert!(
        error_of(status, &body)
            .to_string()
            .contains("Someone else changed"),
        "{body}"
    );

    // Staff may give groups but not edit them; contacts may do neither.
    let staff = app.client_for_new_user("sam@supplier.example", "staff").await;
    let (status, _) = call_as(
        &staff,
        &app.url,
        "groups/save",
        &[
            ("group[name]", "X"),
            ("group[description]", ""),
            ("group[price_adjustment]", ""),
        ],
    )
    .await;
    assert_eq!(status.as_u16(), 403);
    let (status, _) = call_as(&staff, &app.url, "groups/list", &[]).await;
    assert!(status.is_success());
    let (status, _) = call_as(&contact, &app.url, "groups/list", &[]).await;
    assert_eq!(status.as_u16(), 401);
}

/// The dearest price (a billion, +1000 %) in the largest quantity is refused with a message, not
/// an overflow.
async fn an_order_total_too_large_is_refused(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let (customer, ship_to, _) = orderable_customer(&app, "Coffee Uptown", "CU-1").await;
    let gold = create_item(&app, "GOLD", "Gold Beans", "1000000000.00", "").await;
    let (status, body) = app
        .call(
            "requirements/add",
            &[
                ("customer_id", &customer.to_string()),
                ("level", "item"),
                ("ids[0]", &gold.to_string()),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = save_group(&app, "Premium", "+1000", false, true).await;
    assert!(status.is_success(), "{body}");
    let premium = group_id(&app, "Premium").await;
    let (status, body) = assign_groups(&app, customer, &[premium]).await;
    assert!(status.is_success(), "{body}");
    let ana = contact_on(&app, customer, "Ana", "ana@coffee.example").await;
    let contact = signed_in_contact(&app, ana, "ana@coffee.example").await;
    let (status, body) = place_order(&contact, &app, customer, ship_to, &[(gold, 100_000)], "huge").await;
    assert_refused_at(status, &body, "lines");
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, 0);
}

/// Many more requests at once than the pool has connections: none may hold one connection
/// while waiting for another, or they wait for each other until the pool gives up.
async fn a_customer_page_answers_every_one_of_many_requests_at_once(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let customer = create(&app, "Coffee Uptown", "CU-1", "Seattle").await.to_string();
    let calls = (0..40).map(|_| {
        let (client, url, customer) = (app.client.clone(), app.url.clone(), customer.clone());
        tokio::spawn(async move {
            let mut answers = Vec::new();
            for endpoint in ["groups/of_customer", "portal/customer", "contacts/of_customer"] {
                let (status, body) = call_as(&client, &url, endpoint, &[("customer_id", &customer)]).await;
                answers.push((endpoint, status, body));
            }
            answers
        })
    });
    for call in futures::future::join_all(calls).await {
        for (endpoint, status, body) in call.unwrap() {
            assert!(status.is_success(), "{endpoint}: {status} {body}");
        }
    }
}

on_both_databases!(
    groups_set_prices_in_the_portal_and_its_orders,
    settings_count_each_groups_live_customers,
    an_order_total_too_large_is_refused,
    a_customer_page_answers_every_one_of_many_requests_at_once,
);

/// Settings → Customer Groups counts each group's customers, leaving out those in the Trash; the
/// lists that only name groups (the customers list's filter) do not count.
async fn settings_count_each_groups_live_customers(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let (status, body) = save_group(&app, "Wholesale", "-10", false, true).await;
    assert!(status.is_success(), "{body}");
    let wholesale = group_id(&app, "Wholesale").await;
    for (name, account) in [("Uptown", "U-1"), ("Downtown", "D-1"), ("Midtown", "M-1")] {
        let customer = create(&app, name, account, "Portland").await;
        let (status, body) = assign_groups(&app, customer, &[wholesale]).await;
        assert!(status.is_success(), "{body}");
        if name == "Midtown" {
            let (status, body) = app
                .call("customers/delete", &[("ids[0]", &customer.to_string())])
                .await;
            assert!(status.is_success(), "{body}");
        }
    }
    let (status, body) = app.call("groups/list", &[("counted", "true")]).await;
    let counted: Vec<CustomerGroup> = ok(status, &body);
    assert_eq!(counted[0].customer_count, Some(2));
    assert_eq!(groups(&app).await[0].customer_count, None);
}
