//! Supplier-wide settings, one row per key.

use crate::state::Db;

/// The portal is open to customer contacts ("1") or closed ("0").
pub const PORTAL_ENABLED: &str = "portal_enabled";

/// A yes/no setting; a missing row is "no".
pub async fn flag(db: &Db, key: &str) -> Result<bool, sqlx::Error> {
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(&db.pool)
        .await?;
    Ok(value.as_deref() == Some("1"))
}

pub async fn set_flag(db: &Db, key: &str, on: bool) -> Result<(), sqlx::Error> {
    let value = if on { "1" } else { "0" };
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(&db.pool)
    .await?;
    Ok(())
}
