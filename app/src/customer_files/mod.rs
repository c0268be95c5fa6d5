//! Customer documents: files staff attach to the customer itself (contracts, credit
//! applications), stored like other documents and downloaded by staff only.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;

use crate::documents::{human_size, FileUpload, UploadedFile};
use crate::domain::FilePurpose;
use crate::ui::{date_time, error_of, field_errors_of, ErrorNotice, Field, FormNotice};
use api::{customer_files, AddCustomerFile, RemoveCustomerFile};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerFile {
    pub id: i64,
    pub title: String,
    pub file_id: String,
    pub file_name: String,
    pub size: i64,
    pub uploader_name: String,
    pub created_at: i64,
}

/// The customer page's Documents tab.
#[component]
pub fn CustomerFilesPanel(customer_id: i64) -> impl IntoView {
    let add = ServerAction::<AddCustomerFile>::new();
    let remove = ServerAction::<RemoveCustomerFile>::new();
    let files = Resource::new(
        move || (add.version().get(), remove.version().get()),
        move |_| customer_files(customer_id),
    );
    let added = Signal::from(add.value());
    let errors = field_errors_of(added);
    let uploaded = RwSignal::new(None::<UploadedFile>);
    let title = RwSignal::new(String::new());
    // A file added empties the form: the upload is made again, the title cleared.
    let form_key = RwSignal::new(0u32);
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            title.set(String::new());
            uploaded.set(None);
            form_key.update(|k| *k += 1);
        }
    });
    view! {
        <section aria-labelledby="customer-files-heading">
            <h2 id="customer-files-heading">"Customer documents"</h2>
            <p class="muted">"Contracts, credit applications and other files about this customer. Only staff see them."</p>
            {move || remove.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match files.await {
                        Ok(files) if files.is_empty() => view! { <p class="empty">"No documents attached yet."</p> }.into_any(),
                        Ok(files) => view! {
                            <table class="list">
                                <thead><tr>
                                    <th scope="col">"Title"</th><th scope="col">"File"</th><th scope="col">"Added"</th>
                                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                                </tr></thead>
                                <tbody>
                                    {files.into_iter().map(|f| {
                                        let id = f.id;
                                        let label = format!("Remove {}", f.title);
                                        view! {
                                            <tr>
                                                <td>{f.title.clone()}</td>
                                                <td><a href=format!("/files/{}", f.file_id) download>{f.file_name.clone()}</a>
                                                    <span class="muted">{format!(" · {}", human_size(f.size))}</span></td>
                                                <td>{format!("{} · {}", date_time(f.created_at), f.uploader_name)}</td>
                                                <td><button type="button" class="danger" aria-label=label
                                                    on:click=move |_| { remove.dispatch(RemoveCustomerFile { id }); }>"Remove"</button></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            <form class="card" aria-label="Attach a document" on:submit=move |ev| {
                ev.prevent_default();
                add.dispatch(AddCustomerFile {
                    customer_id,
                    title: title.get_untracked(),
                    file_id: uploaded.get_untracked().map(|f| f.id).unwrap_or_default(),
                });
            }>
                <h3>"Attach a document"</h3>
                <FormNotice error=Signal::derive(move || error_of(added).get().filter(|e| e.field_errors().is_none()))/>
                <Field label="Title" field="title" id_prefix="customer-file-" required=true errors value=title
                    on_input=Callback::new(move |text| title.set(text))/>
                {move || {
                    form_key.track();
                    view! {
                        <FileUpload purpose=FilePurpose::Document label="File" field="file" id="customer-file-upload" errors
                            on_change=Callback::new(move |file: Option<UploadedFile>| {
                                if title.with_untracked(String::is_empty) {
                                    if let Some(file) = &file {
                                        title.set(file.file_name.clone());
                                    }
                                }
                                uploaded.set(file);
                            }) required=true/>
                    }
                }}
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || add.pending().get() || uploaded.with(Option::is_none)>
                        "Attach"
                    </button>
                </div>
                {move || matches!(add.value().get(), Some(Ok(_))).then(|| view! { <p class="notice success" role="status">"Document attached."</p> })}
            </form>
        </section>
    }
}
