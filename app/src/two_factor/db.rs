//! Staff users' two-factor secrets, recovery codes and sign-ins halfway through.

use crate::state::Db;
use sqlx::Row;

/// Wrong codes an account may get in [`FAILURE_WINDOW_MS`] before codes are refused for it.
pub const MOST_FAILURES: i64 = 10;
pub const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;
/// Codes typed for one sign-in before it must start again from the password.
pub const MOST_ATTEMPTS: i64 = 5;

/// A staff user's two-factor state, secrets still sealed.
pub struct TwoFactorRow {
    pub email: String,
    pub secret: Option<String>,
    pub pending: Option<String>,
    pub last_step: i64,
}

impl TwoFactorRow {
    pub fn enabled(&self) -> bool {
        self.secret.is_some()
    }
}

pub async fn of_user(db: &Db, user_id: i64) -> Result<Option<TwoFactorRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT email, totp_secret, totp_pending, totp_last_step
         FROM staff_users WHERE id = $1 AND removed_at IS NULL",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| {
        Ok(TwoFactorRow {
            email: row.try_get("email")?,
            secret: row.try_get("totp_secret")?,
            pending: row.try_get("totp_pending")?,
            last_step: row.try_get("totp_last_step")?,
        })
    })
    .transpose()
}

/// The ids of users who sign in with a second step.
pub async fn enabled_users(db: &Db) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM staff_users WHERE totp_secret IS NOT NULL AND removed_at IS NULL ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await
}

pub async fn set_pending(db: &Db, user_id: i64, sealed: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE staff_users SET totp_pending = $1 WHERE id = $2")
        .bind(sealed)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Turns two-factor on with the pending secret `sealed` (unless another enrolment replaced it
/// meanwhile, or it is on already), its first code's step spent, and `code_hashes` as the
/// recovery codes. Whether it was turned on.
pub async fn enable(
    db: &Db,
    user_id: i64,
    sealed: &str,
    step: i64,
    code_hashes: &[String],
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "UPDATE staff_users SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $1,
             totp_failures = 0
         WHERE id = $2 AND totp_pending = $3 AND totp_secret IS NULL",
    )
    .bind(step)
    .bind(user_id)
    .bind(sealed)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    replace_codes(&mut tx, user_id, code_hashes).await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn replace_codes(
    tx: &mut sqlx::AnyConnection,
    user_id: i64,
    code_hashes: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM staff_recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    for hash in code_hashes {
        sqlx::query("INSERT INTO staff_recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id)
            .bind(hash)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Turns two-factor off for the user: secret, enrolment under way, recovery codes and sign-ins
/// halfway through all go. Whether they had it on.
pub async fn disable(db: &Db, user_id: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "UPDATE staff_users SET totp_secret = NULL, totp_pending = NULL, totp_last_step = 0, totp_failures = 0
         WHERE id = $1 AND totp_secret IS NOT NULL",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    for table in ["staff_recovery_codes", "two_factor_challenges"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE user_id = $1"
        )))
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// Spends `step` for the user: true once, for the first request to get there, so that a code
/// overheard or typed twice at once signs in only one browser.
pub async fn spend_step(db: &Db, user_id: i64, step: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE staff_users SET totp_last_step = $1, totp_failures = 0
         WHERE id = $2 AND totp_last_step < $1 AND totp_secret IS NOT NULL",
    )
    .bind(step)
    .bind(user_id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Spends the recovery code whose hash is `code_hash`, if the user has it unused.
pub async fn spend_recovery_code(
    db: &Db,
    user_id: i64,
    code_hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE staff_recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(code_hash)
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 1 {
        sqlx::query("UPDATE staff_users SET totp_failures = 0 WHERE id = $1")
            .bind(user_id)
            .execute(&db.pool)
            .await?;
    }
    Ok(done.rows_affected() == 1)
}

pub async fn unused_codes(db: &Db, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM staff_recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await
}

/// Counts a code about to be checked, as wrong until it proves right (a right one sets the count
/// back to 0): false, and nothing counted, when [`MOST_FAILURES`] codes were wrong in the last
/// [`FAILURE_WINDOW_MS`]. One statement, so codes sent at once through many sign-ins cannot all
/// slip past the count.
pub async fn count_attempt(db: &Db, user_id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE staff_users SET
             totp_failures = CASE WHEN totp_failed_at < $1 THEN 1 ELSE totp_failures + 1 END,
             totp_failed_at = $2
         WHERE id = $3 AND NOT (totp_failures >= $4 AND totp_failed_at >= $1)",
    )
    .bind(now - FAILURE_WINDOW_MS)
    .bind(now)
    .bind(user_id)
    .bind(MOST_FAILURES)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A sign-in halfway through: whose, and whether they must set two-factor up first.
pub struct Challenge {
    pub user_id: i64,
    pub enrol: bool,
}

fn challenge_from(row: &sqlx::any::AnyRow) -> Result<Challenge, sqlx::Error> {
    Ok(Challenge {
        user_id: row.try_get("user_id")?,
        enrol: row.try_get::<i64, _>("enrol")? == 1,
    })
}

pub async fn insert_challenge(
    db: &Db,
    token_hash: &str,
    user_id: i64,
    enrol: bool,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO two_factor_challenges (token_hash, user_id, enrol, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(i64::from(enrol))
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The live challenge with this token; when `attempt`, counting one more code typed for it.
/// `None` when there is none, it expired, or it has had its [`MOST_ATTEMPTS`].
pub async fn challenge(
    db: &Db,
    token_hash: &str,
    now: i64,
    attempt: bool,
) -> Result<Option<Challenge>, sqlx::Error> {
    let sql = if attempt {
        "UPDATE two_factor_challenges SET attempts = attempts + 1
         WHERE token_hash = $1 AND expires_at > $2 AND attempts < $3
         RETURNING user_id, enrol"
    } else {
        "SELECT user_id, enrol FROM two_factor_challenges WHERE token_hash = $1 AND expires_at > $2 AND attempts < $3"
    };
    let row = sqlx::query(sql)
        .bind(token_hash)
        .bind(now)
        .bind(MOST_ATTEMPTS)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(challenge_from).transpose()
}

/// Ends the challenge: true for the one request that ends it, so that one challenge makes one
/// session however many codes are sent at once.
pub async fn end_challenge(db: &Db, token_hash: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM two_factor_challenges WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends the user's sign-ins halfway through (their password was reset).
pub async fn end_challenges(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM two_factor_challenges WHERE user_id = $1")
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Ends the sessions of users who have not turned two-factor on: when it becomes required, they
/// sign in again and set it up.
pub async fn end_sessions_without_two_factor(db: &Db, except_user: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM staff_sessions WHERE user_id <> $1
             AND user_id IN (SELECT id FROM staff_users WHERE totp_secret IS NULL)",
    )
    .bind(except_user)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected())
}

/// Forgets challenges that have expired.
pub async fn prune(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM two_factor_challenges WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
