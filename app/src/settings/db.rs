//! Supplier-wide settings, one row per key.

use crate::state::Db;

/// The portal is open to customer contacts ("1") or closed ("0").
pub const PORTAL_ENABLED: &str = "portal_enabled";

/// Every staff user signs in with two-factor ("1") or as each chooses ("0").
pub const REQUIRE_TWO_FACTOR: &str = "require_two_factor";

/// A yes/no setting; a missing row is "no".
pub async fn flag(db: &Db, key: &str) -> Result<bool, sqlx::Error> {
    Ok(value(db, key).await?.as_deref() == Some("1"))
}

pub async fn set_flag(db: &Db, key: &str, on: bool) -> Result<(), sqlx::Error> {
    set_value(db, key, if on { "1" } else { "0" }).await
}

/// A setting's text; `None` when it was never set.
pub async fn value(db: &Db, key: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(&db.pool)
        .await
}

pub async fn set_value(db: &Db, key: &str, value: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn digital_admins(db: &Db) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM staff_users WHERE digital_admin = 1 AND removed_at IS NULL ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await
}

pub async fn set_digital_admin(db: &Db, user_id: i64, on: bool) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE staff_users SET digital_admin = $1 WHERE id = $2 AND removed_at IS NULL")
        .bind(i64::from(on))
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}
