//! Server functions of orders: "Place Order" and the history in the portal (for whoever may act
//! for the customer), the Orders page and a customer's Orders tab (staff).

use super::{Order, OrderFilter, OrderPage, OrderRequest, OrderTotals};
use crate::error::AppError;
use crate::listings::Page;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::db::{self, NewOrder, OrderQuery, PlacedBy},
    super::{order_number, CartLine, MAX_LINES, MAX_ORDER_TOTAL_CENTS, MAX_QUANTITY},
    crate::activity::db::{self as activity, Actor},
    crate::auth::session::require_staff,
    crate::contacts::db::Recipient,
    crate::customers::api::live_customer,
    crate::domain::Money,
    crate::error::FieldErrors,
    crate::mail::{db as outbox, portal_emails, ORDER_CONFIRMATION},
    crate::portal::access::{act_as_buyer, act_for, Acting},
    crate::state::{app_state, now_ms},
    std::collections::BTreeMap,
};

/// Places the cart as an order for the customer; answers with the order. Sending the same cart
/// (same `client_key`) again answers with the order already placed.
#[server(endpoint = "portal/place_order", input = leptos::server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id)))]
pub async fn place_order(customer_id: i64, order: OrderRequest) -> Result<Order, AppError> {
    let acting = act_as_buyer(customer_id).await?;
    let db = app_state()?.db;
    let checked = check_request(&order)?;
    let mut conn = db.pool.acquire().await?;
    if let Some(id) = db::by_client_key(&mut conn, customer_id, &checked.client_key).await? {
        // Never wait for a second connection while holding one: under load every request
        // would hold one and wait for the others.
        drop(conn);
        return placed(id).await;
    }
    let ship_to = match order.ship_to_id {
        Some(id) => crate::ship_to::db::find(&mut conn, id)
            .await?
            .filter(|s| s.customer_id == customer_id),
        None => None,
    }
    .ok_or_else(|| AppError::field("ship_to_id", "Choose where to ship this order."))?;
    // One connection at a time: a request holding one while asking for another can starve the
    // pool under load.
    drop(conn);
    let catalog: BTreeMap<i64, _> = crate::portal::db::catalog(&db, customer_id)
        .await?
        .into_iter()
        .map(|item| (item.item_id, item))
        .collect();
    let mut lines = Vec::with_capacity(checked.lines.len());
    for (item_id, quantity) in &checked.lines {
        let item = catalog.get(item_id).ok_or_else(|| {
            AppError::field(
                "lines",
                "An item in your cart is no longer offered to you. Remove it and try again.",
            )
        })?;
        lines.push((item.clone(), *quantity));
    }
    // Group prices may be up to eleven times the list price: the total must still be a sum
    // the database and the emails can hold.
    let total: i128 = lines
        .iter()
        .map(|(item, qty)| i128::from(item.unit_price_cents) * i128::from(*qty))
        .sum();
    if total > i128::from(MAX_ORDER_TOTAL_CENTS) {
        return Err(AppError::field(
            "lines",
            "This order's total is too large to place at once. Split it into several orders.",
        ));
    }

    let placed_by = PlacedBy {
        contact_id: acting.contact_id(),
        staff_user_id: acting.staff_user_id(),
        name: acting.actor_name(),
    };
    let new = NewOrder {
        customer_id,
        placed_by: &placed_by,
        ship_to: &ship_to,
        po_number: checked.po_number.clone(),
        note: checked.note.clone(),
        client_key: &checked.client_key,
        lines: &lines,
    };
    let now = now_ms();
    let mut tx = db.begin().await?;
    let id = match db::insert(&mut tx, &new, now).await {
        Ok(id) => id,
        // The same cart, sent twice at once: the other request placed it.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            drop(tx);
            let id = {
                let mut conn = db.pool.acquire().await?;
                db::by_client_key(&mut conn, customer_id, &checked.client_key).await?
            };
            let id =
                id.ok_or_else(|| AppError::Refused("The order could not be placed. Try again.".into()))?;
            return placed(id).await;
        }
        Err(e) => return Err(e.into()),
    };
    let number = order_number(id);
    let total = Money::from_cents(new.total_cents()).to_string();
    let actor = Actor {
        staff_user_id: placed_by.staff_user_id,
        contact_id: placed_by.contact_id,
        name: &placed_by.name,
    };
    let detail = match acting.staff_user_id() {
        Some(_) => format!(
            "{} placed order {number} ({total}) as the customer",
            placed_by.name
        ),
        None => format!("{} placed order {number} ({total}) in the portal", placed_by.name),
    };
    activity::record(&mut tx, customer_id, &actor, "order_placed", &detail, now).await?;
    for recipient in confirmation_recipients(&mut tx, &acting).await? {
        queue_confirmation(&mut tx, &acting, &new, &number, &recipient, now).await?;
    }
    tx.commit().await?;
    placed(id).await
}

