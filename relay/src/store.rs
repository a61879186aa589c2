//! Durable storage: the spool of accepted files and the append-only history.
//!
//! Layout of the data folder:
//! - `spool/<file name>`: every accepted file, byte for byte as received.
//!   It is written as `spool/<file name>.part`, fsynced, renamed, and the
//!   folder fsynced, before the history records it.
//! - `history.jsonl`: one JSON [`HistoryEntry`] per line: a file accepted,
//!   or a course writeback recorded without a file (every course denied). A status change
//!   appends the whole entry again; on replay the later line for an id wins.
//!   Every append is fsynced before it is acknowledged. A torn last line
//!   (a crash mid-append, never acknowledged) is dropped on start-up.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use writeback::application::ApplicationId;
use writeback::flatfile::FileKind;

use crate::durable;
use crate::time::UtcTime;

pub use writeback::wire::{HistoryEntry, Status};

/// What a course writeback records besides its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseSummary {
    /// Course numbers written.
    pub written: Vec<String>,
    /// Course numbers denied.
    pub denied: Vec<String>,
    /// The AutoComm run expected to import the file (none without a file).
    pub expected_pickup: Option<String>,
}

/// A file to accept.
#[derive(Debug, Clone, Copy)]
pub struct NewFile<'a> {
    /// The application.
    pub application_id: &'a ApplicationId,
    /// The import kind.
    pub kind: FileKind,
    /// The file, exactly as received.
    pub bytes: &'a [u8],
    /// Its data rows.
    pub rows: usize,
    /// The staff member.
    pub submitted_by: &'a str,
    /// The destination it will be delivered to.
    pub destination: &'a str,
    /// For a course writeback: the courses written and denied.
    pub courses: Option<&'a CourseSummary>,
    /// What staff must still do in PowerSchool after the import.
    pub follow_ups: &'a [String],
}

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file-system operation failed.
    #[error("could not {action} {}: {source}", .path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// A history line cannot be read.
    #[error("{}:{line}: the history line cannot be read: {message}", .path.display())]
    Corrupt {
        /// The history file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A status change for an id the history does not have.
    #[error("no history entry {0}")]
    UnknownEntry(u64),
}

fn io_err<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> StoreError + 'a {
    move |source| StoreError::Io { action, path: path.to_path_buf(), source }
}

/// The spool and the history, safe to share between threads.
#[derive(Debug)]
pub struct Store {
    spool_dir: PathBuf,
    history_path: PathBuf,
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    next_id: u64,
    entries: BTreeMap<u64, HistoryEntry>,
    log: File,
    log_len: u64,
}

