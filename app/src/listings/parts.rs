//! Pieces both listings use: the search box, the pager, the delete button.

use super::Page;
use crate::error::AppError;
use crate::ui::ErrorNotice;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The list's search words and page, from the URL (`?q=…&page=…`, pages counted from 1).
pub fn use_list_query() -> Memo<(String, i64)> {
    let query = use_query_map();
    Memo::new(move |_| {
        query.with(|q| {
            let words = q.get("q").unwrap_or_default();
            let page = q.get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1);
            (words, (page - 1).max(0))
        })
    })
}

/// A search form that loads the list at `action` again with `?q=`.
#[component]
pub fn ListingSearch(label: &'static str, action: &'static str, words: String) -> impl IntoView {
    view! {
        <Form method="GET" action=action attr:class="search-bar" attr:role="search">
            <div class="field">
                <label for="q">{label}</label>
                <input id="q" name="q" type="search" value=words/>
            </div>
            <button type="submit">"Search"</button>
        </Form>
    }
}

/// "Page 2 of 7 (312 items)" and links to the pages around it, keeping the search (and `keep`,
/// more of the query, already encoded).
#[component]
pub fn Pager<T: 'static>(
    page: Page<T>,
    words: String,
    noun: &'static str,
    #[prop(optional)] keep: String,
) -> impl IntoView {
    let count = page.page_count();
    let current = page.page + 1;
    let encoded = crate::ui::url_encode(&words);
    let href = move |n: i64| format!("?q={encoded}&page={n}{keep}");
    view! {
        <nav class="pager" aria-label="Pages">
            <span>{format!("Page {current} of {count} ({} {noun})", page.total)}</span>
            {(current > 1).then(|| view! { <a href=href(current - 1) rel="prev">"Previous"</a> })}
            {(current < count).then(|| view! { <a href=href(current + 1) rel="next">"Next"</a> })}
        </nav>
    }
}

/// "Delete …": asks once, then calls `on_confirm`; shows why a delete was refused.
#[component]
pub fn DeleteButton(
    label: &'static str,
    #[prop(into)] question: Signal<String>,
    on_confirm: Callback<()>,
    /// The delete's answer: done leads to `back`, refused is shown here.
    result: Signal<Option<Result<(), AppError>>>,
    back: &'static str,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = result.get() {
            navigate(back, Default::default());
        }
    });
    let error = Signal::derive(move || result.get().and_then(Result::err));
    view! {
        <section class="danger-zone" aria-label=label>
            {move || error.get().map(|error| view! { <ErrorNotice error/> })}
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button type="button" class="danger" on:click=move |_| confirming.set(true)>{label}</button>
                }
            >
                <p role="alert">{question}</p>
                <button type="button" class="danger" on:click=move |_| {
                    confirming.set(false);
                    on_confirm.run(());
                }>"Delete"</button>
                <button type="button" on:click=move |_| confirming.set(false)>"Cancel"</button>
            </Show>
        </section>
    }
}
