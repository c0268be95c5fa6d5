//! Staff users, their sessions and failed sign-ins.

use super::CurrentUser;
use crate::domain::Role;
use crate::state::Db;
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct StaffRecord {
    pub user: CurrentUser,
    pub password_hash: String,
}

fn user_from_row(row: &sqlx::any::AnyRow) -> Result<CurrentUser, sqlx::Error> {
    let role: String = row.try_get("role")?;
    Ok(CurrentUser {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        role: Role::parse(&role).map_err(|e| sqlx::Error::Decode(e.into()))?,
    })
}

pub async fn count_staff(db: &Db) -> Result<i64, sqlx::Error> {
    count_staff_in(&db.pool).await
}

/// Inserts a staff user, or brings back a removed one with this email; `Ok(None)` when a current
/// user has the email.
pub async fn insert_staff<'c, E>(
    executor: E,
    name: &str,
    email: &str,
    email_key: &str,
    password_hash: &str,
    role: Role,
    now: i64,
) -> Result<Option<i64>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_scalar(
        "INSERT INTO staff_users (name, email, email_key, password_hash, role, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (email_key) DO UPDATE SET name = excluded.name, email = excluded.email,
             password_hash = excluded.password_hash, role = excluded.role, removed_at = NULL
         WHERE staff_users.removed_at IS NOT NULL
         RETURNING id",
    )
    .bind(name)
    .bind(email)
    .bind(email_key)
    .bind(password_hash)
    .bind(role.key())
    .bind(now)
    .fetch_optional(executor)
    .await
}

pub async fn staff_by_email(db: &Db, email_key: &str) -> Result<Option<StaffRecord>, sqlx::Error> {
    let row =
        sqlx::query("SELECT id, name, email, role, password_hash FROM staff_users WHERE email_key = $1 AND removed_at IS NULL")
            .bind(email_key)
            .fetch_optional(&db.pool)
            .await?;
    row.map(|row| {
        Ok(StaffRecord {
            user: user_from_row(&row)?,
            password_hash: row.try_get("password_hash")?,
        })
    })
    .transpose()
}

pub async fn list_staff(db: &Db) -> Result<Vec<CurrentUser>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, name, email, role FROM staff_users WHERE removed_at IS NULL ORDER BY name, id",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(user_from_row).collect()
}

/// Makes changes to who is staff, and with which role, take turns (first-run setup, role
/// changes): each checks what it will leave (no second first Admin, never no Admin) after the
/// others are done. PostgreSQL locks the table against other writers (readers go on); SQLite
/// takes its write lock by writing first.
pub async fn lock_staff(
    tx: &mut sqlx::AnyConnection,
    backend: crate::state::Backend,
) -> Result<(), sqlx::Error> {
    let lock = match backend {
        crate::state::Backend::Postgres => "LOCK TABLE staff_users IN SHARE ROW EXCLUSIVE MODE",
        crate::state::Backend::Sqlite => "UPDATE staff_users SET role = role WHERE id = -1",
    };
    sqlx::query(lock).execute(&mut *tx).await?;
    Ok(())
}

/// Whether the user was removed (or never was).
pub async fn user_removed<'c, E>(executor: E, user_id: i64) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let current: Option<i64> =
        sqlx::query_scalar("SELECT id FROM staff_users WHERE id = $1 AND removed_at IS NULL")
            .bind(user_id)
            .fetch_optional(executor)
            .await?;
    Ok(current.is_none())
}

pub async fn count_admins<'c, E>(executor: E) -> Result<i64, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_scalar("SELECT COUNT(*) FROM staff_users WHERE role = 'admin' AND removed_at IS NULL")
        .fetch_one(executor)
        .await
}

/// Sets the user's role; their email, or `None` when there is no such user.
pub async fn set_role<'c, E>(executor: E, user_id: i64, role: Role) -> Result<Option<String>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_scalar(
        "UPDATE staff_users SET role = $1 WHERE id = $2 AND removed_at IS NULL RETURNING email",
    )
    .bind(role.key())
    .bind(user_id)
    .fetch_optional(executor)
    .await
}

pub async fn insert_session(
    db: &Db,
    token_hash: &str,
    user_id: i64,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO staff_sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn user_by_session(
    db: &Db,
    token_hash: &str,
    now: i64,
) -> Result<Option<CurrentUser>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT u.id, u.name, u.email, u.role FROM staff_sessions s
         JOIN staff_users u ON u.id = s.user_id AND u.removed_at IS NULL
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(user_from_row).transpose()
}

pub async fn delete_session(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Removes a current staff user: they stop being a Digital Administrator, and every session and
/// password-reset link of theirs ends. Their email, or `None` when there is no such current user.
pub async fn remove_staff(
    tx: &mut sqlx::AnyConnection,
    user_id: i64,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let email: Option<String> = sqlx::query_scalar(
        "UPDATE staff_users SET removed_at = $1, digital_admin = 0 WHERE id = $2 AND removed_at IS NULL RETURNING email",
    )
    .bind(now)
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?;
    if email.is_some() {
        end_sessions_in(tx, user_id).await?;
    }
    Ok(email)
}

/// Ends every session, unused password-reset link and sign-in halfway through (two-factor) of
/// the user: their password changed, they were removed, or they asked.
pub async fn end_sessions_of(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
    end_sessions_in(&mut *db.pool.acquire().await?, user_id).await
}

pub async fn end_sessions_in(conn: &mut sqlx::AnyConnection, user_id: i64) -> Result<(), sqlx::Error> {
    for table in ["staff_sessions", "staff_password_resets", "two_factor_challenges"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE user_id = $1"
        )))
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn set_password(db: &Db, user_id: i64, password_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE staff_users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Forgets sessions that have expired.
pub async fn prune(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let sessions = sqlx::query("DELETE FROM staff_sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(sessions.rows_affected())
}

pub async fn count_staff_in<'c, E>(executor: E) -> Result<i64, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_scalar("SELECT COUNT(*) FROM staff_users")
        .fetch_one(executor)
        .await
}
