//! writeback: review an approved enrollment application and write it back
//! into PowerSchool.
//!
//! The core is the `writeback-core` crate (pure: no I/O, no browser API,
//! deterministic), re-exported here under its module names; this crate adds
//! the Leptos UI and the embedding API (feature `ui`, built for wasm32).
//! The command line is the `writeback-cli` crate; reading files natively,
//! `writeback-files`; the synthetic data (the demo district, the accuracy
//! harness) `writeback-synth`, which the `bench` build uses and the
//! production bundle never carries. See ARCHITECTURE.md for the code map
//! and invariants.
#![deny(missing_docs)]

pub use writeback_core::{
    application, contacts, courses, delivery, demographics, domain, drafts, flatfile, plan, snapshot, sort, wire,
};

#[cfg(feature = "ui")]
pub mod api;
#[cfg(feature = "ui")]
pub mod ui;
