//! `clientele bench`: customer-search latency over HTTP with concurrent clients, against a running
//! server, then the same searches run directly on the database, one at a time.

use crate::config::Config;
use app::customers::{ListQuery, SortKey, StatusFilter};
use app::state::Db;
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct Options {
    /// The running server.
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    pub url: String,
    /// A staff user to sign in as.
    #[arg(long, env = "BENCH_EMAIL")]
    pub email: String,
    #[arg(long, env = "BENCH_PASSWORD", hide_env_values = true)]
    pub password: String,
    /// Clients sending requests at the same time.
    #[arg(long, default_value_t = 16)]
    pub clients: usize,
    /// Requests per search.
    #[arg(long, default_value_t = 400)]
    pub requests: usize,
}

/// The searches measured: common and rare words, an account number, a city, deep pages, filters.
fn searches() -> Vec<(&'static str, ListQuery)> {
    let q = |q: &str| ListQuery {
        q: q.into(),
        ..ListQuery::default()
    };
    vec![
        ("first page, by name", ListQuery::default()),
        (
            "last page, by name",
            ListQuery {
                last: true,
                ..ListQuery::default()
            },
        ),
        (
            "newest first",
            ListQuery {
                sort: SortKey::NewestFirst,
                ..ListQuery::default()
            },
        ),
        (
            "inactive only",
            ListQuery {
                status: StatusFilter::Inactive,
                ..ListQuery::default()
            },
        ),
        ("word 'coffee'", q("coffee")),
        ("city 'portland'", q("portland")),
        ("two words 'golden bakery'", q("golden bakery")),
        ("account 'acc-0421'", q("acc-0421")),
        ("exact account 'ACC-042137'", q("ACC-042137")),
        ("no match 'zzqx'", q("zzqx")),
        ("short 'ba'", q("ba")),
    ]
}

pub async fn run(config: &Config, options: Options) -> Result<(), String> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .map_err(|e| e.to_string())?;
    let signed_in = client
        .post(format!("{}/api/auth/sign_in", options.url))
        .form(&[
            ("email", options.email.as_str()),
            ("password", options.password.as_str()),
        ])
        .send()
        .await
        .map_err(|e| format!("cannot reach {}: {e}", options.url))?;
    if !signed_in.status().is_success() {
        return Err(format!(
            "sign-in refused: {}",
            signed_in.text().await.unwrap_or_default()
        ));
    }
    let db = Db::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let customers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE deleted_at IS NULL")
        .fetch_one(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "Customer search on {} with {customers} customers: {} requests per search, {} concurrent clients",
        db.backend.name(),
        options.requests,
        options.clients
    );
    println!(
        "{:<30} {:>9} {:>9} {:>9} | {:>9} {:>9}",
        "search", "http p50", "http p95", "http max", "db p50", "db p95"
    );
    let mut all_http = Vec::new();
    for (label, query) in searches() {
        let http = over_http(&client, &options, &query).await?;
        let mut direct = Vec::new();
        for _ in 0..options.requests.min(200) {
            let started = Instant::now();
            app::customers::db::list_page(&db, &query)
                .await
                .map_err(|e| e.to_string())?;
            direct.push(started.elapsed());
        }
        println!(
            "{label:<30} {:>9} {:>9} {:>9} | {:>9} {:>9}",
            ms(percentile(&http, 50)),
            ms(percentile(&http, 95)),
            ms(percentile(&http, 100)),
            ms(percentile(&direct, 50)),
            ms(percentile(&direct, 95))
        );
        all_http.extend(http);
    }
    println!(
        "{:<30} {:>9} {:>9} {:>9}",
        "all searches",
        ms(percentile(&all_http, 50)),
        ms(percentile(&all_http, 95)),
        ms(percentile(&all_http, 100))
    );
    Ok(())
}

async fn over_http(
    client: &reqwest::Client,
    options: &Options,
    query: &ListQuery,
) -> Result<Vec<Duration>, String> {
    let url = format!("{}/api/customers/list", options.url);
    let body = serde_json::json!({ "query": query });
    let per_client = options.requests.div_ceil(options.clients);
    let tasks: Vec<_> = (0..options.clients)
        .map(|_| {
            let (client, url, body) = (client.clone(), url.clone(), body.clone());
            tokio::spawn(async move {
                let mut times = Vec::with_capacity(per_client);
                for _ in 0..per_client {
                    let started = Instant::now();
                    let response = client
                        .post(&url)
                        .json(&body)
                        .send()
                        .await
                        .map_err(|e| e.to_string())?;
                    let status = response.status();
                    response.bytes().await.map_err(|e| e.to_string())?;
                    if !status.is_success() {
                        return Err(format!("search answered {status}"));
                    }
                    times.push(started.elapsed());
                }
                Ok::<_, String>(times)
            })
        })
        .collect();
    let mut times = Vec::new();
    for task in tasks {
        times.extend(task.await.map_err(|e| e.to_string())??);
    }
    Ok(times)
}

pub fn percentile(times: &[Duration], p: usize) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p * sorted.len()).div_ceil(100).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let times: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&times, 50), Duration::from_millis(50));
        assert_eq!(percentile(&times, 95), Duration::from_millis(95));
        assert_eq!(percentile(&times, 100), Duration::from_millis(100));
        assert_eq!(percentile(&[], 95), Duration::ZERO);
    }
}
