//! Document Requests of a customer: what is fulfilled, PostOnce recommendations ("View
//! Recommendations", accept one or all), uploading a document right there, and "Send Selected
//! Documents". Used by the wizard's last step and the customer page's Document Requests tab.

use super::api::{accept_recommendations, attach_document, customer_requests, send_documents};
use super::{DocumentRef, RequestRow, RequestStatus, RequestsPage, SendReport, MAX_SEND};
use crate::documents::api::add_document;
use crate::documents::{FileUpload, UploadedFile};
use crate::domain::{DocumentInput, DocumentStatus, FilePurpose};
use crate::error::AppError;
use crate::ui::{date, date_time, today, ErrorNotice, FormNotice};
use leptos::prelude::*;

#[component]
pub fn RequestsPanel(customer_id: i64) -> impl IntoView {
    let accept = Action::new(move |ids: &Vec<i64>| accept_recommendations(customer_id, ids.clone()));
    let send = Action::new(move |ids: &Vec<i64>| send_documents(customer_id, ids.clone()));
    // Bumped when a document was uploaded and attached in a row.
    let attached = RwSignal::new(0);
    // A big account has thousands of requests: a page at a time, selected across pages.
    let page = RwSignal::new(0_i64);
    let requests = Resource::new(
        move || {
            (
                accept.version().get(),
                send.version().get(),
                attached.get(),
                page.get(),
            )
        },
        move |(.., page)| customer_requests(customer_id, page),
    );
    let show_recommendations = RwSignal::new(false);
    let selected = RwSignal::new(Vec::<i64>::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = send.value().get() {
            selected.set(Vec::new());
        }
    });
    let failure = Signal::derive(move || {
        accept
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| send.value().get().and_then(Result::err))
    });
    view! {
        <section class="requests-panel" aria-labelledby="requests-heading">
            <h2 id="requests-heading">"Document Requests"</h2>
            <FormNotice error=failure/>
            {move || send.value().get().and_then(Result::ok).map(|report: SendReport| view! {
                <p class="notice success" role="status">{format!(
                    "Sent {} document{}: {} email{} queued for the Documents Contacts.",
                    report.documents, if report.documents == 1 { "" } else { "s" },
                    report.emails, if report.emails == 1 { "" } else { "s" },
                )}</p>
            })}
            <Transition fallback=|| view! { <p class="muted">"Loading requests…"</p> }>
                {move || Suspend::new(async move {
                    match requests.await {
                        Ok(requests) => {
                            let (count, current) = (requests.page_count(), requests.page);
                            view! {
                                <RequestTable customer_id requests show_recommendations selected accept send attached/>
                                <RequestPager requests_page=page current count/>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Previous / Next between the pages of requests, and where the reader is: `current`, the page
/// the server read (the one asked for, or the last when fewer remain).
#[component]
fn RequestPager(requests_page: RwSignal<i64>, current: i64, count: i64) -> impl IntoView {
    (count > 1).then(|| {
        view! {
            <nav class="pager" aria-label="Pages of document requests">
                <span>{format!("Page {} of {count}", current + 1)}</span>
                {(current > 0).then(|| view! {
                    <button type="button" on:click=move |_| requests_page.set(current - 1)>"Previous"</button>
                })}
                {(current + 1 < count).then(|| view! {
                    <button type="button" on:click=move |_| requests_page.set(current + 1)>"Next"</button>
                })}
            </nav>
        }
    })
}

#[component]
fn RequestTable(
    customer_id: i64,
    requests: RequestsPage,
    show_recommendations: RwSignal<bool>,
    selected: RwSignal<Vec<i64>>,
    accept: Action<Vec<i64>, Result<u64, AppError>>,
    send: Action<Vec<i64>, Result<SendReport, AppError>>,
    attached: RwSignal<i64>,
) -> impl IntoView {
    if requests.rows.is_empty() {
        return view! {
            <p class="empty">"No document requests. Add locations or items with requirements, and their requests appear here."</p>
        }
        .into_any();
    }
    let RequestsPage {
        rows,
        open,
        ready,
        recommended,
        ..
    } = requests;
    let recommended_count = recommended.len();
    // One press accepts at most what the server takes at once; the rest stay for the next.
    let to_accept: Vec<i64> = recommended.into_iter().take(MAX_SEND).collect();
    let accept_label = if to_accept.len() < recommended_count {
        format!(
            "Accept {} of {recommended_count} recommendations",
            to_accept.len()
        )
    } else {
        format!("Accept all recommendations ({recommended_count})")
    };
    let ready_count = ready.len();
    let all_ready = ready.clone();
    view! {
        <p class="muted">{format!(
            "{open} open, {ready_count} ready to send, {recommended_count} with a recommendation."
        )}</p>
        <div class="toolbar">
            <button type="button" aria-pressed=move || show_recommendations.get().to_string()
                disabled={recommended_count == 0}
                on:click=move |_| show_recommendations.update(|s| *s = !*s)>
                {move || if show_recommendations.get() { "Hide Recommendations" } else { "View Recommendations" }}
            </button>
            {(recommended_count > 0).then(|| view! {
                <button type="button" disabled=move || accept.pending().get()
                    on:click=move |_| { accept.dispatch(to_accept.clone()); }>
                    {accept_label}
                </button>
            })}
        </div>
        <table class="list requests-list">
            <caption class="sr-only">"Document requests of this customer"</caption>
            <thead><tr>
                <th scope="col">
                    <input type="checkbox" aria-label=format!("Select all {ready_count} ready to send, on every page")
                        disabled={ready_count == 0}
                        prop:checked={move || ready_count != 0 && selected.with(|s| s.len() == all_ready.len())}
                        on:change=move |ev| selected.set(if event_target_checked(&ev) { ready.clone() } else { Vec::new() })/>
                </th>
                <th scope="col">"Document type"</th><th scope="col">"For"</th><th scope="col">"Status"</th>
                <th scope="col">"Document"</th><th scope="col">"Downloads"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|row| view! {
                    <RequestLine customer_id row show_recommendations selected accept attached/>
                }).collect_view()}
            </tbody>
        </table>
        <div class="form-actions">
            <button type="button" class="primary"
                disabled=move || selected.with(|s| s.is_empty() || s.len() > MAX_SEND) || send.pending().get()
                on:click=move |_| { send.dispatch(selected.get_untracked()); }>
                "Send Selected Documents"
            </button>
            <span class="muted" aria-live="polite">{move || match selected.with(Vec::len) {
                n if n > MAX_SEND => format!("{n} selected: at most {MAX_SEND} can be sent at once"),
                n => format!("{n} selected"),
            }}</span>
        </div>
    }
    .into_any()
}

fn status_label(row: &RequestRow) -> &'static str {
    match row.status {
        RequestStatus::Sent => "Sent",
        RequestStatus::Open if row.fulfilled() => "Fulfilled",
        RequestStatus::Open => "Open",
    }
}

#[component]
fn DocumentLink(document: DocumentRef) -> impl IntoView {
    view! {
        <a href=format!("/files/{}", document.file_id) download="">{document.title.clone()}</a>
        <span class="muted">{format!(" · until {} · ", document.expires_on)}</span>
        <span class=document.status.class()>{document.status.label()}</span>
    }
}

#[component]
fn RequestLine(
    customer_id: i64,
    row: RequestRow,
    show_recommendations: RwSignal<bool>,
    selected: RwSignal<Vec<i64>>,
    accept: Action<Vec<i64>, Result<u64, AppError>>,
    attached: RwSignal<i64>,
) -> impl IntoView {
    let id = row.id;
    let label = format!("{} for {}", row.type_name, row.listing_name);
    let status = status_label(&row);
    let fulfilled = row.fulfilled();
    let document = match (row.document.clone(), row.recommendation.clone(), row.status) {
        // An attached document that expired before sending can be replaced by a new upload.
        (Some(document), _, RequestStatus::Open) if document.status == DocumentStatus::Expired => {
            let upload_row = row.clone();
            view! { <DocumentLink document/><RequestUpload customer_id row=upload_row attached/> }.into_any()
        }
        (Some(document), _, _) => view! { <DocumentLink document/> }.into_any(),
        (None, _, RequestStatus::Sent) => view! { <span class="muted">"—"</span> }.into_any(),
        (None, recommendation, RequestStatus::Open) => {
            let upload_row = row.clone();
            view! {
                {recommendation.map(|document| view! {
                    <Show when=move || show_recommendations.get()>
                        <div class="recommendation">
                            <span class="badge">"Recommended"</span>" "
                            <DocumentLink document=document.clone()/>" "
                            <button type="button" aria-label=format!("Accept recommendation for {}", label_for(id, &document))
                                on:click=move |_| { accept.dispatch(vec![id]); }>"Accept"</button>
                        </div>
                    </Show>
                })}
                <RequestUpload customer_id row=upload_row attached/>
            }
            .into_any()
        }
    };
    let downloads = match &row.last_download {
        Some((by, at)) => format!("{}× · last by {by}, {}", row.downloads, date_time(*at)),
        None if row.status == RequestStatus::Sent => "Not yet".to_string(),
        None => String::new(),
    };
    view! {
        <tr>
            <td>
                <input type="checkbox" aria-label=format!("Select {label}") disabled=!fulfilled
                    prop:checked=move || selected.with(|s| s.contains(&id))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| { s.retain(|x| *x != id); if on { s.push(id); } });
                    }/>
            </td>
            <td>{row.type_name.clone()}</td>
            <td>
                {row.listing_name.clone()}<span class="muted">{format!(" · {}", row.level)}</span>
                {row.requested_by.clone().map(|name| view! { <br/><span class="badge">{format!("Asked by {name}")}</span> })}
            </td>
            <td>
                <span class=format!("request-status {}", status.to_lowercase())>{status}</span>
                {row.sent_at.map(|at| view! { <span class="muted">{format!(" {}", date(at))}</span> })}
            </td>
            <td>{document}</td>
            <td>{downloads}</td>
        </tr>
    }
}

fn label_for(id: i64, document: &DocumentRef) -> String {
    format!("{} (request {id})", document.title)
}

/// Upload a document for an open request: it is stored on its location or item (as on the
/// listing's page, expiry from the type's validity) and attached to the request.
#[component]
fn RequestUpload(customer_id: i64, row: RequestRow, attached: RwSignal<i64>) -> impl IntoView {
    let request_id = row.id;
    let file = RwSignal::new(None::<UploadedFile>);
    let store = Action::new(move |file: &UploadedFile| {
        let (file, row) = (file.clone(), row.clone());
        async move {
            let title = file
                .file_name
                .rsplit_once('.')
                .map_or(file.file_name.as_str(), |(stem, _)| stem)
                .to_string();
            let input = DocumentInput {
                type_id: row.type_id.to_string(),
                title,
                effective_on: today().to_string(),
                expires_on: String::new(),
                file_id: file.id.clone(),
            };
            let document_id = add_document(row.level.key().to_string(), row.listing_id, input).await?;
            attach_document(customer_id, row.id, document_id).await
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = store.value().get() {
            attached.update(|n| *n += 1);
        }
    });
    let errors = Signal::derive(move || {
        store
            .value()
            .get()
            .and_then(Result::err)
            .and_then(|e| e.field_errors().cloned())
    });
    let failure = Signal::derive(move || {
        store
            .value()
            .get()
            .and_then(Result::err)
            .filter(|e| e.field_errors().is_none())
    });
    let input_id = format!("request-{request_id}-upload");
    view! {
        <details class="request-upload">
            <summary>"Upload"</summary>
            <FormNotice error=failure/>
            <FileUpload purpose=FilePurpose::Document label="File" id=input_id errors
                on_change=Callback::new(move |uploaded| file.set(uploaded))/>
            <button type="button" class="primary" disabled=move || file.with(Option::is_none) || store.pending().get()
                on:click=move |_| { if let Some(f) = file.get_untracked() { store.dispatch(f); } }>
                "Store and attach"
            </button>
        </details>
    }
}
