//! The writeback core: from (SIS snapshot, application, field mappings,
//! staff decisions) to the review staff see and the PowerSchool import
//! files it writes.
//!
//! Pure: no I/O, no browser API, no clock, deterministic. It builds for the
//! host and for wasm32, and its dependencies say so: serde, serde_json,
//! csv, thiserror and strsim, nothing that reaches a network, a file, a
//! browser or a clock (`cargo xtask test` checks the dependency tree). The
//! UI, the embedding API and the command line are the `writeback` crate;
//! the relay is `writeback-relay`; the synthetic data (the demo district,
//! the matcher's accuracy harness) is `writeback-synth`. See ARCHITECTURE.md for the code map and
//! invariants.
#![deny(missing_docs)]

pub mod application;
pub mod contacts;
pub mod courses;
pub mod delivery;
pub mod demographics;
pub mod domain;
pub mod drafts;
pub mod flatfile;
mod lookup;
pub mod plan;
pub mod snapshot;
pub mod sort;
pub mod wire;

pub use lookup::fnv1a;
