//! The Security log (Settings → Security, Admins): sign-ins and failed ones, throttled attempts,
//! password changes and resets, signing out everywhere, users added and roles changed, two-factor
//! sign-in turned on, off, reset or required, wrong codes and recovery codes used — each
//! with who, when and the client address. Staff and contacts alike; kept for a year.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;

use crate::ui::{date_time, CursorPager, CursorPages, ErrorNotice};
use leptos::prelude::*;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};

/// One event of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityEvent {
    pub id: i64,
    pub at: i64,
    pub kind: String,
    /// Whose account: the email typed or the account's.
    pub email: String,
    /// Staff or contact.
    pub account: String,
    pub address: String,
    /// Who did it when not the account's owner (an Admin changing a role), and the like.
    pub detail: String,
}

/// A page of the log, newest first; `next` is the last row's id when older ones follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityLogPage {
    pub rows: Vec<SecurityEvent>,
    pub next: Option<i64>,
}

/// What the event's kind says, in words.
pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "signed_in" => "Signed in",
        "password_accepted" => "Password right; second step asked",
        "password_confirmed" => "Confirmed their password (to change it)",
        "sign_in_failed" => "Failed sign-in",
        "sign_in_throttled" => "Sign-in refused: too many failures",
        "password_changed" => "Changed their password",
        "password_reset_asked" => "Asked for a password reset",
        "password_reset" => "Reset their password by email",
        "signed_out_everywhere" => "Signed out everywhere",
        "user_added" => "User added",
        "role_changed" => "Role changed",
        "user_removed" => "User removed",
        "two_factor_enabled" => "Turned two-factor sign-in on",
        "two_factor_disabled" => "Turned two-factor sign-in off",
        "two_factor_failed" => "Wrong two-factor code",
        "two_factor_reset" => "Two-factor sign-in reset by an Admin",
        "two_factor_required" => "Two-factor required of everyone (on/off)",
        "recovery_code_used" => "Used a recovery code",
        "recovery_codes_renewed" => "Made new recovery codes",
        _ => "Other",
    }
}

#[component]
pub fn SecurityLogPage() -> impl IntoView {
    let pages = CursorPages::new();
    let log = Resource::new(
        move || (pages.q.get(), pages.after()),
        |(email, before)| api::security_log(email, before),
    );
    view! {
        <section class="page">
            <p class="crumbs"><A href="/settings">"Settings"</A>" › Security"</p>
            <h1>"Security log"</h1>
            <p class="muted">"Sign-ins, failures, lock-outs, password and role changes of the last year, newest first."</p>
            <div class="field">
                <label for="security-email">"Only this email"</label>
                <input id="security-email" type="search" autocomplete="off" maxlength="200"
                    on:change=move |ev| pages.q.set(event_target_value(&ev))/>
            </div>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match log.await {
                        Ok(page) if page.rows.is_empty() => view! { <p class="muted">"Nothing logged."</p> }.into_any(),
                        Ok(page) => view! {
                            <table class="list">
                                <thead><tr>
                                    <th scope="col">"When"</th><th scope="col">"What"</th><th scope="col">"Email"</th>
                                    <th scope="col">"Account"</th><th scope="col">"Address"</th><th scope="col">"Detail"</th>
                                </tr></thead>
                                <tbody>
                                    {page.rows.into_iter().map(|event| view! {
                                        <tr>
                                            <td>{date_time(event.at)}</td>
                                            <td>{kind_label(&event.kind)}</td>
                                            <td>{event.email}</td>
                                            <td>{event.account}</td>
                                            <td>{event.address}</td>
                                            <td>{event.detail}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <CursorPager pages next=page.next label="Security log pages"/>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
