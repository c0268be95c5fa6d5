//! The Documents section of a location's or an item's page: the current document of each type
//! with its status, previous versions, and the form that uploads a new one.

use super::api::{list_document_types, list_documents, AddDocument};
use super::{human_size, DocumentRow, DocumentType, FileUpload, UploadedFile};
use crate::domain::{CalendarDate, FilePurpose, Level};
use crate::error::AppError;
use crate::ui::{date, error_of, field_errors_of, today, ErrorNotice, Field, FormNotice};
use leptos::prelude::*;

/// What the Documents section loads. Made by the page itself, outside its `Suspense`: resources
/// made inside one, after it waited, run without the request's context on the server.
#[derive(Clone, Copy)]
pub struct DocumentsData {
    level: Level,
    owner_id: Signal<Option<i64>>,
    add: ServerAction<AddDocument>,
    documents: Resource<Result<Vec<DocumentRow>, AppError>>,
    types: Resource<Result<Vec<DocumentType>, AppError>>,
}

impl DocumentsData {
    pub fn new(level: Level, owner_id: Signal<Option<i64>>) -> Self {
        let add = ServerAction::<AddDocument>::new();
        let documents = Resource::new(
            move || (owner_id.get(), add.version().get()),
            move |(owner_id, _)| async move {
                match owner_id {
                    Some(id) => list_documents(level.key().to_string(), id).await,
                    None => Ok(Vec::new()),
                }
            },
        );
        let types = Resource::new(|| (), |_| list_document_types());
        DocumentsData {
            level,
            owner_id,
            add,
            documents,
            types,
        }
    }
}

