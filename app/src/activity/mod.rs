//! A customer's Activity: who did what, when. Written in the same transaction as the change.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;

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
    pub created_at: i64,
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
                                            <td>{e.detail.clone()}</td>
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
