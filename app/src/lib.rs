//! Clientele: customer management for suppliers. The pages, their server functions and the
//! domain types, shared by the server (feature `ssr`) and the browser (feature `hydrate`).

pub mod account;
pub mod activity;
pub mod asks;
pub mod auth;
pub mod bulk_requirements;
pub mod contacts;
pub mod customer_files;
pub mod customers;
pub mod documents;
pub mod domain;
pub mod error;
pub mod groups;
pub mod imports;
pub mod integration;
pub mod listings;
pub mod mail;
pub mod notes;
pub mod orders;
pub mod paging;
pub mod password_reset;
pub mod portal;
pub mod profile;
pub mod registration;
pub mod requests;
pub mod requirements;
pub mod retrieval;
pub mod security_log;
pub mod settings;
pub mod ship_to;
pub mod spreadsheet;
#[cfg(feature = "ssr")]
pub mod sql;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod text_search;
pub mod two_factor;
pub mod ui;
pub mod wizard;

use auth::{api::signed_in_user, LoginPage, SetupPage, SignOutButton};
use bulk_requirements::BulkRequirementsPage;
use contacts::{ContactPage, ContactsPage, NewContactPage};
use customers::{CustomerPage, CustomersPage, TrashPage};
use documents::{DocumentTypesPage, RequirementsPage};
use imports::{ImportContactsPage, ImportCustomersPage};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes, A};
use leptos_router::path;
use listings::{ItemPage, ItemsPage, LocationPage, LocationsPage, NewItemPage, NewLocationPage};
use mail::EmailLogPage;
use orders::OrdersPage;
use password_reset::{ForgotPasswordPage, ResetPasswordPage, Who};
use portal::{
    CustomerPortal, InvitationPage, PortalCatalogPage, PortalHomePage, PortalOrdersPage, ReminderLinkPage,
};
use retrieval::{LinkPage, SharedDocumentsPage};
use settings::{SettingsPage, UsersPage};
use wizard::{NewCustomerPage, WizardPage};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="data:,"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options=options.clone()/>
                <HashedStylesheet options id="leptos"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy, with this response's nonce: scripts run only from this
/// site's files and inline when they carry the nonce (Leptos puts it on its own: hydration and
/// streamed data), so a script slipped into a page's text does not run. The WASM may compile.
/// Inline style attributes are allowed: a few views set widths and colours that way.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
         frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    )
}

#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = axum::http::HeaderValue::from_str(&page_policy(&nonce)) {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Browser tests wait for this mark: effects run only once the page is hydrated.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Title text="Clientele"/>
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/setup") view=SetupPage/>
                <Route path=path!("/login") view=LoginPage/>
                <Route path=path!("/login/two-factor") view=two_factor::TwoFactorPage/>
                <Route path=path!("/login/two-factor/enrol") view=two_factor::EnrolPage/>
                <Route path=path!("/login/forgot") view=|| view! { <ForgotPasswordPage who=Who::Staff/> }/>
                <Route path=path!("/login/reset/:token") view=|| view! { <ResetPasswordPage who=Who::Staff/> }/>
                <Route path=path!("/shared/forgot") view=|| view! { <ForgotPasswordPage who=Who::Contact/> }/>
                <Route path=path!("/shared/reset/:token") view=|| view! { <ResetPasswordPage who=Who::Contact/> }/>
                <Route path=path!("/shared") view=SharedDocumentsPage/>
                <Route path=path!("/shared/link/:token") view=LinkPage/>
                <Route path=path!("/shared/ask") view=asks::AskPage/>
                <Route path=path!("/portal") view=PortalHomePage/>
                <Route path=path!("/portal/invitation/:token") view=InvitationPage/>
                <Route path=path!("/portal/register") view=registration::RegisterPage/>
                <Route path=path!("/portal/register/verify/:token") view=registration::VerifyPage/>
                <Route path=path!("/portal/link/:token") view=ReminderLinkPage/>
                <ParentRoute path=path!("/portal/c/:customer") view=CustomerPortal>
                    <Route path=path!("") view=PortalCatalogPage/>
                    <Route path=path!("orders") view=PortalOrdersPage/>
                    <Route path=path!("integration") view=integration::PortalIntegrationPage/>
                </ParentRoute>
                <ParentRoute path=path!("") view=StaffShell>
                    <Route path=path!("") view=|| view! { <Redirect path="/customers"/> }/>
                    <Route path=path!("customers") view=CustomersPage/>
                    <Route path=path!("customers/new") view=NewCustomerPage/>
                    <Route path=path!("customers/trash") view=TrashPage/>
                    <Route path=path!("customers/import") view=ImportCustomersPage/>
                    <Route path=path!("customers/:id") view=CustomerPage/>
                    <Route path=path!("customers/:id/setup/:step") view=WizardPage/>
                    <Route path=path!("contacts") view=ContactsPage/>
                    <Route path=path!("contacts/new") view=NewContactPage/>
                    <Route path=path!("contacts/import") view=ImportContactsPage/>
                    <Route path=path!("contacts/:id") view=ContactPage/>
                    <Route path=path!("listings/locations") view=LocationsPage/>
                    <Route path=path!("listings/locations/new") view=NewLocationPage/>
                    <Route path=path!("listings/locations/:id") view=LocationPage/>
                    <Route path=path!("listings/items") view=ItemsPage/>
                    <Route path=path!("listings/items/new") view=NewItemPage/>
                    <Route path=path!("listings/items/:id") view=ItemPage/>
                    <Route path=path!("share-settings") view=DocumentTypesPage/>
                    <Route path=path!("share-settings/requirements") view=RequirementsPage/>
                    <Route path=path!("share-settings/bulk-requirements") view=BulkRequirementsPage/>
                    <Route path=path!("orders") view=OrdersPage/>
                    <Route path=path!("settings") view=SettingsPage/>
                    <Route path=path!("settings/users") view=UsersPage/>
                    <Route path=path!("settings/customer-groups") view=groups::GroupsPage/>
                    <Route path=path!("settings/email-log") view=EmailLogPage/>
                    <Route path=path!("settings/security") view=security_log::SecurityLogPage/>
                    <Route path=path!("activity") view=activity::ActivityLogPage/>
                    <Route path=path!("account") view=account::AccountPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The frame of every staff page: navigation, who is signed in, and the page itself.
#[component]
fn StaffShell() -> impl IntoView {
    let user = Resource::new(|| (), |_| signed_in_user());
    provide_context(user);
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <a class="brand" href="/customers">"Clientele"</a>
            <nav aria-label="Main">
                <A href="/customers">"Customers"</A>
                <A href="/contacts">"Contacts"</A>
                <span class="nav-group" role="group" aria-label="Listings">
                    <span class="nav-group-label" aria-hidden="true">"Listings:"</span>
                    <A href="/listings/locations">"Locations"</A>
                    <A href="/listings/items">"Items"</A>
                </span>
                <A href="/share-settings">"Share Settings"</A>
                <A href="/orders">"Orders"</A>
                <A href="/settings">"Settings"</A>
            </nav>
            <div class="who">
                <Suspense>
                    {move || Suspend::new(async move {
                        user.await.ok().flatten().map(|user| view! {
                            <span><A href="/account" attr:title="Your account: password, sign out everywhere">{user.name}</A>" · "{user.role.to_string()}</span>
                            <SignOutButton/>
                        })
                    })}
                </Suspense>
            </div>
        </header>
        <main id="main">
            <Outlet/>
        </main>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="page">
            <h1>"Page not found"</h1>
            <p><a href="/customers">"Go to Customers"</a></p>
        </main>
    }
}
