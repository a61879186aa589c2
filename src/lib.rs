//! writeback: review an approved enrollment application and write it back
//! into PowerSchool.
//!
//! The core (every module but `ui` and `api`) is pure: no I/O, no browser
//! API, deterministic. It builds for the host and for wasm32. See
//! ARCHITECTURE.md for the code map and invariants.
#![deny(missing_docs)]

#[cfg(feature = "ui")]
pub mod api;
pub mod application;
pub mod contacts;
pub mod courses;
pub mod delivery;
pub mod demo;
pub mod demographics;
pub mod domain;
pub mod drafts;
#[cfg(not(target_arch = "wasm32"))]
pub mod files;
pub mod flatfile;
mod lookup;
pub mod plan;
pub mod snapshot;
mod sort;
#[cfg(feature = "ui")]
pub mod ui;
pub mod wire;
