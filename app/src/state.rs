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
    /// Whose turn it is to write (SQLite): see [`Db::begin`].
    write_turn: Arc<tokio::sync::Mutex<()>>,
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
                        // Checkpoints are the server's to run, in the background (see
                        // `Db::checkpoint`); a writer checkpoints only if those fall far behind
                        // (40 MB). Once checkpointed, the log is cut back to 64 MB at most.
                        conn.execute("PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 10000; PRAGMA journal_size_limit = 67108864;")
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
            write_turn: Default::default(),
        })
    }
}

impl Db {
    /// A transaction that writes. On SQLite it takes the write lock as it begins (`BEGIN
    /// IMMEDIATE`); begun deferred, a new customer's insert was answered "database is locked" at
    /// once when others wrote at the same moment (6 of 384 requests from 48 clients).
    ///
    /// SQLite has one writer at a time, and a connection waiting for the lock polls for it,
    /// sleeping up to 100 ms between tries, in no order, while holding one of the pool's eight
    /// connections. Under load the pool filled with writers asleep, and every reader waited
    /// behind them: 6–7 s stalls for pages at 64 clients. So writers here queue for their turn
    /// first, in the order they came, without a connection, and take one only when it is theirs.
    /// Turns are per process; another process writing (a backup, `server` commands) is still
    /// waited for by SQLite's busy timeout.
    #[track_caller]
    pub fn begin(&self) -> impl std::future::Future<Output = Result<WriteTx, sqlx::Error>> + '_ {
        let site = std::panic::Location::caller();
        async move {
            match self.backend {
                Backend::Sqlite => {
                    let asked = std::time::Instant::now();
                    let guard = tokio::time::timeout(WRITE_TURN_WAIT, self.write_turn.clone().lock_owned())
                        .await
                        .map_err(|_| sqlx::Error::PoolTimedOut)?;
                    let turn = Turn {
                        _guard: guard,
                        waited: asked.elapsed(),
                        since: std::time::Instant::now(),
                        site,
                    };
                    let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
                    Ok(WriteTx { tx, turn: Some(turn) })
                }
                Backend::Postgres => Ok(WriteTx {
                    tx: self.pool.begin().await?,
                    turn: None,
                }),
            }
        }
    }

    /// Copies what the write-ahead log holds into the database file (SQLite), without waiting
    /// for or holding up anyone: writers go on appending meanwhile. Left to SQLite, the write
    /// that fills the log to 1,000 pages does it in its commit, holding the write turn while it
    /// copies and syncs the file; every other writer waits.
    pub async fn checkpoint(&self) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Sqlite {
            let mut conn = self.pool.acquire().await?;
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").await?;
        }
        Ok(())
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

/// How long a write waits for its turn before the person is told the app is busy: as long as
/// SQLite's own busy timeout.
const WRITE_TURN_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// A transaction begun by [`Db::begin`]: used as a connection; ends with `commit`, or is rolled
/// back when dropped. Holds the write turn (SQLite) until then.
pub struct WriteTx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    turn: Option<Turn>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        let WriteTx { tx, turn } = self;
        let committed = tx.commit().await;
        drop(turn);
        committed
    }
}

/// The write turn held, and for the log, how it went: every other writer waits while one holds
/// it, so a slow one is worth a line saying where it was taken.
struct Turn {
    _guard: tokio::sync::OwnedMutexGuard<()>,
    waited: std::time::Duration,
    since: std::time::Instant,
    site: &'static std::panic::Location<'static>,
}

/// A write holding the turn longer than this is logged.
const SLOW_TURN: std::time::Duration = std::time::Duration::from_millis(100);

impl Drop for Turn {
    fn drop(&mut self) {
        let held = self.since.elapsed();
        if held > SLOW_TURN {
            tracing::warn!(
                held_ms = held.as_millis() as u64,
                waited_ms = self.waited.as_millis() as u64,
                at = %self.site,
                "a write held SQLite's write turn long; other writes waited for it"
            );
        }
    }
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
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
