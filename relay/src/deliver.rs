//! Delivery of accepted files to the local outbox or an SFTP server.
//!
//! One worker task reads the queue (the entries not yet delivered, in the
//! relay's database) and delivers one file at a time, oldest first. A
//! request that stores a submission only wakes it; the worker also reads
//! the queue every few seconds, so nothing stored waits for a request that
//! went away. After a failure the worker backs off (per target, capped at
//! 30 s, cut short by `POST /api/admin/deliver`). The relay never alters a
//! file: the bytes delivered are the spooled bytes, which are the bytes
//! received.
//!
//! # No partial file, exactly once
//! A file is written at the destination under a temporary name
//! (`.<name>.part`, which PowerSchool's importer does not pick up) and then
//! renamed to its final name, so the importer sees either nothing or the
//! whole file.
//!
//! Each accepted file is delivered exactly once:
//! - An entry becomes `delivered` only after the rename succeeded; until
//!   then it stays `accepted` or `failed` (every failed attempt is kept
//!   with its error), and the worker tries again.
//! - On start-up every entry not yet `delivered` is queued again, so a crash
//!   or restart never loses an accepted file.
//! - Before uploading, the worker checks whether the final name already
//!   exists at the destination. If it does, a previous run crashed after the
//!   rename but before recording the delivery: the entry is marked
//!   `delivered` without writing it again. File names are unique (they end
//!   with the entry's id), so an existing final name can only be this file.
//!
//! What remains is the window between the rename and the fsync of the
//! history line: if the relay dies there *and* the importer consumes (moves
//! or deletes) the file before the relay restarts, the file is delivered a
//! second time. PowerSchool imports keyed on Student_Number are idempotent,
//! so a repeat writes the same values again.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::process::Command;
use tokio::sync::Notify;

use crate::config::{check_remote_path, Destination, SftpConfig};
use crate::durable;
use crate::pickup::PickupClock;
use crate::store::{Status, Store};

/// How long one `sftp` run may take before it is stopped.
const SFTP_RUN_LIMIT: Duration = Duration::from_secs(300);

/// A destination, prepared for delivery.
#[derive(Debug, Clone)]
pub enum Target {
    /// The local outbox folder (absolute).
    Outbox(PathBuf),
    /// An SFTP server, with the known_hosts file pinning its key.
    Sftp {
        /// The server.
        config: SftpConfig,
        /// A known_hosts file holding only the pinned key.
        known_hosts: PathBuf,
    },
}

