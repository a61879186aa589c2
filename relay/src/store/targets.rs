//! What the relay knows of each fixed-path target's file (`target_files`):
//! the entries it holds, the run they are for, the last run that read them,
//! and a write begun but not confirmed (its `intent`), which the worker
//! settles by reading the file back before it trusts anything else.

use std::collections::BTreeSet;

use jiff::Timestamp;
use rusqlite::{params, OptionalExtension};
use writeback_core::flatfile::FileKind;

use super::{Store, StoreError};
use crate::batch::Written;

/// The database's view of one target's file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetFile {
    /// What the file is known to hold (none: never written).
    pub written: Option<Written>,
    /// The SHA-256 of the bytes written.
    pub sha256: Option<String>,
    /// A write begun and not confirmed.
    pub intent: Option<Intent>,
}

/// A write of a target's file, recorded before it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intent {
    /// The run the new file is for.
    pub run: Timestamp,
    /// Its entries.
    pub entries: BTreeSet<u64>,
    /// The SHA-256 of its bytes.
    pub sha256: String,
}

fn ids_json(ids: &BTreeSet<u64>) -> String {
    serde_json::to_string(&ids.iter().collect::<Vec<_>>()).expect("numbers serialize")
}

fn ids_from(text: &str) -> Result<BTreeSet<u64>, String> {
    serde_json::from_str::<Vec<u64>>(text).map(|v| v.into_iter().collect()).map_err(|e| e.to_string())
}

fn time_from(text: &str) -> Result<Timestamp, String> {
    text.parse().map_err(|e| format!("{text:?}: {e}"))
}

type Row = (Option<String>, String, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);

