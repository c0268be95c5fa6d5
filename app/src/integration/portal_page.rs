//! `/portal/c/:customer/integration`: "Request Integration" for a Buyer of the customer.

use super::api::{portal_integration, RequestIntegration};
use super::{IntegrationStatus, Transaction};
use crate::error::AppError;
use crate::ui::{date_time, error_of, ErrorNotice, FormNotice};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use std::collections::BTreeSet;

#[component]
pub fn PortalIntegrationPage() -> impl IntoView {
    let params = use_params_map();
    let customer = Memo::new(move |_| params.with(|p| p.get("customer").and_then(|c| c.parse::<i64>().ok())));
    let request = ServerAction::<RequestIntegration>::new();
    let requested = crate::ui::successes(Signal::from(request.value()));
    let options = Resource::new(
        move || (customer.get(), requested.get()),
        |(id, _)| async move {
            match id {
                Some(id) => portal_integration(id).await,
                None => Err(AppError::NotFound("This customer".into())),
            }
        },
    );
    view! {
        <h1>"Request Integration"</h1>
        <p class="muted">"Exchange orders, invoices, ship notices and price lists with us electronically (EDI)."</p>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (options.await, customer.get_untracked()) {
                    (Ok(options), Some(customer_id)) => match options.status {
                        IntegrationStatus::Active => view! {
                            <p class="notice success" role="status">"Integration is active for this account."</p>
                        }.into_any(),
                        IntegrationStatus::Requested => view! {
                            <p class="notice" role="status">
                                {match options.open_request {
                                    Some(r) => format!(
                                        "Integration was requested on {} by {} ({}). {} will be in touch.",
                                        date_time(r.created_at), r.requested_by_name, Transaction::labels(&r.transactions), r.salesperson_name
                                    ),
                                    None => "Integration was requested. We will be in touch.".into(),
                                }}
                            </p>
                        }.into_any(),
                        IntegrationStatus::NotRequested if !options.may_request => view! {
                            <p class="notice">"Only a Buyer of this account can request integration."</p>
                        }.into_any(),
                        IntegrationStatus::NotRequested => view! {
                            <RequestForm customer_id salespeople=options.salespeople request/>
                        }.into_any(),
                    },
                    (Err(error), _) => view! { <ErrorNotice error/> }.into_any(),
                    (Ok(_), None) => ().into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RequestForm(
    customer_id: i64,
    salespeople: Vec<super::Salesperson>,
    request: ServerAction<RequestIntegration>,
) -> impl IntoView {
    let salesperson = RwSignal::new(None::<i64>);
    let chosen = RwSignal::new(BTreeSet::<&'static str>::new());
    let answer = Signal::from(request.value());
    let message = move |field: &'static str| {
        move || match answer.get() {
            Some(Err(AppError::Invalid(errors))) => errors.get(field).map(str::to_string),
            _ => None,
        }
    };
    view! {
        <form class="card" aria-label="Request Integration" on:submit=move |ev| {
            ev.prevent_default();
            request.dispatch(RequestIntegration {
                customer_id,
                salesperson_id: salesperson.get_untracked(),
                transactions: chosen.get_untracked().into_iter().map(str::to_string).collect(),
            });
        }>
            <FormNotice error=Signal::derive(move || error_of(answer).get().filter(|e| e.field_errors().is_none()))/>
            <div class="field">
                <label for="salesperson" class="required">"Your salesperson"</label>
                <select id="salesperson" aria-required="true" aria-describedby="salesperson-message"
                    on:change=move |ev| salesperson.set(event_target_value(&ev).parse().ok())>
                    <option value="">"Choose…"</option>
                    {salespeople.into_iter().map(|s| view! { <option value=s.id>{s.name}</option> }).collect_view()}
                </select>
                <p class="field-message" id="salesperson-message" aria-live="polite">{message("salesperson")}</p>
            </div>
            <fieldset aria-describedby="transactions-message">
                <legend>"Transactions"</legend>
                {Transaction::ALL.into_iter().map(|t| {
                    let id = format!("transaction-{}", t.key());
                    view! {
                        <div class="field checkbox">
                            <input id=id.clone() type="checkbox" on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| { if on { c.insert(t.key()); } else { c.remove(t.key()); } });
                            }/>
                            <label for=id>{t.label()}</label>
                        </div>
                    }
                }).collect_view()}
                <p class="field-message" id="transactions-message" aria-live="polite">{message("transactions")}</p>
            </fieldset>
            <button type="submit" class="primary" disabled=move || request.pending().get()>"Request Integration"</button>
        </form>
    }
}
