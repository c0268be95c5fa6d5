//! Orders as people read them: a list where each order opens to its lines (portal history, the
//! customer's Orders tab, the Orders page), and the staff Orders page with its filters.

use super::api::{customer_orders, list_orders};
use super::{Order, OrderFilter};
use crate::domain::Money;
use crate::listings::parts::Pager;
use crate::listings::Page;
use crate::paging::{KeysetPager, Position};
use crate::ui::{date_time, url_encode, ErrorNotice};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

fn price(cents: i64) -> String {
    format!("${}", Money::from_cents(cents))
}

/// Orders newest first, counted in pages; each row opens to its lines.
#[component]
pub fn OrderList(page: Page<Order>, show_customer: bool, #[prop(optional)] keep: String) -> impl IntoView {
    view! {
        <OrderTable orders=page.rows.clone() show_customer/>
        <Pager page words=String::new() noun="orders" keep/>
    }
}

#[component]
fn OrderTable(orders: Vec<Order>, show_customer: bool) -> impl IntoView {
    view! {
        <table class="list orders">
            <caption class="sr-only">"Orders"</caption>
            <thead><tr>
                <th scope="col">"Order"</th><th scope="col">"Placed"</th>
                {show_customer.then(|| view! { <th scope="col">"Customer"</th> })}
                <th scope="col">"By"</th><th scope="col">"Ship to"</th><th scope="col">"PO number"</th>
                <th scope="col" class="number">"Total"</th>
            </tr></thead>
            <tbody>
                {orders.iter().map(|order| view! {
                    <tr>
                        <td>
                            <details>
                                <summary>{order.number()}</summary>
                                <OrderLines order=order.clone()/>
                            </details>
                        </td>
                        <td>{date_time(order.created_at)}</td>
                        {show_customer.then(|| view! {
                            <td><a href=format!("/customers/{}?tab=orders", order.customer_id)>{order.customer_name.clone()}</a></td>
                        })}
                        <td>{order.placed_by_name.clone()}{order.placed_by_staff.then_some(" (staff, for the customer)")}</td>
                        <td>{order.ship_to_name.clone()}</td>
                        <td>{order.po_number.clone().unwrap_or_default()}</td>
                        <td class="number">{price(order.total_cents)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn OrderLines(order: Order) -> impl IntoView {
    view! {
        <table class="list lines">
            <caption class="sr-only">{format!("Lines of order {}", order.number())}</caption>
            <thead><tr>
                <th scope="col">"SKU"</th><th scope="col">"Item"</th><th scope="col" class="number">"Quantity"</th>
                <th scope="col" class="number">"Unit price"</th><th scope="col" class="number">"Line total"</th>
            </tr></thead>
            <tbody>
                {order.lines.iter().map(|line| view! {
                    <tr>
                        <td>{line.sku.clone()}</td>
                        <td>{line.name.clone()}</td>
                        <td class="number">{line.quantity}</td>
                        <td class="number">{price(line.unit_price_cents)}</td>
                        <td class="number">{price(line.line_total_cents)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <p class="muted">{format!("Ship to {}: {}", order.ship_to_name, order.ship_to_address)}</p>
        {order.note.clone().map(|note| view! { <p>{format!("Note: {note}")}</p> })}
    }
}

/// The page number (from 0) in `?page=` (counted from 1).
pub fn page_param() -> Memo<i64> {
    let query = use_query_map();
    Memo::new(move |_| {
        query
            .with(|q| q.get("page").and_then(|p| p.parse::<i64>().ok()))
            .unwrap_or(1)
            .saturating_sub(1)
    })
}

/// The customer page's Orders tab: count and total value, and the orders.
#[component]
pub fn OrdersPanel(customer_id: i64) -> impl IntoView {
    let page = page_param();
    let data = Resource::new(move || page.get(), move |page| customer_orders(customer_id, page));
    view! {
        <section aria-labelledby="orders-heading">
            <h2 id="orders-heading">"Orders"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((totals, page)) => view! {
                            <p class="totals">
                                <span>{format!("{} order{}", totals.count, if totals.count == 1 { "" } else { "s" })}</span>
                                " · "
                                <span>{format!("total value {}", price(totals.total_cents))}</span>
                            </p>
                            {if page.total == 0 {
                                view! { <p class="empty">"No orders yet. Contacts order in the portal; “Place order as customer” orders for them."</p> }.into_any()
                            } else {
                                view! { <OrderList page show_customer=false keep="&tab=orders".to_string()/> }.into_any()
                            }}
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The Orders page: every order, filtered by customer and dates.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| OrderFilter {
            customer: q.get("customer").unwrap_or_default(),
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
        })
    });
    let position = Memo::new(move |_| query.with(|q| Position::from_params(|k| q.get(k))));
    let orders = Resource::new(
        move || (filter.get(), position.get()),
        |(filter, position)| {
            let (after, before, last) = position.to_args();
            list_orders(filter, after, before, last)
        },
    );
    let initial = filter.get_untracked();
    view! {
        <section class="page">
            <h1>"Orders"</h1>
            <Form method="GET" action="/orders" attr:class="search-bar" attr:role="search">
                <div class="field">
                    <label for="order-customer">"Customer"</label>
                    <input id="order-customer" name="customer" type="search" value=initial.customer/>
                </div>
                <div class="field">
                    <label for="order-from">"From"</label>
                    <input id="order-from" name="from" type="date" value=initial.from/>
                </div>
                <div class="field">
                    <label for="order-to">"To"</label>
                    <input id="order-to" name="to" type="date" value=initial.to/>
                </div>
                <button type="submit">"Filter"</button>
            </Form>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match orders.await {
                        Ok(page) if page.rows.is_empty() => view! { <p class="empty">"No orders match."</p> }.into_any(),
                        Ok(page) => {
                            let f = filter.get_untracked();
                            let keep = format!(
                                "customer={}&from={}&to={}",
                                url_encode(&f.customer),
                                url_encode(&f.from),
                                url_encode(&f.to)
                            );
                            let first = page.rows.first().map(|o| o.id);
                            let last = page.rows.last().map(|o| o.id);
                            view! {
                                <OrderTable orders=page.rows show_customer=true/>
                                <KeysetPager path="/orders" keep first last
                                    has_previous=page.has_previous has_next=page.has_next/>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
