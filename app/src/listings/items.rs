//! Listings > Items: the list, a new item, an item's page with its documents.

use super::api::{all_locations, get_item, list_items, CreateItem, DeleteItem, UpdateItem};
use super::parts::{use_list_query, DeleteButton, ListingSearch, Pager};
use super::Item;
use crate::documents::{DocumentsData, DocumentsPanel};
use crate::domain::{ItemInput, Level};
use crate::error::{AppError, FieldErrors};
use crate::ui::{error_of, field_errors_of, follow_saves, ErrorNotice, Field, FormNotice, SaveNotice};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn ItemsPage() -> impl IntoView {
    let query = use_list_query();
    let page = Resource::new(move || query.get(), |(q, page)| list_items(q, page));
    view! {
        <section class="page">
            <header class="page-header">
                <h1>"Items"</h1>
                <A href="/listings/items/new" attr:class="button primary">"+ New Item"</A>
            </header>
            <ListingSearch label="Search items by SKU or name" action="/listings/items" words=query.get_untracked().0/>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) if page.total == 0 => view! {
                            <p class="empty">"No items match. Add one with “+ New Item”."</p>
                        }.into_any(),
                        Ok(page) => view! {
                            <table class="list">
                                <thead><tr>
                                    <th scope="col">"SKU"</th><th scope="col">"Name"</th>
                                    <th scope="col" class="number">"Unit price"</th><th scope="col">"Status"</th>
                                    <th scope="col" class="number">"Locations"</th>
                                </tr></thead>
                                <tbody>
                                    {page.rows.iter().map(|row| view! {
                                        <tr>
                                            <td>{row.sku.clone()}</td>
                                            <td><a href=format!("/listings/items/{}", row.id)>{row.name.clone()}</a></td>
                                            <td class="number">{row.unit_price.to_string()}</td>
                                            <td>{if row.active { "Active" } else { "Inactive" }}</td>
                                            <td class="number">{row.locations}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <Pager page words=query.get_untracked().0 noun="items"/>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The item's fields (`item[…]`), its active flag and the locations producing it.
#[component]
fn ItemFields(
    values: ItemInput,
    active: bool,
    location_ids: Vec<i64>,
    /// Every location, to choose from; loaded by the page (see `DocumentsData` on why).
    locations: Resource<Result<Vec<(i64, String)>, AppError>>,
    #[prop(into)] errors: Signal<Option<FieldErrors>>,
) -> impl IntoView {
    let check = ItemInput::check_field;
    let chosen = RwSignal::new(location_ids);
    let joined = move || chosen.with(|ids| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
    let location_error = move || {
        errors
            .get()
            .and_then(|e| e.get("location_ids").map(str::to_string))
    };
    view! {
        <fieldset class="form-grid">
            <legend>"Item"</legend>
            <Field label="SKU" field="sku" group="item" value=values.sku required=true
                hint="Your stock keeping unit; no two items share one." errors check/>
            <Field label="Item name" field="name" group="item" value=values.name required=true errors check/>
            <Field label="Unit price" field="unit_price" group="item" value=values.unit_price required=true
                hint="For example 18.90" errors check/>
            <Field label="Description" field="description" group="item" value=values.description multiline=true errors check/>
            <div class="field checkbox">
                <input id="active" type="checkbox" name="active" value="on" checked=active/>
                <label for="active">"Active (offered to customers)"</label>
            </div>
        </fieldset>
        <fieldset class="choices" aria-describedby="location_ids-message">
            <legend>"Produced at"</legend>
            <input type="hidden" name="location_ids" prop:value=joined value=joined/>
            <Suspense fallback=|| view! { <p class="muted">"Loading locations…"</p> }>
                {move || Suspend::new(async move {
                    match locations.await {
                        Ok(all) if all.is_empty() => view! {
                            <p class="muted">"No locations yet. "<A href="/listings/locations/new">"Add a location"</A>" first to say where this item is produced."</p>
                        }.into_any(),
                        Ok(all) => all.into_iter().map(|(id, name)| {
                            let input_id = format!("location-{id}");
                            view! {
                                <div class="field checkbox">
                                    <input id=input_id.clone() type="checkbox"
                                        prop:checked=move || chosen.with(|c| c.contains(&id))
                                        checked=chosen.with_untracked(|c| c.contains(&id))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            chosen.update(|c| {
                                                c.retain(|x| *x != id);
                                                if on { c.push(id); }
                                            });
                                        }/>
                                    <label for=input_id>{name}</label>
                                </div>
                            }
                        }).collect_view().into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
            <p class="field-message" id="location_ids-message" aria-live="polite">{location_error}</p>
        </fieldset>
    }
}

#[component]
pub fn NewItemPage() -> impl IntoView {
    let action = ServerAction::<CreateItem>::new();
    let value = Signal::from(action.value());
    let locations = Resource::new(|| (), |_| all_locations());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = action.value().get() {
            navigate(&format!("/listings/items/{id}"), Default::default());
        }
    });
    view! {
        <section class="page">
            <p class="crumbs"><A href="/listings/items">"Items"</A>" › New Item"</p>
            <h1>"New Item"</h1>
            <ActionForm action attr:class="card" attr:aria-label="New item">
                <FormNotice error=error_of(value)/>
                <ItemFields values=ItemInput::default() active=true location_ids=vec![] locations errors=field_errors_of(value)/>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || action.pending().get()>"Save Item"</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ItemPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let item = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_item(id).await,
            None => Err(AppError::NotFound("This item".into())),
        }
    });
    let documents = DocumentsData::new(Level::Item, Signal::derive(id));
    let locations = Resource::new(|| (), |_| all_locations());
    view! {
        <section class="page">
            <p class="crumbs"><A href="/listings/items">"Items"</A></p>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match item.await {
                        Ok(item) => {
                            let id = item.id;
                            view! {
                                <ItemEditor item locations/>
                                <DocumentsPanel data=documents/>
                                <DeleteItemButton id/>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ItemEditor(item: Item, locations: Resource<Result<Vec<(i64, String)>, AppError>>) -> impl IntoView {
    let id = item.id;
    let current = RwSignal::new(item);
    let action = ServerAction::<UpdateItem>::new();
    let value = Signal::from(action.value());
    let outcome = follow_saves(Signal::from(action.value()), current);
    view! {
        <h1>{move || current.with(|i| format!("{} · {}", i.name, i.sku))}</h1>
        <SaveNotice saved=outcome what="this item"/>
        <ActionForm action attr:class="card" attr:aria-label="Edit item">
            <FormNotice error=error_of(value)/>
            <input type="hidden" name="id" value=id/>
            {move || {
                let item = current.get();
                view! {
                    <input type="hidden" name="version" value=item.version/>
                    <ItemFields values=item.to_input() active=item.active location_ids=item.location_ids locations errors=field_errors_of(value)/>
                }
            }}
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Save"</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn DeleteItemButton(id: i64) -> impl IntoView {
    let action = ServerAction::<DeleteItem>::new();
    view! {
        <DeleteButton
            label="Delete item"
            question="Delete this item for good? This cannot be undone."
            on_confirm=Callback::new(move |_| { action.dispatch(DeleteItem { id }); })
            result=Signal::from(action.value())
            back="/listings/items"
        />
    }
}