impl Store {
    /// Opens (creating if needed) the data folder and replays the history.
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
        durable::create_dir(data_dir).map_err(io_err("create the data folder", data_dir))?;
        let data_dir = fs::canonicalize(data_dir).map_err(io_err("resolve", data_dir))?;
        let spool_dir = data_dir.join("spool");
        durable::create_dir(&spool_dir).map_err(io_err("create the spool folder", &spool_dir))?;
        let mut max_seq = 0;
        for e in fs::read_dir(&spool_dir).map_err(io_err("list", &spool_dir))? {
            let e = e.map_err(io_err("list", &spool_dir))?;
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".part") {
                // An unfinished write from a crash: never acknowledged.
                fs::remove_file(e.path()).map_err(io_err("remove the unfinished file", &e.path()))?;
            } else if let Some(seq) = sequence_of(&name) {
                max_seq = max_seq.max(seq);
            }
        }
        let history_path = data_dir.join("history.jsonl");
        let existed = history_path.exists();
        let mut log = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&history_path)
            .map_err(io_err("open", &history_path))?;
        if !existed {
            durable::sync_dir(&data_dir).map_err(io_err("sync", &data_dir))?;
        }
        let mut text = String::new();
        log.read_to_string(&mut text).map_err(io_err("read", &history_path))?;
        let complete = text.rfind('\n').map_or(0, |i| i + 1);
        if complete < text.len() {
            // A torn last line: the append never finished, so it was never
            // acknowledged. Drop it so later appends start on a fresh line.
            log.set_len(complete as u64).map_err(io_err("truncate the torn last line of", &history_path))?;
            log.sync_all().map_err(io_err("sync", &history_path))?;
        }
        let mut entries = BTreeMap::new();
        for (i, line) in text[..complete].lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let entry: HistoryEntry = serde_json::from_str(line).map_err(|e| StoreError::Corrupt {
                path: history_path.clone(),
                line: i + 1,
                message: e.to_string(),
            })?;
            entries.insert(entry.id, entry);
        }
        let max_id = entries.keys().next_back().copied().unwrap_or(0);
        log.seek(SeekFrom::End(0)).map_err(io_err("seek", &history_path))?;
        let inner = Inner { next_id: max_id.max(max_seq) + 1, entries, log, log_len: complete as u64 };
        Ok(Store { spool_dir, history_path, inner: Mutex::new(inner) })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Stores a file durably in the spool, then records it in the history;
    /// only then is it accepted. Returns the new entry (status `accepted`).
    pub fn accept(&self, file: NewFile<'_>) -> Result<HistoryEntry, StoreError> {
        let id = {
            let mut inner = self.lock();
            let id = inner.next_id;
            inner.next_id += 1;
            id
        };
        let now = UtcTime::now();
        let file_name = format!("writeback_{}_{}_{}_{id}.txt", file.kind, file.application_id, now.compact());
        durable::write_file(&self.spool_dir, &format!("{file_name}.part"), &file_name, file.bytes)
            .map_err(io_err("store the file in", &self.spool_dir))?;
        let entry = HistoryEntry {
            id,
            application_id: file.application_id.clone(),
            kind: file.kind,
            file_name: Some(file_name.clone()),
            rows: file.rows,
            submitted_by: file.submitted_by.to_string(),
            submitted_at: now.rfc3339(),
            status: Status::Accepted,
            destination: file.destination.to_string(),
            delivered_at: None,
            detail: None,
            courses_written: file.courses.map(|c| c.written.clone()),
            courses_denied: file.courses.map(|c| c.denied.clone()),
            expected_pickup: file.courses.and_then(|c| c.expected_pickup.clone()),
            follow_ups: file.follow_ups.to_vec(),
        };
        let mut inner = self.lock();
        if let Err(e) = self.append(&mut inner, &entry) {
            let _ = fs::remove_file(self.spool_dir.join(&file_name));
            return Err(e);
        }
        inner.entries.insert(id, entry.clone());
        Ok(entry)
    }

    /// Records a course writeback that writes no file (every decided
    /// course denied): status `recorded`, nothing to deliver.
    pub fn record(
        &self,
        application_id: &ApplicationId,
        submitted_by: &str,
        courses: &CourseSummary,
    ) -> Result<HistoryEntry, StoreError> {
        let mut inner = self.lock();
        let id = inner.next_id;
        inner.next_id += 1;
        let entry = HistoryEntry {
            id,
            application_id: application_id.clone(),
            kind: FileKind::Schedules,
            file_name: None,
            rows: 0,
            submitted_by: submitted_by.to_string(),
            submitted_at: UtcTime::now().rfc3339(),
            status: Status::Recorded,
            destination: String::new(),
            delivered_at: None,
            detail: None,
            courses_written: Some(courses.written.clone()),
            courses_denied: Some(courses.denied.clone()),
            expected_pickup: None,
            follow_ups: Vec::new(),
        };
        self.append(&mut inner, &entry)?;
        inner.entries.insert(id, entry.clone());
        Ok(entry)
    }

    /// Records a status change (appending the updated entry to the history).
    /// `expected_pickup`, when given, replaces the entry's (a course
    /// writeback's file is picked up at the first AutoComm run after its
    /// delivery).
    pub fn set_status(
        &self,
        id: u64,
        status: Status,
        destination: &str,
        detail: Option<String>,
        expected_pickup: Option<String>,
    ) -> Result<HistoryEntry, StoreError> {
        let mut inner = self.lock();
        let mut entry = inner.entries.get(&id).cloned().ok_or(StoreError::UnknownEntry(id))?;
        entry.status = status;
        entry.destination = destination.to_string();
        entry.delivered_at = (status == Status::Delivered).then(|| UtcTime::now().rfc3339());
        entry.detail = detail;
        if expected_pickup.is_some() {
            entry.expected_pickup = expected_pickup;
        }
        self.append(&mut inner, &entry)?;
        inner.entries.insert(id, entry.clone());
        Ok(entry)
    }

    fn append(&self, inner: &mut Inner, entry: &HistoryEntry) -> Result<(), StoreError> {
        let mut line = serde_json::to_string(entry).expect("a history entry serializes");
        line.push('\n');
        let result = inner.log.write_all(line.as_bytes()).and_then(|()| inner.log.sync_data());
        match result {
            Ok(()) => {
                inner.log_len += line.len() as u64;
                Ok(())
            }
            Err(e) => {
                // Cut a partly written line off so the log stays readable.
                let _ = inner.log.set_len(inner.log_len);
                Err(StoreError::Io { action: "append to", path: self.history_path.clone(), source: e })
            }
        }
    }

    /// One entry.
    pub fn entry(&self, id: u64) -> Option<HistoryEntry> {
        self.lock().entries.get(&id).cloned()
    }

    /// An application's entries, newest first.
    pub fn history(&self, application: &ApplicationId) -> Vec<HistoryEntry> {
        let inner = self.lock();
        inner.entries.values().rev().filter(|e| &e.application_id == application).cloned().collect()
    }

    /// Ids of entries with a file not yet delivered, oldest first.
    pub fn undelivered(&self) -> Vec<u64> {
        self.lock()
            .entries
            .values()
            .filter(|e| matches!(e.status, Status::Accepted | Status::Failed) && e.file_name.is_some())
            .map(|e| e.id)
            .collect()
    }

    /// The spooled file of an entry.
    pub fn spool_path(&self, file_name: &str) -> PathBuf {
        self.spool_dir.join(file_name)
    }
}

