//! A loopback HTTP server scripted byte by byte, for what a well-behaved server never
//! does: stall, drip, reset, or send without end. It runs as a task of the test's own
//! runtime, so its waits follow tokio's paused clock.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One thing the server does on a connection, after reading the request.
#[derive(Clone)]
pub enum Step {
    /// Sends these bytes.
    Write(Vec<u8>),
    /// Sends these bytes this many times.
    Repeat(Vec<u8>, usize),
    /// Waits (on the test's clock).
    Sleep(Duration),
    /// Keeps the connection open and silent for ever.
    Hang,
}

/// A running server: its base URL, and the head of every request it read.
pub struct RawServer {
    pub url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl RawServer {
    /// Serves the `n`-th connection (from 0) with the steps `script(n)`; the
    /// connection is closed after the last one.
    pub async fn start(script: impl Fn(usize) -> Vec<Step> + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind on loopback");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        let script = Arc::new(script);
        tokio::spawn(async move {
            // Bounded: no test opens more connections than this.
            for n in 0..64 {
                let Ok((socket, _)) = listener.accept().await else { return };
                let (script, seen) = (script.clone(), seen.clone());
                tokio::spawn(async move { serve(socket, script(n), seen).await });
            }
        });
        RawServer { url, requests }
    }

    /// The heads of the requests read so far (request line and headers).
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

async fn serve(mut socket: TcpStream, steps: Vec<Step>, seen: Arc<Mutex<Vec<String>>>) {
    let Some(head) = read_request(&mut socket).await else { return };
    seen.lock().unwrap().push(head);
    for step in steps {
        let written = match step {
            Step::Write(bytes) => socket.write_all(&bytes).await,
            Step::Repeat(bytes, times) => {
                let mut result = Ok(());
                for _ in 0..times {
                    result = socket.write_all(&bytes).await;
                    if result.is_err() {
                        break;
                    }
                }
                result
            }
            Step::Sleep(wait) => {
                tokio::time::sleep(wait).await;
                Ok(())
            }
            Step::Hang => std::future::pending().await,
        };
        if written.is_err() {
            return;
        }
    }
}

/// Reads a request's head and its body (by `Content-Length`), at most 1 MiB.
async fn read_request(socket: &mut TcpStream) -> Option<String> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let read = socket.read(&mut chunk).await.ok()?;
        if read == 0 || buffer.len() > 1 << 20 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| line.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
        .min(1 << 20);
    while buffer.len() < end + length {
        let read = socket.read(&mut chunk).await.ok()?;
        if read == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    Some(head)
}

/// A response head with a status line (`200 OK`) and headers.
pub fn head(status: &str, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut text = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.into_bytes()
}

/// A whole response with a JSON body and its length.
pub fn json(status: &str, body: &str) -> Vec<u8> {
    let length = body.len().to_string();
    let mut bytes = head(status, &[("content-type", "application/json"), ("content-length", &length)]);
    bytes.extend_from_slice(body.as_bytes());
    bytes
}