#[component]
pub fn DocumentsPanel(data: DocumentsData) -> impl IntoView {
    let DocumentsData {
        level,
        owner_id,
        add,
        documents,
        types,
    } = data;
    let owner_id = owner_id.get_untracked().unwrap_or_default();
    view! {
        <section class="documents" aria-labelledby="documents-heading">
            <h2 id="documents-heading">"Documents"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading documents…"</p> }>
                {move || Suspend::new(async move {
                    match documents.await {
                        Ok(rows) => view! { <DocumentTables rows/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            <Suspense>
                {move || Suspend::new(async move {
                    match types.await {
                        Ok(types) => {
                            let types: Vec<DocumentType> =
                                types.into_iter().filter(|t| t.level == level && !t.hidden).collect();
                            view! { <AddDocumentForm level owner_id types add/> }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn DocumentTables(rows: Vec<DocumentRow>) -> impl IntoView {
    let (current, previous): (Vec<_>, Vec<_>) = rows.into_iter().partition(|d| d.replaced_at.is_none());
    let previous_count = previous.len();
    view! {
        {if current.is_empty() {
            view! { <p class="empty">"No documents yet. Upload one below."</p> }.into_any()
        } else {
            view! { <DocumentTable rows=current caption="Current documents"/> }.into_any()
        }}
        {(previous_count > 0).then(|| view! {
            <details class="previous-versions">
                <summary>{format!("Previous versions ({previous_count})")}</summary>
                <DocumentTable rows=previous caption="Previous versions"/>
            </details>
        })}
    }
}

#[component]
fn DocumentTable(rows: Vec<DocumentRow>, caption: &'static str) -> impl IntoView {
    view! {
        <table class="list documents-list">
            <caption class="sr-only">{caption}</caption>
            <thead><tr>
                <th scope="col">"Type"</th><th scope="col">"Title"</th><th scope="col">"Effective"</th>
                <th scope="col">"Expires"</th><th scope="col">"Status"</th><th scope="col">"File"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|d| view! {
                    <tr>
                        <td>{d.type_name.clone()}</td>
                        <td>{d.title.clone()}</td>
                        <td>{d.effective_on.to_string()}</td>
                        <td>{d.expires_on.to_string()}</td>
                        <td>
                            <span class=d.status.class()>{d.status.label()}</span>
                            {d.replaced_at.map(|at| view! { <span class="muted">{format!(" · replaced {}", date(at))}</span> })}
                        </td>
                        <td>
                            <a href=format!("/files/{}", d.file_id) download=d.file_name.clone()
                                aria-label=format!("Download {} ({})", d.file_name, d.title)>
                                "Download"
                            </a>
                            <span class="muted">{format!(" {} · {}", d.file_name, human_size(d.size))}</span>
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn AddDocumentForm(
    level: Level,
    owner_id: i64,
    types: Vec<DocumentType>,
    add: ServerAction<AddDocument>,
) -> impl IntoView {
    let value = Signal::from(add.value());
    let errors = field_errors_of(value);
    if types.is_empty() {
        return view! {
            <p class="muted">{format!("No {}-level document types are shown. An Admin can add or show some in Share Settings.", level.key())}</p>
        }
        .into_any();
    }
    let validity: Vec<(String, Option<i64>)> = types
        .iter()
        .map(|t| (t.id.to_string(), t.validity_days))
        .collect();
    let type_id = RwSignal::new(types[0].id.to_string());
    let effective = RwSignal::new(today().to_string());
    let expires = RwSignal::new(String::new());
    let expiry_typed = RwSignal::new(false);
    let title = RwSignal::new(String::new());
    let file_ready = RwSignal::new(false);
    // The expiry date follows the effective date and the type's validity until typed over.
    Effect::new(move |_| {
        let days = validity
            .iter()
            .find(|(id, _)| *id == type_id.get())
            .and_then(|(_, d)| *d);
        let start = CalendarDate::parse(&effective.get(), "Effective date").ok();
        if !expiry_typed.get_untracked() {
            if let (Some(days), Some(start)) = (days, start) {
                expires.set(start.add_days(days).to_string());
            }
        }
    });
    let form_key = RwSignal::new(0);
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            // A stored document clears the form for the next one.
            title.set(String::new());
            expiry_typed.set(false);
            file_ready.set(false);
            form_key.update(|k| *k += 1);
        }
    });
    let on_file = Callback::new(move |file: Option<UploadedFile>| {
        file_ready.set(file.is_some());
        if let Some(file) = file {
            if title.get_untracked().trim().is_empty() {
                let stem = file
                    .file_name
                    .rsplit_once('.')
                    .map_or(file.file_name.as_str(), |(stem, _)| stem);
                title.set(stem.to_string());
            }
        }
    });
    let type_error = move || errors.get().and_then(|e| e.get("type_id").map(str::to_string));
    view! {
        <h3>"Upload a document"</h3>
        {move || matches!(value.get(), Some(Ok(_))).then(|| view! { <p class="notice success" role="status">"Document stored."</p> })}
        <ActionForm action=add attr:class="card" attr:aria-label="Upload a document">
            <FormNotice error=Signal::derive(move || error_of(value).get().filter(|e| e.field_errors().is_none()))/>
            <input type="hidden" name="level" value=level.key()/>
            <input type="hidden" name="owner_id" value=owner_id/>
            <div class="form-grid">
                <div class="field" class:invalid=move || type_error().is_some()>
                    <label for="document-type_id" class="required">"Document type"</label>
                    <select id="document-type_id" name="document[type_id]" required=true aria-required="true" aria-describedby="document-type_id-message"
                        on:change=move |ev| type_id.set(event_target_value(&ev))>
                        {types.iter().map(|t| view! { <option value=t.id.to_string()>{t.name.clone()}</option> }).collect_view()}
                    </select>
                    <p class="field-message" id="document-type_id-message" aria-live="polite">{type_error}</p>
                </div>
                <Field label="Title" field="title" group="document" required=true errors
                    value=Signal::derive(move || title.get())
                    on_input=Callback::new(move |v| title.set(v))/>
                <Field label="Effective date" field="effective_on" group="document" kind="date" required=true errors
                    value=Signal::derive(move || effective.get())
                    on_input=Callback::new(move |v| effective.set(v))/>
                <Field label="Expiry date" field="expires_on" group="document" kind="date" required=true errors
                    hint="Filled in from the type's validity; change it if the document says otherwise."
                    value=Signal::derive(move || expires.get())
                    on_input=Callback::new(move |v| { expiry_typed.set(true); expires.set(v); })/>
            </div>
            {move || {
                form_key.track();
                view! {
                    <FileUpload purpose=FilePurpose::Document label="File" name="document[file_id]" field="file" errors
                        on_change=on_file required=true/>
                }
            }}
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || add.pending().get() || !file_ready.get()>
                    "Add Document"
                </button>
            </div>
        </ActionForm>
    }
    .into_any()
}
