//! Server functions for Document Requests: list, accept PostOnce recommendations, attach an
//! uploaded document, and "Send Selected Documents".

use super::{RequestsPage, SendReport};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::{db, MAX_SEND},
    crate::auth::session::require_staff,
    crate::customers::api::live_customer,
    crate::domain::{CalendarDate, Level},
    crate::mail::{db::NewEmail, templates},
    crate::state::{app_state, now_ms},
};

/// A page of the customer's Document Requests (open first), counted from 0.
#[server(endpoint = "requests/of_customer")]
pub async fn customer_requests(
    customer_id: i64,
    #[server(default)] page: i64,
) -> Result<RequestsPage, AppError> {
    require_staff().await?;
    crate::paging::check_page(page)?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let mut conn = db.pool.acquire().await?;
    let today = CalendarDate::from_ms(now_ms());
    Ok(db::page_of_customer(&mut conn, customer_id, today, page).await?)
}

/// Accepts the PostOnce recommendation of each of these requests that has one ("accept one or
/// all"); returns how many were fulfilled.
#[server(endpoint = "requests/accept")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id)))]
pub async fn accept_recommendations(customer_id: i64, ids: Vec<i64>) -> Result<u64, AppError> {
    let user = require_staff().await?;
    AppError::check_list_len("ids", &ids, MAX_SEND, "requests")?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let now = now_ms();
    let mut tx = db.begin().await?;
    let accepted =
        db::accept_recommendations(&mut tx, customer_id, &ids, CalendarDate::from_ms(now), now).await?;
    if accepted > 0 {
        let detail = format!("Accepted {accepted} recommended document(s) for its Document Requests");
        crate::activity::db::record(
            &mut tx,
            customer_id,
            &crate::activity::db::Actor::staff(&user),
            "recommendations_accepted",
            &detail,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    if accepted == 0 && !ids.is_empty() {
        return Err(AppError::Refused(
            "No recommendation could be accepted: the documents may have expired or been replaced. Reload the list.".into(),
        ));
    }
    Ok(accepted)
}

/// Fulfils an open request with a document of its type for its location or item (one just
/// uploaded, for instance).
#[server(endpoint = "requests/attach")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(skip_all, fields(customer_id, request_id, document_id))
)]
pub async fn attach_document(customer_id: i64, request_id: i64, document_id: i64) -> Result<(), AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let now = now_ms();
    let today = CalendarDate::from_ms(now);
    let mut tx = db.begin().await?;
    // Written first: the transaction then holds the write lock before it reads.
    crate::customers::db::lock(&mut tx, customer_id).await?;
    let request = db::of_customer(&mut tx, customer_id, today, Some(&[request_id]))
        .await?
        .pop()
        .ok_or_else(|| AppError::NotFound("This document request".into()))?;
    let document = db::document_facts(&mut tx, document_id)
        .await?
        .ok_or_else(|| AppError::NotFound("This document".into()))?;
    let owner = match request.level {
        Level::Location => document.location_id,
        Level::Item => document.item_id,
    };
    if document.type_id != request.type_id || owner != Some(request.listing_id) {
        return Err(AppError::Refused(format!(
            "That document is not a {} for {}.",
            request.type_name, request.listing_name
        )));
    }
    if document.replaced {
        return Err(AppError::Refused(
            "A newer version of that document exists; attach the current one.".into(),
        ));
    }
    if document.expires_on < today.to_string() {
        return Err(AppError::Refused(
            "That document has expired; upload a current one.".into(),
        ));
    }
    if !db::attach(&mut tx, request_id, document_id, now).await? {
        return Err(AppError::Refused("This request was sent already.".into()));
    }
    let detail = format!(
        "Attached a document to the {} request for {}",
        request.type_name, request.listing_name
    );
    crate::activity::db::record(
        &mut tx,
        customer_id,
        &crate::activity::db::Actor::staff(&user),
        "document_attached",
        &detail,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// "Send Selected Documents": marks the requests sent and, in the same transaction, queues one
/// email per Documents Contact with a link to the Document Retrieval Site.
#[server(endpoint = "requests/send")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id, count = ids.len())))]
pub async fn send_documents(customer_id: i64, ids: Vec<i64>) -> Result<SendReport, AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    let customer = live_customer(&db, customer_id).await?;
    if ids.is_empty() {
        return Err(AppError::Refused(
            "Select at least one fulfilled request to send.".into(),
        ));
    }
    AppError::check_list_len("ids", &ids, MAX_SEND, "requests")?;
    let mut ids = ids;
    ids.sort_unstable();
    ids.dedup();
    let now = now_ms();
    let today = CalendarDate::from_ms(now);
    let mut tx = db.begin().await?;
    // Written first: the transaction then holds the write lock before it reads.
    crate::customers::db::lock(&mut tx, customer_id).await?;
    let recipients = crate::contacts::db::documents_contacts(&mut tx, customer_id).await?;
    if recipients.is_empty() {
        return Err(AppError::Refused(
            "Add a Documents Contact before sending documents: tick \"Documents Contact\" on one of the customer's contacts."
                .into(),
        ));
    }
    let requests = db::of_customer(&mut tx, customer_id, today, Some(&ids)).await?;
    if requests.len() != ids.len() {
        return Err(AppError::NotFound("One of the selected requests".into()));
    }
    if let Some(unready) = requests.iter().find(|r| !r.fulfilled()) {
        let why = match (&unready.status, &unready.document) {
            (super::RequestStatus::Sent, _) => "was sent already",
            (_, None) => "has no document yet",
            (_, Some(_)) => "has an expired document",
        };
        return Err(AppError::Refused(format!(
            "{} for {} {why}. Reload the list and select again.",
            unready.type_name, unready.listing_name
        )));
    }
    let lines: Vec<templates::SharedLine> = requests
        .iter()
        .filter_map(|r| {
            r.document.as_ref().map(|d| templates::SharedLine {
                type_name: r.type_name.clone(),
                listing_name: r.listing_name.clone(),
                title: d.title.clone(),
                expires_on: d.expires_on.to_string(),
            })
        })
        .collect();
    let sends: Vec<(i64, i64)> = requests
        .iter()
        .filter_map(|r| r.document.as_ref().map(|d| (r.id, d.id)))
        .collect();
    let sent = db::mark_sent(&mut tx, &sends, user.id, now).await?;
    if sent as usize != ids.len() {
        // Someone sent or changed some of them in the meantime: send nothing twice, and nothing
        // other than what the email names.
        return Err(AppError::Refused(
            "Some of these were just sent or changed by someone else. Reload the list.".into(),
        ));
    }
    for recipient in &recipients {
        let content = templates::documents_shared(&customer.name, &recipient.first_name, &lines);
        let email = NewEmail {
            kind: "documents_shared",
            customer_id: Some(customer_id),
            contact_id: Some(recipient.id),
            to_address: recipient.email.clone(),
            to_name: recipient.name.clone(),
            subject: content.subject,
            text_body: content.text,
            html_body: content.html,
            created_by: Some(user.id),
        };
        crate::mail::db::enqueue(&mut tx, &email, now).await?;
    }
    let documents: Vec<String> = lines
        .iter()
        .map(|l| format!("{} for {}", l.type_name, l.listing_name))
        .collect();
    let to: Vec<&str> = recipients.iter().map(|r| r.email.as_str()).collect();
    let change = crate::activity::db::Change {
        action: "documents_sent",
        detail: format!("Sent {} document(s) to {}", documents.len(), to.join(", ")),
        before: None,
        after: Some(documents.join("\n")),
    };
    crate::activity::db::record_change(
        &mut tx,
        customer_id,
        &crate::activity::db::Actor::staff(&user),
        &change,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(SendReport {
        documents: ids.len(),
        emails: recipients.len(),
    })
}
