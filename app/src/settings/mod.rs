//! Settings: for now, the staff users and their roles (Admin only).

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;

use crate::domain::{Email, Password, PersonName, Role};
use crate::two_factor::api::{two_factor_users, ResetTwoFactor};
use crate::ui::{error_of, field_errors_of, ErrorNotice, Field, FormNotice};
use api::{digital_admins, list_staff_users, AddStaffUser, ChangeRole, RemoveStaffUser, SetDigitalAdmin};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Settings"</h1>
            <ul class="link-list">
                <li><A href="/settings/users">"Users"</A>" — staff accounts and their roles."</li>
                <li><A href="/settings/customer-groups">"Customer Groups"</A>" — price adjustments and tax exemption for groups of customers (Admins edit)."</li>
                <li><A href="/activity">"Activity Log"</A>" — every change to every customer, with filters (Admins)."</li>
                <li><A href="/settings/email-log">"Email Log"</A>" — every email sent, with its delivery status (Admins)."</li>
                <li><A href="/settings/security">"Security"</A>" — sign-ins, failures, lock-outs, password and role changes (Admins)."</li>
            </ul>
            <crate::two_factor::RequireTwoFactorSetting/>
            <crate::portal::PortalSettings/>
            <crate::registration::RegistrationSettings/>
            <PriceListDomainForm/>
            <crate::profile::SourcesSettings/>
        </section>
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let add = ServerAction::<AddStaffUser>::new();
    let change = ServerAction::<ChangeRole>::new();
    let digital = ServerAction::<SetDigitalAdmin>::new();
    let remove = ServerAction::<RemoveStaffUser>::new();
    let reset = ServerAction::<ResetTwoFactor>::new();
    // The user whose removal waits for a second click: (id, name).
    let confirming = RwSignal::new(None::<(i64, String)>);
    let users = Resource::new(
        move || {
            (
                add.version().get(),
                change.version().get(),
                digital.version().get(),
                remove.version().get(),
                reset.version().get(),
            )
        },
        |_| async move {
            Ok::<_, crate::error::AppError>((
                list_staff_users().await?,
                digital_admins().await?,
                two_factor_users().await?,
            ))
        },
    );
    let added = Signal::from(add.value());
    view! {
        <section class="page">
            <p class="crumbs"><A href="/settings">"Settings"</A>" › Users"</p>
            <h1>"Users"</h1>
            {move || change.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            {move || digital.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            {move || remove.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            {move || reset.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            {move || matches!(reset.value().get(), Some(Ok(()))).then(|| view! {
                <p class="notice success" role="status">"Two-factor sign-in reset: they are signed out, and set it up again if it is required."</p>
            })}
            {move || confirming.get().map(|(id, name)| view! {
                <div class="card" role="alertdialog" aria-label="Remove user">
                    <p>{format!("Remove {name}? They are signed out everywhere and can no longer sign in. What they did keeps their name.")}</p>
                    <button type="button" class="danger" on:click=move |_| {
                        remove.dispatch(RemoveStaffUser { user_id: id });
                        confirming.set(None);
                    }>{format!("Remove {name}")}</button>
                    <button type="button" on:click=move |_| confirming.set(None)>"Cancel"</button>
                </div>
            })}
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok((users, digital_admins, two_factor)) => view! {
                            <table class="list">
                                <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col" title="Gets every integration request by email">"Digital Administrator"</th><th scope="col">"Two-factor"</th><th scope="col"><span class="sr-only">"Remove"</span></th></tr></thead>
                                <tbody>
                                    {users.into_iter().map(|user| {
                                        let id = user.id;
                                        let label = format!("Role of {}", user.name);
                                        let digital_label = format!("Digital Administrator: {}", user.name);
                                        let is_digital = digital_admins.contains(&id);
                                        let remove_label = format!("Remove {}", user.name);
                                        let reset_label = format!("Reset two-factor sign-in of {}", user.name);
                                        let has_two_factor = two_factor.contains(&id);
                                        let name = user.name.clone();
                                        let option = move |role: Role| view! {
                                            <option value=role.key() selected=user.role == role>{role.to_string()}</option>
                                        };
                                        view! {
                                            <tr>
                                                <td>{user.name.clone()}</td>
                                                <td>{user.email.clone()}</td>
                                                <td>
                                                    <select aria-label=label on:change=move |ev| {
                                                        change.dispatch(ChangeRole { user_id: id, role: event_target_value(&ev) });
                                                    }>
                                                        {option(Role::Admin)}
                                                        {option(Role::Staff)}
                                                    </select>
                                                </td>
                                                <td>
                                                    <input type="checkbox" aria-label=digital_label checked=is_digital on:change=move |ev| {
                                                        digital.dispatch(SetDigitalAdmin { user_id: id, on: event_target_checked(&ev) });
                                                    }/>
                                                </td>
                                                <td>
                                                    {if has_two_factor { "On " } else { "Off" }}
                                                    {has_two_factor.then(|| view! {
                                                        <button type="button" class="link" aria-label=reset_label
                                                            on:click=move |_| { reset.dispatch(ResetTwoFactor { user_id: id }); }>"Reset"</button>
                                                    })}
                                                </td>
                                                <td>
                                                    <button type="button" class="link danger" aria-label=remove_label
                                                        on:click=move |_| confirming.set(Some((id, name.clone())))>"Remove"</button>
                                                </td>
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
            <h2>"Add a user"</h2>
            <ActionForm action=add attr:class="card" attr:aria-label="Add a user">
                <FormNotice error=Signal::derive(move || error_of(added).get().filter(|e| e.field_errors().is_none()))/>
                {move || matches!(added.get(), Some(Ok(()))).then(|| view! { <p class="notice success" role="status">"User added."</p> })}
                <Field label="Name" field="name" required=true errors=field_errors_of(added)
                    check=|_, v| PersonName::parse(v).map(drop)/>
                <Field label="Email" field="email" kind="email" required=true errors=field_errors_of(added)
                    check=|_, v| Email::parse(v).map(drop)/>
                <Field label="Password" field="password" kind="password" required=true autocomplete="new-password"
                    hint="At least 10 characters. Tell it to the user; they sign in with it."
                    errors=field_errors_of(added) check=|_, v| Password::parse(v).map(drop)/>
                <div class="field">
                    <label for="role">"Role"</label>
                    <select id="role" name="role">
                        <option value="staff" selected=true>"Staff"</option>
                        <option value="admin">"Admin"</option>
                    </select>
                </div>
                <button type="submit" class="primary" disabled=move || add.pending().get()>"Add user"</button>
            </ActionForm>
        </section>
    }
}

/// The domain of the customers' price-list email addresses ("Copy Price List Email").
#[component]
fn PriceListDomainForm() -> impl IntoView {
    let save = ServerAction::<crate::integration::api::SetPriceListDomain>::new();
    let stored = crate::ui::successes(Signal::from(save.value()));
    let current = Resource::new(
        move || stored.get(),
        |_| crate::integration::api::price_list_domain(),
    );
    let saved = Signal::from(save.value());
    view! {
        <section class="card" aria-labelledby="price-list-heading">
            <h2 id="price-list-heading">"Price list email"</h2>
            <p class="muted">"Each customer gets its own address at this domain for price lists (Copy Price List Email on the customer's page)."</p>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let domain = current.await.ok().flatten().unwrap_or_default();
                    view! {
                        <ActionForm action=save attr:aria-label="Price list email domain">
                            <FormNotice error=Signal::derive(move || error_of(saved).get().filter(|e| e.field_errors().is_none()))/>
                            <Field label="Domain" field="domain" errors=field_errors_of(saved) value=domain
                                hint="For example prices.example.com. Its mail must reach your price-list system."
                                check=|_, v| crate::integration::parse_domain(v).map(drop)/>
                            <button type="submit" disabled=move || save.pending().get()>"Save domain"</button>
                            {move || matches!(saved.get(), Some(Ok(()))).then(|| view! { <p class="notice success" role="status">"Saved."</p> })}
                        </ActionForm>
                    }
                })}
            </Transition>
        </section>
    }
}
