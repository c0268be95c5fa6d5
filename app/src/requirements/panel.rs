//! A customer's Locations or Items with their requirements: "+ Add Locations" / "+ Add Items"
//! from Listings, a checkbox per document type (pre-ticked from the Share Settings defaults when
//! added), and "Remove". Used by the wizard's steps 3 and 4 and the customer page's tabs.

use super::api::{sourced_listings, AddSourced, RemoveSourced, SetRequirement};
use super::SourcedListing;
use crate::domain::Level;
use crate::error::AppError;
use crate::listings::api::{list_items, list_locations};
use crate::ui::{any_error, error_of, CursorPager, CursorPages, CursorSearch, ErrorNotice, FormNotice};
use leptos::prelude::*;

/// A listing the chooser offers: id, name and code or SKU.
type Choice = (i64, String, Option<String>);

async fn search_listings(level: Level, q: String) -> Result<Vec<Choice>, AppError> {
    Ok(match level {
        Level::Location => list_locations(q, 0)
            .await?
            .rows
            .into_iter()
            .map(|l| (l.id, l.name, l.code))
            .collect(),
        Level::Item => list_items(q, 0)
            .await?
            .rows
            .into_iter()
            .map(|i| (i.id, i.name, Some(i.sku)))
            .collect(),
    })
}

fn plural(level: Level) -> &'static str {
    match level {
        Level::Location => "Locations",
        Level::Item => "Items",
    }
}

/// The plural in a sentence.
fn noun(level: Level) -> &'static str {
    match level {
        Level::Location => "locations",
        Level::Item => "items",
    }
}

