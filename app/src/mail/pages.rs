//! A customer's Messages tab and Settings → Email Log.

use super::api::{customer_messages, email_log, resend_email, EMAIL_LOG_PAGE};
use super::{EmailRow, EmailStatus};
use crate::error::AppError;
use crate::ui::{date_time, ErrorNotice, FormNotice};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn MessagesPanel(customer_id: i64) -> impl IntoView {
    let resend = Action::new(|id: &i64| resend_email(*id));
    let messages = Resource::new(
        move || resend.version().get(),
        move |_| customer_messages(customer_id),
    );
    view! {
        <section class="messages-panel" aria-labelledby="messages-heading">
            <h2 id="messages-heading">"Messages"</h2>
            <p class="muted">"Every email sent to this customer's contacts, newest first."</p>
            <FormNotice error=Signal::derive(move || resend.value().get().and_then(Result::err))/>
            {move || resend.value().get().and_then(Result::ok).map(|_| view! {
                <p class="notice success" role="status">"Queued again. It appears at the top with its own status."</p>
            })}
            <Transition fallback=|| view! { <p class="muted">"Loading messages…"</p> }>
                {move || Suspend::new(async move {
                    match messages.await {
                        Ok(rows) if rows.is_empty() => view! { <p class="empty">"No emails yet."</p> }.into_any(),
                        Ok(rows) => view! { <EmailTable rows resend=Some(resend) show_customer=false/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn status_text(row: &EmailRow) -> String {
    match (row.status, &row.last_error) {
        (EmailStatus::Sent, _) => format!("Sent {}", row.sent_at.map(date_time).unwrap_or_default()),
        (EmailStatus::Failed, Some(error)) => format!("Failed: {error}"),
        (EmailStatus::Queued, Some(error)) => {
            format!("Queued, retrying (attempt {} failed: {error})", row.attempts)
        }
        (status, _) => status.label().to_string(),
    }
}

#[component]
fn EmailTable(
    rows: Vec<EmailRow>,
    resend: Option<Action<i64, Result<i64, AppError>>>,
    show_customer: bool,
) -> impl IntoView {
    view! {
        <table class="list emails-list">
            <caption class="sr-only">"Emails"</caption>
            <thead><tr>
                <th scope="col">"When"</th>
                {show_customer.then(|| view! { <th scope="col">"Customer"</th> })}
                <th scope="col">"To"</th><th scope="col">"Subject"</th><th scope="col">"Status"</th>
                {resend.is_some().then(|| view! { <th scope="col"><span class="sr-only">"Actions"</span></th> })}
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|row| {
                    let id = row.id;
                    let status_class = format!("email-status {}", row.status.label().to_lowercase());
                    view! {
                        <tr>
                            <td>{date_time(row.created_at)}</td>
                            {show_customer.then(|| view! { <td>{row.customer.clone().unwrap_or_default()}</td> })}
                            <td>{format!("{} <{}>", row.to_name, row.to_address)}</td>
                            <td>
                                <details>
                                    <summary>{row.subject.clone()}</summary>
                                    <pre class="email-body">{row.text_body.clone()}</pre>
                                </details>
                            </td>
                            <td><span class=status_class>{status_text(&row)}</span></td>
                            {resend.map(|resend| view! {
                                <td>
                                    <button type="button" disabled=move || resend.pending().get()
                                        aria-label=format!("Resend “{}” to {}", row.subject, row.to_address)
                                        on:click=move |_| { resend.dispatch(id); }>"Resend"</button>
                                </td>
                            })}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Settings → Email Log (Admins): every email in the outbox, newest first, 50 at a time.
#[component]
pub fn EmailLogPage() -> impl IntoView {
    let before = RwSignal::new(None::<i64>);
    let page = Resource::new(move || before.get(), email_log);
    view! {
        <section class="page">
            <p class="crumbs"><A href="/settings">"Settings"</A>" › Email Log"</p>
            <h1>"Email Log"</h1>
            <p class="muted">
                "Every email Clientele sends. Without an SMTP server configured (SMTP_URL), emails stay queued here."
            </p>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(rows) if rows.is_empty() => view! { <p class="empty">"No emails."</p> }.into_any(),
                        Ok(rows) => {
                            let last = rows.last().map(|r| r.id);
                            let full = rows.len() as i64 == EMAIL_LOG_PAGE;
                            view! {
                                <EmailTable rows resend=None show_customer=true/>
                                <div class="pager">
                                    {move || before.get().is_some().then(|| view! {
                                        <button type="button" on:click=move |_| before.set(None)>"Newest"</button>
                                    })}
                                    {full.then(|| view! {
                                        <button type="button" on:click=move |_| before.set(last)>"Older"</button>
                                    })}
                                </div>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
