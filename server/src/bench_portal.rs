//! `server bench-portal`: how long the portal's catalog page takes for a customer with many
//! items. Serves the app in-process on a free port with a fresh SQLite database, gives one
//! customer `--items` items, signs a Buyer contact in, and times full page loads of
//! `/portal/c/{customer}` (rendered on the server with the whole catalog) and the catalog's server
//! function alone.

use crate::config::{Config, DEFAULT_MAIL_FROM};
use app::state::Db;
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct Options {
    /// Items in the customer's catalog.
    #[arg(long, default_value_t = 5000)]
    pub items: usize,
    /// Page loads timed (after two to warm up).
    #[arg(long, default_value_t = 20)]
    pub loads: usize,
    /// Also time the page in Chromium until hydrated, with `end2end/bench/portal-hydration.mjs`
    /// (needs the built site: LEPTOS_SITE_ROOT, LEPTOS_HASH_FILES as for `make run`).
    #[arg(long)]
    pub browser: bool,
}

const EMAIL: &str = "bea@customer.example";
const PASSWORD: &str = "bench password 1234";

pub async fn run(options: Options) -> Result<(), String> {
    let folder = std::env::temp_dir().join(format!("clientele-bench-portal-{}", std::process::id()));
    std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
    let outcome = measure(&folder, &options).await;
    let _ = std::fs::remove_dir_all(&folder);
    outcome
}

async fn measure(folder: &std::path::Path, options: &Options) -> Result<(), String> {
    let error = |e: sqlx::Error| e.to_string();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let database_url = format!("sqlite://{}/bench.db", folder.display());
    // The built site as `make run` serves it, for the browser's part.
    let mut leptos = Config::from_env()?.leptos;
    leptos.site_addr = addr;
    let config = Config {
        database_url: database_url.clone(),
        public_url: format!("http://{addr}"),
        data_dir: folder.display().to_string(),
        storage_url: None,
        smtp_url: None,
        mail_from: DEFAULT_MAIL_FROM.into(),
        reminders: crate::reminders::Schedule::new("UTC", "9")?,
        site_addr: addr,
        leptos,
        trust_forwarded_for: false,
        two_factor_key: None,
    };
    config.check_built_files()?;
    let app = crate::build(&config).await?;
    tokio::spawn(async move {
        axum::serve(
            crate::without_delay(listener),
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    let db = Db::connect(&database_url).await.map_err(error)?;

    let customer = seed(&db, options.items).await.map_err(error)?;
    let url = format!("http://{addr}");
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .map_err(|e| e.to_string())?;
    let signed_in = client
        .post(format!("{url}/api/shared/sign_in"))
        .form(&[("email", EMAIL), ("password", PASSWORD)])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !signed_in.status().is_success() {
        return Err(format!("sign-in failed: {}", signed_in.status()));
    }

    let page = format!("{url}/portal/c/{customer}");
    let load = || async {
        let response = client.get(&page).send().await.map_err(|e| e.to_string())?;
        let body = response.text().await.map_err(|e| e.to_string())?;
        if !body.contains("Quantity of Item 00001") {
            return Err::<usize, String>("the page does not hold the catalog".into());
        }
        Ok(body.len())
    };
    let bytes = load().await?;
    let page_times = time(options.loads, || async { load().await.map(drop) }).await?;
    let catalog = format!("{url}/api/portal/catalog");
    let call_times = time(options.loads, || async {
        let response = client
            .post(&catalog)
            .form(&[("customer_id", customer.to_string())])
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("catalog: {}", response.status()));
        }
        response.bytes().await.map_err(|e| e.to_string())?;
        Ok(())
    })
    .await?;
    println!(
        "portal catalog, {} items (debug builds are slower; use make bench-portal):",
        options.items
    );
    println!(
        "  page /portal/c/{{id}} ({} KB of HTML): {}",
        bytes / 1024,
        summary(&page_times)
    );
    println!("  server function portal/catalog:       {}", summary(&call_times));
    if options.browser {
        let status = std::process::Command::new("node")
            .current_dir("end2end")
            .args(["bench/portal-hydration.mjs", &page, EMAIL, PASSWORD])
            .status()
            .map_err(|e| format!("node: {e}"))?;
        if !status.success() {
            return Err(format!("the browser's part failed: {status}"));
        }
    }
    Ok(())
}

/// Runs `once` twice to warm up, then `loads` times; answers with the times, sorted.
async fn time<F, Fut>(loads: usize, mut once: F) -> Result<Vec<Duration>, String>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    for _ in 0..2 {
        once().await?;
    }
    let mut times = Vec::with_capacity(loads);
    for _ in 0..loads {
        let started = Instant::now();
        once().await?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times)
}

fn summary(times: &[Duration]) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    format!(
        "median {:.1} ms, p95 {:.1} ms, min {:.1} ms",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(times[0])
    )
}

/// A customer with the portal on, `items` items in its catalog, a Ship-To Location, and a Buyer
/// contact with a password; answers with the customer's id.
async fn seed(db: &Db, items: usize) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let customer: i64 = sqlx::query_scalar(
        "INSERT INTO customers (name, name_key, account_number, account_key, street, city, postal_code, country,
             search_text, portal_enabled, created_at, updated_at)
         VALUES ('Bench Coffee', 'bench coffee', 'B-1', 'B-1', '1 Main St', 'Portland', '97201', 'US',
             'bench coffee', 1, 0, 0) RETURNING id",
    )
    .fetch_one(&mut *tx)
    .await?;
    for n in 1..=items {
        let item: i64 = sqlx::query_scalar(
            "INSERT INTO items (sku, sku_key, name, name_key, description, unit_price_cents, active, search_text,
                 created_at, updated_at)
             VALUES ($1, $1, $2, $3, 'Whole bean, 1 kg bag', $4, 1, $3, 0, 0) RETURNING id",
        )
        .bind(format!("SKU-{n:05}"))
        .bind(format!("Item {n:05}"))
        .bind(format!("item {n:05}"))
        .bind(100 + n as i64)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO customer_items (customer_id, item_id, added_at) VALUES ($1, $2, 0)")
            .bind(customer)
            .bind(item)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO ship_to_locations (customer_id, name, street, city, postal_code, country, is_default, created_at, updated_at)
         VALUES ($1, 'Dock', '2 Dock St', 'Portland', '97201', 'US', 1, 0, 0)",
    )
    .bind(customer)
    .execute(&mut *tx)
    .await?;
    let password = app::domain::Password::parse(PASSWORD).map_err(sqlx::Error::Protocol)?;
    let hash = app::auth::password::hash(&password)
        .await
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    let contact: i64 = sqlx::query_scalar(
        "INSERT INTO contacts (first_name, last_name, email, email_key, search_text, password_hash, created_at, updated_at)
         VALUES ('Bea', 'Bench', $1, $1, 'bea bench', $2, 0, 0) RETURNING id",
    )
    .bind(EMAIL)
    .bind(hash)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO customer_contacts (customer_id, contact_id, role, added_at) VALUES ($1, $2, 'buyer', 0)",
    )
    .bind(customer)
    .bind(contact)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(customer)
}
