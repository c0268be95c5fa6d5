//! Password hashing with argon2 (its default, memory-hard parameters), off the async threads,
//! a few at a time.

use crate::domain::Password;
use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

pub async fn hash(password: &Password) -> Result<String, AppError> {
    hash_in(&admit()?, password).await
}

/// [`hash`] with a place already taken.
async fn hash_in(place: &Place, password: &Password) -> Result<String, AppError> {
    let plain = password.expose().to_string();
    password_work()
        .run_in(place, move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(plain.as_bytes(), &salt)
                .map(|h| h.to_string())
        })
        .await?
        .map_err(AppError::internal)
}

/// Refuses at `field` a typed password longer than any password can be, before any work on it.
pub fn check_typed(field: &str, typed: &str) -> Result<(), AppError> {
    if typed.chars().count() > Password::MAX_LENGTH {
        return Err(AppError::field(
            field,
            format!("Passwords are at most {} characters.", Password::MAX_LENGTH),
        ));
    }
    Ok(())
}

/// A new password, typed twice: valid, and the same both times.
pub fn chosen(password: &str, confirm: &str) -> Result<Password, AppError> {
    let password = Password::parse(password).map_err(|e| AppError::field("password", e))?;
    if confirm != password.expose() {
        return Err(AppError::field(
            "confirm",
            "The two passwords differ. Type the same password twice.",
        ));
    }
    Ok(password)
}

pub async fn verify(stored_hash: &str, candidate: &str) -> Result<bool, AppError> {
    verify_in(&admit()?, stored_hash, candidate).await
}

/// A place in the line for password checks, taken before anything else is done for a sign-in:
/// when the line is full the request is refused (429) without touching the database, which
/// stays free for everyone else.
pub fn admit() -> Result<Place, AppError> {
    password_work().admit()
}

/// [`verify`] with a place already taken.
pub async fn verify_in(place: &Place, stored_hash: &str, candidate: &str) -> Result<bool, AppError> {
    let (stored, candidate) = (stored_hash.to_string(), candidate.to_string());
    password_work()
        .run_in(place, move || {
            PasswordHash::new(&stored).map(|parsed| {
                Argon2::default()
                    .verify_password(candidate.as_bytes(), &parsed)
                    .is_ok()
            })
        })
        .await?
        .map_err(AppError::internal)
}

/// The server's one limit on password work (see [`Bounded`]): one fewer at once than there are
/// cores (one at least, four at most; each check holds argon2's 19 MiB), and up to 64 more
/// waiting. A core is left for everything else: with a check on every core, a flood of sign-ins
/// kept /healthz waiting 0.7 s on two cores.
fn password_work() -> &'static Bounded {
    static WORK: OnceLock<Bounded> = OnceLock::new();
    WORK.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Bounded::new(cores.saturating_sub(1).clamp(1, 4), 64)
    })
}

/// Costly work run on the blocking threads a few jobs at a time, with a bounded line of jobs
/// waiting their turn; a job arriving when the line is full is refused at once (429), holding
/// nothing. 200 sign-ins at once, unbounded, took the server from 67 MB to 3.8 GB.
pub struct Bounded {
    turns: Arc<Semaphore>,
    /// Jobs admitted and not yet finished: running or waiting.
    admitted: Arc<AtomicUsize>,
    most_admitted: usize,
}

impl Bounded {
    pub fn new(at_once: usize, most_waiting: usize) -> Self {
        Bounded {
            turns: Arc::new(Semaphore::new(at_once)),
            admitted: Arc::new(AtomicUsize::new(0)),
            most_admitted: at_once + most_waiting,
        }
    }

    /// A place in line, or `Busy` when too many are in line already.
    pub fn admit(&self) -> Result<Place, AppError> {
        self.admitted
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < self.most_admitted).then_some(n + 1)
            })
            .map(|_| Place(self.admitted.clone()))
            .map_err(|_| {
                AppError::Busy("The server is busy checking other passwords. Try again in a moment.".into())
            })
    }

    /// Runs `job` when its turn comes, or refuses it when too many are in line.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let place = self.admit()?;
        self.run_in(&place, job).await
    }

    /// Runs `job` when its turn comes, for a place taken already.
    pub async fn run_in<T: Send + 'static>(
        &self,
        _place: &Place,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let turn = self
            .turns
            .clone()
            .acquire_owned()
            .await
            .map_err(AppError::internal)?;
        // The turn goes with the job, so a request given up while its job runs does not free a
        // turn for another job before this one ends.
        tokio::task::spawn_blocking(move || {
            let done = job();
            drop(turn);
            done
        })
        .await
        .map_err(AppError::internal)
    }
}

