//! Durable storage of what staff submitted: the spool of accepted files
//! and, in the relay's database, the submissions and their history
//! entries, which are also the delivery queue.
//!
//! - `spool/<file name>`: every accepted file, byte for byte as received.
//!   It is written as `spool/<file name>.part`, fsynced, renamed, and the
//!   folder fsynced, before the database records it; it is removed once
//!   it has been delivered longer than the retention period (the entry
//!   stays, [`Store::remove_delivered_before`]).
//! - `submissions`: one row per accepted request, with the staff member's
//!   idempotency key and a hash of the request, so a retry of the same
//!   request gets the first answer back and stores nothing new.
//! - `entries`: one [`HistoryEntry`] per file (or per course writeback
//!   recorded without a file). Entries `accepted` or `failed` with a file
//!   are the delivery queue: the worker reads them from here, never from
//!   an in-memory hand-off, so whatever is stored is delivered whatever
//!   happens to the request that stored it.
//!
//! A submission is accepted in one transaction: its files go to the spool
//! first, then every entry is inserted, then the commit; only then is it
//! acknowledged. A crash before the commit leaves spool files no entry
//! names; the next start removes them (they were never acknowledged).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use writeback_core::application::ApplicationId;
use writeback_core::flatfile::FileKind;

use crate::db::{Db, DbError};
use crate::durable;

pub use writeback_core::wire::{HistoryEntry, Status};

/// What a course writeback records besides its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseSummary {
    /// Course numbers written.
    pub written: Vec<String>,
    /// Course numbers denied.
    pub denied: Vec<String>,
}

/// One entry of a submission: a file, or (a course writeback that denies
/// every course) a record without one.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    /// The import kind.
    pub kind: FileKind,
    /// The file exactly as received and its data rows; `None`: nothing to
    /// deliver, the entry is `recorded`.
    pub file: Option<(&'a [u8], usize)>,
    /// For a course writeback: the courses written and denied.
    pub courses: Option<&'a CourseSummary>,
    /// What staff must still do in PowerSchool after the import.
    pub follow_ups: &'a [String],
    /// When PowerSchool is expected to import the file, as staff read it.
    pub expected_pickup: Option<String>,
}

/// A submission to accept: every entry together, or none.
#[derive(Debug, Clone)]
pub struct NewSubmission<'a> {
    /// The application.
    pub application_id: &'a ApplicationId,
    /// The route it came through (`writeback`, `course-writeback`).
    pub route: &'static str,
    /// The staff member's id (the token's `sub`).
    pub staff_id: &'a str,
    /// Who submitted, as history shows it.
    pub submitted_by: &'a str,
    /// The staff member's idempotency key.
    pub idempotency_key: &'a str,
    /// A hash of the request (route, application, body).
    pub request_sha256: &'a str,
    /// Where the files will be delivered.
    pub destination: &'a str,
    /// The entries.
    pub entries: Vec<NewEntry<'a>>,
    /// Staff marked it a correction: a contacts or schedules file may
    /// follow one already written for the application.
    pub correction: bool,
    /// The New Contact Identifiers its contacts file sends (each only once
    /// per application, correction or not).
    pub new_contacts: Vec<String>,
}

/// How a submission was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accepted {
    /// Stored now.
    New(Vec<HistoryEntry>),
    /// The same key was seen before: the first submission's entries, as
    /// they stand now; nothing new was stored.
    Replayed(Vec<HistoryEntry>),
}

impl Accepted {
    /// The entries, however they were taken.
    pub fn entries(&self) -> &[HistoryEntry] {
        match self {
            Accepted::New(e) | Accepted::Replayed(e) => e,
        }
    }
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
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// A stored value cannot be read back.
    #[error("entry {id}: {message}")]
    Corrupt {
        /// The entry.
        id: u64,
        /// What is wrong.
        message: String,
    },
    /// The idempotency key was used for a different request.
    #[error(
        "the Idempotency-Key {key:?} was already used for another submission (entries {entries}); \
         use a new key for a new submission"
    )]
    KeyReused {
        /// The key.
        key: String,
        /// The entries of the first submission.
        entries: String,
    },
    /// A contacts or schedules file was written back for the application
    /// before, and this submission is not marked a correction.
    #[error(
        "the {kind} of application {application} were written back already (entry {id}, {at}, by {by}): \
         to write them again, mark this submission as a correction"
    )]
    WrittenBefore {
        /// The kind.
        kind: FileKind,
        /// The application.
        application: String,
        /// The earlier entry.
        id: u64,
        /// When it was accepted.
        at: String,
        /// Who submitted it.
        by: String,
    },
    /// A New Contact Identifier was sent before: PowerSchool creates that
    /// person at the import, so sending it again would create a duplicate.
    #[error(
        "the new contact {identifier} was sent already (entry {id}, {at}, by {by}): PowerSchool creates that person \
         when it imports the file; once the next export has them, confirm that person on the form instead of adding \
         a new contact"
    )]
    NewContactSent {
        /// The identifier.
        identifier: String,
        /// The entry that sent it.
        id: u64,
        /// When.
        at: String,
        /// Who.
        by: String,
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
    db: Arc<Db>,
}

