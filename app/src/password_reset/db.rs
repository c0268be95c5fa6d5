//! Reset links: staff users' in their own table, contacts' among the other links in emails
//! (`access_links`, purpose `password_reset`). Each is bound to the address it was sent to: a link
//! whose account's email changed since is worth nothing.

use super::{Who, LINK_MINUTES};
use crate::state::Db;
use sqlx::{AnyConnection, Row};

/// A reset link found by its token's hash, with its account.
pub struct ResetLink {
    pub account_id: i64,
    pub email: String,
    /// Unused, unexpired and for the account's address of today.
    pub usable: bool,
}

/// Stores a staff user's reset link, for `email_key` if that is still the user's address;
/// `false` when it is not (or the user is gone), and nothing is stored.
pub async fn insert_staff_reset(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: i64,
    email_key: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO staff_password_resets (token_hash, user_id, email_key, created_at, expires_at)
         SELECT $1, id, email_key, $2, $3 FROM staff_users WHERE id = $4 AND email_key = $5 AND removed_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .bind(now + LINK_MINUTES * 60_000)
    .bind(user_id)
    .bind(email_key)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Where each kind of account keeps its reset links, accounts and sessions.
struct Tables {
    links: &'static str,
    /// Picks reset links among the table's links.
    only_resets: &'static str,
    /// The column naming the account, in the links and in the sessions.
    owner: &'static str,
    accounts: &'static str,
    /// Picks accounts that may still sign in.
    live: &'static str,
    sessions: &'static str,
}

fn tables(who: Who) -> Tables {
    match who {
        Who::Staff => Tables {
            links: "staff_password_resets",
            only_resets: "",
            owner: "user_id",
            accounts: "staff_users",
            live: "AND a.removed_at IS NULL",
            sessions: "staff_sessions",
        },
        Who::Contact => Tables {
            links: "access_links",
            only_resets: "AND purpose = 'password_reset'",
            owner: "contact_id",
            accounts: "contacts",
            live: "",
            sessions: "contact_sessions",
        },
    }
}

/// The reset link of `token_hash`, with its account.
pub async fn find(db: &Db, who: Who, token_hash: &str, now: i64) -> Result<Option<ResetLink>, sqlx::Error> {
    let Tables {
        links,
        only_resets,
        owner,
        accounts,
        live,
        ..
    } = tables(who);
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT a.id, a.email, a.email_key, r.email_key AS sent_to, r.used_at, r.expires_at
         FROM {links} r JOIN {accounts} a ON a.id = r.{owner} {live}
         WHERE r.token_hash = $1 {only_resets}"
    )))
    .bind(token_hash)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| {
        let sent_to: Option<String> = row.try_get("sent_to")?;
        let usable = row.try_get::<Option<i64>, _>("used_at")?.is_none()
            && row.try_get::<i64, _>("expires_at")? > now
            && sent_to.as_deref() == Some(row.try_get::<&str, _>("email_key")?);
        Ok(ResetLink {
            account_id: row.try_get("id")?,
            email: row.try_get("email")?,
            usable,
        })
    })
    .transpose()
}

/// Uses the link and sets the new password, if the link is still usable (checked again here, as
/// it is spent: of two requests at once, one wins); ends every session and other reset link of
/// the account. The
/// account, or `None` when the link was no longer usable and nothing changed.
pub async fn use_reset(
    conn: &mut AnyConnection,
    who: Who,
    token_hash: &str,
    password_hash: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let Tables {
        links,
        only_resets,
        owner,
        accounts,
        live,
        sessions,
    } = tables(who);
    let account: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE {links} SET used_at = $1
         WHERE token_hash = $2 {only_resets} AND used_at IS NULL AND expires_at > $1
           AND email_key = (SELECT a.email_key FROM {accounts} a WHERE a.id = {owner} {live})
         RETURNING {owner}"
    )))
    .bind(now)
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(account) = account else {
        return Ok(None);
    };
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE {accounts} SET password_hash = $1 WHERE id = $2"
    )))
    .bind(password_hash)
    .bind(account)
    .execute(&mut *conn)
    .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM {sessions} WHERE {owner} = $1"
    )))
    .bind(account)
    .execute(&mut *conn)
    .await?;
    // Other reset links sent earlier are spent too: the password they would change has changed.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE {links} SET used_at = $1 WHERE {owner} = $2 AND used_at IS NULL {only_resets}"
    )))
    .bind(now)
    .bind(account)
    .execute(&mut *conn)
    .await?;
    Ok(Some(account))
}

/// Whether a reset email went to the account lately (one every few minutes is enough).
pub async fn sent_lately(db: &Db, who: Who, id: i64, since: i64) -> Result<bool, sqlx::Error> {
    let column = match who {
        Who::Staff => "staff_user_id",
        Who::Contact => "contact_id",
    };
    let sql = format!(
        "SELECT COUNT(*) FROM outbox WHERE kind = 'password_reset' AND {column} = $1 AND created_at > $2"
    );
    let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(since)
        .fetch_one(&db.pool)
        .await?;
    Ok(count > 0)
}

/// Forgets staff reset links that expired.
pub async fn prune(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM staff_password_resets WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
