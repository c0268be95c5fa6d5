//! `server bench-pages`: every page a person opens and every server function behind a list or a
//! search, over HTTP, signed in, with concurrent clients, against the seeded volume (see
//! `seed_volume`) at several scales, on SQLite and PostgreSQL. Prints p50/p95 per page and scale
//! side by side, the server's memory, and the customers list's p95 while heavy searches run
//! beside it.
//!
//! The seeded databases are kept (SQLite files under `--data`, PostgreSQL databases named
//! `clientele_bench_<scale>`) and made again only when the seed changes, so a second run starts
//! at once.

use crate::bench_pages_list::{pages, Client, Page, Target};
use crate::bench_server::BenchServer;
use crate::seed_volume::{self, BIG_ACCOUNTS_KEY, PORTAL_EMAIL, PORTAL_PASSWORD};
use app::state::Db;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct Options {
    /// Scales of the seeded volume to compare; 1 is 100,000 customers, 300,000 contacts, ….
    #[arg(long, value_delimiter = ',', default_value = "0.1,1")]
    pub scales: Vec<f64>,
    /// Also run on PostgreSQL: the server's URL (a database per scale is made there).
    #[arg(long)]
    pub postgres: Option<String>,
    /// Leave SQLite out (with --postgres).
    #[arg(long)]
    pub no_sqlite: bool,
    /// Clients sending requests at the same time.
    #[arg(long, default_value_t = 16)]
    pub clients: usize,
    /// Requests per page.
    #[arg(long, default_value_t = 160)]
    pub requests: usize,
    /// Only the pages whose name holds this.
    #[arg(long)]
    pub only: Option<String>,
    /// Where the seeded SQLite databases are kept between runs.
    #[arg(long, default_value = "target/bench-pages")]
    pub data: PathBuf,
}

/// Raised whenever the seed makes different data, so kept databases are made again.
const SEED_VERSION: &str = "5";
const SEED_VERSION_KEY: &str = "seed_version";

/// One database at one scale, measured.
struct Run {
    label: String,
    times: Vec<Option<Times>>,
    memory: String,
    isolation: String,
}

#[derive(Clone, Copy)]
struct Times {
    p50: Duration,
    p95: Duration,
}

pub async fn run(options: Options) -> Result<(), String> {
    std::fs::create_dir_all(&options.data).map_err(|e| e.to_string())?;
    let mut databases: Vec<(String, f64, String)> = Vec::new();
    for &scale in &options.scales {
        if !(scale > 0.0 && scale <= 10.0) {
            return Err(format!("a scale is above 0 and at most 10, not {scale}"));
        }
        if !options.no_sqlite {
            let file = options.data.join(format!("scale-{}.db", scale_tag(scale)));
            databases.push((
                format!("SQLite {}%", scale * 100.0),
                scale,
                format!("sqlite://{}", file.display()),
            ));
        }
        if let Some(server) = &options.postgres {
            let url = postgres_database(server, &format!("clientele_bench_{}", scale_tag(scale)))?;
            databases.push((format!("PostgreSQL {}%", scale * 100.0), scale, url));
        }
    }
    let mut names: Vec<String> = Vec::new();
    let mut runs: Vec<Run> = Vec::new();
    for (label, scale, url) in &databases {
        prepare(url, options.postgres.as_deref(), *scale).await?;
        let run = measure(label, url, &options, &mut names).await?;
        runs.push(run);
    }
    print_table(&names, &runs, &options);
    Ok(())
}

fn scale_tag(scale: f64) -> String {
    format!("{:04}", (scale * 1000.0).round() as i64)
}

/// The URL of database `name` on the PostgreSQL server of `url`.
fn postgres_database(url: &str, name: &str) -> Result<String, String> {
    let (server, _) = url
        .rsplit_once('/')
        .ok_or_else(|| format!("not a PostgreSQL URL: {url}"))?;
    Ok(format!("{server}/{name}"))
}

