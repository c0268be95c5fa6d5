//! Server functions of two-factor sign-in: the second step of a sign-in, setting it up and
//! turning it off, recovery codes, and the Admin's "require it" and "reset it for a user".

use super::{Enrolment, TwoFactorState};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::{db, recovery, sealing::SealingKey, totp, SignInStep},
    crate::auth::session::{self, hash_token, require_admin, require_staff},
    crate::security_log::db::record_staff,
    crate::settings::db::{flag, set_flag, REQUIRE_TWO_FACTOR},
    crate::state::{app_state, now_ms, AppState},
};

#[cfg(feature = "ssr")]
const CHALLENGE_COOKIE: &str = "clientele_two_factor";
/// How long the second step may take after the password.
#[cfg(feature = "ssr")]
const CHALLENGE_MS: i64 = 10 * 60 * 1000;
/// The name authenticator apps show beside the account.
#[cfg(feature = "ssr")]
const ISSUER: &str = "Clientele";
#[cfg(feature = "ssr")]
const WRONG_CODE: &str = "That code is not right. Type the code your app shows now, or a recovery code.";

/// After the right password: a session, or the second step it needs first (a code, or setting
/// two-factor up when it is required), remembered by a short-lived cookie.
#[cfg(feature = "ssr")]
pub async fn after_password(state: &AppState, user_id: i64) -> Result<SignInStep, AppError> {
    let row = db::of_user(&state.db, user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let step = if row.enabled() {
        SignInStep::Code
    } else if flag(&state.db, REQUIRE_TWO_FACTOR).await? {
        SignInStep::Enrol
    } else {
        crate::auth::api::start_session(state, user_id).await?;
        return Ok(SignInStep::Done);
    };
    let token = session::new_token();
    let expires = now_ms() + CHALLENGE_MS;
    db::insert_challenge(
        &state.db,
        &hash_token(&token),
        user_id,
        step == SignInStep::Enrol,
        expires,
    )
    .await?;
    set_challenge_cookie(state, &token, CHALLENGE_MS / 1000);
    Ok(step)
}

#[cfg(feature = "ssr")]
fn set_challenge_cookie(state: &AppState, token: &str, max_age_seconds: i64) {
    expect_context::<leptos_axum::ResponseOptions>().append_header(
        axum::http::header::SET_COOKIE,
        session::cookie_header(
            CHALLENGE_COOKIE,
            token,
            Some(max_age_seconds),
            state.secure_cookies(),
        ),
    );
}

/// The hash of the calling browser's sign-in halfway through, if its cookie could be one.
#[cfg(feature = "ssr")]
fn challenge_hash() -> Option<String> {
    session::cookie_from_headers(&session::request_headers(), CHALLENGE_COOKIE)
        .filter(|token| session::token_shaped(token))
        .map(|token| hash_token(&token))
}

#[cfg(feature = "ssr")]
fn expired() -> AppError {
    AppError::Refused("This sign-in has expired or had too many wrong codes. Sign in again.".into())
}

#[cfg(feature = "ssr")]
fn sealing_key(state: &AppState) -> Result<&SealingKey, AppError> {
    state.two_factor_key.as_ref().ok_or_else(|| {
        AppError::Refused(
            "Two-factor sign-in is not available on this server yet: its administrator must set \
             TWO_FACTOR_KEY (see the README)."
                .into(),
        )
    })
}

/// A code as typed: refused at its field before any work when it cannot be one of ours.
#[cfg(feature = "ssr")]
fn check_typed_code(code: &str) -> Result<(), AppError> {
    if code.trim().is_empty() {
        return Err(AppError::field(
            "code",
            "Type the code your app shows, or a recovery code.",
        ));
    }
    if code.len() > 40 {
        return Err(AppError::field(
            "code",
            "A code is 6 digits, or a recovery code of 10 letters and digits.",
        ));
    }
    Ok(())
}

#[cfg(feature = "ssr")]
fn unusable(error: impl std::fmt::Display) -> AppError {
    AppError::internal(format!("two-factor: {error}"))
}

/// Who is setting two-factor up: the signed-in user, or a sign-in that must set it up before it
/// gets a session (with that sign-in's hash).
#[cfg(feature = "ssr")]
async fn enroller(state: &AppState) -> Result<(i64, Option<String>), AppError> {
    match require_staff().await {
        Ok(user) => Ok((user.id, None)),
        Err(AppError::Unauthorized) => {
            let hash = challenge_hash().ok_or(AppError::Unauthorized)?;
            match db::challenge(&state.db, &hash, now_ms(), false).await? {
                Some(challenge) if challenge.enrol => Ok((challenge.user_id, Some(hash))),
                _ => Err(expired()),
            }
        }
        Err(other) => Err(other),
    }
}

/// Checks a code of a user with two-factor on: the app's code of now (each step once) or an
/// unused recovery code. Wrong codes are counted; too many lately and none is checked.
#[cfg(feature = "ssr")]
async fn check_code(
    state: &AppState,
    user_id: i64,
    row: &db::TwoFactorRow,
    code: &str,
) -> Result<(), AppError> {
    let now = now_ms();
    if !db::count_attempt(&state.db, user_id, now).await? {
        return Err(AppError::Busy(
            "Too many wrong codes for this account lately. Wait 15 minutes, then try again.".into(),
        ));
    }
    let accepted = if totp::six_digits(code).is_some() {
        let secret = row
            .secret
            .as_deref()
            .and_then(|sealed| sealing_key(state).ok()?.open(user_id, sealed))
            .ok_or_else(|| {
                AppError::Refused(
                    "This server cannot read your two-factor secret: its TWO_FACTOR_KEY is not the one \
                     it was set up with. Ask an Admin to reset your two-factor sign-in."
                        .into(),
                )
            })?;
        match totp::Secret::from_bytes(secret).accepted_step(code, now, row.last_step) {
            Some(step) => db::spend_step(&state.db, user_id, step).await?,
            None => false,
        }
    } else if let Some(hash) = recovery::hash_typed(code, sealing_key(state)?) {
        let spent = db::spend_recovery_code(&state.db, user_id, &hash, now).await?;
        if spent {
            record_staff(state, "recovery_code_used", &row.email, String::new()).await;
        }
        spent
    } else {
        false
    };
    if !accepted {
        record_staff(state, "two_factor_failed", &row.email, String::new()).await;
        return Err(AppError::field("code", WRONG_CODE));
    }
    Ok(())
}

#[cfg(feature = "ssr")]
async fn two_factor_row(state: &AppState, user_id: i64) -> Result<db::TwoFactorRow, AppError> {
    db::of_user(&state.db, user_id)
        .await?
        .ok_or(AppError::Unauthorized)
}

/// Ten new recovery codes and their hashes.
#[cfg(feature = "ssr")]
fn new_recovery_codes(key: &SealingKey) -> Result<(Vec<String>, Vec<String>), AppError> {
    let codes = recovery::generate().map_err(unusable)?;
    let hashes = codes
        .iter()
        .filter_map(|code| recovery::hash_typed(code, key))
        .collect();
    Ok((codes, hashes))
}

/// The second step of a sign-in: a code from the app, or a recovery code. Signs the browser in.
#[server(endpoint = "two_factor/verify")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn verify_two_factor(code: String) -> Result<(), AppError> {
    check_typed_code(&code)?;
    let state = app_state()?;
    let hash = challenge_hash().ok_or_else(expired)?;
    let Some(challenge) = db::challenge(&state.db, &hash, now_ms(), true).await? else {
        return Err(expired());
    };
    if challenge.enrol {
        return Err(AppError::Refused("Set up two-factor sign-in first.".into()));
    }
    let row = two_factor_row(&state, challenge.user_id).await?;
    check_code(&state, challenge.user_id, &row, &code).await?;
    if !db::end_challenge(&state.db, &hash).await? {
        return Err(expired());
    }
    set_challenge_cookie(&state, "", 0);
    crate::auth::api::start_session(&state, challenge.user_id).await?;
    record_staff(&state, "signed_in", &row.email, "With two-factor".into()).await;
    Ok(())
}

