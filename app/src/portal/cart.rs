//! The catalog with the cart: a quantity per item, the cart's total, where to ship, the
//! purchase-order number and note, and "Place Order".

use super::CatalogItem;
use crate::domain::Money;
use crate::error::AppError;
use crate::orders::api::PlaceOrder;
use crate::orders::{order_number, CartLine, OrderRequest, MAX_QUANTITY};
use crate::ship_to::ShipTo;
use crate::ui::{field_errors_of, FormNotice};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// A key for one cart: "Place Order" pressed twice sends the same key, and places one order.
fn new_client_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        let part = || format!("{:08x}", (js_sys::Math::random() * f64::from(u32::MAX)) as u32);
        format!("{}-{}-{}-{}", part(), part(), part(), part())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        "rendered-on-server".to_string()
    }
}

/// The cart is kept in the browser's storage per customer, so a refresh or a closed tab loses no
/// quantity typed; a placed order empties it.
fn stored_cart(customer_id: i64) -> Option<BTreeMap<i64, i64>> {
    #[cfg(feature = "hydrate")]
    {
        let storage = window().local_storage().ok().flatten()?;
        let text = storage
            .get_item(&format!("clientele-cart-{customer_id}"))
            .ok()
            .flatten()?;
        serde_json::from_str(&text).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = customer_id;
        None
    }
}

fn store_cart(customer_id: i64, cart: &BTreeMap<i64, i64>) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = window().local_storage().ok().flatten() {
        let key = format!("clientele-cart-{customer_id}");
        let _ = match cart.is_empty() {
            true => storage.remove_item(&key),
            false => storage.set_item(&key, &serde_json::to_string(cart).unwrap_or_default()),
        };
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (customer_id, cart);
}

fn price(cents: i64) -> String {
    format!("${}", Money::from_cents(cents))
}

