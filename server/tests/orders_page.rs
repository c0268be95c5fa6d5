//! The Orders page over every customer's orders, on SQLite and PostgreSQL: filtered by a
//! customer's name, its pages cover the customer's orders once each, newest first, forwards
//! and back.

use crate::common;

use app::orders::OrderPage;
use common::sharing::ok;
use common::*;

/// `count` orders of the customer, an hour apart, the newest `newest_at`.
async fn orders_of(app: &TestApp, customer: i64, count: i64, newest_at: i64) {
    for n in 0..count {
        sqlx::query(
            "INSERT INTO orders (customer_id, placed_by_name, ship_to_name, ship_to_address, client_key,
                 total_cents, created_at)
             VALUES ($1, 'Ana', 'Store', '1 High Street', $2, 100, $3)",
        )
        .bind(customer)
        .bind(format!("test-{customer}-{n}"))
        .bind(newest_at - n * 3_600_000)
        .execute(&app.db.pool)
        .await
        .expect("an order");
    }
}

async fn orders_page(app: &TestApp, customer: &str, position: (&str, String)) -> OrderPage {
    let mut fields = vec![
        ("filter[customer]", customer.to_string()),
        ("filter[from]", String::new()),
        ("filter[to]", String::new()),
    ];
    if !position.0.is_empty() {
        fields.push((position.0, position.1));
    }
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = app.call("orders/list", &fields).await;
    ok(status, &body)
}

async fn a_customers_orders_page_once_each_newest_first(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let uptown = create(&app, "Coffee Uptown", "CU-1", "Seattle").await;
    let downtown = create(&app, "Tea Downtown", "TD-1", "Boise").await;
    let now = app::state::now_ms();
    // Interleaved in time with another customer's orders.
    orders_of(&app, uptown, 60, now).await;
    orders_of(&app, downtown, 60, now - 1_800_000).await;

    let first = orders_page(&app, "coffee", ("", String::new())).await;
    assert_eq!(first.rows.len(), 50);
    assert!(first.has_next && !first.has_previous);
    let last_of_first = first.rows.last().unwrap().id;
    let second = orders_page(&app, "coffee", ("after", last_of_first.to_string())).await;
    assert_eq!(second.rows.len(), 10);
    assert!(!second.has_next && second.has_previous);
    let mut seen: Vec<(i64, i64)> = first
        .rows
        .iter()
        .chain(&second.rows)
        .map(|o| {
            assert_eq!(
                (o.customer_id, o.customer_name.as_str()),
                (uptown, "Coffee Uptown")
            );
            (o.created_at, o.id)
        })
        .collect();
    assert!(seen.windows(2).all(|w| w[0] > w[1]), "newest first");
    seen.dedup();
    assert_eq!(seen.len(), 60);

    // Back from the second page: the first again.
    let back = orders_page(&app, "coffee", ("before", second.rows[0].id.to_string())).await;
    let ids = |page: &OrderPage| page.rows.iter().map(|o| o.id).collect::<Vec<_>>();
    assert_eq!(ids(&back), ids(&first));
    let last = orders_page(&app, "coffee", ("last", "true".to_string())).await;
    assert_eq!(
        ids(&last),
        ids(&first)[10..]
            .iter()
            .chain(&ids(&second))
            .copied()
            .collect::<Vec<_>>()
    );
    assert!(first.rows[0].lines.is_empty());
}

on_both_databases!(a_customers_orders_page_once_each_newest_first);
