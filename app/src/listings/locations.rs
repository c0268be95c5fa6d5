//! Listings > Locations: the list, a new location, a location's page with its documents.

use super::api::{get_location, list_locations, CreateLocation, DeleteLocation, UpdateLocation};
use super::parts::{use_list_query, DeleteButton, ListingSearch, Pager};
use crate::documents::{DocumentsData, DocumentsPanel};
use crate::domain::{Level, LocationInput};
use crate::error::{AppError, FieldErrors};
use crate::ui::{error_of, field_errors_of, follow_saves, ErrorNotice, Field, FormNotice, SaveNotice};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn LocationsPage() -> impl IntoView {
    let query = use_list_query();
    let page = Resource::new(move || query.get(), |(q, page)| list_locations(q, page));
    view! {
        <section class="page">
            <header class="page-header">
                <h1>"Locations"</h1>
                <A href="/listings/locations/new" attr:class="button primary">"+ New Location"</A>
            </header>
            <p class="muted">"Your production sites. Their documents (audits, HACCP plans) are shared with the customers who source from them."</p>
            <ListingSearch label="Search locations" action="/listings/locations" words=query.get_untracked().0/>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) if page.total == 0 => view! {
                            <p class="empty">"No locations match. Add one with “+ New Location”."</p>
                        }.into_any(),
                        Ok(page) => view! {
                            <table class="list">
                                <thead><tr>
                                    <th scope="col">"Name"</th><th scope="col">"Internal code"</th>
                                    <th scope="col">"City"</th><th scope="col">"Country"</th>
                                    <th scope="col">"Documents"</th>
                                </tr></thead>
                                <tbody>
                                    {page.rows.iter().map(|row| view! {
                                        <tr>
                                            <td><a href=format!("/listings/locations/{}", row.id)>{row.name.clone()}</a></td>
                                            <td>{row.code.clone()}</td>
                                            <td>{row.city.clone()}</td>
                                            <td>{row.country.clone()}</td>
                                            <td>{row.documents}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <Pager page words=query.get_untracked().0 noun="locations"/>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The location's fields, named `location[…]`.
#[component]
fn LocationFields(values: LocationInput, #[prop(into)] errors: Signal<Option<FieldErrors>>) -> impl IntoView {
    let check = LocationInput::check_field;
    view! {
        <fieldset class="form-grid">
            <legend>"Location"</legend>
            <Field label="Location name" field="name" group="location" value=values.name required=true errors check/>
            <Field label="Internal code" field="code" group="location" value=values.code
                hint="Optional. Your own code for the site; no two locations share one." errors check/>
            <Field label="Street" field="street" group="location" value=values.street required=true errors check/>
            <Field label="City" field="city" group="location" value=values.city required=true errors check/>
            <Field label="Region / State" field="region" group="location" value=values.region errors check/>
            <Field label="Postal code" field="postal_code" group="location" value=values.postal_code required=true errors check/>
            <Field label="Country" field="country" group="location" value=values.country required=true errors check/>
        </fieldset>
    }
}

#[component]
pub fn NewLocationPage() -> impl IntoView {
    let action = ServerAction::<CreateLocation>::new();
    let value = Signal::from(action.value());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = action.value().get() {
            navigate(&format!("/listings/locations/{id}"), Default::default());
        }
    });
    view! {
        <section class="page">
            <p class="crumbs"><A href="/listings/locations">"Locations"</A>" › New Location"</p>
            <h1>"New Location"</h1>
            <ActionForm action attr:class="card" attr:aria-label="New location">
                <FormNotice error=error_of(value)/>
                <LocationFields values=LocationInput::default() errors=field_errors_of(value)/>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || action.pending().get()>"Save Location"</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn LocationPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let location = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_location(id).await,
            None => Err(AppError::NotFound("This location".into())),
        }
    });
    let documents = DocumentsData::new(Level::Location, Signal::derive(id));
    view! {
        <section class="page">
            <p class="crumbs"><A href="/listings/locations">"Locations"</A></p>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match location.await {
                        Ok(location) => {
                            let id = location.id;
                            view! {
                                <LocationEditor location/>
                                <DocumentsPanel data=documents/>
                                <DeleteLocationButton id/>
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
fn LocationEditor(location: super::Location) -> impl IntoView {
    let id = location.id;
    let current = RwSignal::new(location);
    let action = ServerAction::<UpdateLocation>::new();
    let value = Signal::from(action.value());
    let outcome = follow_saves(Signal::from(action.value()), current);
    view! {
        <h1>{move || current.with(|l| l.name.clone())}</h1>
        <SaveNotice saved=outcome what="this location"/>
        <ActionForm action attr:class="card" attr:aria-label="Edit location">
            <FormNotice error=error_of(value)/>
            <input type="hidden" name="id" value=id/>
            {move || {
                let location = current.get();
                view! {
                    <input type="hidden" name="version" value=location.version/>
                    <LocationFields values=location.to_input() errors=field_errors_of(value)/>
                }
            }}
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Save"</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn DeleteLocationButton(id: i64) -> impl IntoView {
    let action = ServerAction::<DeleteLocation>::new();
    view! {
        <DeleteButton
            label="Delete location"
            question="Delete this location for good? This cannot be undone."
            on_confirm=Callback::new(move |_| { action.dispatch(DeleteLocation { id }); })
            result=Signal::from(action.value())
            back="/listings/locations"
        />
    }
}
