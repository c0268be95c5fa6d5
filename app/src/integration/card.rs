//! The customer page's Integration card: the status with "Activate" and "Send back", the requests,
//! "Add Customer Account#", "Configure Inventory Availability" and "Copy Price List Email".

use super::api::{
    integration_of_customer, inventory_of_customer, ActivateIntegration, PriceListEmail, SendBackIntegration,
    SetAccountNumber, SetInventory,
};
use super::{CustomerIntegration, IntegrationStatus, InventoryChoice, Transaction};
use crate::ui::{any_error, date_time, error_of, field_errors_of, successes, ErrorNotice, Field, FormNotice};
use leptos::prelude::*;
use std::collections::BTreeSet;

#[component]
pub fn IntegrationCard(customer_id: i64) -> impl IntoView {
    let activate = ServerAction::<ActivateIntegration>::new();
    let send_back = ServerAction::<SendBackIntegration>::new();
    let account = ServerAction::<SetAccountNumber>::new();
    let inventory = ServerAction::<SetInventory>::new();
    let changes = [
        successes(Signal::from(activate.value())),
        successes(Signal::from(send_back.value())),
        successes(Signal::from(account.value())),
        successes(Signal::from(inventory.value())),
    ];
    let data = Resource::new(
        move || changes.map(|c| c.get()),
        move |_| integration_of_customer(customer_id),
    );
    let failure = any_error([
        error_of(Signal::from(activate.value())),
        error_of(Signal::from(send_back.value())),
        error_of(Signal::from(inventory.value())),
    ]);
    view! {
        <section class="card" aria-labelledby="integration-heading">
            <h2 id="integration-heading">"Integration"</h2>
            <FormNotice error=failure/>
            {move || matches!(inventory.value().get(), Some(Ok(()))).then(|| view! {
                <p class="notice success" role="status">"Inventory availability saved."</p>
            })}
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! {
                            <StatusPart customer_id data=data.clone() activate send_back/>
                            <AccountNumberPart customer_id data=data.clone() account/>
                            <InventoryPart customer_id data inventory/>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            <PriceListEmailPart customer_id/>
        </section>
    }
}

#[component]
fn StatusPart(
    customer_id: i64,
    data: CustomerIntegration,
    activate: ServerAction<ActivateIntegration>,
    send_back: ServerAction<SendBackIntegration>,
) -> impl IntoView {
    let status = data.status;
    let returned = Signal::from(send_back.value());
    let open = data.requests.iter().find(|r| r.status == "open").cloned();
    view! {
        <p>
            "Integration Status: "
            <span class=format!("badge status-{}", status.key().replace('_', "-")) data-testid="integration-status">{status.label()}</span>
        </p>
        {open.map(|r| view! {
            <p class="notice">
                {format!(
                    "{} requested integration on {} for {}, with {} as salesperson.",
                    r.requested_by_name, date_time(r.created_at), Transaction::labels(&r.transactions), r.salesperson_name
                )}
            </p>
        })}
        {(status != IntegrationStatus::Active).then(|| view! {
            <button type="button" class="primary" disabled=move || activate.pending().get()
                on:click=move |_| { activate.dispatch(ActivateIntegration { customer_id }); }>"Activate integration"</button>
        })}
        {(status != IntegrationStatus::NotRequested).then(|| view! {
            <details class="inline-form">
                <summary class="button">"Send back to Not Requested"</summary>
                <ActionForm action=send_back attr:aria-label="Send integration back">
                    <input type="hidden" name="customer_id" value=customer_id/>
                    <Field label="Reason" field="reason" multiline=true required=true errors=field_errors_of(returned)
                        hint="Saved with the request, and shown in the Activity log."/>
                    <button type="submit" disabled=move || send_back.pending().get()>"Send back"</button>
                </ActionForm>
            </details>
        })}
        {(!data.requests.is_empty()).then(|| view! {
            <details>
                <summary>{format!("Requests ({})", data.requests.len())}</summary>
                <ul>
                    {data.requests.iter().map(|r| {
                        let outcome = match (r.status.as_str(), &r.reason) {
                            ("activated", _) => "activated".to_string(),
                            ("returned", Some(reason)) => format!("sent back: {reason}"),
                            ("returned", None) => "sent back".to_string(),
                            _ => "open".to_string(),
                        };
                        view! {
                            <li>{format!("{} · {} · {} · {}", date_time(r.created_at), r.requested_by_name, Transaction::labels(&r.transactions), outcome)}</li>
                        }
                    }).collect_view()}
                </ul>
            </details>
        })}
    }
}

/// "Add Customer Account#": the account number integration uses.
#[component]
fn AccountNumberPart(
    customer_id: i64,
    data: CustomerIntegration,
    account: ServerAction<SetAccountNumber>,
) -> impl IntoView {
    let saved = Signal::from(account.value());
    let label = if data.account_number.is_some() {
        "Customer Account#"
    } else {
        "Add Customer Account#"
    };
    view! {
        <ActionForm action=account attr:class="inline-form" attr:aria-label="Customer Account#">
            <input type="hidden" name="customer_id" value=customer_id/>
            <input type="hidden" name="version" value=data.version/>
            <FormNotice error=Signal::derive(move || error_of(saved).get().filter(|e| e.field_errors().is_none()))/>
            <Field label=label field="account_number" id_prefix="integration-" errors=field_errors_of(saved)
                value=data.account_number.clone().unwrap_or_default()
                hint="The customer's number in your ERP, used to match integrated orders and invoices."/>
            <button type="submit" disabled=move || account.pending().get()>"Save account number"</button>
            {move || matches!(saved.get(), Some(Ok(()))).then(|| view! { <p class="notice success" role="status">"Account number saved."</p> })}
        </ActionForm>
    }
}

/// "Configure Inventory Availability": which supplier locations' inventory the portal shows. The
/// locations load when it is opened.
#[component]
fn InventoryPart(
    customer_id: i64,
    data: CustomerIntegration,
    inventory: ServerAction<SetInventory>,
) -> impl IntoView {
    let load = Action::new(move |_: &()| inventory_of_customer(customer_id));
    let scope = match (data.inventory_limited, data.ticked_locations) {
        (false, _) => "all locations".to_string(),
        (true, 1) => "1 location".to_string(),
        (true, n) => format!("{n} locations"),
    };
    view! {
        <p class="muted">{format!("The portal shows the inventory of {scope}.")}</p>
        <details on:toggle=move |_| {
            if load.value().get_untracked().is_none() && !load.pending().get_untracked() {
                load.dispatch(());
            }
        }>
            <summary class="button">"Configure Inventory Availability"</summary>
            {move || match load.value().get() {
                None => view! { <p class="muted" role="status">"Loading locations…"</p> }.into_any(),
                Some(Ok(choice)) => view! { <InventoryForm customer_id choice inventory/> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error/> }.into_any(),
            }}
        </details>
    }
}

#[component]
fn InventoryForm(
    customer_id: i64,
    choice: InventoryChoice,
    inventory: ServerAction<SetInventory>,
) -> impl IntoView {
    let limited = RwSignal::new(choice.limited);
    let ticked = RwSignal::new(
        choice
            .locations
            .iter()
            .filter(|l| l.visible && choice.limited)
            .map(|l| l.location_id)
            .collect::<BTreeSet<_>>(),
    );
    view! {
        <fieldset>
            <legend>"Locations whose inventory this customer sees in the portal"</legend>
            <div class="field checkbox">
                <input id="inventory-all" type="radio" name="inventory-scope" prop:checked=move || !limited.get()
                    on:change=move |_| limited.set(false)/>
                <label for="inventory-all">"All locations"</label>
            </div>
            <div class="field checkbox">
                <input id="inventory-some" type="radio" name="inventory-scope" prop:checked=move || limited.get()
                    on:change=move |_| limited.set(true)/>
                <label for="inventory-some">"Only the locations ticked below"</label>
            </div>
            <ul class="group-list">
                {choice.locations.iter().map(|l| {
                    let id = l.location_id;
                    let input_id = format!("inventory-{id}");
                    view! {
                        <li class="field checkbox">
                            <input id=input_id.clone() type="checkbox" disabled=move || !limited.get()
                                prop:checked=move || ticked.with(|t| t.contains(&id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    ticked.update(|t| { if on { t.insert(id); } else { t.remove(&id); } });
                                }/>
                            <label for=input_id>{l.name.clone()}</label>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <button type="button" disabled=move || inventory.pending().get() on:click=move |_| {
                inventory.dispatch(SetInventory {
                    customer_id,
                    limited: limited.get_untracked(),
                    location_ids: ticked.get_untracked().into_iter().collect(),
                });
            }>"Save inventory availability"</button>
        </fieldset>
    }
}

/// "Copy Price List Email": fetches (or makes) the address and puts it on the clipboard.
#[component]
fn PriceListEmailPart(customer_id: i64) -> impl IntoView {
    let fetch = ServerAction::<PriceListEmail>::new();
    Effect::new(move |_| {
        if let Some(Ok(address)) = fetch.value().get() {
            copy_to_clipboard(&address);
        }
    });
    view! {
        <p>
            <button type="button" disabled=move || fetch.pending().get()
                on:click=move |_| { fetch.dispatch(PriceListEmail { customer_id }); }>"Copy Price List Email"</button>
            {move || match fetch.value().get() {
                Some(Ok(address)) => view! {
                    <span role="status">" Copied: "<code data-testid="price-list-email">{address}</code></span>
                }.into_any(),
                Some(Err(error)) => view! { <span class="field-message" role="alert">{format!(" {error}")}</span> }.into_any(),
                None => ().into_any(),
            }}
        </p>
    }
}

fn copy_to_clipboard(text: &str) {
    #[cfg(feature = "hydrate")]
    {
        // The promise is left to settle: the address is on the page either way.
        let _ = window().navigator().clipboard().write_text(text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}
