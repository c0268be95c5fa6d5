//! The pages of the Document Retrieval Site: the link from an email (make an account, sign in, or
//! ask for a new link), and the documents shared with the contact's customers.

use super::api::{
    check_link, current_contact, shared_documents, ContactSignIn, ContactSignOut, CreateAccount,
    RequestNewLink,
};
use super::{LinkState, SharedPage};
use crate::documents::human_size;
use crate::ui::{error_of, field_errors_of, ErrorNotice, Field, FormNotice};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// The frame of the site's pages: not the staff navigation.
#[component]
pub(crate) fn SiteFrame(children: Children) -> impl IntoView {
    view! {
        <header class="topbar">
            <span class="brand">"Document Retrieval Site"</span>
        </header>
        <main id="main" class="page narrow">{children()}</main>
    }
}

/// Goes to `to` once an action signed the contact in.
fn on_signed_in<T: Clone + Send + Sync + 'static>(
    value: Signal<Option<Result<T, crate::error::AppError>>>,
    to: &'static str,
) {
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = value.get() {
            navigate(to, Default::default());
        }
    });
}

#[component]
pub fn LinkPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let state = Resource::new(token, check_link);
    view! {
        <SiteFrame>
            <Suspense fallback=|| view! { <p class="muted">"Checking your link…"</p> }>
                {move || Suspend::new(async move {
                    let token = token();
                    match state.await {
                        Ok(LinkState::Valid { email, first_name, has_account: false }) => view! {
                            <CreateAccountForm token email first_name/>
                        }.into_any(),
                        Ok(LinkState::Valid { email, has_account: true, .. }) => view! {
                            <h1>"Sign in"</h1>
                            <p>"You have an account. Sign in to see your documents."</p>
                            <SignInForm email/>
                        }.into_any(),
                        Ok(LinkState::Expired) => view! { <ExpiredLink token/> }.into_any(),
                        Ok(LinkState::Unknown) => view! {
                            <h1>"This link is not valid"</h1>
                            <p>"Check that the whole link from the email was opened. If you have an account, "
                                <a href="/shared">"sign in"</a>"."</p>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </SiteFrame>
    }
}

#[component]
fn CreateAccountForm(token: String, email: String, first_name: String) -> impl IntoView {
    let action = ServerAction::<CreateAccount>::new();
    on_signed_in(Signal::from(action.value()), "/shared");
    let value = Signal::from(action.value());
    view! {
        <h1>{format!("Welcome, {first_name}")}</h1>
        <p>"Documents were shared with you. Choose a password to make your account; next time you sign in with your email and this password."</p>
        <ActionForm action=action attr:class="card" attr:aria-label="Create your account">
            <FormNotice error=Signal::derive(move || error_of(value).get().filter(|e| e.field_errors().is_none()))/>
            <input type="hidden" name="token" value=token/>
            <div class="field">
                <label for="account-email">"Email (your user name)"</label>
                <input id="account-email" type="email" value=email readonly=true autocomplete="username"/>
            </div>
            <Field label="Password" field="password" kind="password" required=true autocomplete="new-password"
                hint="At least 10 characters." errors=field_errors_of(value)/>
            <Field label="Confirm password" field="confirm" kind="password" required=true autocomplete="new-password"
                errors=field_errors_of(value)/>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Create account"</button>
            </div>
        </ActionForm>
    }
}

/// Email and password, one account for the Document Retrieval Site and the portal; `action` is
/// the page's own when it must follow the sign-in itself; `then` is where a sign-in leads.
#[component]
pub(crate) fn SignInForm(
    #[prop(optional)] email: String,
    #[prop(optional)] action: Option<ServerAction<ContactSignIn>>,
    #[prop(default = "/shared")] then: &'static str,
) -> impl IntoView {
    let action = action.unwrap_or_default();
    on_signed_in(Signal::from(action.value()), then);
    let value = Signal::from(action.value());
    view! {
        <ActionForm action=action attr:class="card" attr:aria-label="Sign in">
            <FormNotice error=Signal::derive(move || error_of(value).get().filter(|e| e.field_errors().is_none()))/>
            <Field label="Email" field="email" kind="email" value=email required=true autocomplete="username" errors=field_errors_of(value)/>
            <Field label="Password" field="password" kind="password" required=true autocomplete="current-password" errors=field_errors_of(value)/>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Sign in"</button>
                <a href="/shared/forgot">"Forgot your password?"</a>
            </div>
        </ActionForm>
    }
}

#[component]
fn ExpiredLink(token: String) -> impl IntoView {
    let action = ServerAction::<RequestNewLink>::new();
    let value = Signal::from(action.value());
    view! {
        <h1>"This link has expired"</h1>
        <p>"Links in our emails work for 14 days. We can email you a new one at the address this link was sent to."</p>
        <FormNotice error=error_of(value)/>
        {move || matches!(value.get(), Some(Ok(()))).then(|| view! {
            <p class="notice success" role="status">"A new link is on its way. Check your inbox."</p>
        })}
        <ActionForm action=action attr:aria-label="Ask for a new link">
            <input type="hidden" name="token" value=token/>
            <button type="submit" class="primary" disabled=move || action.pending().get() || matches!(value.get(), Some(Ok(())))>
                "Email me a new link"
            </button>
        </ActionForm>
        <p>"Have an account already? "<a href="/shared">"Sign in"</a>"."</p>
    }
}

#[component]
pub fn SharedDocumentsPage() -> impl IntoView {
    let sign_in = ServerAction::<ContactSignIn>::new();
    let sign_out = ServerAction::<ContactSignOut>::new();
    let changes = move || (sign_in.version().get(), sign_out.version().get());
    let me = Resource::new(changes, |_| current_contact());
    // `?page=2` is the second page of documents.
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query
            .with(|q| q.get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1) - 1)
            .max(0)
    });
    let documents = Resource::new(
        move || (changes(), page.get()),
        |(_, page)| shared_documents(page),
    );
    view! {
        <SiteFrame>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match me.await {
                        Ok(Some(me)) => view! {
                            <div class="who">
                                <span>{format!("Signed in as {} ({})", me.name, me.email)}</span>" "
                                <ActionForm action=sign_out attr:class="inline">
                                    <button type="submit" class="link">"Sign out"</button>
                                </ActionForm>
                            </div>
                            <h1>"Your documents"</h1>
                            <p>"Need another document? "<a href="/shared/ask">"Ask for a document"</a></p>
                            {match documents.await {
                                Ok(shared) => view! { <SharedList shared/> }.into_any(),
                                Err(error) => view! { <ErrorNotice error/> }.into_any(),
                            }}
                        }.into_any(),
                        Ok(None) => view! {
                            <h1>"Sign in"</h1>
                            <p>"Sign in with the email documents were sent to. First time here? Open the link in your email."</p>
                            <SignInForm action=sign_in/>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </SiteFrame>
    }
}

/// "Documents 51–100 of 352" with Previous and Next.
#[component]
fn SharedPager(page: i64, shown: usize, total: i64) -> impl IntoView {
    let first = page * crate::listings::PAGE_SIZE + 1;
    let last = first + shown as i64 - 1;
    (total > crate::listings::PAGE_SIZE).then(|| {
        view! {
            <nav class="pager" aria-label="Pages of documents">
                <span>{format!("Documents {first}–{last} of {total}")}</span>
                {(page > 0).then(|| view! { <a href=format!("/shared?page={page}") rel="prev">"Previous"</a> })}
                {(last < total).then(|| view! { <a href=format!("/shared?page={}", page + 2) rel="next">"Next"</a> })}
            </nav>
        }
    })
}

#[component]
fn SharedList(shared: SharedPage) -> impl IntoView {
    if shared.customers.is_empty() {
        return view! { <p class="empty">"No documents have been shared with you yet."</p> }.into_any();
    }
    let shown = shared
        .customers
        .iter()
        .flat_map(|c| &c.groups)
        .map(|g| g.documents.len())
        .sum();
    let pager = view! { <SharedPager page=shared.page shown total=shared.total/> };
    let customers = shared
        .customers
        .into_iter()
        .map(|customer| {
            view! {
                <section class="shared-customer" aria-label=customer.name.clone()>
                    <h2>{customer.name.clone()}</h2>
                    {customer.groups.into_iter().map(|group| view! {
                        <h3>{format!("{}: {}", group.level, group.name)}</h3>
                        <table class="list">
                            <caption class="sr-only">{format!("Documents for {}", group.name)}</caption>
                            <thead><tr>
                                <th scope="col">"Type"</th><th scope="col">"Title"</th><th scope="col">"Effective"</th>
                                <th scope="col">"Expires"</th><th scope="col">"File"</th>
                            </tr></thead>
                            <tbody>
                                {group.documents.into_iter().map(|d| view! {
                                    <tr>
                                        <td>{d.type_name.clone()}</td>
                                        <td>{d.title.clone()}</td>
                                        <td>{d.effective_on.to_string()}</td>
                                        <td>{d.expires_on.to_string()}" "<span class=d.status.class()>{d.status.label()}</span></td>
                                        <td>
                                            // `download` keeps the router from taking the click as a page change.
                                            <a href=format!("/shared/files/{}", d.request_id) download=d.file_name.clone()
                                                aria-label=format!("Download {} ({})", d.title, d.file_name)>"Download"</a>
                                            <span class="muted">{format!(" {} · {}", d.file_name, human_size(d.size))}</span>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }).collect_view()}
                </section>
            }
        })
        .collect_view();
    view! { {customers}{pager} }.into_any()
}
