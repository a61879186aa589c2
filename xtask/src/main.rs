//! `cargo xtask`: the project's two commands and their helpers.
//!
//! - `cargo xtask run`: installs what is missing, builds the UI with Trunk
//!   (release), generates the demo district and starts the relay on
//!   http://127.0.0.1:8080.
//! - `cargo xtask test`: installs what is missing, checks formatting and
//!   lints, builds the UI and the binaries, and runs every test.
//!
//! Installs are idempotent: each tool is checked first and installed only
//! when missing or at the wrong version.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

mod layers;

const TRUNK_VERSION: &str = "0.21.14";
const APT_PACKAGES: &[(&str, &str)] = &[
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
    ("openssh-server", "/usr/sbin/sshd"),
    ("npm", "/usr/bin/npm"),
];

fn main() -> Result<()> {
    let args: Vec<String> = env::args().skip(1).collect();
    let root = project_root();
    env::set_current_dir(&root)?;
    match args.first().map(String::as_str) {
        Some("setup") => setup(),
        Some("run") => run(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("ui") => {
            setup()?;
            build_ui()?;
            build_pkg()
        }
        Some("pkg") => {
            setup()?;
            build_pkg()
        }
        Some("layers") => check_core_dependencies(),
        Some("bench") => {
            setup()?;
            build_ui()?;
            build_bench_ui()?;
            bench()
        }
        _ => {
            eprintln!(
                "usage: cargo xtask <command>\n\n  run     build the UI, generate the demo district, start the relay on http://127.0.0.1:8080\n  test    run every test (formatting, lints, unit, integration, SFTP, browser)\n  setup   install the tools the two commands need (idempotent)\n  ui      build the UI into dist/ (the package, too, into dist/pkg/)\n  pkg     build the embeddable package into pkg/\n  layers  check that the core depends on nothing that does I/O or touches a browser (test does it too)\n  bench   run the benchmarks"
            );
            bail!("unknown or missing command")
        }
    }
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

fn cargo() -> Command {
    Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn status(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(cmd));
    let s = cmd.status().with_context(|| format!("starting {}", describe(cmd)))?;
    if !s.success() {
        bail!("{} failed ({s})", describe(cmd));
    }
    Ok(())
}

fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program().to_string_lossy().into_owned())
        .chain(cmd.get_args().map(|a| a.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn output(cmd: &mut Command) -> Option<String> {
    cmd.output().ok().filter(|o| o.status.success()).map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
}

/// The wasm-bindgen version Cargo.lock resolves (the CLI must match it).
fn locked_wasm_bindgen() -> Result<String> {
    let lock = std::fs::read_to_string("Cargo.lock").context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|v| v.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    bail!("Cargo.lock has no wasm-bindgen package")
}

/// Installs what the commands need, skipping what is present.
/// What the builds and tests take from the npm registry, installed here
/// once (never fetched while a test runs): binaryen, whose wasm-opt
/// shrinks every wasm the browser loads (Debian's is too old for
/// reference types); axe-core, which the browser tests run on every
/// screen; and TypeScript, which checks the package's types.
const NPM_PACKAGES: [(&str, &str); 3] = [("binaryen", "132.0.0"), ("axe-core", "4.14.1"), ("typescript", "5.9.3")];

/// What wasm-opt does to every wasm the browser loads (Trunk's
/// `data-wasm-opt-params` in index.html say the same for the widget):
/// binaryen's light optimisations (`-O1`: `-Os` and `-Oz` shrink the
/// bytes but gzip them worse, by up to 16%), then the functions ordered
/// by name so that the instances of one generic function lie side by side,
/// where gzip finds what they share, then the names stripped.
const WASM_OPT_ARGS: [&str; 5] =
    ["-O1", "--reorder-functions-by-name", "--strip-debug", "--strip-producers", "--strip-target-features"];

/// Where npm puts binaryen's commands (Trunk finds wasm-opt there).
fn npm_bin() -> PathBuf {
    npm_dir().join("node_modules/.bin")
}

/// `PATH` with [`npm_bin`] first.
fn path_with_npm_bin() -> Result<std::ffi::OsString> {
    let mut paths = vec![npm_bin()];
    paths.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
    Ok(env::join_paths(paths)?)
}

/// Runs wasm-opt ([`WASM_OPT_ARGS`]) on `wasm`, in place.
fn wasm_opt(wasm: &Path) -> Result<()> {
    status(Command::new(npm_bin().join("wasm-opt")).args(WASM_OPT_ARGS).arg(wasm).arg("-o").arg(wasm))
}

/// Where `setup` installs them.
fn npm_dir() -> PathBuf {
    target_dir().join("npm")
}

fn axe_script() -> PathBuf {
    npm_dir().join("node_modules/axe-core/axe.min.js")
}

fn tsc_script() -> PathBuf {
    npm_dir().join("node_modules/typescript/bin/tsc")
}

/// Installs [`NPM_PACKAGES`] unless each is there at its version (all in
/// one command: npm prunes what a later install does not name).
fn install_npm_packages() -> Result<()> {
    let installed = |(name, version): &(&str, &str)| {
        let manifest = npm_dir().join("node_modules").join(name).join("package.json");
        std::fs::read_to_string(manifest).unwrap_or_default().contains(&format!("\"version\": \"{version}\""))
    };
    if NPM_PACKAGES.iter().all(installed)
        && axe_script().exists()
        && tsc_script().exists()
        && npm_bin().join("wasm-opt").exists()
    {
        return Ok(());
    }
    std::fs::create_dir_all(npm_dir())?;
    status(
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--no-save", "--prefix"])
            .arg(npm_dir())
            .args(NPM_PACKAGES.iter().map(|(name, version)| format!("{name}@{version}"))),
    )
}

fn setup() -> Result<()> {
    let targets = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !targets.lines().any(|t| t.trim() == "wasm32-unknown-unknown") {
        status(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let wb = locked_wasm_bindgen()?;
    let have_wb = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have_wb.split_whitespace().nth(1) != Some(wb.as_str()) {
        // No --locked: the registry lacks one of the CLI's locked dependencies.
        status(cargo().args(["install", "wasm-bindgen-cli", "--version", &wb]))?;
    }
    let have_trunk = output(Command::new("trunk").arg("--version")).unwrap_or_default();
    if have_trunk.split_whitespace().nth(1) != Some(TRUNK_VERSION) {
        status(cargo().args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))?;
    }
    let missing: Vec<&str> = APT_PACKAGES.iter().filter(|(_, bin)| !Path::new(bin).exists()).map(|(p, _)| *p).collect();
    if !missing.is_empty() {
        let sudo = output(Command::new("id").arg("-u")).map(|u| u.trim() != "0").unwrap_or(true);
        let apt = |args: &[&str]| {
            let mut c = if sudo { Command::new("sudo") } else { Command::new("apt-get") };
            if sudo {
                c.arg("apt-get");
            }
            c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            c
        };
        status(&mut apt(&["update", "-q"]))?;
        let mut install = apt(&["install", "-y", "-q"]);
        install.args(&missing);
        status(&mut install)?;
    }
    install_npm_packages()
}

fn build_ui() -> Result<()> {
    status(
        Command::new("trunk")
            .args(["build", "--release"])
            .env("TRUNK_OFFLINE", "true")
            .env("PATH", path_with_npm_bin()?),
    )
}

/// The UI with the in-browser benchmarks, into dist-bench/ (dist/ stays the
/// production bundle, without them).
fn build_bench_ui() -> Result<()> {
    status(
        Command::new("trunk")
            .args(["build", "--release", "--features", "ui,bench", "--dist", "dist-bench"])
            .env("TRUNK_OFFLINE", "true")
            .env("PATH", path_with_npm_bin()?),
    )
}

/// The embeddable package into pkg/ (wasm-bindgen `--target web`, the
/// custom element, its types and the stylesheet), copied into dist/pkg/
/// too, where the relay serves it to the enrollment system's pages.
fn build_pkg() -> Result<()> {
    status(cargo().args([
        "build",
        "--lib",
        "--profile",
        "wasm",
        "--target",
        "wasm32-unknown-unknown",
        "--features",
        "ui",
    ]))?;
    let root = project_root();
    let pkg = root.join("pkg");
    let wasm = target_dir().join("wasm32-unknown-unknown/wasm/writeback.wasm");
    status(Command::new("wasm-bindgen").args(["--target", "web", "--keep-debug", "--out-dir"]).arg(&pkg).arg(&wasm))?;
    wasm_opt(&pkg.join("writeback_bg.wasm"))?;
    // The review without the UI: a module of its own (crates/review).
    status(cargo().args([
        "build",
        "--package",
        "writeback-review",
        "--lib",
        "--profile",
        "wasm",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    let review = target_dir().join("wasm32-unknown-unknown/wasm/writeback_review.wasm");
    status(
        Command::new("wasm-bindgen")
            .args(["--target", "web", "--keep-debug", "--out-name", "writeback-review", "--out-dir"])
            .arg(&pkg)
            .arg(&review),
    )?;
    wasm_opt(&pkg.join("writeback-review_bg.wasm"))?;
    for file in ["writeback-element.js", "writeback-element.d.ts", "writeback.css"] {
        std::fs::copy(root.join("www").join(file), pkg.join(file)).with_context(|| format!("copying www/{file}"))?;
    }
    check_package_version(&root)?;
    let served = root.join("dist/pkg");
    std::fs::create_dir_all(&served)?;
    for entry in std::fs::read_dir(&pkg)? {
        let path = entry?.path();
        if path.file_name().is_some_and(|n| n != "README.md" && n != ".gitignore") {
            std::fs::copy(&path, served.join(path.file_name().expect("a file name")))?;
        }
    }
    Ok(())
}

/// The core's dependency tree holds only what [`layers::CORE_DEPENDENCIES`]
/// allows, and no crate crosses one of [`layers::BOUNDARIES`].
fn check_core_dependencies() -> Result<()> {
    let tree = output(cargo().args([
        "tree",
        "--package",
        "writeback-core",
        "--edges",
        "normal",
        "--target",
        "all",
        "--prefix",
        "none",
        "--format",
        "{p}",
    ]))
    .context("cargo tree of writeback-core")?;
    layers::check_core_tree(&tree)?;
    for boundary in layers::BOUNDARIES {
        let tree = output(
            cargo()
                .args([
                    "tree",
                    "--package",
                    boundary.package,
                    "--edges",
                    "normal",
                    "--prefix",
                    "none",
                    "--format",
                    "{p}",
                ])
                .args(boundary.args),
        )
        .with_context(|| format!("cargo tree of {}", boundary.package))?;
        layers::check_boundary(boundary, &tree)?;
    }
    Ok(())
}

/// pkg/package.json names the crate's version.
fn check_package_version(root: &Path) -> Result<()> {
    let read = |p: &str| std::fs::read_to_string(root.join(p)).with_context(|| format!("reading {p}"));
    let version = |text: &str, key: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(key).map(|v| v.trim_matches(|c| " =:\",".contains(c)).to_string()))
    };
    let (cargo, package) = (read("Cargo.toml")?, read("pkg/package.json")?);
    let (crate_version, package_version) = (version(&cargo, "version"), version(&package, "\"version\""));
    if crate_version != package_version {
        bail!("pkg/package.json has version {package_version:?}, Cargo.toml {crate_version:?}: make them the same");
    }
    Ok(())
}

fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| project_root().join("target"))
}

/// Builds everything and starts the relay with the demo district.
fn run(args: &[String]) -> Result<()> {
    setup()?;
    build_ui()?;
    build_pkg()?;
    status(cargo().args(["build", "-p", "writeback-cli", "-p", "writeback-relay"]))?;
    let bin = target_dir().join("debug");
    // Deterministic and fast (about a second): regenerated every run, so it
    // always matches the code that reads it.
    status(Command::new(bin.join("writeback")).args([
        "demo-data",
        "--students",
        "2000",
        "--seed",
        "1",
        "--out",
        "demo",
    ]))?;
    // The demo's staff-token keys: made once, kept (the enrollment system
    // would hold signing.pem; the relay gets verify.pem).
    let keys = Path::new("var/keys");
    if !keys.join("verify.pem").exists() || !keys.join("signing.pem").exists() {
        let _ = std::fs::remove_dir_all(keys);
        status(Command::new(bin.join("writeback")).args(["keys", "--out", "var/keys"]))?;
    }
    eprintln!(
        "\nwriteback: starting the relay with the demo district on http://127.0.0.1:8080 (Ctrl-C stops it)\n\
         The page signs in as the demo registrar: the relay's /demo/token stands in for the enrollment system,\n\
         signing staff tokens with var/keys/signing.pem; the relay verifies them with var/keys/verify.pem.\n"
    );
    status(
        Command::new(bin.join("writeback-relay"))
            .args(["--listen", "127.0.0.1:8080", "--dist", "dist", "--demo", "demo", "--data-dir", "var/relay"])
            .args(["--auth-public-key", "var/keys/verify.pem", "--demo-signing-key", "var/keys/signing.pem"])
            .args(args),
    )
}

/// Every test: formatting, lints, then the whole workspace's tests with the
/// UI and the binaries built first (the browser and SFTP tests use them).
fn test(args: &[String]) -> Result<()> {
    setup()?;
    status(cargo().args(["fmt", "--all", "--", "--check"]))?;
    status(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    check_core_dependencies()?;
    // What runs as WebAssembly: the widget and the review without the UI.
    for what in [&["--lib", "--features", "ui"][..], &["--package", "writeback-review"]] {
        let target = ["--target", "wasm32-unknown-unknown", "--", "-D", "warnings"];
        status(cargo().arg("clippy").args(what).args(target))?;
    }
    build_ui()?;
    build_pkg()?;
    status(cargo().args(["build", "--workspace", "--bins"]))?;
    let dist = project_root().join("dist");
    let mut cmd = cargo();
    cmd.args(["test", "--workspace"])
        .args(args)
        .env("WRITEBACK_TEST_DIST", &dist)
        .env("WRITEBACK_TEST_RELAY_BIN", target_dir().join("debug/writeback-relay"))
        .env("WRITEBACK_TEST_CLI_BIN", target_dir().join("debug/writeback"))
        .env("WRITEBACK_TEST_AXE", axe_script())
        .env("WRITEBACK_TEST_TSC", tsc_script())
        .env("WRITEBACK_TEST_PKG", project_root().join("pkg"));
    run_tests(&mut cmd)
}

/// Runs `cargo test`, echoing its output, and closes with the totals of
/// every test binary on one line.
fn run_tests(cmd: &mut Command) -> Result<()> {
    use std::io::{BufRead, BufReader};
    eprintln!("$ {}", describe(cmd));
    let mut child = cmd.stdout(std::process::Stdio::piped()).spawn().with_context(|| describe(cmd))?;
    let (mut passed, mut failed) = (0u64, 0u64);
    for line in BufReader::new(child.stdout.take().expect("piped stdout")).lines() {
        let line = line?;
        println!("{line}");
        if let Some(rest) = line.strip_prefix("test result: ") {
            let count = |word: &str| -> u64 {
                rest.split(';')
                    .find_map(|part| {
                        part.trim().trim_start_matches("ok. ").trim_start_matches("FAILED. ").strip_suffix(word)
                    })
                    .and_then(|n| n.trim().parse().ok())
                    .unwrap_or(0)
            };
            passed += count(" passed");
            failed += count(" failed");
        }
    }
    let status = child.wait()?;
    println!("tests: {passed} passed, {failed} failed");
    if !status.success() {
        bail!("{} failed ({status})", describe(cmd));
    }
    Ok(())
}

fn bench() -> Result<()> {
    // The relay (the browser benches serve with it) and the command-line
    // tool (first_review generates its district with it).
    status(cargo().args(["build", "-p", "writeback-relay", "-p", "writeback-cli"]))?;
    status(cargo().args([
        "bench",
        "--bench",
        "demo_data",
        "--bench",
        "review",
        "--bench",
        "contacts",
        "--bench",
        "browser",
        "--bench",
        "slice",
        "--bench",
        "first_review",
    ]))
}