impl Store {
    /// What the file of `kind`'s target holds, as far as the relay knows.
    pub fn target_file(&self, kind: FileKind) -> Result<TargetFile, StoreError> {
        let row: Option<Row> = self.db.with(|c| {
            c.query_row(
                "SELECT run_at, entries, sha256, last_read, intent_run_at, intent_entries, intent_sha256
                 FROM target_files WHERE kind = ?1",
                [kind.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
            )
            .optional()
        })?;
        let Some((run, entries, sha256, last_read, intent_run, intent_entries, intent_sha)) = row else {
            return Ok(TargetFile::default());
        };
        let corrupt = |message: String| StoreError::Corrupt { id: 0, message: format!("target {kind}: {message}") };
        let written = match run {
            Some(run) => Some(Written {
                run: time_from(&run).map_err(corrupt)?,
                entries: ids_from(&entries).map_err(corrupt)?,
                last_read: last_read.as_deref().map(time_from).transpose().map_err(corrupt)?,
            }),
            None => None,
        };
        let intent = match (intent_run, intent_entries, intent_sha) {
            (Some(run), Some(entries), Some(sha256)) => Some(Intent {
                run: time_from(&run).map_err(corrupt)?,
                entries: ids_from(&entries).map_err(corrupt)?,
                sha256,
            }),
            _ => None,
        };
        Ok(TargetFile { written, sha256, intent })
    }

    /// Entries of `kind` with a file, accepted and in no target file yet, oldest first.
    pub fn pending(&self, kind: FileKind) -> Result<BTreeSet<u64>, StoreError> {
        self.db
            .with(|c| {
                let mut stmt = c.prepare_cached(
                    "SELECT id FROM entries WHERE kind = ?1 AND status IN ('accepted', 'failed')
                       AND file_name IS NOT NULL AND run_at IS NULL",
                )?;
                let ids = stmt.query_map([kind.as_str()], |r| r.get::<_, i64>(0).map(|id| id as u64))?;
                ids.collect()
            })
            .map_err(StoreError::from)
    }

    /// Records a write of `kind`'s file at `path` before it starts.
    pub fn begin_write(&self, kind: FileKind, path: &str, intent: &Intent) -> Result<(), StoreError> {
        self.db.with(|c| {
            c.execute(
                "INSERT INTO target_files (kind, path, intent_run_at, intent_entries, intent_sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (kind) DO UPDATE SET path = ?2, intent_run_at = ?3, intent_entries = ?4, intent_sha256 = ?5",
                params![kind.as_str(), path, intent.run.to_string(), ids_json(&intent.entries), intent.sha256],
            )
        })?;
        Ok(())
    }

    /// The write begun is at the path: the file holds its entries, which are
    /// now `staged` for its run (`label`, as staff read it). Only the intent
    /// read here is confirmed: if the row changed in between (it no longer
    /// holds an intent of those bytes), nothing is.
    pub fn confirm_write(&self, kind: FileKind, destination: &str, label: &str) -> Result<(), StoreError> {
        let Some(intent) = self.target_file(kind)?.intent else { return Ok(()) };
        let at = crate::time::now_rfc3339();
        self.db.with(|c| {
            let tx = c.transaction()?;
            let confirmed = tx.execute(
                "UPDATE target_files SET run_at = intent_run_at, entries = intent_entries, sha256 = intent_sha256,
                    last_read = NULL, written_at = ?2, intent_run_at = NULL, intent_entries = NULL, intent_sha256 = NULL
                 WHERE kind = ?1 AND intent_sha256 = ?3 AND intent_entries IS NOT NULL AND intent_run_at IS NOT NULL",
                params![kind.as_str(), at, intent.sha256],
            )?;
            if confirmed == 0 {
                return Ok(());
            }
            for id in &intent.entries {
                tx.execute(
                    "UPDATE entries SET status = 'staged', run_at = ?2, expected_pickup = ?3, destination = ?4
                     WHERE id = ?1 AND status != 'delivered'",
                    params![*id as i64, intent.run.to_string(), label, destination],
                )?;
            }
            tx.commit()
        })?;
        Ok(())
    }

    /// The file at the path is empty or gone (someone removed its rows):
    /// nothing is known to be in it; its staged entries wait for the next
    /// batch again.
    pub fn reset_target(&self, kind: FileKind) -> Result<(), StoreError> {
        self.db.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "UPDATE target_files SET run_at = NULL, entries = '[]', sha256 = NULL, last_read = NULL,
                    intent_run_at = NULL, intent_entries = NULL, intent_sha256 = NULL WHERE kind = ?1",
                [kind.as_str()],
            )?;
            tx.execute(
                "UPDATE entries SET status = 'accepted', run_at = NULL WHERE kind = ?1 AND status = 'staged'",
                [kind.as_str()],
            )?;
            tx.commit()
        })?;
        Ok(())
    }

    /// Forgets a write begun that never reached the path.
    pub fn drop_intent(&self, kind: FileKind) -> Result<(), StoreError> {
        self.db.with(|c| {
            c.execute(
                "UPDATE target_files SET intent_run_at = NULL, intent_entries = NULL, intent_sha256 = NULL WHERE kind = ?1",
                [kind.as_str()],
            )
        })?;
        Ok(())
    }

    /// The run `run` read the file of `kind` with `entries` in it: the first
    /// time, they are delivered (`note` says where and for which run); again,
    /// `note` says they may have been imported twice.
    pub fn mark_read(
        &self,
        kind: FileKind,
        run: Timestamp,
        entries: &BTreeSet<u64>,
        again: bool,
        note: &str,
    ) -> Result<(), StoreError> {
        let at = crate::time::now_rfc3339();
        self.db.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "UPDATE target_files SET last_read = ?2 WHERE kind = ?1",
                params![kind.as_str(), run.to_string()],
            )?;
            for id in entries {
                if again {
                    tx.execute(
                        "UPDATE entries SET detail = COALESCE(detail || '; ', '') || ?2 WHERE id = ?1",
                        params![*id as i64, note],
                    )?;
                } else {
                    tx.execute(
                        "UPDATE entries SET status = 'delivered', delivered_at = ?2, detail = ?3 WHERE id = ?1",
                        params![*id as i64, at, note],
                    )?;
                }
            }
            tx.commit()
        })?;
        Ok(())
    }
}
