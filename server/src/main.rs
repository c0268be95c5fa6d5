//! `clientele`: serve the app (default), create an Admin, seed demo data, back up and restore,
//! or benchmark.

use app::auth::accounts::{self, StaffDetails};
use app::domain::Role;
use app::error::AppError;
use app::state::Db;
use clap::{Parser, Subcommand};
use server::config::Config;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "server", about = "Customer management for suppliers")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the app (the default).
    Serve,
    /// Create an Admin user, e.g. from a provisioning script.
    CreateAdmin {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// The password; better given through the environment than on the command line.
        #[arg(long, env = "CLIENTELE_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Fill a new database with a supplier's whole history at real volume (scale 1: 100,000
    /// customers, 300,000 contacts, 200,000 orders, 2,000,000 Activity rows, …), or with
    /// `--customers N` add just N demo customers.
    Seed {
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        #[arg(long)]
        customers: Option<usize>,
    },
    /// Measure customer search over HTTP against a running server, and directly on the database.
    Bench(server::bench::Options),
    /// Copy an SQLite install's database and uploaded files into one archive, while it runs.
    Backup {
        /// The archive to write (a zip file).
        file: std::path::PathBuf,
    },
    /// Put a backup back: the database at DATABASE_URL, the files under DATA_DIR.
    Restore {
        file: std::path::PathBuf,
        /// Replace the database there (kept beside it as `….before-restore-<time>`).
        #[arg(long)]
        replace: bool,
    },
    /// Many clients at once over a mix of pages and writes: requests/s, latency, errors.
    BenchLoad(server::bench_load::Options),
    /// Thousands of sign-in attempts at once: answers, peak memory, /healthz meanwhile.
    BenchFlood(server::bench_flood::Options),
    /// Measure document upload throughput and the server's peak memory, on a server of its own.
    BenchUpload(server::bench_upload::Options),
    /// Preview and import of a 100,000-row customers workbook (rows/s, peak memory).
    BenchImport(server::bench_import::Options),
    /// Measure how many outbox emails per second the worker delivers to a local SMTP server.
    BenchMail(server::bench_mail::Options),
    /// Times the portal's catalog page for a customer with many items.
    BenchPortal(server::bench_portal::Options),
    /// Times every page and search over HTTP against the seeded volume, on SQLite and PostgreSQL.
    BenchPages(server::bench_pages::Options),
    /// Run a local SMTP server that keeps and prints what it receives, for trying Clientele.
    SmtpSink {
        #[arg(long, default_value = "127.0.0.1:2525")]
        listen: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::CreateAdmin {
            name,
            email,
            password,
        } => create_admin(&config, &name, &email, &password).await,
        Command::Seed { scale, customers } => seed(&config, scale, customers).await,
        Command::Bench(options) => server::bench::run(&config, options).await,
        Command::Backup { file } => server::backup::backup(&config, &file).await,
        Command::Restore { file, replace } => server::backup::restore(&config, &file, replace).await,
        Command::BenchLoad(options) => server::bench_load::run(options).await,
        Command::BenchFlood(options) => server::bench_flood::run(options).await,
        Command::BenchUpload(options) => server::bench_upload::run(options).await,
        Command::BenchImport(options) => server::bench_import::run(options).await,
        Command::BenchMail(options) => server::bench_mail::run(options).await,
        Command::BenchPortal(options) => server::bench_portal::run(options).await,
        Command::BenchPages(options) => server::bench_pages::run(options).await,
        Command::SmtpSink { listen } => smtp_sink(&listen).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> Result<(), String> {
    config.check_built_files()?;
    let app = server::build(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.site_addr))?;
    tracing::info!(
        "Clientele is serving http://{} ({})",
        config.site_addr,
        config.database_url
    );
    axum::serve(
        server::without_delay(listener),
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .map_err(|e| e.to_string())
}

async fn create_admin(config: &Config, name: &str, email: &str, password: &str) -> Result<(), String> {
    let details = StaffDetails::parse(name, email, password).map_err(|errors| errors.messages())?;
    let db = Db::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let id = accounts::create(&db.pool, &details, Role::Admin)
        .await
        .map_err(|error| match error {
            AppError::Invalid(errors) => errors.messages(),
            other => other.to_string(),
        })?;
    println!(
        "Created Admin {} <{}> (user {id}).",
        details.name.as_str(),
        details.email.as_str()
    );
    Ok(())
}

async fn seed(config: &Config, scale: f64, customers: Option<usize>) -> Result<(), String> {
    let db = Db::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    if let Some(customers) = customers {
        server::seed::customers(&db, customers)
            .await
            .map_err(|e| e.to_string())?;
        println!(
            "Seeded {customers} customers in {:.1} s.",
            started.elapsed().as_secs_f64()
        );
        return Ok(());
    }
    if !(scale > 0.0 && scale <= 10.0) {
        return Err(format!("--scale must be above 0 and at most 10, not {scale}"));
    }
    let volume = server::seed_volume::run(&db, scale).await?;
    println!(
        "Seeded {} customers, {} contacts, {} orders, {} Activity rows and {} emails in {:.1} s.",
        volume.customers,
        volume.contacts,
        volume.orders,
        volume.activity,
        volume.emails,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Prints each message the sink receives until Ctrl-C.
async fn smtp_sink(listen: &str) -> Result<(), String> {
    use server::smtp_sink::{Behaviour, SmtpSink};
    let sink = SmtpSink::start_on(listen, Behaviour::Accept)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    println!(
        "SMTP sink on {} (SMTP_URL={}); Ctrl-C stops it.",
        sink.addr,
        sink.url()
    );
    let mut shown = 0;
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => return Ok(()),
            received = sink.wait_for(shown + 1, std::time::Duration::from_secs(3600)) => {
                for message in received.iter().skip(shown) {
                    println!("----- to {}\n{}", message.to.join(", "), message.readable());
                }
                shown = received.len();
            }
        }
    }
}
