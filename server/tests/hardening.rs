//! What a stranger can send does not take the server down: floods of costly requests are bounded.

use crate::common::{spawn_server, wait_until_up, Engine, TestApp};
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
