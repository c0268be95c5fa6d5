//! Two-factor sign-in in "Your account" (set up, new recovery codes, turn off) and the Admin's
//! "require it of everyone" in Settings.

use super::api::{two_factor_status, DisableTwoFactor, RenewRecoveryCodes, RequireTwoFactor};
use super::pages::{EnrolForm, RecoveryCodes};
use crate::ui::{error_of, field_errors_of, reload_to, ErrorNotice, Field, FormNotice};
use leptos::prelude::*;

#[component]
pub fn TwoFactorSection() -> impl IntoView {
    let disable = ServerAction::<DisableTwoFactor>::new();
    let renew = ServerAction::<RenewRecoveryCodes>::new();
    let status = Resource::new(
        move || (disable.version().get(), renew.version().get()),
        |_| two_factor_status(),
    );
    view! {
        <section class="card" aria-labelledby="two-factor-heading">
            <h2 id="two-factor-heading">"Two-factor sign-in"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(status) if status.enabled => view! { <EnabledTwoFactor status disable renew/> }.into_any(),
                        Ok(status) if !status.available => view! {
                            <p class="muted">"Two-factor sign-in is not available on this server yet: its administrator must set TWO_FACTOR_KEY."</p>
                        }.into_any(),
                        Ok(_) => view! {
                            <p>"Off. With it on, signing in needs your password and a code from an authenticator app on your phone, \
                                so a stolen password alone is not enough."</p>
                            <EnrolForm done_label="Done" on_done=Callback::new(|()| reload_to("/account"))/>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn EnabledTwoFactor(
    status: super::TwoFactorState,
    disable: ServerAction<DisableTwoFactor>,
    renew: ServerAction<RenewRecoveryCodes>,
) -> impl IntoView {
    let renewed: Signal<Option<Result<Vec<String>, crate::error::AppError>>> = Signal::from(renew.value());
    let disabled = Signal::from(disable.value());
    view! {
        <p role="status">{format!(
            "On. {} of your 10 recovery codes are unused.",
            status.codes_left
        )}</p>
        {move || renewed.get().and_then(Result::ok).map(|codes| view! { <RecoveryCodes codes/> })}
        <ActionForm action=renew attr:aria-label="Make new recovery codes">
            <h3>"New recovery codes"</h3>
            <p class="muted">"Ten new codes; the old ones stop working."</p>
            <FormNotice error=Signal::derive(move || error_of(renewed).get().filter(|e| e.field_errors().is_none()))/>
            <Field label="Code from your app" field="code" id_prefix="renew-" required=true autocomplete="one-time-code"
                errors=field_errors_of(renewed)/>
            <button type="submit" disabled=move || renew.pending().get()>"Make new recovery codes"</button>
        </ActionForm>
        {(!status.required).then(|| view! {
            <ActionForm action=disable attr:aria-label="Turn off two-factor sign-in">
                <h3>"Turn it off"</h3>
                <FormNotice error=Signal::derive(move || error_of(disabled).get().filter(|e| e.field_errors().is_none()))/>
                <Field label="Code from your app" field="code" id_prefix="disable-" required=true autocomplete="one-time-code"
                    errors=field_errors_of(disabled)/>
                <button type="submit" class="danger" disabled=move || disable.pending().get()>"Turn off two-factor sign-in"</button>
            </ActionForm>
        })}
    }
}

/// Settings: require two-factor sign-in of every staff user (Admins change it).
#[component]
pub fn RequireTwoFactorSetting() -> impl IntoView {
    let set = ServerAction::<RequireTwoFactor>::new();
    let status = Resource::new(move || set.version().get(), |_| two_factor_status());
    view! {
        <section class="card" aria-labelledby="require-two-factor-heading">
            <h2 id="require-two-factor-heading">"Two-factor sign-in"</h2>
            <FormNotice error=error_of(Signal::from(set.value()))/>
            <Transition>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(status) => view! {
                            <div class="field checkbox">
                                <input id="require-two-factor" type="checkbox" checked=status.required on:change=move |ev| {
                                    set.dispatch(RequireTwoFactor { on: event_target_checked(&ev) });
                                }/>
                                <label for="require-two-factor">"Require two-factor sign-in of every staff user"</label>
                            </div>
                            <p class="muted">"When turned on, everyone without it is signed out and sets it up as they sign in again. \
                                Turn it on for yourself first, in Your account."</p>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
