//! Two-factor sign-in for staff, on SQLite and PostgreSQL: setting it up with a first code,
//! the second step of a sign-in (each code once, recovery codes once, wrong codes counted), the
//! Admin's "require it" and "reset it", and secrets sealed in the database.

use crate::common;

use app::two_factor::totp::Secret;
use app::two_factor::{Enrolment, SignInStep, TwoFactorState};
use common::portal::assert_refused_at;
use common::sharing::*;
use common::*;
use reqwest::StatusCode;

const ADMIN: &str = "ada@supplier.example";
const STAFF: &str = "sam@supplier.example";

/// The code `secret` makes `steps_ahead` 30-second steps from now: 1 for a code not spent yet by
/// a sign-in that happened this step.
fn code(secret: &Secret, steps_ahead: i64) -> String {
    let step = app::two_factor::totp::step_at(app::state::now_ms()) + steps_ahead;
    format!("{:06}", secret.code_at(step))
}

/// A code no step near now makes.
fn wrong_code(secret: &Secret) -> String {
    let near: Vec<String> = (-2..=2).map(|ahead| code(secret, ahead)).collect();
    (0..)
        .map(|n: u32| format!("{:06}", (near[2].parse::<u32>().unwrap() + 1 + n) % 1_000_000))
        .find(|candidate| !near.contains(candidate))
        .unwrap()
}

async fn sign_in(app: &TestApp, email: &str) -> (reqwest::Client, SignInStep) {
    let client = new_client();
    let (status, body) = call_as(
        &client,
        &app.url,
        "auth/sign_in",
        &[("email", email), ("password", PASSWORD)],
    )
    .await;
    (client, ok(status, &body))
}

async fn signed_in(app: &TestApp, client: &reqwest::Client) -> bool {
    let (status, body) = call_as(client, &app.url, "auth/signed_in_user", &[]).await;
    assert!(status.is_success(), "{body}");
    body != "null"
}

async fn verify(app: &TestApp, client: &reqwest::Client, code: &str) -> (StatusCode, String) {
    call_as(client, &app.url, "two_factor/verify", &[("code", code)]).await
}

/// Sets two-factor up for whoever `client` is (signed in, or a sign-in that must set it up):
/// the secret and the recovery codes.
async fn enrol(app: &TestApp, client: &reqwest::Client) -> (Secret, Vec<String>) {
    let (status, body) = call_as(client, &app.url, "two_factor/begin", &[]).await;
    let enrolment: Enrolment = ok(status, &body);
    assert!(
        enrolment.uri.starts_with("otpauth://totp/Clientele:"),
        "{}",
        enrolment.uri
    );
    assert!(enrolment.qr_svg.starts_with("<svg"));
    let secret = Secret::from_typed(&enrolment.secret).expect("a base32 secret");
    let (status, body) = call_as(
        client,
        &app.url,
        "two_factor/enable",
        &[("code", &code(&secret, 0))],
    )
    .await;
    (secret, ok(status, &body))
}

async fn status(app: &TestApp, client: &reqwest::Client) -> TwoFactorState {
    let (status, body) = call_as(client, &app.url, "two_factor/status", &[]).await;
    ok(status, &body)
}

