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

use jiff::Timestamp;
use writeback_core::delivery::DeliveryTarget;
use writeback_core::flatfile::FileKind;

use crate::batch::{self, Step};
use crate::config::{check_remote_path, Destination, SftpConfig};
use crate::data::Dataset;
use crate::pickup::PickupClock;
use crate::runs::{self, Phase, RunSchedule};
use crate::store::{Intent, Status, Store, TargetFile};
use crate::{assemble, durable};

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

    /// Where the file of a fixed-path target is, as history shows it.
    pub fn describe_path(&self, path: &str) -> String {
        match self {
            Target::Outbox(dir) => format!("outbox {}", dir.join(path.trim_start_matches('/')).display()),
            Target::Sftp { config, .. } => format!("sftp://{}:{}{path}", config.host, config.port),
        }
    }

    /// Replaces the file at the fixed `path` with `bytes`, atomically: a
    /// temporary name in the same folder, then a rename over the old file
    /// (on SFTP, OpenSSH's posix-rename). Stopped after `limit`.
    pub async fn write_at(&self, path: &str, bytes: &[u8], limit: Duration) -> Result<(), String> {
        let (dir, name) = split_path(path)?;
        match self {
            Target::Outbox(outbox) => {
                let dir = outbox.join(dir.trim_start_matches('/'));
                let (bytes, name) = (bytes.to_vec(), name.to_string());
                let write = tokio::task::spawn_blocking(move || {
                    durable::create_dir(&dir)
                        .and_then(|()| durable::write_file(&dir, &format!(".{name}.part"), &name, &bytes))
                        .map_err(|e| format!("cannot write {name} in {}: {e}", dir.display()))
                });
                write.await.map_err(|e| format!("the delivery task failed: {e}"))?
            }
            Target::Sftp { config, known_hosts } => {
                let local = scratch_path(known_hosts, name, "outgoing")?;
                let (local2, bytes) = (local.clone(), bytes.to_vec());
                tokio::task::spawn_blocking(move || std::fs::write(&local2, bytes))
                    .await
                    .map_err(|e| format!("the delivery task failed: {e}"))?
                    .map_err(|e| format!("cannot stage {}: {e}", local.display()))?;
                let part = format!("{dir}/.{name}.part");
                let local = local.to_str().ok_or("the data folder's path is not UTF-8")?;
                for p in [path, part.as_str(), local] {
                    check_remote_path(p).map_err(|e| format!("refusing to deliver: {e}"))?;
                }
                let batch = format!("-rm \"{part}\"\nput \"{local}\" \"{part}\"\nrename \"{part}\" \"{path}\"\n");
                run_sftp_within(config, known_hosts, &batch, limit).await.map(|_| ())
            }
        }
    }

    /// The file at the fixed `path` (`None`: there is none).
    pub async fn read_at(&self, path: &str) -> Result<Option<Vec<u8>>, String> {
        let (dir, name) = split_path(path)?;
        match self {
            Target::Outbox(outbox) => {
                let file = outbox.join(dir.trim_start_matches('/')).join(name);
                match std::fs::read(&file) {
                    Ok(bytes) => Ok(Some(bytes)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(format!("cannot read {}: {e}", file.display())),
                }
            }
            Target::Sftp { config, known_hosts } => {
                let local = scratch_path(known_hosts, name, "readback")?;
                let _ = std::fs::remove_file(&local);
                let local_str = local.to_str().ok_or("the data folder's path is not UTF-8")?;
                for p in [path, local_str] {
                    check_remote_path(p).map_err(|e| format!("refusing to read back: {e}"))?;
                }
                // `-`: a missing file is not a failed session.
                run_sftp(config, known_hosts, &format!("-get \"{path}\" \"{local_str}\"\n")).await?;
                match std::fs::read(&local) {
                    Ok(bytes) => Ok(Some(bytes)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(format!("cannot read {}: {e}", local.display())),
                }
            }
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

/// (folder, file name) of an absolute path.
fn split_path(path: &str) -> Result<(&str, &str), String> {
    match path.rsplit_once('/') {
        Some((dir, name)) if path.starts_with('/') && !name.is_empty() => Ok((dir, name)),
        _ => Err(format!("{path:?} is not an absolute path to a file")),
    }
}

/// A local file in `<data-dir>/<what>/` for staging an upload or reading a
/// file back.
fn scratch_path(known_hosts: &Path, name: &str, what: &str) -> Result<PathBuf, String> {
    let dir = known_hosts.parent().ok_or("the data folder is unknown")?.join(what);
    durable::create_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir.join(name))
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
    run_sftp_within(config, known_hosts, batch, SFTP_RUN_LIMIT).await
}

/// [`run_sftp`], stopped after `limit`.
async fn run_sftp_within(
    config: &SftpConfig,
    known_hosts: &Path,
    batch: &str,
    limit: Duration,
) -> Result<String, String> {
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
    let output = match tokio::time::timeout(limit, child.wait_with_output()).await {
        Ok(Ok(output)) => output,
        Ok(Err(e)) => return Err(format!("sftp failed: {e}")),
        Err(_) => return Err(format!("sftp did not finish within {} s and was stopped", limit.as_secs())),
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
    pub fn start(worker: Worker, retry: RetryPolicy) -> Delivery {
        let delivery = Delivery { shared: Arc::default() };
        tokio::spawn(run(worker, retry, delivery.clone()));
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

/// The relay's clock (a test moves its own).
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// The export set in service, shared with the relay (a reload replaces it).
pub type DataHandle = Arc<std::sync::RwLock<Arc<Dataset>>>;

/// What the worker delivers with.
pub struct Worker {
    /// The submissions.
    pub store: Arc<Store>,
    /// Where files go.
    pub target: Arc<Target>,
    /// When AutoComm picks a course writeback up (per-file delivery).
    pub pickup: PickupClock,
    /// The district's settings (targets, time zone) and data (a Students
    /// row's current values).
    pub data: DataHandle,
    /// Now.
    pub clock: Clock,
}

impl Worker {
    fn dataset(&self) -> Arc<Dataset> {
        Arc::clone(&self.data.read().unwrap_or_else(|p| p.into_inner()))
    }
}

/// The fixed-path targets of `data`'s settings, with their schedules.
pub fn targets(data: &Dataset) -> Vec<(FileKind, DeliveryTarget, RunSchedule)> {
    let settings = data.settings();
    let Ok(zone) = runs::zone(settings.time_zone.as_deref()) else { return Vec::new() };
    FileKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let target = settings.delivery.target(kind)?.clone();
            let schedule = RunSchedule::new(&target.runs, zone.clone()).ok()?;
            Some((kind, target, schedule))
        })
        .collect()
}

async fn run(worker: Worker, retry: RetryPolicy, handle: Delivery) {
    let mut failures = 0u32;
    while !handle.stopped() {
        let failed = deliver_all(&worker, &handle).await.err();
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
                if failures > 0 {
                    failures = 0;
                    handle.set_state(TargetState::default());
                }
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

/// Runs `work` on the blocking pool; a failure to run is an error too.
async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, crate::store::StoreError> + Send + 'static,
) -> Result<T, String> {
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(e.to_string()),
        Err(e) => Err(format!("the delivery task failed: {e}")),
    }
}

/// One pass: the files of kinds without a target one by one, then each
/// fixed-path target's next steps. `Err` at the first failure of the
/// destination.
async fn deliver_all(worker: &Worker, handle: &Delivery) -> Result<(), String> {
    let targets = targets(&worker.dataset());
    let targeted: Vec<FileKind> = targets.iter().map(|(k, _, _)| *k).collect();
    let store = Arc::clone(&worker.store);
    let due = off_thread(move || store.per_file_queue(&targeted)).await.inspect_err(|e| {
        tracing::error!(error = %e, "cannot read the delivery queue");
    })?;
    for id in due {
        if handle.stopped() {
            return Ok(());
        }
        attempt(worker, id).await?;
    }
    for (kind, target, schedule) in &targets {
        if handle.stopped() {
            return Ok(());
        }
        deliver_target(worker, *kind, target, schedule).await?;
    }
    Ok(())
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Carries out a fixed-path target's steps (see [`crate::batch`]) until
/// there is nothing to do now.
async fn deliver_target(
    worker: &Worker,
    kind: FileKind,
    target: &DeliveryTarget,
    schedule: &RunSchedule,
) -> Result<(), String> {
    let where_ = worker.target.describe_path(&target.path);
    loop {
        let store = Arc::clone(&worker.store);
        let file = off_thread(move || store.target_file(kind)).await?;
        if let Some(intent) = &file.intent {
            settle(worker, kind, target, &file, intent, &schedule.label(intent.run)).await?;
            continue;
        }
        let store = Arc::clone(&worker.store);
        let pending = off_thread(move || store.pending(kind)).await?;
        let now = (worker.clock)();
        match batch::next_step(file.written.as_ref(), &pending, now, schedule) {
            Step::Wait { .. } => return Ok(()),
            Step::Read { run, entries, again } => {
                let label = schedule.label(run);
                let note = if again {
                    format!(
                        "WARNING: the run of {label} read {where_} again (the file could not be replaced in time): \
                         these rows may have been imported twice; check them in PowerSchool"
                    )
                } else {
                    format!("in {where_} for the run of {label}")
                };
                if again {
                    tracing::warn!(target = %kind, run = %label, "{note}");
                } else if !same_as_written(worker, kind, target, &file, &label).await? {
                    continue;
                }
                let store = Arc::clone(&worker.store);
                off_thread(move || store.mark_read(kind, run, &entries, again, &note)).await?;
            }
            Step::Write { run, entries } => {
                write_batch(worker, kind, target, schedule, now, run, entries, &pending).await?;
            }
        }
    }
}

/// Writes a batch at the target's path: the intent first, then the file,
/// then the confirmation; a failed write leaves the intent, which the next
/// pass settles by reading the file back.
#[allow(clippy::too_many_arguments)]
async fn write_batch(
    worker: &Worker,
    kind: FileKind,
    target: &DeliveryTarget,
    schedule: &RunSchedule,
    now: Timestamp,
    run: Timestamp,
    entries: std::collections::BTreeSet<u64>,
    pending: &std::collections::BTreeSet<u64>,
) -> Result<(), String> {
    let Some(Phase::Open { write_until, .. }) = schedule.phase(now) else { return Ok(()) };
    let store = Arc::clone(&worker.store);
    let ids: Vec<u64> = entries.iter().copied().collect();
    let files = off_thread(move || {
        let mut out = Vec::new();
        for id in ids {
            let entry = store.entry(id)?.ok_or(crate::store::StoreError::UnknownEntry(id))?;
            let name = entry.file_name.unwrap_or_default();
            let path = store.spool_path(&name);
            let text = std::fs::read_to_string(&path).map_err(|source| crate::store::StoreError::Io {
                action: "read the spooled file",
                path,
                source,
            })?;
            out.push((id, text));
        }
        Ok(out)
    })
    .await?;
    let text = assemble::render(kind, target, &files, worker.dataset().district())?;
    let intent = Intent { run, entries, sha256: sha256(text.as_bytes()) };
    let (store, path, i2) = (Arc::clone(&worker.store), target.path.clone(), intent.clone());
    off_thread(move || store.begin_write(kind, &path, &i2)).await?;
    let left = (write_until.duration_since(now)).unsigned_abs().min(SFTP_RUN_LIMIT);
    let destination = worker.target.describe_path(&target.path);
    match worker.target.write_at(&target.path, text.as_bytes(), left).await {
        Ok(()) => {
            let (store, label) = (Arc::clone(&worker.store), schedule.label(run));
            off_thread(move || store.confirm_write(kind, &destination, &label)).await?;
            tracing::info!(target = %kind, rows = intent.entries.len(), run = %schedule.label(run), "batch written");
            Ok(())
        }
        Err(error) => {
            let store = Arc::clone(&worker.store);
            let failed: Vec<u64> = intent.entries.iter().filter(|id| pending.contains(id)).copied().collect();
            let e2 = error.clone();
            off_thread(move || failed.iter().try_for_each(|id| store.failed(*id, &destination, &e2).map(|_| ())))
                .await?;
            tracing::warn!(target = %kind, %error, "the batch could not be written; it will be retried");
            Err(error)
        }
    }
}

/// Before its rows count as read by the run of `label`: the file must still
/// hold what the relay wrote. Empty or gone (someone removed the rows
/// before the run could read them): they go into the next batch again
/// (`Ok(false)`). Anything else is someone else's file: an error.
async fn same_as_written(
    worker: &Worker,
    kind: FileKind,
    target: &DeliveryTarget,
    file: &TargetFile,
    label: &str,
) -> Result<bool, String> {
    let now = worker.target.read_at(&target.path).await?;
    if now.as_deref().map(sha256) == file.sha256 {
        return Ok(true);
    }
    let destination = worker.target.describe_path(&target.path);
    if now.as_deref().is_none_or(|b| b.is_empty()) {
        tracing::warn!(target = %kind, run = %label, "{destination} was emptied before the run: its rows go into the next batch again");
        let store = Arc::clone(&worker.store);
        off_thread(move || store.reset_target(kind)).await?;
        return Ok(false);
    }
    Err(format!(
        "{destination} is not the file the relay wrote for the run of {label}: someone else changed it, so which rows \
         that run imported is unknown; check them in PowerSchool, then empty the file (its rows go into the next batch)"
    ))
}

/// A write begun and not confirmed: the file at the path tells whether it
/// happened. Empty or gone: its rows go into the next batch again. Neither
/// the new nor the old content: someone else changed the file, and the
/// relay leaves it alone until IT has looked.
async fn settle(
    worker: &Worker,
    kind: FileKind,
    target: &DeliveryTarget,
    file: &TargetFile,
    intent: &Intent,
    label: &str,
) -> Result<(), String> {
    let now = worker.target.read_at(&target.path).await?;
    let sha = now.as_deref().map(sha256);
    let store = Arc::clone(&worker.store);
    let destination = worker.target.describe_path(&target.path);
    if sha.as_deref() == Some(intent.sha256.as_str()) {
        let label = label.to_string();
        return off_thread(move || store.confirm_write(kind, &destination, &label)).await;
    }
    if sha == file.sha256 {
        return off_thread(move || store.drop_intent(kind)).await;
    }
    if now.as_deref().is_none_or(|b| b.is_empty()) {
        tracing::warn!(target = %kind, "{destination} is empty or gone: its rows go into the next batch again");
        return off_thread(move || store.reset_target(kind)).await;
    }
    Err(format!(
        "{destination} holds neither the batch the relay wrote nor the one before: someone else changed it; \
         check it (the relay will not replace it until it holds one of them again)"
    ))
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
