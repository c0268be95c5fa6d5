//! Shared pieces of the staff pages: labelled form fields, notices, placeholders.

use crate::error::{AppError, FieldErrors};
use leptos::prelude::*;

mod cursor_pages;
pub use cursor_pages::{CursorEmpty, CursorPager, CursorPages, CursorSearch};

/// A field's own check: given the field's key and value, the message to show, if any.
pub type FieldCheck = fn(&str, &str) -> Result<(), String>;

/// A labelled input with its message below. The message is the field's own check when the field
/// was just left (the same check the server makes), otherwise what the server said about it.
#[component]
pub fn Field(
    /// Visible label.
    label: &'static str,
    /// The key of this field in [`FieldErrors`] and in its form's data.
    field: &'static str,
    /// Prefix of the input's name when the server function takes a struct, e.g. `company`.
    #[prop(optional)]
    group: Option<&'static str>,
    /// Put before the input's id when two forms on a page have the same fields.
    #[prop(optional)]
    id_prefix: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(into, optional)] value: MaybeProp<String>,
    /// A `<textarea>` instead of a one-line input.
    #[prop(optional)]
    multiline: bool,
    /// Told every change of the value, for forms that derive one field from another.
    #[prop(optional)]
    on_input: Option<Callback<String>>,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    /// Errors the server returned for the whole form.
    #[prop(into)]
    errors: Signal<Option<FieldErrors>>,
    /// The field's own check, given the field's key and value, run when the field is left.
    #[prop(optional)]
    check: Option<FieldCheck>,
) -> impl IntoView {
    let id = match group {
        Some(group) => format!("{id_prefix}{group}-{field}"),
        None => format!("{id_prefix}{field}"),
    };
    let name = match group {
        Some(group) => format!("{group}[{field}]"),
        None => field.to_string(),
    };
    let message_id = format!("{id}-message");
    let hint_id = format!("{id}-hint");
    // `Some` once the field was checked here; a new answer from the server takes over again.
    let local = RwSignal::new(None::<Option<String>>);
    Effect::new(move |_| {
        errors.track();
        local.set(None);
    });
    let message = move || match local.get() {
        Some(own) => own,
        None => errors.get().and_then(|e| e.get(field).map(str::to_string)),
    };
    let on_blur = move |ev: leptos::ev::FocusEvent| {
        if let Some(check) = check {
            local.set(Some(check(field, &event_target_value(&ev)).err()));
        }
    };
    let described_by = if hint.is_some() {
        format!("{hint_id} {message_id}")
    } else {
        message_id.clone()
    };
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            // The asterisk of a required field is drawn by the stylesheet; screen readers hear
            // `aria-required` instead.
            <label for=id.clone() class:required=required>{label}</label>
            {
                let value = move || value.get().unwrap_or_default();
                let on_input = move |ev: leptos::ev::Event| {
                    if let Some(on_input) = on_input {
                        on_input.run(event_target_value(&ev));
                    }
                };
                let invalid = move || message().is_some().then_some("true");
                if multiline {
                    view! {
                        <textarea id=id name=name rows="4" prop:value=value aria-required=required.then_some("true")
                            aria-invalid=invalid aria-describedby=described_by on:blur=on_blur on:input=on_input>
                            {value}
                        </textarea>
                    }
                    .into_any()
                } else {
                    view! {
                        // The property too: when the form is refilled (say, after a conflicting
                        // save), the attribute alone would not change what the input shows.
                        <input id=id name=name type=kind value=value prop:value=value autocomplete=autocomplete
                            aria-required=required.then_some("true") aria-invalid=invalid
                            aria-describedby=described_by on:blur=on_blur on:input=on_input/>
                    }
                    .into_any()
                }
            }
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            <p class="field-message" id=message_id aria-live="polite">{message}</p>
        </div>
    }
}

/// What became of a save over a version: the record as it now is, either way.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SaveOutcome<T> {
    Saved(T),
    /// Someone else saved first; here is what they saved. Nothing of this save was stored.
    Conflict(T),
}

impl<T> SaveOutcome<T> {
    pub fn into_inner(self) -> T {
        match self {
            SaveOutcome::Saved(value) | SaveOutcome::Conflict(value) => value,
        }
    }

    pub fn saved(&self) -> bool {
        matches!(self, SaveOutcome::Saved(_))
    }
}

