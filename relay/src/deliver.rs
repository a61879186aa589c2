//! Delivery of accepted files to the local outbox or an SFTP server.
//!
//! One worker task takes accepted entries from a channel and delivers one
//! file at a time, oldest first. The relay never alters a file: the bytes
//! delivered are the spooled bytes, which are the bytes received.
//!
//! # No partial file, exactly once
//! A file is written at the destination under a temporary name
//! (`.<name>.part`, which PowerSchool's importer does not pick up) and then
//! renamed to its final name, so the importer sees either nothing or the
//! whole file.
//!
//! Each accepted file is delivered exactly once:
//! - An entry becomes `delivered` only after the rename succeeded; until
//!   then it stays `accepted` or `failed`, and a failed delivery is retried
//!   with backoff (5 s, 30 s, 2 min, then every 10 min).
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
use tokio::sync::mpsc;
use tokio::time::Instant;

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

/// Delays between delivery attempts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The delay after the 1st, 2nd, ... failure; the last one repeats.
    pub delays: Vec<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { delays: [5, 30, 120, 600].into_iter().map(Duration::from_secs).collect() }
    }
}

impl RetryPolicy {
    /// The delay after `failures` failed attempts (at least 1).
    pub fn delay(&self, failures: u32) -> Duration {
        let i = (failures.max(1) - 1) as usize;
        self.delays.get(i).or(self.delays.last()).copied().unwrap_or(Duration::from_secs(600))
    }
}

/// Hands accepted entries to the delivery worker.
#[derive(Debug, Clone)]
pub struct DeliveryQueue {
    tx: mpsc::UnboundedSender<u64>,
}

impl DeliveryQueue {
    /// Starts the worker on the current tokio runtime and queues every
    /// entry of `store` not yet delivered. `pickup` tells when AutoComm
    /// picks a delivered course writeback up.
    pub fn start(store: Arc<Store>, target: Arc<Target>, retry: RetryPolicy, pickup: PickupClock) -> DeliveryQueue {
        let (tx, rx) = mpsc::unbounded_channel();
        let queue = DeliveryQueue { tx };
        for id in store.undelivered() {
            queue.push(id);
        }
        tokio::spawn(run(rx, Worker { store, target, pickup }, retry));
        queue
    }

    /// Queues an accepted entry.
    pub fn push(&self, id: u64) {
        // The worker only stops when every sender is gone, so this cannot
        // fail; if it ever did, the entry is queued again on restart.
        let _ = self.tx.send(id);
    }
}

struct Pending {
    failures: u32,
    due: Instant,
}

/// What the worker delivers with.
struct Worker {
    store: Arc<Store>,
    target: Arc<Target>,
    pickup: PickupClock,
}

async fn run(mut rx: mpsc::UnboundedReceiver<u64>, worker: Worker, retry: RetryPolicy) {
    let mut queue: std::collections::BTreeMap<u64, Pending> = Default::default();
    let mut open = true;
    loop {
        let now = Instant::now();
        if let Some((&id, _)) = queue.iter().find(|(_, p)| p.due <= now) {
            let failures = queue[&id].failures;
            match attempt(&worker, id).await {
                Ok(()) => {
                    queue.remove(&id);
                }
                Err(()) => {
                    let failures = failures + 1;
                    queue.insert(id, Pending { failures, due: Instant::now() + retry.delay(failures) });
                }
            }
            continue;
        }
        if !open && queue.is_empty() {
            return;
        }
        let next_due = queue.values().map(|p| p.due).min();
        tokio::select! {
            msg = rx.recv(), if open => match msg {
                Some(id) => {
                    queue.entry(id).or_insert(Pending { failures: 0, due: Instant::now() });
                }
                None => open = false,
            },
            () = sleep_until(next_due) => {}
        }
    }
}

async fn sleep_until(due: Option<Instant>) {
    match due {
        Some(due) => tokio::time::sleep_until(due).await,
        None => std::future::pending().await,
    }
}

/// One delivery attempt; `Err` if it must be retried.
async fn attempt(worker: &Worker, id: u64) -> Result<(), ()> {
    let (store, target) = (&worker.store, &worker.target);
    let Some(entry) = store.entry(id) else {
        return Ok(());
    };
    let Some(file_name) = entry.file_name.clone() else {
        return Ok(());
    };
    if matches!(entry.status, Status::Delivered | Status::Recorded) {
        return Ok(());
    }
    let destination = target.describe();
    let spool = store.spool_path(&file_name);
    let (status, detail) = match target.deliver(&spool, &file_name).await {
        Ok(Delivered::Now) => (Status::Delivered, None),
        Ok(Delivered::Before) => (
            Status::Delivered,
            Some("already at the destination: a previous run delivered it before recording so".to_string()),
        ),
        Err(e) => (Status::Failed, Some(e)),
    };
    // A course writeback is imported at the first AutoComm run after it
    // reached the folder.
    let pickup =
        (status == Status::Delivered && entry.expected_pickup.is_some()).then(|| worker.pickup.next()).flatten();
    let store2 = Arc::clone(store);
    let recorded = tokio::task::spawn_blocking(move || {
        store2.set_status(id, status, &destination, detail.clone(), pickup).map(|_| detail)
    })
    .await;
    match recorded {
        Ok(Ok(detail)) if status == Status::Failed => {
            eprintln!("delivery of {} failed (will retry): {}", file_name, detail.unwrap_or_default());
            Err(())
        }
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => {
            // Retried: the next attempt finds the file delivered and records it.
            eprintln!("cannot record the delivery status of {file_name}: {e}");
            Err(())
        }
        Err(e) => {
            eprintln!("cannot record the delivery status of {file_name}: {e}");
            Err(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_then_repeats() {
        let p = RetryPolicy::default();
        let secs: Vec<u64> = (1..=6).map(|n| p.delay(n).as_secs()).collect();
        assert_eq!(secs, [5, 30, 120, 600, 600, 600]);
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
