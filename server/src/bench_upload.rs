//! `server bench-upload`: the throughput of document uploads and the server's memory while it
//! takes them. Starts a server of its own (this executable, on a free port, with an empty data
//! folder), so its peak memory is the uploads' alone; the file is generated as it is sent.

use crate::bench_server::BenchServer;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct Options {
    /// Size of the uploaded file, in MB.
    #[arg(long, default_value_t = 25)]
    pub megabytes: usize,
    /// Uploads measured, one after another.
    #[arg(long, default_value_t = 5)]
    pub uploads: usize,
}

pub async fn run(options: Options) -> Result<(), String> {
    let server = BenchServer::start("bench-upload", None).await?;
    let (client, url) = (&server.client, &server.url);
    let before = server.memory_mb("VmRSS")?;
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
    let peak = server.memory_mb("VmHWM")?;
    drop(server);
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
