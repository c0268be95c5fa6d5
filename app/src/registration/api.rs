//! Server functions of self-registration: the visitor's sign-up and confirmation (no sign-in),
//! staff approval, and the Admins' settings.

use super::RegistrationRules;
use crate::domain::RegistrationInput;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::{
        db, emails, ALLOW_PERSONAL, ALLOW_REGISTRATION, APPROVED_EMAIL, LINK_HOURS, MAX_PER_ADDRESS,
        MAX_PER_HOUR, RATE_WINDOW_MS, VERIFY_EMAIL,
    },
    crate::activity::db::{record, Actor},
    crate::auth::session::{hash_token, new_token, require_admin, require_staff},
    crate::customers::api::live_customer,
    crate::mail::db::{enqueue, NewEmail},
    crate::mail::LINK_PLACEHOLDER,
    crate::settings::db::{flag, set_flag},
    crate::state::{app_state, now_ms, Db},
};

#[cfg(feature = "ssr")]
async fn rules(db: &Db) -> Result<RegistrationRules, sqlx::Error> {
    Ok(RegistrationRules {
        open: flag(db, ALLOW_REGISTRATION).await?,
        personal_allowed: flag(db, ALLOW_PERSONAL).await?,
    })
}

/// Whether /portal/register takes sign-ups; anyone may ask.
#[server(endpoint = "portal/register/rules")]
pub async fn current_registration_rules() -> Result<RegistrationRules, AppError> {
    Ok(rules(&app_state()?.db).await?)
}

/// Admins: "Allow Customer Registration" and "Allow Personal Account Registration".
#[server(endpoint = "settings/registration")]
pub async fn set_registration_rules(open: bool, personal_allowed: bool) -> Result<(), AppError> {
    require_admin().await?;
    let db = app_state()?.db;
    set_flag(&db, ALLOW_REGISTRATION, open).await?;
    set_flag(&db, ALLOW_PERSONAL, personal_allowed).await?;
    Ok(())
}

/// A visitor signs up: nothing is made but the sign-up and the email with its confirmation link.
/// Answers with the address the link went to.
/// Sign-ups one client address may send in an hour, whatever the emails.
#[cfg(feature = "ssr")]
const SIGN_UPS_PER_ADDRESS_PER_HOUR: i64 = 20;

#[server(endpoint = "portal/register")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn register(registration: RegistrationInput) -> Result<String, AppError> {
    let state = app_state()?;
    let db = &state.db;
    let rules = rules(db).await?;
    if !rules.open {
        return Err(AppError::Refused(
            "Registration is closed. Ask your contact at the supplier for an invitation.".into(),
        ));
    }
    let valid = registration
        .parse(rules.personal_allowed)
        .map_err(AppError::Invalid)?;
    // One network cannot sign up (and make the server send mail) without end.
    crate::auth::throttle::limit_per_address(&state, "registration", SIGN_UPS_PER_ADDRESS_PER_HOUR, now_ms())
        .await?;
    let email_key = valid.contact.email.key();
    if crate::retrieval::db::contact_by_email(db, &email_key)
        .await?
        .is_some()
    {
        return Err(AppError::field(
            "email",
            "This email already has an account with us: sign in at the portal instead.",
        ));
    }
    let now = now_ms();
    let too_many = || {
        AppError::Refused(
            "Too many sign-ups for this email address. Use the link we already sent, or try again in an hour.".into(),
        )
    };
    // Counted before the (deliberately slow) password hash, so refused attempts cost little.
    let mut conn = db.pool.acquire().await?;
    if db::recent(&mut conn, &email_key, now - RATE_WINDOW_MS).await? >= MAX_PER_ADDRESS {
        return Err(too_many());
    }
    if db::recent_all(&mut conn, now - RATE_WINDOW_MS).await? >= MAX_PER_HOUR {
        return Err(AppError::Refused(
            "Too many sign-ups right now. Try again in an hour.".into(),
        ));
    }
    drop(conn);
    let password_hash = crate::auth::password::hash(&valid.password).await?;
    // A token no one is sent: the worker gives the sign-up the token of the link it emails.
    let unsent = new_token();
    let mut tx = db.begin().await?;
    // Written first (the transaction takes the write lock), then counted again: of sign-ups sent
    // at once from one address, only the allowed number pass.
    let new = db::NewRegistration {
        registration: &valid,
        password_hash: &password_hash,
        token_hash: &hash_token(&unsent),
        expires_at: now + LINK_HOURS * 3_600_000,
    };
    let registration_id = db::insert(&mut tx, &new, now).await?;
    if db::recent(&mut tx, &email_key, now - RATE_WINDOW_MS).await? > MAX_PER_ADDRESS {
        return Err(too_many());
    }
    let content = emails::confirm_address(&valid.contact.first_name, LINK_PLACEHOLDER, LINK_HOURS);
    let email = NewEmail {
        kind: VERIFY_EMAIL,
        customer_id: None,
        contact_id: None,
        to_address: valid.contact.email.as_str().to_string(),
        to_name: valid.contact.full_name(),
        subject: content.subject,
        text_body: content.text,
        html_body: content.html,
        created_by: None,
    };
    let outbox_id = enqueue(&mut tx, &email, now).await?;
    crate::mail::db::set_registration(&mut tx, outbox_id, registration_id).await?;
    tx.commit().await?;
    Ok(valid.contact.email.as_str().to_string())
}

