//! Listings over HTTP, on SQLite and on PostgreSQL: locations and items, their checks, search,
//! pages, and the protection of what is in use.

use crate::common;

use app::error::AppError;
use app::listings::{Item, ItemRow, Location, LocationRow, Page};
use app::ui::SaveOutcome;
use common::*;

async fn list<T: serde::de::DeserializeOwned>(app: &TestApp, endpoint: &str, q: &str, page: i64) -> Page<T> {
    let (status, body) = app.call(endpoint, &[("q", q), ("page", &page.to_string())]).await;
    assert!(status.is_success(), "list failed: {status} {body}");
    serde_json::from_str(&body).expect("page")
}

async fn a_location_is_stored_only_when_valid_and_found_by_search(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let mut bad = location("", "PDX;1");
    bad[3] = ("location[city]", "");
    let (status, body) = app.call("listings/locations/create", &bad).await;
    let errors = error_of(status, &body).field_errors().cloned().unwrap();
    assert_eq!(errors.get("name"), Some("Location name is required."));
    assert!(errors.get("code").unwrap().contains("may only hold"));
    assert_eq!(errors.get("city"), Some("City is required."));
    assert_eq!(app.count("SELECT COUNT(*) FROM locations").await, 0);

    let roastery = create_location(&app, "Portland Roastery", "PDX-1").await;
    create_location(&app, "Seattle Bakery", "").await;
    let (status, body) = app
        .call("listings/locations/create", &location("Other", "pdx-1"))
        .await;
    let errors = error_of(status, &body).field_errors().cloned().unwrap();
    assert_eq!(
        errors.get("code"),
        Some("Internal code PDX-1 is already used by Portland Roastery.")
    );

    let found: Page<LocationRow> = list(&app, "listings/locations/list", "roast pdx", 0).await;
    assert_eq!(found.total, 1);
    assert_eq!(found.rows[0].id, roastery);

    let id = roastery.to_string();
    let mut renamed = location("Portland Roastery North", "PDX-1");
    renamed.extend([("id", id.as_str()), ("version", "1")]);
    let (status, body) = app.call("listings/locations/update", &renamed).await;
    assert!(status.is_success(), "{body}");
    let SaveOutcome::Saved(saved) = serde_json::from_str::<SaveOutcome<Location>>(&body).unwrap() else {
        panic!("not saved: {body}")
    };
    assert_eq!(
        (saved.name.as_str(), saved.version),
        ("Portland Roastery North", 2)
    );

    // A form filled from version 1 is now stale: refused, and answered with what was saved.
    let mut stale = location("Portland Roastery South", "PDX-1");
    stale.extend([("id", id.as_str()), ("version", "1")]);
    let (status, body) = app.call("listings/locations/update", &stale).await;
    assert!(status.is_success(), "{body}");
    let SaveOutcome::Conflict(current) = serde_json::from_str::<SaveOutcome<Location>>(&body).unwrap() else {
        panic!("not a conflict: {body}")
    };
    assert_eq!(current.name, "Portland Roastery North");
    let stored: String = sqlx::query_scalar("SELECT name FROM locations WHERE id = $1")
        .bind(roastery)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, "Portland Roastery North");

    let (status, body) = app.call("listings/locations/delete", &[("id", &id)]).await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app.call("listings/locations/get", &[("id", &id)]).await;
    assert!(matches!(error_of(status, &body), AppError::NotFound(_)));
}

async fn items_have_unique_skus_exact_prices_and_pages(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let plant = create_location(&app, "Plant A", "A").await.to_string();
    let first = create_item(&app, "CB-001", "Colombia Beans", "18.90", &plant).await;
    let cents: i64 = sqlx::query_scalar("SELECT unit_price_cents FROM items WHERE id = $1")
        .bind(first)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(cents, 1890);

    let (status, body) = app
        .call(
            "listings/items/create",
            &[
                ("item[sku]", "cb-001"),
                ("item[name]", "Copy"),
                ("item[description]", ""),
                ("item[unit_price]", "1.999"),
                ("location_ids", "999999"),
            ],
        )
        .await;
    let errors = error_of(status, &body).field_errors().cloned().unwrap();
    assert_eq!(
        errors.get("sku"),
        Some("SKU cb-001 is already used by Colombia Beans.")
    );
    assert_eq!(
        errors.get("unit_price"),
        Some("Unit price has at most two decimals (cents).")
    );
    assert!(errors.get("location_ids").unwrap().contains("deleted"));
    assert_eq!(app.count("SELECT COUNT(*) FROM items").await, 1);

    for n in 2..=60 {
        create_item(&app, &format!("SKU-{n:03}"), &format!("Item {n:03}"), "1", "").await;
    }
    let page: Page<ItemRow> = list(&app, "listings/items/list", "", 0).await;
    assert_eq!((page.rows.len(), page.total, page.page_count()), (50, 60, 2));
    let second: Page<ItemRow> = list(&app, "listings/items/list", "", 1).await;
    assert_eq!(second.rows.len(), 10);
    // The last page is read from the end of the order, and still in name order.
    let names: Vec<&str> = page
        .rows
        .iter()
        .chain(&second.rows)
        .map(|r| r.name.as_str())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    assert_eq!(names[59], "Item 060");
    let beyond: Page<ItemRow> = list(&app, "listings/items/list", "", 9).await;
    assert_eq!(beyond.page, 1, "a page past the end shows the last page");
    let found: Page<ItemRow> = list(&app, "listings/items/list", "sku-057", 0).await;
    assert_eq!(found.total, 1);

    let id = first.to_string();
    // Saves the item page's form, filled from version 1.
    let save = |name: &'static str, description: &'static str, price: &'static str| {
        let (app, id) = (&app, id.clone());
        async move {
            let form = [
                ("id", id.as_str()),
                ("version", "1"),
                ("item[sku]", "CB-001"),
                ("item[name]", name),
                ("item[description]", description),
                ("item[unit_price]", price),
                ("location_ids", ""),
            ];
            let (status, body) = app.call("listings/items/update", &form).await;
            assert!(status.is_success(), "{body}");
            serde_json::from_str::<SaveOutcome<Item>>(&body).unwrap()
        }
    };
    let item = save("Colombia Beans 1kg", "Whole beans.\nMedium roast.", "$1,019.05").await;
    assert!(item.saved());
    let item = item.into_inner();
    assert_eq!(
        (item.unit_price.cents(), item.active, item.location_ids.len()),
        (101_905, false, 0)
    );
    // The same form sent again is a version behind: nothing of it is stored.
    let outcome = save("Stale name", "", "1").await;
    assert!(!outcome.saved());
    assert_eq!(outcome.into_inner().name, "Colombia Beans 1kg");
}

