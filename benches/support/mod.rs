//! What the browser benchmarks share: child processes killed on drop,
//! loopback ports, the relay serving a UI, and a headless Chromium session
//! (Debian's chromium through chromedriver, a fresh profile).

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

/// A child process, killed when dropped.
pub struct Guard(pub Child);
impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub fn wait_for_port(port: u16) {
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < Duration::from_secs(180), "nothing listens on {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The relay (`relay` binary) serving `dist` on `port`, with new staff-token
/// keys in `tmp` and, when given, the demo district `demo`; not yet
/// listening when it returns.
pub fn start_relay(relay: &Path, dist: &Path, demo: Option<&Path>, tmp: &Path, port: u16) -> Guard {
    let keys = writeback_auth::KeyPair::generate().unwrap();
    std::fs::write(tmp.join("verify.pem"), &keys.verify_pem).unwrap();
    std::fs::write(tmp.join("signing.pem"), &keys.signing_pem).unwrap();
    let mut cmd = Command::new(relay);
    cmd.args(["--listen", &format!("127.0.0.1:{port}")])
        .arg("--dist")
        .arg(dist)
        .arg("--data-dir")
        .arg(tmp.join("relay"))
        .arg("--auth-public-key")
        .arg(tmp.join("verify.pem"))
        .arg("--demo-signing-key")
        .arg(tmp.join("signing.pem"))
        .args(["--reload-interval-seconds", "0"])
        .stdout(Stdio::null());
    if let Some(d) = demo {
        cmd.arg("--demo").arg(d);
    }
    Guard(cmd.spawn().unwrap())
}

/// chromedriver on a free port, and a headless Chromium session through it
/// with its profile in `profile`.
pub async fn start_browser(profile: &Path) -> (Guard, Client) {
    let driver_port = free_port();
    let driver = Guard(
        Command::new("chromedriver")
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (apt-get install chromium-driver)"),
    );
    wait_for_port(driver_port);
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run",
                     format!("--user-data-dir={}", profile.display())],
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("a WebDriver session");
    (driver, client)
}
