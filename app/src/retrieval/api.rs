//! Server functions of the Document Retrieval Site, called by contacts (never by staff).

use super::{LinkState, SharedPage, SignedInContact};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::{db, session},
    crate::auth::{
        api::{settle_sign_in, sign_in_attempt},
        password,
        session::hash_token,
    },
    crate::domain::CalendarDate,
    crate::security_log::db::Account,
    crate::state::{app_state, now_ms},
};

/// A contact may ask for a new link this often.
#[cfg(feature = "ssr")]
const NEW_LINK_EVERY_MS: i64 = 10 * 60 * 1000;
/// New links one client address may ask for in an hour, whatever the links.
#[cfg(feature = "ssr")]
const NEW_LINKS_PER_ADDRESS_PER_HOUR: i64 = 10;

#[server(endpoint = "shared/link")]
pub async fn check_link(token: String) -> Result<LinkState, AppError> {
    let token = crate::auth::session::check_token(&token)?;
    let state = app_state()?;
    Ok(match db::link(&state.db, &hash_token(token.trim())).await? {
        None => LinkState::Unknown,
        Some(link) if link.expires_at <= now_ms() => LinkState::Expired,
        Some(link) => LinkState::Valid {
            email: link.email,
            first_name: link.first_name,
            has_account: link.has_account,
        },
    })
}

/// First visit: the contact of a working link chooses a password and is signed in.
#[server(endpoint = "shared/create_account")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_account(token: String, password: String, confirm: String) -> Result<(), AppError> {
    let token = crate::auth::session::check_token(&token)?;
    crate::auth::password::check_typed("password", &password)?;
    crate::auth::password::check_typed("confirm", &confirm)?;
    let state = app_state()?;
    let link = db::link(&state.db, &hash_token(token.trim()))
        .await?
        .filter(|link| link.expires_at > now_ms())
        .ok_or_else(|| AppError::Refused("This link has expired. Ask for a new one below.".into()))?;
    set_first_password(&state.db, link.contact_id, &password, &confirm).await?;
    session::start(&state, link.contact_id, None).await
}

/// A contact's first password, typed twice: checked, hashed and stored, unless they have one
/// already (one account per person, for the Document Retrieval Site and the portal alike).
#[cfg(feature = "ssr")]
pub async fn set_first_password(
    db: &crate::state::Db,
    contact_id: i64,
    password: &str,
    confirm: &str,
) -> Result<(), AppError> {
    let password = password::chosen(password, confirm)?;
    let hash = password::hash(&password).await?;
    if !db::set_first_password(db, contact_id, &hash).await? {
        return Err(AppError::Refused(
            "You already have an account. Sign in with your email and password.".into(),
        ));
    }
    Ok(())
}

#[server(endpoint = "shared/sign_in")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn contact_sign_in(email: String, password: String) -> Result<(), AppError> {
    let state = app_state()?;
    let attempt = sign_in_attempt(&state, &email, Account::Contact).await?;
    let account = db::contact_by_email(&state.db, attempt.email_key()).await?;
    match settle_sign_in(&state, &attempt, account, &password, Some("signed_in")).await? {
        Some(id) => session::start(&state, id, None).await,
        None => Err(AppError::Refused(
            "That email and password do not match an account. First time here? Use the link in your email."
                .into(),
        )),
    }
}

#[server(endpoint = "shared/sign_out")]
pub async fn contact_sign_out() -> Result<(), AppError> {
    session::end(&app_state()?).await
}

#[server(endpoint = "shared/me")]
pub async fn current_contact() -> Result<Option<SignedInContact>, AppError> {
    let state = app_state()?;
    let found = session::contact_from_headers(&state, &crate::auth::session::request_headers()).await?;
    Ok(found.map(|s| SignedInContact {
        name: s.name,
        email: s.email,
    }))
}

/// A page (from 0) of the documents shared with the calling contact's customers.
#[server(endpoint = "shared/documents")]
pub async fn shared_documents(#[server(default)] page: i64) -> Result<SharedPage, AppError> {
    let session = session::require_contact().await?;
    crate::paging::check_page(page)?;
    Ok(db::shared(&app_state()?.db, &session, CalendarDate::from_ms(now_ms()), page).await?)
}

/// From an expired link: emails the contact a new one. Only the contact's own mailbox receives it,
/// so the link in a forwarded, expired email gives no one else access.
#[server(endpoint = "shared/new_link")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn request_new_link(token: String) -> Result<(), AppError> {
    let token = crate::auth::session::check_token(&token)?;
    let state = app_state()?;
    let link = db::link(&state.db, &hash_token(token.trim()))
        .await?
        .ok_or_else(|| AppError::NotFound("This link".into()))?;
    let now = now_ms();
    crate::auth::throttle::limit_per_address(&state, "new_link", NEW_LINKS_PER_ADDRESS_PER_HOUR, now).await?;
    if db::last_new_link(&state.db, link.contact_id)
        .await?
        .is_some_and(|last| now - last < NEW_LINK_EVERY_MS)
    {
        return Err(AppError::Refused(
            "A new link was sent a few minutes ago. Check your inbox (and spam folder).".into(),
        ));
    }
    let contact = crate::contacts::db::find(&state.db, link.contact_id)
        .await?
        .ok_or_else(|| AppError::NotFound("This link".into()))?;
    let content = crate::mail::templates::new_link(&contact.first_name);
    let email = crate::mail::db::NewEmail {
        kind: "new_link",
        customer_id: None,
        contact_id: Some(contact.id),
        to_address: contact.email.clone(),
        to_name: contact.full_name(),
        subject: content.subject,
        text_body: content.text,
        html_body: content.html,
        created_by: None,
    };
    let mut tx = state.db.begin().await?;
    crate::mail::db::enqueue(&mut tx, &email, now).await?;
    tx.commit().await?;
    Ok(())
}
