//! What every server function is given: the database and the settings that shape responses.
//! Provided as Leptos context by the server for each request.

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Which database engine is behind the pool; queries are shared, a few statements are not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// What searches learn of the trigram indexes to choose how to search (SQLite).
    pub trigram_counts: std::sync::Arc<crate::text_search::TrigramCounts>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

impl Db {
    /// Connects to `url` (`sqlite://path` or `postgres://…`), creating an SQLite file and its
    /// folder when missing, and applies the migrations.
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(sqlx::Error::Configuration(
                format!("DATABASE_URL must start with sqlite:// or postgres://, not '{url}'").into(),
            ));
        };
        let url = match backend {
            Backend::Sqlite => sqlite_url_creating_folder(url)?,
            Backend::Postgres => url.to_string(),
        };
        let options = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            // A database that stopped answering is told to the person within seconds (503),
            // not after sqlx's default 30; the pool reconnects by itself once it is back.
            .acquire_timeout(std::time::Duration::from_secs(8));
        let options = match backend {
            // WAL lets readers work while one writer commits. It is a setting of the file, made
            // once here rather than by each new connection: changing it takes a lock that
            // SQLite's busy timeout does not wait for. NORMAL sync is durable in WAL mode
            // against application crashes, which is what a laptop install needs.
            Backend::Sqlite => {
                let mut first = <sqlx::AnyConnection as sqlx::Connection>::connect(&url).await?;
                first.execute("PRAGMA journal_mode = WAL").await?;
                sqlx::Connection::close(first).await?;
                options.after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute("PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
                            .await?;
                        Ok(())
                    })
                })
            }
            Backend::Postgres => options,
        };
        let pool = options.connect(&url).await?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await?;
        Ok(Db {
            pool,
            backend,
            trigram_counts: Default::default(),
        })
    }
}

impl Db {
    /// A transaction that writes. On SQLite it takes the write lock as it begins (`BEGIN
    /// IMMEDIATE`), waiting its turn behind other writers; begun deferred, a new customer's
    /// insert was answered "database is locked" at once, without waiting, when others wrote at
    /// the same moment (6 of 384 requests from 48 clients).
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Brings the planner's statistics up to date where a table changed much or an index has
    /// none (SQLite's `PRAGMA optimize`, reading at most 1,000 rows an index, so it stays quick).
    /// Without statistics for a new index SQLite may prefer it to the right one: a big account's
    /// page of contacts sorted all 5,000 (63 ms at 16 clients instead of 9). PostgreSQL's
    /// autovacuum keeps its own.
    pub async fn refresh_statistics(&self) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Sqlite {
            let mut conn = self.pool.acquire().await?;
            conn.execute("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;")
                .await?;
        }
        Ok(())
    }
}

fn sqlite_url_creating_folder(url: &str) -> Result<String, sqlx::Error> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    if path != ":memory:" {
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)?;
            }
        }
    }
    Ok(if url.contains('?') {
        url.to_string()
    } else {
        format!("{url}?mode=rwc")
    })
}

/// Milliseconds since the Unix epoch: how every timestamp is stored, on both databases.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    /// Where uploaded files' bytes are kept.
    pub files: crate::documents::files::FileStore,
    /// Base of links in emails, e.g. `https://clientele.example.com`.
    pub public_url: String,
    /// Once a staff user exists it always will; remembering it spares a query per page.
    staff_exists: Arc<AtomicBool>,
    /// Previews and imports under way in this process.
    pub imports: crate::imports::jobs::Jobs,
    /// Whether a reverse proxy in front says who the client is (`X-Forwarded-For`): only then is
    /// that header believed, since a client can send anything.
    pub trust_forwarded_for: bool,
    /// Seals two-factor secrets at rest (`TWO_FACTOR_KEY`); without it two-factor cannot be set up.
    pub two_factor_key: Option<crate::two_factor::sealing::SealingKey>,
}

impl AppState {
    pub fn new(db: Db, files: crate::documents::files::FileStore, public_url: String) -> Self {
        Self {
            db,
            files,
            public_url,
            staff_exists: Arc::new(AtomicBool::new(false)),
            imports: Default::default(),
            trust_forwarded_for: false,
            two_factor_key: None,
        }
    }

    /// Cookies are marked Secure when the app is reached over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub async fn staff_exists(&self) -> Result<bool, sqlx::Error> {
        if self.staff_exists.load(Ordering::Relaxed) {
            return Ok(true);
        }
        let exists = crate::auth::db::count_staff(&self.db).await? > 0;
        if exists {
            self.staff_exists.store(true, Ordering::Relaxed);
        }
        Ok(exists)
    }
}

/// The state of the request being served.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| crate::error::AppError::internal("AppState missing from context"))
}
