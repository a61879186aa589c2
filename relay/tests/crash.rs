//! The relay process killed with SIGKILL again and again while staff submit
//! (the real binary, on loopback, delivering to its outbox): every
//! acknowledged submission is delivered exactly once, byte for byte;
//! nothing partial is visible at the destination; a submission whose
//! answer was lost and that is retried with its idempotency key is stored
//! and delivered once; the spool keeps nothing no submission owns.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use writeback_auth::Permission;

/// Submissions made in all (each with its own idempotency key).
const SUBMISSIONS: usize = 1000;
/// Times the relay is killed while they are made.
const KILLS: usize = 24;
/// Requests in flight at once.
const CLIENTS: usize = 6;
/// Staff members submitting (the rate limit is per staff member).
const STAFF: usize = 8;

struct Relay(Child);

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_relay(demo: &Path, data: &Path, port: u16) -> Relay {
    let child = Command::new(env!("CARGO_BIN_EXE_writeback-relay"))
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--public-origin")
        .arg(format!("http://127.0.0.1:{port}"))
        .arg("--demo")
        .arg(demo)
        .arg("--data-dir")
        .arg(data)
        .arg("--auth-public-key")
        .arg(demo.join("keys/verify.pem"))
        .args(["--reload-interval-seconds", "0"])
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the relay binary starts");
    let mut relay = Relay(child);
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = relay.0.try_wait().unwrap() {
            panic!("the relay exited ({status}) before listening");
        }
        assert!(start.elapsed() < Duration::from_secs(30), "the relay did not listen within 30 s");
        std::thread::sleep(Duration::from_millis(10));
    }
    relay
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// One HTTP/1.1 request on its own connection; the status and body, or
/// `None` if no whole answer came (the relay died).
async fn request(
    port: u16,
    method: &str,
    path: &str,
    token: &str,
    key: &str,
    body: &str,
) -> Option<(u16, bool, String)> {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n\
         Idempotency-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.ok()?;
    stream.write_all(body.as_bytes()).await.ok()?;
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer)).await.ok()?.ok()?;
    let text = String::from_utf8(answer).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status: u16 = head.split_whitespace().nth(1)?.parse().ok()?;
    let length: usize = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().ok()))??;
    let replayed = head.lines().any(|l| l.eq_ignore_ascii_case("idempotent-replayed: true"));
    (body.len() == length).then(|| (status, replayed, body.to_string()))
}

/// What the clients learnt: the entries (id, file name) each acknowledged
/// submission got, by key.
#[derive(Default)]
struct Ledger {
    acknowledged: BTreeMap<usize, Vec<(u64, String)>>,
    /// Keys sent whose answer never came.
    unanswered: BTreeSet<usize>,
    /// Answers that were replays: the relay had stored the submission
    /// before it died, and the retry got the first answer.
    replayed: usize,
}

async fn submit(port: u16, tokens: &[String], key: usize) -> Option<(bool, Vec<(u64, String)>)> {
    let body = writeback_body(&[("students", STUDENTS_FILE)]);
    let token = &tokens[key % STAFF];
    let (status, replayed, text) =
        request(port, "POST", "/api/applications/A-1001/writeback", token, &format!("crash-{key}"), &body).await?;
    assert_eq!(status, 201, "submission {key}: {text}");
    let entries: serde_json::Value = serde_json::from_str(&text).unwrap();
    let entries = entries.as_array().unwrap().iter();
    Some((
        replayed,
        entries.map(|e| (e["id"].as_u64().unwrap(), e["file_name"].as_str().unwrap().to_string())).collect(),
    ))
}

