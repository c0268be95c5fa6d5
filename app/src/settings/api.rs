//! Server functions of Settings → Users. Admins only.

use crate::auth::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    crate::auth::{db, password, session::require_admin},
    crate::domain::{Email, Password, PersonName, Role},
    crate::error::FieldErrors,
    crate::state::{app_state, now_ms},
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
    require_admin().await?;
    let mut errors = FieldErrors::new();
    let name = errors.check("name", PersonName::parse(&name));
    let email = errors.check("email", Email::parse(&email));
    let password = errors.check("password", Password::parse(&password));
    let role = errors.check("role", Role::parse(&role));
    let (Some(name), Some(email), Some(password), Some(role)) = (name, email, password, role) else {
        return Err(AppError::Invalid(errors));
    };
    let hash = password::hash(&password).await?;
    let db = app_state()?.db;
    match db::insert_staff(
        &db.pool,
        name.as_str(),
        email.as_str(),
        &email.key(),
        &hash,
        role,
        now_ms(),
    )
    .await?
    {
        Some(_) => Ok(()),
        None => Err(AppError::field(
            "email",
            format!("{} already has an account.", email.as_str()),
        )),
    }
}

/// Changes a user's role; the last Admin cannot stop being one.
#[server(endpoint = "settings/users/role")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(user_id)))]
pub async fn change_role(user_id: i64, role: String) -> Result<(), AppError> {
    require_admin().await?;
    let role = Role::parse(&role).map_err(|m| AppError::field("role", m))?;
    let db = app_state()?.db;
    let mut tx = db.pool.begin().await?;
    if !db::set_role(&mut *tx, user_id, role).await? {
        return Err(AppError::NotFound("This user".into()));
    }
    if db::count_admins(&mut *tx).await? == 0 {
        return Err(AppError::Refused(
            "Clientele needs at least one Admin; make someone else Admin first.".into(),
        ));
    }
    tx.commit().await?;
    Ok(())
}
