//! `/activity`: the Activity Log across all customers, for Admins, with filters in the URL.

use super::api::activity_log;
use super::kinds::KINDS;
use super::{ActivityFilter, ChangedValues};
use crate::error::AppError;
use crate::ui::{date_time, ErrorNotice, FormNotice};
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

#[component]
pub fn ActivityLogPage() -> impl IntoView {
    let params = use_query_map();
    let filter = Memo::new(move |_| {
        params.with(|p| {
            let text = |k: &str| p.get(k).unwrap_or_default();
            ActivityFilter {
                customer: text("customer"),
                action: text("action"),
                who: text("who"),
                from: text("from"),
                to: text("to"),
                before: p.get("before").and_then(|b| b.parse().ok()),
            }
        })
    });
    let page = Resource::new(move || filter.get(), activity_log);
    let users = Resource::new(|| (), |_| crate::settings::api::list_staff_users());
    view! {
        <section class="page">
            <h1>"Activity Log"</h1>
            <p class="muted">"Every change to every customer: who, when, what, and the values before and after."</p>
            {move || {
                let f = filter.get();
                view! {
                    <Form method="GET" action="/activity" attr:class="search-bar" attr:role="search" attr:aria-label="Filter the Activity Log">
                        <div class="field">
                            <label for="log-customer">"Customer"</label>
                            <input id="log-customer" name="customer" type="search" value=f.customer.clone() placeholder="Name"/>
                        </div>
                        <div class="field">
                            <label for="log-action">"Kind of change"</label>
                            <select id="log-action" name="action">
                                <option value="" selected=f.action.is_empty()>"Any"</option>
                                {KINDS.iter().map(|(key, label)| view! {
                                    <option value=*key selected=f.action == *key>{*label}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <Transition fallback=|| ()>
                            {
                                let who = f.who.clone();
                                move || {
                                    let who = who.clone();
                                    Suspend::new(async move {
                                        let users = users.await.unwrap_or_default();
                                        view! {
                                            <div class="field">
                                                <label for="log-who">"Staff user"</label>
                                                <select id="log-who" name="who">
                                                    <option value="" selected=who.is_empty()>"Anyone"</option>
                                                    {users.into_iter().map(|u| {
                                                        let selected = who == u.id.to_string();
                                                        view! { <option value=u.id selected=selected>{u.name}</option> }
                                                    }).collect_view()}
                                                </select>
                                            </div>
                                        }
                                    })
                                }
                            }
                        </Transition>
                        <div class="field">
                            <label for="log-from">"From"</label>
                            <input id="log-from" name="from" type="date" value=f.from.clone()/>
                        </div>
                        <div class="field">
                            <label for="log-to">"To"</label>
                            <input id="log-to" name="to" type="date" value=f.to.clone()/>
                        </div>
                        <button type="submit">"Filter"</button>
                    </Form>
                }
            }}
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) if page.rows.is_empty() => view! { <p class="empty">"No changes match."</p> }.into_any(),
                        Ok(page) => {
                            let next = page.next_before.map(|before| next_href(&filter.get_untracked(), before));
                            view! {
                                <table class="list">
                                    <thead><tr>
                                        <th scope="col">"When"</th><th scope="col">"Customer"</th>
                                        <th scope="col">"Who"</th><th scope="col">"What"</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.rows.into_iter().map(|row| view! {
                                            <tr>
                                                <td>{date_time(row.entry.created_at)}</td>
                                                <td><a href=format!("/customers/{}?tab=activity", row.customer_id)>{row.customer_name}</a></td>
                                                <td>{row.entry.actor_name}{if row.entry.by_staff { " (staff)" } else { "" }}</td>
                                                <td>{row.entry.detail}<ChangedValues before=row.entry.before after=row.entry.after/></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                {next.map(|href| view! { <nav class="pager" aria-label="Pages"><A href=href>"Older ›"</A></nav> })}
                            }.into_any()
                        }
                        Err(AppError::Invalid(errors)) => view! {
                            <FormNotice error=Signal::derive(move || Some(AppError::Refused(errors.messages())))/>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The next page's address: the same filters, older entries.
fn next_href(filter: &ActivityFilter, before: i64) -> String {
    let mut params = vec![format!("before={before}")];
    for (key, value) in [
        ("customer", &filter.customer),
        ("action", &filter.action),
        ("who", &filter.who),
        ("from", &filter.from),
        ("to", &filter.to),
    ] {
        if !value.is_empty() {
            params.push(format!("{key}={}", crate::ui::url_encode(value)));
        }
    }
    format!("/activity?{}", params.join("&"))
}
