//! Staff accounts: first-run setup, signing in and out, and who is signed in.

#[cfg(feature = "ssr")]
pub mod accounts;
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod throttle;

use crate::domain::{Email, Password, PersonName, Role};
use crate::ui::{error_of, field_errors_of, reload_to, Field, FormNotice};
use api::{CreateFirstAdmin, SignIn};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// The signed-in staff user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
}

impl CurrentUser {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// Where to go after signing in: a path of this site only, never another site.
///
/// Checked as the browser will read it: browsers drop tabs and line breaks anywhere in a URL,
/// trim spaces and control characters around it, and read a backslash as a slash, so
/// `/\t/other.host` and `/\\other.host` both mean `//other.host`, another site. The address
/// returned is the one checked, cleaned the same way.
pub fn safe_next(next: Option<String>) -> String {
    next.and_then(|next| {
        let cleaned: String = next
            .trim_matches(|c: char| c <= ' ')
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .map(|c| if c == '\\' { '/' } else { c })
            .collect();
        let own_path = cleaned.starts_with('/') && !cleaned.starts_with("//");
        own_path.then_some(cleaned)
    })
    .unwrap_or_else(|| "/customers".into())
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let action = ServerAction::<CreateFirstAdmin>::new();
    let value = Signal::from(action.value());
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            reload_to("/customers");
        }
    });
    let errors = field_errors_of(value);
    view! {
        <main class="auth-page">
            <h1>"Welcome to Clientele"</h1>
            <p>"Create the first Admin account. You can add your colleagues afterwards."</p>
            <ActionForm action=action attr:class="card" attr:aria-label="Create the first Admin">
                <FormNotice error=Signal::derive(move || error_of(value).get().filter(|e| e.field_errors().is_none()))/>
                <Field label="Your name" field="name" required=true autocomplete="name" errors=errors
                    check=|_, v| PersonName::parse(v).map(drop)/>
                <Field label="Email" field="email" kind="email" required=true autocomplete="email" errors=errors
                    check=|_, v| Email::parse(v).map(drop)/>
                <Field label="Password" field="password" kind="password" required=true autocomplete="new-password"
                    hint="At least 10 characters." errors=errors check=|_, v| Password::parse(v).map(drop)/>
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    "Create Admin account"
                </button>
            </ActionForm>
        </main>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let value = Signal::from(action.value());
    let query = use_query_map();
    Effect::new(move |_| {
        if let Some(Ok(step)) = action.value().get() {
            reload_to(&step.path(&safe_next(query.get_untracked().get("next"))));
        }
    });
    let errors = field_errors_of(value);
    view! {
        <main class="auth-page">
            <h1>"Sign in to Clientele"</h1>
            <ActionForm action=action attr:class="card" attr:aria-label="Sign in">
                <FormNotice error=Signal::derive(move || error_of(value).get().filter(|e| e.field_errors().is_none()))/>
                <Field label="Email" field="email" kind="email" required=true autocomplete="username" errors=errors/>
                <Field label="Password" field="password" kind="password" required=true
                    autocomplete="current-password" errors=errors/>
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
            <p><a href="/login/forgot">"Forgot your password?"</a></p>
        </main>
    }
}

/// The "Sign out" button of the top bar.
#[component]
pub fn SignOutButton() -> impl IntoView {
    let action = ServerAction::<api::SignOut>::new();
    Effect::new(move |_| {
        if action.value().get().is_some() {
            reload_to("/login");
        }
    });
    view! {
        <ActionForm action=action attr:class="sign-out">
            <button type="submit" class="link">"Sign out"</button>
        </ActionForm>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/customers?q=a".into())), "/customers?q=a");
        assert_eq!(safe_next(Some("/orders#top".into())), "/orders#top");
        assert_eq!(safe_next(None), "/customers");
    }

    #[test]
    fn next_never_leads_to_another_site_however_it_is_spelled() {
        for hostile in [
            "//evil.example",
            "https://evil.example",
            "HTTPS://evil.example/x",
            "javascript:alert(1)",
            "evil.example/x",
            // What `/login?next=/%09/evil.example/x` decodes to: the browser drops the tab.
            "/\t/evil.example/x",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "\t//evil.example",
            " //evil.example",
            "\u{0}//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "\\/evil.example",
            "",
        ] {
            assert_eq!(safe_next(Some(hostile.into())), "/customers", "{hostile:?}");
        }
    }

    #[test]
    fn next_is_returned_as_the_browser_will_read_it() {
        assert_eq!(safe_next(Some(" /contacts\t?q=a\n".into())), "/contacts?q=a");
        assert_eq!(safe_next(Some("/a\\b".into())), "/a/b");
        // Percent-encoded slashes stay part of a path: the browser does not decode them there.
        assert_eq!(
            safe_next(Some("/%2F%2Fevil.example".into())),
            "/%2F%2Fevil.example"
        );
    }
}
