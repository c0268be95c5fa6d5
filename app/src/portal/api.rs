//! Server functions of the portal for contacts (and staff acting for a customer). Each one that
//! touches a customer's data names the customer and passes `access::act_for` first.

use super::{CatalogPage, PortalContext, PortalLinkState, PortalVisitor};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::{access, db},
    crate::auth::{
        api::{settle_sign_in, sign_in_attempt},
        session::hash_token,
    },
    crate::mail::link_rule,
    crate::mail::{INVITATION, REMINDER},
    crate::retrieval::{api::set_first_password, session},
    crate::state::{app_state, now_ms},
};

/// Who is at `/portal`: not signed in, or a contact with the customers they may act for.
#[server(endpoint = "portal/visitor")]
pub async fn current_visitor() -> Result<PortalVisitor, AppError> {
    let state = app_state()?;
    let Some(session) =
        session::contact_from_headers(&state, &crate::auth::session::request_headers()).await?
    else {
        return Ok(PortalVisitor::Anonymous);
    };
    let customers = if access::portal_open(&state).await? {
        db::customers_of_contact(&state.db, session.contact_id, session.only_customer_id).await?
    } else {
        Vec::new()
    };
    let chosen = session
        .chosen_customer_id
        .filter(|id| customers.iter().any(|c| c.id == *id));
    Ok(PortalVisitor::Contact {
        name: session.name,
        customers,
        chosen,
    })
}

/// "Change Customer": the contact acts as this customer from now on (where `/portal` leads).
/// Answers with the customer, to open it.
#[server(endpoint = "portal/choose")]
pub async fn choose_customer(customer_id: i64) -> Result<i64, AppError> {
    let acting = access::act_for(customer_id).await?;
    if let access::Actor::Contact { session, .. } = &acting.actor {
        db::choose(&app_state()?.db, &session.token_hash, customer_id).await?;
    }
    Ok(customer_id)
}

/// The menu bar of a customer's portal pages.
#[server(endpoint = "portal/context")]
pub async fn acting_context(customer_id: i64) -> Result<PortalContext, AppError> {
    let acting = access::act_for(customer_id).await?;
    Ok(PortalContext {
        customer_id,
        customer_name: acting.customer_name.clone(),
        actor_name: acting.actor_name(),
        may_order: acting.may_order(),
        staff_acting: acting.staff_user_id().is_some(),
        other_customers: acting.other_customers,
    })
}

/// The customer's catalog and Ship-To Locations, and whether the caller may order.
#[server(endpoint = "portal/catalog")]
pub async fn portal_catalog(customer_id: i64) -> Result<CatalogPage, AppError> {
    let acting = access::act_for(customer_id).await?;
    let db = app_state()?.db;
    let items = db::catalog(&db, customer_id).await?;
    let mut conn = db.pool.acquire().await?;
    let ship_tos = crate::ship_to::db::of_customer(&mut conn, customer_id).await?;
    let (price_adjustment, tax_exempt) = crate::groups::db::pricing(&mut conn, customer_id).await?;
    Ok(CatalogPage {
        customer_id,
        may_order: acting.may_order(),
        items,
        ship_tos,
        price_adjustment,
        tax_exempt,
    })
}

#[cfg(feature = "ssr")]
async fn link_state(token: &str, kind: &str) -> Result<PortalLinkState, AppError> {
    let token = crate::auth::session::check_token(token)?;
    let state = app_state()?;
    let purpose = link_rule(kind).purpose;
    Ok(
        match db::link(&state.db, &hash_token(token.trim()), purpose).await? {
            None => PortalLinkState::Unknown,
            Some(link) if link.expires_at <= now_ms() => PortalLinkState::Expired,
            Some(link) => PortalLinkState::Valid {
                first_name: link.first_name,
                email: link.email,
                customer_name: link.customer_name,
                has_account: link.password_hash.is_some(),
            },
        },
    )
}

#[server(endpoint = "portal/invitation")]
pub async fn check_invitation(token: String) -> Result<PortalLinkState, AppError> {
    link_state(&token, INVITATION).await
}

/// Accepts an invitation: a contact without an account chooses a password (typed twice); one
/// with an account (from the Document Retrieval Site, say) signs in with it. Answers with the
/// customer to open.
#[server(endpoint = "portal/accept")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn accept_invitation(token: String, password: String, confirm: String) -> Result<i64, AppError> {
    let token = crate::auth::session::check_token(&token)?;
    crate::auth::password::check_typed("password", &password)?;
    crate::auth::password::check_typed("confirm", &confirm)?;
    let state = app_state()?;
    let token_hash = hash_token(token.trim());
    let link = db::link(&state.db, &token_hash, link_rule(INVITATION).purpose)
        .await?
        .filter(|link| link.expires_at > now_ms())
        .ok_or_else(|| {
            AppError::Refused("This invitation has expired. Ask your supplier to send it again.".into())
        })?;
    // An invitation is accepted once: after that the contact signs in with their password.
    if link.used_at.is_some() {
        return Err(already_accepted());
    }
    match &link.password_hash {
        None => set_first_password(&state.db, link.contact_id, &password, &confirm).await?,
        Some(hash) => {
            let attempt =
                sign_in_attempt(&state, &link.email, crate::security_log::db::Account::Contact).await?;
            let account = Some((link.contact_id, Some(hash.clone())));
            if settle_sign_in(&state, &attempt, account, &password, Some("signed_in"))
                .await?
                .is_none()
            {
                return Err(AppError::field(
                    "password",
                    "That password is not the one of your account.",
                ));
            }
        }
    }
    if !db::mark_used(&state.db, &token_hash, now_ms()).await? {
        return Err(already_accepted());
    }
    session::start(&state, link.contact_id, Some(link.customer_id)).await?;
    Ok(link.customer_id)
}

#[cfg(feature = "ssr")]
fn already_accepted() -> AppError {
    AppError::Refused(
        "This invitation was already accepted. Sign in to the portal with your email and password.".into(),
    )
}

#[server(endpoint = "portal/reminder_link")]
pub async fn check_reminder_link(token: String) -> Result<PortalLinkState, AppError> {
    link_state(&token, REMINDER).await
}

/// Opens a reminder's link: a session for that one customer, without a password, until the link
/// expires or the browser closes. A press of a button does it (not the visit): mail scanners that
/// fetch links do not use them up. Answers with the customer to open.
#[server(endpoint = "portal/open_link")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn open_reminder_link(token: String) -> Result<i64, AppError> {
    let token = crate::auth::session::check_token(&token)?;
    let state = app_state()?;
    let link = db::link(&state.db, &hash_token(token.trim()), link_rule(REMINDER).purpose)
        .await?
        .filter(|link| link.expires_at > now_ms())
        .ok_or_else(|| {
            AppError::Refused("This link has expired. Sign in with your email and password instead.".into())
        })?;
    // Already signed in here as this contact, with access to the customer: the session stays as
    // it is, not narrowed to one customer.
    let current = session::contact_from_headers(&state, &crate::auth::session::request_headers()).await?;
    if let Some(current) = current.filter(|s| s.contact_id == link.contact_id) {
        if current
            .only_customer_id
            .is_none_or(|only| only == link.customer_id)
        {
            db::choose(&state.db, &current.token_hash, link.customer_id).await?;
            return Ok(link.customer_id);
        }
    }
    session::start_for_one_customer(&state, link.contact_id, link.customer_id, link.expires_at).await?;
    Ok(link.customer_id)
}
