//! The first review a clerk sees, in headless Chromium at full speed and
//! with the CPU slowed 4x (Chrome DevTools' `Emulation.setCPUThrottlingRate`,
//! through chromedriver): the production bundle in dist/ (`cargo xtask ui`), the
//! real relay serving a generated demo district (2,000 students, seed 1),
//! and the page opened on an approved application (`/#<id>`).
//!
//! Each run times, with the page's own clock (`performance.now()`, from
//! the navigation's start), when the review is first on screen (the frame
//! after `article.wb-review` appears): the page, the wasm compiled and
//! started, signed in, the slice fetched, the review prepared and drawn.
//! "Cold" runs clear the browser's cache first (a clerk's first visit);
//! "warm" ones reuse it (the next day, every file still cacheable).
//!
//! `cargo bench --bench first_review` after `cargo xtask ui` and
//! `cargo build -p writeback-relay -p writeback-cli` (`cargo xtask bench`
//! does both).
//! `WRITEBACK_BENCH_RUNS` (default 10) runs of each kind.

mod support;

use std::path::PathBuf;
use std::process::{Command, Stdio};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::Client;
use serde_json::{json, Value};
use support::{free_port, start_browser, start_relay, wait_for_port};
use writeback::application::ApplicationStatus;

/// The CPU slowdowns timed: none, and the one the floor is stated at.
const SLOWDOWNS: [u32; 2] = [1, 4];

/// A Chrome DevTools command, sent through chromedriver's
/// `goog/cdp/execute` endpoint.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "cmd": self.cmd, "params": self.params }).to_string()))
    }
}

async fn cdp(c: &Client, cmd: &'static str, params: Value) {
    c.issue_cmd(Cdp { cmd, params }).await.unwrap_or_else(|e| panic!("{cmd}: {e}"));
}

/// Runs in every new document before the page's own scripts: notes when
/// the review is first on screen.
const OBSERVE: &str = "
    window.__reviewShown = new Promise((resolve) => {
        const seen = () => document.querySelector('article.wb-review');
        const done = () => requestAnimationFrame(() => resolve(performance.now()));
        new MutationObserver((_, observer) => {
            if (seen()) { observer.disconnect(); done(); }
        }).observe(document, { childList: true, subtree: true });
    });";

/// The first approved application of the demo, by id.
fn approved_application(demo: &std::path::Path) -> String {
    let mut paths: Vec<PathBuf> =
        std::fs::read_dir(demo.join("applications")).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths
        .iter()
        .map(|p| writeback_files::load_application(p).expect("a demo application loads"))
        .find(|a| a.status == ApplicationStatus::Approved)
        .expect("the demo has an approved application")
        .id
        .to_string()
}

/// Opens `url` and returns when its review was on screen, in ms.
async fn time_first_review(c: &Client, url: &str) -> f64 {
    c.goto("about:blank").await.unwrap();
    c.goto(url).await.unwrap();
    let shown = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const late = setTimeout(() => done(-1), 30000);
             window.__reviewShown.then((t) => { clearTimeout(late); done(t); });",
            vec![],
        )
        .await
        .unwrap();
    let ms = shown.as_f64().unwrap_or(-1.0);
    assert!(ms >= 0.0, "the review was not shown within 30 s of opening {url}");
    ms
}

fn summary(times: &mut [f64]) -> String {
    times.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    format!("p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms", at(0.5), at(0.95), times[times.len() - 1])
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dist = root.join("dist");
    let relay = root.join("target/debug/writeback-relay");
    assert!(dist.join("index.html").exists(), "no UI in dist/: run `cargo xtask ui`");
    assert!(relay.exists(), "no relay binary: run `cargo build -p writeback-relay`");
    let cli = root.join("target/debug/writeback");
    assert!(cli.exists(), "no command-line tool: run `cargo build -p writeback-cli`");
    let runs: usize = std::env::var("WRITEBACK_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(10);
    let tmp = tempfile::tempdir().unwrap();
    let demo = tmp.path().join("demo");
    let made = Command::new(&cli)
        .args(["demo-data", "--students", "2000", "--seed", "1", "--out"])
        .arg(&demo)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(made.success(), "demo-data failed");
    let application = approved_application(&demo);
    let port = free_port();
    let _relay = start_relay(&relay, &dist, Some(&demo), tmp.path(), port);
    wait_for_port(port);
    let (_driver, c) = start_browser(&tmp.path().join("profile")).await;
    let version = c.execute("return navigator.userAgent;", vec![]).await.unwrap();
    println!("browser: {}", version.as_str().unwrap_or("?"));
    cdp(&c, "Page.addScriptToEvaluateOnNewDocument", json!({ "source": OBSERVE })).await;
    let url = format!("http://127.0.0.1:{port}/#{application}");
    for slowdown in SLOWDOWNS {
        for (kind, cold) in [("cold cache", true), ("warm cache", false)] {
            let mut times = Vec::new();
            for _ in 0..runs {
                if cold {
                    cdp(&c, "Network.clearBrowserCache", json!({})).await;
                }
                cdp(&c, "Emulation.setCPUThrottlingRate", json!({ "rate": slowdown })).await;
                times.push(time_first_review(&c, &url).await);
            }
            println!(
                "first review on screen, {slowdown}x CPU slowdown, {kind}, {runs} runs of {application}: {}",
                summary(&mut times)
            );
        }
    }
    c.close().await.ok();
}
