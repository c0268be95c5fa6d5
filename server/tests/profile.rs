//! A customer's account details on SQLite and PostgreSQL: parent account and sub-accounts (never a
//! loop), "How did you hear about us" from the list Admins keep, secondary phone, newsletter.

use crate::common;

use app::customers::ListQuery;
use app::profile::{CustomerLink, CustomerProfile, Source};
use common::portal::assert_refused_at;
use common::sharing::{documents_contact, ok};
use common::*;
use serde_json::json;

async fn profile(app: &TestApp, customer: i64) -> CustomerProfile {
    let (status, body) = app
        .call("profile/of_customer", &[("customer_id", &customer.to_string())])
        .await;
    ok(status, &body)
}

async fn save(
    app: &TestApp,
    customer: i64,
    parent: Option<i64>,
    source: Option<i64>,
    phone: &str,
    newsletter: bool,
) -> (reqwest::StatusCode, String) {
    app.call_json(
        "profile/save",
        json!({"customer_id": customer, "parent_id": parent, "source_id": source, "secondary_phone": phone, "newsletter": newsletter}),
    )
    .await
}

async fn parents_sources_and_details(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let head = create(&app, "Coffee Holdings", "CH-1", "Seattle").await;
    let uptown = create(&app, "Coffee Uptown", "CU-1", "Seattle").await;
    let downtown = create(&app, "Coffee Downtown", "CD-1", "Seattle").await;
    let tea = create(&app, "Tea House", "TH-1", "Boise").await;

    // The parent picker finds accounts by their own name, not this one, and not by a contact's
    // name (the customers list would find Tea House by its contact Gil Coffee).
    documents_contact(&app, tea, "Gil Coffee", "gil@tea.example").await;
    let (status, body) = app
        .call(
            "profile/parents",
            &[("customer_id", &uptown.to_string()), ("q", "COFFEE")],
        )
        .await;
    let found: Vec<CustomerLink> = ok(status, &body);
    assert_eq!(
        found.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["Coffee Downtown", "Coffee Holdings"]
    );
    let listed = list(
        &app,
        &ListQuery {
            q: "coffee".into(),
            ..Default::default()
        },
    )
    .await;
    assert!(
        listed.rows.iter().any(|c| c.id == tea),
        "the list finds it by its contact"
    );

    // Admins keep the answers; a repeat is refused at the field.
    for answer in ["Trade show", "Referral"] {
        let (status, body) = app.call("profile/sources/add", &[("name", answer)]).await;
        assert!(status.is_success(), "{body}");
    }
    let (status, body) = app.call("profile/sources/add", &[("name", "trade show")]).await;
    assert_refused_at(status, &body, "name");
    let (status, body) = app.call("profile/sources", &[]).await;
    let sources: Vec<Source> = ok(status, &body);
    assert_eq!(
        sources.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["Referral", "Trade show"]
    );
    let trade_show = sources[1].id;

    let (status, body) = save(
        &app,
        uptown,
        Some(head),
        Some(trade_show),
        "+1 206 555 0199",
        true,
    )
    .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = save(&app, downtown, Some(head), None, "", false).await;
    assert!(status.is_success(), "{body}");
    let saved = profile(&app, uptown).await;
    assert_eq!(
        saved.parent.as_ref().map(|p| p.name.as_str()),
        Some("Coffee Holdings")
    );
    assert_eq!(saved.source_id, Some(trade_show));
    assert_eq!(saved.secondary_phone.as_deref(), Some("+1 206 555 0199"));
    assert!(saved.newsletter);
    let holding = profile(&app, head).await;
    let subs: Vec<_> = holding.sub_accounts.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(subs, ["Coffee Downtown", "Coffee Uptown"]);
    // The list filters by parent.
    let in_list = every_page(
        &app,
        ListQuery {
            parent: Some(head),
            ..ListQuery::default()
        },
    )
    .await;
    assert_eq!(
        in_list.iter().map(|c| c.id).collect::<Vec<_>>(),
        [downtown, uptown]
    );

    // Refused, each at its field, and nothing changes: itself, a loop, a bad phone.
    let (status, body) = save(&app, head, Some(head), None, "", false).await;
    assert_refused_at(status, &body, "parent");
    let (status, body) = save(&app, tea, Some(uptown), None, "", false).await;
    assert!(status.is_success(), "{body}");
    let (status, body) = save(&app, head, Some(tea), None, "call me", false).await;
    let error = error_of(status, &body);
    let fields = error.field_errors().expect("field errors");
    assert!(
        fields
            .get("parent")
            .unwrap()
            .contains("Tea House is a sub-account of this customer"),
        "{fields:?}"
    );
    assert!(
        fields
            .get("secondary_phone")
            .unwrap()
            .contains("is not a phone number"),
        "{fields:?}"
    );
    assert_eq!(profile(&app, head).await.parent, None);

    // A removed answer leaves customers with none; the change is in the Activity log.
    let (status, body) = app
        .call("profile/sources/delete", &[("id", &trade_show.to_string())])
        .await;
    assert!(status.is_success(), "{body}");
    assert_eq!(profile(&app, uptown).await.source_id, None);
    let (status, body) = app
        .call("activity/of_customer", &[("customer_id", &uptown.to_string())])
        .await;
    let log: Vec<app::activity::ActivityEntry> = ok(status, &body);
    let entry = log
        .iter()
        .find(|e| e.action == "profile_changed")
        .expect("profile entry");
    assert_eq!(
        entry.after.as_deref(),
        Some("Parent account: Coffee Holdings\nHow did you hear about us: Trade show\nSecondary phone: +1 206 555 0199\nNewsletter: Yes")
    );

    // Staff edit details but not the answers.
    let staff = app.client_for_new_user("sam@supplier.example", "staff").await;
    let (status, _) = call_as(&staff, &app.url, "profile/sources/add", &[("name", "Web")]).await;
    assert_eq!(status.as_u16(), 403);
}

on_both_databases!(parents_sources_and_details);

/// A head office with more sub-accounts than the page names: the first dozen by name, how many
/// in all, and none from the Trash.
async fn many_sub_accounts_named_and_counted(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let head = create(&app, "Holdings", "H-1", "Seattle").await;
    let mut subs = Vec::new();
    // Created out of name order, so the page's order is the name's.
    for n in (1..=15).rev() {
        let sub = create(&app, &format!("Branch {n:02}"), &format!("B-{n}"), "Seattle").await;
        let (status, body) = save(&app, sub, Some(head), None, "", false).await;
        assert!(status.is_success(), "{body}");
        subs.push(sub);
    }
    // Branch 01, made last, goes to the Trash.
    let trashed = subs.pop().expect("a branch").to_string();
    let (status, body) = app.call("customers/delete", &[("ids[0]", &trashed)]).await;
    assert!(status.is_success(), "{body}");

    let holding = profile(&app, head).await;
    let named: Vec<_> = holding.sub_accounts.iter().map(|s| s.name.as_str()).collect();
    let expected: Vec<String> = (2..=13).map(|n| format!("Branch {n:02}")).collect();
    assert_eq!(named, expected);
    assert_eq!(holding.sub_account_count, 14);
}

on_both_databases!(many_sub_accounts_named_and_counted);
