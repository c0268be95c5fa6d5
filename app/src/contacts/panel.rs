//! A customer's contacts: the list with the Documents Contact toggle and each contact's "…" menu
//! (edit, remove), and "+ Add Contacts" to pick an existing contact or create one. Used by the
//! wizard's Contacts step and the customer page's Contacts tab.

use super::api::{
    customer_contacts, search_contacts, AssignContact, CreateContact, RemoveContact, SetContactRole,
    SetDocumentsContact, UpdateContact,
};
use super::{Contact, CustomerContact};
use crate::domain::{ContactInput, ContactRole};
use crate::error::FieldErrors;
use crate::ui::{
    any_error, error_of, field_errors_of, follow_saves, CursorPager, CursorPages, CursorSearch, ErrorNotice,
    Field, FormNotice, SaveNotice,
};
use leptos::prelude::*;

#[component]
pub fn ContactsPanel(customer_id: i64) -> impl IntoView {
    let assign = ServerAction::<AssignContact>::new();
    let create = ServerAction::<CreateContact>::new();
    let remove = ServerAction::<RemoveContact>::new();
    let toggle = ServerAction::<SetDocumentsContact>::new();
    let role = ServerAction::<SetContactRole>::new();
    // Bumped by an editor that saved.
    let edited = RwSignal::new(0);
    // A big account has thousands of contacts: they come a page at a time, searchable.
    let pages = CursorPages::new();
    let contacts = Resource::new(
        move || {
            (
                assign.version().get(),
                create.version().get(),
                remove.version().get(),
                toggle.version().get(),
                role.version().get(),
                edited.get(),
                pages.q.get(),
                pages.after(),
            )
        },
        move |(.., q, after)| customer_contacts(customer_id, Some(q), after),
    );
    let adding = RwSignal::new(false);
    let failure = any_error([
        error_of(Signal::from(assign.value())),
        error_of(Signal::from(remove.value())),
        error_of(Signal::from(toggle.value())),
        error_of(Signal::from(role.value())),
    ]);
    view! {
        <section class="contacts-panel" aria-labelledby="contacts-heading">
            <h2 id="contacts-heading">"Contacts"</h2>
            <FormNotice error=failure/>
            <Transition fallback=|| view! { <p class="muted">"Loading contacts…"</p> }>
                {move || Suspend::new(async move {
                    match contacts.await {
                        Ok(page) => {
                            let next = page.rows.last().map(|r| r.contact.id).filter(|_| page.has_next);
                            let total = page.total;
                            view! {
                                <CursorSearch pages id="customer-contacts-search" total noun="contacts"/>
                                <ContactTable customer_id rows=page.rows documents_contacts=page.documents_contacts
                                    has_contacts={total > 0}
                                    remove toggle role edited/>
                                <CursorPager pages next label="Pages of contacts"/>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            <Show
                when=move || adding.get()
                fallback=move || view! {
                    <button type="button" class="primary" on:click=move |_| adding.set(true)>"+ Add Contacts"</button>
                }
            >
                <AddContacts customer_id assign create close=Callback::new(move |_| adding.set(false))/>
            </Show>
        </section>
    }
}

#[component]
fn ContactTable(
    customer_id: i64,
    rows: Vec<CustomerContact>,
    documents_contacts: i64,
    /// The customer has contacts, whether or not the search found any.
    has_contacts: bool,
    remove: ServerAction<RemoveContact>,
    toggle: ServerAction<SetDocumentsContact>,
    role: ServerAction<SetContactRole>,
    edited: RwSignal<i32>,
) -> impl IntoView {
    if rows.is_empty() && has_contacts {
        return view! { <p class="empty">"No contact of this customer matches."</p> }.into_any();
    }
    if rows.is_empty() {
        return view! { <p class="empty">"No contacts yet. Add the people you deal with at this customer."</p> }.into_any();
    }
    let no_documents_contact = documents_contacts == 0;
    let editing = RwSignal::new(None::<i64>);
    view! {
        {no_documents_contact.then(|| view! {
            <p class="notice warning" role="status">
                "Tick \"Documents Contact\" for at least one contact: Documents Contacts receive the documents you send."
            </p>
        })}
        <table class="list contacts-list">
            <caption class="sr-only">"Contacts of this customer"</caption>
            <thead><tr>
                <th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Phone"</th>
                <th scope="col">"Job title"</th><th scope="col">"Role"</th><th scope="col">"Documents Contact"</th><th scope="col"><span class="sr-only">"Actions"</span></th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|row| {
                    let contact = row.contact.clone();
                    let id = contact.id;
                    let name = contact.full_name();
                    let checkbox_id = format!("documents-contact-{id}");
                    let others = row.other_customers;
                    view! {
                        <tr>
                            <td>
                                {name.clone()}
                                {(others > 0).then(|| view! {
                                    <span class="muted">{format!(" · also at {others} other customer{}", if others == 1 { "" } else { "s" })}</span>
                                })}
                            </td>
                            <td>{contact.email.clone()}</td>
                            <td>{contact.phone.clone().unwrap_or_default()}</td>
                            <td>{contact.job_title.clone().unwrap_or_default()}</td>
                            <td>
                                <RoleSelect current=row.role label=format!("Role of {name}") on_change=Callback::new(move |value: String| {
                                    role.dispatch(SetContactRole { customer_id, contact_id: id, role: value });
                                })/>
                            </td>
                            <td>
                                <input type="checkbox" id=checkbox_id.clone() checked=row.documents_contact
                                    aria-label=format!("Documents Contact: {name}")
                                    on:change=move |ev| {
                                        toggle.dispatch(SetDocumentsContact { customer_id, contact_id: id, on: event_target_checked(&ev) });
                                    }/>
                            </td>
                            <td>
                                <details class="menu">
                                    <summary aria-label=format!("Actions for {name}")>"…"</summary>
                                    <div class="menu-items">
                                        <button type="button" on:click=move |_| editing.set(Some(id))>"Edit"</button>
                                        <button type="button" class="danger" on:click=move |_| {
                                            remove.dispatch(RemoveContact { customer_id, contact_id: id });
                                        }>"Remove"</button>
                                    </div>
                                </details>
                            </td>
                        </tr>
                        {move || (editing.get() == Some(id)).then(|| view! {
                            <tr class="editing"><td colspan="7">
                                <ContactEditor contact=contact.clone() close=Callback::new(move |saved: bool| {
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
    .into_any()
}

/// Buyer or Viewer, for one contact at one customer.
#[component]
pub(super) fn RoleSelect(current: ContactRole, label: String, on_change: Callback<String>) -> impl IntoView {
    let option = move |role: ContactRole| {
        view! {
            <option value=role.key() selected=current == role>{role.to_string()}</option>
        }
    };
    view! {
        <select aria-label=label on:change=move |ev| on_change.run(event_target_value(&ev))>
            {option(ContactRole::Buyer)}
            {option(ContactRole::Viewer)}
        </select>
    }
}

/// The contact's fields, named `contact[…]`; ids start with `prefix` so two forms can share a page.
#[component]
pub(super) fn ContactFields(
    values: ContactInput,
    prefix: &'static str,
    errors: Signal<Option<FieldErrors>>,
) -> impl IntoView {
    view! {
        <div class="form-grid">
            <Field label="First name" field="first_name" group="contact" id_prefix=prefix value=values.first_name
                required=true autocomplete="off" errors check=ContactInput::check_field/>
            <Field label="Last name" field="last_name" group="contact" id_prefix=prefix value=values.last_name
                required=true autocomplete="off" errors check=ContactInput::check_field/>
            <Field label="Email" field="email" group="contact" id_prefix=prefix kind="email" value=values.email
                required=true autocomplete="off" errors check=ContactInput::check_field/>
            <Field label="Phone" field="phone" group="contact" id_prefix=prefix kind="tel" value=values.phone
                autocomplete="off" errors check=ContactInput::check_field/>
            <Field label="Job title" field="job_title" group="contact" id_prefix=prefix value=values.job_title
                autocomplete="off" errors check=ContactInput::check_field/>
        </div>
    }
}

/// Edits one contact with an action of its own, so no other editor's answer reaches it;
/// `close` is told whether it saved.
#[component]
pub(super) fn ContactEditor(contact: Contact, close: Callback<bool>) -> impl IntoView {
    let update = ServerAction::<UpdateContact>::new();
    let current = RwSignal::new(contact);
    let value = Signal::from(update.value());
    let outcome = follow_saves(value, current);
    Effect::new(move |_| {
        if outcome.get() == Some(true) {
            close.run(true);
        }
    });
    view! {
        <SaveNotice saved=outcome what="this contact"/>
        {move || {
            let contact = current.get();
            let label = format!("Edit {}", contact.full_name());
            view! {
                <ActionForm action=update attr:class="card" attr:aria-label=label>
                    <FormNotice error=Signal::derive(move || error_of(value).get().filter(|e| e.field_errors().is_none()))/>
                    <input type="hidden" name="id" value=contact.id/>
                    <input type="hidden" name="version" value=contact.version/>
                    <ContactFields values=contact.to_input() prefix="edit-" errors=field_errors_of(value)/>
                    <div class="form-actions">
                        <button type="submit" class="primary" disabled=move || update.pending().get()>"Save contact"</button>
                        <button type="button" on:click=move |_| close.run(false)>"Cancel"</button>
                    </div>
                </ActionForm>
            }
        }}
    }
}

/// Search existing contacts (name or email) and add them, or create a new one.
#[component]
fn AddContacts(
    customer_id: i64,
    assign: ServerAction<AssignContact>,
    create: ServerAction<CreateContact>,
    close: Callback<()>,
) -> impl IntoView {
    let q = RwSignal::new(String::new());
    let found = Resource::new(
        move || q.get(),
        |q| async move {
            if q.trim().is_empty() {
                Ok(Vec::new())
            } else {
                search_contacts(q).await
            }
        },
    );
    let value = Signal::from(create.value());
    // What this form created, not what an earlier opening of it did.
    let opened_at = create.version().get_untracked();
    let created_here = move || create.version().get() > opened_at && matches!(value.get(), Some(Ok(_)));
    let form_key = RwSignal::new(0);
    Effect::new(move |_| {
        if created_here() {
            form_key.update(|k| *k += 1);
        }
    });
    view! {
        <div class="card add-contacts" role="region" aria-label="Add contacts">
            <h3>"Add contacts"</h3>
            <div class="field">
                <label for="contact-search">"Search existing contacts"</label>
                <input id="contact-search" type="search" placeholder="Name or email" autocomplete="off"
                    on:input=move |ev| q.set(event_target_value(&ev))/>
            </div>
            <Transition>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(rows) if rows.is_empty() && !q.get_untracked().trim().is_empty() => view! {
                            <p class="muted" role="status">"No contact matches. Create one below."</p>
                        }.into_any(),
                        Ok(rows) => view! {
                            <ul class="search-results">
                                {rows.into_iter().map(|c| {
                                    let id = c.id;
                                    let label = format!("{} <{}>", c.full_name(), c.email);
                                    view! {
                                        <li>
                                            <span>{label.clone()}</span>" "
                                            <button type="button" aria-label=format!("Add {label}")
                                                on:click=move |_| { assign.dispatch(AssignContact { customer_id, contact_id: id }); }>
                                                "Add"
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
            <h4>"Or create a new contact"</h4>
            {move || created_here().then(|| view! { <p class="notice success" role="status">"Contact added."</p> })}
            {move || {
                form_key.track();
                view! {
                    <ActionForm action=create attr:aria-label="New contact">
                        <FormNotice error=Signal::derive(move || error_of(value).get().filter(|e| e.field_errors().is_none()))/>
                        <input type="hidden" name="customer_id" value=customer_id/>
                        <ContactFields values=ContactInput::default() prefix="new-" errors=field_errors_of(value)/>
                        <div class="form-actions">
                            <button type="submit" class="primary" disabled=move || create.pending().get()>"Create Contact"</button>
                            <button type="button" on:click=move |_| close.run(())>"Done adding"</button>
                        </div>
                    </ActionForm>
                }
            }}
        </div>
    }
}
