//! The relay's own database: an embedded SQLite file in the data folder
//! (`relay.sqlite3`, WAL, `synchronous=FULL`), created and migrated at
//! start-up. It holds the audit log (who opened which application's data
//! and who submitted what), the applications the host sent, and the
//! submissions with their history entries, which are also the delivery
//! queue (see [`crate::store`]).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use writeback_core::application::Application;

/// The migrations, in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        staff_id TEXT NOT NULL,
        staff_name TEXT NOT NULL,
        action TEXT NOT NULL,
        application_id TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE INDEX audit_application ON audit (application_id, id);",
    "CREATE TABLE applications (
        id TEXT PRIMARY KEY,
        json TEXT NOT NULL,
        received_at TEXT NOT NULL,
        received_by TEXT NOT NULL
    );",
    // Submissions and their entries (the history and the delivery queue);
    // `history.jsonl`, which held them before, is imported once.
    "CREATE TABLE submissions (
        id INTEGER PRIMARY KEY,
        application_id TEXT NOT NULL,
        route TEXT NOT NULL,
        staff_id TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        request_sha256 TEXT NOT NULL,
        submitted_at TEXT NOT NULL,
        UNIQUE (staff_id, idempotency_key)
    );
    CREATE TABLE entries (
        id INTEGER PRIMARY KEY,
        submission_id INTEGER REFERENCES submissions (id),
        application_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        file_name TEXT UNIQUE,
        rows INTEGER NOT NULL,
        submitted_by TEXT NOT NULL,
        submitted_at TEXT NOT NULL,
        status TEXT NOT NULL,
        destination TEXT NOT NULL,
        delivered_at TEXT,
        detail TEXT,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        first_failed_at TEXT,
        courses_written TEXT,
        courses_denied TEXT,
        expected_pickup TEXT,
        follow_ups TEXT NOT NULL DEFAULT '[]',
        spool_removed_at TEXT
    );
    CREATE INDEX entries_application ON entries (application_id, id);
    CREATE INDEX entries_submission ON entries (submission_id);
    CREATE INDEX entries_undelivered ON entries (id) WHERE status IN ('accepted', 'failed');
    CREATE TABLE delivery_attempts (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL REFERENCES entries (id),
        at TEXT NOT NULL,
        error TEXT NOT NULL
    );
    CREATE INDEX delivery_attempts_entry ON delivery_attempts (entry_id, id);",
    // Fixed-path targets: what the file at each target's path holds, and a
    // write begun but not yet confirmed; the run each entry is in a file for.
    "CREATE TABLE target_files (
        kind TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        run_at TEXT,
        entries TEXT NOT NULL DEFAULT '[]',
        sha256 TEXT,
        last_read TEXT,
        written_at TEXT,
        intent_run_at TEXT,
        intent_entries TEXT,
        intent_sha256 TEXT
    );
    ALTER TABLE entries ADD COLUMN run_at TEXT;",
    // Every New Contact Identifier sent, so none is sent twice.
    "CREATE TABLE sent_new_contacts (
        application_id TEXT NOT NULL,
        identifier TEXT NOT NULL,
        entry_id INTEGER NOT NULL REFERENCES entries (id),
        PRIMARY KEY (application_id, identifier)
    );",
    // What the next export set said of each delivered file.
    "ALTER TABLE entries ADD COLUMN confirmation TEXT;
    ALTER TABLE entries ADD COLUMN confirmed INTEGER;",
];

/// A database failure.
#[derive(Debug, thiserror::Error)]
#[error("the relay database {}: {source}", .path.display())]
pub struct DbError {
    path: PathBuf,
    #[source]
    source: rusqlite::Error,
}

/// The database, shared between threads.
#[derive(Debug)]
pub struct Db {
    path: PathBuf,
    conn: Mutex<Connection>,
}

/// One audit record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRecord {
    /// Sequence number.
    pub id: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// The staff member's id (the token's `sub`).
    pub staff_id: String,
    /// The staff member's name.
    pub staff_name: String,
    /// `opened` or `submitted`.
    pub action: String,
    /// The application.
    pub application_id: String,
    /// What was opened or submitted.
    pub detail: String,
}

/// An audit record to add.
#[derive(Debug, Clone, Copy)]
pub struct NewAudit<'a> {
    /// The staff member's id.
    pub staff_id: &'a str,
    /// The staff member's name.
    pub staff_name: &'a str,
    /// `opened` or `submitted`.
    pub action: &'a str,
    /// The application.
    pub application_id: &'a str,
    /// What was opened or submitted.
    pub detail: &'a str,
}