/// A destination that cannot be prepared.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// The outbox folder cannot be created.
    #[error("cannot create the outbox folder {}: {source}", .path.display())]
    Outbox {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The SFTP private key file cannot be read.
    #[error("--sftp-key {}: cannot read the private key file: {source}", .path.display())]
    Key {
        /// The key file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The known_hosts file cannot be written.
    #[error("cannot write {}: {source}", .path.display())]
    KnownHosts {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

impl Target {
    /// Prepares a destination: creates the outbox folder, or checks the key
    /// and writes `<data_dir>/sftp_known_hosts` with the pinned host key.
    pub fn prepare(destination: Destination, data_dir: &Path) -> Result<Target, TargetError> {
        match destination {
            Destination::Outbox(dir) => {
                let err = |source| TargetError::Outbox { path: dir.clone(), source };
                durable::create_dir(&dir).map_err(err)?;
                let dir = std::fs::canonicalize(&dir).map_err(err)?;
                Ok(Target::Outbox(dir))
            }
            Destination::Sftp(config) => {
                std::fs::File::open(&config.key)
                    .map_err(|source| TargetError::Key { path: config.key.clone(), source })?;
                let known_hosts = data_dir.join("sftp_known_hosts");
                let line = format!("{} {}\n", config.known_hosts_name(), config.host_key);
                durable::write_file(data_dir, ".sftp_known_hosts.part", "sftp_known_hosts", line.as_bytes())
                    .map_err(|source| TargetError::KnownHosts { path: known_hosts.clone(), source })?;
                let known_hosts = std::fs::canonicalize(&known_hosts)
                    .map_err(|source| TargetError::KnownHosts { path: known_hosts.clone(), source })?;
                Ok(Target::Sftp { config, known_hosts })
            }
        }
    }

    /// The destination as shown in history entries: `sftp://host:port/dir`
    /// or `outbox /abs/path`.
    pub fn describe(&self) -> String {
        match self {
            Target::Outbox(dir) => format!("outbox {}", dir.display()),
            Target::Sftp { config, .. } => config.to_string(),
        }
    }

    /// Delivers the spooled file `spool` as `name`.
    pub async fn deliver(&self, spool: &Path, name: &str) -> Result<Delivered, String> {
        match self {
            Target::Outbox(dir) => {
                let (dir, spool, name) = (dir.clone(), spool.to_path_buf(), name.to_string());
                tokio::task::spawn_blocking(move || deliver_to_outbox(&dir, &spool, &name))
                    .await
                    .map_err(|e| format!("the delivery task failed: {e}"))?
            }
            Target::Sftp { config, known_hosts } => deliver_over_sftp(config, known_hosts, spool, name).await,
        }
    }
}

/// How a delivery ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivered {
    /// The file was written.
    Now,
    /// The final name already existed: a previous run delivered it.
    Before,
}

fn deliver_to_outbox(dir: &Path, spool: &Path, name: &str) -> Result<Delivered, String> {
    let target = dir.join(name);
    if target.symlink_metadata().is_ok() {
        return Ok(Delivered::Before);
    }
    if !spool.is_file() {
        return Err(format!("the spooled file {} is missing", spool.display()));
    }
    durable::copy_file(spool, dir, &format!(".{name}.part"), name)
        .map_err(|e| format!("cannot write {} in the outbox {}: {e}", name, dir.display()))?;
    Ok(Delivered::Now)
}

async fn deliver_over_sftp(
    config: &SftpConfig,
    known_hosts: &Path,
    spool: &Path,
    name: &str,
) -> Result<Delivered, String> {
    if name.contains('/') {
        return Err(format!("refusing the file name {name:?}"));
    }
    let final_path = config.remote_path(name);
    let part_path = config.remote_path(&format!(".{name}.part"));
    let spool_path = spool.to_str().ok_or_else(|| format!("the spool path {} is not UTF-8", spool.display()))?;
    for p in [&final_path, &part_path, spool_path] {
        check_remote_path(p).map_err(|e| format!("refusing to deliver: {e}"))?;
    }
    if !spool.is_file() {
        return Err(format!("the spooled file {spool_path} is missing"));
    }
    // Is it there already? `-` lets the batch go on when `ls` finds nothing,
    // so a non-zero exit means the session itself failed.
    let listing = run_sftp(config, known_hosts, &format!("-ls -1 \"{final_path}\"\n")).await?;
    if listing.lines().any(|l| l.trim_end() == final_path) {
        return Ok(Delivered::Before);
    }
    let batch =
        format!("-rm \"{part_path}\"\nput \"{spool_path}\" \"{part_path}\"\nrename \"{part_path}\" \"{final_path}\"\n");
    run_sftp(config, known_hosts, &batch).await?;
    Ok(Delivered::Now)
}

/// Runs OpenSSH's `sftp` with `batch` on stdin; returns its stdout.
async fn run_sftp(config: &SftpConfig, known_hosts: &Path, batch: &str) -> Result<String, String> {
    let mut child = Command::new("sftp")
        .arg("-b")
        .arg("-")
        .arg("-F")
        .arg("none")
        .arg("-i")
        .arg(&config.key)
        .arg("-P")
        .arg(config.port.to_string())
        .args(["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"])
        .arg("-o")
        .arg(format!("UserKnownHostsFile={}", known_hosts.display()))
        .args(["-o", "GlobalKnownHostsFile=/dev/null", "-o", "UpdateHostKeys=no"])
        .args(["-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=10"])
        .args(["-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3"])
        .arg(format!("{}@{}", config.user, config.host))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot run sftp (install the OpenSSH client): {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A write error means sftp exited early; its exit status tells why.
        let _ = stdin.write_all(batch.as_bytes()).await;
    }
    let output = match tokio::time::timeout(SFTP_RUN_LIMIT, child.wait_with_output()).await {
        Ok(Ok(output)) => output,
        Ok(Err(e)) => return Err(format!("sftp failed: {e}")),
        Err(_) => return Err(format!("sftp did not finish within {} s", SFTP_RUN_LIMIT.as_secs())),
    };
    if output.status.success() {
        return Ok(String::from_utf8_lossy(&output.stdout).into_owned());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let said: Vec<&str> = stderr.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("@@@")).collect();
    let said = said.join(" / ");
    let said: String = said.chars().take(2000).collect();
    if stderr.contains("Host key verification failed") {
        return Err(format!(
            "host key verification failed: the server's host key does not match --sftp-host-key; sftp: {said}"
        ));
    }
    Err(format!("sftp failed ({}): {said}", output.status))
}

/// Delays between delivery attempts to the target after it failed: the
/// backoff is the target's, not each file's, and capped, so delivery
/// resumes at most the last delay after the target is back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The delay after the 1st, 2nd, ... failure in a row; the last one repeats.
    pub delays: Vec<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { delays: [2, 5, 10, 20, 30].into_iter().map(Duration::from_secs).collect() }
    }
}