/// The caller's two-factor state, for "Your account" and Settings.
#[server(endpoint = "two_factor/status")]
pub async fn two_factor_status() -> Result<TwoFactorState, AppError> {
    let user = require_staff().await?;
    let state = app_state()?;
    let row = two_factor_row(&state, user.id).await?;
    Ok(TwoFactorState {
        enabled: row.enabled(),
        codes_left: db::unused_codes(&state.db, user.id).await?,
        required: flag(&state.db, REQUIRE_TWO_FACTOR).await?,
        available: state.two_factor_key.is_some(),
    })
}

/// Starts setting two-factor up: a new secret, kept sealed until its first code is typed.
#[server(endpoint = "two_factor/begin")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn begin_two_factor() -> Result<Enrolment, AppError> {
    let state = app_state()?;
    let (user_id, _) = enroller(&state).await?;
    let key = sealing_key(&state)?;
    let row = two_factor_row(&state, user_id).await?;
    if row.enabled() {
        return Err(AppError::Refused("Two-factor sign-in is on already.".into()));
    }
    let secret = totp::Secret::generate().map_err(unusable)?;
    let sealed = key.seal(user_id, secret.bytes()).map_err(unusable)?;
    db::set_pending(&state.db, user_id, &sealed).await?;
    let uri = secret.otpauth_uri(ISSUER, &row.email);
    Ok(Enrolment {
        secret: secret.for_typing(),
        qr_svg: totp::qr_svg(&uri).map_err(unusable)?,
        uri,
    })
}

