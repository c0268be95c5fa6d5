//! A server of the benchmarks' own: this executable, on a free port, with an empty data folder
//! and a signed-in Admin, so that its peak memory is the measured work's alone.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const EMAIL: &str = "bench@supplier.example";
const PASSWORD: &str = "bench password 1";

pub struct BenchServer {
    child: Child,
    folder: std::path::PathBuf,
    pub url: String,
    /// Signed in as the server's Admin.
    pub client: reqwest::Client,
}

/// Kills the server and removes its folder when the benchmark ends, however it ends.
impl Drop for BenchServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

impl BenchServer {
    /// Starts it on `database_url`, or an SQLite file in its folder.
    pub async fn start(name: &str, database_url: Option<&str>) -> Result<BenchServer, String> {
        let folder = std::env::temp_dir().join(format!("clientele-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let command = |args: &[&str]| {
            let mut command = Command::new(&exe);
            command
                .args(args)
                .env("DATA_DIR", &folder)
                .env_remove("STORAGE_URL")
                .env_remove("SMTP_URL")
                .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
                .env("LEPTOS_HASH_FILES", "false")
                .env(
                    "RUST_LOG",
                    std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()),
                )
                // The server's log shows only when asked for (RUST_LOG set).
                .stdout(if std::env::var_os("RUST_LOG").is_some() {
                    Stdio::inherit()
                } else {
                    Stdio::null()
                });
            match database_url {
                Some(url) => command.env("DATABASE_URL", url),
                None => command.env_remove("DATABASE_URL"),
            };
            command
        };
        // On a database kept from an earlier run the Admin exists: refused, and signed in below.
        command(&["create-admin", "--name", "Bench", "--email", EMAIL])
            .env("CLIENTELE_ADMIN_PASSWORD", PASSWORD)
            .stderr(Stdio::null())
            .status()
            .map_err(|e| e.to_string())?;
        let child = command(&["serve"]).spawn().map_err(|e| e.to_string())?;
        let server = BenchServer {
            child,
            folder,
            url: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .map_err(|e| e.to_string())?,
        };
        let started = Instant::now();
        while server
            .client
            .get(format!("{}/healthz", server.url))
            .send()
            .await
            .is_err()
        {
            if started.elapsed() > Duration::from_secs(30) {
                return Err("the server did not start".into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        sign_in(&server.client, &server.url, "auth/sign_in", EMAIL, PASSWORD).await?;
        Ok(server)
    }

    /// A new client signed in at `endpoint` (`auth/sign_in` for staff, `shared/sign_in` for
    /// contacts).
    pub async fn client_signed_in(
        &self,
        endpoint: &str,
        email: &str,
        password: &str,
    ) -> Result<reqwest::Client, String> {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .map_err(|e| e.to_string())?;
        sign_in(&client, &self.url, endpoint, email, password).await?;
        Ok(client)
    }

    /// A `/proc/<pid>/status` figure of the server in MB (`VmRSS`: now; `VmHWM`: the peak).
    pub fn memory_mb(&self, field: &str) -> Result<f64, String> {
        let pid = self.child.id();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).map_err(|e| e.to_string())?;
        let line = status
            .lines()
            .find(|l| l.starts_with(field))
            .ok_or(format!("no {field}"))?;
        let kb: f64 = line
            .split_whitespace()
            .nth(1)
            .and_then(|v| v.parse().ok())
            .ok_or(format!("unreadable {field}"))?;
        Ok(kb / 1024.0)
    }

    /// POSTs a form to a server function; the body of a success, else an error with it.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> Result<String, String> {
        let response = self
            .client
            .post(format!("{}/api/{endpoint}", self.url))
            .header("Accept", "application/json")
            .form(form)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let body = response.text().await.map_err(|e| e.to_string())?;
        if status.is_success() {
            Ok(body)
        } else {
            Err(format!("{endpoint}: {status} {body}"))
        }
    }
}

async fn sign_in(
    client: &reqwest::Client,
    url: &str,
    endpoint: &str,
    email: &str,
    password: &str,
) -> Result<(), String> {
    let response = client
        .post(format!("{url}/api/{endpoint}"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("{endpoint} as {email}: {}", response.status()));
    }
    Ok(())
}
