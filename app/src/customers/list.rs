//! The Customers list: search, filter, sort, keyset pages, bulk delete. Its state lives in the URL.

use super::api::{list_customers, DeleteCustomers};
use super::{CustomerPageData, ListQuery, SortKey, StatusFilter};
use crate::ui::{date, ErrorNotice};
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;
use std::collections::BTreeSet;

#[component]
pub fn CustomersPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| ListQuery::from_params(|k| p.get(k))));
    let delete = ServerAction::<DeleteCustomers>::new();
    // Raised by bulk changes other than deletion, to load the page again.
    let changed = RwSignal::new(0u32);
    let page = Resource::new(
        move || (query.get(), delete.version().get(), changed.get()),
        |(q, _, _)| list_customers(q),
    );
    let groups = Resource::new(|| (), |_| crate::groups::api::list_groups(false));
    let selected = RwSignal::new(BTreeSet::<i64>::new());
    Effect::new(move |_| {
        query.track();
        selected.set(BTreeSet::new());
    });

    view! {
        <section class="page">
            <header class="page-header">
                <h1>"Customers"</h1>
                <div class="actions">
                    {move || view! { <ActionsMenu query=query.get()/> }}
                    <A href="/customers/trash" attr:class="button">"Trash"</A>
                    <A href="/customers/new" attr:class="button primary">"+ New Customer"</A>
                </div>
            </header>
            {move || view! { <SearchForm query=query.get() groups/> }}
            <BulkBar selected delete/>
            <div class="bulk-bar">
                <crate::groups::BulkGroupBar selected on_done=move |_| changed.update(|n| *n += 1)/>
            </div>
            <Transition fallback=|| view! { <p class="muted">"Loading customers…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(data) => view! { <CustomerTable data query=query.get_untracked() selected/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Actions on the list as a whole: the import template, the upload, and exports of the current
/// search. A disclosure, so it opens and closes by keyboard as well.
#[component]
fn ActionsMenu(query: ListQuery) -> impl IntoView {
    view! {
        <details class="menu">
            <summary class="button">"Actions"</summary>
            <ul role="list">
                <li><a href="/customers/import-template.xlsx" download>"Get Excel template"</a></li>
                <li><A href="/customers/import">"Upload Customers"</A></li>
                <li><a href=query.export_href("csv") download>"Export CSV"</a></li>
                <li><a href=query.export_href("xlsx") download>"Export XLSX"</a></li>
            </ul>
        </details>
    }
}

#[component]
fn SearchForm(
    query: ListQuery,
    groups: Resource<Result<Vec<crate::groups::CustomerGroup>, crate::error::AppError>>,
) -> impl IntoView {
    let chosen_group = query.group;
    let integration = query.integration;
    let status_option = move |value: StatusFilter, label: &'static str| {
        view! { <option value=value.param() selected=query.status == value>{label}</option> }
    };
    view! {
        <Form method="GET" action="/customers" attr:class="search-bar" attr:role="search">
            <div class="field">
                <label for="q">"Search"</label>
                <input id="q" name="q" type="search" value=query.q.clone()
                    placeholder="Name, account number or city"/>
            </div>
            <div class="field">
                <label for="status">"Status"</label>
                <select id="status" name="status">
                    {status_option(StatusFilter::All, "All")}
                    {status_option(StatusFilter::Active, "Active")}
                    {status_option(StatusFilter::Inactive, "Inactive")}
                    {status_option(StatusFilter::Pending, "Pending approval")}
                </select>
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let groups = groups.await.unwrap_or_default();
                    (!groups.is_empty()).then(|| view! {
                        <div class="field">
                            <label for="group">"Group"</label>
                            <select id="group" name="group">
                                <option value="" selected=chosen_group.is_none()>"Any"</option>
                                {groups.into_iter().map(|g| view! {
                                    <option value=g.id selected=chosen_group == Some(g.id)>{g.name}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    })
                })}
            </Transition>
            <div class="field">
                <label for="integration">"Integration"</label>
                <select id="integration" name="integration">
                    <option value="" selected=integration.is_none()>"Any"</option>
                    {crate::integration::IntegrationStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.key() selected=integration == Some(s)>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="sort">"Sort by"</label>
                <select id="sort" name="sort">
                    {SortKey::ALL
                        .into_iter()
                        .map(|key| view! { <option value=key.param() selected=query.sort == key>{key.label()}</option> })
                        .collect_view()}
                </select>
            </div>
            {query.parent.map(|parent| view! {
                <div class="field checkbox">
                    <input id="parent" type="checkbox" name="parent" value=parent checked=true/>
                    <label for="parent">"Only the sub-accounts of the chosen parent"</label>
                </div>
            })}
            <button type="submit">"Search"</button>
        </Form>
    }
}

#[component]
fn BulkBar(selected: RwSignal<BTreeSet<i64>>, delete: ServerAction<DeleteCustomers>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let count = move || selected.with(BTreeSet::len);
    let result = move || {
        delete.value().get().map(|outcome| match outcome {
            Ok(moved) => view! {
                <p class="notice success" role="status">
                    {format!("Moved {moved} customer{} to the ", if moved == 1 { "" } else { "s" })}
                    <A href="/customers/trash">"Trash"</A>"."
                </p>
            }
            .into_any(),
            Err(error) => view! { <ErrorNotice error/> }.into_any(),
        })
    };
    let confirm = move |_| {
        let ids: Vec<i64> = selected.get_untracked().into_iter().collect();
        delete.dispatch(DeleteCustomers { ids });
        confirming.set(false);
    };
    view! {
        <div class="bulk-bar" aria-live="polite">
            {result}
            <Show when=move || { count() > 0 }>
                <span>{move || format!("{} selected", count())}</span>
                <Show
                    when=move || confirming.get()
                    fallback=move || view! {
                        <button type="button" class="danger" on:click=move |_| confirming.set(true)>
                            "Delete selected"
                        </button>
                    }
                >
                    <span role="alert">{move || format!("Move {} customers to the Trash?", count())}</span>
                    <button type="button" class="danger" on:click=confirm>"Move to Trash"</button>
                    <button type="button" on:click=move |_| confirming.set(false)>"Cancel"</button>
                </Show>
            </Show>
        </div>
    }
}

#[component]
fn CustomerTable(
    data: CustomerPageData,
    query: ListQuery,
    selected: RwSignal<BTreeSet<i64>>,
) -> impl IntoView {
    if data.rows.is_empty() {
        let unfiltered = query.group.is_none() && query.integration.is_none() && query.parent.is_none();
        let message = if query.q.is_empty() && query.status == StatusFilter::All && unfiltered {
            "No customers yet. Add the first with “+ New Customer”."
        } else {
            "No customers match this search."
        };
        return view! { <p class="empty">{message}</p> }.into_any();
    }
    let ids: Vec<i64> = data.rows.iter().map(|r| r.id).collect();
    let all_ids = ids.clone();
    let all_selected = move || selected.with(|s| all_ids.iter().all(|id| s.contains(id)));
    let toggle_all = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        selected.update(|s| {
            ids.iter().for_each(|id| {
                if on {
                    s.insert(*id);
                } else {
                    s.remove(id);
                }
            })
        });
    };
    let (first, last) = (data.rows[0].id, data.rows[data.rows.len() - 1].id);
    let rows = data
        .rows
        .into_iter()
        .map(|row| {
            let id = row.id;
            let toggle = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                selected.update(|s| { if on { s.insert(id); } else { s.remove(&id); } });
            };
            let label = format!("Select {}", row.name);
            view! {
                <tr>
                    <td><input type="checkbox" aria-label=label prop:checked=move || selected.with(|s| s.contains(&id)) on:change=toggle/></td>
                    <td class="with-logo">
                        {row.logo_file_id.map(|logo| view! { <img class="logo small" src=format!("/files/{logo}/inline") alt="" loading="lazy"/> })}
                        {match row.wizard_step {
                            Some(step) => view! {
                                <a href=crate::wizard::step_path(id, step)>{row.name}</a>
                                " "<span class="badge draft" title="The New Customer wizard is not finished: open to resume">"Draft"</span>
                            }.into_any(),
                            None => view! { <a href=format!("/customers/{id}")>{row.name}</a> }.into_any(),
                        }}
                    </td>
                    <td>{row.account_number.unwrap_or_default()}</td>
                    <td>{row.city}</td>
                    <td>{row.country}</td>
                    <td>{if row.pending_approval { "Pending approval" } else if row.active { "Active" } else { "Inactive" }}</td>
                    <td>{row.groups.join(", ")}</td>
                    <td>{row.integration_status.label()}</td>
                    <td class="number">{row.order_count}</td>
                    <td class="number">{format!("${}", crate::domain::Money::from_cents(row.order_total_cents))}</td>
                    <td>{date(row.created_at)}</td>
                </tr>
            }
        })
        .collect_view();
    let link = |enabled: bool, href: String, label: &'static str| {
        if enabled {
            view! { <A href=href>{label}</A> }.into_any()
        } else {
            view! { <span class="disabled" aria-disabled="true">{label}</span> }.into_any()
        }
    };
    view! {
        <table class="list">
            <thead>
                <tr>
                    <th scope="col"><input type="checkbox" aria-label="Select all on this page"
                        prop:checked=all_selected on:change=toggle_all/></th>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Account #"</th>
                    <th scope="col">"City"</th>
                    <th scope="col">"Country"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Groups"</th>
                    <th scope="col">"Integration"</th>
                    <th scope="col" class="number">"Orders"</th>
                    <th scope="col" class="number">"Order value"</th>
                    <th scope="col">"Added"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <nav class="pager" aria-label="Pages">
            {link(data.has_previous, query.first_page().href(), "« First")}
            {link(data.has_previous, query.page_before(first).href(), "‹ Previous")}
            {link(data.has_next, query.page_after(last).href(), "Next ›")}
            {link(data.has_next, query.last_page().href(), "Last »")}
        </nav>
    }
    .into_any()
}