const ENTRY_COLUMNS: &str = "id, application_id, kind, file_name, rows, submitted_by, submitted_at, status, \
     destination, delivered_at, detail, failed_attempts, courses_written, courses_denied, expected_pickup, follow_ups, \
     confirmation";

impl Store {
    /// Opens (creating if needed) the spool in `data_dir`, imports a
    /// `history.jsonl` left by an earlier version once, and removes what no
    /// acknowledged submission owns (unfinished writes, files of a
    /// submission that was never committed).
    pub fn open(data_dir: &Path, db: Arc<Db>) -> Result<Store, StoreError> {
        durable::create_dir(data_dir).map_err(io_err("create the data folder", data_dir))?;
        let data_dir = fs::canonicalize(data_dir).map_err(io_err("resolve", data_dir))?;
        let spool_dir = data_dir.join("spool");
        durable::create_dir(&spool_dir).map_err(io_err("create the spool folder", &spool_dir))?;
        let store = Store { spool_dir, db };
        crate::legacy::import_history(&data_dir, &store.db)?;
        store.remove_orphans()?;
        Ok(store)
    }

    fn remove_orphans(&self) -> Result<(), StoreError> {
        let owned: BTreeSet<String> = self.db.with(|c| {
            let mut stmt =
                c.prepare("SELECT file_name FROM entries WHERE file_name IS NOT NULL AND spool_removed_at IS NULL")?;
            let names = stmt.query_map([], |r| r.get::<_, String>(0))?;
            names.collect()
        })?;
        let dir = &self.spool_dir;
        for e in fs::read_dir(dir).map_err(io_err("list", dir))? {
            let e = e.map_err(io_err("list", dir))?;
            let name = e.file_name().to_string_lossy().into_owned();
            if !owned.contains(&name) {
                // An unfinished write, or a submission that never committed:
                // neither was acknowledged.
                tracing::warn!(file = %name, "removing a spool file no accepted submission owns");
                fs::remove_file(e.path()).map_err(io_err("remove the unowned spool file", &e.path()))?;
            }
        }
        Ok(())
    }

    /// The first submission `staff_id` made with `key`, as its entries
    /// stand now; an error if that submission was a different request.
    pub fn replay(
        &self,
        staff_id: &str,
        key: &str,
        request_sha256: &str,
    ) -> Result<Option<Vec<HistoryEntry>>, StoreError> {
        let conn = self.db.lock();
        let found = replay_in(&conn, staff_id, key, request_sha256);
        found.map_err(|e| self.db_err(e))?
    }

