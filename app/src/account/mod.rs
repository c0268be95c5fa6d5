//! "Your account": what a staff user changes about their own sign-in.

pub mod api;

use crate::domain::Password;
use crate::ui::{error_of, field_errors_of, reload_to, Field, FormNotice};
use api::{ChangePassword, SignOutEverywhere};
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Your account"</h1>
            <ChangePasswordForm/>
            <crate::two_factor::TwoFactorSection/>
            <SignOutEverywhereForm/>
        </section>
    }
}

#[component]
fn ChangePasswordForm() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let value = Signal::from(action.value());
    let errors = field_errors_of(value);
    view! {
        <section class="card" aria-labelledby="password-heading">
            <h2 id="password-heading">"Change your password"</h2>
            <p class="muted">"Every other browser signed in as you is signed out; this one stays signed in."</p>
            <ActionForm action=action attr:aria-label="Change your password">
                <FormNotice error=Signal::derive(move || error_of(value).get().filter(|e| e.field_errors().is_none()))/>
                <Field label="Current password" field="current" kind="password" required=true
                    autocomplete="current-password" errors=errors/>
                <Field label="New password" field="password" kind="password" required=true autocomplete="new-password"
                    hint="At least 10 characters." errors=errors check=|_, v| Password::parse(v).map(drop)/>
                <Field label="New password again" field="confirm" kind="password" required=true
                    autocomplete="new-password" errors=errors/>
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Change password"</button>
                {move || matches!(value.get(), Some(Ok(()))).then(|| view! {
                    <p class="notice success" role="status">"Password changed. Other browsers are signed out."</p>
                })}
            </ActionForm>
        </section>
    }
}

#[component]
fn SignOutEverywhereForm() -> impl IntoView {
    let action = ServerAction::<SignOutEverywhere>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            reload_to("/login");
        }
    });
    let failed = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <section class="card" aria-labelledby="everywhere-heading">
            <h2 id="everywhere-heading">"Sign out everywhere"</h2>
            <p class="muted">"Ends every session of yours, on every computer and phone, this one too. Use it after signing in on a shared computer, or if you think someone else is signed in as you."</p>
            <ActionForm action=action attr:aria-label="Sign out everywhere">
                <FormNotice error=failed/>
                <button type="submit" disabled=move || action.pending().get()>"Sign out everywhere"</button>
            </ActionForm>
        </section>
    }
}
