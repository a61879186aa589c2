//! Benchmarks inside headless Chromium: the widget's WebAssembly, timed with
//! the browser's own clock (`performance.now()`), driven through WebDriver.
//!
//! `cargo xtask bench` builds the UI (dist/) and the relay first; run alone:
//! `cargo bench --bench browser` after `cargo xtask ui` and
//! `cargo build -p writeback-relay`.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::ClientBuilder;
use serde_json::json;

struct Guard(Child);
impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_for_port(port: u16) {
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < Duration::from_secs(30), "nothing listens on {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

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
    let dist = root.join("dist");
    let relay = root.join("target/debug/writeback-relay");
    assert!(dist.join("index.html").exists(), "no UI in dist/: run `cargo xtask ui` (or `cargo xtask bench`)");
    assert!(relay.exists(), "no relay binary: run `cargo build -p writeback-relay` (or `cargo xtask bench`)");
    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    let _relay = Guard(
        Command::new(&relay)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .arg("--dist")
            .arg(&dist)
            .arg("--data-dir")
            .arg(tmp.path().join("relay"))
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let driver_port = free_port();
    let _driver = Guard(
        Command::new("chromedriver")
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (apt-get install chromium-driver)"),
    );
    wait_for_port(port);
    wait_for_port(driver_port);
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run",
                     format!("--user-data-dir={}", tmp.path().join("profile").display())],
        }),
    );
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("a WebDriver session");
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
    c.close().await.ok();
}
