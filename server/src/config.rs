//! Settings from the environment, with defaults that suit a laptop.

use leptos::config::LeptosOptions;
use std::net::SocketAddr;

pub const DEFAULT_MAIL_FROM: &str = "Clientele <no-reply@localhost>";

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub public_url: String,
    pub data_dir: String,
    /// Where uploaded files go: `s3://bucket/prefix`, or none for `<data_dir>/files`.
    pub storage_url: Option<String>,
    /// Outgoing mail server, e.g. `smtp://127.0.0.1:2525`; without one, emails wait in the outbox.
    pub smtp_url: Option<String>,
    /// The sender of every email, e.g. `Acme Supplies <docs@acme.example>`.
    pub mail_from: String,
    /// When the Sunday reminders go: an hour (0–23) of the supplier's time zone.
    pub reminders: crate::reminders::Schedule,
    pub site_addr: SocketAddr,
    pub leptos: LeptosOptions,
    /// `TRUST_FORWARDED_FOR=true`: a reverse proxy in front sets `X-Forwarded-For`.
    pub trust_forwarded_for: bool,
    /// `TWO_FACTOR_KEY`: 64 hex digits sealing staff's two-factor secrets; without it, two-factor
    /// sign-in cannot be set up.
    pub two_factor_key: Option<app::two_factor::sealing::SealingKey>,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Config {
    pub fn from_env() -> Result<Config, String> {
        let data_dir = var("DATA_DIR").unwrap_or_else(|| "data".into());
        let site_addr: SocketAddr = var("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|e| format!("LEPTOS_SITE_ADDR is not an address such as 127.0.0.1:3000: {e}"))?;
        let database_url = var("DATABASE_URL").unwrap_or_else(|| format!("sqlite://{data_dir}/clientele.db"));
        let public_url = var("PUBLIC_URL").unwrap_or_else(|| format!("http://{site_addr}"));
        let leptos = LeptosOptions::builder()
            .output_name(var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|| "clientele".into()))
            .site_root(var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()))
            .site_pkg_dir(var("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|| "pkg".into()))
            .site_addr(site_addr)
            .hash_files(var("LEPTOS_HASH_FILES").is_some_and(|v| v == "true"))
            .build();
        Ok(Config {
            database_url,
            public_url: public_url.trim_end_matches('/').to_string(),
            data_dir,
            storage_url: var("STORAGE_URL"),
            smtp_url: var("SMTP_URL"),
            mail_from: var("MAIL_FROM").unwrap_or_else(|| DEFAULT_MAIL_FROM.into()),
            reminders: crate::reminders::Schedule::new(
                &var("SUPPLIER_TIME_ZONE").unwrap_or_else(|| "UTC".into()),
                &var("REMINDER_HOUR").unwrap_or_else(|| "9".into()),
            )?,
            site_addr,
            leptos,
            trust_forwarded_for: var("TRUST_FORWARDED_FOR").is_some_and(|v| v == "true"),
            two_factor_key: var("TWO_FACTOR_KEY")
                .map(|key| app::two_factor::sealing::SealingKey::from_hex(&key))
                .transpose()?,
        })
    }

    /// Leptos reads the hashes of the built files' names beside the executable on every page,
    /// and panics without them: a server started without them is told so once, at start.
    pub fn check_built_files(&self) -> Result<(), String> {
        if !self.leptos.hash_files {
            return Ok(());
        }
        let hashes = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(self.leptos.hash_file.as_ref())));
        match hashes {
            Some(path) if path.exists() => Ok(()),
            path => Err(format!(
                "LEPTOS_HASH_FILES is true but {} is missing; build with `cargo leptos build` \
                 (or `make run`), which writes it",
                path.map_or("the hash file".into(), |p| p.display().to_string())
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(hash_files: bool, hash_file: &str) -> Config {
        let addr: SocketAddr = "127.0.0.1:3000".parse().unwrap();
        Config {
            database_url: "sqlite://data/clientele.db".into(),
            public_url: "http://127.0.0.1:3000".into(),
            data_dir: "data".into(),
            storage_url: None,
            smtp_url: None,
            mail_from: DEFAULT_MAIL_FROM.into(),
            reminders: crate::reminders::Schedule::new("UTC", "9").unwrap(),
            site_addr: addr,
            trust_forwarded_for: false,
            two_factor_key: None,
            leptos: LeptosOptions::builder()
                .output_name("clientele")
                .hash_files(hash_files)
                .hash_file(hash_file.into())
                .build(),
        }
    }

    #[test]
    fn a_server_with_hashed_files_needs_their_hashes_beside_it() {
        let error = config(true, "no-such-hash-file.txt")
            .check_built_files()
            .unwrap_err();
        assert!(error.contains("no-such-hash-file.txt is missing"), "{error}");
        assert_eq!(config(false, "no-such-hash-file.txt").check_built_files(), Ok(()));
    }
}
