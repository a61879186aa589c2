//! The package's TypeScript types (pkg/*.d.ts) as an enrollment system's
//! TypeScript meets them: `tsc --strict` accepts `tests/embed/host.ts` and
//! refuses each misuse in `tests/embed/wrong.ts`.
//!
//! Needs pkg/ built and TypeScript installed: `cargo xtask test` does both
//! and passes their paths in `WRITEBACK_TEST_PKG` and `WRITEBACK_TEST_TSC`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn required(var: &str, what: &str) -> PathBuf {
    let p = std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("{var} is not set: run the tests with `cargo xtask test`, which installs {what}"));
    assert!(p.exists(), "{what} not found at {}: run `cargo xtask test`", p.display());
    p
}

/// Runs tsc on `file` (from tests/embed/), with the package resolved by
/// its name as package.json exports it; returns tsc's output and whether
/// it passed.
fn tsc(file: &str) -> (String, bool) {
    let tsc = required("WRITEBACK_TEST_TSC", "TypeScript (npm)");
    let pkg = required("WRITEBACK_TEST_PKG", "the package (cargo xtask pkg)");
    assert!(pkg.join("writeback.d.ts").exists(), "pkg/writeback.d.ts is missing: run `cargo xtask pkg`");
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/embed").join(file);
    std::fs::copy(&source, dir.path().join(file)).unwrap();
    let config = serde_json::json!({
        "compilerOptions": {
            "strict": true, "noEmit": true, "target": "es2022", "module": "es2022",
            "moduleResolution": "bundler", "lib": ["es2022", "esnext.disposable", "dom"], "skipLibCheck": false,
            "paths": {
                "writeback-widget": [pkg.join("writeback.d.ts")],
                "writeback-widget/element": [pkg.join("writeback-element.d.ts")],
                "writeback-widget/review": [pkg.join("writeback-review.d.ts")],
            },
        },
        "files": [file],
    });
    std::fs::write(dir.path().join("tsconfig.json"), config.to_string()).unwrap();
    let out = Command::new("node").arg(&tsc).args(["-p", "."]).current_dir(dir.path()).output().expect("node runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (text, out.status.success())
}

#[test]
fn a_host_page_written_in_typescript_type_checks_against_the_package() {
    let (out, ok) = tsc("host.ts");
    assert!(ok, "tsc refused tests/embed/host.ts:\n{out}");
}

#[test]
fn the_types_refuse_wrong_options_and_unknown_event_details() {
    let (out, ok) = tsc("wrong.ts");
    assert!(!ok, "tsc accepted tests/embed/wrong.ts");
    let misuses =
        [(6, "list: \"yes\""), (7, "drafts: \"forever\""), (8, "detail.nothing"), (9, "a review without today")];
    for (line, what) in misuses {
        assert!(out.contains(&format!("wrong.ts({line},")), "no error for {what} on line {line}:\n{out}");
    }
    assert_eq!(out.matches("error TS").count(), misuses.len(), "only the misuses are refused:\n{out}");
}