#[component]
pub fn SourcedPanel(customer_id: i64, level: Level) -> impl IntoView {
    let add = ServerAction::<AddSourced>::new();
    let remove = ServerAction::<RemoveSourced>::new();
    let set = ServerAction::<SetRequirement>::new();
    // A big account sources thousands of items: they come a page at a time, searchable.
    let pages = CursorPages::new();
    let listings = Resource::new(
        move || {
            (
                add.version().get(),
                remove.version().get(),
                set.version().get(),
                pages.q.get(),
                pages.after(),
            )
        },
        move |(.., q, after)| sourced_listings(customer_id, level.key().to_string(), q, after),
    );
    let adding = RwSignal::new(false);
    let failure = any_error([
        error_of(Signal::from(add.value())),
        error_of(Signal::from(remove.value())),
        error_of(Signal::from(set.value())),
    ]);
    let heading_id = format!("{}-heading", level.key());
    view! {
        <section class="sourced-panel" aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{plural(level)}</h2>
            <p class="muted">{format!(
                "The {} this customer sources, and the documents it must receive for each. New ones start with the requirements ticked in Share Settings.",
                noun(level)
            )}</p>
            <FormNotice error=failure/>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match listings.await {
                        Ok(page) => {
                            let next = page.rows.last().map(|l| l.id).filter(|_| page.has_next);
                            let (search_id, pager_label) = match level {
                                Level::Location => ("sourced-locations-search", "Pages of locations"),
                                Level::Item => ("sourced-items-search", "Pages of items"),
                            };
                            view! {
                                <CursorSearch pages id=search_id total=page.total noun=noun(level)/>
                                <SourcedList customer_id level rows=page.rows has_any={page.total > 0} remove set/>
                                <CursorPager pages next label=pager_label/>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            <Show
                when=move || adding.get()
                fallback=move || view! {
                    <button type="button" class="primary" on:click=move |_| adding.set(true)>{format!("+ Add {}", plural(level))}</button>
                }
            >
                <ListingChooser customer_id level add close=Callback::new(move |_| adding.set(false))/>
            </Show>
        </section>
    }
}

#[component]
fn SourcedList(
    customer_id: i64,
    level: Level,
    rows: Vec<SourcedListing>,
    /// The customer sources some, whether or not the search found any.
    has_any: bool,
    remove: ServerAction<RemoveSourced>,
    set: ServerAction<SetRequirement>,
) -> impl IntoView {
    if rows.is_empty() && has_any {
        return view! { <p class="empty">{format!("None of this customer's {} match.", noun(level))}</p> }
            .into_any();
    }
    if rows.is_empty() {
        return view! { <p class="empty">{format!("No {} yet.", noun(level))}</p> }.into_any();
    }
    rows.into_iter()
        .map(|listing| {
            let listing_id = listing.id;
            let name = listing.name.clone();
            view! {
                <fieldset class="card requirement-set">
                    <legend>
                        {listing.name.clone()}
                        {listing.detail.clone().map(|d| view! { <span class="muted">{format!(" · {d}")}</span> })}
                    </legend>
                    {if listing.requirements.is_empty() {
                        view! { <p class="muted">{format!("No {}-level document types are shown in Share Settings.", level.key())}</p> }.into_any()
                    } else {
                        listing.requirements.into_iter().map(|tick| {
                            let id = format!("req-{}-{listing_id}-{}", level.key(), tick.type_id);
                            let type_id = tick.type_id;
                            view! {
                                <div class="field checkbox">
                                    <input type="checkbox" id=id.clone() checked=tick.required on:change=move |ev| {
                                        set.dispatch(SetRequirement {
                                            customer_id,
                                            level: level.key().to_string(),
                                            listing_id,
                                            type_id,
                                            required: event_target_checked(&ev),
                                        });
                                    }/>
                                    <label for=id>{tick.type_name}</label>
                                </div>
                            }
                        }).collect_view().into_any()
                    }}
                    <button type="button" class="link danger" aria-label=format!("Remove {name}")
                        on:click=move |_| { remove.dispatch(RemoveSourced { customer_id, level: level.key().to_string(), listing_id }); }>
                        "Remove"
                    </button>
                </fieldset>
            }
        })
        .collect_view()
        .into_any()
}

/// Search Listings and add the ticked ones in one go.
#[component]
fn ListingChooser(
    customer_id: i64,
    level: Level,
    add: ServerAction<AddSourced>,
    close: Callback<()>,
) -> impl IntoView {
    let q = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<i64>::new());
    let found = Resource::new(move || q.get(), move |q| search_listings(level, q));
    // Only an add made from this chooser closes it, not one from before it opened.
    let opened_at = add.version().get_untracked();
    Effect::new(move |_| {
        if add.version().get() > opened_at && matches!(add.value().get(), Some(Ok(_))) {
            chosen.set(Vec::new());
            close.run(());
        }
    });
    let search_id = format!("{}-search", level.key());
    view! {
        <div class="card chooser" role="region" aria-label=format!("Add {}", noun(level))>
            <div class="field">
                <label for=search_id.clone()>{format!("Search {}", noun(level))}</label>
                <input id=search_id type="search" autocomplete="off" on:input=move |ev| q.set(event_target_value(&ev))/>
            </div>
            <Transition>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(rows) if rows.is_empty() => view! {
                            <p class="muted">{format!("No {} match. Add them under Listings first.", noun(level))}</p>
                        }.into_any(),
                        Ok(rows) => view! {
                            <ul class="choices">
                                {rows.into_iter().map(|(id, name, detail)| {
                                    let input_id = format!("choose-{}-{id}", level.key());
                                    view! {
                                        <li class="field checkbox">
                                            <input type="checkbox" id=input_id.clone() checked=move || chosen.with(|c| c.contains(&id))
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id); } });
                                                }/>
                                            <label for=input_id>{name}{detail.map(|d| format!(" ({d})"))}</label>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            <div class="form-actions">
                <button type="button" class="primary" disabled=move || chosen.with(Vec::is_empty) || add.pending().get()
                    on:click=move |_| {
                        add.dispatch(AddSourced { customer_id, level: level.key().to_string(), ids: chosen.get_untracked() });
                    }>
                    {move || format!("Add selected ({})", chosen.with(Vec::len))}
                </button>
                <button type="button" on:click=move |_| close.run(())>"Cancel"</button>
            </div>
        </div>
    }
}
