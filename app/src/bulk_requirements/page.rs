//! The three steps of Bulk Configure Customer Requirements: customers, document types, apply.

use super::api::{bulk_candidates, ApplyBulkRequirements};
use crate::documents::api::list_document_types;
use crate::documents::share_settings::Tabs;
use crate::documents::DocumentType;
use crate::domain::Level;
use crate::ui::{error_of, ErrorNotice, FormNotice};
use leptos::prelude::*;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Customers,
    Types,
    Apply,
}

#[component]
pub fn BulkRequirementsPage() -> impl IntoView {
    let step = RwSignal::new(Step::Customers);
    let q = RwSignal::new(String::new());
    let status = RwSignal::new("all".to_string());
    let search = RwSignal::new((String::new(), "all".to_string()));
    let candidates = Resource::new(move || search.get(), |(q, status)| bulk_candidates(q, status));
    let only_ticked = RwSignal::new(false);
    let ticked = RwSignal::new(BTreeSet::<i64>::new());
    let types = Resource::new(|| (), |_| list_document_types());
    let chosen = RwSignal::new(BTreeSet::<i64>::new());
    let add = RwSignal::new(true);
    let apply = ServerAction::<ApplyBulkRequirements>::new();
    // How many customers the search matched, kept by an effect: the buttons outside the
    // Transition must not read the resource themselves.
    let matching = RwSignal::new(0usize);
    Effect::new(move |_| {
        if let Some(Ok(found)) = candidates.get() {
            matching.set(found.total);
        }
    });
    let customer_count = move || {
        if only_ticked.get() {
            ticked.with(BTreeSet::len)
        } else {
            matching.get()
        }
    };
    let step_item = move |which: Step, label: &'static str| {
        view! { <li aria-current=move || (step.get() == which).then_some("step")>{label}</li> }
    };
    view! {
        <section class="page bulk-requirements">
            <Tabs/>
            <h2>"Bulk Configure Customer Requirements"</h2>
            <p>"Add or remove document requirements for the locations and items of many customers at once. Adding opens their Document Requests; removing cancels the open ones."</p>
            <ol class="steps">
                {step_item(Step::Customers, "1. Customers")}
                {step_item(Step::Types, "2. Document types")}
                {step_item(Step::Apply, "3. Apply")}
            </ol>
            <div hidden=move || step.get() != Step::Customers>
                <form class="search-bar" role="search" on:submit=move |ev| {
                    ev.prevent_default();
                    search.set((q.get_untracked(), status.get_untracked()));
                    ticked.set(BTreeSet::new());
                }>
                    <div class="field">
                        <label for="bulk-q">"Search customers"</label>
                        <input id="bulk-q" type="search" placeholder="Name, account number or city"
                            prop:value=move || q.get() on:input=move |ev| q.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for="bulk-status">"Status"</label>
                        <select id="bulk-status" on:change=move |ev| status.set(event_target_value(&ev))>
                            <option value="all">"All"</option>
                            <option value="active">"Active"</option>
                            <option value="inactive">"Inactive"</option>
                        </select>
                    </div>
                    <button type="submit">"Search"</button>
                </form>
                <Transition fallback=|| view! { <p class="muted">"Loading customers…"</p> }>
                    {move || Suspend::new(async move {
                        match candidates.await {
                            Err(error) => view! { <ErrorNotice error/> }.into_any(),
                            Ok(found) => view! {
                                <fieldset>
                                    <legend>"Which customers"</legend>
                                    <label class="choice">
                                        <input type="radio" name="which" prop:checked=move || !only_ticked.get()
                                            on:change=move |_| only_ticked.set(false)/>
                                        {format!("All {} matching customers", found.total)}
                                    </label>
                                    <label class="choice">
                                        <input type="radio" name="which" prop:checked=move || only_ticked.get()
                                            on:change=move |_| only_ticked.set(true)/>
                                        "Only the customers I tick below"
                                    </label>
                                </fieldset>
                                {(found.total > found.first.len()).then(|| view! {
                                    <p class="muted">{format!("The first {} are listed; search to find others.", found.first.len())}</p>
                                })}
                                <table class="list">
                                    <thead><tr><th scope="col">"Tick"</th><th scope="col">"Customer"</th><th scope="col">"Account number"</th><th scope="col">"City"</th></tr></thead>
                                    <tbody>
                                        {found.first.into_iter().map(|c| {
                                            let id = c.id;
                                            let label = format!("Tick {}", c.name);
                                            view! {
                                                <tr>
                                                    <td><input type="checkbox" aria-label=label disabled=move || !only_ticked.get()
                                                        prop:checked=move || ticked.with(|t| t.contains(&id))
                                                        on:change=move |ev| {
                                                            let on = event_target_checked(&ev);
                                                            ticked.update(|t| { if on { t.insert(id); } else { t.remove(&id); } });
                                                        }/></td>
                                                    <td>{c.name}</td>
                                                    <td>{c.account_number.unwrap_or_default()}</td>
                                                    <td>{c.city}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                        }
                    })}
                </Transition>
                <div class="form-actions">
                    <button type="button" class="primary" disabled=move || customer_count() == 0
                        on:click=move |_| step.set(Step::Types)>"Next"</button>
                </div>
            </div>
            <div hidden=move || step.get() != Step::Types>
                <Transition fallback=|| view! { <p class="muted">"Loading document types…"</p> }>
                    {move || Suspend::new(async move {
                        match types.await {
                            Err(error) => view! { <ErrorNotice error/> }.into_any(),
                            Ok(types) => {
                                let shown: Vec<DocumentType> = types.into_iter().filter(|t| !t.hidden).collect();
                                view! {
                                    <TypeChoices level=Level::Location types=shown.clone() chosen/>
                                    <TypeChoices level=Level::Item types=shown chosen/>
                                }.into_any()
                            }
                        }
                    })}
                </Transition>
                <div class="form-actions">
                    <button type="button" on:click=move |_| step.set(Step::Customers)>"Back"</button>
                    <button type="button" class="primary" disabled=move || chosen.with(BTreeSet::is_empty)
                        on:click=move |_| step.set(Step::Apply)>"Next"</button>
                </div>
            </div>
            <form hidden=move || step.get() != Step::Apply on:submit=move |ev| {
                ev.prevent_default();
                let (q, status) = search.get_untracked();
                apply.dispatch(ApplyBulkRequirements {
                    q,
                    status,
                    customer_ids: if only_ticked.get_untracked() { ticked.get_untracked().into_iter().collect() } else { Vec::new() },
                    type_ids: chosen.get_untracked().into_iter().collect(),
                    add: add.get_untracked(),
                });
            }>
                <fieldset>
                    <legend>"Add or remove"</legend>
                    <label class="choice">
                        <input type="radio" name="add" prop:checked=move || add.get() on:change=move |_| add.set(true)/>
                        "Add these requirements"
                    </label>
                    <label class="choice">
                        <input type="radio" name="add" prop:checked=move || !add.get() on:change=move |_| add.set(false)/>
                        "Remove these requirements"
                    </label>
                </fieldset>
                <p>{move || format!(
                    "{} {} document type(s) {} the locations and items of {} customer(s).",
                    if add.get() { "Add" } else { "Remove" },
                    chosen.with(BTreeSet::len),
                    if add.get() { "to" } else { "from" },
                    customer_count()
                )}</p>
                <FormNotice error=error_of(apply.value().into())/>
                {move || apply.value().get().and_then(Result::ok).map(|done| view! {
                    <p class="notice success" role="status">{format!(
                        "Done: {} requirement(s) {} for {} customer(s).",
                        done.requirements,
                        if add.get_untracked() { "added" } else { "removed" },
                        done.customers
                    )}</p>
                })}
                <div class="form-actions">
                    <button type="button" on:click=move |_| step.set(Step::Types)>"Back"</button>
                    <button type="submit" class="primary" disabled=move || apply.pending().get()>"Apply"</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn TypeChoices(level: Level, types: Vec<DocumentType>, chosen: RwSignal<BTreeSet<i64>>) -> impl IntoView {
    let legend = match level {
        Level::Location => "Location-level documents",
        Level::Item => "Item-level documents",
    };
    view! {
        <fieldset>
            <legend>{legend}</legend>
            {types.into_iter().filter(|t| t.level == level).map(|t| {
                let id = t.id;
                view! {
                    <label class="choice">
                        <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&id))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| { if on { c.insert(id); } else { c.remove(&id); } });
                            }/>
                        {t.name}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}
