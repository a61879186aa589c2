//! Crash-safe file writes, shared with the command-line tool: see
//! [`writeback_files`].

pub use writeback_files::{copy_file, create_dir, sync_dir, write_file};
