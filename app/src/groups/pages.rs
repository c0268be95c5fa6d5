//! The groups' screens: Settings → Customer Groups, the customer page's card, the list's bulk bar.

use super::api::{groups_of_customer, list_groups, AssignGroups, BulkAssignGroup, DeleteGroup, SaveGroup};
use super::CustomerGroup;
use crate::domain::{GroupInput, PriceAdjustment};
use crate::ui::{any_error, error_of, field_errors_of, ErrorNotice, Field, FormNotice};
use leptos::prelude::*;
use leptos_router::components::A;
use std::collections::BTreeSet;

/// How a group changes prices, in words.
fn adjustment_words(adjustment: PriceAdjustment) -> String {
    match adjustment.basis_points().signum() {
        0 => "List prices".into(),
        -1 => format!("{adjustment} off list prices"),
        _ => format!("{adjustment} on list prices"),
    }
}

#[component]
pub fn GroupsPage() -> impl IntoView {
    let save = ServerAction::<SaveGroup>::new();
    let delete = ServerAction::<DeleteGroup>::new();
    let groups = Resource::new(
        move || (save.version().get(), delete.version().get()),
        |_| list_groups(true),
    );
    // The group the form edits; `None` adds one.
    let editing = RwSignal::new(None::<CustomerGroup>);
    let saved = Signal::from(save.value());
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            editing.set(None);
        }
    });
    let value_of = move |f: fn(&CustomerGroup) -> String| {
        Signal::derive(move || editing.with(|g| g.as_ref().map(f).unwrap_or_default()))
    };
    view! {
        <section class="page">
            <p class="crumbs"><A href="/settings">"Settings"</A>" › Customer Groups"</p>
            <h1>"Customer Groups"</h1>
            <p class="muted">
                "A group changes its customers' portal prices by a percentage. A customer in several groups "
                "gets the one adjustment that gives the lowest price; adjustments are not added together."
            </p>
            {move || delete.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match groups.await {
                        Ok(groups) if groups.is_empty() => view! { <p class="empty">"No groups yet. Add the first below."</p> }.into_any(),
                        Ok(groups) => view! {
                            <table class="list">
                                <thead><tr>
                                    <th scope="col">"Name"</th><th scope="col">"Price adjustment"</th>
                                    <th scope="col">"Tax exempt"</th><th scope="col">"Assignable"</th>
                                    <th scope="col" class="number">"Customers"</th><th scope="col"><span class="sr-only">"Actions"</span></th>
                                </tr></thead>
                                <tbody>
                                    {groups.into_iter().map(|group| {
                                        let edit = group.clone();
                                        let id = group.id;
                                        let (edit_label, delete_label) = (format!("Edit {}", group.name), format!("Delete {}", group.name));
                                        view! {
                                            <tr>
                                                <td>
                                                    <a href=format!("/customers?group={id}")>{group.name.clone()}</a>
                                                    {group.description.clone().map(|d| view! { <p class="muted">{d}</p> })}
                                                </td>
                                                <td>{group.price_adjustment.to_string()}</td>
                                                <td>{if group.tax_exempt { "Yes" } else { "No" }}</td>
                                                <td>{if group.assignable { "Yes" } else { "No" }}</td>
                                                <td class="number">{group.customer_count.unwrap_or_default()}</td>
                                                <td>
                                                    <button type="button" aria-label=edit_label
                                                        on:click=move |_| editing.set(Some(edit.clone()))>"Edit"</button>
                                                    " "
                                                    <button type="button" class="danger" aria-label=delete_label
                                                        on:click=move |_| { delete.dispatch(DeleteGroup { id }); }>"Delete"</button>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            <h2 id="group-form-heading">
                {move || editing.with(|g| match g {
                    Some(g) => format!("Edit {}", g.name),
                    None => "Add a group".into(),
                })}
            </h2>
            <ActionForm action=save attr:class="card" attr:aria-labelledby="group-form-heading">
                <FormNotice error=Signal::derive(move || error_of(saved).get().filter(|e| e.field_errors().is_none()))/>
                {move || editing.with(|g| g.as_ref().map(|g| view! {
                    <input type="hidden" name="id" value=g.id/>
                    <input type="hidden" name="version" value=g.version/>
                }))}
                <Field label="Name" field="name" group="group" required=true errors=field_errors_of(saved)
                    value=value_of(|g| g.name.clone()) check=GroupInput::check_field/>
                <Field label="Description" field="description" group="group" multiline=true errors=field_errors_of(saved)
                    value=value_of(|g| g.description.clone().unwrap_or_default()) check=GroupInput::check_field/>
                <Field label="Price adjustment (%)" field="price_adjustment" group="group" errors=field_errors_of(saved)
                    hint="-10 takes 10 % off the list price; 5 adds 5 %. Empty: list prices."
                    value=value_of(|g| if g.price_adjustment == PriceAdjustment::NONE { String::new() } else { g.price_adjustment.to_string() })
                    check=GroupInput::check_field/>
                <div class="field checkbox">
                    <input id="group-tax_exempt" type="checkbox" name="group[tax_exempt]" value="on"
                        prop:checked=move || editing.with(|g| g.as_ref().is_some_and(|g| g.tax_exempt))/>
                    <label for="group-tax_exempt">"Tax exempt"</label>
                </div>
                <div class="field checkbox">
                    <input id="group-assignable" type="checkbox" name="group[assignable]" value="on" aria-describedby="group-assignable-hint"
                        prop:checked=move || editing.with(|g| g.as_ref().is_none_or(|g| g.assignable))/>
                    <label for="group-assignable">"Assignable"</label>
                    <p class="hint" id="group-assignable-hint">"Only assignable groups can be given to customers."</p>
                </div>
                {move || matches!(saved.get(), Some(Ok(()))).then(|| view! { <p class="notice success" role="status">"Group saved."</p> })}
                <button type="submit" class="primary" disabled=move || save.pending().get()>
                    {move || if editing.with(Option::is_some) { "Save group" } else { "Add group" }}
                </button>
                {move || editing.with(Option::is_some).then(|| view! {
                    <button type="button" on:click=move |_| editing.set(None)>"Cancel"</button>
                })}
            </ActionForm>
        </section>
    }
}

/// The customer page's "Customer Groups" card: tick the groups, save, and see what they make of
/// the customer's portal prices.
#[component]
pub fn CustomerGroupsCard(customer_id: i64) -> impl IntoView {
    let assign = ServerAction::<AssignGroups>::new();
    let assigned = crate::ui::successes(Signal::from(assign.value()));
    let groups = Resource::new(move || assigned.get(), move |_| groups_of_customer(customer_id));
    let chosen = RwSignal::new(BTreeSet::<i64>::new());
    view! {
        <section class="card" aria-labelledby="groups-heading">
            <h2 id="groups-heading">"Customer Groups"</h2>
            <FormNotice error=error_of(Signal::from(assign.value()))/>
            {move || matches!(assign.value().get(), Some(Ok(()))).then(|| view! { <p class="notice success" role="status">"Groups saved."</p> })}
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match groups.await {
                        Ok(groups) => {
                            chosen.set(groups.assigned.iter().map(|g| g.id).collect());
                            // Groups it is in that are no longer assignable still show, ticked.
                            let mut shown = groups.assignable.clone();
                            for group in &groups.assigned {
                                if !shown.iter().any(|g| g.id == group.id) {
                                    shown.push(group.clone());
                                }
                            }
                            let summary = format!(
                                "Portal prices: {}{}",
                                adjustment_words(groups.price_adjustment),
                                if groups.tax_exempt { " · Tax exempt" } else { "" }
                            );
                            view! {
                                <p>{summary}</p>
                                {if shown.is_empty() {
                                    view! { <p class="muted">"No groups can be given yet (Settings → Customer Groups)."</p> }.into_any()
                                } else {
                                    view! {
                                        <fieldset>
                                            <legend>"Groups"</legend>
                                            <ul class="group-list">
                                                {shown.into_iter().map(|group| {
                                                    let id = group.id;
                                                    let input_id = format!("group-{id}");
                                                    let label = if group.assignable {
                                                        format!("{} ({})", group.name, group.price_adjustment)
                                                    } else {
                                                        format!("{} ({}, no longer assignable)", group.name, group.price_adjustment)
                                                    };
                                                    view! {
                                                        <li class="field checkbox">
                                                            <input id=input_id.clone() type="checkbox"
                                                                prop:checked=move || chosen.with(|c| c.contains(&id))
                                                                on:change=move |ev| {
                                                                    let on = event_target_checked(&ev);
                                                                    chosen.update(|c| { if on { c.insert(id); } else { c.remove(&id); } });
                                                                }/>
                                                            <label for=input_id>{label}</label>
                                                        </li>
                                                    }
                                                }).collect_view()}
                                            </ul>
                                        </fieldset>
                                        <button type="button" disabled=move || assign.pending().get() on:click=move |_| {
                                            assign.dispatch(AssignGroups { customer_id, group_ids: chosen.get_untracked().into_iter().collect() });
                                        }>"Save groups"</button>
                                    }.into_any()
                                }}
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// "Add to group" / "Remove from group" for the customers ticked in the list.
#[component]
pub fn BulkGroupBar(selected: RwSignal<BTreeSet<i64>>, #[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let bulk = ServerAction::<BulkAssignGroup>::new();
    let groups = Resource::new(|| (), |_| list_groups(false));
    let group_id = RwSignal::new(None::<i64>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = bulk.value().get() {
            on_done.run(());
        }
    });
    let run = move |add: bool| {
        if let Some(group_id) = group_id.get_untracked() {
            let customer_ids = selected.get_untracked().into_iter().collect();
            bulk.dispatch(BulkAssignGroup {
                customer_ids,
                group_id,
                add,
            });
        }
    };
    let failure = any_error([error_of(Signal::from(bulk.value()))]);
    view! {
        <FormNotice error=failure/>
        {move || bulk.value().get().and_then(Result::ok).map(|n| view! {
            <p class="notice success" role="status">{format!("{n} customer{} changed.", if n == 1 { "" } else { "s" })}</p>
        })}
        <Show when=move || selected.with(|s| !s.is_empty())>
            <Transition fallback=|| view! { <span class="muted">"Loading groups…"</span> }>
                {move || Suspend::new(async move {
                    let options = groups.await.unwrap_or_default().into_iter().filter(|g| g.assignable).map(|g| view! {
                        <option value=g.id>{g.name}</option>
                    }).collect_view();
                    view! {
                        <label for="bulk-group">"Customer group"</label>
                        <select id="bulk-group" on:change=move |ev| group_id.set(event_target_value(&ev).parse().ok())>
                            <option value="">"Choose a group…"</option>
                            {options}
                        </select>
                    }
                })}
            </Transition>
            <button type="button" disabled=move || group_id.get().is_none() || bulk.pending().get()
                on:click=move |_| run(true)>"Add to group"</button>
            <button type="button" disabled=move || group_id.get().is_none() || bulk.pending().get()
                on:click=move |_| run(false)>"Remove from group"</button>
        </Show>
    }
}
