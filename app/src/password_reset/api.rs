//! Server functions of "Forgot your password?".

use super::{ResetLinkState, Who};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::db,
    crate::auth::{
        password,
        session::{hash_token, token_shaped},
        throttle,
    },
    crate::domain::Email,
    crate::security_log::db::{record, Account, Event},
    crate::state::{app_state, now_ms, AppState},
};

/// Reset emails one address may ask for in an hour, whatever the emails typed.
#[cfg(feature = "ssr")]
const ASKS_PER_ADDRESS_PER_HOUR: i64 = 10;
/// One reset email to an account at most this often; asking again sooner sends nothing more.
#[cfg(feature = "ssr")]
const ONE_EMAIL_EVERY_MS: i64 = 2 * 60 * 1000;

#[cfg(feature = "ssr")]
fn who(key: &str) -> Result<Who, AppError> {
    Who::parse(key).ok_or_else(|| AppError::field("who", "Choose staff or contact."))
}

/// Emails a reset link to the account that uses `email`, if one does. The answer is the same
/// either way.
#[server(endpoint = "password_reset/ask")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn ask_password_reset(who: String, email: String) -> Result<(), AppError> {
    let who = self::who(&who)?;
    let email = Email::parse(&email).map_err(|e| AppError::field("email", e))?;
    let state = app_state()?;
    let now = now_ms();
    throttle::limit_per_address(&state, "password_reset", ASKS_PER_ADDRESS_PER_HOUR, now).await?;
    let email_key = email.as_str().to_lowercase();
    let account = match who {
        Who::Staff => crate::auth::db::staff_by_email(&state.db, &email_key)
            .await?
            .map(|r| (r.user.id, r.user.name, r.user.email)),
        Who::Contact => crate::contacts::db::find_by_email_key(&state.db, &email_key)
            .await?
            .map(|c| (c.id, c.first_name, c.email)),
    };
    log(
        &state,
        who,
        "password_reset_asked",
        &email_key,
        if account.is_some() { "" } else { "No such account" },
    )
    .await;
    let Some((id, name, address)) = account else {
        return Ok(());
    };
    if db::sent_lately(&state.db, who, id, now - ONE_EMAIL_EVERY_MS).await? {
        return Ok(());
    }
    queue_email(&state, who, id, &name, &address, now).await
}

#[cfg(feature = "ssr")]
async fn queue_email(
    state: &AppState,
    who: Who,
    id: i64,
    name: &str,
    address: &str,
    now: i64,
) -> Result<(), AppError> {
    let content = crate::mail::templates::password_reset(name, super::LINK_MINUTES);
    let email = crate::mail::db::NewEmail {
        kind: crate::mail::PASSWORD_RESET,
        customer_id: None,
        contact_id: (who == Who::Contact).then_some(id),
        to_address: address.to_string(),
        to_name: name.to_string(),
        subject: content.subject,
        text_body: content.text,
        html_body: content.html,
        created_by: None,
    };
    let mut tx = state.db.begin().await?;
    let outbox_id = crate::mail::db::enqueue(&mut tx, &email, now).await?;
    if who == Who::Staff {
        crate::mail::db::set_staff_user(&mut tx, outbox_id, id).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(feature = "ssr")]
async fn log(state: &AppState, who: Who, kind: &'static str, email: &str, detail: &str) {
    let account = match who {
        Who::Staff => Account::Staff,
        Who::Contact => Account::Contact,
    };
    let event = Event {
        kind,
        account,
        email,
        address: "",
        detail: detail.to_string(),
    };
    record(state, event, now_ms()).await;
}

#[server(endpoint = "password_reset/check")]
pub async fn check_reset_link(who: String, token: String) -> Result<ResetLinkState, AppError> {
    let who = self::who(&who)?;
    crate::auth::session::check_token(&token)?;
    let state = app_state()?;
    if !token_shaped(token.trim()) {
        return Ok(ResetLinkState::Unknown);
    }
    let found = db::find(&state.db, who, &hash_token(token.trim()), now_ms()).await?;
    Ok(match found {
        None => ResetLinkState::Unknown,
        Some(link) if !link.usable => ResetLinkState::Spent,
        Some(link) => ResetLinkState::Valid { email: link.email },
    })
}

/// Sets the new password through a reset link, ends every session of the account, and signs
/// this browser in. Answers where to go next.
#[server(endpoint = "password_reset/set")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn reset_password(
    who: String,
    token: String,
    password: String,
    confirm: String,
) -> Result<String, AppError> {
    let who = self::who(&who)?;
    crate::auth::session::check_token(&token)?;
    let chosen = password::chosen(&password, &confirm)?;
    let state = app_state()?;
    let spent = || AppError::Refused("This link has been used or has expired. Ask for a new one.".into());
    if !token_shaped(token.trim()) {
        return Err(spent());
    }
    let token_hash = hash_token(token.trim());
    let link_email = match db::find(&state.db, who, &token_hash, now_ms()).await? {
        Some(link) if link.usable => link.email,
        _ => return Err(spent()),
    };
    let hash = password::hash(&chosen).await?;
    let mut tx = state.db.begin().await?;
    let Some(id) = db::use_reset(&mut tx, who, &token_hash, &hash, now_ms()).await? else {
        return Err(spent());
    };
    tx.commit().await?;
    log(&state, who, "password_reset", &link_email, "").await;
    match who {
        Who::Staff => {
            // Sign-ins begun with the old password, halfway through their second step, end too.
            crate::two_factor::db::end_challenges(&state.db, id).await?;
            // A reset proves the email, not the second factor: that step still comes.
            let step = crate::two_factor::api::after_password(&state, id).await?;
            Ok(step.path("/customers"))
        }
        Who::Contact => {
            crate::retrieval::session::start(&state, id, None).await?;
            let in_portal = crate::portal::access::portal_open(&state).await?
                && !crate::portal::db::customers_of_contact(&state.db, id, None)
                    .await?
                    .is_empty();
            Ok(if in_portal { "/portal" } else { "/shared" }.into())
        }
    }
}
