//! A customer's Activity: who did what, when. Written in the same transaction as the change.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod kinds;
mod log_page;

pub use log_page::ActivityLogPage;

use crate::ui::{date_time, ErrorNotice};
use api::customer_activity;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEntry {
    pub id: i64,
    pub actor_name: String,
    /// Set when a staff user did it (otherwise a contact, in the portal).
    pub by_staff: bool,
    pub action: String,
    pub detail: String,
    /// The value the change replaced, and the value it set, where it changed one.
    pub before: Option<String>,
    pub after: Option<String>,
    pub created_at: i64,
}

/// The fields a save changes, as "Field: value" lines before and after; `None` when it changes
/// nothing. Each field is its label, its value before and its value after.
pub fn field_changes<'a>(
    fields: impl IntoIterator<Item = (&'a str, String, String)>,
) -> Option<(String, String)> {
    let (mut was, mut is) = (Vec::new(), Vec::new());
    for (field, old, new) in fields {
        if old != new {
            was.push(format!("{field}: {old}"));
            is.push(format!("{field}: {new}"));
        }
    }
    (!was.is_empty()).then(|| (was.join("\n"), is.join("\n")))
}

/// An entry of the Activity Log, with its customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogRow {
    pub customer_id: i64,
    pub customer_name: String,
    pub entry: ActivityEntry,
}

/// The Activity Log's filters as typed (and kept in the page's URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityFilter {
    /// Words of the customer's name.
    pub customer: String,
    /// An action key of [`kinds::KINDS`], or empty for every kind.
    pub action: String,
    /// A staff user's id, or empty for anyone.
    pub who: String,
    pub from: String,
    pub to: String,
    /// Entries older than this one (the next page).
    pub before: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogPage {
    pub rows: Vec<LogRow>,
    /// Where the next page starts, when there is one.
    pub next_before: Option<i64>,
}

/// The customer page's Activity tab, newest first.
#[component]
pub fn ActivityPanel(customer_id: i64) -> impl IntoView {
    let entries = Resource::new(|| (), move |_| customer_activity(customer_id));
    view! {
        <section aria-labelledby="activity-heading">
            <h2 id="activity-heading">"Activity"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(entries) if entries.is_empty() => view! { <p class="empty">"Nothing recorded yet."</p> }.into_any(),
                        Ok(entries) => view! {
                            <table class="list">
                                <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th></tr></thead>
                                <tbody>
                                    {entries.into_iter().map(|e| view! {
                                        <tr>
                                            <td>{date_time(e.created_at)}</td>
                                            <td>{e.actor_name.clone()}{if e.by_staff { " (staff)" } else { "" }}</td>
                                            <td>
                                                {e.detail.clone()}
                                                <ChangedValues before=e.before.clone() after=e.after.clone()/>
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// "Before → after" under an entry that changed a value.
#[component]
pub fn ChangedValues(before: Option<String>, after: Option<String>) -> impl IntoView {
    (before.is_some() || after.is_some()).then(|| {
        let shown =
            |value: Option<String>| value.filter(|v| !v.is_empty()).unwrap_or_else(|| "(none)".into());
        view! {
            <p class="change muted">
                <span class="sr-only">"Before: "</span><del>{shown(before)}</del>
                <span aria-hidden="true">" → "</span>
                <span class="sr-only">"After: "</span><ins>{shown(after)}</ins>
            </p>
        }
    })
}
