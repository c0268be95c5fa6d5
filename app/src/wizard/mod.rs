//! The New Customer wizard: Company, Contacts, Locations, Items, Documents. Every step saves on
//! the server as it goes, so a refresh, a closed tab or a second browser loses nothing; until
//! "Finish" the customer is a Draft that the list leads back to, at the step it reached.

use crate::contacts::ContactsPanel;
use crate::customers::api::{CreateCustomer, FinishWizard, ReachWizardStep, UpdateCustomer};
use crate::customers::{customer_id_param, customer_of_page, CompanyEditForm, CompanyFields, Customer};
use crate::domain::{CompanyInput, Level};
use crate::error::AppError;
use crate::requests::RequestsPanel;
use crate::requirements::SourcedPanel;
use crate::ui::{error_of, field_errors_of, follow_saves, ErrorNotice, FormNotice, SaveNotice};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

const STEPS: [&str; 5] = ["Company", "Contacts", "Locations", "Items", "Documents"];

pub fn step_path(customer_id: i64, step: i64) -> String {
    format!("/customers/{customer_id}/setup/{step}")
}

/// The five steps, the current one marked; once a customer exists every step can be opened.
#[component]
fn Stepper(customer_id: Option<i64>, current: i64) -> impl IntoView {
    view! {
        <nav aria-label="New customer steps">
            <ol class="stepper">
                {STEPS.iter().enumerate().map(|(n, name)| {
                    let step = n as i64 + 1;
                    let label = format!("{step}. {name}");
                    let class = if step == current { "current" } else if step < current { "done" } else { "" };
                    match customer_id {
                        Some(id) if step != current => view! {
                            <li class=class><a href=step_path(id, step)>{label}</a></li>
                        }.into_any(),
                        _ => view! {
                            <li class=class aria-current=(step == current).then_some("step")>{label}</li>
                        }.into_any(),
                    }
                }).collect_view()}
            </ol>
        </nav>
    }
}

/// Step 1 for a customer not yet saved: "Save and Continue" creates it as a Draft.
#[component]
pub fn NewCustomerPage() -> impl IntoView {
    let action = ServerAction::<CreateCustomer>::new();
    let value = Signal::from(action.value());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = action.value().get() {
            navigate(&step_path(id, 2), Default::default());
        }
    });
    view! {
        <section class="page">
            <p class="crumbs"><A href="/customers">"Customers"</A>" › New Customer"</p>
            <h1>"New Customer"</h1>
            <Stepper customer_id=None current=1/>
            <ActionForm action=action attr:class="card" attr:aria-label="New customer">
                <FormNotice error=error_of(value)/>
                <CompanyFields values=CompanyInput::default() errors=field_errors_of(value)/>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || action.pending().get()>
                        "Save and Continue"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

/// `/customers/:id/setup/:step`: a step of the wizard for a customer already saved.
#[component]
pub fn WizardPage() -> impl IntoView {
    let params = use_params_map();
    let id = customer_id_param();
    let step = Memo::new(move |_| {
        params
            .with(|p| p.get("step").and_then(|s| s.parse::<i64>().ok()))
            .filter(|s| (1..=5).contains(s))
    });
    let customer = customer_of_page(id);
    // Steps 2 to 5 load their own data, made here rather than inside the Suspense: resources made
    // after it waited run without the request's context on the server.
    view! {
        <section class="page">
            <p class="crumbs"><A href="/customers">"Customers"</A>" › New Customer"</p>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || {
                    let step = step.get();
                    Suspend::new(async move {
                        let customer = match customer.await {
                            Ok(customer) if customer.deleted_at.is_none() => customer,
                            Ok(_) => return view! { <ErrorNotice error=AppError::NotFound("This customer".into())/> }.into_any(),
                            Err(error) => return view! { <ErrorNotice error/> }.into_any(),
                        };
                        let Some(step) = step else {
                            return view! { <ErrorNotice error=AppError::NotFound("This step of the wizard".into())/> }.into_any();
                        };
                        view! {
                            <h1>{format!("New Customer: {}", customer.name)}</h1>
                            <Stepper customer_id=Some(customer.id) current=step/>
                            {(step == 1).then(|| view! { <CompanyStep customer/> })}
                        }.into_any()
                    })
                }}
            </Suspense>
            {move || match (id.get(), step.get()) {
                (Some(id), Some(step)) if step > 1 => Some(view! { <StepBody id step/> }),
                _ => None,
            }}
        </section>
    }
}

#[component]
fn StepBody(id: i64, step: i64) -> impl IntoView {
    match step {
        2 => view! { <ContactsPanel customer_id=id/><StepButtons id step/> }.into_any(),
        3 => view! { <SourcedPanel customer_id=id level=Level::Location/><StepButtons id step/> }.into_any(),
        4 => view! { <SourcedPanel customer_id=id level=Level::Item/><StepButtons id step/> }.into_any(),
        _ => view! { <RequestsPanel customer_id=id/><StepButtons id step/> }.into_any(),
    }
}

/// Back and Next (or Finish): what each step did is saved already, so they only record how far
/// the wizard got and move.
#[component]
fn StepButtons(id: i64, step: i64) -> impl IntoView {
    let reach = ServerAction::<ReachWizardStep>::new();
    let finish = ServerAction::<FinishWizard>::new();
    let navigate = use_navigate();
    let next_path = step_path(id, step + 1);
    Effect::new(move |_| {
        if let Some(Ok(())) = reach.value().get() {
            navigate(&next_path, Default::default());
        }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = finish.value().get() {
            navigate(&format!("/customers/{id}"), Default::default());
        }
    });
    let failure = Signal::derive(move || {
        reach
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| finish.value().get().and_then(Result::err))
    });
    view! {
        <FormNotice error=failure/>
        <div class="form-actions wizard-actions">
            <a class="button" href=step_path(id, step - 1)>"Back"</a>
            {if step < 5 {
                view! {
                    <button type="button" class="primary" disabled=move || reach.pending().get()
                        on:click=move |_| { reach.dispatch(ReachWizardStep { id, step: step + 1 }); }>"Next"</button>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="primary" disabled=move || finish.pending().get()
                        on:click=move |_| { finish.dispatch(FinishWizard { id }); }>"Finish"</button>
                }.into_any()
            }}
        </div>
    }
}

/// Step 1 again, for a saved customer: the company form saves over the version it shows.
#[component]
fn CompanyStep(customer: Customer) -> impl IntoView {
    let id = customer.id;
    let current = RwSignal::new(customer);
    let action = ServerAction::<UpdateCustomer>::new();
    let value = Signal::from(action.value());
    let outcome = follow_saves(value, current);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if outcome.get() == Some(true) {
            navigate(&step_path(id, 2), Default::default());
        }
    });
    view! {
        <SaveNotice saved=outcome what="this customer"/>
        <CompanyEditForm current action label="Company" submit="Save and Continue"/>
    }
}
