//! Lists read a page at a time from a cursor row (keyset pages): a page costs the same however
//! deep it is and however large the table, where counting and skipping rows would not.

use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// The largest id a browser holds exactly (2^53): a list position past it is no row of ours.
pub const MOST_ID: i64 = 1 << 53;
/// Numbered pages go no further: past it, a page is refused rather than counted to.
pub const MOST_PAGES: i64 = 100_000;

/// Refuses (422 at `field`) a list position (`after`, `before`) that cannot be a row's id.
pub fn check_position(field: &str, id: Option<i64>) -> Result<(), AppError> {
    match id {
        Some(id) if !(0..=MOST_ID).contains(&id) => {
            Err(AppError::field(field, "This is not a position in the list."))
        }
        _ => Ok(()),
    }
}

/// Refuses (422) a page number below 0 or past [`MOST_PAGES`].
pub fn check_page(page: i64) -> Result<(), AppError> {
    if (0..=MOST_PAGES).contains(&page) {
        Ok(())
    } else {
        Err(AppError::field("page", format!("There is no page {page}.")))
    }
}

/// Which page of a list read in keyset order, as its URL says: `?after=ID` (the "Next" link),
/// `?before=ID` ("Previous"), `?page=last`, or none (the first page).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Position {
    #[default]
    First,
    After(i64),
    Before(i64),
    Last,
}

impl Position {
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Position {
        let id = |name: &str| get(name).and_then(|v| v.parse::<i64>().ok());
        if get("page").as_deref() == Some("last") {
            Position::Last
        } else if let Some(after) = id("after") {
            Position::After(after)
        } else if let Some(before) = id("before") {
            Position::Before(before)
        } else {
            Position::First
        }
    }

    /// The URL of this page of `path`, keeping `keep` (other parameters, already encoded).
    pub fn href_keeping(self, path: &str, keep: &str) -> String {
        let mut params = Vec::new();
        if !keep.is_empty() {
            params.push(keep.to_string());
        }
        match self {
            Position::First => {}
            Position::After(id) => params.push(format!("after={id}")),
            Position::Before(id) => params.push(format!("before={id}")),
            Position::Last => params.push("page=last".into()),
        }
        if params.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", params.join("&"))
        }
    }

    /// The form of a server function's `after`, `before` and `last` arguments.
    pub fn to_args(self) -> (Option<i64>, Option<i64>, Option<bool>) {
        match self {
            Position::First => (None, None, None),
            Position::After(id) => (Some(id), None, None),
            Position::Before(id) => (None, Some(id), None),
            Position::Last => (None, None, Some(true)),
        }
    }

    /// From a server function's `after`, `before` and `last` arguments; refused (422) when a
    /// position cannot be a row's id.
    pub fn from_args(
        after: Option<i64>,
        before: Option<i64>,
        last: Option<bool>,
    ) -> Result<Position, AppError> {
        check_position("after", after)?;
        check_position("before", before)?;
        Ok(match (after, before, last) {
            (_, _, Some(true)) => Position::Last,
            (Some(id), _, _) => Position::After(id),
            (None, Some(id), _) => Position::Before(id),
            _ => Position::First,
        })
    }

    /// Reads backwards from the end or a row (Previous, Last).
    pub fn backwards(self) -> bool {
        matches!(self, Position::Before(_) | Position::Last)
    }
}

/// Cuts `rows`, read one more than a page of `size`, to the page; the cursor of the next page (the
/// last row's id, by `id`) when that one more was there.
pub fn next_cursor<T>(rows: &mut Vec<T>, size: usize, id: impl Fn(&T) -> i64) -> Option<i64> {
    if rows.len() <= size {
        return None;
    }
    rows.truncate(size);
    rows.last().map(id)
}

/// Previous / Next / First / Last links of a keyset page whose first and last rows are `first` and
/// `last`, keeping the other parameters `keep`.
#[leptos::component]
pub fn KeysetPager(
    path: &'static str,
    keep: String,
    first: Option<i64>,
    last: Option<i64>,
    has_previous: bool,
    has_next: bool,
) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let link = move |position: Position| position.href_keeping(path, &keep);
    view! {
        <nav class="pager" aria-label="Pages">
            {has_previous.then(|| view! {
                <a href=link(Position::First)>"First"</a>
                <a href=first.map(|id| link(Position::Before(id))) rel="prev">"Previous"</a>
            })}
            {has_next.then(|| view! {
                <a href=last.map(|id| link(Position::After(id))) rel="next">"Next"</a>
                <a href=link(Position::Last)>"Last"</a>
            })}
        </nav>
    }
}