/// One life of the relay: clients submit the keys in `todo` until `kill_after`
/// more are acknowledged (then the relay is killed with requests in
/// flight) or every key is.
async fn one_life(
    demo: &Path,
    data: &Path,
    tokens: &Arc<Vec<String>>,
    todo: Vec<usize>,
    kill_after: Option<usize>,
    ledger: &Arc<Mutex<Ledger>>,
) {
    let port = free_port();
    let mut relay = start_relay(demo, data, port);
    let todo = Arc::new(Mutex::new(todo.into_iter().rev().collect::<Vec<_>>()));
    let acked = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let (todo, acked, ledger, tokens) = (todo.clone(), acked.clone(), ledger.clone(), tokens.clone());
        clients.push(tokio::spawn(async move {
            loop {
                let Some(key) = todo.lock().unwrap().pop() else { return };
                match submit(port, &tokens, key).await {
                    Some((replayed, entries)) => {
                        let mut l = ledger.lock().unwrap();
                        l.replayed += usize::from(replayed);
                        l.unanswered.remove(&key);
                        if let Some(before) = l.acknowledged.insert(key, entries.clone()) {
                            assert_eq!(before, entries, "key {key} was answered with other entries");
                        }
                        acked.fetch_add(1, Ordering::SeqCst);
                    }
                    None => {
                        ledger.lock().unwrap().unanswered.insert(key);
                        return;
                    }
                }
            }
        }));
    }
    if let Some(n) = kill_after {
        while acked.load(Ordering::SeqCst) < n && clients.iter().any(|c| !c.is_finished()) {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        relay.0.kill().unwrap();
        relay.0.wait().unwrap();
    }
    for c in clients {
        c.await.unwrap();
    }
    drop(relay);
    // Whatever was not sent goes back to the pile.
    let left: Vec<usize> = std::mem::take(&mut *todo.lock().unwrap());
    ledger.lock().unwrap().unanswered.extend(left);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_while_submitting_loses_nothing_and_delivers_once() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let outbox = data.path().join("outbox");
    let tokens: Arc<Vec<String>> = Arc::new(
        (0..STAFF).map(|i| token_for(demo.path(), &format!("clerk{i}"), &[Permission::ApplicationWriteback])).collect(),
    );
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let per_life = SUBMISSIONS / KILLS;
    let mut next = 0;
    let started = Instant::now();
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..KILLS {
        // First the keys whose answer was lost (a retry), then new ones.
        let mut todo: Vec<usize> = std::mem::take(&mut ledger.lock().unwrap().unanswered).into_iter().collect();
        let fresh = (per_life + 10).min(SUBMISSIONS - next);
        todo.extend(next..next + fresh);
        next += fresh;
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let kill_after = 1 + (rng % per_life as u64) as usize;
        one_life(demo.path(), data.path(), &tokens, todo, Some(kill_after), &ledger).await;
    }
    // The last life: everything left is retried, and delivered.
    let todo: Vec<usize> = {
        let mut l = ledger.lock().unwrap();
        let mut todo: Vec<usize> = std::mem::take(&mut l.unanswered).into_iter().collect();
        todo.extend(next..SUBMISSIONS);
        todo
    };
    one_life(demo.path(), data.path(), &tokens, todo, None, &ledger).await;
    let ledger = ledger.lock().unwrap();
    assert!(ledger.unanswered.is_empty(), "left unanswered: {:?}", ledger.unanswered);
    assert_eq!(ledger.acknowledged.len(), SUBMISSIONS);

    let relay = start_relay(demo.path(), data.path(), free_port());
    let expected: BTreeSet<String> = ledger.acknowledged.values().flatten().map(|(_, name)| name.clone()).collect();
    assert_eq!(expected.len(), SUBMISSIONS, "each submission has its own one entry");
    let start = Instant::now();
    while names_in(&outbox).len() < expected.len() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "not all delivered: {} of {}",
            names_in(&outbox).len(),
            expected.len()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(relay);
    let delivered: BTreeSet<String> = names_in(&outbox).into_iter().collect();
    assert_eq!(delivered, expected, "exactly the acknowledged files, nothing partial or extra");
    for name in &delivered {
        assert_eq!(fs::read(outbox.join(name)).unwrap(), STUDENTS_FILE.as_bytes(), "{name}");
    }
    // Every entry delivered; the database holds no entry nobody was told of.
    let db = rusqlite::Connection::open(data.path().join("relay.sqlite3")).unwrap();
    let (entries, undelivered): (i64, i64) = db
        .query_row("SELECT COUNT(*), COUNT(*) FILTER (WHERE status != 'delivered') FROM entries", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((entries as usize, undelivered), (SUBMISSIONS, 0));
    let spool: BTreeSet<String> = names_in(&data.path().join("spool")).into_iter().collect();
    assert_eq!(spool, expected, "the spool holds the accepted files and nothing else");
    eprintln!(
        "{SUBMISSIONS} submissions through {KILLS} kill -9 in {:.1} s; {} retried after a lost answer were stored already",
        started.elapsed().as_secs_f64(),
        ledger.replayed
    );
}
