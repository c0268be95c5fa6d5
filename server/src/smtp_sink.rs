//! A small SMTP server that keeps what it receives: for tests, the mail benchmark, and trying
//! Clientele on a laptop (`server smtp-sink`). It speaks the protocol for real (greeting, EHLO,
//! MAIL, RCPT, DATA with dot-stuffing, RSET, NOOP, QUIT), so the mailer is exercised end to end.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::Notify;

/// One message as the sink received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// Headers and body, as sent (dot-stuffing undone).
    pub data: String,
}

impl Received {
    /// The message with quoted-printable soft line breaks and `=3D` undone: enough to read
    /// links and words in tests.
    pub fn readable(&self) -> String {
        self.data.replace("=\r\n", "").replace("=3D", "=")
    }
}

/// How the sink treats messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// Accepts every message.
    Accept,
    /// Refuses the first `n` messages with a temporary error (451), then accepts.
    RefuseFirst(usize),
    /// Takes connections and never answers: a mail server that hangs mid-conversation.
    Stall,
}

#[derive(Clone)]
pub struct SmtpSink {
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    arrived: Arc<Notify>,
    connections: Arc<AtomicUsize>,
}

impl SmtpSink {
    pub async fn start(behaviour: Behaviour) -> std::io::Result<SmtpSink> {
        Self::start_on("127.0.0.1:0", behaviour).await
    }

    pub async fn start_on(addr: &str, behaviour: Behaviour) -> std::io::Result<SmtpSink> {
        let listener = TcpListener::bind(addr).await?;
        let sink = SmtpSink {
            addr: listener.local_addr()?,
            received: Arc::default(),
            arrived: Arc::default(),
            connections: Arc::default(),
        };
        let refused = Arc::new(AtomicUsize::new(0));
        let server = sink.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                server.connections.fetch_add(1, Ordering::SeqCst);
                let (server, refused) = (server.clone(), refused.clone());
                tokio::spawn(async move {
                    if behaviour == Behaviour::Stall {
                        // Hold the connection open, silent, until the client goes away.
                        let mut socket = socket;
                        let mut buffer = [0u8; 1024];
                        while let Ok(n) = tokio::io::AsyncReadExt::read(&mut socket, &mut buffer).await {
                            if n == 0 {
                                break;
                            }
                        }
                        return;
                    }
                    let _ = server.converse(socket, behaviour, &refused).await;
                });
            }
        });
        Ok(sink)
    }

    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// How many connections were opened to the sink.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Waits until at least `count` messages arrived, or `timeout` passed; returns them.
    pub async fn wait_for(&self, count: usize, timeout: std::time::Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let arrived = self.arrived.notified();
            let received = self.received();
            if received.len() >= count || tokio::time::Instant::now() >= deadline {
                return received;
            }
            let _ = tokio::time::timeout_at(deadline, arrived).await;
        }
    }

    async fn converse(
        &self,
        socket: tokio::net::TcpStream,
        behaviour: Behaviour,
        refused: &AtomicUsize,
    ) -> std::io::Result<()> {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read);
        write.write_all(b"220 clientele-sink ESMTP\r\n").await?;
        let (mut from, mut to) = (String::new(), Vec::new());
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let command = line.trim_end().to_string();
            let verb = command
                .split([' ', ':'])
                .next()
                .unwrap_or_default()
                .to_ascii_uppercase();
            let reply: &[u8] = match verb.as_str() {
                "EHLO" => b"250-clientele-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
                "HELO" => b"250 clientele-sink\r\n",
                "MAIL" => {
                    from = address_in(&command);
                    to.clear();
                    b"250 OK\r\n"
                }
                "RCPT" => {
                    to.push(address_in(&command));
                    b"250 OK\r\n"
                }
                "DATA" => {
                    write
                        .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                        .await?;
                    let data = read_data(&mut lines).await?;
                    let refuse = matches!(behaviour, Behaviour::RefuseFirst(n) if refused.fetch_add(1, Ordering::SeqCst) < n);
                    if refuse {
                        b"451 4.3.0 Try again later\r\n"
                    } else {
                        if let Ok(mut received) = self.received.lock() {
                            received.push(Received {
                                from: from.clone(),
                                to: to.clone(),
                                data,
                            });
                        }
                        self.arrived.notify_waiters();
                        b"250 OK: queued\r\n"
                    }
                }
                "RSET" => {
                    from.clear();
                    to.clear();
                    b"250 OK\r\n"
                }
                "NOOP" => b"250 OK\r\n",
                "QUIT" => {
                    write.write_all(b"221 Bye\r\n").await?;
                    return Ok(());
                }
                _ => b"502 Command not implemented\r\n",
            };
            write.write_all(reply).await?;
        }
    }
}

/// The address between `<` and `>` of a MAIL or RCPT command.
fn address_in(command: &str) -> String {
    command
        .split_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map(|(address, _)| address.to_string())
        .unwrap_or_default()
}

async fn read_data(lines: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> std::io::Result<String> {
    let mut data = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(data);
        }
        if line == ".\r\n" || line == ".\n" {
            return Ok(data);
        }
        data.push_str(line.strip_prefix('.').unwrap_or(&line));
    }
}