/// The sequence number at the end of a spool file name.
fn sequence_of(name: &str) -> Option<u64> {
    name.strip_prefix("writeback_")?.strip_suffix(".txt")?.rsplit('_').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file<'a>(app: &'a ApplicationId, bytes: &'a [u8]) -> NewFile<'a> {
        NewFile {
            application_id: app,
            kind: FileKind::Students,
            bytes,
            rows: 1,
            submitted_by: "jdoe",
            destination: "outbox /tmp/x",
            courses: None,
            follow_ups: &[],
        }
    }

    #[test]
    fn accepts_durably_and_replays() {
        let tmp = tempfile::tempdir().unwrap();
        let app = ApplicationId::parse("A-1").unwrap();
        let store = Store::open(tmp.path()).unwrap();
        let a = store.accept(file(&app, b"one\n")).unwrap();
        let b = store.accept(file(&app, b"two\n")).unwrap();
        assert_eq!((a.id, b.id), (1, 2));
        let a_name = a.file_name.clone().unwrap();
        assert!(a_name.starts_with("writeback_students_A-1_"), "{a_name}");
        assert!(a_name.ends_with("_1.txt"), "{a_name}");
        assert_eq!(fs::read(store.spool_path(b.file_name.as_deref().unwrap())).unwrap(), b"two\n");
        store.set_status(1, Status::Delivered, "outbox /tmp/y", None, None).unwrap();
        drop(store);

        // A crash in the middle of an append leaves a torn line.
        let history = tmp.path().join("history.jsonl");
        let mut f = OpenOptions::new().append(true).open(&history).unwrap();
        f.write_all(b"{\"id\":3,\"appl").unwrap();
        drop(f);
        fs::write(tmp.path().join("spool").join("x.txt.part"), b"half").unwrap();

        let store = Store::open(tmp.path()).unwrap();
        let h = store.history(&app);
        assert_eq!(
            h.iter().map(|e| (e.id, e.status)).collect::<Vec<_>>(),
            [(2, Status::Accepted), (1, Status::Delivered)]
        );
        assert_eq!(h[1].destination, "outbox /tmp/y");
        assert!(h[1].delivered_at.is_some());
        assert_eq!(store.undelivered(), [2]);
        assert!(!tmp.path().join("spool").join("x.txt.part").exists());
        let c = store.accept(file(&app, b"three\n")).unwrap();
        assert_eq!(c.id, 3);
        drop(store);
        let text = fs::read_to_string(&history).unwrap();
        assert_eq!(text.lines().count(), 4, "{text}");
        assert!(text.lines().all(|l| serde_json::from_str::<HistoryEntry>(l).is_ok()), "{text}");
    }

    #[test]
    fn course_writebacks_are_recorded_with_and_without_a_file() {
        let tmp = tempfile::tempdir().unwrap();
        let app = ApplicationId::parse("A-1").unwrap();
        let store = Store::open(tmp.path()).unwrap();
        let courses = CourseSummary {
            written: vec!["ENG9".into()],
            denied: vec!["ART9".into()],
            expected_pickup: Some("Mon 11/23 at 06:00".into()),
        };
        let with_file = NewFile { kind: FileKind::Schedules, courses: Some(&courses), ..file(&app, b"x\n") };
        let a = store.accept(with_file).unwrap();
        assert_eq!(a.courses_written.as_deref(), Some(&["ENG9".to_string()][..]));
        assert_eq!(a.expected_pickup.as_deref(), Some("Mon 11/23 at 06:00"));
        let denied = CourseSummary { written: vec![], denied: vec!["ART9".into()], expected_pickup: None };
        let b = store.record(&app, "jdoe", &denied).unwrap();
        assert_eq!((b.id, b.status, b.file_name.as_deref(), b.rows), (2, Status::Recorded, None, 0));
        let json = serde_json::to_value(&b).unwrap();
        assert_eq!(json["file_name"], serde_json::Value::Null);
        assert_eq!(json["courses_written"], serde_json::json!([]));
        assert_eq!(json["courses_denied"], serde_json::json!(["ART9"]));
        assert!(json.get("expected_pickup").is_none(), "{json}");
        // Only the file waits for delivery; delivery may move the pickup on.
        assert_eq!(store.undelivered(), [1]);
        store.set_status(1, Status::Delivered, "outbox /o", None, Some("Tue 11/24 at 06:00".into())).unwrap();
        store.set_status(1, Status::Delivered, "outbox /o", None, None).unwrap();
        drop(store);

        // A line written before these fields existed still replays.
        let history = tmp.path().join("history.jsonl");
        let mut f = OpenOptions::new().append(true).open(&history).unwrap();
        f.write_all(br#"{"id":3,"application_id":"A-1","kind":"students","file_name":"writeback_students_A-1_20261122T091403_3.txt","rows":1,"submitted_by":"jdoe","submitted_at":"2026-11-22T09:14:03Z","status":"accepted","destination":"outbox /o"}"#).unwrap();
        f.write_all(b"\n").unwrap();
        drop(f);
        let store = Store::open(tmp.path()).unwrap();
        let h = store.history(&app);
        assert_eq!(
            h.iter().map(|e| (e.id, e.status)).collect::<Vec<_>>(),
            [(3, Status::Accepted), (2, Status::Recorded), (1, Status::Delivered)]
        );
        assert_eq!(h[2].expected_pickup.as_deref(), Some("Tue 11/24 at 06:00"));
        assert_eq!(h[0].courses_written, None);
        assert_eq!(store.undelivered(), [3]);
        assert_eq!(store.record(&app, "jdoe", &denied).unwrap().id, 4);
    }

    #[test]
    fn a_corrupt_line_is_reported_with_its_number() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("history.jsonl"), "\nnot json\n").unwrap();
        let err = Store::open(tmp.path()).unwrap_err().to_string();
        assert!(err.contains("history.jsonl:2: the history line cannot be read"), "{err}");
    }

    #[test]
    fn sequence_numbers_survive_a_lost_history() {
        let tmp = tempfile::tempdir().unwrap();
        let spool = tmp.path().join("spool");
        fs::create_dir_all(&spool).unwrap();
        fs::write(spool.join("writeback_students_A-1_20261122T091403_7.txt"), b"x").unwrap();
        let store = Store::open(tmp.path()).unwrap();
        let app = ApplicationId::parse("A-1").unwrap();
        assert_eq!(store.accept(file(&app, b"y\n")).unwrap().id, 8);
    }
}