async fn logged(app: &TestApp, kind: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM security_events WHERE kind = $1")
        .bind(kind)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn setting_up_needs_a_right_first_code_and_keeps_the_secret_sealed(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let before = status(&app, &app.client).await;
    assert!(!before.enabled && before.available && !before.required);

    let (status_code, body) = app.call("two_factor/begin", &[]).await;
    let enrolment: Enrolment = ok(status_code, &body);
    let secret = Secret::from_typed(&enrolment.secret).unwrap();
    let (status_code, body) = app
        .call("two_factor/enable", &[("code", &wrong_code(&secret))])
        .await;
    assert_refused_at(status_code, &body, "code");
    assert!(
        !status(&app, &app.client).await.enabled,
        "a wrong first code turns nothing on"
    );

    let (status_code, body) = app
        .call("two_factor/enable", &[("code", &code(&secret, 0))])
        .await;
    let codes: Vec<String> = ok(status_code, &body);
    assert_eq!(codes.len(), 10);
    let after = status(&app, &app.client).await;
    assert!(after.enabled);
    assert_eq!(after.codes_left, 10);

    let stored: String = sqlx::query_scalar("SELECT totp_secret FROM staff_users WHERE email_key = $1")
        .bind(ADMIN)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let compact = enrolment.secret.replace(' ', "");
    let as_hex: String = secret.bytes().iter().map(|b| format!("{b:02x}")).collect();
    assert!(!stored.contains(&compact) && !stored.contains(&as_hex));
    let key = app::two_factor::sealing::SealingKey::from_hex(TEST_TWO_FACTOR_KEY).unwrap();
    let id = app.staff_id(ADMIN).await;
    assert_eq!(
        key.open(id, &stored).as_deref(),
        Some(secret.bytes()),
        "sealed for this user"
    );
    let hashes: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM staff_recovery_codes")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(hashes.len(), 10);
    assert!(
        codes.iter().all(|code| !hashes.contains(code)),
        "codes kept only hashed"
    );
    assert_eq!(logged(&app, "two_factor_enabled").await, 1);

    let (status_code, body) = app.call("two_factor/begin", &[]).await;
    assert!(
        error_of(status_code, &body).to_string().contains("on already"),
        "{body}"
    );
}
on_both_databases!(setting_up_needs_a_right_first_code_and_keeps_the_secret_sealed);

async fn a_sign_in_needs_a_code_and_each_code_works_once(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let (secret, codes) = enrol(&app, &app.client).await;

    let (client, step) = sign_in(&app, ADMIN).await;
    assert_eq!(step, SignInStep::Code);
    assert!(
        !signed_in(&app, &client).await,
        "the password alone is not a session"
    );
    let (status_code, body) = verify(&app, &client, "000000x").await;
    assert_refused_at(status_code, &body, "code");
    let fresh = code(&secret, 1);
    let (status_code, body) = verify(&app, &client, &fresh).await;
    assert!(status_code.is_success(), "{body}");
    assert!(signed_in(&app, &client).await);

    // The same code again, from another sign-in: spent.
    let (other, _) = sign_in(&app, ADMIN).await;
    let (status_code, body) = verify(&app, &other, &fresh).await;
    assert_refused_at(status_code, &body, "code");
    assert!(!signed_in(&app, &other).await);
    assert_eq!(logged(&app, "two_factor_failed").await, 2);

    // A recovery code sent twice at once from one sign-in: one session, not two.
    let (racer, _) = sign_in(&app, ADMIN).await;
    let (a, b) = tokio::join!(verify(&app, &racer, &codes[0]), verify(&app, &racer, &codes[0]));
    assert_eq!(
        [a.0, b.0].iter().filter(|s| s.is_success()).count(),
        1,
        "{a:?} {b:?}"
    );
}
on_both_databases!(a_sign_in_needs_a_code_and_each_code_works_once);

async fn recovery_codes_sign_in_once_each(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let (_, codes) = enrol(&app, &app.client).await;

    let (client, _) = sign_in(&app, ADMIN).await;
    let typed = codes[3].to_uppercase().replace('-', " ");
    let (status_code, body) = verify(&app, &client, &typed).await;
    assert!(status_code.is_success(), "{body}");
    assert!(signed_in(&app, &client).await);
    assert_eq!(status(&app, &client).await.codes_left, 9);
    assert_eq!(logged(&app, "recovery_code_used").await, 1);

    let (again, _) = sign_in(&app, ADMIN).await;
    let (status_code, body) = verify(&app, &again, &codes[3]).await;
    assert_refused_at(status_code, &body, "code");
    assert!(!signed_in(&app, &again).await);

    // New codes, given a code: the old ones stop working.
    let (status_code, body) = call_as(
        &client,
        &app.url,
        "two_factor/recovery_codes",
        &[("code", &codes[4])],
    )
    .await;
    let renewed: Vec<String> = ok(status_code, &body);
    assert_eq!(renewed.len(), 10);
    let (third, _) = sign_in(&app, ADMIN).await;
    let (status_code, body) = verify(&app, &third, &codes[5]).await;
    assert_refused_at(status_code, &body, "code");
    let (status_code, body) = verify(&app, &third, &renewed[0]).await;
    assert!(status_code.is_success(), "{body}");
}
on_both_databases!(recovery_codes_sign_in_once_each);

async fn wrong_codes_end_the_sign_in_and_then_lock_the_codes_for_a_while(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let (secret, codes) = enrol(&app, &app.client).await;
    let wrong = wrong_code(&secret);

    let (client, _) = sign_in(&app, ADMIN).await;
    for _ in 0..5 {
        let (status_code, body) = verify(&app, &client, &wrong).await;
        assert_refused_at(status_code, &body, "code");
    }
    let (status_code, body) = verify(&app, &client, &codes[0]).await;
    assert!(
        error_of(status_code, &body).to_string().contains("Sign in again"),
        "five wrong codes end the sign-in: {body}"
    );

    // Ten wrong codes across sign-ins: even a right code is not checked for 15 minutes.
    let (client, _) = sign_in(&app, ADMIN).await;
    for _ in 0..5 {
        verify(&app, &client, &wrong).await;
    }
    let (client, _) = sign_in(&app, ADMIN).await;
    let (status_code, body) = verify(&app, &client, &codes[0]).await;
    assert_eq!(status_code, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(!signed_in(&app, &client).await);
}
on_both_databases!(wrong_codes_end_the_sign_in_and_then_lock_the_codes_for_a_while);

async fn a_password_reset_still_asks_for_the_code(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    enrol(&app, &app.client).await;
    let token = app::auth::session::new_token();
    let now = app::state::now_ms();
    sqlx::query(
        "INSERT INTO staff_password_resets (token_hash, user_id, email_key, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(app::auth::session::hash_token(&token))
    .bind(app.staff_id(ADMIN).await)
    .bind(ADMIN)
    .bind(now)
    .bind(now + 60_000)
    .execute(&app.db.pool)
    .await
    .unwrap();

    let client = new_client();
    let (status_code, body) = call_as(
        &client,
        &app.url,
        "password_reset/set",
        &[
            ("who", "staff"),
            ("token", &token),
            ("password", "a brand new passphrase"),
            ("confirm", "a brand new passphrase"),
        ],
    )
    .await;
    let next: String = ok(status_code, &body);
    assert_eq!(next, "/login/two-factor?next=%2Fcustomers");
    assert!(
        !signed_in(&app, &client).await,
        "the email proves the password, not the phone"
    );
}
on_both_databases!(a_password_reset_still_asks_for_the_code);

async fn required_two_factor_signs_out_everyone_without_it_and_they_set_it_up_to_sign_in(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let staff = app.client_for_new_user(STAFF, "staff").await;

    let (status_code, body) = app.call("settings/two_factor/require", &[("on", "true")]).await;
    assert!(
        error_of(status_code, &body)
            .to_string()
            .contains("for yourself first"),
        "{body}"
    );
    let (status_code, _) = call_as(&staff, &app.url, "settings/two_factor/require", &[("on", "true")]).await;
    assert_eq!(status_code, StatusCode::FORBIDDEN);

    enrol(&app, &app.client).await;
    let (status_code, body) = app.call("settings/two_factor/require", &[("on", "true")]).await;
    assert!(status_code.is_success(), "{body}");
    assert!(
        signed_in(&app, &app.client).await,
        "the Admin who required it stays signed in"
    );
    assert!(
        !signed_in(&app, &staff).await,
        "everyone without it is signed out"
    );
    assert_eq!(logged(&app, "two_factor_required").await, 1);

    let (client, step) = sign_in(&app, STAFF).await;
    assert_eq!(step, SignInStep::Enrol);
    assert!(!signed_in(&app, &client).await);
    let (status_code, body) = verify(&app, &client, "123456").await;
    assert!(
        error_of(status_code, &body).to_string().contains("Set up"),
        "{body}"
    );
    let (_, codes) = enrol(&app, &client).await;
    assert_eq!(codes.len(), 10);
    assert!(
        signed_in(&app, &client).await,
        "setting it up finishes the sign-in"
    );

    // Required: it cannot be turned off, only reset by an Admin.
    let (status_code, body) = call_as(&client, &app.url, "two_factor/disable", &[("code", &codes[0])]).await;
    assert!(
        error_of(status_code, &body).to_string().contains("required"),
        "{body}"
    );
}
on_both_databases!(required_two_factor_signs_out_everyone_without_it_and_they_set_it_up_to_sign_in);

async fn an_admin_resets_a_users_two_factor_and_a_user_turns_theirs_off(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let staff = app.client_for_new_user(STAFF, "staff").await;
    let (secret, _) = enrol(&app, &staff).await;
    let staff_id = app.staff_id(STAFF).await.to_string();

    let (status_code, body) = app.call("settings/users/two_factor", &[]).await;
    let enabled: Vec<i64> = ok(status_code, &body);
    assert_eq!(enabled, vec![app.staff_id(STAFF).await]);
    let (status_code, _) = call_as(
        &staff,
        &app.url,
        "settings/users/two_factor_reset",
        &[("user_id", &staff_id)],
    )
    .await;
    assert_eq!(status_code, StatusCode::FORBIDDEN);

    let (status_code, body) = app
        .call("settings/users/two_factor_reset", &[("user_id", &staff_id)])
        .await;
    assert!(status_code.is_success(), "{body}");
    assert!(!signed_in(&app, &staff).await, "their sessions end");
    assert_eq!(app.count("SELECT COUNT(*) FROM staff_recovery_codes").await, 0);
    assert_eq!(logged(&app, "two_factor_reset").await, 1);
    let (staff, step) = sign_in(&app, STAFF).await;
    assert_eq!(step, SignInStep::Done, "not required: a password signs in again");

    // Turning it off takes a code.
    let (secret_again, _) = enrol(&app, &staff).await;
    assert_ne!(secret_again.bytes(), secret.bytes(), "a new secret each time");
    let (status_code, body) = call_as(&staff, &app.url, "two_factor/disable", &[("code", "111111")]).await;
    assert_refused_at(status_code, &body, "code");
    let (status_code, body) = call_as(
        &staff,
        &app.url,
        "two_factor/disable",
        &[("code", &code(&secret_again, 1))],
    )
    .await;
    assert!(status_code.is_success(), "{body}");
    assert!(!status(&app, &staff).await.enabled);
    assert_eq!(sign_in(&app, STAFF).await.1, SignInStep::Done);
}
on_both_databases!(an_admin_resets_a_users_two_factor_and_a_user_turns_theirs_off);

async fn two_factor_functions_refuse_oversized_codes(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let long = "1".repeat(41);
    for endpoint in [
        "two_factor/verify",
        "two_factor/enable",
        "two_factor/disable",
        "two_factor/recovery_codes",
    ] {
        let (status_code, body) = app.call(endpoint, &[("code", &long)]).await;
        assert_refused_at(status_code, &body, "code");
    }
    let (status_code, body) = app
        .call(
            "settings/users/two_factor_reset",
            &[("user_id", "99999999999999999999")],
        )
        .await;
    assert_eq!(status_code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}
on_both_databases!(two_factor_functions_refuse_oversized_codes);

/// Without `TWO_FACTOR_KEY`, a server on a database whose users sign in with two-factor would
/// shut them out: it does not start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_the_key_does_not_start_on_a_database_that_needs_it() {
    let app = TestApp::start(Engine::Sqlite).await;
    app.set_up_admin().await;
    let (mut before, url) = spawn_server(&app, None);
    wait_until_up(&url).await;
    before.kill().unwrap();
    before.wait().unwrap();

    enrol(&app, &app.client).await;
    let (mut server, _) = spawn_server(&app, None);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let exit = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "still running after 60 s");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(!exit.success(), "refused to start: {exit}");
}
