//! A database outage on demand: a TCP proxy in front of PostgreSQL that can be "stopped" (every
//! connection through it cut, new ones closed at once, as a stopped server does) and started
//! again, without touching the PostgreSQL server the other tests use.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

pub struct Outage {
    pub port: u16,
    up: Arc<AtomicBool>,
    /// Bumped to cut every connection open through the proxy.
    cut: watch::Sender<u64>,
}

impl Outage {
    /// A proxy on a free port forwarding to `target` (`host:port`).
    pub async fn proxy(target: String) -> Outage {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let port = listener.local_addr().expect("address").port();
        let up = Arc::new(AtomicBool::new(true));
        let (cut, _) = watch::channel(0u64);
        let (accepting, cuts) = (up.clone(), cut.clone());
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if !accepting.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let mut cut = cuts.subscribe();
                let target = target.clone();
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(&target).await else {
                        return;
                    };
                    let (mut client, mut server) = (client, server);
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cut.changed() => {}
                    }
                });
            }
        });
        Outage { port, up, cut }
    }

    /// The database "stops": connections through the proxy are cut, new ones closed.
    pub fn stop(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.cut.send_modify(|n| *n += 1);
    }

    /// The database is back.
    pub fn start(&self) {
        self.up.store(true, Ordering::SeqCst);
    }

    /// `url` (`postgres://user@host:port/db`) with its host and port replaced by the proxy's.
    pub fn route(&self, url: &str) -> String {
        let (scheme, rest) = url.split_once("://").expect("a URL");
        let (authority, path) = rest.split_once('/').expect("a database name");
        let user = authority.rsplit_once('@').map_or("", |(user, _)| user);
        let at = if user.is_empty() { "" } else { "@" };
        format!("{scheme}://{user}{at}127.0.0.1:{}/{path}", self.port)
    }
}
