//! Accepted submissions per second and their latency under load: the relay
//! binary (bench profile: optimised) on loopback, `CLIENTS` requests in
//! flight at once (bounded), each a whole writeback recomputed by the relay,
//! stored (spool fsync, SQLite commit) and answered, while the worker
//! delivers to the outbox.
//!
//!     cargo bench -p writeback-relay --bench submissions
//!
//! Figures: docs/benchmarks.md.

#[path = "../tests/common/mod.rs"]
#[allow(unused_imports)]
mod common;

use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use writeback_auth::Permission;

const SUBMISSIONS: usize = 2000;
const CLIENTS: usize = 8;
const STAFF: usize = 8;

async fn post(port: u16, token: &str, key: &str, body: &str) -> u16 {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let head = format!(
        "POST /api/applications/A-1001/writeback HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n\
         Idempotency-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer).split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn main() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut relay = Command::new(env!("CARGO_BIN_EXE_writeback-relay"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--public-origin", &format!("http://127.0.0.1:{port}")])
        .arg("--demo")
        .arg(demo.path())
        .arg("--data-dir")
        .arg(data.path())
        .arg("--auth-public-key")
        .arg(demo.path().join("keys/verify.pem"))
        .args(["--reload-interval-seconds", "0"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        std::thread::sleep(Duration::from_millis(10));
    }
    let tokens: Arc<Vec<String>> = Arc::new(
        (0..STAFF).map(|i| token_for(demo.path(), &format!("clerk{i}"), &[Permission::ApplicationWriteback])).collect(),
    );
    let body = Arc::new(writeback_body(&[("students", STUDENTS_FILE)]));
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(SUBMISSIONS)));
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Instant::now();
    rt.block_on(async {
        let mut clients = Vec::new();
        for _ in 0..CLIENTS {
            let (tokens, body, latencies, next) = (tokens.clone(), body.clone(), latencies.clone(), next.clone());
            clients.push(tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if i >= SUBMISSIONS {
                        return;
                    }
                    let t = Instant::now();
                    let status = post(port, &tokens[i % STAFF], &format!("bench-{i}"), &body).await;
                    assert_eq!(status, 201, "submission {i}");
                    latencies.lock().unwrap().push(t.elapsed());
                }
            }));
        }
        for c in clients {
            c.await.unwrap();
        }
    });
    let elapsed = start.elapsed();
    let _ = relay.kill();
    let _ = relay.wait();
    let mut l = latencies.lock().unwrap().clone();
    l.sort();
    let pct = |p: f64| l[((l.len() as f64 * p) as usize).min(l.len() - 1)].as_secs_f64() * 1000.0;
    println!(
        "{SUBMISSIONS} submissions, {CLIENTS} in flight: {:.0} accepted/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        SUBMISSIONS as f64 / elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.99),
        l.last().unwrap().as_secs_f64() * 1000.0
    );
}
