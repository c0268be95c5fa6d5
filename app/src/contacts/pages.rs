//! The Contacts page (every contact, searchable by name, email or customer), a new contact, and a
//! contact's page: its details and the customers it belongs to, with role and Documents Contact.

use super::api::{
    get_contact, list_contacts, AssignContact, CreateLoneContact, RemoveContact, SetContactRole,
    SetDocumentsContact,
};
use super::panel::{ContactEditor, ContactFields, RoleSelect};
use super::{Assignment, Position};
use crate::customers::{api::list_customers, CustomerSummary, ListQuery};
use crate::domain::ContactInput;
use crate::error::AppError;
use crate::listings::parts::ListingSearch;
use crate::paging::KeysetPager;
use crate::ui::{any_error, error_of, field_errors_of, ErrorNotice, FormNotice};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

#[component]
pub fn ContactsPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| {
            let words: String = p.get("q").unwrap_or_default().trim().chars().take(200).collect();
            (words, Position::from_params(|k| p.get(k)))
        })
    });
    let page = Resource::new(
        move || query.get(),
        |(q, position)| {
            let (after, before, last) = position.to_args();
            list_contacts(q, after, before, last)
        },
    );
    view! {
        <section class="page">
            <header class="page-header">
                <h1>"Contacts"</h1>
                <div class="actions">
                    <a href="/contacts/import-template.xlsx" class="button" download>"Get Excel template"</a>
                    <A href="/contacts/import" attr:class="button">"Upload Contacts"</A>
                    <A href="/contacts/new" attr:class="button primary">"+ New Contact"</A>
                </div>
            </header>
            <p class="muted">"The people who work for your customers. One person can belong to several customers."</p>
            <ListingSearch label="Search contacts (name, email or customer)" action="/contacts" words=query.get_untracked().0/>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) if page.rows.is_empty() => view! {
                            <p class="empty">"No contacts match."</p>
                        }.into_any(),
                        Ok(page) => {
                            let q = query.get_untracked().0;
                            let keep = if q.is_empty() { String::new() } else { format!("q={}", crate::ui::url_encode(&q)) };
                            let first = page.rows.first().map(|r| r.contact.id);
                            let last = page.rows.last().map(|r| r.contact.id);
                            view! {
                                <table class="list">
                                    <thead><tr>
                                        <th scope="col">"Name"</th><th scope="col">"Email"</th>
                                        <th scope="col">"Phone"</th><th scope="col">"Customers"</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.rows.iter().map(|row| view! {
                                            <tr>
                                                <td><a href=format!("/contacts/{}", row.contact.id)>{row.contact.full_name()}</a></td>
                                                <td>{row.contact.email.clone()}</td>
                                                <td>{row.contact.phone.clone().unwrap_or_default()}</td>
                                                <td>{row.customers.join(", ")}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <KeysetPager path="/contacts" keep=keep first last
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

#[component]
pub fn NewContactPage() -> impl IntoView {
    let action = ServerAction::<CreateLoneContact>::new();
    let value = Signal::from(action.value());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = action.value().get() {
            navigate(&format!("/contacts/{id}"), Default::default());
        }
    });
    view! {
        <section class="page">
            <p class="crumbs"><A href="/contacts">"Contacts"</A>" › New Contact"</p>
            <h1>"New Contact"</h1>
            <ActionForm action attr:class="card" attr:aria-label="New contact">
                <FormNotice error=Signal::derive(move || error_of(value).get().filter(|e| e.field_errors().is_none()))/>
                <ContactFields values=ContactInput::default() prefix="" errors=field_errors_of(value)/>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || action.pending().get()>"Save Contact"</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ContactPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let assign = ServerAction::<AssignContact>::new();
    let remove = ServerAction::<RemoveContact>::new();
    let toggle = ServerAction::<SetDocumentsContact>::new();
    let role = ServerAction::<SetContactRole>::new();
    let edited = RwSignal::new(0);
    let contact = Resource::new(
        move || {
            (
                id.get(),
                assign.version().get(),
                remove.version().get(),
                toggle.version().get(),
                role.version().get(),
                edited.get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => get_contact(id).await,
                None => Err(AppError::NotFound("This contact".into())),
            }
        },
    );
    let failure = any_error([
        error_of(Signal::from(assign.value())),
        error_of(Signal::from(remove.value())),
        error_of(Signal::from(toggle.value())),
        error_of(Signal::from(role.value())),
    ]);
    let editing = RwSignal::new(false);
    // The customer search is made here, outside the Suspense: a resource made inside one after it
    // waited runs without the request's context on the server, and the words typed survive a reload
    // of the contact.
    let q = RwSignal::new(String::new());
    let found = Resource::new(
        move || q.get(),
        |q| async move {
            if q.trim().is_empty() {
                return Ok(Vec::new());
            }
            let query = ListQuery {
                q,
                ..Default::default()
            };
            list_customers(query).await.map(|page| page.rows)
        },
    );
    view! {
        <section class="page">
            <p class="crumbs"><A href="/contacts">"Contacts"</A></p>
            <FormNotice error=failure/>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match contact.await {
                        Ok((contact, assignments)) => {
                            let contact_id = contact.id;
                            view! {
                                <h1>{contact.full_name()}</h1>
                                <p class="muted">{contact.email.clone()}{contact.phone.clone().map(|p| format!(" · {p}"))}</p>
                                <Show
                                    when=move || editing.get()
                                    fallback=move || view! {
                                        <button type="button" on:click=move |_| editing.set(true)>"Edit contact"</button>
                                    }
                                >
                                    <ContactEditor contact=contact.clone() close=Callback::new(move |saved: bool| {
                                        editing.set(false);
                                        if saved { edited.update(|n| *n += 1); }
                                    })/>
                                </Show>
                                <h2>"Customers"</h2>
                                <AssignmentTable contact_id assignments remove toggle role/>
                                <AssignToCustomer contact_id assign q found/>
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
fn AssignmentTable(
    contact_id: i64,
    assignments: Vec<Assignment>,
    remove: ServerAction<RemoveContact>,
    toggle: ServerAction<SetDocumentsContact>,
    role: ServerAction<SetContactRole>,
) -> impl IntoView {
    if assignments.is_empty() {
        return view! { <p class="empty">"This contact belongs to no customer yet. Assign one below."</p> }
            .into_any();
    }
    view! {
        <table class="list">
            <caption class="sr-only">"Customers of this contact"</caption>
            <thead><tr>
                <th scope="col">"Customer"</th><th scope="col">"Account number"</th><th scope="col">"Portal"</th>
                <th scope="col">"Role"</th><th scope="col">"Documents Contact"</th>
                <th scope="col"><span class="sr-only">"Actions"</span></th>
            </tr></thead>
            <tbody>
                {assignments.into_iter().map(|a| {
                    let customer_id = a.customer_id;
                    let name = a.customer_name.clone();
                    view! {
                        <tr>
                            <td><a href=format!("/customers/{customer_id}?tab=contacts")>{name.clone()}</a></td>
                            <td>{a.account_number.clone().unwrap_or_default()}</td>
                            <td>{if a.portal_enabled { "On" } else { "Off" }}</td>
                            <td>
                                <RoleSelect current=a.role label=format!("Role at {name}") on_change=Callback::new(move |value: String| {
                                    role.dispatch(SetContactRole { customer_id, contact_id, role: value });
                                })/>
                            </td>
                            <td>
                                <input type="checkbox" checked=a.documents_contact
                                    aria-label=format!("Documents Contact at {name}")
                                    on:change=move |ev| {
                                        toggle.dispatch(SetDocumentsContact { customer_id, contact_id, on: event_target_checked(&ev) });
                                    }/>
                            </td>
                            <td>
                                <button type="button" class="danger" aria-label=format!("Remove from {name}")
                                    on:click=move |_| { remove.dispatch(RemoveContact { customer_id, contact_id }); }>
                                    "Remove"
                                </button>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Search customers by name or account number and assign the contact to one.
#[component]
fn AssignToCustomer(
    contact_id: i64,
    assign: ServerAction<AssignContact>,
    q: RwSignal<String>,
    found: Resource<Result<Vec<CustomerSummary>, AppError>>,
) -> impl IntoView {
    view! {
        <div class="card" role="region" aria-label="Assign to a customer">
            <div class="field">
                <label for="customer-search">"Assign to a customer"</label>
                <input id="customer-search" type="search" placeholder="Customer name or account number" autocomplete="off"
                    prop:value=move || q.get() on:input=move |ev| q.set(event_target_value(&ev))/>
            </div>
            <Transition>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(rows) if rows.is_empty() && !q.get_untracked().trim().is_empty() => view! {
                            <p class="muted" role="status">"No customer matches."</p>
                        }.into_any(),
                        Ok(rows) => view! {
                            <ul class="search-results">
                                {rows.into_iter().take(10).map(|c| {
                                    let customer_id = c.id;
                                    let label = match &c.account_number {
                                        Some(number) => format!("{} ({number})", c.name),
                                        None => c.name.clone(),
                                    };
                                    view! {
                                        <li>
                                            <span>{label.clone()}</span>" "
                                            <button type="button" aria-label=format!("Assign to {label}")
                                                on:click=move |_| { assign.dispatch(AssignContact { customer_id, contact_id }); }>
                                                "Assign"
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}
