//! Staff's side of the portal: the supplier-wide switch (Settings), a customer's Portal and
//! Sunday-reminder toggles, invitations, and "Place order as customer".

use super::CustomerPortalAccess;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::db::{self, CustomerFlag},
    crate::activity::db::{self as activity, Actor},
    crate::auth::session::{current_token, hash_token, require_admin, require_staff},
    crate::auth::CurrentUser,
    crate::customers::api::live_customer,
    crate::mail::{db as outbox, portal_emails, INVITATION},
    crate::settings::db::{flag, set_flag, PORTAL_ENABLED},
    crate::state::{app_state, now_ms},
};

#[server(endpoint = "portal/settings")]
pub async fn portal_open_setting() -> Result<bool, AppError> {
    require_staff().await?;
    Ok(flag(&app_state()?.db, PORTAL_ENABLED).await?)
}

/// Opens or closes the portal for every customer (Admins).
#[server(endpoint = "portal/settings/set")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(on)))]
pub async fn set_portal_open(on: bool) -> Result<(), AppError> {
    require_admin().await?;
    Ok(set_flag(&app_state()?.db, PORTAL_ENABLED, on).await?)
}

/// The customer's portal switches and a page of its contacts' invitations (after the contact
/// `after`, of those matching `q`).
#[server(endpoint = "portal/customer")]
pub async fn customer_portal(
    customer_id: i64,
    q: Option<String>,
    after: Option<i64>,
) -> Result<CustomerPortalAccess, AppError> {
    require_staff().await?;
    crate::paging::check_position("after", after)?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let (enabled, sunday_reminders) = db::customer_flags(&db, customer_id).await?;
    let q = q.unwrap_or_default();
    crate::text_search::check_query("q", &q)?;
    let (invitees, has_next, contacts) = db::invitees(&db, customer_id, &q, after, now_ms()).await?;
    Ok(CustomerPortalAccess {
        portal_open: flag(&db, PORTAL_ENABLED).await?,
        enabled,
        sunday_reminders,
        invitees,
        has_next,
        contacts,
    })
}

#[cfg(feature = "ssr")]
fn staff_actor(user: &CurrentUser) -> Actor<'_> {
    Actor {
        staff_user_id: Some(user.id),
        contact_id: None,
        name: &user.name,
    }
}

/// The customer's "Portal" toggle.
#[server(endpoint = "portal/customer/enable")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id, on)))]
pub async fn set_customer_portal(customer_id: i64, on: bool) -> Result<(), AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let mut tx = db.begin().await?;
    if db::set_customer_flag(&mut tx, customer_id, CustomerFlag::Portal, on).await? {
        let detail = if on {
            "Turned the portal on"
        } else {
            "Turned the portal off"
        };
        activity::record(
            &mut tx,
            customer_id,
            &staff_actor(&user),
            "portal_toggled",
            detail,
            now_ms(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// "Send Reminder Email on Sundays".
#[server(endpoint = "portal/customer/reminders")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id, on)))]
pub async fn set_sunday_reminders(customer_id: i64, on: bool) -> Result<(), AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let mut tx = db.begin().await?;
    if db::set_customer_flag(&mut tx, customer_id, CustomerFlag::SundayReminders, on).await? {
        let detail = if on {
            "Turned on the reminder email on Sundays"
        } else {
            "Turned off the reminder email on Sundays"
        };
        activity::record(
            &mut tx,
            customer_id,
            &staff_actor(&user),
            "reminders_toggled",
            detail,
            now_ms(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The most contacts one "Send Email" invites.
#[cfg(feature = "ssr")]
const MAX_INVITATIONS: usize = 500;

/// Emails an invitation to each of these contacts of the customer ("Send Email"); a contact
/// invited before gets a new one with a fresh link. Answers with how many were queued.
#[server(endpoint = "portal/invite")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id)))]
pub async fn invite_contacts(customer_id: i64, contact_ids: Vec<i64>) -> Result<usize, AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    let customer = live_customer(&db, customer_id).await?;
    if !db::customer_flags(&db, customer_id).await?.0 {
        return Err(AppError::Refused(format!(
            "Turn the portal on for {} before inviting its contacts.",
            customer.name
        )));
    }
    if contact_ids.is_empty() {
        return Err(AppError::Refused("Choose at least one contact to invite.".into()));
    }
    AppError::check_list_len("contact_ids", &contact_ids, MAX_INVITATIONS, "contacts")?;
    let contacts = crate::contacts::db::of_customer_among(&db, customer_id, &contact_ids).await?;
    let now = now_ms();
    let mut tx = db.begin().await?;
    for id in &contact_ids {
        let contact = contacts
            .iter()
            .find(|c| c.contact.id == *id)
            .map(|c| &c.contact)
            .ok_or_else(|| AppError::NotFound("A contact of this customer".into()))?;
        let content = portal_emails::invitation(&customer.name, &contact.first_name);
        let email = outbox::NewEmail {
            kind: INVITATION,
            customer_id: Some(customer_id),
            contact_id: Some(contact.id),
            to_address: contact.email.clone(),
            to_name: contact.full_name(),
            subject: content.subject,
            text_body: content.text,
            html_body: content.html,
            created_by: Some(user.id),
        };
        outbox::enqueue(&mut tx, &email, now).await?;
        let detail = format!("Invited {} to the portal", contact.full_name());
        activity::record(
            &mut tx,
            customer_id,
            &staff_actor(&user),
            "portal_invitation",
            &detail,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(contact_ids.len())
}

/// "Place order as customer": this staff session acts for the customer in the portal until
/// "Back to Clientele". Recorded in the customer's Activity.
#[server(endpoint = "portal/act")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id)))]
pub async fn start_acting(customer_id: i64) -> Result<(), AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    let customer = live_customer(&db, customer_id).await?;
    let token = current_token().ok_or(AppError::Unauthorized)?;
    let mut tx = db.begin().await?;
    db::set_staff_acting_for(&mut tx, &hash_token(&token), Some(customer_id)).await?;
    let detail = format!("{} opened the portal as {}", user.name, customer.name);
    activity::record(
        &mut tx,
        customer_id,
        &staff_actor(&user),
        "acting_started",
        &detail,
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends acting for a customer; answers with the customer it was, to go back to its page.
#[server(endpoint = "portal/act/stop")]
pub async fn stop_acting() -> Result<Option<i64>, AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    let token_hash = hash_token(&current_token().ok_or(AppError::Unauthorized)?);
    let was = db::staff_acting_for(&db, &token_hash).await?;
    let mut tx = db.begin().await?;
    db::set_staff_acting_for(&mut tx, &token_hash, None).await?;
    if let Some(customer_id) = was {
        let detail = format!("{} left the portal of the customer", user.name);
        let actor = staff_actor(&user);
        activity::record(&mut tx, customer_id, &actor, "acting_stopped", &detail, now_ms()).await?;
    }
    tx.commit().await?;
    Ok(was)
}
