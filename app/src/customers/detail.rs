//! A customer's page: view, edit, delete.

use super::api::{get_customer, DeleteCustomers, UpdateCustomer};
use super::form::CompanyEditForm;
use super::Customer;
use crate::domain::Level;
use crate::error::AppError;
use crate::requirements::SourcedPanel;
use crate::ui::{date_time, follow_saves, ErrorNotice, SaveNotice};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// The customer id in the page's path (`/customers/:id…`).
pub fn customer_id_param() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())))
}

/// The customer a page shows, loaded again when its id changes.
pub fn customer_of_page(id: Memo<Option<i64>>) -> Resource<Result<Customer, AppError>> {
    Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_customer(id).await,
                None => Err(AppError::NotFound("This customer".into())),
            }
        },
    )
}

#[component]
pub fn CustomerPage() -> impl IntoView {
    let id = customer_id_param();
    let query = use_query_map();
    let tab = Memo::new(move |_| query.with(|q| q.get("tab")).unwrap_or_else(|| "overview".into()));
    let customer = customer_of_page(id);
    // The tabs' panels load their own data. They are made here, outside the Suspense: resources
    // made inside one after it waited run without the request's context on the server.
    view! {
        <section class="page">
            <p class="crumbs"><A href="/customers">"Customers"</A></p>
            {move || id.get().map(|id| view! { <TabBar id tab/> })}
            {move || id.get().map(|id| view! { <crate::registration::ApprovalNotice customer_id=id/> })}
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || {
                    let overview = tab.get() == "overview";
                    Suspend::new(async move {
                        match customer.await {
                            Ok(customer) if customer.deleted_at.is_some() => view! {
                                <h1>{customer.name}</h1>
                                <p class="notice">"This customer is in the "<A href="/customers/trash">"Trash"</A>"."</p>
                            }.into_any(),
                            Ok(customer) => view! {
                                <DraftNotice customer=customer.clone()/>
                                {if overview {
                                    view! { <CustomerEditor customer/> }.into_any()
                                } else {
                                    view! { <h1>{customer.name}</h1> }.into_any()
                                }}
                            }.into_any(),
                            Err(error) => view! { <ErrorNotice error/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
            {move || id.get().map(|id| match tab.get().as_str() {
                "contacts" => view! {
                    <crate::contacts::ContactsPanel customer_id=id/>
                    <crate::portal::PortalCard customer_id=id/>
                }.into_any(),
                "orders" => view! { <crate::orders::OrdersPanel customer_id=id/> }.into_any(),
                "activity" => view! { <crate::activity::ActivityPanel customer_id=id/> }.into_any(),
                "notes" => view! { <crate::notes::NotesPanel customer_id=id/> }.into_any(),
                "documents" => view! { <crate::customer_files::CustomerFilesPanel customer_id=id/> }.into_any(),
                "locations" => view! { <SourcedPanel customer_id=id level=Level::Location/> }.into_any(),
                "items" => view! { <SourcedPanel customer_id=id level=Level::Item/> }.into_any(),
                "requirements" => view! {
                    <SourcedPanel customer_id=id level=Level::Location/>
                    <SourcedPanel customer_id=id level=Level::Item/>
                }.into_any(),
                "ship-to" => view! { <crate::ship_to::ShipToPanel customer_id=id/> }.into_any(),
                "requests" => view! { <crate::requests::RequestsPanel customer_id=id/> }.into_any(),
                "messages" => view! { <crate::mail::MessagesPanel customer_id=id/> }.into_any(),
                "overview" => view! {
                    <crate::profile::ProfileCard customer_id=id/>
                    <crate::groups::CustomerGroupsCard customer_id=id/>
                    <crate::integration::IntegrationCard customer_id=id/>
                    <crate::portal::PortalCard customer_id=id/>
                }.into_any(),
                _ => ().into_any(),
            })}
        </section>
    }
}

/// The tabs of a customer's page, chosen by `?tab=`.
const TABS: [(&str, &str); 12] = [
    ("overview", "Overview"),
    ("contacts", "Contacts"),
    ("locations", "Locations"),
    ("items", "Items"),
    ("requirements", "Requirements"),
    ("requests", "Document Requests"),
    ("ship-to", "Ship-To Locations"),
    ("orders", "Orders"),
    ("messages", "Messages"),
    ("documents", "Documents"),
    ("notes", "Notes"),
    ("activity", "Activity"),
];

#[component]
fn TabBar(id: i64, tab: Memo<String>) -> impl IntoView {
    view! {
        <nav class="tabs" aria-label="Customer">
            {TABS.iter().map(|(key, label)| {
                let key = *key;
                view! {
                    // A plain link: the router's `A` marks every tab current, since they differ only
                    // in the query.
                    <a href=format!("/customers/{id}?tab={key}") aria-current=move || (tab.get() == key).then_some("page")>
                        {*label}
                    </a>
                }
            }).collect_view()}
        </nav>
    }
}

/// A customer whose wizard is not finished leads back to it.
#[component]
fn DraftNotice(customer: Customer) -> impl IntoView {
    let id = customer.id;
    customer.wizard_step.map(|step| {
        view! {
            <p class="notice warning">
                "This customer is a Draft: the New Customer wizard is not finished. "
                <A href=crate::wizard::step_path(id, step)>"Continue the wizard"</A>
            </p>
        }
    })
}

/// The customer's values in a form that saves over the version it was filled from.
#[component]
fn CustomerEditor(customer: Customer) -> impl IntoView {
    let current = RwSignal::new(customer);
    let action = ServerAction::<UpdateCustomer>::new();
    let outcome = follow_saves(Signal::from(action.value()), current);
    view! {
        <header class="page-header">
            {move || current.with(|c| c.logo_file_id.clone()).map(|logo| view! {
                <img class="logo" src=format!("/files/{logo}/inline") alt=move || format!("Logo of {}", current.with(|c| c.name.clone()))/>
            })}
            <h1>{move || current.with(|c| c.name.clone())}</h1>
            <p class="muted">
                {move || current.with(|c| format!("Added {} · last saved {}", date_time(c.created_at), date_time(c.updated_at)))}
            </p>
        </header>
        <SaveNotice saved=outcome what="this customer"/>
        <CompanyEditForm current action label="Edit customer" submit="Save" with_active=true/>
        <DeleteCustomer id=current.get_untracked().id name=Signal::derive(move || current.with(|c| c.name.clone()))/>
    }
}

/// "Delete customer": asks once, then moves the customer to the Trash and returns to the list.
#[component]
fn DeleteCustomer(id: i64, name: Signal<String>) -> impl IntoView {
    let action = ServerAction::<DeleteCustomers>::new();
    let confirming = RwSignal::new(false);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            navigate("/customers", Default::default());
        }
    });
    view! {
        <section class="danger-zone" aria-label="Delete customer">
            {move || action.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button type="button" class="danger" on:click=move |_| confirming.set(true)>"Delete customer"</button>
                }
            >
                <p role="alert">{move || format!("Move {} to the Trash? An Admin can restore it.", name.get())}</p>
                <button type="button" class="danger" on:click=move |_| { action.dispatch(DeleteCustomers { ids: vec![id] }); }>
                    "Move to Trash"
                </button>
                <button type="button" on:click=move |_| confirming.set(false)>"Cancel"</button>
            </Show>
        </section>
    }
}
