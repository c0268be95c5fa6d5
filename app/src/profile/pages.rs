//! The customer page's "Account details" card, and Settings' "How did you hear about us" list.

use super::api::{
    list_sources, parent_candidates, profile_of_customer, AddSource, DeleteSource, SaveProfile,
};
use super::{CustomerLink, CustomerProfile};
use crate::error::AppError;
use crate::ui::{error_of, field_errors_of, successes, ErrorNotice, Field, FormNotice};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn ProfileCard(customer_id: i64) -> impl IntoView {
    let save = ServerAction::<SaveProfile>::new();
    let saved = successes(Signal::from(save.value()));
    // The parent search, made here and not in the form: resources made inside a Suspense after
    // it waited run without the request's context on the server.
    let query = RwSignal::new(String::new());
    let candidates = Resource::new(
        move || query.get(),
        move |q| async move {
            if q.trim().is_empty() {
                Ok(Vec::new())
            } else {
                parent_candidates(customer_id, q).await
            }
        },
    );
    let profile = Resource::new(move || saved.get(), move |_| profile_of_customer(customer_id));
    view! {
        <section class="card" aria-labelledby="profile-heading">
            <h2 id="profile-heading">"Account details"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(profile) => view! { <ProfileForm customer_id profile save query candidates/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ProfileForm(
    customer_id: i64,
    profile: CustomerProfile,
    save: ServerAction<SaveProfile>,
    query: RwSignal<String>,
    candidates: Resource<Result<Vec<CustomerLink>, AppError>>,
) -> impl IntoView {
    let parent = RwSignal::new(profile.parent.clone());
    let source = RwSignal::new(profile.source_id);
    let phone = RwSignal::new(profile.secondary_phone.clone().unwrap_or_default());
    let newsletter = RwSignal::new(profile.newsletter);
    let answer = Signal::from(save.value());
    let message = move |field: &'static str| {
        move || match answer.get() {
            Some(Err(AppError::Invalid(errors))) => errors.get(field).map(str::to_string),
            _ => None,
        }
    };
    let sources = profile.sources.clone();
    view! {
        <form aria-label="Account details" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(SaveProfile {
                customer_id,
                parent_id: parent.get_untracked().map(|p| p.id),
                source_id: source.get_untracked(),
                secondary_phone: phone.get_untracked(),
                newsletter: newsletter.get_untracked(),
            });
        }>
            <FormNotice error=Signal::derive(move || error_of(answer).get().filter(|e| e.field_errors().is_none()))/>
            <fieldset aria-describedby="parent-message">
                <legend>"Parent account (Owner)"</legend>
                <p>
                    {move || match parent.get() {
                        Some(p) => view! {
                            <A href=format!("/customers/{}", p.id)>{p.name.clone()}</A>" "
                            <button type="button" on:click=move |_| parent.set(None)>"Remove parent"</button>
                        }.into_any(),
                        None => view! { <span class="muted">"None: this is a top-level account."</span> }.into_any(),
                    }}
                </p>
                <label for="parent-search">"Find a parent account"</label>
                <input id="parent-search" type="search" placeholder="Customer name" prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))/>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let found: Vec<CustomerLink> = candidates.await.unwrap_or_default();
                        view! {
                            <ul class="group-list" aria-label="Matching customers">
                                {found.into_iter().map(|c| {
                                    let label = format!("Make {} the parent", c.name);
                                    let chosen = c.clone();
                                    view! {
                                        <li><button type="button" aria-label=label on:click=move |_| parent.set(Some(chosen.clone()))>{c.name}</button></li>
                                    }
                                }).collect_view()}
                            </ul>
                        }
                    })}
                </Transition>
                <p class="field-message" id="parent-message" aria-live="polite">{message("parent")}</p>
            </fieldset>
            {(!profile.sub_accounts.is_empty()).then(move || {
                let more = profile.sub_account_count - profile.sub_accounts.len() as i64;
                view! {
                    <p>
                        {format!("Sub-accounts ({}): ", profile.sub_account_count)}
                        // Plain links: the router follows them as well, and a row of `A`s, each
                        // resolving its path and watching the location, cost a big account's page
                        // more than its queries.
                        {profile.sub_accounts.into_iter().enumerate().map(|(i, s)| view! {
                            {if i > 0 { ", " } else { "" }}
                            <a href=format!("/customers/{}", s.id)>{s.name}</a>
                        }).collect_view()}
                        {(more > 0).then(|| format!(" and {more} more"))}
                        " · "<a href=format!("/customers?parent={customer_id}")>"Show them in the list"</a>
                    </p>
                }
            })}
            <div class="field">
                <label for="source">"How did you hear about us"</label>
                <select id="source" aria-describedby="source-message"
                    on:change=move |ev| source.set(event_target_value(&ev).parse().ok())>
                    <option value="" selected=profile.source_id.is_none()>"Not known"</option>
                    {sources.into_iter().map(|s| view! {
                        <option value=s.id selected=profile.source_id == Some(s.id)>{s.name}</option>
                    }).collect_view()}
                </select>
                <p class="field-message" id="source-message" aria-live="polite">{message("source")}</p>
            </div>
            <div class="field">
                <label for="secondary-phone">"Secondary phone"</label>
                <input id="secondary-phone" type="tel" autocomplete="off" prop:value=move || phone.get()
                    aria-describedby="secondary-phone-message" on:input=move |ev| phone.set(event_target_value(&ev))/>
                <p class="field-message" id="secondary-phone-message" aria-live="polite">{message("secondary_phone")}</p>
            </div>
            <div class="field checkbox">
                <input id="newsletter" type="checkbox" prop:checked=move || newsletter.get()
                    on:change=move |ev| newsletter.set(event_target_checked(&ev))/>
                <label for="newsletter">"Subscribed to the newsletter"</label>
            </div>
            <button type="submit" disabled=move || save.pending().get()>"Save account details"</button>
            {move || matches!(answer.get(), Some(Ok(()))).then(|| view! { <p class="notice success" role="status">"Account details saved."</p> })}
        </form>
    }
}

/// Settings: the answers offered for "How did you hear about us" (Admins).
#[component]
pub fn SourcesSettings() -> impl IntoView {
    let add = ServerAction::<AddSource>::new();
    let delete = ServerAction::<DeleteSource>::new();
    let sources = Resource::new(
        move || (add.version().get(), delete.version().get()),
        |_| list_sources(),
    );
    let added = Signal::from(add.value());
    view! {
        <section class="card" aria-labelledby="sources-heading">
            <h2 id="sources-heading">"How did you hear about us"</h2>
            <p class="muted">"The answers staff choose from on a customer's Account details."</p>
            {move || delete.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match sources.await {
                        Ok(sources) => view! {
                            <ul>
                                {sources.into_iter().map(|s| {
                                    let id = s.id;
                                    let label = format!("Remove {}", s.name);
                                    view! {
                                        <li>
                                            {format!("{} ({} customer{})", s.name, s.customer_count, if s.customer_count == 1 { "" } else { "s" })}
                                            " "<button type="button" class="link" aria-label=label
                                                on:click=move |_| { delete.dispatch(DeleteSource { id }); }>"Remove"</button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            <ActionForm action=add attr:aria-label="Add an answer">
                <FormNotice error=Signal::derive(move || error_of(added).get().filter(|e| e.field_errors().is_none()))/>
                <Field label="New answer" field="name" id_prefix="source-" errors=field_errors_of(added)/>
                <button type="submit" disabled=move || add.pending().get()>"Add answer"</button>
            </ActionForm>
        </section>
    }
}