impl RetryPolicy {
    /// The delay after `failures` failed attempts in a row (at least 1).
    pub fn delay(&self, failures: u32) -> Duration {
        let i = (failures.max(1) - 1) as usize;
        self.delays.get(i).or(self.delays.last()).copied().unwrap_or(Duration::from_secs(30))
    }
}

/// How often the worker looks at the queue when nothing woke it: what is
/// stored is delivered even if no request could tell the worker.
const QUEUE_POLL: Duration = Duration::from_secs(5);

/// The delivery worker's handle: wakes it, and tells how the target is.
#[derive(Debug, Clone)]
pub struct Delivery {
    shared: Arc<DeliveryShared>,
}

#[derive(Debug, Default)]
struct DeliveryShared {
    /// New entries are in the queue.
    work: Notify,
    /// IT asked for a retry now: the backoff is cut short.
    retry: Notify,
    /// The relay is going away: the worker ends after its current attempt.
    stop: Notify,
    stopped: std::sync::atomic::AtomicBool,
    state: std::sync::Mutex<TargetState>,
}

/// Where the target stands, as `GET /api/admin/status` shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct TargetState {
    /// Failed attempts in a row (0: the last attempt succeeded).
    pub failures_in_a_row: u32,
    /// The last error, while the target is failing.
    pub last_error: Option<String>,
    /// Seconds until the next attempt, while backing off.
    pub retry_in_seconds: Option<u64>,
}

impl Delivery {
    /// Starts the worker on the current tokio runtime. It delivers every
    /// entry of `store` not yet delivered, oldest first, and then whatever
    /// is stored later. `pickup` tells when AutoComm picks a delivered
    /// course writeback up.
    pub fn start(store: Arc<Store>, target: Arc<Target>, retry: RetryPolicy, pickup: PickupClock) -> Delivery {
        let delivery = Delivery { shared: Arc::default() };
        tokio::spawn(run(Worker { store, target, pickup }, retry, delivery.clone()));
        delivery
    }

    /// Tells the worker that new entries are stored (a hint: it also
    /// looks at the queue every few seconds).
    pub fn wake(&self) {
        self.shared.work.notify_one();
    }

    /// Retries now, cutting the target's backoff short.
    pub fn retry_now(&self) {
        self.shared.retry.notify_one();
        self.shared.work.notify_one();
    }

    /// Ends the worker after its current attempt (the relay state that
    /// owns it is gone).
    pub fn stop(&self) {
        self.shared.stopped.store(true, std::sync::atomic::Ordering::SeqCst);
        self.shared.stop.notify_one();
    }

