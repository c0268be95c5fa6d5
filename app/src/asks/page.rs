//! `/shared/ask`: "Ask for a document", for a contact signed in to the portal or the Document
//! Retrieval Site. `?customer=` preselects one of their customers.

use super::api::{document_ask_options, AskForDocument};
use super::{AskCustomer, AskOptions};
use crate::error::AppError;
use crate::ui::{date_time, error_of, ErrorNotice, FormNotice};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AskPage() -> impl IntoView {
    let query = use_query_map();
    let preselected = move || query.with(|q| q.get("customer").and_then(|c| c.parse::<i64>().ok()));
    let ask = ServerAction::<AskForDocument>::new();
    // Reloaded after a request is stored, not when one is refused: the form keeps its choices.
    let asked = crate::ui::successes(Signal::from(ask.value()));
    let options = Resource::new(move || asked.get(), |_| document_ask_options());
    view! {
        <crate::retrieval::SiteFrame>
            <p><a href="/shared">"‹ Shared documents"</a></p>
            <h1>"Ask for a document"</h1>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match options.await {
                        Ok(options) if options.customers.is_empty() => view! {
                            <p class="empty">"You are not a contact of any active customer."</p>
                        }.into_any(),
                        Ok(options) => view! { <AskForm options preselected=preselected() ask/> }.into_any(),
                        Err(AppError::Unauthorized) => view! {
                            <p>"Please "<a href="/shared">"sign in"</a>" first."</p>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </crate::retrieval::SiteFrame>
    }
}

#[component]
fn AskForm(
    options: AskOptions,
    preselected: Option<i64>,
    ask: ServerAction<AskForDocument>,
) -> impl IntoView {
    let AskOptions { customers, types } = options;
    let first = preselected
        .filter(|id| customers.iter().any(|c| c.id == *id))
        .unwrap_or(customers[0].id);
    let customer_id = RwSignal::new(first);
    let listing = RwSignal::new(String::new());
    let type_id = RwSignal::new(None::<i64>);
    let answer = Signal::from(ask.value());
    let message = move |field: &'static str| {
        move || match answer.get() {
            Some(Err(AppError::Invalid(errors))) => errors.get(field).map(str::to_string),
            _ => None,
        }
    };
    let customers = StoredValue::new(customers);
    let types = StoredValue::new(types);
    let chosen = move || customers.with_value(|all| all.iter().find(|c| c.id == customer_id.get()).cloned());
    // The kind of the chosen location or item decides which document types are offered.
    let level = move || listing.with(|l| l.split_once(':').map(|(level, _)| level.to_string()));
    Effect::new(move |_| {
        if let Some(Ok(())) = answer.get() {
            listing.set(String::new());
            type_id.set(None);
        }
    });
    view! {
        <form class="card" aria-label="Ask for a document" on:submit=move |ev| {
            ev.prevent_default();
            ask.dispatch(AskForDocument { customer_id: customer_id.get_untracked(), listing: listing.get_untracked(), type_id: type_id.get_untracked() });
        }>
            <FormNotice error=Signal::derive(move || error_of(answer).get().filter(|e| e.field_errors().is_none()))/>
            {move || matches!(answer.get(), Some(Ok(()))).then(|| view! {
                <p class="notice success" role="status">"Asked. The supplier's staff see your request and send the document when it is ready."</p>
            })}
            {(customers.with_value(Vec::len) > 1).then(|| view! {
                <div class="field">
                    <label for="ask-customer">"For"</label>
                    <select id="ask-customer" on:change=move |ev| {
                        if let Ok(id) = event_target_value(&ev).parse() {
                            customer_id.set(id);
                            listing.set(String::new());
                        }
                    }>
                        {customers.with_value(|all| all.iter().map(|c| view! {
                            <option value=c.id selected=c.id == first>{c.name.clone()}</option>
                        }).collect_view())}
                    </select>
                </div>
            })}
            <div class="field">
                <label for="ask-listing" class="required">"Location or item"</label>
                <select id="ask-listing" aria-required="true" aria-describedby="ask-listing-message"
                    prop:value=move || listing.get() on:change=move |ev| { listing.set(event_target_value(&ev)); type_id.set(None); }>
                    <option value="">"Choose…"</option>
                    {move || chosen().map(|c| c.listings.into_iter().map(|l| {
                        let value = format!("{}:{}", l.level.key(), l.id);
                        view! { <option value=value>{format!("{} ({})", l.name, l.level)}</option> }
                    }).collect_view())}
                </select>
                <p class="field-message" id="ask-listing-message" aria-live="polite">{message("listing")}</p>
            </div>
            <div class="field">
                <label for="ask-type" class="required">"Document"</label>
                <select id="ask-type" aria-required="true" aria-describedby="ask-type-message"
                    on:change=move |ev| type_id.set(event_target_value(&ev).parse().ok())>
                    <option value="" selected=move || type_id.get().is_none()>"Choose…"</option>
                    {move || {
                        let level = level();
                        types.with_value(|all| all.iter()
                            .filter(|t| level.as_deref().is_none_or(|l| l == t.level.key()))
                            .map(|t| view! { <option value=t.id>{t.name.clone()}</option> })
                            .collect_view())
                    }}
                </select>
                <p class="field-message" id="ask-type-message" aria-live="polite">{message("type")}</p>
            </div>
            <button type="submit" class="primary" disabled=move || ask.pending().get()>"Ask for it"</button>
        </form>
        {move || chosen().map(|c: AskCustomer| view! {
            <h2>{format!("Asked for {}", c.name)}</h2>
            {if c.asked.is_empty() {
                view! { <p class="empty">"Nothing asked yet."</p> }.into_any()
            } else {
                view! {
                    <table class="list">
                        <thead><tr><th scope="col">"Document"</th><th scope="col">"For"</th><th scope="col">"Asked"</th><th scope="col">"Status"</th></tr></thead>
                        <tbody>
                            {c.asked.into_iter().map(|a| view! {
                                <tr>
                                    <td>{a.type_name}</td>
                                    <td>{a.listing_name}</td>
                                    <td>{format!("{} by {}", date_time(a.created_at), a.requested_by_name)}</td>
                                    <td>{match a.status.as_str() { "sent" => "Sent", "cancelled" => "Cancelled", _ => "Requested" }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        })}
    }
}
