//! Starts the real app on a free port against a fresh database: an SQLite file in a temporary
//! folder, or a new PostgreSQL database on the server of this machine, dropped afterwards.

#![allow(dead_code)]

pub mod imports;
pub mod listings;
pub mod outage;
pub mod portal;
pub mod sharing;

pub use listings::*;

use app::customers::{CustomerPageData, ListQuery};
use app::error::AppError;
use app::state::Db;
use leptos::config::LeptosOptions;
use reqwest::StatusCode;
use server::config::Config;
use sqlx::any::install_default_drivers;
use sqlx::Executor;

pub const PASSWORD: &str = "correct horse battery";

#[derive(Clone, Copy, Debug)]
pub enum Engine {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub url: String,
    pub client: reqwest::Client,
    pub db: Db,
    /// Where the app serves built files from: `/pkg/x` is `pkg/x` in here.
    pub site: std::path::PathBuf,
    /// The app's DATA_DIR.
    pub data_dir: std::path::PathBuf,
    _folder: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

/// The key the tests' servers seal two-factor secrets with.
pub const TEST_TWO_FACTOR_KEY: &str = "5f1c0a7e3b9d2468ace013579bdf2468ace013579bdf2468ace013579bdf2468";

/// The `host:port` of the PostgreSQL server the tests use.
pub fn postgres_address() -> String {
    let url = postgres_admin_url();
    let authority = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    let authority = authority.split('/').next().unwrap_or_default();
    authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host)
        .to_string()
}

fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

impl TestApp {
    pub async fn start(engine: Engine) -> TestApp {
        Self::start_with_smtp(engine, None).await
    }

    /// The app with its outbox worker delivering to `smtp_url`.
    pub async fn start_with_smtp(engine: Engine, smtp_url: Option<String>) -> TestApp {
        Self::start_with(engine, smtp_url, |url| url.to_string()).await
    }

    /// The app reaching its database at `app_url(url)` (through a proxy, say); the test's own
    /// pool uses `url`.
    pub async fn start_with(
        engine: Engine,
        smtp_url: Option<String>,
        app_url: impl FnOnce(&str) -> String,
    ) -> TestApp {
        install_default_drivers();
        let folder = tempfile::tempdir().expect("temporary folder");
        let site = folder.path().join("site");
        std::fs::create_dir_all(site.join("pkg")).expect("site folder");
        let (database_url, postgres) = match engine {
            Engine::Sqlite => (format!("sqlite://{}/clientele.db", folder.path().display()), None),
            Engine::Postgres => {
                let name = format!("clientele_test_{}", uuid_like());
                let admin = postgres_admin_url();
                let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
                    .await
                    .expect("PostgreSQL must be running for the storage tests (see README)");
                conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .await
                    .expect("create database");
                let base = admin
                    .rsplit_once('/')
                    .map_or(admin.as_str(), |(base, _)| base)
                    .to_string();
                (format!("{base}/{name}"), Some((admin, name)))
            }
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("free port");
        let addr = listener.local_addr().expect("address");
        let config = Config {
            database_url: app_url(&database_url),
            public_url: format!("http://{addr}"),
            data_dir: folder.path().display().to_string(),
            storage_url: None,
            smtp_url,
            mail_from: server::config::DEFAULT_MAIL_FROM.into(),
            reminders: server::reminders::Schedule::new("UTC", "9").expect("schedule"),
            site_addr: addr,
            leptos: LeptosOptions::builder()
                .output_name("clientele")
                .site_addr(addr)
                .site_root(site.display().to_string())
                .build(),
            trust_forwarded_for: false,
            two_factor_key: Some(
                app::two_factor::sealing::SealingKey::from_hex(TEST_TWO_FACTOR_KEY).expect("key"),
            ),
        };
        let app = server::build(&config).await.expect("app starts");
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
        });
        let db = Db::connect(&database_url).await.expect("second pool");
        TestApp {
            url: format!("http://{addr}"),
            client: new_client(),
            db,
            site,
            data_dir: folder.path().to_path_buf(),
            _folder: folder,
            postgres,
        }
    }

    /// POSTs a form to a server function; returns the status and the body.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
        call_as(&self.client, &self.url, endpoint, form).await
    }

    /// POSTs JSON to a server function that takes JSON.
    pub async fn call_json(&self, endpoint: &str, body: serde_json::Value) -> (StatusCode, String) {
        let response = self
            .client
            .post(format!("{}/api/{endpoint}", self.url))
            .json(&body)
            .send()
            .await
            .expect("request");
        (response.status(), response.text().await.expect("body"))
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .expect("request")
    }

    /// Creates the first Admin through setup; the client is then signed in as them.
    pub async fn set_up_admin(&self) {
        let (status, body) = self
            .call(
                "auth/setup",
                &[
                    ("name", "Ada Admin"),
                    ("email", "ada@supplier.example"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert!(status.is_success(), "setup failed: {status} {body}");
    }

    /// A separate browser-like client signed in as a new user of `role`.
    pub async fn client_for_new_user(&self, email: &str, role: &str) -> reqwest::Client {
        let (status, body) = self
            .call(
                "settings/users/add",
                &[
                    ("name", "Sam Staff"),
                    ("email", email),
                    ("password", PASSWORD),
                    ("role", role),
                ],
            )
            .await;
        assert!(status.is_success(), "adding user failed: {status} {body}");
        let client = new_client();
        let (status, body) = call_as(
            &client,
            &self.url,
            "auth/sign_in",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
        assert!(status.is_success(), "sign-in failed: {status} {body}");
        client
    }

    /// The id of the staff user with this (lower-case) email.
    pub async fn staff_id(&self, email_key: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM staff_users WHERE email_key = $1")
            .bind(email_key)
            .fetch_one(&self.db.pool)
            .await
            .expect("a staff user")
    }

    /// The database the app uses, as `DATABASE_URL` names it.
    pub fn database_url(&self) -> String {
        match &self.postgres {
            Some((admin, name)) => {
                let base = admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base);
                format!("{base}/{name}")
            }
            None => format!("sqlite://{}/clientele.db", self.data_dir.display()),
        }
    }

    pub async fn count(&self, sql: &'static str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.db.pool)
            .await
            .expect("count")
    }
}

pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

pub async fn call_as(
    client: &reqwest::Client,
    url: &str,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (StatusCode, String) {
    let response = client
        .post(format!("{url}/api/{endpoint}"))
        .header("Accept", "application/json")
        .form(form)
        .send()
        .await
        .expect("request");
    (response.status(), response.text().await.expect("body"))
}

fn uuid_like() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    (0..16).map(|_| char::from(b'a' + rng.gen_range(0..26))).collect()
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.postgres.take() {
            let pool = self.db.pool.clone();
            // Dropping needs async I/O; the test's runtime may be shutting down, so use our own.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                runtime.block_on(async move {
                    pool.close().await;
                    if let Ok(mut conn) = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin).await {
                        let _ = conn
                            .execute(sqlx::AssertSqlSafe(format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            )))
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

/// Declares each test once per database: `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                use super::*;
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() { super::$name(common::Engine::Sqlite).await }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() { super::$name(common::Engine::Postgres).await }
            }
        )*
    };
}