/// A place in a [`Bounded`] line, given back when dropped (the work done, or the request given up).
pub struct Place(Arc<AtomicUsize>);

impl Drop for Place {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Verifies `candidate` against a hash of no one's password. Used when an email is unknown, so
/// that the answer takes as long as for a known one and does not tell which emails have accounts.
pub async fn verify_decoy(candidate: &str) -> Result<bool, AppError> {
    verify_decoy_in(&admit()?, candidate).await
}

/// [`verify_decoy`] with a place already taken.
pub async fn verify_decoy_in(place: &Place, candidate: &str) -> Result<bool, AppError> {
    verify_in(place, &decoy(place).await?, candidate).await
}

/// A hash of a random password nobody knows, made once, in the place of the check that first
/// needs it (a second place could be refused when the line is full).
async fn decoy(place: &Place) -> Result<String, AppError> {
    static DECOY: OnceLock<String> = OnceLock::new();
    if let Some(decoy) = DECOY.get() {
        return Ok(decoy.clone());
    }
    let random = Password::parse(&super::session::new_token()).map_err(AppError::internal)?;
    let made = hash_in(place, &random).await?;
    Ok(DECOY.get_or_init(|| made).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let password = Password::parse("correct horse battery").unwrap();
        let stored = hash(&password).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify(&stored, "correct horse battery").await.unwrap());
        assert!(!verify(&stored, "wrong horse battery").await.unwrap());
    }

    #[tokio::test]
    async fn the_decoy_matches_nothing_typed() {
        assert!(!verify_decoy("anything at all").await.unwrap());
    }

    /// How many jobs run at once, and the most that ever did.
    #[derive(Default)]
    struct Running {
        now: AtomicUsize,
        peak: AtomicUsize,
    }

    impl Running {
        /// A job that counts itself running while it sleeps `ms`, then gives `value`.
        fn job<T: Send + 'static>(
            self: &Arc<Self>,
            ms: u64,
            value: T,
        ) -> impl FnOnce() -> T + Send + 'static {
            let running = self.clone();
            move || {
                let now = running.now.fetch_add(1, Ordering::SeqCst) + 1;
                running.peak.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(ms));
                running.now.fetch_sub(1, Ordering::SeqCst);
                value
            }
        }

        fn peak(&self) -> usize {
            self.peak.load(Ordering::SeqCst)
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_few_jobs_run_at_once_a_few_wait_and_the_rest_are_refused() {
        let work = Arc::new(Bounded::new(2, 6));
        let running = Arc::new(Running::default());
        let jobs: Vec<_> = (0..40)
            .map(|i| {
                let (work, job) = (work.clone(), running.job(30, i));
                tokio::spawn(async move { work.run(job).await })
            })
            .collect();
        let (mut done, mut refused) = (0, 0);
        for job in jobs {
            match job.await.unwrap() {
                Ok(_) => done += 1,
                Err(AppError::Busy(_)) => refused += 1,
                Err(other) => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(running.peak(), 2);
        assert!((2..=8).contains(&done), "{done} done");
        assert_eq!(done + refused, 40);
        // With the line empty again, the next job is taken.
        assert_eq!(work.run(|| 7).await.unwrap(), 7);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_request_given_up_gives_its_place_back() {
        let work = Arc::new(Bounded::new(1, 0));
        let running = Arc::new(Running::default());
        let slow = {
            let (work, job) = (work.clone(), running.job(200, ()));
            tokio::spawn(async move { work.run(job).await })
        };
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(matches!(work.run(|| ()).await, Err(AppError::Busy(_))));
        slow.abort();
        let _ = slow.await;
        // The job given up still holds its turn until it ends; then the next one runs.
        assert_eq!(work.run(running.job(0, 3)).await.unwrap(), 3);
        assert_eq!(running.peak(), 1);
    }
}
