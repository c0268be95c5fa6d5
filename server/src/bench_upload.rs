//! `server bench-upload`: the throughput of document uploads and the server's memory while it
//! takes them. Starts a server of its own (this executable, on a free port, with an empty data
//! folder), so its peak memory is the uploads' alone; the file is generated as it is sent.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct Options {
    /// Size of the uploaded file, in MB.
    #[arg(long, default_value_t = 25)]
    pub megabytes: usize,
    /// Uploads measured, one after another.
    #[arg(long, default_value_t = 5)]
    pub uploads: usize,
}

const EMAIL: &str = "bench@supplier.example";
const PASSWORD: &str = "bench password 1";

/// Kills the server when the benchmark ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A `/proc/<pid>/status` figure in MB (`VmRSS`: now; `VmHWM`: the peak so far).
fn memory_mb(pid: u32, field: &str) -> Result<f64, String> {
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

pub async fn run(options: Options) -> Result<(), String> {
    let folder = std::env::temp_dir().join(format!("clientele-bench-upload-{}", std::process::id()));
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
            .env_remove("DATABASE_URL")
            .env_remove("STORAGE_URL")
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_HASH_FILES", "false")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null());
        command
    };
    let created = command(&["create-admin", "--name", "Bench", "--email", EMAIL])
        .env("CLIENTELE_ADMIN_PASSWORD", PASSWORD)
        .status()
        .map_err(|e| e.to_string())?;
    if !created.success() {
        return Err("could not create the benchmark's Admin".into());
    }
    let server = Server(command(&["serve"]).spawn().map_err(|e| e.to_string())?);
    let url = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    while client.get(format!("{url}/healthz")).send().await.is_err() {
        if started.elapsed() > Duration::from_secs(30) {
            return Err("the server did not start".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let signed_in = client
        .post(format!("{url}/api/auth/sign_in"))
        .form(&[("email", EMAIL), ("password", PASSWORD)])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !signed_in.status().is_success() {
        return Err(format!("sign-in failed: {}", signed_in.status()));
    }
    let pid = server.0.id();
    let before = memory_mb(pid, "VmRSS")?;
    let size = options.megabytes * 1024 * 1024;
    let mut seconds = Vec::new();
    for n in 0..options.uploads {
        // Different bytes each time, made in 1 MB chunks as they are sent.
        let chunks = (0..options.megabytes).map(move |i| {
            let mut chunk = vec![(n as u8).wrapping_add(i as u8); 1024 * 1024];
            if i == 0 {
                chunk[..9].copy_from_slice(b"%PDF-1.7\n");
            }
            Ok::<_, std::io::Error>(chunk)
        });
        let started = Instant::now();
        let response = client
            .post(format!("{url}/files"))
            .query(&[("purpose", "document"), ("name", "bench.pdf")])
            .header(reqwest::header::CONTENT_LENGTH, size)
            .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        if !status.is_success() {
            return Err(format!("upload failed: {status} {body}"));
        }
        seconds.push(started.elapsed().as_secs_f64());
    }
    let peak = memory_mb(pid, "VmHWM")?;
    drop(server);
    let _ = std::fs::remove_dir_all(&folder);
    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];
    println!(
        "{} uploads of {} MB over HTTP on 127.0.0.1 (SQLite, local disk)",
        options.uploads, options.megabytes
    );
    println!(
        "  time per upload: median {:.2} s, fastest {:.2} s, slowest {:.2} s",
        median,
        seconds[0],
        seconds[seconds.len() - 1]
    );
    println!(
        "  throughput: {:.0} MB/s (median)",
        options.megabytes as f64 / median
    );
    println!("  server memory: {before:.0} MB before the uploads, peak {peak:.0} MB (VmHWM)");
    Ok(())
}