    /// Stores a submission: every file durably in the spool, then every
    /// entry in one transaction. Returns the entries (files `accepted`,
    /// records `recorded`), or the first submission's if its key was seen.
    pub fn accept(&self, submission: NewSubmission<'_>) -> Result<Accepted, StoreError> {
        let mut conn = self.db.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| self.db_err(e))?;
        let key = submission.idempotency_key;
        if let Some(first) =
            replay_in(&tx, submission.staff_id, key, submission.request_sha256).map_err(|e| self.db_err(e))??
        {
            return Ok(Accepted::Replayed(first));
        }
        self.check_not_written(&tx, &submission)?;
        let now = jiff::Timestamp::now();
        let mut spooled = Vec::new();
        let result = self.insert(&tx, &submission, now, &mut spooled).and_then(|ids| {
            tx.commit().map_err(|e| self.db_err(e))?;
            Ok(ids)
        });
        match result {
            Ok(ids) => {
                drop(conn);
                let entries: Result<Vec<_>, _> =
                    ids.iter().map(|id| self.entry(*id)?.ok_or(StoreError::UnknownEntry(*id))).collect();
                Ok(Accepted::New(entries?))
            }
            Err(e) => {
                for name in spooled {
                    let _ = fs::remove_file(self.spool_dir.join(name));
                }
                Err(e)
            }
        }
    }

    /// A second contacts or schedules file without `correction`, or a New
    /// Contact Identifier sent before: refused (in the accepting transaction,
    /// so two submissions at once cannot both pass).
    fn check_not_written(&self, tx: &Connection, s: &NewSubmission<'_>) -> Result<(), StoreError> {
        let db = |e| self.db_err(e);
        let app = s.application_id.as_str();
        type Earlier = Option<(i64, String, String)>;
        let rewritten = s.entries.iter().filter(|e| !s.correction && e.file.is_some() && e.kind != FileKind::Students);
        for e in rewritten {
            let earlier: Earlier = tx
                .query_row(
                    "SELECT id, submitted_at, submitted_by FROM entries
                     WHERE application_id = ?1 AND kind = ?2 AND file_name IS NOT NULL ORDER BY id DESC LIMIT 1",
                    params![app, e.kind.as_str()],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()
                .map_err(db)?;
            if let Some((id, at, by)) = earlier {
                let kind = e.kind;
                return Err(StoreError::WrittenBefore { kind, application: app.to_string(), id: id as u64, at, by });
            }
        }
        for identifier in &s.new_contacts {
            let sent: Earlier = tx
                .query_row(
                    "SELECT e.id, e.submitted_at, e.submitted_by FROM sent_new_contacts n JOIN entries e ON e.id = n.entry_id
                     WHERE n.application_id = ?1 AND n.identifier = ?2",
                    params![app, identifier],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()
                .map_err(db)?;
            if let Some((id, at, by)) = sent {
                return Err(StoreError::NewContactSent { identifier: identifier.clone(), id: id as u64, at, by });
            }
        }
        Ok(())
    }

    fn insert(
        &self,
        tx: &Connection,
        s: &NewSubmission<'_>,
        now: jiff::Timestamp,
        spooled: &mut Vec<String>,
    ) -> Result<Vec<u64>, StoreError> {
        let at = crate::time::rfc3339(now);
        let db = |e| self.db_err(e);
        tx.execute(
            "INSERT INTO submissions (application_id, route, staff_id, idempotency_key, request_sha256, submitted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![s.application_id.as_str(), s.route, s.staff_id, s.idempotency_key, s.request_sha256, at],
        )
        .map_err(db)?;
        let submission_id = tx.last_insert_rowid();
        let mut ids = Vec::new();
        for e in &s.entries {
            let status = if e.file.is_some() { Status::Accepted } else { Status::Recorded };
            let json = |v: Option<&Vec<String>>| v.map(|v| serde_json::to_string(v).expect("strings serialize"));
            tx.execute(
                "INSERT INTO entries (submission_id, application_id, kind, rows, submitted_by, submitted_at, status,
                    destination, courses_written, courses_denied, expected_pickup, follow_ups)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    submission_id,
                    s.application_id.as_str(),
                    e.kind.as_str(),
                    e.file.map_or(0, |(_, rows)| rows as i64),
                    s.submitted_by,
                    at,
                    status.as_str(),
                    if e.file.is_some() { s.destination } else { "" },
                    json(e.courses.map(|c| &c.written)),
                    json(e.courses.map(|c| &c.denied)),
                    e.expected_pickup.clone().filter(|_| e.file.is_some()),
                    serde_json::to_string(e.follow_ups).expect("strings serialize"),
                ],
            )
            .map_err(db)?;
            let id = tx.last_insert_rowid() as u64;
            if let Some((bytes, _)) = e.file {
                let name = format!("writeback_{}_{}_{}_{id}.txt", e.kind, s.application_id, crate::time::compact(now));
                durable::write_file(&self.spool_dir, &format!("{name}.part"), &name, bytes)
                    .map_err(io_err("store the file in", &self.spool_dir))?;
                spooled.push(name.clone());
                tx.execute("UPDATE entries SET file_name = ?1 WHERE id = ?2", params![name, id as i64]).map_err(db)?;
            }
            if e.kind == FileKind::Contacts {
                for identifier in &s.new_contacts {
                    tx.execute(
                        "INSERT INTO sent_new_contacts (application_id, identifier, entry_id) VALUES (?1, ?2, ?3)",
                        params![s.application_id.as_str(), identifier, id as i64],
                    )
                    .map_err(db)?;
                }
            }
            ids.push(id);
        }
        Ok(ids)
    }

    fn db_err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Db(self.db.error(source))
    }

    fn query_entries(&self, sql_where: &str, args: impl rusqlite::Params) -> Result<Vec<HistoryEntry>, StoreError> {
        let conn = self.db.lock();
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM entries {sql_where}");
        query_entries_in(&conn, &sql, args).map_err(|e| self.db_err(e))?
    }

    /// One entry.
    pub fn entry(&self, id: u64) -> Result<Option<HistoryEntry>, StoreError> {
        Ok(self.query_entries("WHERE id = ?1", [id as i64])?.pop())
    }

    /// An application's entries, newest first.
    pub fn history(&self, application: &ApplicationId) -> Result<Vec<HistoryEntry>, StoreError> {
        self.query_entries("WHERE application_id = ?1 ORDER BY id DESC", [application.as_str()])
    }

    /// The newest entry of each kind of every application that has one,
    /// by application, in kind order (what the application list shows).
    pub fn newest_per_kind(&self) -> Result<BTreeMap<String, Vec<HistoryEntry>>, StoreError> {
        let newest = self.query_entries(
            "WHERE id IN (SELECT MAX(id) FROM entries GROUP BY application_id, kind) ORDER BY application_id, id",
            [],
        )?;
        let mut by_application: BTreeMap<String, Vec<HistoryEntry>> = BTreeMap::new();
        for e in newest {
            by_application.entry(e.application_id.to_string()).or_default().push(e);
        }
        for entries in by_application.values_mut() {
            entries.sort_by_key(|e| e.kind);
        }
        Ok(by_application)
    }

    /// Ids of entries with a file not yet delivered of a kind that has no
    /// fixed-path target (delivered one file each), oldest first.
    pub fn per_file_queue(&self, targeted: &[FileKind]) -> Result<Vec<u64>, StoreError> {
        let skip: Vec<&str> = targeted.iter().map(|k| k.as_str()).collect();
        let skip = serde_json::to_string(&skip).expect("strings serialize");
        self.db
            .with(|c| {
                let mut stmt = c.prepare_cached(
                    "SELECT id FROM entries WHERE status IN ('accepted', 'failed') AND file_name IS NOT NULL
                       AND run_at IS NULL AND kind NOT IN (SELECT value FROM json_each(?1)) ORDER BY id",
                )?;
                let ids = stmt.query_map([skip], |r| r.get::<_, i64>(0).map(|id| id as u64))?;
                ids.collect()
            })
            .map_err(StoreError::from)
    }

    /// Ids of entries with a file not yet delivered, oldest first.
    pub fn undelivered(&self) -> Result<Vec<u64>, StoreError> {
        self.db
            .with(|c| {
                let mut stmt = c.prepare(
                    "SELECT id FROM entries WHERE status IN ('accepted', 'failed') AND file_name IS NOT NULL ORDER BY id",
                )?;
                let ids = stmt.query_map([], |r| r.get::<_, i64>(0).map(|id| id as u64))?;
                ids.collect()
            })
            .map_err(StoreError::from)
    }

    /// Records that entry `id` is at its destination. `note` says how
    /// (e.g. found there already); a course writeback's `expected_pickup`,
    /// when given, replaces the entry's (AutoComm imports it at the first
    /// run after the delivery).
    pub fn delivered(
        &self,
        id: u64,
        destination: &str,
        note: Option<String>,
        expected_pickup: Option<String>,
    ) -> Result<HistoryEntry, StoreError> {
        let at = crate::time::now_rfc3339();
        let found = self.db.with(|c| {
            let row: Option<(i64, Option<String>, Option<String>)> = c
                .query_row(
                    "SELECT failed_attempts, first_failed_at, detail FROM entries WHERE id = ?1",
                    [id as i64],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((failures, first, last)) = row else { return Ok(false) };
            let detail = delivery_note(failures, first.as_deref(), last.as_deref(), note);
            c.execute(
                "UPDATE entries SET status = 'delivered', destination = ?2, delivered_at = ?3, detail = ?4,
                    expected_pickup = COALESCE(?5, expected_pickup) WHERE id = ?1",
                params![id as i64, destination, at, detail, expected_pickup],
            )?;
            Ok(true)
        })?;
        if !found {
            return Err(StoreError::UnknownEntry(id));
        }
        self.entry(id)?.ok_or(StoreError::UnknownEntry(id))
    }

    /// Records a failed delivery attempt of entry `id` (kept with its
    /// error; the entry stays in the queue).
    pub fn failed(&self, id: u64, destination: &str, error: &str) -> Result<HistoryEntry, StoreError> {
        let at = crate::time::now_rfc3339();
        let changed = self.db.with(|c| {
            let tx = c.transaction()?;
            let n = tx.execute(
                "UPDATE entries SET status = 'failed', destination = ?2, detail = ?3,
                    failed_attempts = failed_attempts + 1, first_failed_at = COALESCE(first_failed_at, ?4)
                 WHERE id = ?1 AND status IN ('accepted', 'failed')",
                params![id as i64, destination, error, at],
            )?;
            tx.execute(
                "INSERT INTO delivery_attempts (entry_id, at, error) SELECT ?1, ?2, ?3 WHERE ?4 > 0",
                params![id as i64, at, error, n as i64],
            )?;
            tx.commit()?;
            Ok(n)
        })?;
        if changed == 0 && self.entry(id)?.is_none() {
            return Err(StoreError::UnknownEntry(id));
        }
        self.entry(id)?.ok_or(StoreError::UnknownEntry(id))
    }

    /// The failed delivery attempts of entry `id`: (when, error), oldest first.
    pub fn failures(&self, id: u64) -> Result<Vec<(String, String)>, StoreError> {
        self.db
            .with(|c| {
                let mut stmt = c.prepare("SELECT at, error FROM delivery_attempts WHERE entry_id = ?1 ORDER BY id")?;
                let rows = stmt.query_map([id as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect()
            })
            .map_err(StoreError::from)
    }

    /// Removes the spooled bytes of files delivered before `cutoff`
    /// (RFC 3339, UTC); their entries stay. Returns how many were removed.
    pub fn remove_delivered_before(&self, cutoff: &str) -> Result<usize, StoreError> {
        let names: Vec<(i64, String)> = self.db.with(|c| {
            let mut stmt = c.prepare(
                "SELECT id, file_name FROM entries WHERE status = 'delivered' AND file_name IS NOT NULL
                   AND spool_removed_at IS NULL AND delivered_at < ?1",
            )?;
            let rows = stmt.query_map([cutoff], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        })?;
        let at = crate::time::now_rfc3339();
        for (id, name) in &names {
            let path = self.spool_dir.join(name);
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(StoreError::Io { action: "remove the delivered file", path, source: e }),
            }
            self.db.with(|c| c.execute("UPDATE entries SET spool_removed_at = ?2 WHERE id = ?1", params![id, at]))?;
        }
        if !names.is_empty() {
            durable::sync_dir(&self.spool_dir).map_err(io_err("sync", &self.spool_dir))?;
        }
        Ok(names.len())
    }

    /// Files a target's run read before `before` (RFC 3339) and not yet
    /// confirmed in PowerSchool, with their bytes still in the spool: (id,
    /// kind, file name). A file delivered on its own is imported whenever a
    /// person runs it, so it is not checked.
    pub fn to_confirm(&self, before: &str) -> Result<Vec<(u64, FileKind, String)>, StoreError> {
        let rows: Vec<(i64, String, String)> = self.db.with(|c| {
            let mut stmt = c.prepare(
                "SELECT id, kind, file_name FROM entries WHERE status = 'delivered' AND file_name IS NOT NULL
                   AND spool_removed_at IS NULL AND COALESCE(confirmed, 0) = 0 AND run_at IS NOT NULL
                   AND delivered_at < ?1 ORDER BY id",
            )?;
            let rows = stmt.query_map([before], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect()
        })?;
        Ok(rows.into_iter().filter_map(|(id, kind, name)| Some((id as u64, kind.parse().ok()?, name))).collect())
    }

    /// Records what an export set said of entry `id`.
    pub fn set_confirmation(&self, id: u64, applied: bool, text: &str) -> Result<(), StoreError> {
        self.db.with(|c| {
            c.execute(
                "UPDATE entries SET confirmation = ?2, confirmed = ?3 WHERE id = ?1",
                params![id as i64, text, applied as i64],
            )
        })?;
        Ok(())
    }

    /// Lets the New Contact Identifiers `identifiers` of entry `id` be sent
    /// again: the next export showed PowerSchool did not create them.
    pub fn release_new_contacts(&self, id: u64, identifiers: &[String]) -> Result<(), StoreError> {
        self.db.with(|c| {
            let mut stmt = c.prepare("DELETE FROM sent_new_contacts WHERE entry_id = ?1 AND identifier = ?2")?;
            for identifier in identifiers {
                stmt.execute(params![id as i64, identifier])?;
            }
            Ok(())
        })?;
        Ok(())
    }

    /// The spooled file of an entry.
    pub fn spool_path(&self, file_name: &str) -> PathBuf {
        self.spool_dir.join(file_name)
    }
}

/// The note a delivered entry keeps: how it was delivered and, after
/// failures, how many and since when.
fn delivery_note(failures: i64, first: Option<&str>, last: Option<&str>, note: Option<String>) -> Option<String> {
    let failures = (failures > 0).then(|| {
        format!(
            "delivered after {failures} failed attempt(s) since {}; the last: {}",
            first.unwrap_or("?"),
            last.unwrap_or("?")
        )
    });
    match (note, failures) {
        (Some(n), Some(f)) => Some(format!("{n}; {f}")),
        (n, f) => n.or(f),
    }
}

/// The first submission of `key` by `staff_id`, or `Err` if it was
/// another request. SQLite errors come out as the outer `Err`.
fn replay_in(
    conn: &Connection,
    staff_id: &str,
    key: &str,
    request_sha256: &str,
) -> rusqlite::Result<Result<Option<Vec<HistoryEntry>>, StoreError>> {
    let first: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, request_sha256 FROM submissions WHERE staff_id = ?1 AND idempotency_key = ?2",
            params![staff_id, key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((submission, sha)) = first else { return Ok(Ok(None)) };
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM entries WHERE submission_id = ?1 ORDER BY id");
    let entries = match query_entries_in(conn, &sql, [submission])? {
        Ok(e) => e,
        Err(e) => return Ok(Err(e)),
    };
    if sha != request_sha256 {
        let ids: Vec<String> = entries.iter().map(|e| e.id.to_string()).collect();
        return Ok(Err(StoreError::KeyReused { key: key.to_string(), entries: ids.join(", ") }));
    }
    Ok(Ok(Some(entries)))
}

fn query_entries_in(
    conn: &Connection,
    sql: &str,
    args: impl rusqlite::Params,
) -> rusqlite::Result<Result<Vec<HistoryEntry>, StoreError>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(args, |r| Ok(entry_from_row(r)))?;
    let mut out = Vec::new();
    for row in rows {
        match row? {
            Ok(Ok(e)) => out.push(e),
            Ok(Err(e)) => return Ok(Err(e)),
            Err(e) => return Err(e),
        }
    }
    Ok(Ok(out))
}

/// An entry from a row of [`ENTRY_COLUMNS`].
fn entry_from_row(r: &Row<'_>) -> rusqlite::Result<Result<HistoryEntry, StoreError>> {
    let id = r.get::<_, i64>(0)? as u64;
    let corrupt = |message: String| StoreError::Corrupt { id, message };
    let list = |i: usize| -> rusqlite::Result<Result<Option<Vec<String>>, StoreError>> {
        Ok(match r.get::<_, Option<String>>(i)? {
            None => Ok(None),
            Some(text) => serde_json::from_str(&text).map(Some).map_err(|e| corrupt(format!("column {i}: {e}"))),
        })
    };
    let application_id = match ApplicationId::parse(&r.get::<_, String>(1)?) {
        Ok(a) => a,
        Err(e) => return Ok(Err(corrupt(e.to_string()))),
    };
    let kind = match r.get::<_, String>(2)?.parse::<FileKind>() {
        Ok(k) => k,
        Err(e) => return Ok(Err(corrupt(e))),
    };
    let status = match r.get::<_, String>(7)?.parse::<Status>() {
        Ok(s) => s,
        Err(e) => return Ok(Err(corrupt(e))),
    };
    let (written, denied, follow_ups) = match (list(12)?, list(13)?, list(15)?) {
        (Ok(w), Ok(d), Ok(f)) => (w, d, f.unwrap_or_default()),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return Ok(Err(e)),
    };
    Ok(Ok(HistoryEntry {
        id,
        application_id,
        kind,
        file_name: r.get(3)?,
        rows: r.get::<_, i64>(4)? as usize,
        submitted_by: r.get(5)?,
        submitted_at: r.get(6)?,
        status,
        destination: r.get(8)?,
        delivered_at: r.get(9)?,
        detail: r.get(10)?,
        failed_attempts: r.get::<_, i64>(11)? as u32,
        courses_written: written,
        courses_denied: denied,
        expected_pickup: r.get(14)?,
        follow_ups,
        confirmation: r.get(16)?,
    }))
}

mod targets;

pub use targets::{Intent, TargetFile};

#[cfg(test)]
mod tests;
