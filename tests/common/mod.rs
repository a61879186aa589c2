//! What the browser tests share: a generated demo district, the real relay
//! serving the Trunk-built UI, and headless Chromium through chromedriver.
//!
//! Needs the UI, the relay binary and the command-line tool (`writeback`,
//! crate `writeback-cli`): `cargo xtask test` builds them and passes their
//! paths in `WRITEBACK_TEST_DIST`, `WRITEBACK_TEST_RELAY_BIN` and
//! `WRITEBACK_TEST_CLI_BIN` (binaries of other packages, which
//! `CARGO_BIN_EXE_*` does not name).
// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::ffi::OsString;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use writeback::application::Application;
use writeback::domain::{Date, PersonId};
use writeback::plan::{District, Reviewer};
use writeback_files as files;
use writeback_synth::demo::demo_staff;

/// How long any one thing may take to show in the browser.
pub const SHOW_LIMIT: Duration = Duration::from_secs(20);

/// Kills a child process when dropped.
pub struct Guard(pub Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Kills a child started in a process group of its own, and everything it
/// started, when dropped: chromedriver's Chromium goes with it even when
/// a test fails before closing its session.
pub struct GroupGuard(pub Child);

impl GroupGuard {
    /// Starts `cmd` as the leader of a new process group.
    pub fn spawn(cmd: &mut Command) -> std::io::Result<GroupGuard> {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0).spawn().map(GroupGuard)
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.0.wait();
    }
}

/// A free loopback port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("a free loopback port").local_addr().unwrap().port()
}

/// A path from the environment that must exist.
pub fn required_path(var: &str, what: &str) -> PathBuf {
    let p = std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        panic!("{var} is not set: run the tests with `cargo xtask test`, which builds {what} first")
    });
    assert!(p.exists(), "{what} not found at {}: run `cargo xtask test`", p.display());
    p
}

/// The command-line tool (`writeback`, crate `writeback-cli`), from
/// `WRITEBACK_TEST_CLI_BIN`.
pub fn cli_bin() -> PathBuf {
    required_path("WRITEBACK_TEST_CLI_BIN", "the command-line tool (`writeback`)")
}

/// Waits (30 s at most) until something listens on `port`.
pub fn wait_for_port(port: u16, what: &str) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < Duration::from_secs(30), "{what} did not start listening on port {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Today, as the browser sees it (UTC is close enough: the reviews tested do
/// not change within a day).
pub fn system_today() -> Date {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    Date::from_days_since_epoch((secs / 86_400) as i64).unwrap()
}

/// A generated demo district in a new temporary folder (not served yet, so
/// a test may change an application first).
pub fn generate(students: &str, seed: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let demo = tmp.path().join("demo");
    let status = Command::new(cli_bin())
        .args(["demo-data", "--students", students, "--seed", seed, "--out"])
        .arg(&demo)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "demo-data failed");
    (tmp, demo)
}

/// The demo district as the core sees it, the reviewer the page has, and
/// the applications (with their files), in id order.
pub fn load_district(demo: &Path) -> (District, Reviewer, Vec<(PathBuf, Application)>) {
    let snapshot = files::load_snapshot(&demo.join("snapshot")).expect("demo snapshot loads");
    let mappings = files::load_mappings(&demo.join("mappings.json")).expect("demo mappings load");
    let settings = files::read_json(&demo.join("district.json")).expect("demo settings load");
    let mut paths: Vec<_> = std::fs::read_dir(demo.join("applications")).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    let apps = paths.into_iter().map(|p| (p.clone(), files::load_application(&p).unwrap())).collect();
    let reviewer = Reviewer { staff: demo_staff(), today: system_today() };
    (District::new(snapshot, mappings, settings).expect("mappings fit"), reviewer, apps)
}

