//! The SIS snapshot: a district's PowerSchool tables, loaded from their
//! tab-delimited exports into a typed model (see `powerschool.md` section 1).
//!
//! [`Snapshot::from_exports`] parses a set of export files (name -> text; the
//! caller reads them), checking columns, values, keys and references, and
//! reports every problem of every file. [`Snapshot::export`] writes the same
//! tables back out, so a snapshot round-trips. The model (de)serializes as
//! JSON for the browser.

mod error;
mod load;
mod model;
mod table;

pub use error::{LoadError, LoadErrors};
pub use model::*;
pub(crate) use table::Record;
pub use table::{TableSpec, TABLES};

#[cfg(test)]
pub(crate) mod tests;
