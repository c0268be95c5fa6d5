//! Passwords and sessions, on SQLite and PostgreSQL: "Forgot your password?" for staff and
//! contacts (a real SMTP conversation carries the link), changing a password, signing out
//! everywhere, and links and sessions that stop working when a contact's email changes.

use crate::common;

use app::auth::session::hash_token;
use app::password_reset::ResetLinkState;
use common::portal::assert_refused_at;
use common::sharing::*;
use common::*;
use reqwest::StatusCode;
use server::smtp_sink::{Behaviour, SmtpSink};
use std::time::Duration;

const NEW_PASSWORD: &str = "a brand new passphrase";

/// Whether `client` is signed in as staff.
async fn staff_signed_in(app: &TestApp, client: &reqwest::Client) -> bool {
    let (status, body) = call_as(client, &app.url, "auth/signed_in_user", &[]).await;
    assert!(status.is_success(), "{body}");
    body != "null"
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> (reqwest::Client, StatusCode) {
    let client = new_client();
    let (status, _) = call_as(
        &client,
        &app.url,
        "auth/sign_in",
        &[("email", email), ("password", password)],
    )
    .await;
    (client, status)
}

async fn check(app: &TestApp, who: &str, token: &str) -> ResetLinkState {
    let (status, body) = app
        .call("password_reset/check", &[("who", who), ("token", token)])
        .await;
    ok(status, &body)
}

async fn ask(client: &reqwest::Client, app: &TestApp, who: &str, email: &str) -> (StatusCode, String) {
    call_as(
        client,
        &app.url,
        "password_reset/ask",
        &[("who", who), ("email", email)],
    )
    .await
}

async fn reset(
    client: &reqwest::Client,
    app: &TestApp,
    who: &str,
    token: &str,
    confirm: &str,
) -> (StatusCode, String) {
    call_as(
        client,
        &app.url,
        "password_reset/set",
        &[
            ("who", who),
            ("token", token),
            ("password", NEW_PASSWORD),
            ("confirm", confirm),
        ],
    )
    .await
}

async fn staff_reset_sends_a_single_use_link_and_ends_every_session(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    let (elsewhere, status) = sign_in(&app, "ada@supplier.example", PASSWORD).await;
    assert!(status.is_success());

    // The same answer whether or not the address has an account; only the account's is mailed.
    let stranger = new_client();
    let known = ask(&stranger, &app, "staff", "ADA@supplier.example").await;
    let unknown = ask(&stranger, &app, "staff", "nobody@supplier.example").await;
    assert_eq!(known, unknown);
    assert!(known.0.is_success(), "{known:?}");
    let received = sink.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].to, ["ada@supplier.example"]);
    let link = link_in(&received[0]);
    assert!(link.starts_with(&format!("{}/login/reset/", app.url)), "{link}");
    let token = token_of(&link);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff_password_resets WHERE token_hash = $1")
        .bind(hash_token(&token))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 1, "only the token's hash is kept");
    assert_eq!(
        check(&app, "staff", &token).await,
        ResetLinkState::Valid {
            email: "ada@supplier.example".into()
        }
    );
    // The reset page opens without a session.
    let page = stranger
        .get(format!("{}/login/reset/{token}", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);

    // A mistyped confirmation changes nothing and leaves the link usable.
    let (status, body) = reset(&stranger, &app, "staff", &token, "something else entirely").await;
    assert_refused_at(status, &body, "confirm");
    assert!(staff_signed_in(&app, &app.client).await);

    let (status, body) = reset(&stranger, &app, "staff", &token, NEW_PASSWORD).await;
    assert!(status.is_success(), "{body}");
    assert_eq!(ok::<String>(status, &body), "/customers");
    assert!(
        staff_signed_in(&app, &stranger).await,
        "the browser that reset it is signed in"
    );
    assert!(
        !staff_signed_in(&app, &app.client).await,
        "every other session ended"
    );
    assert!(!staff_signed_in(&app, &elsewhere).await);
    assert_eq!(
        sign_in(&app, "ada@supplier.example", PASSWORD).await.1,
        StatusCode::CONFLICT
    );
    assert!(sign_in(&app, "ada@supplier.example", NEW_PASSWORD)
        .await
        .1
        .is_success());

    // Once only.
    let (status, body) = reset(&new_client(), &app, "staff", &token, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(check(&app, "staff", &token).await, ResetLinkState::Spent);
    assert_eq!(check(&app, "staff", "not-a-token").await, ResetLinkState::Unknown);
}

async fn a_reset_link_works_for_half_an_hour_and_for_its_address_only(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    let _sam = app.client_for_new_user("sam@supplier.example", "staff").await;
    for email in ["ada@supplier.example", "sam@supplier.example"] {
        let (status, body) = ask(&new_client(), &app, "staff", email).await;
        assert!(status.is_success(), "{body}");
    }
    let received = sink.wait_for(2, Duration::from_secs(20)).await;
    let token_to = |address: &str| {
        let message = received.iter().find(|m| m.to == [address]).expect("an email");
        token_of(&link_in(message))
    };
    let (ada, sam) = (token_to("ada@supplier.example"), token_to("sam@supplier.example"));

    sqlx::query("UPDATE staff_password_resets SET expires_at = $1 WHERE token_hash = $2")
        .bind(app::state::now_ms() - 1)
        .bind(hash_token(&ada))
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(check(&app, "staff", &ada).await, ResetLinkState::Spent);
    let (status, _) = reset(&new_client(), &app, "staff", &ada, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Sam's email changes: the link sent to the old address no longer resets anything.
    sqlx::query("UPDATE staff_users SET email = 'sam@elsewhere.example', email_key = 'sam@elsewhere.example' WHERE email_key = 'sam@supplier.example'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(check(&app, "staff", &sam).await, ResetLinkState::Spent);
    let (status, _) = reset(&new_client(), &app, "staff", &sam, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(sign_in(&app, "sam@elsewhere.example", PASSWORD)
        .await
        .1
        .is_success());
}

async fn asking_is_limited_per_account_and_per_address(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let stranger = new_client();
    // Asking again at once sends no second email.
    for _ in 0..2 {
        let (status, body) = ask(&stranger, &app, "staff", "ada@supplier.example").await;
        assert!(status.is_success(), "{body}");
    }
    let queued = app
        .count("SELECT COUNT(*) FROM outbox WHERE kind = 'password_reset'")
        .await;
    assert_eq!(queued, 1);
    // Ten asks an hour from one address, whatever the emails; then 429.
    for n in 2..10 {
        let (status, body) = ask(&stranger, &app, "contact", &format!("c{n}@customer.example")).await;
        assert!(status.is_success(), "{n}: {body}");
    }
    let (status, body) = ask(&stranger, &app, "contact", "c10@customer.example").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(body.contains("Too many requests from your network"), "{body}");
    // Bad input is refused at its field.
    let (status, body) = ask(&new_client(), &app, "staff", "not an email").await;
    assert_refused_at(status, &body, "email");
    let (status, body) = ask(&new_client(), &app, "martian", "ada@supplier.example").await;
    assert_refused_at(status, &body, "who");
}

async fn asks_sent_at_once_from_one_address_are_limited_too(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let app = &app;
    let asks = (0..14).map(|n| async move {
        let email = format!("c{n}@customer.example");
        ask(&new_client(), app, "contact", &email).await.0
    });
    let statuses = futures::future::join_all(asks).await;
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    let answered = statuses.iter().filter(|s| s.is_success()).count();
    assert_eq!((answered, refused), (10, 4), "{statuses:?}");
}

async fn a_contact_resets_their_password_and_every_session_ends(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    let customer = create(&app, "Coffee Uptown", "CU-1", "Portland").await;
    let contact = documents_contact(&app, customer, "Ana", "ana@coffee.example").await;
    let signed_in = common::portal::signed_in_contact(&app, contact, "ana@coffee.example").await;

    let (status, body) = ask(&new_client(), &app, "contact", "ana@coffee.example").await;
    assert!(status.is_success(), "{body}");
    let received = sink.wait_for(1, Duration::from_secs(20)).await;
    let link = link_in(&received[0]);
    assert!(link.starts_with(&format!("{}/shared/reset/", app.url)), "{link}");
    let browser = new_client();
    let (status, body) = reset(&browser, &app, "contact", &token_of(&link), NEW_PASSWORD).await;
    assert_eq!(ok::<String>(status, &body), "/shared");
    let me = |client: reqwest::Client| {
        let url = app.url.clone();
        async move { call_as(&client, &url, "shared/me", &[]).await.1 }
    };
    assert_ne!(me(browser.clone()).await, "null", "signed in by the reset");
    assert_eq!(me(signed_in).await, "null", "the earlier session ended");
    let (status, body) = reset(&new_client(), &app, "contact", &token_of(&link), NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

async fn a_contacts_links_and_sessions_stop_when_their_email_changes(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    let (_, _) = shared_haccp_plan(&app, "Coffee Uptown", "CU-1", "ana@coffee.example", "PA").await;
    let received = sink.wait_for(1, Duration::from_secs(20)).await;
    let token = token_of(&link_in(&received[0]));
    let contact: i64 = sqlx::query_scalar("SELECT id FROM contacts WHERE email_key = 'ana@coffee.example'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let signed_in = common::portal::signed_in_contact(&app, contact, "ana@coffee.example").await;
    let (status, body) = app.call("shared/link", &[("token", &token)]).await;
    assert!(matches!(
        ok(status, &body),
        app::retrieval::LinkState::Valid { .. }
    ));

    let (status, body) = app
        .call(
            "contacts/update",
            &[
                ("id", &contact.to_string()),
                ("version", "1"),
                ("contact[first_name]", "Ana"),
                ("contact[last_name]", "Contact"),
                ("contact[email]", "ana@new-employer.example"),
                ("contact[phone]", ""),
                ("contact[job_title]", ""),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app.call("shared/link", &[("token", &token)]).await;
    assert_eq!(
        ok::<app::retrieval::LinkState>(status, &body),
        app::retrieval::LinkState::Unknown
    );
    let (status, body) = call_as(&signed_in, &app.url, "shared/me", &[]).await;
    assert!(status.is_success());
    assert_eq!(body, "null", "the session begun under the old address ended");
}

async fn changing_a_password_or_signing_out_everywhere_ends_the_other_sessions(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let (elsewhere, _) = sign_in(&app, "ada@supplier.example", PASSWORD).await;
    let change = |current: &'static str| {
        [
            ("current", current),
            ("password", NEW_PASSWORD),
            ("confirm", NEW_PASSWORD),
        ]
    };
    let (status, body) = app.call("account/password", &change("a wrong password")).await;
    assert_refused_at(status, &body, "current");
    assert!(
        staff_signed_in(&app, &elsewhere).await,
        "a refused change ends nothing"
    );

    let (status, body) = app.call("account/password", &change(PASSWORD)).await;
    assert!(status.is_success(), "{body}");
    assert!(
        staff_signed_in(&app, &app.client).await,
        "this browser stays signed in"
    );
    assert!(
        !staff_signed_in(&app, &elsewhere).await,
        "the other browser is signed out"
    );
    assert!(sign_in(&app, "ada@supplier.example", NEW_PASSWORD)
        .await
        .1
        .is_success());

    let (other, _) = sign_in(&app, "ada@supplier.example", NEW_PASSWORD).await;
    let (status, body) = app.call("account/sign_out_everywhere", &[]).await;
    assert!(status.is_success(), "{body}");
    assert!(!staff_signed_in(&app, &app.client).await);
    assert!(!staff_signed_in(&app, &other).await);
    let (status, _) = call_as(&new_client(), &app.url, "account/sign_out_everywhere", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

on_both_databases!(
    staff_reset_sends_a_single_use_link_and_ends_every_session,
    a_reset_link_works_for_half_an_hour_and_for_its_address_only,
    asking_is_limited_per_account_and_per_address,
    asks_sent_at_once_from_one_address_are_limited_too,
    a_contact_resets_their_password_and_every_session_ends,
    a_contacts_links_and_sessions_stop_when_their_email_changes,
    changing_a_password_or_signing_out_everywhere_ends_the_other_sessions,
);
