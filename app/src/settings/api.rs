//! Server functions of Settings → Users. Admins only.

use crate::auth::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    crate::auth::accounts::{self, StaffDetails},
    crate::auth::{db, session::require_admin},
    crate::domain::Role,
    crate::security_log::db::record_staff,
    crate::state::app_state,
};

#[server(endpoint = "settings/users")]
pub async fn list_staff_users() -> Result<Vec<CurrentUser>, AppError> {
    require_admin().await?;
    Ok(db::list_staff(&app_state()?.db).await?)
}

#[server(endpoint = "settings/users/add")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn add_staff_user(
    name: String,
    email: String,
    password: String,
    role: String,
) -> Result<(), AppError> {
    let admin = require_admin().await?;
    let details = StaffDetails::parse(&name, &email, &password);
    let role = Role::parse(&role);
    let (details, role) = match (details, role) {
        (Ok(details), Ok(role)) => (details, role),
        (details, role) => {
            let mut errors = details.err().unwrap_or_default();
            errors.check("role", role);
            return Err(AppError::Invalid(errors));
        }
    };
    let state = app_state()?;
    accounts::create(&state.db.pool, &details, role).await?;
    let detail = format!("As {role}, by {}", admin.name);
    record_staff(&state, "user_added", details.email.as_str(), detail).await;
    Ok(())
}

/// Changes a user's role; the last Admin cannot stop being one.
#[server(endpoint = "settings/users/role")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(user_id)))]
pub async fn change_role(user_id: i64, role: String) -> Result<(), AppError> {
    let admin = require_admin().await?;
    let role = Role::parse(&role).map_err(|m| AppError::field("role", m))?;
    let state = app_state()?;
    let db = state.db.clone();
    let mut tx = db.begin().await?;
    // Two Admins demoting each other at once each saw the other still Admin, and left none.
    db::lock_staff(&mut tx, db.backend).await?;
    let Some(email) = db::set_role(&mut *tx, user_id, role).await? else {
        return Err(AppError::NotFound("This user".into()));
    };
    if db::count_admins(&mut *tx).await? == 0 {
        return Err(AppError::Refused(
            "Clientele needs at least one Admin; make someone else Admin first.".into(),
        ));
    }
    tx.commit().await?;
    record_staff(
        &state,
        "role_changed",
        &email,
        format!("To {role}, by {}", admin.name),
    )
    .await;
    Ok(())
}

/// Removes a staff user (Admins, never themselves): every session of theirs ends and they can no
/// longer sign in. What they did keeps their name.
#[server(endpoint = "settings/users/remove")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(user_id)))]
pub async fn remove_staff_user(user_id: i64) -> Result<(), AppError> {
    let admin = require_admin().await?;
    if admin.id == user_id {
        return Err(AppError::Refused(
            "You cannot remove yourself; another Admin can.".into(),
        ));
    }
    let state = app_state()?;
    let db = state.db.clone();
    let mut tx = db.begin().await?;
    // Two Admins removing each other at once: the second finds itself removed and no Admin left.
    db::lock_staff(&mut tx, db.backend).await?;
    let Some(email) = db::remove_staff(&mut tx, user_id, crate::state::now_ms()).await? else {
        return Err(AppError::NotFound("This user".into()));
    };
    if db::count_admins(&mut *tx).await? == 0 || db::user_removed(&mut *tx, admin.id).await? {
        return Err(AppError::Refused(
            "You were removed by another Admin meanwhile, or no Admin would be left.".into(),
        ));
    }
    tx.commit().await?;
    record_staff(&state, "user_removed", &email, format!("By {}", admin.name)).await;
    Ok(())
}

/// The users marked "Digital Administrator": they are emailed every integration request.
#[server(endpoint = "settings/users/digital_admins")]
pub async fn digital_admins() -> Result<Vec<i64>, AppError> {
    require_admin().await?;
    Ok(super::db::digital_admins(&app_state()?.db).await?)
}

#[server(endpoint = "settings/users/digital_admin")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(user_id, on)))]
pub async fn set_digital_admin(user_id: i64, on: bool) -> Result<(), AppError> {
    require_admin().await?;
    if super::db::set_digital_admin(&app_state()?.db, user_id, on).await? {
        Ok(())
    } else {
        Err(AppError::NotFound("This user".into()))
    }
}
