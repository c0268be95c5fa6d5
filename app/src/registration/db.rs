//! Registration queries.

use crate::domain::ValidRegistration;
use sqlx::{AnyConnection, Row};

/// Sign-ups for this address since `since`.
pub async fn recent(conn: &mut AnyConnection, email_key: &str, since: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE email_key = $1 AND created_at >= $2")
        .bind(email_key.to_string())
        .bind(since)
        .fetch_one(&mut *conn)
        .await
}

/// Sign-ups from every address since `since`.
pub async fn recent_all(conn: &mut AnyConnection, since: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE created_at >= $1")
        .bind(since)
        .fetch_one(&mut *conn)
        .await
}

pub struct NewRegistration<'a> {
    pub registration: &'a ValidRegistration,
    pub password_hash: &'a str,
    pub token_hash: &'a str,
    pub expires_at: i64,
}

pub async fn insert(tx: &mut AnyConnection, new: &NewRegistration<'_>, now: i64) -> Result<i64, sqlx::Error> {
    let contact = &new.registration.contact;
    sqlx::query_scalar(
        "INSERT INTO registrations (email, email_key, first_name, last_name, business_name, password_hash, token_hash,
             created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(contact.email.as_str().to_string())
    .bind(contact.email.key())
    .bind(contact.first_name.clone())
    .bind(contact.last_name.clone())
    .bind(new.registration.business_name.clone())
    .bind(new.password_hash.to_string())
    .bind(new.token_hash.to_string())
    .bind(now)
    .bind(new.expires_at)
    .fetch_one(&mut *tx)
    .await
}

/// A sign-up, as its confirmation link finds it.
pub struct Pending {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub business_name: Option<String>,
    pub password_hash: String,
    pub expires_at: i64,
    pub verified_at: Option<i64>,
}

pub async fn by_token(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<Pending>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, email, first_name, last_name, business_name, password_hash, expires_at, verified_at
         FROM registrations WHERE token_hash = $1",
    )
    .bind(token_hash.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| {
        Ok(Pending {
            id: row.try_get("id")?,
            email: row.try_get("email")?,
            first_name: row.try_get("first_name")?,
            last_name: row.try_get("last_name")?,
            business_name: row.try_get("business_name")?,
            password_hash: row.try_get("password_hash")?,
            expires_at: row.try_get("expires_at")?,
            verified_at: row.try_get("verified_at")?,
        })
    })
    .transpose()
}

/// Gives an unconfirmed sign-up the token of the link being sent; `false` when it was confirmed
/// already (or is gone).
pub async fn renew_token(
    tx: &mut AnyConnection,
    id: i64,
    token_hash: &str,
    expires_at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE registrations SET token_hash = $1, expires_at = $2 WHERE id = $3 AND verified_at IS NULL",
    )
    .bind(token_hash.to_string())
    .bind(expires_at)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks the sign-up confirmed; `false` when it was confirmed already (a second click).
pub async fn claim(tx: &mut AnyConnection, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE registrations SET verified_at = $1 WHERE id = $2 AND verified_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_customer(tx: &mut AnyConnection, id: i64, customer_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE registrations SET customer_id = $1 WHERE id = $2")
        .bind(customer_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// The new customer: inactive, Pending approval, its address to be completed by staff.
pub async fn insert_customer(tx: &mut AnyConnection, name: &str, now: i64) -> Result<i64, sqlx::Error> {
    let search_text = crate::customers::search::search_text(name, None, "");
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO customers (name, name_key, street, city, postal_code, country, search_text, active,
             pending_approval, version, created_at, updated_at)
         VALUES ($1, $2, '', '', '', '', $3, 0, 1, 1, $4, $4) RETURNING id",
    )
    .bind(name.to_string())
    .bind(name.to_lowercase())
    .bind(search_text)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    crate::customers::name_order::place(tx, id).await?;
    Ok(id)
}

/// The contact who signed up, with their password, a Buyer and Documents Contact of the customer.
pub async fn insert_contact(
    tx: &mut AnyConnection,
    pending: &Pending,
    customer_id: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let email_key = pending.email.to_lowercase();
    // As every contact's, so searches find self-registered contacts too.
    let name_text =
        crate::contacts::db::name_text_of(&pending.first_name, &pending.last_name, &pending.email);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO contacts (first_name, last_name, email, email_key, name_text, search_text, password_hash,
             version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5, $6, 1, $7, $7) RETURNING id",
    )
    .bind(pending.first_name.clone())
    .bind(pending.last_name.clone())
    .bind(pending.email.clone())
    .bind(email_key)
    .bind(name_text)
    .bind(pending.password_hash.clone())
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO customer_contacts (customer_id, contact_id, documents_contact, role, added_at)
         VALUES ($1, $2, 1, 'buyer', $3)",
    )
    .bind(customer_id)
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

/// Approves a Pending customer: active, with the portal on. `false` when it was not Pending.
pub async fn approve(tx: &mut AnyConnection, customer_id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE customers SET pending_approval = 0, active = 1, portal_enabled = 1, updated_at = $1,
             version = version + 1
         WHERE id = $2 AND pending_approval = 1 AND deleted_at IS NULL",
    )
    .bind(now)
    .bind(customer_id)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn is_pending(conn: &mut AnyConnection, customer_id: i64) -> Result<bool, sqlx::Error> {
    let pending: Option<i64> = sqlx::query_scalar("SELECT pending_approval FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(pending == Some(1))
}
