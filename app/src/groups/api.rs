//! Server functions of customer groups: Settings → Customer Groups (Admins), and giving groups to
//! customers, one at a time or in bulk (staff).

use super::{CustomerGroup, CustomerGroups};
use crate::domain::GroupInput;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::db,
    crate::activity::db::{record_change, Actor, Change},
    crate::auth::session::{require_admin, require_staff},
    crate::customers::api::live_customer,
    crate::customers::MAX_BULK,
    crate::state::{app_state, now_ms},
};

#[server(endpoint = "groups/list")]
pub async fn list_groups(#[server(default)] counted: bool) -> Result<Vec<CustomerGroup>, AppError> {
    require_staff().await?;
    Ok(db::list(&app_state()?.db, counted).await?)
}

/// Adds a group (`id` absent) or saves one over `version`.
#[server(endpoint = "groups/save")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn save_group(id: Option<i64>, version: Option<i64>, group: GroupInput) -> Result<(), AppError> {
    require_admin().await?;
    let valid = group.parse().map_err(AppError::Invalid)?;
    let db = app_state()?.db;
    let saved = match id {
        None => db::insert(&db, &valid, now_ms()).await.map(drop),
        Some(id) => match db::update(&db, id, version.unwrap_or(-1), &valid, now_ms()).await {
            Ok(true) => Ok(()),
            Ok(false) => {
                return Err(AppError::Refused(
                    "Someone else changed or deleted this group meanwhile. Reload the page to see it as it is now."
                        .into(),
                ))
            }
            Err(error) => Err(error),
        },
    };
    saved.map_err(|error| match &error {
        sqlx::Error::Database(e) if e.is_unique_violation() => {
            AppError::field("name", format!("There is already a group named {}.", valid.name))
        }
        _ => AppError::internal(error),
    })
}

/// Deletes a group no customer is in. One still in use is made not assignable instead.
#[server(endpoint = "groups/delete")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn delete_group(id: i64) -> Result<(), AppError> {
    require_admin().await?;
    let db = app_state()?.db;
    if db::delete_unused(&db, id).await? {
        return Ok(());
    }
    let mut conn = db.pool.acquire().await?;
    match db::find(&mut conn, id).await? {
        None => Err(AppError::NotFound("This group".into())),
        Some(group) => Err(AppError::Refused(format!(
            "{} still has customers. Take them out of it first, or untick Assignable so no one else is given it.",
            group.name
        ))),
    }
}

/// The customer's groups, the groups it may be given, and what they make of its prices.
#[server(endpoint = "groups/of_customer")]
pub async fn groups_of_customer(customer_id: i64) -> Result<CustomerGroups, AppError> {
    require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    // One connection at a time: holding one while waiting for another, sixteen requests at once
    // would hold the whole pool and wait for each other.
    let (assigned, (price_adjustment, tax_exempt)) = {
        let mut conn = db.pool.acquire().await?;
        (
            db::of_customer(&mut conn, customer_id).await?,
            db::pricing(&mut conn, customer_id).await?,
        )
    };
    let assignable = db::list(&db, false)
        .await?
        .into_iter()
        .filter(|g| g.assignable)
        .collect();
    Ok(CustomerGroups {
        assigned,
        assignable,
        price_adjustment,
        tax_exempt,
    })
}

/// Sets the customer's groups to `group_ids`. Groups it is in stay even when no longer
/// assignable; new ones must be assignable.
#[server(endpoint = "groups/assign", input = leptos::server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id)))]
pub async fn assign_groups(customer_id: i64, group_ids: Vec<i64>) -> Result<(), AppError> {
    let user = require_staff().await?;
    AppError::check_list_len("group_ids", &group_ids, 500, "groups")?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let mut tx = db.begin().await?;
    crate::customers::db::lock(&mut tx, customer_id).await?;
    let before = db::of_customer(&mut tx, customer_id).await?;
    let now = now_ms();
    for &group_id in &group_ids {
        if before.iter().any(|g| g.id == group_id) {
            continue;
        }
        let group = db::find(&mut tx, group_id).await?.ok_or_else(|| {
            AppError::Refused("One of the chosen groups was deleted meanwhile. Reload the page.".into())
        })?;
        if !group.assignable {
            return Err(AppError::Refused(format!(
                "{} is not assignable: an Admin can change that in Settings → Customer Groups.",
                group.name
            )));
        }
        db::add_member(&mut tx, customer_id, group_id, now).await?;
    }
    for group in before.iter().filter(|g| !group_ids.contains(&g.id)) {
        db::remove_member(&mut tx, customer_id, group.id).await?;
    }
    let after = db::of_customer(&mut tx, customer_id).await?;
    if names(&before) != names(&after) {
        let change = Change {
            action: "groups_changed",
            detail: "Changed the customer groups".into(),
            before: Some(names(&before)),
            after: Some(names(&after)),
        };
        record_change(&mut tx, customer_id, &Actor::staff(&user), &change, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Puts the customers in the group (`add`) or takes them out of it; answers how many changed.
#[server(endpoint = "groups/bulk", input = leptos::server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(group_id, add)))]
pub async fn bulk_assign_group(customer_ids: Vec<i64>, group_id: i64, add: bool) -> Result<u64, AppError> {
    let user = require_staff().await?;
    if customer_ids.is_empty() {
        return Err(AppError::Refused("Tick the customers to change first.".into()));
    }
    AppError::check_list_len("customer_ids", &customer_ids, MAX_BULK, "customers")?;
    let db = app_state()?.db;
    let live = crate::customers::db::matching_ids(&db, &Default::default(), &customer_ids).await?;
    let mut conn = db.pool.acquire().await?;
    let group = db::find(&mut conn, group_id)
        .await?
        .ok_or_else(|| AppError::NotFound("This group".into()))?;
    if add && !group.assignable {
        return Err(AppError::Refused(format!(
            "{} is not assignable: an Admin can change that in Settings → Customer Groups.",
            group.name
        )));
    }
    drop(conn);
    let now = now_ms();
    let actor = Actor::staff(&user);
    let mut changed = 0;
    let mut tx = db.begin().await?;
    for customer_id in live {
        let done = if add {
            db::add_member(&mut tx, customer_id, group_id, now).await?
        } else {
            db::remove_member(&mut tx, customer_id, group_id).await?
        };
        if done {
            changed += 1;
            let (detail, before, after) = if add {
                (
                    format!("Added to the group {}", group.name),
                    None,
                    Some(group.name.clone()),
                )
            } else {
                (
                    format!("Taken out of the group {}", group.name),
                    Some(group.name.clone()),
                    None,
                )
            };
            let change = Change {
                action: "groups_changed",
                detail,
                before,
                after,
            };
            record_change(&mut tx, customer_id, &actor, &change, now).await?;
        }
    }
    tx.commit().await?;
    Ok(changed)
}

#[cfg(feature = "ssr")]
fn names(groups: &[CustomerGroup]) -> String {
    groups
        .iter()
        .map(|g| g.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