#[component]
pub fn Cart(
    customer_id: i64,
    items: Vec<CatalogItem>,
    ship_tos: Vec<ShipTo>,
    may_order: bool,
) -> impl IntoView {
    let quantities = RwSignal::new(BTreeMap::<i64, i64>::new());
    // Read once the page is live in the browser (the server has no storage), then kept in step;
    // items no longer in the catalog are dropped.
    let known: std::collections::BTreeSet<i64> = items.iter().map(|i| i.item_id).collect();
    Effect::new(move |restored: Option<()>| {
        if restored.is_none() {
            if let Some(mut saved) = stored_cart(customer_id) {
                saved.retain(|id, n| known.contains(id) && *n > 0);
                quantities.set(saved);
            }
        }
        quantities.with(|cart| store_cart(customer_id, cart));
    });
    let filter = RwSignal::new(String::new());
    let place = ServerAction::<PlaceOrder>::new();
    let client_key = RwSignal::new(new_client_key());
    let prices: BTreeMap<i64, i64> = items.iter().map(|i| (i.item_id, i.unit_price_cents)).collect();
    let total = Memo::new(move |_| {
        quantities.with(|q| {
            q.iter()
                .map(|(id, n)| prices.get(id).copied().unwrap_or(0) * n)
                .sum::<i64>()
        })
    });
    let line_count = Memo::new(move |_| quantities.with(|q| q.values().filter(|n| **n > 0).count()));
    let default_ship_to = ship_tos.iter().find(|s| s.is_default).map(|s| s.id);
    let ship_to = RwSignal::new(default_ship_to);
    let po_number = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let value = Signal::from(place.value());
    let errors = field_errors_of(value);
    // A placed order empties the cart and starts a new one.
    let placed = RwSignal::new(None::<String>);
    let opened_at = place.version().get_untracked();
    Effect::new(move |_| {
        if place.version().get() > opened_at {
            if let Some(Ok(order)) = value.get() {
                placed.set(Some(order_number(order.id)));
                quantities.set(BTreeMap::new());
                po_number.set(String::new());
                note.set(String::new());
                client_key.set(new_client_key());
            }
        }
    });
    let submit = move || {
        let lines = quantities.with(|q| {
            q.iter()
                .filter(|(_, n)| **n != 0)
                .map(|(item_id, quantity)| CartLine {
                    item_id: *item_id,
                    quantity: *quantity,
                })
                .collect()
        });
        placed.set(None);
        place.dispatch(PlaceOrder {
            customer_id,
            order: OrderRequest {
                ship_to_id: ship_to.get_untracked(),
                po_number: po_number.get_untracked(),
                note: note.get_untracked(),
                lines,
                client_key: client_key.get_untracked(),
            },
        });
    };
    let field_error = move |field: &'static str| {
        Signal::derive(move || errors.get().and_then(|e| e.get(field).map(str::to_string)))
    };
    let lines_error = field_error("lines");
    let ship_to_error = field_error("ship_to_id");
    let po_error = field_error("po_number");
    let note_error = field_error("note");
    let item_count = items.len();
    view! {
        <div class="portal-order">
        <div>
        <div class="field search-bar">
            <label for="catalog-filter">"Find in the catalog"</label>
            <input id="catalog-filter" type="search" placeholder="Name or SKU" autocomplete="off"
                on:input=move |ev| filter.set(event_target_value(&ev).to_lowercase())/>
        </div>
        {(item_count == 0).then(|| view! {
            <p class="empty">"There is nothing in your catalog yet. Your supplier adds the items you receive."</p>
        })}
        <table class="list catalog">
            <caption class="sr-only">"Catalog"</caption>
            <thead><tr>
                <th scope="col">"SKU"</th><th scope="col">"Item"</th><th scope="col" class="number">"Unit price"</th>
                {may_order.then(|| view! { <th scope="col">"Quantity"</th> })}
            </tr></thead>
            <tbody>
                {items.into_iter().map(|item| {
                    let id = item.item_id;
                    let haystack = format!("{} {}", item.sku, item.name).to_lowercase();
                    let hidden = move || filter.with(|f| !f.is_empty() && !haystack.contains(f.as_str()));
                    let label = format!("Quantity of {}", item.name);
                    view! {
                        <tr class:hidden=hidden>
                            <td>{item.sku.clone()}</td>
                            <td>{item.name.clone()}{item.description.clone().map(|d| view! { <br/><span class="muted">{d}</span> })}</td>
                            <td class="number" data-testid="price">
                                {price(item.unit_price_cents)}
                                {(item.list_price_cents != item.unit_price_cents).then(|| view! {
                                    <br/><span class="muted">"List "<del>{price(item.list_price_cents)}</del></span>
                                })}
                            </td>
                            {may_order.then(|| view! {
                                <td>
                                    <input type="number" min="0" max="100000" step="1" inputmode="numeric" class="quantity"
                                        aria-label=label
                                        prop:value=move || quantities.with(|q| q.get(&id).map(|n| n.to_string()).unwrap_or_default())
                                        on:input=move |ev| {
                                            // The server refuses quantities out of range; the cart
                                            // keeps to them so its total stays meaningful.
                                            let n = event_target_value(&ev).trim().parse::<i64>().unwrap_or(0).clamp(0, MAX_QUANTITY);
                                            quantities.update(|q| { if n == 0 { q.remove(&id); } else { q.insert(id, n); } });
                                        }/>
                                </td>
                            })}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
        {if may_order {
            view! {
                <section class="card cart" aria-labelledby="cart-heading">
                    <h2 id="cart-heading">"Your order"</h2>
                    {move || placed.get().map(|number| view! {
                        <p class="notice success" role="status">
                            {format!("Order {number} placed. A confirmation email is on its way.")}
                        </p>
                    })}
                    <FormNotice error=Signal::derive(move || value.get().and_then(Result::err).filter(|e: &AppError| e.field_errors().is_none()))/>
                    <p aria-live="polite">
                        {move || format!("{} line{} · total {}", line_count.get(), if line_count.get() == 1 { "" } else { "s" }, price(total.get()))}
                    </p>
                    {move || lines_error.get().map(|m| view! { <p class="field-message" role="alert">{m}</p> })}
                    <div class="field">
                        <label for="ship-to">"Ship to"</label>
                        <select id="ship-to" aria-invalid=move || ship_to_error.get().is_some().to_string()
                            on:change=move |ev| ship_to.set(event_target_value(&ev).parse().ok())>
                            {ship_tos.is_empty().then(|| view! { <option value="">"No Ship-To Location yet"</option> })}
                            {ship_tos.iter().map(|s| view! {
                                <option value=s.id selected=Some(s.id) == default_ship_to>{format!("{} — {}", s.name, s.address_line())}</option>
                            }).collect_view()}
                        </select>
                        {move || ship_to_error.get().map(|m| view! { <p class="field-message" role="alert">{m}</p> })}
                    </div>
                    <div class="field">
                        <label for="po-number">"Purchase-order number (optional)"</label>
                        <input id="po-number" maxlength="50" prop:value=move || po_number.get()
                            on:input=move |ev| po_number.set(event_target_value(&ev))/>
                        {move || po_error.get().map(|m| view! { <p class="field-message" role="alert">{m}</p> })}
                    </div>
                    <div class="field">
                        <label for="order-note">"Note (optional)"</label>
                        <textarea id="order-note" maxlength="2000" prop:value=move || note.get()
                            on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                        {move || note_error.get().map(|m| view! { <p class="field-message" role="alert">{m}</p> })}
                    </div>
                    <div class="form-actions">
                        <button type="button" class="primary" disabled=move || place.pending().get()
                            on:click=move |_| submit()>
                            {move || if place.pending().get() { "Placing order…" } else { "Place Order" }}
                        </button>
                    </div>
                </section>
            }.into_any()
        } else {
            view! {
                <p class="notice">"You can see the catalog and your orders. To order, ask your supplier to make you a Buyer."</p>
            }.into_any()
        }}
        </div>
    }
}
