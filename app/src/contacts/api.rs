//! Server functions for contacts and their assignment to customers (staff only).

#[cfg(feature = "ssr")]
use super::Position;
use super::{Assignment, Contact, ContactListPage, CustomerContactsPage};
use crate::domain::ContactInput;
use crate::error::AppError;
use crate::ui::SaveOutcome;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::db,
    crate::activity::db::{record_change, Actor, Change},
    crate::auth::session::require_staff,
    crate::auth::CurrentUser,
    crate::customers::api::live_customer,
    crate::domain::{ContactRole, ValidContact},
    crate::state::{app_state, now_ms, Db},
};

#[server(endpoint = "contacts/search")]
pub async fn search_contacts(q: String) -> Result<Vec<Contact>, AppError> {
    require_staff().await?;
    crate::text_search::check_query("q", &q)?;
    Ok(db::search(&app_state()?.db, &q).await?)
}

/// A page of the customer's contacts, after the contact `after`, of those matching `q`.
#[server(endpoint = "contacts/of_customer")]
pub async fn customer_contacts(
    customer_id: i64,
    q: Option<String>,
    after: Option<i64>,
) -> Result<CustomerContactsPage, AppError> {
    require_staff().await?;
    crate::paging::check_position("after", after)?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let q = q.unwrap_or_default();
    crate::text_search::check_query("q", &q)?;
    Ok(db::of_customer_page(&db, customer_id, &q, after).await?)
}

/// The Contacts page: contacts whose name, email or customer holds every word of `q`, the page
/// after or before a contact, or the last.
#[server(endpoint = "contacts/list")]
pub async fn list_contacts(
    q: String,
    after: Option<i64>,
    before: Option<i64>,
    last: Option<bool>,
) -> Result<ContactListPage, AppError> {
    require_staff().await?;
    crate::text_search::check_query("q", &q)?;
    let position = Position::from_args(after, before, last)?;
    Ok(db::list_page(&app_state()?.db, &q, position).await?)
}

/// A contact and the customers it belongs to.
#[server(endpoint = "contacts/get")]
pub async fn get_contact(id: i64) -> Result<(Contact, Vec<Assignment>), AppError> {
    require_staff().await?;
    let db = app_state()?.db;
    let contact = db::find(&db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("This contact".into()))?;
    Ok((contact, db::assignments(&db, id).await?))
}

/// Creates a contact of no customer yet (the Contacts page's "+ New Contact").
#[server(endpoint = "contacts/create_alone")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_lone_contact(contact: ContactInput) -> Result<i64, AppError> {
    require_staff().await?;
    let db = app_state()?.db;
    let contact = parse_contact(&db, &contact, None).await?;
    let mut tx = db.begin().await?;
    let id = db::insert(&mut tx, &contact, now_ms())
        .await
        .map_err(|e| email_taken(e, &contact))?;
    tx.commit().await?;
    Ok(id)
}

/// A Buyer may order in the portal for the customer; a Viewer may not.
#[server(endpoint = "contacts/role")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(skip_all, fields(customer_id, contact_id))
)]
pub async fn set_contact_role(customer_id: i64, contact_id: i64, role: String) -> Result<(), AppError> {
    let user = require_staff().await?;
    let role = ContactRole::parse(&role).map_err(|m| AppError::field("role", m))?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let name = contact_name(&db, contact_id).await?;
    let mut tx = db.begin().await?;
    crate::customers::db::lock(&mut tx, customer_id).await?;
    let before = db::of_customer_in(&mut tx, customer_id, contact_id).await?;
    if !db::set_role(&mut tx, customer_id, contact_id, role).await? {
        return Err(AppError::NotFound("This contact of the customer".into()));
    }
    if let Some(before) = before.filter(|b| b.role != role) {
        let change = Change {
            action: "contact_role_changed",
            detail: format!("Changed the role of {name}"),
            before: Some(before.role.to_string()),
            after: Some(role.to_string()),
        };
        record_change(&mut tx, customer_id, &Actor::staff(&user), &change, now_ms()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Creates a contact and adds it to the customer, in one transaction.
#[server(endpoint = "contacts/create")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id)))]
pub async fn create_contact(customer_id: i64, contact: ContactInput) -> Result<i64, AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let contact = parse_contact(&db, &contact, None).await?;
    let now = now_ms();
    let mut tx = db.begin().await?;
    let id = db::insert(&mut tx, &contact, now)
        .await
        .map_err(|e| email_taken(e, &contact))?;
    db::assign(&mut tx, customer_id, id, now).await?;
    let name = format!(
        "{} {} <{}>",
        contact.first_name,
        contact.last_name,
        contact.email.as_str()
    );
    record_assignment(&mut tx, customer_id, &user, &name, true).await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds an existing contact to the customer (it keeps its other customers).
#[server(endpoint = "contacts/assign")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(skip_all, fields(customer_id, contact_id))
)]
pub async fn assign_contact(customer_id: i64, contact_id: i64) -> Result<(), AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let name = contact_name(&db, contact_id).await?;
    let mut tx = db.begin().await?;
    if db::assign(&mut tx, customer_id, contact_id, now_ms()).await? {
        record_assignment(&mut tx, customer_id, &user, &name, true).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Takes the contact off this customer; the contact and its other customers stay.
#[server(endpoint = "contacts/unassign")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(skip_all, fields(customer_id, contact_id))
)]
pub async fn remove_contact(customer_id: i64, contact_id: i64) -> Result<(), AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let name = contact_name(&db, contact_id).await?;
    let mut tx = db.begin().await?;
    if !db::unassign(&mut tx, customer_id, contact_id).await? {
        return Err(AppError::NotFound("This contact of the customer".into()));
    }
    record_assignment(&mut tx, customer_id, &user, &name, false).await?;
    tx.commit().await?;
    Ok(())
}

