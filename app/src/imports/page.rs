//! "Upload Customers" and "Upload Contacts": choose a file, watch it upload and be checked, read
//! the preview, choose what to do with existing records and bad rows, import, watch it go. The
//! upload's id is kept in the URL, so a refresh (or coming back later) finds it again.

use super::api::{upload_status, RunImport, StartImport};
use super::{ImportKind, ImportStatus, Match, Preview, Problem};
use crate::documents::FileUpload;
use crate::domain::FilePurpose;
use crate::error::AppError;
use crate::ui::{error_of, field_errors_of, ErrorNotice, FormNotice};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use std::time::Duration;

#[component]
pub fn ImportCustomersPage() -> impl IntoView {
    view! { <ImportPage kind=ImportKind::Customers/> }
}

#[component]
pub fn ImportContactsPage() -> impl IntoView {
    view! { <ImportPage kind=ImportKind::Contacts/> }
}

/// 12345 as "12,345".
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 row", "2 rows".
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

#[component]
fn ImportPage(kind: ImportKind) -> impl IntoView {
    let (title, back, what) = match kind {
        ImportKind::Customers => ("Upload Customers", "/customers", "Customers"),
        ImportKind::Contacts => ("Upload Contacts", "/contacts", "Contacts"),
    };
    let query = use_query_map();
    let upload_id = Memo::new(move |_| query.with(|q| q.get("upload").and_then(|v| v.parse::<i64>().ok())));
    let start = ServerAction::<StartImport>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = start.value().get() {
            navigate(&format!("{back}/import?upload={id}"), Default::default());
        }
    });
    let tick = RwSignal::new(0u64);
    let run = ServerAction::<RunImport>::new();
    let status = Resource::new(
        move || (upload_id.get(), tick.get(), run.version().get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => Some(upload_status(id).await),
                None => None,
            }
        },
    );
    // Asks again twice a second while the file is being read or imported, and every few
    // seconds when the server could not be asked (a restart, a lost connection).
    Effect::new(move |_| {
        let again = match status.get() {
            Some(Some(Ok(status))) if status.in_progress() => Some(500),
            Some(Some(Err(AppError::Internal(_) | AppError::Refused(_)))) => Some(3000),
            _ => None,
        };
        if let Some(ms) = again {
            set_timeout(move || tick.update(|t| *t += 1), Duration::from_millis(ms));
        }
    });
    let on_file = Callback::new(move |file: Option<crate::documents::UploadedFile>| {
        if let Some(file) = file {
            start.dispatch(StartImport {
                kind: kind.key().to_string(),
                file_id: file.id,
                file_name: file.file_name,
            });
        }
    });
    let update_existing = RwSignal::new(false);
    let good_rows_only = RwSignal::new(false);
    let template = format!("{back}/import-template.xlsx");
    let intro = match kind {
        ImportKind::Customers => "One row per customer. A contact in the same row is found by email, or created, and assigned to the customer; repeat a customer's row to give it more contacts.",
        ImportKind::Contacts => "One row per contact, with the account numbers of the customers to assign them to. A contact whose email is already in Clientele is found, not created again.",
    };
    view! {
        <section class="page import-page">
            <p class="crumbs"><A href=back>{what}</A>{format!(" › {title}")}</p>
            <h1>{title}</h1>
            <p>{intro}" Nothing is stored until you press Import."</p>
            <p><a href=template download>"Get Excel template"</a></p>
            <FileUpload purpose=FilePurpose::Import label="Spreadsheet to import" field="file"
                errors=field_errors_of(start.value().into()) on_change=on_file id="import-file".to_string()/>
            <FormNotice error=error_of(start.value().into())/>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        None => ().into_any(),
                        Some(Err(error)) => view! { <ErrorNotice error/> }.into_any(),
                        Some(Ok(status)) => {
                            let id = upload_id.get_untracked().unwrap_or_default();
                            view! { <StatusView id kind status run update_existing good_rows_only/> }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Progress(label: String, done: Option<(usize, usize)>) -> impl IntoView {
    let (value, text) = match done {
        Some((done, total)) if total > 0 => {
            let percent = (done * 100 / total).min(100);
            (
                Some(percent.to_string()),
                format!("{label}: {} of {} ({percent}%)", count(done), count(total)),
            )
        }
        _ => (None, format!("{label}…")),
    };
    view! {
        <div class="upload-progress import-progress" role="status">
            <progress max="100" value=value aria-label=label.clone()></progress>
            <span>{text}</span>
        </div>
    }
}

#[component]
fn StatusView(
    id: i64,
    kind: ImportKind,
    status: ImportStatus,
    run: ServerAction<RunImport>,
    update_existing: RwSignal<bool>,
    good_rows_only: RwSignal<bool>,
) -> impl IntoView {
    match status {
        ImportStatus::Reading => {
            view! { <Progress label="Reading the file".to_string() done=None/> }.into_any()
        }
        ImportStatus::Checking { rows } => {
            view! { <Progress label=format!("Checking {}", plural(rows, "row", "rows")) done=None/> }
                .into_any()
        }
        ImportStatus::Previewed(preview) => view! {
            <PreviewView id kind preview/>
            <ImportForm id kind run update_existing good_rows_only/>
        }
        .into_any(),
        ImportStatus::Importing { done, total, preview } => view! {
            <Progress label="Importing".to_string() done=Some((done, total))/>
            <PreviewView id kind preview/>
        }
        .into_any(),
        ImportStatus::Imported { report, preview } => {
            let noun = kind.noun();
            let list = match kind {
                ImportKind::Customers => "/customers",
                ImportKind::Contacts => "/contacts",
            };
            view! {
                <div class="notice success" role="status">
                    <p><strong>{format!("Imported '{}'.", preview.file_name)}</strong></p>
                    <ul>
                        <li>{format!("{} created", plural(report.created, &noun[..noun.len() - 1], noun))}</li>
                        <li>{format!("{} updated", count(report.updated))}</li>
                        <li>{format!("{} skipped (already in Clientele)", count(report.skipped))}</li>
                        <li>{format!("{} with problems left out", plural(report.left_out, "row", "rows"))}</li>
                        <li>{format!("{} created, {} assigned to customers", plural(report.contacts_created, "contact", "contacts"), count(report.contacts_assigned))}</li>
                    </ul>
                    <p><a href=list>{format!("View {noun}")}</a></p>
                </div>
            }
            .into_any()
        }
        ImportStatus::Failed { message, preview } => {
            let again = preview.is_some();
            view! {
                <div class="notice error" role="alert">{message}</div>
                {preview.map(|preview| view! {
                    <PreviewView id kind preview/>
                    <ImportForm id kind run update_existing good_rows_only/>
                })}
                {(!again).then(|| view! { <p>"Choose another file above."</p> })}
            }
            .into_any()
        }
    }
}

#[component]
fn PreviewView(id: i64, kind: ImportKind, preview: Preview) -> impl IntoView {
    let noun = kind.noun();
    let one = &noun[..noun.len() - 1];
    let errors_href = format!("/imports/{id}/errors.xlsx");
    let more_problems = (preview.problem_count > preview.problems.len()).then(|| {
        format!(
            "The first {} of {} problems are shown; the download has them all.",
            count(preview.problems.len()),
            count(preview.problem_count)
        )
    });
    let more_matches = (preview.existing > preview.matches.len()).then(|| {
        format!(
            "The first {} of {} are shown.",
            count(preview.matches.len()),
            count(preview.existing)
        )
    });
    view! {
        <section class="import-preview" aria-labelledby="preview-title">
            <h2 id="preview-title">{format!("Preview of '{}'", preview.file_name)}</h2>
            <ul class="import-summary">
                <li>{format!("{} read", plural(preview.rows, "row", "rows"))}</li>
                <li>{format!("{} would be created", plural(preview.new, &format!("new {one}"), &format!("new {noun}")))}</li>
                <li>{format!("{} already in Clientele", plural(preview.existing, one, noun))}</li>
                <li class:bad={preview.bad_rows > 0}>{format!("{} with problems", plural(preview.bad_rows, "row", "rows"))}</li>
                {(kind == ImportKind::Customers).then(|| view! {
                    <li>{format!("{}, {} already in Clientele", plural(preview.new_contacts, "new contact", "new contacts"), count(preview.matched_contacts))}</li>
                })}
            </ul>
            {preview.example_row_skipped.then(|| view! { <p class="muted">"The template's example row is still in the file; it will not be imported."</p> })}
            {(!preview.ignored_columns.is_empty()).then(|| view! {
                <p class="muted">{format!("Columns Clientele does not read, left out: {}.", preview.ignored_columns.join(", "))}</p>
            })}
            {(!preview.problems.is_empty()).then(|| view! {
                <h3>"Rows with problems"</h3>
                <p><a href=errors_href.clone() download>"Download the rows with problems (xlsx)"</a>" — with a column saying what to fix; correct them there and upload that file."</p>
                {more_problems.clone().map(|m| view! { <p class="muted">{m}</p> })}
                <ProblemTable problems=preview.problems.clone()/>
            })}
            {(!preview.matches.is_empty()).then(|| view! {
                <h3>{format!("Rows naming {} already in Clientele", noun)}</h3>
                {more_matches.clone().map(|m| view! { <p class="muted">{m}</p> })}
                <MatchTable kind matches=preview.matches.clone()/>
            })}
        </section>
    }
}

#[component]
fn ProblemTable(problems: Vec<Problem>) -> impl IntoView {
    view! {
        <table class="list problems">
            <thead><tr><th scope="col">"Row"</th><th scope="col">"Column"</th><th scope="col">"Problem"</th></tr></thead>
            <tbody>
                {problems.into_iter().map(|p| view! {
                    <tr><td>{p.row}</td><td>{p.column}</td><td>{p.message}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn MatchTable(kind: ImportKind, matches: Vec<Match>) -> impl IntoView {
    let base = match kind {
        ImportKind::Customers => "/customers",
        ImportKind::Contacts => "/contacts",
    };
    view! {
        <table class="list matches">
            <thead><tr><th scope="col">"Row"</th><th scope="col">"In the file"</th><th scope="col">"In Clientele"</th><th scope="col">"Matched by"</th></tr></thead>
            <tbody>
                {matches.into_iter().map(|m| view! {
                    <tr>
                        <td>{m.row}</td>
                        <td>{m.name}</td>
                        <td><a href=format!("{base}/{}", m.existing_id)>{m.existing_name}</a></td>
                        <td>{m.by}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn ImportForm(
    id: i64,
    kind: ImportKind,
    run: ServerAction<RunImport>,
    update_existing: RwSignal<bool>,
    good_rows_only: RwSignal<bool>,
) -> impl IntoView {
    let noun = kind.noun();
    let (skip, update) = match kind {
        ImportKind::Customers => (
            "Skip them",
            "Update them from the file (empty cells keep what is stored)",
        ),
        ImportKind::Contacts => (
            "Keep their details (they are still assigned to the row's customers)",
            "Update their details from the file (empty cells keep what is stored)",
        ),
    };
    view! {
        <form class="import-form" on:submit=move |ev| {
            ev.prevent_default();
            run.dispatch(RunImport { id, update_existing: update_existing.get_untracked(), good_rows_only: good_rows_only.get_untracked() });
        }>
            <fieldset>
                <legend>{format!("Rows naming {noun} already in Clientele")}</legend>
                <label class="choice">
                    <input type="radio" name="existing" value="skip" prop:checked=move || !update_existing.get()
                        on:change=move |_| update_existing.set(false)/>
                    {skip}
                </label>
                <label class="choice">
                    <input type="radio" name="existing" value="update" prop:checked=move || update_existing.get()
                        on:change=move |_| update_existing.set(true)/>
                    {update}
                </label>
            </fieldset>
            <label class="choice">
                <input type="checkbox" name="good_rows_only" prop:checked=move || good_rows_only.get()
                    on:change=move |ev| good_rows_only.set(event_target_checked(&ev))/>
                "Import the good rows and leave out the rows with problems"
            </label>
            <FormNotice error=error_of(run.value().into())/>
            <button type="submit" class="primary" disabled=move || run.pending().get()>"Import"</button>
            <p class="hint">"All the rows are stored in one go, or none: if anything fails, nothing changes."</p>
        </form>
    }
}
