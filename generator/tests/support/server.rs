//! A loopback HTTP server for the download tests: fixed answers by path, a count of the
//! requests per path, and answers that break off or come slowly.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the server answers a path.
#[derive(Debug, Clone)]
pub enum Answer {
    /// 200 with this body.
    Body(Vec<u8>),
    /// This status (404, say), with a short body.
    Status(u16, &'static str),
    /// 200 announcing `claimed` bytes, then only `body` before the connection closes.
    Truncated { body: Vec<u8>, claimed: usize },
}

/// A running server; it stops with the test process.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

impl Server {
    /// Serves `routes` (path, answer; 404 elsewhere), each answer after `delay`.
    pub fn start(routes: Vec<(String, Answer)>, delay: Duration) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let hits = Arc::new(Mutex::new(HashMap::new()));
        let routes: Arc<HashMap<String, Answer>> = Arc::new(routes.into_iter().collect());
        let counted = Arc::clone(&hits);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (routes, hits) = (Arc::clone(&routes), Arc::clone(&counted));
                std::thread::spawn(move || answer(stream, &routes, &hits, delay));
            }
        });
        Server { base, hits }
    }

    /// How many requests asked for `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    /// How many requests came, for any path.
    pub fn total_hits(&self) -> usize {
        self.hits.lock().unwrap().values().sum()
    }
}

/// Reads one request and answers it.
fn answer(stream: TcpStream, routes: &HashMap<String, Answer>, hits: &Mutex<HashMap<String, usize>>, delay: Duration) {
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 0) && header != "\r\n" {
        header.clear();
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    *hits.lock().unwrap().entry(path.clone()).or_default() += 1;
    std::thread::sleep(delay);
    let found = routes.get(&path).cloned().unwrap_or(Answer::Status(404, "Not Found"));
    let (status, body, claimed) = match found {
        Answer::Body(body) => ("200 OK".to_owned(), body.clone(), body.len()),
        Answer::Status(code, reason) => (format!("{code} {reason}"), reason.as_bytes().to_vec(), reason.len()),
        Answer::Truncated { body, claimed } => ("200 OK".to_owned(), body, claimed),
    };
    let head = format!("HTTP/1.1 {status}\r\nContent-Length: {claimed}\r\nConnection: close\r\n\r\n");
    let mut stream = stream;
    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body)).and_then(|()| stream.flush());
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// An address on which nothing listens: connections to it are refused.
pub fn refused_base() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}")
}