#[server(endpoint = "contacts/documents_contact")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(skip_all, fields(customer_id, contact_id, on))
)]
pub async fn set_documents_contact(customer_id: i64, contact_id: i64, on: bool) -> Result<(), AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let name = contact_name(&db, contact_id).await?;
    let mut tx = db.begin().await?;
    crate::customers::db::lock(&mut tx, customer_id).await?;
    let before = db::of_customer_in(&mut tx, customer_id, contact_id).await?;
    if !db::set_documents_contact(&mut tx, customer_id, contact_id, on).await? {
        return Err(AppError::NotFound("This contact of the customer".into()));
    }
    if before.is_some_and(|b| b.documents_contact != on) {
        let yes_no = |on: bool| if on { "Yes" } else { "No" }.to_string();
        let change = Change {
            action: "documents_contact_changed",
            detail: format!("Changed whether {name} is a Documents Contact"),
            before: Some(yes_no(!on)),
            after: Some(yes_no(on)),
        };
        record_change(&mut tx, customer_id, &Actor::staff(&user), &change, now_ms()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Saves a contact's details over `version`, the version the form was filled from.
#[server(endpoint = "contacts/update")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn update_contact(
    id: i64,
    version: i64,
    contact: ContactInput,
) -> Result<SaveOutcome<Contact>, AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    let missing = || AppError::NotFound("This contact".into());
    let current = db::find(&db, id).await?.ok_or_else(missing)?;
    if current.version != version {
        return Ok(SaveOutcome::Conflict(current));
    }
    let contact = parse_contact(&db, &contact, Some(id)).await?;
    let now = now_ms();
    let mut tx = db.begin().await?;
    // The versioned update is the first statement: it takes the write lock, and a lost race
    // changes nothing.
    let saved = db::update(&mut tx, id, version, &contact, now)
        .await
        .map_err(|e| email_taken(e, &contact))?;
    if saved {
        if let Some((before, after)) = contact_changes(&current, &contact) {
            let change = Change {
                action: "contact_edited",
                detail: format!("Edited the contact {} {}", contact.first_name, contact.last_name),
                before: Some(before),
                after: Some(after),
            };
            // Each customer of the contact logs it: they all see the new details.
            for customer_id in db::customer_ids(&mut tx, id).await? {
                record_change(&mut tx, customer_id, &Actor::staff(&user), &change, now).await?;
            }
        }
    }
    tx.commit().await?;
    let latest = db::find(&db, id).await?.ok_or_else(missing)?;
    Ok(if saved {
        SaveOutcome::Saved(latest)
    } else {
        SaveOutcome::Conflict(latest)
    })
}

/// Parses the form and checks the email is not another contact's.
#[cfg(feature = "ssr")]
async fn parse_contact(db: &Db, input: &ContactInput, except: Option<i64>) -> Result<ValidContact, AppError> {
    let contact = input.parse().map_err(AppError::Invalid)?;
    if let Some((_, holder)) = db::email_holder(db, &contact.email.key(), except).await? {
        return Err(AppError::field(
            "email",
            format!(
                "{holder} already has the email {}. Search for them and add them instead.",
                contact.email.as_str()
            ),
        ));
    }
    Ok(contact)
}

/// A save that lost the race for an email is told so at the field.
#[cfg(feature = "ssr")]
fn email_taken(error: sqlx::Error, contact: &ValidContact) -> AppError {
    match &error {
        sqlx::Error::Database(e) if e.is_unique_violation() => AppError::field(
            "email",
            format!(
                "The email {} was just given to another contact.",
                contact.email.as_str()
            ),
        ),
        _ => AppError::internal(error),
    }
}

/// "First Last <email>", as the Activity log names a contact.
#[cfg(feature = "ssr")]
async fn contact_name(db: &Db, contact_id: i64) -> Result<String, AppError> {
    let contact = db::find(db, contact_id)
        .await?
        .ok_or_else(|| AppError::NotFound("This contact".into()))?;
    Ok(format!(
        "{} {} <{}>",
        contact.first_name, contact.last_name, contact.email
    ))
}

#[cfg(feature = "ssr")]
async fn record_assignment(
    tx: &mut sqlx::AnyConnection,
    customer_id: i64,
    user: &CurrentUser,
    name: &str,
    added: bool,
) -> Result<(), AppError> {
    let change = Change {
        action: if added {
            "contact_assigned"
        } else {
            "contact_removed"
        },
        detail: if added {
            format!("Assigned the contact {name}")
        } else {
            format!("Took the contact {name} off the customer")
        },
        before: (!added).then(|| name.to_string()),
        after: added.then(|| name.to_string()),
    };
    record_change(tx, customer_id, &Actor::staff(user), &change, now_ms()).await?;
    Ok(())
}

/// The fields a save of the contact form changes, as "Field: value" lines before and after.
#[cfg(feature = "ssr")]
fn contact_changes(before: &Contact, after: &ValidContact) -> Option<(String, String)> {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let fields = [
        ("First name", before.first_name.clone(), after.first_name.clone()),
        ("Last name", before.last_name.clone(), after.last_name.clone()),
        ("Email", before.email.clone(), after.email.as_str().to_string()),
        (
            "Phone",
            text(&before.phone),
            after
                .phone
                .as_ref()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default(),
        ),
        ("Job title", text(&before.job_title), text(&after.job_title)),
    ];
    crate::activity::field_changes(fields)
}
