//! The app's error type: what can go wrong in a server function, in words a person understands.
//!
//! Expected outcomes (a field is invalid, the caller may not do this) are variants the page shows
//! next to the form; `Internal` is for the unexpected and carries only a reference the operator
//! can find in the server log, never the cause itself.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// Messages for individual form fields, keyed by the field's name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push((field.to_string(), message.into()));
    }

    /// Records the error of a parse, if any, and returns the parsed value when there was none.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// All messages in one sentence list, for places without fields (the command line).
    pub fn messages(&self) -> String {
        self.0
            .iter()
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please correct the highlighted fields.")]
    Invalid(FieldErrors),
    #[error("Please sign in to continue.")]
    Unauthorized,
    #[error("You are not allowed to do that. Ask an Admin.")]
    Forbidden,
    #[error("{0} was not found. It may have been deleted.")]
    NotFound(String),
    #[error("{0}")]
    Refused(String),
    /// Too much of a costly kind of work is under way (password checks, say): try again soon.
    #[error("{0}")]
    Busy(String),
    /// The database is not answering (stopped, restarting, unreachable, or too busy to answer in
    /// time): try again soon.
    #[error("Clientele's database is not answering just now. Try again in a moment.")]
    Unavailable,
    #[error("Something went wrong on our side. If it happens again, quote reference {0}.")]
    Internal(String),
}

impl AppError {
    /// An invalid-input error about a single field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, message);
        AppError::Invalid(errors)
    }

    /// Refuses a list of more than `most` at `field` (422), before any of it is looked at.
    pub fn check_list_len<T>(field: &str, list: &[T], most: usize, what: &str) -> Result<(), AppError> {
        if list.len() > most {
            return Err(AppError::field(
                field,
                format!("At most {most} {what} at once; {} were sent.", list.len()),
            ));
        }
        Ok(())
    }

    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Invalid(errors) => Some(errors),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Refused(
                "The server could not be reached. Check your connection and try again.".into(),
            ),
            // On the server these are a request that could not be read (a missing or malformed
            // argument, a body past the limit): the caller's fault, answered 422, not a fault of
            // ours. What was wrong is logged, not echoed back.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Args(reason)
            | ServerFnErrorErr::MissingArg(reason)
            | ServerFnErrorErr::Deserialization(reason) => {
                tracing::info!(%reason, "a server function's request could not be read");
                AppError::field(
                    "request",
                    "The request could not be read. Reload the page and try again.",
                )
            }
            other => AppError::Internal(format!("client: {other}")),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        if database_unavailable(&error) {
            tracing::warn!(%error, "the database is not answering");
            AppError::Unavailable
        } else {
            AppError::internal(error)
        }
    }
}

/// Whether `error` says the database could not be reached or did not answer in time, rather than
/// that a statement failed: the connection broke or was refused, PostgreSQL is shutting down or
/// starting, no connection or write turn came free in time, or SQLite's busy timeout ran out.
#[cfg(feature = "ssr")]
fn database_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(error) => match error.code().as_deref() {
            // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now; connection exceptions.
            Some("57P01" | "57P02" | "57P03" | "08000" | "08003" | "08006") => true,
            // SQLite (numeric codes, never five characters like PostgreSQL's): another process
            // held the lock past the busy timeout (BUSY, and BUSY_RECOVERY and BUSY_TIMEOUT; not
            // BUSY_SNAPSHOT, a read turned write, which is a bug), or the file could not be
            // opened (CANTOPEN) or read or written (IOERR and its extended codes).
            Some(code) if code.len() < 5 => code
                .parse::<u32>()
                .is_ok_and(|n| matches!(n, 5 | 261 | 773) || matches!(n & 0xff, 10 | 14)),
            _ => false,
        },
        _ => false,
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The HTTP status a server function's response carries for this error.
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Refused(_) => StatusCode::CONFLICT,
            AppError::Busy(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Logs the whole cause on the server and gives the user a reference to it.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        let reference = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
        tracing::error!(%reference, %error, "internal error");
        AppError::Internal(reference)
    }
}
