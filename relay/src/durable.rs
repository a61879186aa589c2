//! Crash-safe file writes, shared with the command-line tool: see
//! [`writeback::files`].

pub use writeback::files::{copy_file, create_dir, sync_dir, write_file};