#[cfg(feature = "ssr")]
async fn placed(id: i64) -> Result<Order, AppError> {
    db::find(&app_state()?.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("This order".into()))
}

/// A contact's order is confirmed to them; an order staff placed, to the customer's Buyers.
#[cfg(feature = "ssr")]
async fn confirmation_recipients(
    tx: &mut sqlx::AnyConnection,
    acting: &Acting,
) -> Result<Vec<Recipient>, AppError> {
    match acting.contact_id() {
        Some(contact_id) => Ok(crate::contacts::db::buyers(tx, acting.customer_id)
            .await?
            .into_iter()
            .filter(|r| r.id == contact_id)
            .collect()),
        None => Ok(crate::contacts::db::buyers(tx, acting.customer_id).await?),
    }
}

#[cfg(feature = "ssr")]
async fn queue_confirmation(
    tx: &mut sqlx::AnyConnection,
    acting: &Acting,
    order: &NewOrder<'_>,
    number: &str,
    recipient: &Recipient,
    now: i64,
) -> Result<(), AppError> {
    let lines: Vec<portal_emails::ConfirmedLine> = order
        .lines
        .iter()
        .map(|(item, quantity)| portal_emails::ConfirmedLine {
            quantity: *quantity,
            sku: item.sku.clone(),
            name: item.name.clone(),
            line_total: Money::from_cents(item.unit_price_cents * quantity).to_string(),
        })
        .collect();
    let ship_to = format!("{}, {}", order.ship_to.name, order.ship_to.address_line());
    let total = Money::from_cents(order.total_cents()).to_string();
    let content = portal_emails::order_confirmation(
        &portal_emails::ConfirmedOrder {
            number,
            customer: &acting.customer_name,
            ship_to: &ship_to,
            po_number: order.po_number.as_deref(),
            total: &total,
            lines: &lines,
        },
        &recipient.first_name,
    );
    let email = outbox::NewEmail {
        kind: ORDER_CONFIRMATION,
        customer_id: Some(acting.customer_id),
        contact_id: Some(recipient.id),
        to_address: recipient.email.clone(),
        to_name: recipient.name.clone(),
        subject: content.subject,
        text_body: content.text,
        html_body: content.html,
        created_by: acting.staff_user_id(),
    };
    outbox::enqueue(tx, &email, now).await?;
    Ok(())
}

/// An order request that passed its checks: lines merged by item, texts trimmed.
#[cfg(feature = "ssr")]
struct CheckedOrder {
    lines: Vec<(i64, i64)>,
    po_number: Option<String>,
    note: Option<String>,
    client_key: String,
}

