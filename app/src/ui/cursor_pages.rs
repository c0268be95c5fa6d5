//! A list inside a page read a page at a time (a big account's thousands of contacts): a search
//! box and Previous / Next, without counting or skipping rows.

use leptos::prelude::*;

/// The list's search words and the cursors of the pages seen so far (`None`: the first page),
/// so "Previous" goes back one.
#[derive(Clone, Copy)]
pub struct CursorPages {
    pub q: RwSignal<String>,
    pages: RwSignal<Vec<Option<i64>>>,
}

impl CursorPages {
    pub fn new() -> Self {
        Self {
            q: RwSignal::new(String::new()),
            pages: RwSignal::new(vec![None]),
        }
    }

    /// The page shown starts after this row (tracked).
    pub fn after(&self) -> Option<i64> {
        self.pages.with(|p| p.last().copied().flatten())
    }
}

impl Default for CursorPages {
    fn default() -> Self {
        Self::new()
    }
}

/// "Search these N …", shown once the list is longer than a page (or searched).
#[component]
pub fn CursorSearch(pages: CursorPages, id: &'static str, total: i64, noun: &'static str) -> impl IntoView {
    let searched = !pages.q.get_untracked().is_empty();
    (total > crate::listings::PAGE_SIZE || searched).then(|| {
        view! {
            <div class="field">
                <label for=id>{format!("Search these {total} {noun}")}</label>
                <input id=id type="search" autocomplete="off" value=pages.q.get_untracked()
                    on:change=move |ev| {
                        pages.q.set(event_target_value(&ev));
                        pages.pages.set(vec![None]);
                    }/>
            </div>
        }
    })
}

/// Previous / Next; `next` is the last row of the page when there are more.
#[component]
pub fn CursorPager(pages: CursorPages, next: Option<i64>, label: &'static str) -> impl IntoView {
    view! {
        <nav class="pager" aria-label=label>
            {move || (pages.pages.with(Vec::len) > 1).then(|| view! {
                <button type="button" on:click=move |_| pages.pages.update(|p| { p.pop(); })>"Previous"</button>
            })}
            {next.map(|id| view! {
                <button type="button" on:click=move |_| pages.pages.update(|p| p.push(Some(id)))>"Next"</button>
            })}
        </nav>
    }
}

/// What an empty page says: `none` on the first (the list is empty); on a later one, whose rows
/// went after it was reached, `no_more` and the way back.
#[component]
pub fn CursorEmpty(
    pages: CursorPages,
    none: &'static str,
    no_more: &'static str,
    label: &'static str,
) -> impl IntoView {
    if pages.pages.with_untracked(|p| p.len() <= 1) {
        view! { <p class="empty">{none}</p> }.into_any()
    } else {
        view! {
            <p class="empty">{no_more}</p>
            <CursorPager pages next=None label/>
        }
        .into_any()
    }
}
