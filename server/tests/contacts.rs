//! The Contacts page and a customer's Ship-To Locations, on SQLite and PostgreSQL.

use crate::common;

use app::contacts::ContactListPage;
use app::ship_to::ShipTo;
use common::portal::*;
use common::sharing::*;
use common::*;
use reqwest::StatusCode;

async fn the_contacts_page_finds_contacts_by_customer_and_keeps_roles(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let uptown = create(&app, "Coffee Uptown", "CU-1", "Seattle").await;
    let downtown = create(&app, "Coffee Downtown", "CD-1", "Seattle").await;
    let ana = contact_on(&app, uptown, "Ana", "ana@coffee.example").await;
    assign(&app, downtown, ana).await;
    set_role(&app, downtown, ana, "viewer").await;
    contact_on(&app, downtown, "Bob", "bob@coffee.example").await;

    let (status, body) = app.call("contacts/list", &[("q", "uptown")]).await;
    let page: ContactListPage = ok(status, &body);
    assert_eq!(page.rows.len(), 1);
    assert!(!page.has_next && !page.has_previous);
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
    assert_refused_at(status, &body, "role");
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

/// A page of the customer's Contacts tab, after `after`.
async fn assigned_page(
    app: &TestApp,
    customer: i64,
    after: Option<i64>,
) -> app::contacts::CustomerContactsPage {
    let mut form = vec![("customer_id", customer.to_string())];
    form.extend(after.map(|id| ("after", id.to_string())));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = app.call("contacts/of_customer", &form).await;
    ok(status, &body)
}

fn last_names(page: &app::contacts::CustomerContactsPage) -> Vec<String> {
    page.rows.iter().map(|r| r.contact.last_name.clone()).collect()
}

/// The Contacts tab reads a customer's contacts in name order from the assignments' copies of
/// their names: filled when a contact is added or assigned, changed when the contact is renamed.
async fn a_customers_contacts_follow_their_names_page_by_page(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let customer = create(&app, "Coffee Uptown", "CU-1", "Portland").await;
    let other = create(&app, "Tea House", "TH-1", "Boise").await;
    let mut ids = Vec::new();
    for n in 0..55 {
        let (status, body) = app
            .call(
                "contacts/create",
                &[
                    ("customer_id", &customer.to_string()),
                    ("contact[first_name]", "Pat"),
                    ("contact[last_name]", &format!("Name{n:02}")),
                    ("contact[email]", &format!("pat{n}@coffee.example")),
                    ("contact[phone]", ""),
                    ("contact[job_title]", ""),
                ],
            )
            .await;
        ids.push(ok::<i64>(status, &body));
    }
    // Assigned to a second customer, the contact is in that customer's list under its name.
    let (status, body) = app
        .call(
            "contacts/assign",
            &[
                ("customer_id", &other.to_string()),
                ("contact_id", &ids[7].to_string()),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    assert_eq!(last_names(&assigned_page(&app, other, None).await), ["Name07"]);

    let expected: Vec<String> = (0..55).map(|n| format!("Name{n:02}")).collect();
    let first = assigned_page(&app, customer, None).await;
    assert_eq!(last_names(&first), expected[..50]);
    assert!(first.has_next);
    let second = assigned_page(&app, customer, first.rows.last().map(|r| r.contact.id)).await;
    assert_eq!(last_names(&second), expected[50..]);
    assert!(!second.has_next);

    // Renamed, Name03 moves to the end of both customers' lists.
    let (status, body) = app
        .call(
            "contacts/update",
            &[
                ("id", &ids[3].to_string()),
                ("version", "1"),
                ("contact[first_name]", "Pat"),
                ("contact[last_name]", "Zed"),
                ("contact[email]", "pat3@coffee.example"),
                ("contact[phone]", ""),
                ("contact[job_title]", ""),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    let first = assigned_page(&app, customer, None).await;
    assert_eq!(first.rows[3].contact.last_name, "Name04");
    let second = assigned_page(&app, customer, first.rows.last().map(|r| r.contact.id)).await;
    assert_eq!(last_names(&second).last().map(String::as_str), Some("Zed"));
    assert_eq!(second.rows.len(), 5);
}

on_both_databases!(
    a_customers_contacts_follow_their_names_page_by_page,
    the_contacts_page_finds_contacts_by_customer_and_keeps_roles,
    ship_to_locations_keep_one_default_and_download_as_csv,
);
