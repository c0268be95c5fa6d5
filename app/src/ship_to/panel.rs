//! The customer page's Ship-To Locations tab: the list with the default marked, "Make default",
//! edit and remove, "+ Add Ship-To Location", and "Download Ship-To Locations" (CSV).

use super::api::{ship_to_locations, AddShipTo, MakeDefaultShipTo, RemoveShipTo, UpdateShipTo};
use super::{csv_path, ShipTo};
use crate::domain::ShipToInput;
use crate::error::FieldErrors;
use crate::ui::{
    any_error, error_of, field_errors_of, follow_saves, ErrorNotice, Field, FormNotice, SaveNotice,
};
use leptos::prelude::*;

#[component]
pub fn ShipToPanel(customer_id: i64) -> impl IntoView {
    let add = ServerAction::<AddShipTo>::new();
    let make_default = ServerAction::<MakeDefaultShipTo>::new();
    let remove = ServerAction::<RemoveShipTo>::new();
    let edited = RwSignal::new(0);
    let rows = Resource::new(
        move || {
            (
                add.version().get(),
                make_default.version().get(),
                remove.version().get(),
                edited.get(),
            )
        },
        move |_| ship_to_locations(customer_id),
    );
    let failure = any_error([
        error_of(Signal::from(make_default.value())),
        error_of(Signal::from(remove.value())),
    ]);
    let adding = RwSignal::new(false);
    view! {
        <section aria-labelledby="ship-to-heading">
            <header class="page-header">
                <h2 id="ship-to-heading">"Ship-To Locations"</h2>
                <a class="button" href=csv_path(customer_id) download="">"Download Ship-To Locations"</a>
            </header>
            <FormNotice error=failure/>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) if rows.is_empty() => view! {
                            <p class="empty">"No Ship-To Locations yet. Orders in the portal need at least one."</p>
                        }.into_any(),
                        Ok(rows) => view! { <ShipToTable rows make_default remove edited/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            <Show
                when=move || adding.get()
                fallback=move || view! {
                    <button type="button" class="primary" on:click=move |_| adding.set(true)>"+ Add Ship-To Location"</button>
                }
            >
                <AddShipToForm customer_id add close=Callback::new(move |_| adding.set(false))/>
            </Show>
        </section>
    }
}

#[component]
fn ShipToTable(
    rows: Vec<ShipTo>,
    make_default: ServerAction<MakeDefaultShipTo>,
    remove: ServerAction<RemoveShipTo>,
    edited: RwSignal<i32>,
) -> impl IntoView {
    let editing = RwSignal::new(None::<i64>);
    view! {
        <table class="list">
            <caption class="sr-only">"Ship-To Locations of this customer"</caption>
            <thead><tr>
                <th scope="col">"Name"</th><th scope="col">"Address"</th><th scope="col">"Default"</th>
                <th scope="col"><span class="sr-only">"Actions"</span></th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|row| {
                    let id = row.id;
                    let name = row.name.clone();
                    let ship_to = row.clone();
                    view! {
                        <tr>
                            <td>{row.name.clone()}</td>
                            <td>{row.address_line()}</td>
                            <td>
                                {if row.is_default {
                                    view! { <span class="badge">"Default"</span> }.into_any()
                                } else {
                                    view! {
                                        <button type="button" aria-label=format!("Make {name} the default")
                                            on:click=move |_| { make_default.dispatch(MakeDefaultShipTo { id }); }>
                                            "Make default"
                                        </button>
                                    }.into_any()
                                }}
                            </td>
                            <td>
                                <button type="button" aria-label=format!("Edit {name}") on:click=move |_| editing.set(Some(id))>"Edit"</button>
                                " "
                                <button type="button" class="danger" aria-label=format!("Remove {name}")
                                    on:click=move |_| { remove.dispatch(RemoveShipTo { id }); }>"Remove"</button>
                            </td>
                        </tr>
                        {move || (editing.get() == Some(id)).then(|| view! {
                            <tr class="editing"><td colspan="4">
                                <ShipToEditor ship_to=ship_to.clone() close=Callback::new(move |saved: bool| {
                                    editing.set(None);
                                    if saved { edited.update(|n| *n += 1); }
                                })/>
                            </td></tr>
                        })}
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The fields, named `ship_to[…]`; ids start with `prefix` so two forms can share a page.
#[component]
fn ShipToFields(
    values: ShipToInput,
    prefix: &'static str,
    errors: Signal<Option<FieldErrors>>,
) -> impl IntoView {
    let check = ShipToInput::check_field;
    view! {
        <div class="form-grid">
            <Field label="Name" field="name" group="ship_to" id_prefix=prefix value=values.name required=true
                hint="What the customer calls it, e.g. “Main warehouse”." errors check/>
            <Field label="Street" field="street" group="ship_to" id_prefix=prefix value=values.street required=true errors check/>
            <Field label="City" field="city" group="ship_to" id_prefix=prefix value=values.city required=true errors check/>
            <Field label="Region / State" field="region" group="ship_to" id_prefix=prefix value=values.region errors check/>
            <Field label="Postal code" field="postal_code" group="ship_to" id_prefix=prefix value=values.postal_code required=true errors check/>
            <Field label="Country" field="country" group="ship_to" id_prefix=prefix value=values.country required=true errors check/>
        </div>
    }
}

#[component]
fn AddShipToForm(customer_id: i64, add: ServerAction<AddShipTo>, close: Callback<()>) -> impl IntoView {
    let value = Signal::from(add.value());
    let opened_at = add.version().get_untracked();
    Effect::new(move |_| {
        if add.version().get() > opened_at && matches!(value.get(), Some(Ok(_))) {
            close.run(());
        }
    });
    view! {
        <ActionForm action=add attr:class="card" attr:aria-label="New Ship-To Location">
            <FormNotice error=Signal::derive(move || error_of(value).get().filter(|e| e.field_errors().is_none()))/>
            <input type="hidden" name="customer_id" value=customer_id/>
            <ShipToFields values=ShipToInput::default() prefix="new-" errors=field_errors_of(value)/>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || add.pending().get()>"Save Ship-To Location"</button>
                <button type="button" on:click=move |_| close.run(())>"Cancel"</button>
            </div>
        </ActionForm>
    }
}

/// Edits one Ship-To Location with an action of its own; `close` is told whether it saved.
#[component]
fn ShipToEditor(ship_to: ShipTo, close: Callback<bool>) -> impl IntoView {
    let update = ServerAction::<UpdateShipTo>::new();
    let current = RwSignal::new(ship_to);
    let value = Signal::from(update.value());
    let outcome = follow_saves(value, current);
    Effect::new(move |_| {
        if outcome.get() == Some(true) {
            close.run(true);
        }
    });
    view! {
        <SaveNotice saved=outcome what="this Ship-To Location"/>
        {move || {
            let ship_to = current.get();
            let label = format!("Edit {}", ship_to.name);
            view! {
                <ActionForm action=update attr:class="card" attr:aria-label=label>
                    <FormNotice error=Signal::derive(move || error_of(value).get().filter(|e| e.field_errors().is_none()))/>
                    <input type="hidden" name="id" value=ship_to.id/>
                    <input type="hidden" name="version" value=ship_to.version/>
                    <ShipToFields values=ship_to.to_input() prefix="edit-" errors=field_errors_of(value)/>
                    <div class="form-actions">
                        <button type="submit" class="primary" disabled=move || update.pending().get()>"Save"</button>
                        <button type="button" on:click=move |_| close.run(false)>"Cancel"</button>
                    </div>
                </ActionForm>
            }
        }}
    }
}
