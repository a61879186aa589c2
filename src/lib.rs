//! writeback: review an approved enrollment application and write it back
//! into PowerSchool.
//!
//! The core (every module but `ui` and `api`) is pure: no I/O, no browser
//! API, deterministic. It builds for the host and for wasm32. See
//! ARCHITECTURE.md for the code map and invariants.
#![deny(missing_docs)]

pub mod domain;
pub mod snapshot;
pub mod application;
pub mod flatfile;
pub mod demographics;
pub mod plan;
#[cfg(not(target_arch = "wasm32"))]
pub mod files;
#[cfg(feature = "ui")]
pub mod ui;
#[cfg(feature = "ui")]
pub mod api;
pub mod demo;
