//! What staff see of the portal: the customer's Portal card (toggles, invitations, "Place order
//! as customer") and the supplier-wide switch in Settings.

use super::admin::{
    customer_portal, portal_open_setting, InviteContacts, SetCustomerPortal, SetPortalOpen,
    SetSundayReminders, StartActing,
};
use super::{InvitationStatus, PortalInvitee};
use crate::ui::{any_error, error_of, CursorPager, CursorPages, CursorSearch, ErrorNotice, FormNotice};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// The customer's portal: "Portal" toggle (turning it on offers to invite the contacts), "Send
/// Reminder Email on Sundays", each contact's invitation with "Invite" / "Resend invitation",
/// and "Place order as customer".
#[component]
pub fn PortalCard(customer_id: i64) -> impl IntoView {
    let toggle = ServerAction::<SetCustomerPortal>::new();
    let reminders = ServerAction::<SetSundayReminders>::new();
    let invite = ServerAction::<InviteContacts>::new();
    let act = ServerAction::<StartActing>::new();
    // A page of the contacts at a time, searchable, as on the Contacts tab.
    let pages = CursorPages::new();
    let access = Resource::new(
        move || {
            (
                toggle.version().get(),
                reminders.version().get(),
                invite.version().get(),
                pages.q.get(),
                pages.after(),
            )
        },
        move |(.., q, after)| customer_portal(customer_id, Some(q), after),
    );
    // Set when staff turn the portal on here: the invitation offer shows until sent or dismissed.
    let offer = RwSignal::new(false);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = act.value().get() {
            navigate(&format!("/portal/c/{customer_id}"), Default::default());
        }
    });
    let sent = Signal::derive(move || match invite.value().get() {
        Some(Ok(n)) => Some(format!(
            "{n} invitation{} queued. Each shows below once sent.",
            if n == 1 { "" } else { "s" }
        )),
        _ => None,
    });
    let failure = any_error([
        error_of(Signal::from(toggle.value())),
        error_of(Signal::from(reminders.value())),
        error_of(Signal::from(invite.value())),
        error_of(Signal::from(act.value())),
    ]);
    view! {
        <section class="card portal-card" aria-labelledby="portal-heading">
            <h2 id="portal-heading">"Portal"</h2>
            <FormNotice error=failure/>
            {move || sent.get().map(|text| view! { <p class="notice success" role="status">{text}</p> })}
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match access.await {
                        Ok(access) => {
                            let enabled = access.enabled;
                            view! {
                                {(!access.portal_open).then(|| view! {
                                    <p class="notice warning">"The portal is closed for all customers (Settings → Portal)."</p>
                                })}
                                <div class="field checkbox">
                                    <input id="portal-enabled" type="checkbox" checked=enabled on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        offer.set(on);
                                        toggle.dispatch(SetCustomerPortal { customer_id, on });
                                    }/>
                                    <label for="portal-enabled">"Portal"</label>
                                </div>
                                <div class="field checkbox">
                                    <input id="sunday-reminders" type="checkbox" checked=access.sunday_reminders on:change=move |ev| {
                                        reminders.dispatch(SetSundayReminders { customer_id, on: event_target_checked(&ev) });
                                    }/>
                                    <label for="sunday-reminders">"Send Reminder Email on Sundays"</label>
                                </div>
                                {(enabled && offer.get_untracked()).then(|| view! {
                                    <InvitationOffer customer_id invitees=access.invitees.clone() invite offer/>
                                })}
                                <CursorSearch pages id="invitee-search" total=access.contacts noun="contacts"/>
                                {
                                    let next = access.invitees.last().map(|i| i.contact_id).filter(|_| access.has_next);
                                    view! {
                                        <InviteeTable customer_id invitees=access.invitees enabled invite/>
                                        <CursorPager pages next label="Pages of invitations"/>
                                    }
                                }
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            <button type="button" on:click=move |_| { act.dispatch(StartActing { customer_id }); }>
                "Place order as customer"
            </button>
        </section>
    }
}

/// After the portal was turned on: "Email an invitation to …?" with the contacts not yet invited
/// ticked, and "Send Email".
#[component]
fn InvitationOffer(
    customer_id: i64,
    invitees: Vec<PortalInvitee>,
    invite: ServerAction<InviteContacts>,
    offer: RwSignal<bool>,
) -> impl IntoView {
    let waiting: Vec<PortalInvitee> = invitees
        .into_iter()
        .filter(|i| !matches!(i.status, InvitationStatus::Accepted { .. }))
        .collect();
    if waiting.is_empty() {
        return ().into_any();
    }
    let chosen = RwSignal::new(waiting.iter().map(|i| i.contact_id).collect::<Vec<i64>>());
    view! {
        <div class="notice" role="region" aria-label="Invite contacts">
            <p>"The portal is on. Email an invitation to the customer's contacts?"</p>
            <ul class="plain">
                {waiting.into_iter().map(|i| {
                    let id = i.contact_id;
                    let box_id = format!("invite-{id}");
                    view! {
                        <li class="field checkbox">
                            <input type="checkbox" id=box_id.clone() checked=true on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|ids| {
                                    ids.retain(|x| *x != id);
                                    if on { ids.push(id); }
                                });
                            }/>
                            <label for=box_id>{format!("{} <{}>", i.name, i.email)}</label>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <button type="button" class="primary" disabled=move || chosen.with(Vec::is_empty) || invite.pending().get()
                on:click=move |_| {
                    invite.dispatch(InviteContacts { customer_id, contact_ids: chosen.get() });
                    offer.set(false);
                }>
                "Send Email"
            </button>
            <button type="button" on:click=move |_| offer.set(false)>"Not now"</button>
        </div>
    }
    .into_any()
}

#[component]
fn InviteeTable(
    customer_id: i64,
    invitees: Vec<PortalInvitee>,
    enabled: bool,
    invite: ServerAction<InviteContacts>,
) -> impl IntoView {
    if invitees.is_empty() {
        return view! { <p class="muted">"Add contacts to this customer to invite them to the portal."</p> }
            .into_any();
    }
    view! {
        <table class="list">
            <caption class="sr-only">"Portal invitations"</caption>
            <thead><tr>
                <th scope="col">"Contact"</th><th scope="col">"Role"</th><th scope="col">"Invitation"</th>
                <th scope="col"><span class="sr-only">"Actions"</span></th>
            </tr></thead>
            <tbody>
                {invitees.into_iter().map(|i| {
                    let id = i.contact_id;
                    let again = !matches!(i.status, InvitationStatus::NotInvited);
                    let label = if again { "Resend invitation" } else { "Invite" };
                    view! {
                        <tr>
                            <td>{i.name.clone()}<br/><span class="muted">{i.email.clone()}</span></td>
                            <td>{i.role.to_string()}</td>
                            <td>{i.status.label()}</td>
                            <td>
                                <button type="button" disabled=!enabled aria-label=format!("{label}: {}", i.name)
                                    on:click=move |_| { invite.dispatch(InviteContacts { customer_id, contact_ids: vec![id] }); }>
                                    {label}
                                </button>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Settings → Portal: open or close the portal for all customers (Admins change it).
#[component]
pub fn PortalSettings() -> impl IntoView {
    let set = ServerAction::<SetPortalOpen>::new();
    let open = Resource::new(move || set.version().get(), |_| portal_open_setting());
    view! {
        <section class="card" aria-labelledby="portal-settings-heading">
            <h2 id="portal-settings-heading">"Portal"</h2>
            <FormNotice error=error_of(Signal::from(set.value()))/>
            <Transition>
                {move || Suspend::new(async move {
                    match open.await {
                        Ok(on) => view! {
                            <div class="field checkbox">
                                <input id="portal-open" type="checkbox" checked=on on:change=move |ev| {
                                    set.dispatch(SetPortalOpen { on: event_target_checked(&ev) });
                                }/>
                                <label for="portal-open">"Customer portal open"</label>
                            </div>
                            <p class="muted">"When closed, no contact can sign in to order; each customer's Portal toggle is kept."</p>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
