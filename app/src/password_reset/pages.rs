//! "Forgot your password?" and the page its email's link opens.

use super::api::{check_reset_link, AskPasswordReset, ResetPassword};
use super::{ResetLinkState, Who, LINK_MINUTES};
use crate::domain::{Email, Password};
use crate::retrieval::SiteFrame;
use crate::ui::{error_of, field_errors_of, reload_to, ErrorNotice, Field, FormNotice};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Staff pages stand alone; contacts' are framed as the Document Retrieval Site's.
#[component]
fn Frame(who: Who, children: Children) -> impl IntoView {
    match who {
        Who::Staff => view! { <main class="auth-page">{children()}</main> }.into_any(),
        Who::Contact => view! { <SiteFrame>{children()}</SiteFrame> }.into_any(),
    }
}

#[component]
pub fn ForgotPasswordPage(who: Who) -> impl IntoView {
    let action = ServerAction::<AskPasswordReset>::new();
    let value = Signal::from(action.value());
    let errors = field_errors_of(value);
    let asked_for = RwSignal::new(String::new());
    view! {
        <Frame who>
            <h1>"Forgot your password?"</h1>
            {move || match value.get() {
                Some(Ok(())) => view! {
                    <p class="notice success" role="status">
                        {format!("If an account uses {}, we have emailed it a link to choose a new password. \
                            The link works once, for {LINK_MINUTES} minutes. Check your spam folder if it does not arrive.", asked_for.get())}
                    </p>
                    <p><a href=who.sign_in_path()>"Back to sign in"</a></p>
                }.into_any(),
                _ => view! {
                    <p>"Type the email you sign in with. We will email you a link to choose a new password."</p>
                    <ActionForm action=action attr:class="card" attr:aria-label="Ask for a password reset link">
                        <FormNotice error=Signal::derive(move || error_of(value).get().filter(|e| e.field_errors().is_none()))/>
                        <input type="hidden" name="who" value=who.key()/>
                        <Field label="Email" field="email" kind="email" required=true autocomplete="username" errors=errors
                            on_input=Callback::new(move |v: String| asked_for.set(v))
                            check=|_, v| Email::parse(v).map(drop)/>
                        <button type="submit" class="primary" disabled=move || action.pending().get()>"Email me a link"</button>
                    </ActionForm>
                    <p><a href=who.sign_in_path()>"Back to sign in"</a></p>
                }.into_any(),
            }}
        </Frame>
    }
}

#[component]
pub fn ResetPasswordPage(who: Who) -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let state = Resource::new(token, move |token| check_reset_link(who.key().to_string(), token));
    view! {
        <Frame who>
            <Suspense fallback=|| view! { <p class="muted">"Checking your link…"</p> }>
                {move || Suspend::new(async move {
                    match state.await {
                        Ok(ResetLinkState::Valid { email }) => view! { <NewPasswordForm who token=token() email/> }.into_any(),
                        Ok(ResetLinkState::Spent) => view! {
                            <h1>"This link has been used or has expired"</h1>
                            <p>{format!("A reset link works once, for {LINK_MINUTES} minutes, and only while the account keeps the email it was sent to.")}</p>
                            <p><a href=who.forgot_path()>"Ask for a new link"</a>" or "<a href=who.sign_in_path()>"sign in"</a>"."</p>
                        }.into_any(),
                        Ok(ResetLinkState::Unknown) => view! {
                            <h1>"This link is not valid"</h1>
                            <p>"Check that the whole link from the email was opened, or "<a href=who.forgot_path()>"ask for a new one"</a>"."</p>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </Frame>
    }
}

#[component]
fn NewPasswordForm(who: Who, token: String, email: String) -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let value = Signal::from(action.value());
    Effect::new(move |_| {
        if let Some(Ok(next)) = action.value().get() {
            reload_to(&next);
        }
    });
    let errors = field_errors_of(value);
    view! {
        <h1>"Choose a new password"</h1>
        <p>"Every browser signed in to your account is signed out; this one is signed in with the new password."</p>
        <ActionForm action=action attr:class="card" attr:aria-label="Choose a new password">
            <FormNotice error=Signal::derive(move || error_of(value).get().filter(|e| e.field_errors().is_none()))/>
            <input type="hidden" name="who" value=who.key()/>
            <input type="hidden" name="token" value=token/>
            <div class="field">
                <label for="reset-email">"Email"</label>
                <input id="reset-email" type="email" value=email readonly=true autocomplete="username"/>
            </div>
            <Field label="New password" field="password" kind="password" required=true autocomplete="new-password"
                hint="At least 10 characters." errors=errors check=|_, v| Password::parse(v).map(drop)/>
            <Field label="New password again" field="confirm" kind="password" required=true
                autocomplete="new-password" errors=errors/>
            <button type="submit" class="primary" disabled=move || action.pending().get()>"Set password and sign in"</button>
        </ActionForm>
    }
}
