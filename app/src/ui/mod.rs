//! Shared pieces of the staff pages: labelled form fields, notices, placeholders.

use crate::error::{AppError, FieldErrors};
use leptos::prelude::*;

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
    #[prop(default = "text")] kind: &'static str,
    #[prop(into, optional)] value: String,
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
        Some(group) => format!("{group}-{field}"),
        None => field.to_string(),
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
            <input
                id=id
                name=name
                type=kind
                value=value.clone()
                // The property too: when the form is refilled (say, after a conflicting save), the
                // attribute alone would not change what the input shows.
                prop:value=value
                autocomplete=autocomplete
                aria-required=required.then_some("true")
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=described_by
                on:blur=on_blur
            />
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            <p class="field-message" id=message_id aria-live="polite">{message}</p>
        </div>
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

/// An error shown in place of what could not be loaded or done.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    view! { <div class="notice error" role="alert">{error.to_string()}</div> }
}

/// A stored timestamp (milliseconds, UTC) as a calendar date, e.g. `2026-11-25`.
pub fn date(ms: i64) -> String {
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = ms.div_euclid(86_400_000) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// A stored timestamp as date and time of day, UTC.
pub fn date_time(ms: i64) -> String {
    let minutes = ms.div_euclid(60_000).rem_euclid(24 * 60);
    format!("{} {:02}:{:02} UTC", date(ms), minutes / 60, minutes % 60)
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