/// The error a server function answered with; its HTTP status must be the error's own.
pub fn error_of(status: StatusCode, body: &str) -> AppError {
    assert!(!status.is_success(), "expected an error, got {status}: {body}");
    let error: AppError =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"));
    assert_eq!(status.as_u16(), error.status().as_u16(), "status of {error:?}");
    error
}

pub fn company<'a>(name: &'a str, account: &'a str, city: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("company[name]", name),
        ("company[account_number]", account),
        ("company[street]", "1 Main St"),
        ("company[city]", city),
        ("company[region]", "OR"),
        ("company[postal_code]", "97201"),
        ("company[country]", "United States"),
        ("company[phone]", "+1 503 555 0100"),
        ("company[website]", "example.com"),
    ]
}

pub async fn create(app: &TestApp, name: &str, account: &str, city: &str) -> i64 {
    let (status, body) = app.call("customers/create", &company(name, account, city)).await;
    assert!(status.is_success(), "create failed: {status} {body}");
    body.parse().expect("id")
}

pub async fn list(app: &TestApp, query: &ListQuery) -> CustomerPageData {
    let (status, body) = app
        .call_json("customers/list", serde_json::json!({ "query": query }))
        .await;
    assert!(status.is_success(), "list failed: {status} {body}");
    serde_json::from_str(&body).expect("page")
}

/// Every row of a search, following "Next" from its first page to its last.
pub async fn every_page(app: &TestApp, mut query: ListQuery) -> Vec<app::customers::CustomerSummary> {
    let mut rows = Vec::new();
    loop {
        let page = list(app, &query).await;
        rows.extend(page.rows.iter().cloned());
        match page.rows.last() {
            Some(last) if page.has_next => query = query.page_after(last.id),
            _ => return rows,
        }
    }
}

/// The session cookie of a new sign-in as the Admin, for requests written by hand.
pub async fn session_cookie(app: &TestApp) -> String {
    let client = reqwest::Client::new();
    let response = client
        .post(format!("{}/api/auth/sign_in", app.url))
        .form(&[("email", "ada@supplier.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let session = cookie_set(&response, "clientele_session").expect("a session cookie");
    session.split(';').next().unwrap().to_string()
}

/// The `Set-Cookie` of a response for the cookie `name`, whole (value and attributes).
pub fn cookie_set(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// The date `offset` days from today (UTC), as the date fields take it.
pub fn day(offset: i64) -> String {
    app::domain::CalendarDate::from_ms(app::state::now_ms())
        .add_days(offset)
        .to_string()
}

/// A server process of this build on the database and files of `app`, delivering email to
/// `smtp_url` if given; with its address. Killing it is how tests crash a server.
pub fn spawn_server(app: &TestApp, smtp_url: Option<&str>) -> (std::process::Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .env("DATABASE_URL", app.database_url())
        .env("DATA_DIR", &app.data_dir)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", &app.site)
        .env("LEPTOS_HASH_FILES", "false")
        .env("RUST_LOG", "warn")
        .env_remove("SMTP_URL")
        .env_remove("TWO_FACTOR_KEY")
        .stdout(std::process::Stdio::null());
    if let Some(url) = smtp_url {
        command.env("SMTP_URL", url);
    }
    let child = command.spawn().expect("server starts");
    (child, format!("http://127.0.0.1:{port}"))
}

/// Waits until the server at `url` answers its health check.
pub async fn wait_until_up(url: &str) {
    for _ in 0..300 {
        if let Ok(response) = reqwest::get(format!("{url}/healthz")).await {
            if response.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the server at {url} did not start");
}