#[cfg(feature = "ssr")]
fn check_request(order: &OrderRequest) -> Result<CheckedOrder, AppError> {
    let mut errors = FieldErrors::new();
    // Far more lines than an order may have are refused before they are read: merging 60,000
    // lines one by one took quadratic time.
    if order.lines.len() > MAX_LINES * 4 {
        errors.add("lines", format!("An order can have at most {MAX_LINES} lines."));
        return Err(AppError::Invalid(errors));
    }
    // The cart's lines by item, in the order first seen; repeats add up.
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(order.lines.len());
    let mut at: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for CartLine { item_id, quantity } in &order.lines {
        match at.get(item_id) {
            // Saturates: a sum beyond any quantity is refused below like any other.
            Some(&i) => merged[i].1 = merged[i].1.saturating_add(*quantity),
            None => {
                at.insert(*item_id, merged.len());
                merged.push((*item_id, *quantity));
            }
        }
    }
    merged.retain(|(_, q)| *q != 0);
    if merged.is_empty() {
        errors.add(
            "lines",
            "Your cart is empty. Enter a quantity for at least one item.",
        );
    } else if merged.len() > MAX_LINES {
        errors.add("lines", format!("An order can have at most {MAX_LINES} lines."));
    } else if let Some((_, q)) = merged.iter().find(|(_, q)| !(1..=MAX_QUANTITY).contains(q)) {
        errors.add(
            "lines",
            format!("A quantity must be a whole number from 1 to {MAX_QUANTITY}, not {q}."),
        );
    }
    let text = |raw: &str, field: &str, what: &str, max: usize, errors: &mut FieldErrors| {
        let value = raw.trim();
        if value.chars().count() > max {
            errors.add(field, format!("{what} can be at most {max} characters."));
        }
        (!value.is_empty()).then(|| value.to_string())
    };
    let po_number = text(
        &order.po_number,
        "po_number",
        "The purchase-order number",
        50,
        &mut errors,
    );
    let note = text(&order.note, "note", "The note", 2000, &mut errors);
    let key = order.client_key.trim();
    if !(8..=64).contains(&key.len()) || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        errors.add(
            "lines",
            "This page is out of date. Reload it and place the order again.",
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(CheckedOrder {
        lines: merged,
        po_number,
        note,
        client_key: key.to_string(),
    })
}

/// The customer's orders, newest first, for whoever may act for it in the portal.
#[server(endpoint = "portal/orders")]
pub async fn portal_orders(customer_id: i64, page: i64) -> Result<Page<Order>, AppError> {
    act_for(customer_id).await?;
    crate::paging::check_page(page)?;
    let query = OrderQuery {
        customer_id: Some(customer_id),
        ..Default::default()
    };
    Ok(db::page(&app_state()?.db, &query, page).await?)
}

/// The Orders page: every customer's orders, filtered by customer name and dates, the page
/// after or before an order, or the last.
#[server(endpoint = "orders/list")]
pub async fn list_orders(
    filter: OrderFilter,
    after: Option<i64>,
    before: Option<i64>,
    last: Option<bool>,
) -> Result<OrderPage, AppError> {
    require_staff().await?;
    crate::text_search::check_query("customer", &filter.customer)?;
    let query =
        OrderQuery::from_filter(&filter).map_err(|(field, message)| AppError::field(field, message))?;
    let position = crate::paging::Position::from_args(after, before, last)?;
    Ok(db::keyset_page(&app_state()?.db, &query, position).await?)
}

/// A customer's Orders tab: count and value, and a page of its orders.
#[server(endpoint = "orders/of_customer")]
pub async fn customer_orders(customer_id: i64, page: i64) -> Result<(OrderTotals, Page<Order>), AppError> {
    require_staff().await?;
    crate::paging::check_page(page)?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let query = OrderQuery {
        customer_id: Some(customer_id),
        ..Default::default()
    };
    Ok((
        db::totals(&db, customer_id).await?,
        db::page(&db, &query, page).await?,
    ))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn order(lines: impl IntoIterator<Item = (i64, i64)>) -> OrderRequest {
        OrderRequest {
            ship_to_id: Some(1),
            po_number: String::new(),
            note: String::new(),
            lines: lines
                .into_iter()
                .map(|(item_id, quantity)| CartLine { item_id, quantity })
                .collect(),
            client_key: "cart-12345678".into(),
        }
    }

    fn lines_error(order: &OrderRequest) -> Option<String> {
        match check_request(order) {
            Err(AppError::Invalid(errors)) => errors.get("lines").map(str::to_string),
            _ => None,
        }
    }

    #[test]
    fn repeated_items_add_up_in_the_order_first_seen() {
        let checked = check_request(&order([(7, 2), (3, 1), (7, 5), (9, 0)])).unwrap();
        assert_eq!(checked.lines, vec![(7, 7), (3, 1)]);
    }

    #[test]
    fn too_many_lines_are_refused_however_many_are_sent() {
        let most = order((1..=MAX_LINES as i64).map(|id| (id, 1)));
        assert!(check_request(&most).is_ok());
        let expected = Some(format!("An order can have at most {MAX_LINES} lines."));
        assert_eq!(
            lines_error(&order((1..=MAX_LINES as i64 + 1).map(|id| (id, 1)))),
            expected
        );
        let started = std::time::Instant::now();
        assert_eq!(lines_error(&order((1..=60_000).map(|id| (id, 1)))), expected);
        assert_eq!(
            lines_error(&order((1..=1_999).map(|id| (id % 600 + 1, 1)))),
            expected
        );
        // Refused before the lines are merged one by one (quadratic: seconds for 60,000).
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }
}
