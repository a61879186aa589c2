//! The history of relays before the database: `history.jsonl` (one JSON
//! entry per line, a later line for an id replacing an earlier one) is
//! imported into the database once, at the first start, and kept as
//! `history.jsonl.imported`. A line that cannot be read (cut short, not
//! UTF-8, not an entry) is reported with its number and skipped; it stays
//! in the kept file. Nothing else stops the start.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;

use rusqlite::params;

use crate::db::Db;
use crate::durable;
use crate::store::{HistoryEntry, StoreError};

/// Imports `data_dir/history.jsonl`, if there is one.
pub fn import_history(data_dir: &Path, db: &Db) -> Result<(), StoreError> {
    let path = data_dir.join("history.jsonl");
    let bytes = match fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(source) => return Err(StoreError::Io { action: "read", path, source }),
    };
    let mut latest: BTreeMap<u64, HistoryEntry> = BTreeMap::new();
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match std::str::from_utf8(line)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str::<HistoryEntry>(text).map_err(|e| e.to_string()))
        {
            Ok(entry) => {
                latest.insert(entry.id, entry);
            }
            Err(error) => tracing::warn!(
                line = i + 1,
                %error,
                "history.jsonl: this line cannot be read and is not imported (it stays in history.jsonl.imported)"
            ),
        }
    }
    db.with(|c| {
        let tx = c.transaction()?;
        for e in latest.values() {
            let list = |v: &Option<Vec<String>>| v.as_ref().map(|v| serde_json::to_string(v).expect("strings"));
            tx.execute(
                "INSERT OR IGNORE INTO entries (id, application_id, kind, file_name, rows, submitted_by,
                    submitted_at, status, destination, delivered_at, detail, courses_written, courses_denied,
                    expected_pickup, follow_ups)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                params![
                    e.id as i64,
                    e.application_id.as_str(),
                    e.kind.as_str(),
                    e.file_name,
                    e.rows as i64,
                    e.submitted_by,
                    e.submitted_at,
                    e.status.as_str(),
                    e.destination,
                    e.delivered_at,
                    e.detail,
                    list(&e.courses_written),
                    list(&e.courses_denied),
                    e.expected_pickup,
                    serde_json::to_string(&e.follow_ups).expect("strings"),
                ],
            )?;
        }
        tx.commit()
    })?;
    let kept = data_dir.join("history.jsonl.imported");
    fs::rename(&path, &kept).map_err(|source| StoreError::Io { action: "rename", path: path.clone(), source })?;
    durable::sync_dir(data_dir).map_err(|source| StoreError::Io {
        action: "sync",
        path: data_dir.to_path_buf(),
        source,
    })?;
    tracing::info!(entries = latest.len(), "history.jsonl imported into the relay database");
    Ok(())
}
