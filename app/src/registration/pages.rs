//! /portal/register, the confirmation page, Settings' switches, and the customer page's
//! "Pending approval" notice.

use super::api::{
    current_registration_rules, customer_pending, ApproveCustomer, ConfirmRegistration, Register,
    SetRegistrationRules,
};
use crate::domain::{ContactInput, Email, Password};
use crate::portal::PortalFrame;
use crate::ui::{error_of, field_errors_of, ErrorNotice, Field, FormNotice};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The registration rules, for [`RegisterLink`]: made by the page outside its `Suspense`.
pub fn rules_resource() -> Resource<Result<super::RegistrationRules, crate::error::AppError>> {
    Resource::new(|| (), |_| current_registration_rules())
}

/// "New here? Create an account", on the portal's sign-in page while registration is open.
#[component]
pub fn RegisterLink(
    rules: Resource<Result<super::RegistrationRules, crate::error::AppError>>,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                rules.await.ok().filter(|r| r.open).map(|_| view! {
                    <p>"New here? "<a href="/portal/register">"Create an account"</a></p>
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let rules = Resource::new(|| (), |_| current_registration_rules());
    let register = ServerAction::<Register>::new();
    let answer = Signal::from(register.value());
    let errors = field_errors_of(answer);
    view! {
        <PortalFrame>
            <h1>"Create an account"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match rules.await {
                        Ok(rules) if !rules.open => view! {
                            <p class="notice">"Registration is closed. Ask your contact at the supplier for an invitation."</p>
                        }.into_any(),
                        Ok(rules) => view! {
                            {move || answer.get().and_then(Result::ok).map(|email| view! {
                                <div class="notice success" role="status">
                                    <p><strong>"Check your email."</strong></p>
                                    <p>{format!("We sent a link to {email}. Open it within {} hours to confirm your address; then we review your account and email you once it is approved.", super::LINK_HOURS)}</p>
                                </div>
                            })}
                            // Kept while the server refuses, so what was typed stays.
                            <Show when=move || !matches!(answer.get(), Some(Ok(_)))>
                                    <ActionForm action=register attr:class="card" attr:aria-label="Create an account">
                                        <FormNotice error=Signal::derive(move || error_of(answer).get().filter(|e| e.field_errors().is_none()))/>
                                        <Field label="First name" field="first_name" group="registration" required=true autocomplete="given-name"
                                            errors check=ContactInput::check_field/>
                                        <Field label="Last name" field="last_name" group="registration" required=true autocomplete="family-name"
                                            errors check=ContactInput::check_field/>
                                        <Field label="Email" field="email" group="registration" kind="email" required=true autocomplete="email"
                                            errors check=|_, v| Email::parse(v).map(drop)/>
                                        <Field label="Password" field="password" group="registration" kind="password" required=true
                                            autocomplete="new-password" hint="At least 10 characters." errors check=|_, v| Password::parse(v).map(drop)/>
                                        <Field label="Confirm password" field="confirm" group="registration" kind="password" required=true
                                            autocomplete="new-password" errors/>
                                        {if rules.personal_allowed {
                                            view! {
                                                <Field label="Business name" field="business_name" group="registration" autocomplete="organization"
                                                    hint="Leave it empty to open an account as an individual." errors/>
                                            }.into_any()
                                        } else {
                                            view! {
                                                <Field label="Business name" field="business_name" group="registration" required=true
                                                    autocomplete="organization" errors/>
                                            }.into_any()
                                        }}
                                        <div class="form-actions">
                                            <button type="submit" class="primary" disabled=move || register.pending().get()>"Create account"</button>
                                        </div>
                                    </ActionForm>
                                    <p>"Already have an account? "<a href="/portal">"Sign in"</a></p>
                            </Show>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </PortalFrame>
    }
}

/// The link in the confirmation email. A button confirms, so that mail scanners that open
/// links do not.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let confirm = ServerAction::<ConfirmRegistration>::new();
    view! {
        <PortalFrame>
            <h1>"Confirm your email"</h1>
            {move || match confirm.value().get() {
                Some(Ok(name)) => view! {
                    <div class="notice success" role="status">
                        <p><strong>"Thank you: your email is confirmed."</strong></p>
                        <p>{format!("We will review the account {name} and email you once it is approved. Then sign in at the portal with your email and password.")}</p>
                    </div>
                }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error/> }.into_any(),
                None => view! {
                    <p>"Press the button to confirm this is your email address."</p>
                    <button type="button" class="primary" disabled=move || confirm.pending().get()
                        on:click=move |_| { confirm.dispatch(ConfirmRegistration { token: token() }); }>"Confirm my email"</button>
                }.into_any(),
            }}
        </PortalFrame>
    }
}

/// Settings: "Allow Customer Registration" and "Allow Personal Account Registration".
#[component]
pub fn RegistrationSettings() -> impl IntoView {
    let set = ServerAction::<SetRegistrationRules>::new();
    let rules = Resource::new(move || set.version().get(), |_| current_registration_rules());
    view! {
        <section class="card" aria-labelledby="registration-heading">
            <h2 id="registration-heading">"Self-registration"</h2>
            <FormNotice error=error_of(Signal::from(set.value()))/>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match rules.await {
                        Ok(rules) => {
                            let open = RwSignal::new(rules.open);
                            let personal = RwSignal::new(rules.personal_allowed);
                            let save = move || set.dispatch(SetRegistrationRules { open: open.get_untracked(), personal_allowed: personal.get_untracked() });
                            view! {
                                <div class="field checkbox">
                                    <input id="allow-registration" type="checkbox" prop:checked=move || open.get() on:change=move |ev| {
                                        open.set(event_target_checked(&ev));
                                        save();
                                    }/>
                                    <label for="allow-registration">"Allow Customer Registration"</label>
                                </div>
                                <p class="muted">"Visitors sign up at /portal/register; their accounts wait as Pending until staff approve them."</p>
                                <div class="field">
                                    <label for="allow-personal">"Allow Personal Account Registration"</label>
                                    <select id="allow-personal" on:change=move |ev| {
                                        personal.set(event_target_value(&ev) == "yes");
                                        save();
                                    }>
                                        <option value="yes" selected=rules.personal_allowed>"Yes"</option>
                                        <option value="no" selected=!rules.personal_allowed>"No: a business name is required"</option>
                                    </select>
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

/// On the customer's page while a registration waits: "Approve".
#[component]
pub fn ApprovalNotice(customer_id: i64) -> impl IntoView {
    let approve = ServerAction::<ApproveCustomer>::new();
    let pending = Resource::new(
        move || approve.version().get(),
        move |_| customer_pending(customer_id),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let waiting = pending.await.unwrap_or(false);
                view! {
                    {move || approve.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
                    {move || matches!(approve.value().get(), Some(Ok(()))).then(|| view! {
                        <p class="notice success" role="status">"Approved: the customer is active, its portal is on, and its contacts were emailed."</p>
                    })}
                    {waiting.then(|| view! {
                        <div class="notice warning">
                            <p>"This customer registered at the portal and is Pending approval. Complete its address, then approve it."</p>
                            <button type="button" class="primary" disabled=move || approve.pending().get()
                                on:click=move |_| { approve.dispatch(ApproveCustomer { customer_id }); }>"Approve"</button>
                        </div>
                    })}
                }
            })}
        </Transition>
    }
}
