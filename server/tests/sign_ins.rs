//! Sign-ins under attack: a flood of password checks is bounded, guessed passwords are slowed down
//! without locking out the person they target, and changes to who is Admin take turns.

use crate::common;
use common::*;
use reqwest::StatusCode;
use std::time::{Duration, Instant};

/// The server's peak memory so far, in MB (`VmHWM`).
fn peak_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM")).unwrap();
    let kb: f64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb / 1024.0
}

/// Each password check holds argon2's 19 MiB: 200 sign-ins at once, unbounded, took a server
/// from 67 MB to 3.8 GB. A few are checked at once, a few dozen wait, the rest are told to try
/// again (429), and the server stays small and answers its other requests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_sign_ins_is_checked_a_few_at_a_time_in_bounded_memory() {
    let app = TestApp::start(Engine::Sqlite).await;
    app.set_up_admin().await;
    let (mut server, url) = spawn_server(&app, None);
    wait_until_up(&url).await;
    let client = reqwest::Client::new();
    let attempts: Vec<_> = (0..200)
        .map(|i| {
            let (client, url) = (client.clone(), url.clone());
            tokio::spawn(async move {
                client
                    .post(format!("{url}/api/auth/sign_in"))
                    .header("Accept", "application/json")
                    .form(&[
                        ("email", format!("stranger{i}@elsewhere.example")),
                        ("password", "not anyone's password".to_string()),
                    ])
                    .send()
                    .await
                    .map(|r| r.status())
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let asked = Instant::now();
    let health = client
        .get(format!("{url}/healthz"))
        .send()
        .await
        .unwrap()
        .status();
    let health_took = asked.elapsed();
    let mut statuses = Vec::new();
    for attempt in attempts {
        statuses.push(attempt.await.unwrap().unwrap());
    }
    let peak = peak_mb(server.id());
    server.kill().unwrap();
    server.wait().unwrap();

    assert_eq!(health, StatusCode::OK);
    assert!(
        health_took < Duration::from_secs(2),
        "/healthz took {health_took:?}"
    );
    let refused_wrong = statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count();
    let busy = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(
        refused_wrong + busy,
        200,
        "every attempt is refused as wrong, or told to try again: {statuses:?}"
    );
    assert!(
        refused_wrong >= 2 && busy >= 1,
        "{refused_wrong} checked, {busy} told to wait"
    );
    assert!(peak < 300.0, "the server peaked at {peak:.0} MB");
}

async fn sign_in(
    client: &reqwest::Client,
    app: &TestApp,
    email: &str,
    password: &str,
) -> (StatusCode, String) {
    call_as(
        client,
        &app.url,
        "auth/sign_in",
        &[("email", email), ("password", password)],
    )
    .await
}

/// Thirty guesses at the Admin's email from a stranger slowed down every sign-in to it for 15
/// minutes, the Admin's own included. Now the browser the Admin signed in with before is counted
/// apart; browsers new to the email stay slowed down.
async fn a_strangers_guesses_do_not_lock_the_admin_out_of_their_usual_browser(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let usual = new_client();
    let first = usual
        .post(format!("{}/api/auth/sign_in", app.url))
        .header("Accept", "application/json")
        .form(&[("email", "ada@supplier.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(first.status().is_success());
    let device = cookie_set(&first, "clientele_device").expect("the browser is given a device token");
    assert!(
        device.contains("HttpOnly") && device.contains("SameSite=Lax"),
        "{device}"
    );
    let token = device["clientele_device=".len()..].split(';').next().unwrap();
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM known_devices")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored.len(), 64);
    assert_ne!(stored, token, "the database keeps the token's hash only");

    let stranger = new_client();
    let mut last = String::new();
    for _ in 0..30 {
        let (status, body) = sign_in(&stranger, &app, "ADA@supplier.example", "a guess at it").await;
        last = error_of(status, &body).to_string();
    }
    assert!(
        last.starts_with("Too many failed sign-ins for this email. Try again in"),
        "{last}"
    );
    let (status, body) = sign_in(&stranger, &app, "ada@supplier.example", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let (status, _) = sign_in(&new_client(), &app, "ada@supplier.example", PASSWORD).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "a browser new to the email still waits"
    );

    let (status, body) = sign_in(&usual, &app, "ada@supplier.example", PASSWORD).await;
    assert!(status.is_success(), "the Admin's usual browser signs in: {body}");
    // The stranger's failures still count against strangers.
    let (status, _) = sign_in(&stranger, &app, "ada@supplier.example", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

/// One address guessing a password for one email after another is slowed down as a whole, while
/// a browser that signed in to its email before still signs in from there.
async fn one_address_guessing_across_many_emails_is_slowed_down(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let usual = new_client();
    let (status, _) = sign_in(&usual, &app, "ada@supplier.example", PASSWORD).await;
    assert!(status.is_success());
    let stranger = new_client();
    for i in 0..30 {
        let email = format!("someone{i}@supplier.example");
        let (status, body) = sign_in(&stranger, &app, &email, "a guess at it").await;
        assert_eq!(status, StatusCode::CONFLICT, "{i}: {body}");
    }
    let (status, body) = sign_in(&stranger, &app, "someone.else@supplier.example", "a guess").await;
    let message = error_of(status, &body).to_string();
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        message.starts_with("Too many failed sign-ins from your network. Try again in"),
        "{message}"
    );
    let (status, body) = sign_in(&usual, &app, "ada@supplier.example", PASSWORD).await;
    assert!(status.is_success(), "{body}");
}

/// On PostgreSQL two first-run setups at once could both succeed: two first Admins. Each round,
/// two setups race; exactly one makes an Admin, the other is told Clientele is set up.
async fn two_first_run_setups_at_once_make_one_admin(engine: Engine) {
    for round in 0..3 {
        let app = TestApp::start(engine).await;
        let setup = |email: &'static str| {
            let (client, url) = (new_client(), app.url.clone());
            async move {
                call_as(
                    &client,
                    &url,
                    "auth/setup",
                    &[("name", "Ada Admin"), ("email", email), ("password", PASSWORD)],
                )
                .await
            }
        };
        let (first, second) = tokio::join!(setup("ada@supplier.example"), setup("bob@supplier.example"));
        let made: Vec<_> = [&first, &second]
            .into_iter()
            .filter(|(s, _)| s.is_success())
            .collect();
        assert_eq!(made.len(), 1, "round {round}: {first:?} {second:?}");
        let refused = if first.0.is_success() { &second } else { &first };
        assert_eq!(
            error_of(refused.0, &refused.1).to_string(),
            "Clientele is already set up. Sign in instead."
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM staff_users").await, 1);
    }
}

/// Two Admins demoting each other at once each saw the other still Admin, and left none. Each
/// round, both try; one is refused, and an Admin remains.
async fn two_admins_demoting_each_other_at_once_leave_one(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let bob = app.client_for_new_user("bob@supplier.example", "admin").await;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM staff_users ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    let (ada_id, bob_id) = (ids[0].to_string(), ids[1].to_string());
    let demote_bob = [("user_id", bob_id.as_str()), ("role", "staff")];
    let demote_ada = [("user_id", ada_id.as_str()), ("role", "staff")];
    for round in 0..5 {
        let (ada_demotes, bob_demotes) = tokio::join!(
            app.call("settings/users/role", &demote_bob),
            call_as(&bob, &app.url, "settings/users/role", &demote_ada),
        );
        let admins = app
            .count("SELECT COUNT(*) FROM staff_users WHERE role = 'admin'")
            .await;
        assert_eq!(admins, 1, "round {round}: {ada_demotes:?} {bob_demotes:?}");
        // Whoever is still Admin makes the other Admin again for the next round.
        let (status, body) = if ada_demotes.0.is_success() {
            app.call("settings/users/role", &[("user_id", &bob_id), ("role", "admin")])
                .await
        } else {
            call_as(
                &bob,
                &app.url,
                "settings/users/role",
                &[("user_id", &ada_id), ("role", "admin")],
            )
            .await
        };
        assert!(status.is_success(), "{body}");
    }
}

on_both_databases!(
    a_strangers_guesses_do_not_lock_the_admin_out_of_their_usual_browser,
    one_address_guessing_across_many_emails_is_slowed_down,
    two_first_run_setups_at_once_make_one_admin,
    two_admins_demoting_each_other_at_once_leave_one,
);
