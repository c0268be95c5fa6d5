//! Server functions of the contacts' document requests: the signed-in contact (portal or
//! Document Retrieval Site) asks only for customers they belong to.

use super::AskOptions;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::{db, AskCustomer},
    crate::activity::db::{record, Actor},
    crate::domain::Level,
    crate::retrieval::session::require_contact,
    crate::state::{app_state, now_ms},
};

#[server(endpoint = "shared/ask/options")]
pub async fn document_ask_options() -> Result<AskOptions, AppError> {
    let contact = require_contact().await?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let mut customers = Vec::new();
    for (id, name) in db::customers_of(&mut conn, contact.contact_id, contact.only_customer_id).await? {
        customers.push(AskCustomer {
            id,
            name,
            listings: db::listings(&mut conn, id).await?,
            asked: db::asked(&mut conn, id).await?,
        });
    }
    Ok(AskOptions {
        customers,
        types: db::types(&mut conn).await?,
    })
}

/// Asks for a document of `type_id` for one of the customer's locations or items.
#[server(endpoint = "shared/ask")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id)))]
pub async fn ask_for_document(
    customer_id: i64,
    listing: String,
    type_id: Option<i64>,
) -> Result<(), AppError> {
    let contact = require_contact().await?;
    let db = app_state()?.db;
    let mut conn = db.pool.acquire().await?;
    let customers = db::customers_of(&mut conn, contact.contact_id, contact.only_customer_id).await?;
    let Some((_, customer_name)) = customers.into_iter().find(|(id, _)| *id == customer_id) else {
        return Err(AppError::Forbidden);
    };
    let chosen = listing
        .split_once(':')
        .and_then(|(level, id)| Some((Level::parse(level).ok()?, id.parse::<i64>().ok()?)));
    let listings = db::listings(&mut conn, customer_id).await?;
    let Some(found) =
        chosen.and_then(|(level, id)| listings.into_iter().find(|l| l.level == level && l.id == id))
    else {
        return Err(AppError::field(
            "listing",
            "Choose one of the locations or items in the list.",
        ));
    };
    let types = db::types(&mut conn).await?;
    let Some(kind) = type_id.and_then(|id| types.into_iter().find(|t| t.id == id)) else {
        return Err(AppError::field("type", "Choose the kind of document you need."));
    };
    if kind.level != found.level {
        return Err(AppError::field(
            "type",
            format!(
                "{} documents are for {}s; choose a {} or another kind of document.",
                kind.name, kind.level, kind.level
            ),
        ));
    }
    drop(conn);
    let now = now_ms();
    let mut tx = db.begin().await?;
    let ask = db::Ask {
        customer_id,
        level: found.level,
        listing_id: found.id,
        type_id: kind.id,
        contact_id: contact.contact_id,
        contact_name: &contact.name,
    };
    if !db::insert(&mut tx, &ask, now).await? {
        return Err(AppError::Refused(format!(
            "{} for {} is requested already: {customer_name}'s supplier will send it when it is ready.",
            kind.name, found.name
        )));
    }
    let actor = Actor {
        staff_user_id: None,
        contact_id: Some(contact.contact_id),
        name: &contact.name,
    };
    let detail = format!("Asked for {} for {}", kind.name, found.name);
    record(&mut tx, customer_id, &actor, "document_asked", &detail, now).await?;
    tx.commit().await?;
    Ok(())
}
