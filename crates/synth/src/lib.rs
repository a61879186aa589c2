//! Synthetic data for writeback, generated over the core's types:
//!
//! - [`demo`]: a deterministic, realistic demo district (snapshot,
//!   applications, mappings, settings) for the CLI's `demo-data`, the
//!   relay's demo mode, the benchmarks and the tests;
//! - [`eval`]: a labelled district of persons and corrupted application
//!   contacts with known truth, and the contact matcher's accuracy on it
//!   (`match-eval`).
//!
//! Pure like the core (no I/O, no clock; the same seed gives the same data
//! on every platform), but apart from it so that the production bundle
//! carries neither the generators nor their word lists: the root crate
//! depends on this one only natively and for the `bench` build.
#![deny(missing_docs)]

pub mod demo;
mod details;
pub mod eval;
mod names;
mod rng;
mod typos;

pub use rng::Rng;
