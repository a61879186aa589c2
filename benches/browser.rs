//! Benchmarks inside headless Chromium: the widget's WebAssembly, timed with
//! the browser's own clock (`performance.now()`), driven through WebDriver.
//!
//! `cargo xtask bench` builds the UI with the `bench` feature (dist-bench/:
//! the production bundle in dist/ does not carry the benchmarks) and the
//! relay first; run alone: `cargo bench --bench browser` after
//! `trunk build --release --features ui,bench --dist dist-bench` and
//! `cargo build -p writeback-relay`.
//!
//! With `WRITEBACK_BENCH_DEMO=<demo folder>` (from `writeback demo-data`)
//! the relay serves that district and the bench also times opening
//! applications as a clerk does: from the click in the list to the review
//! on screen (the slice fetched, the review prepared and drawn).
//! `WRITEBACK_BENCH_RELAY` picks the relay binary (default: the debug one).

mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use support::{free_port, start_browser, start_relay, wait_for_port};

/// The benchmarks: (name, JavaScript returning the result of an exported
/// benchmark function of the widget).
const BENCHES: &[(&str, &str)] = &[
    ("review, 2,000-student district", "return window.wasmBindings.benchReview(2000, 200);"),
    ("review, 20,000-student district", "return window.wasmBindings.benchReview(20000, 100);"),
    ("contact matching, 100,000 persons", "return window.wasmBindings.benchContactMatching(100000, 1000);"),
];

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dist = root.join("dist-bench");
    let relay = std::env::var_os("WRITEBACK_BENCH_RELAY")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/debug/writeback-relay"));
    let demo = std::env::var_os("WRITEBACK_BENCH_DEMO").map(PathBuf::from);
    assert!(dist.join("index.html").exists(), "no bench UI in dist-bench/: run `cargo xtask bench`");
    assert!(relay.exists(), "no relay binary: run `cargo build -p writeback-relay` (or `cargo xtask bench`)");
    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    let started = Instant::now();
    let _relay = start_relay(&relay, &dist, demo.as_deref(), tmp.path(), port);
    wait_for_port(port);
    if demo.is_some() {
        println!("relay: listening {:.1} s after start", started.elapsed().as_secs_f64());
    }
    let (_driver, c) = start_browser(&tmp.path().join("profile")).await;
    c.goto(&format!("http://127.0.0.1:{port}/")).await.unwrap();
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(fantoccini::Locator::Css("#writeback .wb"))
        .await
        .expect("the widget starts");
    let version = c.execute("return navigator.userAgent;", vec![]).await.unwrap();
    println!("browser: {}", version.as_str().unwrap_or("?"));
    for (name, script) in BENCHES {
        let result = c.execute(script, vec![]).await.unwrap_or_else(|e| panic!("{name}: {e}"));
        println!("{name}: {result}");
    }
    if demo.is_some() {
        open_applications(&c).await;
    }
    c.close().await.ok();
}

/// Clicks through the approved applications in the list (up to 40), each
/// timed from the click to its review on screen with `performance.now()`.
async fn open_applications(c: &fantoccini::Client) {
    c.wait()
        .at_most(Duration::from_secs(60))
        .for_element(fantoccini::Locator::Css("button.wb-app"))
        .await
        .expect("the application list");
    let ids = c
        .execute(
            "return [...document.querySelectorAll('button.wb-app')]
                 .filter(b => b.textContent.includes('approved')).slice(0, 40).map(b => b.dataset.appId);",
            vec![],
        )
        .await
        .unwrap();
    let mut times = Vec::new();
    for id in ids.as_array().unwrap() {
        let script = "const [id, done] = arguments;
            const t0 = performance.now();
            document.querySelector(`button.wb-app[data-app-id='${id}']`).click();
            (function poll() {
                const r = document.querySelector(`article.wb-review[data-app-id='${id}']`);
                if (r) { requestAnimationFrame(() => done(performance.now() - t0)); }
                else if (performance.now() - t0 > 20000) { done(-1); }
                else { setTimeout(poll, 2); }
            })();";
        let ms = c.execute_async(script, vec![id.clone()]).await.unwrap().as_f64().unwrap_or(-1.0);
        assert!(ms >= 0.0, "{id} did not open within 20 s");
        times.push(ms);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "open an application (click to review visible), {} applications: p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms",
        times.len(),
        at(0.5),
        at(0.95),
        times[times.len() - 1]
    );
}
