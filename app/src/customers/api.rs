//! Server functions of the customers pages: thin — who is calling, parse, store, say what happened.

use super::{Customer, CustomerPageData, ListQuery, SaveOutcome, TrashPage};
use crate::domain::CompanyInput;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::{db, MAX_BULK},
    crate::activity::db::Actor,
    crate::auth::session::{require_admin, require_staff},
    crate::domain::ValidCompany,
    crate::state::{app_state, now_ms, Db},
};

#[server(endpoint = "customers/list", input = leptos::server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(q = %query.q)))]
pub async fn list_customers(query: ListQuery) -> Result<CustomerPageData, AppError> {
    require_staff().await?;
    crate::text_search::check_query("q", &query.q)?;
    Ok(db::list_page(&app_state()?.db, &query).await?)
}

#[server(endpoint = "customers/get")]
pub async fn get_customer(id: i64) -> Result<Customer, AppError> {
    require_staff().await?;
    db::find(&app_state()?.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("This customer".into()))
}

/// "Save and Continue" of the company step: creates the customer and returns its id.
#[server(endpoint = "customers/create")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_customer(company: CompanyInput) -> Result<i64, AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    let company = parse_company(&db, &company, None).await?;
    db::insert(&db, &company, &Actor::staff(&user), now_ms())
        .await
        .map_err(|e| unique_account_number(e, &company))
}

/// Saves the customer page's form over `version`, the version the form was filled from.
#[server(endpoint = "customers/update")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn update_customer(
    id: i64,
    version: i64,
    company: CompanyInput,
    active: Option<String>,
) -> Result<SaveOutcome, AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    let current = db::find(&db, id).await?.filter(|c| c.deleted_at.is_none());
    let current = current.ok_or_else(|| AppError::NotFound("This customer".into()))?;
    if current.version != version {
        return Ok(SaveOutcome::Conflict(current));
    }
    let company = parse_company(&db, &company, Some(id)).await?;
    let save = db::Save {
        company: &company,
        active: active.is_some(),
        actor: &Actor::staff(&user),
        changes: super::changes::company_changes(&current, &company, active.is_some()),
    };
    let saved = db::update(&db, id, version, &save, now_ms())
        .await
        .map_err(|e| unique_account_number(e, &company))?;
    let latest = db::find(&db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("This customer".into()))?;
    Ok(if saved {
        SaveOutcome::Saved(latest)
    } else {
        SaveOutcome::Conflict(latest)
    })
}

/// Moves customers to the Trash; returns how many were moved.
#[server(endpoint = "customers/delete")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn delete_customers(ids: Vec<i64>) -> Result<u64, AppError> {
    let user = require_staff().await?;
    AppError::check_list_len("ids", &ids, MAX_BULK, "customers")?;
    Ok(db::trash(&app_state()?.db, &ids, &Actor::staff(&user), now_ms()).await?)
}

#[server(endpoint = "customers/trash")]
pub async fn list_trash(after: Option<i64>) -> Result<TrashPage, AppError> {
    require_staff().await?;
    crate::paging::check_position("after", after)?;
    Ok(db::trashed(&app_state()?.db, after).await?)
}

#[server(endpoint = "customers/restore")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn restore_customer(id: i64) -> Result<(), AppError> {
    let user = require_admin().await?;
    if db::restore(&app_state()?.db, id, &Actor::staff(&user), now_ms()).await? {
        Ok(())
    } else {
        Err(AppError::NotFound("This customer in the Trash".into()))
    }
}

/// Parses the form and checks the account number is not another customer's.
#[cfg(feature = "ssr")]
async fn parse_company(db: &Db, input: &CompanyInput, except: Option<i64>) -> Result<ValidCompany, AppError> {
    let company = input.parse().map_err(AppError::Invalid)?;
    if let Some(logo) = &company.logo_file_id {
        let file = crate::documents::db::find_file(db, logo).await?;
        if !file.is_some_and(|f| crate::documents::db::is_for(&f, crate::domain::FilePurpose::Logo)) {
            return Err(AppError::field(
                "logo",
                "The uploaded logo was not found. Upload it again.",
            ));
        }
    }
    if let Some(number) = &company.account_number {
        account_number_free(db, number, except).await?;
    }
    Ok(company)
}

/// Refuses, at the field, an account number another customer (`except` aside) already has.
#[cfg(feature = "ssr")]
pub async fn account_number_free(
    db: &Db,
    number: &crate::domain::AccountNumber,
    except: Option<i64>,
) -> Result<(), AppError> {
    match db::account_number_holder(db, &number.key(), except).await? {
        Some((holder, trashed)) => {
            let place = if trashed { " (in the Trash)" } else { "" };
            Err(AppError::field(
                "account_number",
                format!(
                    "Account number {} is already used by {holder}{place}.",
                    number.as_str()
                ),
            ))
        }
        None => Ok(()),
    }
}

/// A save that lost a race (for an account number, or with the removal of its logo) is told so at
/// the field.
#[cfg(feature = "ssr")]
fn unique_account_number(error: sqlx::Error, company: &ValidCompany) -> AppError {
    match (&error, &company.account_number) {
        (sqlx::Error::Database(e), Some(number)) if e.is_unique_violation() => AppError::field(
            "account_number",
            format!(
                "Account number {} was just given to another customer.",
                number.as_str()
            ),
        ),
        // The logo went between the check and the save.
        (sqlx::Error::Database(e), _) if e.is_foreign_key_violation() => {
            AppError::field("logo", "The uploaded logo was not found. Upload it again.")
        }
        _ => AppError::internal(error),
    }
}

/// The customer `id`, unless it is missing or in the Trash: what every change to what hangs off a
/// customer (contacts, locations, requests) checks first.
#[cfg(feature = "ssr")]
pub async fn live_customer(db: &Db, id: i64) -> Result<Customer, AppError> {
    db::find(db, id)
        .await?
        .filter(|c| c.deleted_at.is_none())
        .ok_or_else(|| AppError::NotFound("This customer".into()))
}

/// The wizard moved on to `step` (2–5): a Draft resumes there. Going back changes nothing.
#[server(endpoint = "customers/wizard_step")]
pub async fn reach_wizard_step(id: i64, step: i64) -> Result<(), AppError> {
    require_staff().await?;
    if !(2..=5).contains(&step) {
        return Err(AppError::field(
            "step",
            format!("The wizard has steps 1 to 5, not {step}."),
        ));
    }
    let db = app_state()?.db;
    live_customer(&db, id).await?;
    db::set_wizard_step(&db, id, Some(step)).await?;
    Ok(())
}

/// "Finish": the customer is no longer a Draft.
#[server(endpoint = "customers/finish_wizard")]
pub async fn finish_wizard(id: i64) -> Result<(), AppError> {
    require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, id).await?;
    db::set_wizard_step(&db, id, None).await?;
    Ok(())
}
