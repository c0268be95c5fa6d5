//! Share Settings (changed by Admins): the Document Types, and the Customer Doc Requirements that
//! newly added customers start from.

use super::api::{
    list_document_types, CreateDocumentType, DeleteDocumentType, SaveDefaultRequirements,
    SetDocumentTypeHidden, UpdateDocumentType,
};
use super::DocumentType;
use crate::auth::CurrentUser;
use crate::domain::{DocumentTypeInput, Level};
use crate::error::AppError;
use crate::ui::{error_of, field_errors_of, ErrorNotice, Field, FormNotice};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Tabs() -> impl IntoView {
    // The staff shell's signed-in user; the server checks again on every change.
    let user = use_context::<Resource<Result<Option<CurrentUser>, AppError>>>();
    view! {
        <h1>"Share Settings"</h1>
        <nav class="tabs" aria-label="Share Settings">
            <A href="/share-settings" exact=true>"Document Types"</A>
            <A href="/share-settings/requirements">"Customer Doc Requirements"</A>
            <A href="/share-settings/bulk-requirements">"Bulk Configure Customer Requirements"</A>
        </nav>
        <Suspense>
            {move || Suspend::new(async move {
                let admin = match user {
                    Some(user) => user.await.ok().flatten().is_some_and(|u| u.is_admin()),
                    None => false,
                };
                (!admin).then(|| view! {
                    <p class="notice">"Only an Admin can change Share Settings; you can see them."</p>
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn DocumentTypesPage() -> impl IntoView {
    let create = ServerAction::<CreateDocumentType>::new();
    let hide = ServerAction::<SetDocumentTypeHidden>::new();
    let delete = ServerAction::<DeleteDocumentType>::new();
    let update = ServerAction::<UpdateDocumentType>::new();
    let editing = RwSignal::new(None::<DocumentType>);
    let types = Resource::new(
        move || {
            (
                create.version().get(),
                hide.version().get(),
                delete.version().get(),
                update.version().get(),
            )
        },
        |_| list_document_types(),
    );
    let created = Signal::from(create.value());
    let change_error = Signal::derive(move || {
        hide.value()
            .get()
            .and_then(Result::err)
            .or_else(|| delete.value().get().and_then(Result::err))
    });
    view! {
        <section class="page">
            <Tabs/>
            {move || change_error.get().map(|error| view! { <ErrorNotice error/> })}
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match types.await {
                        Ok(types) => view! {
                            <TypeTable level=Level::Location types=types.clone() hide delete editing/>
                            <TypeTable level=Level::Item types hide delete editing/>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            {move || editing.get().map(|kind| view! { <EditTypeForm kind update editing/> })}
            <h2>"Add a document type"</h2>
            <ActionForm action=create attr:class="card" attr:aria-label="Add a document type">
                <FormNotice error=Signal::derive(move || error_of(created).get().filter(|e| e.field_errors().is_none()))/>
                {move || matches!(created.get(), Some(Ok(_))).then(|| view! { <p class="notice success" role="status">"Document type added."</p> })}
                <div class="form-grid">
                    <Field label="Name" field="name" group="document_type" required=true errors=field_errors_of(created)
                        check=DocumentTypeInput::check_field/>
                    <div class="field">
                        <label for="document_type-level" class="required">"Level"</label>
                        <select id="document_type-level" name="document_type[level]">
                            <option value="location">"Location: one per production site"</option>
                            <option value="item">"Item: one per product"</option>
                        </select>
                    </div>
                    <Field label="Valid for (days)" field="validity_days" group="document_type" kind="number"
                        hint="How long a document of this type stays valid by default. Blank: no default."
                        errors=field_errors_of(created) check=DocumentTypeInput::check_field/>
                    <Field label="Description" field="description" group="document_type" multiline=true
                        errors=field_errors_of(created) check=DocumentTypeInput::check_field/>
                </div>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || create.pending().get()>
                        "Add Document Type"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn TypeTable(
    level: Level,
    types: Vec<DocumentType>,
    hide: ServerAction<SetDocumentTypeHidden>,
    delete: ServerAction<DeleteDocumentType>,
    editing: RwSignal<Option<DocumentType>>,
) -> impl IntoView {
    let rows: Vec<DocumentType> = types.into_iter().filter(|t| t.level == level).collect();
    view! {
        <h2>{format!("{level}-level types")}</h2>
        <table class="list">
            <thead><tr>
                <th scope="col">"Name"</th><th scope="col">"Valid for"</th><th scope="col">"Kind"</th>
                <th scope="col">"Documents"</th><th scope="col">"Shown"</th><th scope="col"><span class="sr-only">"Actions"</span></th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|t| {
                    let id = t.id;
                    let hidden = t.hidden;
                    let can_delete = !t.builtin && t.documents == 0;
                    view! {
                        <tr class:muted=hidden>
                            <th scope="row">
                                {t.name.clone()}
                                {t.description.clone().map(|d| view! { <p class="hint">{d}</p> })}
                            </th>
                            <td>{t.validity_days.map_or("—".to_string(), |d| format!("{d} days"))}</td>
                            <td>{if t.builtin { "Built-in" } else { "Custom" }}</td>
                            <td>{t.documents}</td>
                            <td>
                                <input type="checkbox" id=format!("shown-{id}") checked=!hidden
                                    aria-label=format!("Show {}", t.name)
                                    on:change=move |ev| {
                                        hide.dispatch(SetDocumentTypeHidden { id, hidden: !event_target_checked(&ev) });
                                    }/>
                            </td>
                            <td>
                                <button type="button" class="link" aria-label=format!("Edit {}", t.name)
                                    on:click={
                                        let kind = t.clone();
                                        move |_| editing.set(Some(kind.clone()))
                                    }>
                                    "Edit"
                                </button>
                                {can_delete.then(|| view! {
                                    <button type="button" class="link danger"
                                        aria-label=format!("Delete {}", t.name)
                                        on:click=move |_| { delete.dispatch(DeleteDocumentType { id }); }>
                                        "Delete"
                                    </button>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Changes a type's name (custom types only), description and validity.
#[component]
fn EditTypeForm(
    kind: DocumentType,
    update: ServerAction<UpdateDocumentType>,
    editing: RwSignal<Option<DocumentType>>,
) -> impl IntoView {
    let value = Signal::from(update.value());
    let errors = field_errors_of(value);
    // A save closes the form; opening it again starts from the saved values.
    let opened_at = update.version().get_untracked();
    Effect::new(move |_| {
        if update.version().get() > opened_at && matches!(update.value().get(), Some(Ok(()))) {
            editing.set(None);
        }
    });
    let check = DocumentTypeInput::check_field;
    let title = format!("Edit {}", kind.name);
    view! {
        <h2>{title.clone()}</h2>
        <ActionForm action=update attr:class="card" attr:aria-label=title>
            <FormNotice error=Signal::derive(move || error_of(value).get().filter(|e| e.field_errors().is_none()))/>
            <input type="hidden" name="id" value=kind.id/>
            <input type="hidden" name="document_type[level]" value=kind.level.key()/>
            <div class="form-grid">
                {if kind.builtin {
                    view! {
                        <input type="hidden" name="document_type[name]" value=kind.name.clone()/>
                        <p class="hint">{format!("{} is built in and keeps its name.", kind.name)}</p>
                    }.into_any()
                } else {
                    view! {
                        <Field id_prefix="edit-" label="Name" field="name" group="document_type" value=kind.name.clone()
                            required=true errors check/>
                    }.into_any()
                }}
                <Field id_prefix="edit-" label="Valid for (days)" field="validity_days" group="document_type" kind="number"
                    value=kind.validity_days.map(|d| d.to_string()).unwrap_or_default() errors check/>
                <Field id_prefix="edit-" label="Description" field="description" group="document_type" multiline=true
                    value=kind.description.clone().unwrap_or_default() errors check/>
            </div>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || update.pending().get()>"Save Document Type"</button>
                <button type="button" on:click=move |_| editing.set(None)>"Cancel"</button>
            </div>
        </ActionForm>
    }
}

#[component]
pub fn RequirementsPage() -> impl IntoView {
    let save = ServerAction::<SaveDefaultRequirements>::new();
    let types = Resource::new(move || save.version().get(), |_| list_document_types());
    let saved = Signal::from(save.value());
    view! {
        <section class="page">
            <Tabs/>
            <p>"Tick the documents every newly added customer must receive. The New Customer wizard starts from these; each customer's requirements can then be changed."</p>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match types.await {
                        Ok(types) => {
                            let shown: Vec<DocumentType> = types.into_iter().filter(|t| !t.hidden).collect();
                            let chosen = RwSignal::new(
                                shown.iter().filter(|t| t.default_required).map(|t| t.id).collect::<Vec<_>>(),
                            );
                            let joined = move || chosen.with(|c| c.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
                            view! {
                                <ActionForm action=save attr:class="card" attr:aria-label="Customer Doc Requirements">
                                    <FormNotice error=error_of(saved)/>
                                    {move || matches!(saved.get(), Some(Ok(()))).then(|| view! {
                                        <p class="notice success" role="status">"Default requirements saved."</p>
                                    })}
                                    <input type="hidden" name="type_ids" prop:value=joined value=joined/>
                                    <RequirementChoices level=Level::Location types=shown.clone() chosen/>
                                    <RequirementChoices level=Level::Item types=shown chosen/>
                                    <div class="form-actions">
                                        <button type="submit" class="primary" disabled=move || save.pending().get()>
                                            "Save Requirements"
                                        </button>
                                    </div>
                                </ActionForm>
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
fn RequirementChoices(level: Level, types: Vec<DocumentType>, chosen: RwSignal<Vec<i64>>) -> impl IntoView {
    view! {
        <fieldset class="choices">
            <legend>{format!("{level}-level documents")}</legend>
            {types.into_iter().filter(|t| t.level == level).map(|t| {
                let id = t.id;
                let input_id = format!("requirement-{id}");
                view! {
                    <div class="field checkbox">
                        <input id=input_id.clone() type="checkbox"
                            checked=chosen.with_untracked(|c| c.contains(&id))
                            prop:checked=move || chosen.with(|c| c.contains(&id))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id); } });
                            }/>
                        <label for=input_id>{t.name.clone()}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}
