//! The architecture as the dependency graph states it: the core
//! (`writeback-core`) does no I/O and touches no browser, so nothing it
//! depends on may either. `cargo xtask test` reads the core's dependency
//! tree (`cargo tree`, every target, normal dependencies) and refuses any
//! crate not listed here, naming it.

use anyhow::{bail, Result};

/// Every crate the core may depend on, directly or not: data formats
/// (serde, serde_json, csv), errors (thiserror), string similarity
/// (strsim), and what those are built from. A crate that reaches a
/// network, a file, a clock, randomness or a browser (tokio, wasm-bindgen,
/// web-sys, js-sys, gloo, leptos, rusqlite, getrandom, jiff, ...) belongs in
/// the UI, the command line or the relay, never here.
pub const CORE_DEPENDENCIES: &[&str] = &[
    "writeback-core",
    "serde",
    "serde_core",
    "serde_derive",
    "serde_json",
    "postcard",
    "cobs",
    "embedded-io",
    "itoa",
    "memchr",
    "ryu",
    "zmij",
    "csv",
    "csv-core",
    "thiserror",
    "thiserror-impl",
    "strsim",
    "proc-macro2",
    "quote",
    "syn",
    "unicode-ident",
];

/// Checks `tree`, the output of `cargo tree -p writeback-core -e normal
/// --target all --prefix none --format {p}` (one `name vX.Y.Z` a line).
pub fn check_core_tree(tree: &str) -> Result<()> {
    let mut refused: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| !CORE_DEPENDENCIES.contains(name))
        .collect();
    refused.sort_unstable();
    refused.dedup();
    if !refused.is_empty() {
        bail!(
            "writeback-core depends on {} (see `cargo tree -p writeback-core -i <crate>`): the core must do no I/O \
             and touch no browser. Move what needs it to the UI, the command line or the relay; if the crate does \
             neither, add it to CORE_DEPENDENCIES in xtask/src/layers.rs",
            refused.join(", ")
        );
    }
    Ok(())
}

/// A crate that must never reach a package's tree, and why.
#[derive(Debug)]
pub struct Boundary {
    /// The package whose tree is read.
    pub package: &'static str,
    /// `cargo tree` arguments besides the package (target, features).
    pub args: &'static [&'static str],
    /// Crates that may not be in it.
    pub forbidden: &'static [&'static str],
    /// What the boundary keeps true.
    pub why: &'static str,
}

/// The boundaries between the crates besides the core's own.
pub const BOUNDARIES: &[Boundary] = &[
    Boundary {
        package: "writeback",
        args: &["--target", "wasm32-unknown-unknown", "--features", "ui"],
        forbidden: &[
            "writeback-synth",
            "writeback-files",
            "writeback-cli",
            "writeback-relay",
            "writeback-auth",
            "tokio",
        ],
        why: "the widget's production bundle carries no generated data and no native code",
    },
    Boundary {
        package: "writeback-relay",
        args: &[],
        forbidden: &["writeback", "writeback-cli", "leptos", "wasm-bindgen"],
        why: "the relay is native and does not depend on the widget or the command line",
    },
    Boundary {
        package: "writeback-synth",
        args: &["--target", "all"],
        forbidden: &[
            "writeback",
            "writeback-files",
            "writeback-cli",
            "writeback-relay",
            "writeback-auth",
            "tokio",
            "leptos",
            "wasm-bindgen",
        ],
        why: "the synthetic data is pure like the core: the command line, the relay and the bench build use it, \
              it uses none of them",
    },
    Boundary {
        package: "writeback-cli",
        args: &[],
        forbidden: &["writeback", "writeback-relay", "leptos", "wasm-bindgen"],
        why: "the command line is native and does not depend on the widget or the relay",
    },
];

/// Checks `tree` (as [`check_core_tree`] reads it) against `boundary`.
pub fn check_boundary(boundary: &Boundary, tree: &str) -> Result<()> {
    let mut found: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| boundary.forbidden.contains(name))
        .collect();
    found.sort_unstable();
    found.dedup();
    if !found.is_empty() {
        let command =
            [&["cargo", "tree", "-p", boundary.package], boundary.args, &["-i", "<crate>"]].concat().join(" ");
        bail!("{} depends on {} (see `{command}`): {}", boundary.package, found.join(", "), boundary.why);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TREE: &str = "writeback-core v0.1.0 (/work/crates/core)\ncsv v1.4.0\nserde v1.0.229\n\
                        serde_derive v1.0.229 (proc-macro)\nserde v1.0.229 (*)\nstrsim v0.11.1\n";

    #[test]
    fn the_core_on_its_own_dependencies_passes() {
        check_core_tree(TREE).unwrap();
    }

    #[test]
    fn a_crate_across_a_boundary_is_refused_by_name_with_why() {
        let widget = &BOUNDARIES[0];
        check_boundary(widget, "writeback v0.1.0 (/w)\nwriteback-core v0.1.0 (/w/crates/core)\nleptos v0.8.0\n")
            .unwrap();
        let tree = "writeback v0.1.0 (/w)\nwriteback-synth v0.1.0 (/w/crates/synth)\ntokio v1.48.0\n";
        let err = check_boundary(widget, tree).unwrap_err().to_string();
        assert!(
            err.starts_with("writeback depends on tokio, writeback-synth (see `cargo tree -p writeback --target"),
            "{err}"
        );
        assert!(err.ends_with("no generated data and no native code"), "{err}");
        // A crate whose name only starts like a forbidden one passes.
        check_boundary(&BOUNDARIES[1], "writeback-relay v0.1.0 (/w/relay)\nwriteback-core v0.1.0 (/w)\n").unwrap();
    }

    #[test]
    fn a_web_or_io_crate_in_the_core_is_refused_by_name() {
        let tree = format!("{TREE}wasm-bindgen v0.2.130\ntokio v1.48.0\nwasm-bindgen v0.2.130 (*)\n");
        let err = check_core_tree(&tree).unwrap_err().to_string();
        assert!(err.starts_with("writeback-core depends on tokio, wasm-bindgen (see"), "{err}");
    }
}
