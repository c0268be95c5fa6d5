//! The second step of a sign-in, and setting two-factor up (at sign-in when it is required, or
//! from "Your account").

use super::api::{BeginTwoFactor, EnableTwoFactor, VerifyTwoFactor};
use crate::auth::safe_next;
use crate::ui::{error_of, field_errors_of, reload_to, Field, FormNotice};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Where the sign-in was going, from `?next=`.
fn next_path() -> Signal<String> {
    let query = use_query_map();
    Signal::derive(move || safe_next(query.get().get("next")))
}

#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let action = ServerAction::<VerifyTwoFactor>::new();
    let value = Signal::from(action.value());
    let next = next_path();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            reload_to(&next.get_untracked());
        }
    });
    let errors = field_errors_of(value);
    view! {
        <main class="auth-page">
            <h1>"Two-factor sign-in"</h1>
            <p>"Open your authenticator app and type the 6-digit code it shows for Clientele. \
                Lost your phone? Type one of your recovery codes instead."</p>
            <ActionForm action=action attr:class="card" attr:aria-label="Two-factor code">
                <FormNotice error=Signal::derive(move || error_of(value).get().filter(|e| e.field_errors().is_none()))/>
                <Field label="Code" field="code" required=true autocomplete="one-time-code" errors=errors
                    hint="6 digits, or a recovery code such as abcde-12345."/>
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Checking…" } else { "Sign in" }}
                </button>
            </ActionForm>
            <p><a href="/login">"Start again"</a></p>
        </main>
    }
}

/// Two-factor is required here and this user has not set it up: they do before signing in.
#[component]
pub fn EnrolPage() -> impl IntoView {
    let next = next_path();
    view! {
        <main class="auth-page">
            <h1>"Set up two-factor sign-in"</h1>
            <p>"Your administrator requires a code from an authenticator app (such as Google Authenticator, \
                Microsoft Authenticator or 1Password) each time you sign in. Set it up now to continue."</p>
            <EnrolForm done_label="Continue to Clientele" on_done=Callback::new(move |()| reload_to(&next.get_untracked()))/>
        </main>
    }
}

/// Setting two-factor up: a QR code for the app, its first code, then the recovery codes.
#[component]
pub fn EnrolForm(done_label: &'static str, on_done: Callback<()>) -> impl IntoView {
    let begin = ServerAction::<BeginTwoFactor>::new();
    let enable = ServerAction::<EnableTwoFactor>::new();
    let enabled = Signal::from(enable.value());
    let errors = field_errors_of(enabled);
    view! {
        {move || match (begin.value().get(), enable.value().get()) {
            (_, Some(Ok(codes))) => view! {
                <RecoveryCodes codes/>
                <button type="button" class="primary" on:click=move |_| on_done.run(())>{done_label}</button>
            }.into_any(),
            (Some(Ok(enrolment)), _) => view! {
                <section class="card" aria-labelledby="enrol-heading">
                    <h2 id="enrol-heading">"Scan this QR code with your authenticator app"</h2>
                    <div class="qr-code" role="img" aria-label="QR code for your authenticator app" inner_html=enrolment.qr_svg></div>
                    <p>"Cannot scan it? Type this key into the app instead:"</p>
                    <p><code class="secret-key">{enrolment.secret}</code></p>
                    <ActionForm action=enable attr:aria-label="Confirm two-factor sign-in">
                        <FormNotice error=Signal::derive(move || error_of(enabled).get().filter(|e| e.field_errors().is_none()))/>
                        <Field label="Code from the app" field="code" required=true autocomplete="one-time-code" errors=errors
                            hint="The 6 digits the app now shows for Clientele."/>
                        <button type="submit" class="primary" disabled=move || enable.pending().get()>"Turn on two-factor sign-in"</button>
                    </ActionForm>
                </section>
            }.into_any(),
            (began, _) => view! {
                <FormNotice error=Signal::derive(move || began.clone().and_then(Result::err))/>
                <button type="button" class="primary" disabled=move || begin.pending().get()
                    on:click=move |_| { begin.dispatch(BeginTwoFactor {}); }>"Set up two-factor sign-in"</button>
            }.into_any(),
        }}
    }
}

/// Recovery codes, shown once.
#[component]
pub fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="recovery-heading">
            <h2 id="recovery-heading">"Your recovery codes"</h2>
            <p role="status">"Two-factor sign-in is on. Save these codes somewhere safe, apart from your phone \
                (print them, or keep them in a password manager). Each signs you in once if you lose your phone. \
                They are not shown again."</p>
            <ol class="recovery-codes" aria-label="Recovery codes">
                {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
            </ol>
        </section>
    }
}
