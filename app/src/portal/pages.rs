//! The portal's pages: `/portal` (sign in, then choose a customer), a customer's portal under
//! `/portal/c/:customer` (catalog and cart, order history) with its menu bar, and the pages of the
//! links in invitations and reminders.

use super::admin::StopActing;
use super::api::{
    acting_context, check_invitation, check_reminder_link, current_visitor, portal_catalog, AcceptInvitation,
    ChooseCustomer, OpenReminderLink,
};
use super::cart::Cart;
use super::{PortalContext, PortalLinkState, PortalVisitor};
use crate::error::AppError;
use crate::orders::api::portal_orders;
use crate::retrieval::api::{ContactSignIn, ContactSignOut};
use crate::retrieval::SignInForm;
use crate::ui::{error_of, field_errors_of, ErrorNotice, Field, FormNotice};
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect, A};
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// The frame of portal pages outside a customer: not the staff navigation.
#[component]
pub(crate) fn PortalFrame(children: Children) -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="brand" href="/portal">"Clientele Portal"</a>
        </header>
        <main id="main" class="page narrow">{children()}</main>
    }
}

/// `/portal`: sign in; then straight to the customer chosen last (or the only one), else the
/// list of customers to choose from. `?choose` always shows the list ("Change Customer").
#[component]
pub fn PortalHomePage() -> impl IntoView {
    let sign_in = ServerAction::<ContactSignIn>::new();
    let sign_out = ServerAction::<ContactSignOut>::new();
    let visitor = Resource::new(
        move || (sign_in.version().get(), sign_out.version().get()),
        |_| current_visitor(),
    );
    let query = use_query_map();
    let choosing = move || query.with(|q| q.get("choose").is_some());
    let registration = crate::registration::rules_resource();
    view! {
        <PortalFrame>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match visitor.await {
                        Ok(PortalVisitor::Anonymous) => view! {
                            <h1>"Sign in to order"</h1>
                            <p>"Sign in with your email and password. First time here? Open the invitation in your email."</p>
                            <SignInForm action=sign_in then="/portal"/>
                            <crate::registration::RegisterLink rules=registration/>
                        }.into_any(),
                        Ok(PortalVisitor::Contact { customers, chosen, .. }) if !choosing() && (chosen.is_some() || customers.len() == 1) => {
                            let id = chosen.unwrap_or(customers[0].id);
                            view! { <Redirect path=format!("/portal/c/{id}")/> }.into_any()
                        }
                        Ok(PortalVisitor::Contact { name, customers, .. }) => view! {
                            <div class="who">
                                <span>{format!("Signed in as {name}")}</span>" "
                                <ActionForm action=sign_out attr:class="inline">
                                    <button type="submit" class="link">"Sign out"</button>
                                </ActionForm>
                            </div>
                            <CustomerChooser customers/>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </PortalFrame>
    }
}

/// "Which customer are you ordering for?"
#[component]
fn CustomerChooser(customers: Vec<super::PortalCustomer>) -> impl IntoView {
    let choose = ServerAction::<ChooseCustomer>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(customer_id)) = choose.value().get() {
            navigate(&format!("/portal/c/{customer_id}"), Default::default());
        }
    });
    if customers.is_empty() {
        return view! {
            <h1>"No customer to order for"</h1>
            <p>"Your account is not open for ordering for any customer yet. Please contact your supplier."</p>
            <p><a href="/shared">"See the documents shared with you"</a></p>
        }
        .into_any();
    }
    view! {
        <h1>"Choose a customer"</h1>
        <p>"You work for several customers. Which one are you ordering for?"</p>
        <FormNotice error=error_of(Signal::from(choose.value()))/>
        <ul class="choices">
            {customers.into_iter().map(|c| {
                let id = c.id;
                view! {
                    <li>
                        <button type="button" class="choice" on:click=move |_| { choose.dispatch(ChooseCustomer { customer_id: id }); }>
                            <strong>{c.name.clone()}</strong>
                            <span class="muted">{format!(" · {}", c.role)}</span>
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The customer a portal page acts for, from its path.
fn customer_param() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("customer").and_then(|id| id.parse::<i64>().ok())))
}

/// The frame of a customer's portal: the menu bar (current customer, Catalog, Orders,
/// Documents, "Change Customer", sign out) and, for staff acting for the customer, the banner.
#[component]
pub fn CustomerPortal() -> impl IntoView {
    let customer = customer_param();
    let context = Resource::new(
        move || customer.get(),
        |id| async move {
            match id {
                Some(id) => acting_context(id).await,
                None => Err(AppError::NotFound("This customer".into())),
            }
        },
    );
    // The page itself (the Outlet) is made outside the Suspense: resources made inside one after
    // it waited run without the request's context on the server.
    view! {
        <Suspense fallback=|| view! { <header class="topbar portal-bar"><span class="brand">"Clientele Portal"</span></header> }>
            {move || Suspend::new(async move {
                match context.await {
                    Ok(context) => view! { <PortalBar context/> }.into_any(),
                    Err(error) => view! {
                        <header class="topbar portal-bar"><a class="brand" href="/portal">"Clientele Portal"</a></header>
                        <div class="page">{refusal(error)}</div>
                    }.into_any(),
                }
            })}
        </Suspense>
        <main id="main" class="page"><Outlet/></main>
    }
}

/// Why a customer's portal is not open to the caller, and where to go instead.
fn refusal(error: AppError) -> AnyView {
    match error {
        AppError::Unauthorized => view! {
            <h1>"Please sign in"</h1>
            <p><a href="/portal">"Sign in to the portal"</a></p>
        }
        .into_any(),
        AppError::Forbidden => view! {
            <h1>"Not your customer"</h1>
            <p>"You cannot order for this customer. "<a href="/portal?choose">"Choose one of yours"</a>"."</p>
        }
        .into_any(),
        error => view! { <ErrorNotice error/> }.into_any(),
    }
}

#[component]
fn PortalBar(context: PortalContext) -> impl IntoView {
    let id = context.customer_id;
    let sign_out = ServerAction::<ContactSignOut>::new();
    let stop = ServerAction::<StopActing>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = sign_out.value().get() {
            navigate("/portal", Default::default());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = stop.value().get() {
            crate::ui::reload_to(&format!("/customers/{id}?tab=orders"));
        }
    });
    view! {
        {context.staff_acting.then(|| view! {
            <div class="acting-banner" role="status">
                <span>{format!("You are acting for {} as {} (staff). Orders you place are recorded as placed by you for the customer.", context.customer_name, context.actor_name)}</span>
                " "
                <button type="button" on:click=move |_| { stop.dispatch(StopActing {}); }>"Back to Clientele"</button>
            </div>
        })}
        <header class="topbar portal-bar">
            <a class="brand" href=format!("/portal/c/{id}")>"Clientele Portal"</a>
            <span class="current-customer" aria-label="Current customer">{format!("Ordering for: {}", context.customer_name)}</span>
            <nav aria-label="Portal">
                <A href=format!("/portal/c/{id}") exact=true>"Catalog"</A>
                <A href=format!("/portal/c/{id}/orders")>"Orders"</A>
                <A href=format!("/portal/c/{id}/integration")>"Integration"</A>
                {(!context.staff_acting).then(|| view! {
                    <a href="/shared">"Documents"</a>
                    <a href=format!("/shared/ask?customer={id}")>"Ask for a document"</a>
                })}
                {(context.other_customers).then(|| view! { <a href="/portal?choose">"Change Customer"</a> })}
            </nav>
            {(!context.staff_acting).then(|| view! {
                <div class="who">
                    <span>{context.actor_name.clone()}</span>" "
                    <ActionForm action=sign_out attr:class="inline">
                        <button type="submit" class="link">"Sign out"</button>
                    </ActionForm>
                </div>
            })}
        </header>
    }
}

/// `/portal/c/:customer`: the catalog with the cart.
#[component]
pub fn PortalCatalogPage() -> impl IntoView {
    let customer = customer_param();
    let data = Resource::new(
        move || customer.get(),
        |id| async move {
            match id {
                Some(id) => portal_catalog(id).await,
                None => Err(AppError::NotFound("This customer".into())),
            }
        },
    );
    view! {
        <h1>"Catalog"</h1>
        <Suspense fallback=|| view! { <p class="muted">"Loading the catalog…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(catalog) => view! {
                        {(catalog.price_adjustment != crate::domain::PriceAdjustment::NONE || catalog.tax_exempt).then(|| view! {
                            <p class="notice" role="note">
                                {(catalog.price_adjustment != crate::domain::PriceAdjustment::NONE)
                                    .then(|| format!("Your prices: {} on list prices. ", catalog.price_adjustment))}
                                {catalog.tax_exempt.then_some("This account is tax exempt.")}
                            </p>
                        })}
                        <Cart customer_id=catalog.customer_id items=catalog.items ship_tos=catalog.ship_tos
                            may_order=catalog.may_order/>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/portal/c/:customer/orders`: the customer's order history.
#[component]
pub fn PortalOrdersPage() -> impl IntoView {
    let customer = customer_param();
    let page = crate::orders::page_param();
    let orders = Resource::new(
        move || (customer.get(), page.get()),
        |(id, page)| async move {
            match id {
                Some(id) => portal_orders(id, page).await,
                None => Err(AppError::NotFound("This customer".into())),
            }
        },
    );
    view! {
        <h1>"Orders"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match orders.await {
                    Ok(page) if page.total == 0 => view! { <p class="empty">"No orders yet."</p> }.into_any(),
                    Ok(page) => view! { <crate::orders::OrderList page show_customer=false/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/portal/invitation/:token`: accept an invitation.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let state = Resource::new(token, check_invitation);
    view! {
        <PortalFrame>
            <Suspense fallback=|| view! { <p class="muted">"Checking your invitation…"</p> }>
                {move || Suspend::new(async move {
                    let token = token();
                    match state.await {
                        Ok(PortalLinkState::Valid { first_name, email, customer_name, has_account }) => view! {
                            <AcceptForm token first_name email customer_name has_account/>
                        }.into_any(),
                        Ok(PortalLinkState::Expired) => view! {
                            <h1>"This invitation has expired"</h1>
                            <p>"Invitations work for 14 days. Ask your supplier to send it again. Have an account already? "
                                <a href="/portal">"Sign in"</a>"."</p>
                        }.into_any(),
                        Ok(PortalLinkState::Unknown) => view! {
                            <h1>"This invitation is not valid"</h1>
                            <p>"Check that the whole link from the email was opened. Have an account? "<a href="/portal">"Sign in"</a>"."</p>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </PortalFrame>
    }
}

#[component]
fn AcceptForm(
    token: String,
    first_name: String,
    email: String,
    customer_name: String,
    has_account: bool,
) -> impl IntoView {
    let action = ServerAction::<AcceptInvitation>::new();
    let value = Signal::from(action.value());
    Effect::new(move |_| {
        if let Some(Ok(customer_id)) = value.get() {
            // A full load: the new session cookie is in place for every request from here.
            crate::ui::reload_to(&format!("/portal/c/{customer_id}"));
        }
    });
    view! {
        <h1>{format!("Welcome, {first_name}")}</h1>
        <p>{format!("You are invited to order online for {customer_name}.")}</p>
        <p>{if has_account {
            "You already have an account with us (perhaps for shared documents). Sign in with its password to accept."
        } else {
            "Choose a password for your account. Next time you sign in with your email and this password."
        }}</p>
        <ActionForm action=action attr:class="card" attr:aria-label="Accept the invitation">
            <FormNotice error=Signal::derive(move || error_of(value).get().filter(|e| e.field_errors().is_none()))/>
            <input type="hidden" name="token" value=token/>
            <div class="field">
                <label for="invite-email">"Email (your user name)"</label>
                <input id="invite-email" type="email" value=email readonly=true autocomplete="username"/>
            </div>
            {if has_account {
                view! {
                    <Field label="Password" field="password" kind="password" required=true autocomplete="current-password"
                        errors=field_errors_of(value)/>
                    <input type="hidden" name="confirm" value=""/>
                }.into_any()
            } else {
                view! {
                    <Field label="Password" field="password" kind="password" required=true autocomplete="new-password"
                        hint="At least 10 characters." errors=field_errors_of(value)/>
                    <Field label="Confirm password" field="confirm" kind="password" required=true autocomplete="new-password"
                        errors=field_errors_of(value)/>
                }.into_any()
            }}
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Accept invitation"</button>
            </div>
        </ActionForm>
    }
}

/// `/portal/link/:token`: a reminder's link, opened by a press of "Open the portal".
#[component]
pub fn ReminderLinkPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let state = Resource::new(token, check_reminder_link);
    let open = ServerAction::<OpenReminderLink>::new();
    Effect::new(move |_| {
        if let Some(Ok(customer_id)) = open.value().get() {
            crate::ui::reload_to(&format!("/portal/c/{customer_id}"));
        }
    });
    view! {
        <PortalFrame>
            <Suspense fallback=|| view! { <p class="muted">"Checking your link…"</p> }>
                {move || Suspend::new(async move {
                    let token = token();
                    match state.await {
                        Ok(PortalLinkState::Valid { first_name, customer_name, .. }) => view! {
                            <h1>{format!("Hello, {first_name}")}</h1>
                            <p>{format!("Open the portal to order for {customer_name}. No password is needed with this link.")}</p>
                            <FormNotice error=error_of(Signal::from(open.value()))/>
                            <button type="button" class="primary" disabled=move || open.pending().get()
                                on:click=move |_| { open.dispatch(OpenReminderLink { token: token.clone() }); }>
                                "Open the portal"
                            </button>
                        }.into_any(),
                        Ok(PortalLinkState::Expired) => view! {
                            <h1>"This link has expired"</h1>
                            <p>"Reminder links work for 7 days. "<a href="/portal">"Sign in with your email and password"</a>"."</p>
                        }.into_any(),
                        Ok(PortalLinkState::Unknown) => view! {
                            <h1>"This link is not valid"</h1>
                            <p><a href="/portal">"Sign in to the portal"</a></p>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </PortalFrame>
    }
}