    fn stopped(&self) -> bool {
        self.shared.stopped.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// How the target stands.
    pub fn target_state(&self) -> TargetState {
        self.shared.state.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn set_state(&self, state: TargetState) {
        *self.shared.state.lock().unwrap_or_else(|p| p.into_inner()) = state;
    }
}

/// What the worker delivers with.
struct Worker {
    store: Arc<Store>,
    target: Arc<Target>,
    pickup: PickupClock,
}

async fn run(worker: Worker, retry: RetryPolicy, handle: Delivery) {
    let mut failures = 0u32;
    while !handle.stopped() {
        let due = {
            let store = Arc::clone(&worker.store);
            tokio::task::spawn_blocking(move || store.undelivered()).await
        };
        let due = match due {
            Ok(Ok(due)) => due,
            Ok(Err(e)) => {
                tracing::error!(error = %e, "cannot read the delivery queue");
                Vec::new()
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot read the delivery queue");
                Vec::new()
            }
        };
        let mut failed = None;
        for id in due {
            if handle.stopped() {
                return;
            }
            if let Err(e) = attempt(&worker, id).await {
                failed = Some(e);
                break;
            }
            failures = 0;
            handle.set_state(TargetState::default());
        }
        match failed {
            Some(error) => {
                failures += 1;
                let delay = retry.delay(failures);
                handle.set_state(TargetState {
                    failures_in_a_row: failures,
                    last_error: Some(error),
                    retry_in_seconds: Some(delay.as_secs()),
                });
                tokio::select! {
                    () = tokio::time::sleep(delay) => {}
                    () = handle.shared.retry.notified() => {
                        tracing::info!("delivery retried now, as asked");
                    }
                    () = handle.shared.stop.notified() => {}
                }
            }
            None => {
                tokio::select! {
                    () = tokio::time::sleep(QUEUE_POLL) => {}
                    () = handle.shared.work.notified() => {}
                    () = handle.shared.retry.notified() => {}
                    () = handle.shared.stop.notified() => {}
                }
            }
        }
    }
}

/// One delivery attempt; `Err` with the error if the target failed (the
/// worker backs off before the next one).
async fn attempt(worker: &Worker, id: u64) -> Result<(), String> {
    let (store, target) = (&worker.store, &worker.target);
    let read = {
        let store = Arc::clone(store);
        tokio::task::spawn_blocking(move || store.entry(id)).await
    };
    let entry = match read {
        Ok(Ok(Some(entry))) => entry,
        Ok(Ok(None)) => return Ok(()),
        Ok(Err(e)) => return Err(format!("cannot read entry {id}: {e}")),
        Err(e) => return Err(format!("cannot read entry {id}: {e}")),
    };
    let Some(file_name) = entry.file_name.clone() else {
        return Ok(());
    };
    if matches!(entry.status, Status::Delivered | Status::Recorded) {
        return Ok(());
    }
    let destination = target.describe();
    let spool = store.spool_path(&file_name);
    let outcome = target.deliver(&spool, &file_name).await;
    let store2 = Arc::clone(store);
    let recorded = match outcome {
        Ok(how) => {
            let note = (how == Delivered::Before)
                .then(|| "already at the destination: a previous run delivered it before recording so".to_string());
            // A course writeback is imported at the first AutoComm run
            // after it reached the folder.
            let pickup = entry.expected_pickup.as_ref().and_then(|_| worker.pickup.next());
            tokio::task::spawn_blocking(move || store2.delivered(id, &destination, note, pickup).map(|_| None)).await
        }
        Err(error) => {
            tracing::warn!(file = %file_name, %error, "delivery failed; it will be retried");
            tokio::task::spawn_blocking(move || store2.failed(id, &destination, &error).map(|_| Some(error))).await
        }
    };
    match recorded {
        Ok(Ok(None)) => {
            tracing::info!(file = %file_name, "delivered");
            Ok(())
        }
        Ok(Ok(Some(error))) => Err(error),
        // Retried: the next attempt finds the file delivered and records it.
        Ok(Err(e)) => Err(format!("cannot record the delivery of {file_name}: {e}")),
        Err(e) => Err(format!("cannot record the delivery of {file_name}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_then_repeats() {
        let p = RetryPolicy::default();
        let secs: Vec<u64> = (1..=6).map(|n| p.delay(n).as_secs()).collect();
        assert_eq!(secs, [2, 5, 10, 20, 30, 30]);
    }

    #[test]
    fn outbox_delivery_is_skipped_when_the_file_is_there() {
        let tmp = tempfile::tempdir().unwrap();
        let spool = tmp.path().join("f.txt");
        std::fs::write(&spool, b"abc\n").unwrap();
        let out = tmp.path().join("out");
        std::fs::create_dir(&out).unwrap();
        assert_eq!(deliver_to_outbox(&out, &spool, "f.txt"), Ok(Delivered::Now));
        assert_eq!(std::fs::read(out.join("f.txt")).unwrap(), b"abc\n");
        std::fs::write(out.join("f.txt"), b"consumed").unwrap();
        assert_eq!(deliver_to_outbox(&out, &spool, "f.txt"), Ok(Delivered::Before));
        assert_eq!(std::fs::read(out.join("f.txt")).unwrap(), b"consumed");
        let err = deliver_to_outbox(&out, &tmp.path().join("gone.txt"), "gone.txt").unwrap_err();
        assert!(err.contains("is missing"), "{err}");
    }
}