/// Finishes setting two-factor up with the app's first code. Answers the recovery codes, shown
/// this once. A sign-in that had to set it up first gets its session now.
#[server(endpoint = "two_factor/enable")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn enable_two_factor(code: String) -> Result<Vec<String>, AppError> {
    check_typed_code(&code)?;
    let state = app_state()?;
    let (user_id, challenge) = enroller(&state).await?;
    let key = sealing_key(&state)?;
    let row = two_factor_row(&state, user_id).await?;
    let start_again = || AppError::Refused("Start again: press “Set up two-factor sign-in”.".into());
    let pending = row.pending.ok_or_else(start_again)?;
    let secret = key.open(user_id, &pending).ok_or_else(start_again)?;
    let Some(step) = totp::Secret::from_bytes(secret).accepted_step(&code, now_ms(), 0) else {
        return Err(AppError::field(
            "code",
            "That code is not right. Type the code the app shows now for Clientele.",
        ));
    };
    let (codes, hashes) = new_recovery_codes(key)?;
    if !db::enable(&state.db, user_id, &pending, step, &hashes).await? {
        return Err(AppError::Refused(
            "Two-factor sign-in was set up or started again meanwhile, in another window. Reload the page."
                .into(),
        ));
    }
    record_staff(&state, "two_factor_enabled", &row.email, String::new()).await;
    if let Some(hash) = challenge {
        if db::end_challenge(&state.db, &hash).await? {
            set_challenge_cookie(&state, "", 0);
            crate::auth::api::start_session(&state, user_id).await?;
            record_staff(&state, "signed_in", &row.email, "Setting up two-factor".into()).await;
        }
    }
    Ok(codes)
}

/// Turns the caller's two-factor sign-in off, given a code; not while it is required.
#[server(endpoint = "two_factor/disable")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn disable_two_factor(code: String) -> Result<(), AppError> {
    let user = require_staff().await?;
    check_typed_code(&code)?;
    let state = app_state()?;
    if flag(&state.db, REQUIRE_TWO_FACTOR).await? {
        return Err(AppError::Refused(
            "Two-factor sign-in is required for everyone here, so it stays on. Lost your phone? Sign in \
             with a recovery code and ask an Admin to reset it, then set it up again."
                .into(),
        ));
    }
    let row = two_factor_row(&state, user.id).await?;
    if !row.enabled() {
        return Err(AppError::Refused("Two-factor sign-in is off already.".into()));
    }
    check_code(&state, user.id, &row, &code).await?;
    db::disable(&state.db, user.id).await?;
    record_staff(&state, "two_factor_disabled", &user.email, String::new()).await;
    Ok(())
}

/// Ten new recovery codes for the caller, given a code; the old ones stop working.
#[server(endpoint = "two_factor/recovery_codes")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn renew_recovery_codes(code: String) -> Result<Vec<String>, AppError> {
    let user = require_staff().await?;
    check_typed_code(&code)?;
    let state = app_state()?;
    let row = two_factor_row(&state, user.id).await?;
    if !row.enabled() {
        return Err(AppError::Refused("Turn two-factor sign-in on first.".into()));
    }
    check_code(&state, user.id, &row, &code).await?;
    let (codes, hashes) = new_recovery_codes(sealing_key(&state)?)?;
    let mut tx = state.db.begin().await?;
    db::replace_codes(&mut tx, user.id, &hashes).await?;
    tx.commit().await?;
    record_staff(&state, "recovery_codes_renewed", &user.email, String::new()).await;
    Ok(codes)
}

/// Requires two-factor sign-in of every staff user (Admins). Turning it on signs out everyone
/// without it, so that they set it up as they sign in again; the Admin must have it on already.
#[server(endpoint = "settings/two_factor/require")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(on)))]
pub async fn require_two_factor(on: bool) -> Result<(), AppError> {
    let admin = require_admin().await?;
    let state = app_state()?;
    if on {
        sealing_key(&state)?;
        if !two_factor_row(&state, admin.id).await?.enabled() {
            return Err(AppError::Refused(
                "Turn two-factor sign-in on for yourself first (Your account), so that you keep access."
                    .into(),
            ));
        }
    }
    set_flag(&state.db, REQUIRE_TWO_FACTOR, on).await?;
    if on {
        db::end_sessions_without_two_factor(&state.db, admin.id).await?;
    }
    let detail = format!("{}, by {}", if on { "On" } else { "Off" }, admin.name);
    record_staff(&state, "two_factor_required", &admin.email, detail).await;
    Ok(())
}

/// The ids of staff users with two-factor sign-in on (Admins).
#[server(endpoint = "settings/users/two_factor")]
pub async fn two_factor_users() -> Result<Vec<i64>, AppError> {
    require_admin().await?;
    Ok(db::enabled_users(&app_state()?.db).await?)
}

/// Resets a user's two-factor sign-in (Admins), when they lost their phone and their recovery
/// codes: it is off, and their sessions end. If it is required, they set it up again as they
/// sign in.
#[server(endpoint = "settings/users/two_factor_reset")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(user_id)))]
pub async fn reset_two_factor(user_id: i64) -> Result<(), AppError> {
    let admin = require_admin().await?;
    let state = app_state()?;
    let row = db::of_user(&state.db, user_id)
        .await?
        .ok_or_else(|| AppError::NotFound("This user".into()))?;
    if !db::disable(&state.db, user_id).await? {
        return Err(AppError::Refused(format!(
            "{} does not have two-factor sign-in on.",
            row.email
        )));
    }
    crate::auth::db::end_sessions_of(&state.db, user_id).await?;
    record_staff(
        &state,
        "two_factor_reset",
        &row.email,
        format!("By {}", admin.name),
    )
    .await;
    Ok(())
}