impl Db {
    /// Opens (creating the folder, the file, and migrating)
    /// `<data_dir>/relay.sqlite3`.
    pub fn open(data_dir: &Path) -> Result<Db, DbError> {
        let path = data_dir.join("relay.sqlite3");
        let err = |source| DbError { path: path.clone(), source };
        // A data folder that does not exist yet (the first start) is made.
        crate::durable::create_dir(data_dir).map_err(|e| {
            err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
                Some(format!("cannot create the data folder {}: {e}", data_dir.display())),
            ))
        })?;
        let mut conn = Connection::open(&path).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(err)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(err)?;
        migrate(&mut conn).map_err(err)?;
        Ok(Db { path, conn: Mutex::new(conn) })
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `work` on the connection (one caller at a time); its SQLite
    /// error comes back naming the database.
    pub(crate) fn with<T>(&self, work: impl FnOnce(&mut Connection) -> rusqlite::Result<T>) -> Result<T, DbError> {
        work(&mut self.lock()).map_err(|source| DbError { path: self.path.clone(), source })
    }

    /// A SQLite error, naming this database.
    pub(crate) fn error(&self, source: rusqlite::Error) -> DbError {
        DbError { path: self.path.clone(), source }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Adds an audit record (durable when this returns).
    pub fn audit(&self, record: NewAudit<'_>, at: &str) -> Result<(), DbError> {
        self.lock()
            .execute(
                "INSERT INTO audit (at, staff_id, staff_name, action, application_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![at, record.staff_id, record.staff_name, record.action, record.application_id, record.detail],
            )
            .map(|_| ())
            .map_err(|source| DbError { path: self.path.clone(), source })
    }

    /// Stores (creates or replaces) an application the host sent.
    pub fn put_application(&self, app: &Application, by: &str, at: &str) -> Result<(), DbError> {
        let json = serde_json::to_string(app).expect("an application serializes");
        self.lock()
            .execute(
                "INSERT INTO applications (id, json, received_at, received_by) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET json = ?2, received_at = ?3, received_by = ?4",
                params![app.id.as_str(), json, at, by],
            )
            .map(|_| ())
            .map_err(|source| DbError { path: self.path.clone(), source })
    }

    /// Every application the host sent, by id.
    pub fn applications(&self) -> Result<Vec<Application>, DbError> {
        let conn = self.lock();
        let err = |source| DbError { path: self.path.clone(), source };
        let mut stmt = conn.prepare("SELECT id, json FROM applications ORDER BY id").map_err(err)?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).map_err(err)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, json) = row.map_err(err)?;
            match Application::from_json(&json) {
                Ok(app) => out.push(app),
                // Stored after its checks: only a newer format could fail; say so and go on.
                Err(e) => tracing::error!(application = %id, error = %e, "a stored application cannot be read"),
            }
        }
        Ok(out)
    }

    /// The audit log, oldest first; only `application`'s if given; the
    /// last `limit` records.
    pub fn audit_log(&self, application: Option<&str>, limit: usize) -> Result<Vec<AuditRecord>, DbError> {
        let conn = self.lock();
        let err = |source| DbError { path: self.path.clone(), source };
        let mut stmt = conn
            .prepare(
                "SELECT id, at, staff_id, staff_name, action, application_id, detail FROM audit
                 WHERE ?1 IS NULL OR application_id = ?1 ORDER BY id DESC LIMIT ?2",
            )
            .map_err(err)?;
        let rows = stmt
            .query_map(params![application, limit as i64], |r| {
                Ok(AuditRecord {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    staff_id: r.get(2)?,
                    staff_name: r.get(3)?,
                    action: r.get(4)?,
                    application_id: r.get(5)?,
                    detail: r.get(6)?,
                })
            })
            .map_err(err)?;
        let mut out = rows.collect::<Result<Vec<_>, _>>().map_err(err)?;
        out.reverse();
        Ok(out)
    }
}

fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let applied: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tx = conn.transaction()?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(applied.max(0) as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    tx.commit()?;
    let _: Option<i64> = conn.query_row("SELECT 1", [], |r| r.get(0)).optional()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_start_makes_the_data_folder() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("var/relay");
        Db::open(&data).unwrap();
        assert!(data.join("relay.sqlite3").is_file());
    }

    #[test]
    fn audit_records_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        let rec = |app: &'static str, action: &'static str| NewAudit {
            staff_id: "u-1",
            staff_name: "Dana",
            action,
            application_id: app,
            detail: "review data",
        };
        db.audit(rec("A-1", "opened"), "2026-11-28T10:00:00Z").unwrap();
        db.audit(rec("A-2", "opened"), "2026-11-28T10:01:00Z").unwrap();
        db.audit(rec("A-1", "submitted"), "2026-11-28T10:02:00Z").unwrap();
        drop(db);
        let db = Db::open(dir.path()).unwrap();
        let all = db.audit_log(None, 100).unwrap();
        assert_eq!(
            all.iter().map(|r| (r.application_id.as_str(), r.action.as_str())).collect::<Vec<_>>(),
            [("A-1", "opened"), ("A-2", "opened"), ("A-1", "submitted")]
        );
        let one = db.audit_log(Some("A-1"), 1).unwrap();
        assert_eq!((one.len(), one[0].action.as_str()), (1, "submitted"));
    }
}
