//! `server bench-load`: many clients at once for a while, over a mix of pages and writes, against
//! a server of its own (SQLite, or PostgreSQL with `--postgres`): requests per second, latency
//! percentiles and errors, for the whole mix and each kind of request. Goal on SQLite: no errors,
//! no 5xx, p99 ≤ 100 ms with 64 connections.

use crate::bench::percentile;
use crate::bench_server::BenchServer;
use app::customers::ListQuery;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct Options {
    /// Clients sending requests at once, each waiting for its answer before the next.
    #[arg(long, default_value_t = 64)]
    pub connections: usize,
    /// How long, in seconds.
    #[arg(long, default_value_t = 60)]
    pub seconds: u64,
    /// Customers made before the run (the run adds more).
    #[arg(long, default_value_t = 2000)]
    pub customers: usize,
    /// A PostgreSQL database to run on instead of SQLite (best a new, empty one).
    #[arg(long)]
    pub postgres: Option<String>,
}

/// What the clients ask, in turn: pages and searches, and one write in four.
const MIX: [Kind; 12] = [
    Kind::CustomersPage,
    Kind::Search,
    Kind::CustomerPage,
    Kind::Save,
    Kind::ContactsSearch,
    Kind::Search,
    Kind::CustomerPage,
    Kind::Note,
    Kind::CustomersPage,
    Kind::Search,
    Kind::Upload,
    Kind::CustomerPage,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    CustomersPage,
    Search,
    CustomerPage,
    ContactsSearch,
    Save,
    Note,
    Upload,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::CustomersPage => "page  /customers",
            Kind::Search => "search customers/list",
            Kind::CustomerPage => "page  /customers/{id}",
            Kind::ContactsSearch => "search contacts/search",
            Kind::Save => "write customers/create",
            Kind::Note => "write notes/add",
            Kind::Upload => "write upload a 20 KB PDF",
        }
    }
}

const WORDS: [&str; 6] = ["coffee", "bakery", "portland", "market", "LD-1", "zzz"];

pub async fn run(options: Options) -> Result<(), String> {
    let server = BenchServer::start("bench-load", options.postgres.as_deref()).await?;
    let started = Instant::now();
    for n in 0..options.customers {
        create_customer(&server, n).await?;
    }
    println!(
        "{} customers made in {:.1} s; {} clients for {} s…",
        options.customers,
        started.elapsed().as_secs_f64(),
        options.connections,
        options.seconds
    );
    let deadline = Instant::now() + Duration::from_secs(options.seconds);
    let clients: Vec<_> = (0..options.connections)
        .map(|c| {
            let (client, url) = (server.client.clone(), server.url.clone());
            let customers = options.customers.max(1) as i64;
            tokio::spawn(async move {
                let mut timings = Vec::new();
                let mut turn = c;
                while Instant::now() < deadline {
                    let kind = MIX[turn % MIX.len()];
                    let began = Instant::now();
                    let status = ask(&client, &url, kind, turn, customers).await;
                    timings.push((kind, began.elapsed(), status));
                    turn += 1;
                }
                timings
            })
        })
        .collect();
    let mut all = Vec::new();
    for client in clients {
        all.extend(client.await.map_err(|e| e.to_string())?);
    }
    let peak = server.memory_mb("VmHWM")?;
    report(&all, options.seconds, peak);
    Ok(())
}

/// One request of `kind`; its status, or 0 when it got no answer.
async fn ask(client: &reqwest::Client, url: &str, kind: Kind, turn: usize, customers: i64) -> u16 {
    let customer = (turn as i64 * 7919) % customers + 1;
    let word = WORDS[turn % WORDS.len()];
    let request = match kind {
        Kind::CustomersPage => client.get(format!("{url}/customers")),
        Kind::CustomerPage => client.get(format!("{url}/customers/{customer}")),
        Kind::Search => client
            .post(format!("{url}/api/customers/list"))
            .json(&serde_json::json!({ "query": ListQuery { q: word.into(), ..Default::default() } })),
        Kind::ContactsSearch => client
            .post(format!("{url}/api/contacts/search"))
            .form(&[("q", word)]),
        Kind::Save => client.post(format!("{url}/api/customers/create")).form(&company(
            &format!("Load {turn} Coffee"),
            &format!("LD-{turn}-{}", rand::random::<u32>()),
        )),
        Kind::Note => client.post(format!("{url}/api/notes/add")).form(&[
            ("customer_id", customer.to_string()),
            ("body", format!("Called about order {turn}.")),
        ]),
        Kind::Upload => {
            let mut pdf = b"%PDF-1.7\n".to_vec();
            pdf.resize(20 * 1024, b'x');
            client
                .post(format!("{url}/files"))
                .query(&[("purpose", "document"), ("name", "load.pdf")])
                .body(pdf)
        }
    };
    match request.header("Accept", "application/json").send().await {
        Ok(response) => {
            let status = response.status().as_u16();
            // Read the whole answer, as a browser would.
            let _ = response.bytes().await;
            status
        }
        Err(_) => 0,
    }
}

fn company(name: &str, account: &str) -> Vec<(&'static str, String)> {
    vec![
        ("company[name]", name.to_string()),
        ("company[account_number]", account.to_string()),
        ("company[street]", "1 Main St".into()),
        ("company[city]", "Portland".into()),
        ("company[region]", "OR".into()),
        ("company[postal_code]", "97201".into()),
        ("company[country]", "United States".into()),
        ("company[phone]", String::new()),
        ("company[website]", String::new()),
    ]
}

async fn create_customer(server: &BenchServer, n: usize) -> Result<(), String> {
    let kinds = ["Coffee", "Bakery", "Market", "Deli"];
    let form = company(
        &format!("{} {n:05}", kinds[n % kinds.len()]),
        &format!("ACC-{n:05}"),
    );
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    server.call("customers/create", &form).await.map(drop)
}

fn report(all: &[(Kind, Duration, u16)], seconds: u64, peak_mb: f64) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let line = |label: &str, rows: &[&(Kind, Duration, u16)]| {
        let mut times: Vec<Duration> = rows.iter().map(|r| r.1).collect();
        times.sort();
        let failed = rows.iter().filter(|r| !(200..400).contains(&r.2)).count();
        let server_errors = rows.iter().filter(|r| r.2 >= 500).count();
        println!(
            "{label:<28} {:>7} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {:>7} {:>5}",
            rows.len(),
            rows.len() as f64 / seconds as f64,
            ms(percentile(&times, 50)),
            ms(percentile(&times, 95)),
            ms(percentile(&times, 99)),
            ms(percentile(&times, 100)),
            failed,
            server_errors,
        );
    };
    println!(
        "{:<28} {:>7} {:>8} {:>8} {:>8} {:>8} {:>8} {:>7} {:>5}",
        "request", "count", "per s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "5xx"
    );
    let mut by_kind: BTreeMap<Kind, Vec<&(Kind, Duration, u16)>> = BTreeMap::new();
    for row in all {
        by_kind.entry(row.0).or_default().push(row);
    }
    for (kind, rows) in &by_kind {
        line(kind.label(), rows);
    }
    let every: Vec<&(Kind, Duration, u16)> = all.iter().collect();
    line("all", &every);
    println!("server memory at peak: {peak_mb:.0} MB (errors: no answer, or not 2xx/3xx)");
}
