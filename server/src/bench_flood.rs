//! `server bench-flood`: thousands of sign-in attempts at once against a server of its own, and
//! how the server holds up meanwhile: the answers by status, its peak memory, and how fast
//! `/healthz` answers through the flood (goals: under 300 MB, /healthz within 100 ms).

use crate::bench::percentile;
use crate::bench_server::BenchServer;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct Options {
    /// Sign-in attempts sent at once, each with an email that has no account.
    #[arg(long, default_value_t = 2000)]
    pub attempts: usize,
}

pub async fn run(options: Options) -> Result<(), String> {
    let server = BenchServer::start("bench-flood", None).await?;
    let before_mb = server.memory_mb("VmRSS")?;
    let flooding = Arc::new(AtomicBool::new(true));
    // Timed from a thread and runtime of its own, so the flood's thousands of tasks here do not
    // delay the timer.
    let health = {
        let (url, flooding) = (server.url.clone(), flooding.clone());
        std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?
                .block_on(time_health(url, flooding))
        })
    };

    let started = Instant::now();
    let attempts: Vec<_> = (0..options.attempts)
        .map(|i| {
            let url = format!("{}/api/auth/sign_in", server.url);
            tokio::spawn(async move {
                // A client each: a connection each, as from as many browsers.
                let client = reqwest::Client::new();
                let email = format!("nobody{i}@flood.example");
                let sent = client
                    .post(url)
                    .form(&[("email", email.as_str()), ("password", "not the password")])
                    .send()
                    .await;
                match sent {
                    Ok(response) => response.status().as_u16().to_string(),
                    Err(e) if e.is_connect() => "not connected".to_string(),
                    Err(_) => "failed".to_string(),
                }
            })
        })
        .collect();
    let mut answers = BTreeMap::<String, usize>::new();
    for attempt in attempts {
        let answer = attempt.await.map_err(|e| e.to_string())?;
        *answers.entry(answer).or_default() += 1;
    }
    let took = started.elapsed();
    flooding.store(false, Ordering::SeqCst);
    let health = health
        .join()
        .map_err(|_| "the /healthz timer failed".to_string())??;
    let peak_mb = server.memory_mb("VmHWM")?;

    println!("{} sign-in attempts at once, unknown emails:", options.attempts);
    let answers: Vec<String> = answers.iter().map(|(s, n)| format!("{n} × {s}")).collect();
    println!(
        "  answers:  {} in {:.1} s",
        answers.join(", "),
        took.as_secs_f64()
    );
    println!("  memory:   {before_mb:.0} MB before, {peak_mb:.0} MB at peak (goal < 300 MB)");
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "  /healthz: {} answers during the flood: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms (goal ≤ 100 ms)",
        health.len(),
        ms(percentile(&health, 50)),
        ms(percentile(&health, 95)),
        ms(percentile(&health, 100)),
    );
    Ok(())
}

/// Asks `/healthz` every 20 ms while `flooding`, timing each answer.
async fn time_health(url: String, flooding: Arc<AtomicBool>) -> Result<Vec<Duration>, String> {
    let client = reqwest::Client::new();
    let mut times = Vec::new();
    while flooding.load(Ordering::SeqCst) {
        let started = Instant::now();
        let response = client
            .get(format!("{url}/healthz"))
            .send()
            .await
            .map_err(|e| format!("/healthz: {e}"))?;
        if !response.status().is_success() {
            return Err(format!("/healthz answered {}", response.status()));
        }
        times.push(started.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(times)
}