/// A demo district served by the real relay, and a browser session.
pub struct Session {
    pub demo: PathBuf,
    pub data_dir: PathBuf,
    pub relay_port: u16,
    pub client: Client,
    _relay: Guard,
    _driver: GroupGuard,
    _tmp: tempfile::TempDir,
}

impl Session {
    /// Serves `demo` (in `tmp`) with the relay, given `relay_args` beyond
    /// the listen address, UI, demo and data folders; starts the browser.
    pub async fn start(tmp: tempfile::TempDir, demo: PathBuf, relay_args: Vec<OsString>) -> Session {
        let dist = required_path("WRITEBACK_TEST_DIST", "the UI (Trunk)");
        let relay_bin = required_path("WRITEBACK_TEST_RELAY_BIN", "the relay binary");
        let relay_port = free_port();
        let data_dir = tmp.path().join("relay");
        // The staff-token keys: the relay verifies with one, and signs the
        // demo page's tokens with the other (standing in for the host).
        let keys = tmp.path().join("keys");
        let status = Command::new(cli_bin()).args(["keys", "--out"]).arg(&keys).stdout(Stdio::null()).status().unwrap();
        assert!(status.success(), "writeback keys failed");
        let relay = Guard(
            Command::new(&relay_bin)
                .args(["--listen", &format!("127.0.0.1:{relay_port}")])
                .arg("--dist")
                .arg(&dist)
                .arg("--demo")
                .arg(&demo)
                .arg("--data-dir")
                .arg(&data_dir)
                .arg("--auth-public-key")
                .arg(keys.join("verify.pem"))
                .arg("--demo-signing-key")
                .arg(keys.join("signing.pem"))
                .args(relay_args)
                .stdout(Stdio::null())
                .spawn()
                .expect("the relay starts"),
        );
        let driver_port = free_port();
        let driver = GroupGuard::spawn(
            Command::new("chromedriver")
                .arg(format!("--port={driver_port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        )
        .expect("chromedriver starts (apt-get install chromium-driver)");
        wait_for_port(relay_port, "the relay");
        wait_for_port(driver_port, "chromedriver");
        let profile = tmp.path().join("chromium-profile");
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--window-size=1400,1000", format!("--user-data-dir={}", profile.display()),
                ],
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{driver_port}"))
            .await
            .expect("a WebDriver session");
        Session { demo, data_dir, relay_port, client, _relay: relay, _driver: driver, _tmp: tmp }
    }

    /// Generates a demo district and serves it.
    pub async fn demo(students: &str, seed: &str) -> Session {
        let (tmp, demo) = generate(students, seed);
        Session::start(tmp, demo, Vec::new()).await
    }

    /// Loads the widget.
    pub async fn home(&self) {
        self.client.goto(&format!("http://127.0.0.1:{}/", self.relay_port)).await.unwrap();
    }

    /// Loads the widget and opens the application `id`.
    pub async fn open(&self, id: &str) {
        self.home().await;
        click(&self.client, &format!("button.wb-app[data-app-id='{id}']")).await;
    }
}

/// Runs axe-core (installed by `cargo xtask setup` from npm) on the page as
/// it is now and asserts it finds nothing critical or serious; `screen`
/// names the screen in the failure.
pub async fn assert_accessible(c: &Client, screen: &str) {
    let axe = required_path("WRITEBACK_TEST_AXE", "axe-core (npm)");
    let source = std::fs::read_to_string(&axe).unwrap();
    c.execute(&format!("{source}\nwindow.axe = axe;"), vec![])
        .await
        .unwrap_or_else(|e| panic!("loading axe-core: {e}"));
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations
                 .filter(v => v.impact === 'critical' || v.impact === 'serious')
                 .map(v => `${v.impact} ${v.id} (${v.help}): ` +
                      v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | '))))
               .catch(e => done(['axe-core failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("running axe-core on {screen}: {e}"));
    let problems: Vec<String> = serde_json::from_value(found).unwrap();
    assert!(problems.is_empty(), "axe-core on {screen}:\n{}", problems.join("\n"));
}

/// The text of the first element matching `css`, once shown.
/// Asserts the page draws no icon with a font's symbols or emoji (arrows,
/// dingbats, pictographs: empty boxes where the font lacks them), and that
/// it draws some as inline SVG.
pub async fn assert_icons_are_svg(c: &Client) {
    let text = text_of(c, "body").await;
    let symbol = |ch: char| matches!(ch as u32, 0x2190..=0x2BFF | 0x1F000..=0x1FFFF);
    let found: String = text.chars().filter(|&ch| symbol(ch)).collect();
    assert!(found.is_empty(), "symbols drawn with a font: {found:?}");
    let svgs = c.find_all(Locator::Css("svg.wb-svg-icon")).await.unwrap();
    assert!(!svgs.is_empty(), "no inline SVG icon on the page");
}

pub async fn text_of(c: &Client, css: &str) -> String {
    let el = c
        .wait()
        .at_most(SHOW_LIMIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} not shown: {e}"));
    el.prop("textContent").await.unwrap().unwrap_or_default()
}

/// Clicks the first element matching `css`, once shown. A candidate among
/// a block's weak matches is behind "Show the N weak match(es)": that is
/// clicked first, as staff would.
pub async fn click(c: &Client, css: &str) {
    let el = c
        .wait()
        .at_most(SHOW_LIMIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} not shown: {e}"));
    let reveal = "const el = document.querySelector(arguments[0]);
                  const d = el && el.tagName !== 'SUMMARY' ? el.closest('details:not([open])') : null;
                  if (d) { d.querySelector('summary').click(); }";
    c.execute(reveal, vec![css.into()]).await.unwrap_or_else(|e| panic!("revealing {css}: {e}"));
    el.click().await.unwrap_or_else(|e| panic!("clicking {css}: {e}"));
}

/// The other applications of `app`'s family batch, as the widget passes
/// them to the review (none when it has no batch).
pub fn family_of(apps: &[(PathBuf, Application)], app: &Application) -> Vec<Application> {
    match &app.family_batch {
        Some(batch) => apps
            .iter()
            .map(|(_, a)| a)
            .filter(|a| a.id != app.id && a.family_batch.as_ref() == Some(batch))
            .cloned()
            .collect(),
        None => Vec::new(),
    }
}

/// The text of the first element matching `css`, once it contains
/// `needle` (within [`SHOW_LIMIT`]).
pub async fn text_containing(c: &Client, css: &str, needle: &str) -> String {
    let start = Instant::now();
    loop {
        let now = match c.find(Locator::Css(css)).await {
            Ok(el) => el.prop("textContent").await.ok().flatten().unwrap_or_default(),
            Err(_) => String::new(),
        };
        if now.contains(needle) {
            return now;
        }
        assert!(start.elapsed() < SHOW_LIMIT, "{css} shows {now:?}, which does not contain {needle:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// How many elements match `css`.
pub async fn count(c: &Client, css: &str) -> usize {
    c.find_all(Locator::Css(css)).await.map(|v| v.len()).unwrap_or(0)
}

/// The decisions staff make first on `prepared`: each undecided contact
/// block's best candidate confirmed; with the (block, person) pairs to click.
pub fn confirm_best_candidates(
    prepared: &writeback::plan::ApplicationReview,
) -> (writeback::plan::Decisions, Vec<(String, PersonId)>) {
    let mut decisions = writeback::plan::Decisions::default();
    let mut confirm = Vec::new();
    for c in prepared.decide(&decisions).contacts {
        if let (false, Some(best)) = (c.decision.decided, c.matches.candidates.first()) {
            decisions.contacts.blocks.entry(c.matches.block.clone()).or_default().state =
                Some(writeback::contacts::ContactState::Confirmed(best.person_id));
            confirm.push((c.matches.block.clone(), best.person_id));
        }
    }
    (decisions, confirm)
}