/// Makes the database and seeds it, unless it holds this seed already.
async fn prepare(url: &str, postgres: Option<&str>, scale: f64) -> Result<(), String> {
    if seeded(url).await {
        return Ok(());
    }
    if let Some(file) = url.strip_prefix("sqlite://") {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{file}{suffix}"));
        }
    } else if let Some(server) = postgres {
        let name = url.rsplit('/').next().unwrap_or_default();
        let admin = sqlx::PgPool::connect(server).await.map_err(|e| e.to_string())?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&admin)
        .await
        .map_err(|e| e.to_string())?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await
            .map_err(|e| e.to_string())?;
    }
    println!("seeding {url} at scale {scale} …");
    let started = Instant::now();
    let db = Db::connect(url).await.map_err(|e| e.to_string())?;
    let volume = seed_volume::run(&db, scale).await?;
    sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
        .bind(SEED_VERSION_KEY)
        .bind(SEED_VERSION)
        .execute(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "  seeded {} customers, {} contacts, {} orders, {} Activity rows, {} emails in {:.1} s",
        volume.customers,
        volume.contacts,
        volume.orders,
        volume.activity,
        volume.emails,
        started.elapsed().as_secs_f64()
    );
    db.pool.close().await;
    Ok(())
}

async fn seeded(url: &str) -> bool {
    if let Some(file) = url.strip_prefix("sqlite://") {
        if !Path::new(file).exists() {
            return false;
        }
    }
    let Ok(db) = Db::connect(url).await else {
        return false;
    };
    let version: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(SEED_VERSION_KEY)
        .fetch_optional(&db.pool)
        .await
        .ok()
        .flatten();
    db.pool.close().await;
    version.as_deref() == Some(SEED_VERSION)
}

async fn measure(
    label: &str,
    database_url: &str,
    options: &Options,
    names: &mut Vec<String>,
) -> Result<Run, String> {
    let served = BenchServer::start("bench-pages", Some(database_url)).await?;
    let staff = served.client.clone();
    let portal = served
        .client_signed_in("shared/sign_in", PORTAL_EMAIL, PORTAL_PASSWORD)
        .await?;
    let db = Db::connect(database_url).await.map_err(|e| e.to_string())?;
    let big: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(BIG_ACCOUNTS_KEY)
        .fetch_one(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
    let big: i64 = big
        .split(',')
        .next()
        .and_then(|id| id.parse().ok())
        .ok_or("no big account recorded")?;
    let all = pages(&db, big).await.map_err(|e| e.to_string())?;
    db.pool.close().await;
    println!(
        "{label}: {} pages, {} requests each, {} clients ({})",
        all.len(),
        options.requests,
        options.clients,
        served.url
    );
    let mut times = Vec::new();
    for page in &all {
        if !names.contains(&page.name) {
            names.push(page.name.clone());
        }
    }
    let mut by_name = vec![None; names.len()];
    for page in &all {
        if let Some(only) = &options.only {
            if !page.name.contains(only.as_str()) {
                continue;
            }
        }
        let client = match page.client {
            Client::Staff => &staff,
            Client::Portal => &portal,
        };
        let measured = load(client, &served.url, page, options.clients, options.requests).await?;
        let at = names.iter().position(|n| *n == page.name).unwrap_or_default();
        by_name[at] = Some(measured);
        times.push(measured);
    }
    let memory = format!(
        "server memory: {:.0} MB now (VmRSS), peak {:.0} MB (VmHWM)",
        served.memory_mb("VmRSS")?,
        served.memory_mb("VmHWM")?
    );
    let isolation = isolation(&staff, &served.url, &all, options).await?;
    Ok(Run {
        label: label.to_string(),
        times: by_name,
        memory,
        isolation,
    })
}

/// What Chromium asks for: the server compresses what it sends as it would for a browser.
const BROWSER_ENCODINGS: &str = "gzip, deflate, br, zstd";

/// Sends one request for `page`; an error unless it succeeds. The body is read as it comes,
/// compressed: the server's work is measured, not the client's.
async fn request(client: &reqwest::Client, base: &str, page: &Page) -> Result<(), String> {
    let request = match &page.target {
        Target::Get(path) => client.get(format!("{base}{path}")),
        Target::Form(endpoint, form) => client
            .post(format!("{base}/api/{endpoint}"))
            .header("Accept", "application/json")
            .form(form),
        Target::Json(endpoint, body) => client
            .post(format!("{base}/api/{endpoint}"))
            .header("Accept", "application/json")
            .json(body),
    };
    let response = request
        .header("Accept-Encoding", BROWSER_ENCODINGS)
        .send()
        .await
        .map_err(|e| format!("{}: {e}", page.name))?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("{}: {e}", page.name))?;
    if !status.is_success() {
        return Err(format!(
            "{}: {status} {}",
            page.name,
            String::from_utf8_lossy(&body[..body.len().min(300)])
        ));
    }
    Ok(())
}

