//! Server functions of the customer's profile card (staff) and of the "How did you hear about
//! us" answers (Admins edit them).

use super::{CustomerLink, CustomerProfile, Source};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::db,
    crate::activity::db::{record_change, Actor, Change},
    crate::auth::session::{require_admin, require_staff},
    crate::customers::api::live_customer,
    crate::domain::Phone,
    crate::error::FieldErrors,
    crate::state::{app_state, now_ms},
};

#[server(endpoint = "profile/of_customer")]
pub async fn profile_of_customer(customer_id: i64) -> Result<CustomerProfile, AppError> {
    require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let mut conn = db.pool.acquire().await?;
    Ok(db::of_customer(&mut conn, customer_id).await?)
}

/// Customers that could become this one's parent account, by name.
#[server(endpoint = "profile/parents")]
pub async fn parent_candidates(customer_id: i64, q: String) -> Result<Vec<CustomerLink>, AppError> {
    require_staff().await?;
    crate::text_search::check_query("q", &q)?;
    let db = app_state()?.db;
    crate::customers::api::live_customer(&db, customer_id).await?;
    Ok(db::search_customers(&db, &q, customer_id).await?)
}

/// Saves the profile card. A parent must be a live customer that is not this one nor one of its
/// sub-accounts (at any depth).
#[server(endpoint = "profile/save", input = leptos::server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id)))]
pub async fn save_profile(
    customer_id: i64,
    parent_id: Option<i64>,
    source_id: Option<i64>,
    secondary_phone: String,
    newsletter: bool,
) -> Result<(), AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let mut errors = FieldErrors::new();
    let phone = errors
        .check(
            "secondary_phone",
            Phone::parse_optional(&secondary_phone).map_err(|m| m.replacen("Phone", "Secondary phone", 1)),
        )
        .flatten();
    let mut tx = db.begin().await?;
    crate::customers::db::lock(&mut tx, customer_id).await?;
    // Parent changes take turns, so two at once cannot make a loop that neither saw (SQLite
    // already writes one transaction at a time).
    if parent_id.is_some() && db.backend == crate::state::Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(7201)")
            .execute(&mut *tx)
            .await?;
    }
    let before = db::of_customer(&mut tx, customer_id).await?;
    let parent_name = match parent_id {
        None => None,
        Some(parent) if parent == customer_id => {
            errors.add("parent", "A customer cannot be its own parent account.");
            None
        }
        Some(parent) => match crate::customers::db::find_in(&mut tx, parent)
            .await?
            .filter(|c| c.deleted_at.is_none())
        {
            None => {
                errors.add(
                    "parent",
                    "This parent account was not found. It may have been deleted.",
                );
                None
            }
            Some(found) if db::ancestors(&mut tx, parent).await?.contains(&customer_id) => {
                errors.add(
                    "parent",
                    format!(
                        "{} is a sub-account of this customer, so it cannot also be its parent.",
                        found.name
                    ),
                );
                None
            }
            Some(found) => Some(found.name),
        },
    };
    let source_name = match source_id {
        None => None,
        Some(id) => match before.sources.iter().find(|s| s.id == id) {
            Some(source) => Some(source.name.clone()),
            None => {
                errors.add(
                    "source",
                    "This answer was just removed from the list. Choose another.",
                );
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let values = db::ProfileValues {
        parent_id,
        source_id,
        secondary_phone: phone.map(|p| p.as_str().to_string()),
        newsletter,
    };
    let now = now_ms();
    db::save(&mut tx, customer_id, &values, now).await?;
    let before_source = before
        .source_id
        .and_then(|id| before.sources.iter().find(|s| s.id == id))
        .map(|s| s.name.clone());
    let yes_no = |on: bool| if on { "Yes" } else { "No" }.to_string();
    let fields = [
        ("Parent account", before.parent.map(|p| p.name), parent_name),
        ("How did you hear about us", before_source, source_name),
        (
            "Secondary phone",
            before.secondary_phone,
            values.secondary_phone.clone(),
        ),
        (
            "Newsletter",
            Some(yes_no(before.newsletter)),
            Some(yes_no(newsletter)),
        ),
    ];
    let fields = fields.map(|(field, old, new)| (field, old.unwrap_or_default(), new.unwrap_or_default()));
    if let Some((was, is)) = crate::activity::field_changes(fields) {
        let change = Change {
            action: "profile_changed",
            detail: "Changed the account details".into(),
            before: Some(was),
            after: Some(is),
        };
        record_change(&mut tx, customer_id, &Actor::staff(&user), &change, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[server(endpoint = "profile/sources")]
pub async fn list_sources() -> Result<Vec<Source>, AppError> {
    require_staff().await?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    Ok(db::sources(&mut conn).await?)
}

#[server(endpoint = "profile/sources/add")]
pub async fn add_source(name: String) -> Result<(), AppError> {
    require_admin().await?;
    let name = crate::domain::required_line(&name, "Answer", 100).map_err(|m| AppError::field("name", m))?;
    db::add_source(&app_state()?.db, &name, now_ms())
        .await
        .map(drop)
        .map_err(|error| match &error {
            sqlx::Error::Database(e) if e.is_unique_violation() => {
                AppError::field("name", format!("'{name}' is on the list already."))
            }
            _ => AppError::internal(error),
        })
}

/// Takes an answer off the list; customers that gave it are left with no answer.
#[server(endpoint = "profile/sources/delete")]
pub async fn delete_source(id: i64) -> Result<(), AppError> {
    require_admin().await?;
    if db::delete_source(&app_state()?.db, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound("This answer".into()))
    }
}
