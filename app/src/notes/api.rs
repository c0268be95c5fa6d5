//! Server functions of the Notes tab: staff add notes; each edits and deletes only their own.

use super::NotesPage;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::db,
    crate::activity::db::{record_change, Actor, Change},
    crate::auth::session::require_staff,
    crate::auth::CurrentUser,
    crate::customers::api::live_customer,
    crate::domain::required_text,
    crate::state::{app_state, now_ms},
};

/// The longest note, in characters.
pub const MAX_NOTE: usize = 10_000;

/// A page of the customer's notes, newest first; `before` a note's id for the older ones.
#[server(endpoint = "notes/of_customer")]
pub async fn customer_notes(customer_id: i64, before: Option<i64>) -> Result<NotesPage, AppError> {
    let user = require_staff().await?;
    crate::paging::check_position("before", before)?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let mut conn = db.pool.acquire().await?;
    Ok(db::page_of_customer(&mut conn, customer_id, user.id, before).await?)
}

#[server(endpoint = "notes/add")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id)))]
pub async fn add_note(customer_id: i64, body: String) -> Result<(), AppError> {
    let user = require_staff().await?;
    let body = required_text(&body, "Note", MAX_NOTE).map_err(|m| AppError::field("body", m))?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let now = now_ms();
    let mut tx = db.begin().await?;
    db::insert(&mut tx, customer_id, &user, &body, now).await?;
    let change = Change {
        action: "note_added",
        detail: "Added a note".into(),
        before: None,
        after: Some(body),
    };
    record_change(&mut tx, customer_id, &Actor::staff(&user), &change, now).await?;
    tx.commit().await?;
    Ok(())
}

#[server(endpoint = "notes/edit")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn edit_note(id: i64, version: i64, body: String) -> Result<(), AppError> {
    let user = require_staff().await?;
    let body = required_text(&body, "Note", MAX_NOTE).map_err(|m| AppError::field("body", m))?;
    let db = app_state()?.db;
    let now = now_ms();
    let note = own_note(&db, id, &user).await?;
    let mut tx = db.begin().await?;
    crate::customers::db::lock(&mut tx, note.customer_id).await?;
    if note.version != version || !db::update(&mut tx, id, version, &body, now).await? {
        return Err(AppError::Refused(
            "This note was changed in another tab meanwhile. Reload the page to see it as it is now.".into(),
        ));
    }
    let change = Change {
        action: "note_edited",
        detail: "Edited a note".into(),
        before: Some(note.body),
        after: Some(body),
    };
    record_change(&mut tx, note.customer_id, &Actor::staff(&user), &change, now).await?;
    tx.commit().await?;
    Ok(())
}

#[server(endpoint = "notes/delete")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn delete_note(id: i64) -> Result<(), AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    let note = own_note(&db, id, &user).await?;
    let mut tx = db.begin().await?;
    crate::customers::db::lock(&mut tx, note.customer_id).await?;
    // Deletes the text just read, not one edited in another tab meanwhile.
    if !db::delete(&mut tx, id, note.version).await? {
        return Err(AppError::Refused(
            "This note was changed in another tab meanwhile. Reload the page to see it as it is now.".into(),
        ));
    }
    let change = Change {
        action: "note_deleted",
        detail: "Deleted a note".into(),
        before: Some(note.body),
        after: None,
    };
    record_change(&mut tx, note.customer_id, &Actor::staff(&user), &change, now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// The note, when `user` wrote it and its customer is live. Read before the change's
/// transaction, which then locks the customer first.
#[cfg(feature = "ssr")]
async fn own_note(db: &crate::state::Db, id: i64, user: &CurrentUser) -> Result<db::StoredNote, AppError> {
    let mut conn = db.pool.acquire().await?;
    let note = db::find(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound("This note".into()))?;
    drop(conn);
    if note.staff_user_id != Some(user.id) {
        return Err(AppError::Refused(
            "Only the person who wrote a note can change or delete it.".into(),
        ));
    }
    live_customer(db, note.customer_id).await?;
    Ok(note)
}