/// `requests` requests of `page` from `clients` clients at once, after one to warm up.
async fn load(
    client: &reqwest::Client,
    base: &str,
    page: &Page,
    clients: usize,
    requests: usize,
) -> Result<Times, String> {
    request(client, base, page).await?;
    let mut all = run_clients(client, base, page, clients, requests).await?;
    all.sort();
    Ok(Times {
        p50: percentile(&all, 50),
        p95: percentile(&all, 95),
    })
}

async fn run_clients(
    client: &reqwest::Client,
    base: &str,
    page: &Page,
    clients: usize,
    requests: usize,
) -> Result<Vec<Duration>, String> {
    let per_client = requests.div_ceil(clients.max(1));
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (client, base, page) = (client.clone(), base.to_string(), page.clone());
            tokio::spawn(async move {
                let mut times = Vec::with_capacity(per_client);
                for _ in 0..per_client {
                    let started = Instant::now();
                    request(&client, &base, &page).await?;
                    times.push(started.elapsed());
                }
                Ok::<_, String>(times)
            })
        })
        .collect();
    let mut all = Vec::with_capacity(requests);
    for task in tasks {
        all.extend(task.await.map_err(|e| e.to_string())??);
    }
    Ok(all)
}

/// The customers list's p95 alone, and while half the clients run the heaviest contact
/// searches beside it.
async fn isolation(
    staff: &reqwest::Client,
    base: &str,
    all: &[Page],
    options: &Options,
) -> Result<String, String> {
    let find = |name: &str| all.iter().find(|p| p.name == name).cloned();
    let (Some(list), Some(heavy)) = (
        find("Customers: first page"),
        find("Contacts: search part of an email"),
    ) else {
        return Ok(String::new());
    };
    let half = (options.clients / 2).max(1);
    let mut alone = run_clients(staff, base, &list, half, options.requests).await?;
    alone.sort();
    let background = {
        let (staff, base, heavy) = (staff.clone(), base.to_string(), heavy.clone());
        let requests = options.requests * 2;
        tokio::spawn(async move { run_clients(&staff, &base, &heavy, half, requests).await })
    };
    let mut beside = run_clients(staff, base, &list, half, options.requests).await?;
    beside.sort();
    background.await.map_err(|e| e.to_string())??;
    Ok(format!(
        "customers list p95 with {half} clients: {} alone, {} with {half} more running '{}'",
        ms(percentile(&alone, 95)),
        ms(percentile(&beside, 95)),
        heavy.name
    ))
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) * p).div_ceil(100)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn print_table(names: &[String], runs: &[Run], options: &Options) {
    println!();
    println!(
        "p50 / p95 in ms over HTTP, {} clients, {} requests per page",
        options.clients, options.requests
    );
    print!("{:<52}", "page");
    for run in runs {
        print!(" | {:>17}", run.label);
    }
    println!();
    for (i, name) in names.iter().enumerate() {
        if runs.iter().all(|r| r.times.get(i).copied().flatten().is_none()) {
            continue;
        }
        print!("{name:<52}");
        for run in runs {
            match run.times.get(i).copied().flatten() {
                Some(t) => print!(
                    " | {:>7.1} / {:>7.1}",
                    t.p50.as_secs_f64() * 1000.0,
                    t.p95.as_secs_f64() * 1000.0
                ),
                None => print!(" | {:>17}", "—"),
            }
        }
        println!();
    }
    println!();
    for run in runs {
        println!("{}: {}", run.label, run.memory);
        if !run.isolation.is_empty() {
            println!("{}: {}", run.label, run.isolation);
        }
    }
}