/// The confirmation link, pressed: makes the Pending customer and its contact (who may sign in
/// once staff approve it). Answers with the customer's name.
#[server(endpoint = "portal/register/verify")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn confirm_registration(token: String) -> Result<String, AppError> {
    let token = crate::auth::session::check_token(&token)?;
    let db = app_state()?.db;
    let now = now_ms();
    let mut conn = db.pool.acquire().await?;
    let pending = db::by_token(&mut conn, &hash_token(token.trim()))
        .await?
        .ok_or_else(|| AppError::Refused("This link is not valid. Sign up again to get a new one.".into()))?;
    let name = pending
        .business_name
        .clone()
        .unwrap_or_else(|| format!("{} {}", pending.first_name, pending.last_name));
    if pending.verified_at.is_some() {
        return Ok(name);
    }
    if pending.expires_at <= now {
        return Err(AppError::Refused(
            "This link has expired. Sign up again to get a new one.".into(),
        ));
    }
    drop(conn);
    // The claim is the transaction's first statement: of two presses, one makes the customer.
    let mut tx = db.begin().await?;
    if !db::claim(&mut tx, pending.id, now).await? {
        return Ok(name);
    }
    let customer_id = db::insert_customer(&mut tx, &name, now).await?;
    let contact_id = match db::insert_contact(&mut tx, &pending, customer_id, now).await {
        Ok(id) => id,
        // Someone made a contact with this address since the sign-up.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(AppError::Refused(
                "This email already has an account with us: sign in at the portal instead.".into(),
            ))
        }
        Err(e) => return Err(e.into()),
    };
    db::set_customer(&mut tx, pending.id, customer_id).await?;
    let person = format!("{} {}", pending.first_name, pending.last_name);
    let actor = Actor {
        staff_user_id: None,
        contact_id: Some(contact_id),
        name: &person,
    };
    let detail = format!(
        "Registered at the portal as {} <{}>; waiting for approval",
        person, pending.email
    );
    record(&mut tx, customer_id, &actor, "registered", &detail, now).await?;
    tx.commit().await?;
    Ok(name)
}

/// Staff approve a registered customer: it becomes active with the portal on, and its contacts
/// are emailed that they can sign in.
#[server(endpoint = "customers/approve")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id)))]
pub async fn approve_customer(customer_id: i64) -> Result<(), AppError> {
    let user = require_staff().await?;
    let state = app_state()?;
    let db = &state.db;
    let customer = live_customer(db, customer_id).await?;
    let now = now_ms();
    let mut tx = db.begin().await?;
    if !db::approve(&mut tx, customer_id, now).await? {
        return Err(AppError::Refused(
            "This customer is not waiting for approval.".into(),
        ));
    }
    let portal = format!("{}/portal", state.public_url.trim_end_matches('/'));
    for contact in crate::contacts::db::buyers(&mut tx, customer_id).await? {
        let content = emails::approved(&contact.first_name, &customer.name, &portal);
        let email = NewEmail {
            kind: APPROVED_EMAIL,
            customer_id: Some(customer_id),
            contact_id: Some(contact.id),
            to_address: contact.email.clone(),
            to_name: contact.name.clone(),
            subject: content.subject,
            text_body: content.text,
            html_body: content.html,
            created_by: Some(user.id),
        };
        enqueue(&mut tx, &email, now).await?;
    }
    record(
        &mut tx,
        customer_id,
        &Actor::staff(&user),
        "customer_approved",
        "Approved the registration",
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[server(endpoint = "customers/pending")]
pub async fn customer_pending(customer_id: i64) -> Result<bool, AppError> {
    require_staff().await?;
    let db = app_state()?.db;
    if crate::customers::db::find(&db, customer_id).await?.is_none() {
        return Err(AppError::NotFound("This customer".into()));
    }
    let mut conn = db.pool.acquire().await?;
    Ok(db::is_pending(&mut conn, customer_id).await?)
}