/// Follows an editor's saves: `current` becomes what each answer holds (saved, or the other
/// person's version), and the signal returned says whether the last one saved, for [`SaveNotice`].
pub fn follow_saves<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<SaveOutcome<T>, AppError>>>,
    current: RwSignal<T>,
) -> RwSignal<Option<bool>> {
    let outcome = RwSignal::new(None::<bool>);
    Effect::new(move |_| {
        if let Some(Ok(saved)) = result.get() {
            outcome.set(Some(saved.saved()));
            current.set(saved.into_inner());
        }
    });
    outcome
}

/// "Saved." or, after a conflict, what happened and what to do; `what` is "this customer", ….
#[component]
pub fn SaveNotice(#[prop(into)] saved: Signal<Option<bool>>, what: &'static str) -> impl IntoView {
    move || {
        match saved.get() {
        Some(true) => Some(view! { <p class="notice success" role="status">"Saved."</p> }.into_any()),
        Some(false) => Some(
            view! {
                <div class="notice warning" role="alert">
                    {format!("Someone else saved {what} while you were editing. Your changes were not saved; ")}
                    "the form now shows their version. Make your changes again and save."
                </div>
            }
            .into_any(),
        ),
        None => None,
    }
    }
}

/// The outcome of a form's last submission: errors not tied to a field, or a success note.
#[component]
pub fn FormNotice(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        {move || {
            error
                .get()
                .map(|error| {
                    view! {
                        <div class="notice error" role="alert">
                            {error.to_string()}
                        </div>
                    }
                })
        }}
    }
}

/// The field errors of an action's latest result, for [`Field`].
pub fn field_errors_of<T: Clone + Send + Sync + 'static>(
    value: Signal<Option<Result<T, AppError>>>,
) -> Signal<Option<FieldErrors>> {
    Signal::derive(move || match value.get() {
        Some(Err(AppError::Invalid(errors))) => Some(errors),
        _ => None,
    })
}

/// The error of an action's latest result, for [`FormNotice`].
pub fn error_of<T: Clone + Send + Sync + 'static>(
    value: Signal<Option<Result<T, AppError>>>,
) -> Signal<Option<AppError>> {
    Signal::derive(move || value.get().and_then(Result::err))
}

/// Counts an action's successful answers. A resource keyed on this, rather than on the action's
/// version (which also moves when the server refuses), reloads after a save but leaves a refused
/// form as it was typed.
pub fn successes<T: Clone + Send + Sync + 'static>(
    value: Signal<Option<Result<T, AppError>>>,
) -> Signal<u32> {
    let count = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(value.get(), Some(Ok(_))) {
            count.update(|n| *n += 1);
        }
    });
    count.into()
}

/// The first error among several actions' answers, for a panel with one notice for all of them.
pub fn any_error<const N: usize>(errors: [Signal<Option<AppError>>; N]) -> Signal<Option<AppError>> {
    Signal::derive(move || errors.iter().find_map(|error| error.get()))
}

/// A section of the product that a later release fills in.
#[component]
pub fn NotYetBuilt(title: &'static str, what: &'static str) -> impl IntoView {
    view! {
        <section class="page">
            <h1>{title}</h1>
            <p class="muted">{what}" This page is not built yet."</p>
        </section>
    }
}

/// Sends the browser to `path` with a full page load, so every part of the page starts afresh
/// (used after signing in or out, when the session changed).
pub fn reload_to(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// `text` made safe for a URL's query or path: every byte but letters, digits and `-_.~`
/// percent-encoded.
pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An error shown in place of what could not be loaded or done.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    view! { <div class="notice error" role="alert">{error.to_string()}</div> }
}

/// A stored timestamp (milliseconds, UTC) as a calendar date, e.g. `2026-11-25`.
pub fn date(ms: i64) -> String {
    crate::domain::CalendarDate::from_ms(ms).to_string()
}

/// A stored timestamp as date and time of day, UTC.
pub fn date_time(ms: i64) -> String {
    let minutes = ms.div_euclid(60_000).rem_euclid(24 * 60);
    format!("{} {:02}:{:02} UTC", date(ms), minutes / 60, minutes % 60)
}

/// Today in the browser's clock (UTC), or the server's when rendering there.
pub fn today() -> crate::domain::CalendarDate {
    #[cfg(feature = "hydrate")]
    let ms = js_sys::Date::now() as i64;
    #[cfg(not(feature = "hydrate"))]
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    crate::domain::CalendarDate::from_ms(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_as_utc_dates() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400_000), "2000-02-29");
        assert_eq!(date_time(1_795_619_280_000), "2026-11-25 15:08 UTC");
        assert_eq!(date(-86_400_000), "1969-12-31");
    }
}