async fn what_is_in_use_cannot_be_deleted(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let plant = create_location(&app, "Plant A", "A").await;
    let item = create_item(&app, "CB-001", "Colombia Beans", "18.90", &plant.to_string()).await;
    let delete = |what: &'static str, id: i64| {
        let app = &app;
        async move { app.call(what, &[("id", &id.to_string())]).await }
    };

    // Produced at: the location names the item.
    let (status, body) = delete("listings/locations/delete", plant).await;
    let AppError::Refused(message) = error_of(status, &body) else {
        panic!("{body}")
    };
    assert!(message.contains("items it produces Colombia Beans"), "{message}");

    // A customer sources the item and the location (as the New Customer wizard records it).
    let customer = create(&app, "Coffee Uptown", "ACC-1", "Portland").await;
    for sql in [
        "INSERT INTO customer_locations (customer_id, location_id, added_at) VALUES ($1, $2, 0)",
        "INSERT INTO customer_items (customer_id, item_id, added_at) VALUES ($1, $2, 0)",
    ] {
        let target = if sql.contains("location") { plant } else { item };
        sqlx::query(sql)
            .bind(customer)
            .bind(target)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    let (status, body) = delete("listings/items/delete", item).await;
    let AppError::Refused(message) = error_of(status, &body) else {
        panic!("{body}")
    };
    assert!(message.contains("customers Coffee Uptown"), "{message}");
    sqlx::query("DELETE FROM customer_items")
        .execute(&app.db.pool)
        .await
        .unwrap();

    // A document of the item.
    let file = upload_ok(&app, "document", "spec.pdf", pdf("spec")).await;
    let spec = type_id(&app, "Specification Sheet").await;
    let (status, body) = add_document(
        &app,
        "item",
        item,
        spec,
        "Spec 2026",
        ("2026-01-01", "2027-01-01"),
        &file,
    )
    .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = delete("listings/items/delete", item).await;
    let AppError::Refused(message) = error_of(status, &body) else {
        panic!("{body}")
    };
    assert!(
        message.contains("documents Specification Sheet: Spec 2026"),
        "{message}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM items").await, 1);

    let (status, body) = delete("listings/locations/delete", plant).await;
    let AppError::Refused(message) = error_of(status, &body) else {
        panic!("{body}")
    };
    assert!(
        message.contains("customers Coffee Uptown") && message.contains("Colombia Beans"),
        "{message}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM locations").await, 1);
}

async fn listings_need_a_signed_in_user(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let stranger = new_client();
    let (status, body) = call_as(
        &stranger,
        &app.url,
        "listings/locations/create",
        &location("X", ""),
    )
    .await;
    assert_eq!(error_of(status, &body), AppError::Unauthorized);
    let (status, body) = call_as(
        &stranger,
        &app.url,
        "listings/items/list",
        &[("q", ""), ("page", "0")],
    )
    .await;
    assert_eq!(error_of(status, &body), AppError::Unauthorized);
}

async fn deleting_a_listing_is_for_admins(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    // Staff work with listings; deleting one for good is for Admins.
    let plant = create_location(&app, "Plant A", "A").await.to_string();
    let staff = app.client_for_new_user("sam@supplier.example", "staff").await;
    let item = [
        ("item[sku]", "S-1"),
        ("item[name]", "Beans"),
        ("item[description]", ""),
        ("item[unit_price]", "2"),
        ("location_ids", plant.as_str()),
    ];
    let (status, body) = call_as(&staff, &app.url, "listings/items/create", &item).await;
    assert!(status.is_success(), "{body}");
    let item = body;
    let (status, body) = call_as(
        &staff,
        &app.url,
        "listings/items/delete",
        &[("id", item.as_str())],
    )
    .await;
    assert_eq!(error_of(status, &body), AppError::Forbidden);
    let (status, body) = call_as(
        &staff,
        &app.url,
        "listings/locations/delete",
        &[("id", plant.as_str())],
    )
    .await;
    assert_eq!(error_of(status, &body), AppError::Forbidden);
    assert_eq!(app.count("SELECT COUNT(*) FROM items").await, 1);
    let (status, body) = app.call("listings/items/delete", &[("id", item.as_str())]).await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app
        .call("listings/locations/delete", &[("id", plant.as_str())])
        .await;
    assert!(status.is_success(), "{body}");
}

on_both_databases!(
    deleting_a_listing_is_for_admins,
    a_location_is_stored_only_when_valid_and_found_by_search,
    items_have_unique_skus_exact_prices_and_pages,
    what_is_in_use_cannot_be_deleted,
    listings_need_a_signed_in_user,
);
