//! A file input that uploads the chosen file at once, showing its progress, and hands the form
//! the stored file's id.

use super::{human_size, UploadedFile};
use crate::domain::FilePurpose;
use leptos::prelude::*;

/// Where an upload stands (only the browser moves it past `Idle`).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Upload {
    Idle,
    Sending { name: String, sent: f64, total: f64 },
    Done(UploadedFile),
    Failed(String),
}

#[component]
pub fn FileUpload(
    purpose: FilePurpose,
    /// Visible label of the file input.
    label: &'static str,
    /// Name of the hidden input carrying the stored file's id; without one, `on_change` is how
    /// the form learns of it.
    #[prop(optional)]
    name: Option<&'static str>,
    /// Key of the field in the form's errors (the server's message shows here).
    #[prop(default = "file")]
    field: &'static str,
    #[prop(into)] errors: Signal<Option<crate::error::FieldErrors>>,
    /// Told of each finished upload (or `None` when a new choice cleared the last one).
    #[prop(optional)]
    on_change: Option<Callback<Option<UploadedFile>>>,
    #[prop(optional)] required: bool,
    /// The input's id, when several uploads share a page; `{field}-upload` otherwise.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let state = RwSignal::new(Upload::Idle);
    let input_id = id.unwrap_or_else(|| format!("{field}-upload"));
    let message_id = format!("{input_id}-message");
    let server_message = move || errors.get().and_then(|e| e.get(field).map(str::to_string));
    let file_id = move || match state.get() {
        Upload::Done(file) => file.id,
        _ => String::new(),
    };
    let latest = RwSignal::new(0u64);
    let on_input = move |ev: leptos::ev::Event| {
        if let Some(on_change) = on_change {
            on_change.run(None);
        }
        state.set(Upload::Idle);
        // A new choice makes the answers of an upload still under way stale.
        latest.update(|n| *n += 1);
        start(purpose, &ev, state, latest.get_untracked(), latest, on_change);
    };
    view! {
        <div class="field file" class:invalid=move || matches!(state.get(), Upload::Failed(_)) || server_message().is_some()>
            <label for=input_id.clone() class:required=required>{label}</label>
            <input id=input_id type="file" accept=purpose.accept_attribute() on:change=on_input
                aria-required=required.then_some("true") aria-describedby=message_id.clone()/>
            {name.map(|name| view! { <input type="hidden" name=name prop:value=file_id value=file_id/> })}
            <p class="hint">{format!("{} up to {} MB.", purpose.accepted(), purpose.max_bytes() / (1024 * 1024))}</p>
            <div id=message_id aria-live="polite">
                {move || match state.get() {
                    Upload::Idle => server_message().map(|m| view! { <p class="field-message">{m}</p> }.into_any()),
                    Upload::Sending { name, sent, total } => {
                        let percent = if total > 0.0 { (sent / total * 100.0).floor() } else { 0.0 };
                        Some(view! {
                            <div class="upload-progress">
                                <progress max="100" value=percent aria-label=format!("Uploading {name}")></progress>
                                <span>{format!("Uploading {name}: {percent}% ({} of {})", human_size(sent as i64), human_size(total as i64))}</span>
                            </div>
                        }.into_any())
                    }
                    Upload::Done(file) => Some(view! {
                        <p class="upload-done">{format!("Uploaded {} ({}).", file.file_name, human_size(file.size as i64))}</p>
                    }.into_any()),
                    Upload::Failed(message) => Some(view! { <p class="field-message" role="alert">{message}</p> }.into_any()),
                }}
            </div>
        </div>
    }
}

/// Checks the chosen file here (kind and size, before any byte is sent) and sends it.
/// `this` numbers the upload; once `latest` is past it, its progress and answer are ignored.
#[cfg(feature = "hydrate")]
fn start(
    purpose: FilePurpose,
    ev: &leptos::ev::Event,
    state: RwSignal<Upload>,
    this: u64,
    latest: RwSignal<u64>,
    on_change: Option<Callback<Option<UploadedFile>>>,
) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{HtmlInputElement, ProgressEvent, XmlHttpRequest};

    let Some(input) = ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else {
        return;
    };
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    let name = file.name();
    if let Err(message) = purpose.check(&name, Some(file.size() as u64)) {
        state.set(Upload::Failed(message));
        input.set_value("");
        return;
    }
    let current = move || latest.get_untracked() == this;
    let failed = move |message: &str| {
        if current() {
            state.set(Upload::Failed(message.to_string()))
        }
    };
    let Ok(request) = XmlHttpRequest::new() else {
        return failed("This browser cannot upload files.");
    };
    let url = format!(
        "/files?purpose={}&name={}",
        purpose.key(),
        crate::ui::url_encode(&name)
    );
    if request.open_with_async("POST", &url, true).is_err() {
        return failed("The upload could not start. Reload the page and try again.");
    }
    let _ = request.set_request_header("Accept", "application/json");
    state.set(Upload::Sending {
        name: name.clone(),
        sent: 0.0,
        total: file.size(),
    });
    let progress_name = name.clone();
    let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() && current() {
            state.set(Upload::Sending {
                name: progress_name.clone(),
                sent: e.loaded(),
                total: e.total(),
            });
        }
    });
    if let Ok(upload) = request.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    on_progress.forget();
    let answered = request.clone();
    let on_load = Closure::<dyn FnMut()>::new(move || {
        if !current() {
            return;
        }
        let status = answered.status().unwrap_or(0);
        let text = answered.response_text().ok().flatten().unwrap_or_default();
        if (200..300).contains(&status) {
            match serde_json::from_str::<UploadedFile>(&text) {
                Ok(file) => {
                    state.set(Upload::Done(file.clone()));
                    if let Some(on_change) = on_change {
                        on_change.run(Some(file));
                    }
                }
                Err(_) => failed("The server's answer could not be read. Try again."),
            }
        } else {
            let message = match serde_json::from_str::<crate::error::AppError>(&text) {
                Ok(crate::error::AppError::Invalid(errors)) => errors.messages(),
                Ok(error) => error.to_string(),
                Err(_) => format!("The upload failed (status {status}). Try again."),
            };
            failed(&message);
        }
    });
    request.set_onload(Some(on_load.as_ref().unchecked_ref()));
    on_load.forget();
    let on_error = Closure::<dyn FnMut()>::new(move || {
        failed("The upload was interrupted: the connection to the server was lost. Try again.")
    });
    request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    request.set_onabort(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    if request.send_with_opt_blob(Some(&file)).is_err() {
        failed("The upload could not start. Try again.");
    }
}

#[cfg(not(feature = "hydrate"))]
fn start(
    _purpose: FilePurpose,
    _ev: &leptos::ev::Event,
    _state: RwSignal<Upload>,
    _this: u64,
    _latest: RwSignal<u64>,
    _on_change: Option<Callback<Option<UploadedFile>>>,
) {
}
