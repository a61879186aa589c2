//! writeback-relay: receives the import files a writeback produces, stores
//! them durably and delivers them to the folder PowerSchool's AutoComm reads
//! (over SFTP, or to a local outbox when no SFTP server is configured).
//!
//! A file is accepted only once it is in the spool and in the history (both
//! fsynced); it is delivered unchanged, under a temporary name renamed into
//! place, exactly once (see [`deliver`]).
//!
//! Modules: [`config`] (flags), [`demo`] (the data served to the UI),
//! [`store`] (spool and history), [`deliver`] (outbox / SFTP worker),
//! [`pickup`] (when AutoComm imports a course writeback), [`routes`] (the
//! HTTP API).
#![deny(missing_docs)]

pub mod assemble;
pub mod auth;
pub mod batch;
pub mod body;
pub mod config;
pub mod confirm;
pub mod data;
pub mod db;
pub mod deliver;
pub mod demo_host;
mod durable;
pub mod error;
mod legacy;
pub mod pickup;
pub mod routes;
pub mod runs;
pub mod store;
mod time;
pub mod web;

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, Mutex, RwLock};
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::Semaphore;
use writeback_auth::{Signer, Verifier};

pub use config::Config;
pub use routes::app;

use data::{Dataset, Fingerprint};
use deliver::{Clock, Delivery, RetryPolicy, Target, Worker};
use pickup::PickupClock;
use store::Store;
use writeback_core::application::Application;

/// What the handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    shared: Arc<Shared>,
}

struct Shared {
    /// The demo folder the data comes from (watched for new exports).
    demo_dir: Option<PathBuf>,
    /// The current export set; swapped whole by a reload (shared with the
    /// delivery worker).
    data: deliver::DataHandle,
    /// Now (a test moves its own clock).
    clock: deliver::Clock,
    /// Applications by id: the demo folder's, then the host's (database).
    applications: RwLock<BTreeMap<String, Arc<Application>>>,
    /// The last reload that failed, with its problems.
    reload_status: Mutex<ReloadStatus>,
    /// One reload at a time.
    reload_lock: tokio::sync::Mutex<()>,
    store: Arc<Store>,
    db: Arc<db::Db>,
    delivery: Delivery,
    destination: String,
    dist: Option<PathBuf>,
    pickup: PickupClock,
    verifier: Verifier,
    demo_signer: Option<Signer>,
    web: web::WebPolicy,
    limiter: DefaultKeyedRateLimiter<String>,
}

impl Drop for Shared {
    fn drop(&mut self) {
        // The worker holds no reference to this state: it ends with it.
        self.delivery.stop();
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared").field("destination", &self.destination).field("web", &self.web).finish_non_exhaustive()
    }
}

/// CPU-bound request work (validation, recomputing reviews) runs off the
/// request threads, this many at once.
static CPU_PERMITS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));

/// Requests one staff member may make per minute (bursts up to this many).
pub const REQUESTS_PER_MINUTE: u32 = 600;

/// Why the relay cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The flags are inconsistent.
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    /// The demo folder has problems.
    #[error(transparent)]
    Demo(#[from] data::DemoError),
    /// The data folder cannot be used.
    #[error(transparent)]
    Store(#[from] store::StoreError),
    /// The destination cannot be prepared.
    #[error(transparent)]
    Target(#[from] deliver::TargetError),
    /// The database cannot be opened.
    #[error(transparent)]
    Db(#[from] db::DbError),
    /// A key cannot be read or used.
    #[error("{flag} {}: {message}", .path.display())]
    Key {
        /// The flag.
        flag: &'static str,
        /// The key file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

impl AppState {
    /// Loads the demo data, opens the data folder, prepares the destination
    /// and starts the delivery worker, which re-queues every entry not yet
    /// delivered. Must be called inside a tokio runtime.
    pub fn start(config: &Config) -> Result<AppState, StartError> {
        AppState::start_with_clock(config, Arc::new(jiff::Timestamp::now))
    }

    /// [`AppState::start`] on `clock`, which decides when the district's
    /// import runs are (tests move it).
    pub fn start_with_clock(config: &Config, clock: Clock) -> Result<AppState, StartError> {
        let destination = config.destination()?;
        let web = config.web_policy()?;
        let verifier = read_key(config.auth_public_key()?, "--auth-public-key", |pem| {
            Verifier::from_pem(pem, config.auth_issuer.clone())
        })?;
        let demo_signer = match &config.demo_signing_key {
            Some(path) => {
                config.check_demo_token_allowed()?;
                Some(read_key(path, "--demo-signing-key", |pem| Signer::from_pem(pem, config.auth_issuer.clone()))?)
            }
            None => None,
        };
        let (dataset, mut applications) = match &config.demo {
            Some(dir) => match (Dataset::load(dir), data::load_applications_folder(dir)) {
                (Ok(d), Ok(a)) => (d, a),
                (d, a) => {
                    let mut problems = d.err().map(|e| e.problems).unwrap_or_default();
                    problems.extend(a.err().map(|e| e.problems).unwrap_or_default());
                    return Err(data::DemoError { dir: dir.clone(), problems }.into());
                }
            },
            None => (Dataset::empty(), BTreeMap::new()),
        };
        let db = Arc::new(db::Db::open(&config.data_dir)?);
        let store = Arc::new(Store::open(&config.data_dir, Arc::clone(&db))?);
        for app in db.applications()? {
            applications.insert(app.id.to_string(), app);
        }
        let demo = dataset;
        let target = Arc::new(Target::prepare(destination, &config.data_dir)?);
        let pickup = PickupClock::of(demo.settings());
        let data: deliver::DataHandle = Arc::new(RwLock::new(Arc::new(demo)));
        let worker = Worker {
            store: Arc::clone(&store),
            target: Arc::clone(&target),
            pickup: pickup.clone(),
            data: Arc::clone(&data),
            clock: Arc::clone(&clock),
        };
        let delivery = Delivery::start(worker, RetryPolicy::default());
        tokio::spawn(remove_delivered_spool(Arc::clone(&store), config.spool_retention()));
        let per_minute = NonZeroU32::new(REQUESTS_PER_MINUTE).expect("not zero");
        let shared = Shared {
            demo_dir: config.demo.clone(),
            data,
            clock,
            applications: RwLock::new(applications.into_iter().map(|(k, v)| (k, Arc::new(v))).collect()),
            reload_status: Mutex::new(ReloadStatus::default()),
            reload_lock: tokio::sync::Mutex::new(()),
            store,
            db,
            delivery,
            destination: target.describe(),
            dist: config.dist.clone(),
            pickup,
            verifier,
            demo_signer,
            web,
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute)),
        };
        let state = AppState { shared: Arc::new(shared) };
        state.confirm_in_background(state.data());
        if config.reload_interval_seconds > 0 && config.demo.is_some() {
            let watched = Arc::downgrade(&state.shared);
            tokio::spawn(watch_exports(watched, Duration::from_secs(config.reload_interval_seconds)));
        }
        Ok(state)
    }

    /// The current export set.
    pub fn data(&self) -> Arc<Dataset> {
        Arc::clone(&self.shared.data.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// An application by id.
    pub fn application(&self, id: &str) -> Option<Arc<Application>> {
        self.shared.applications.read().unwrap_or_else(|p| p.into_inner()).get(id).cloned()
    }

    /// Every application, by id.
    pub fn applications(&self) -> Vec<Arc<Application>> {
        self.shared.applications.read().unwrap_or_else(|p| p.into_inner()).values().cloned().collect()
    }

    /// The other applications of `app`'s family batch.
    pub fn family_of(&self, app: &Application) -> Vec<Application> {
        let Some(batch) = &app.family_batch else { return Vec::new() };
        let all = self.shared.applications.read().unwrap_or_else(|p| p.into_inner());
        all.values()
            .filter(|a| a.id != app.id && a.family_batch.as_ref() == Some(batch))
            .map(|a| (**a).clone())
            .collect()
    }

    /// Stores an application the host system sent (durably, then in
    /// memory). Returns whether it replaced one.
    pub fn receive_application(&self, app: Application, by: &str) -> Result<bool, db::DbError> {
        self.shared.db.put_application(&app, by, &time::now_rfc3339())?;
        let mut all = self.shared.applications.write().unwrap_or_else(|p| p.into_inner());
        Ok(all.insert(app.id.to_string(), Arc::new(app)).is_some())
    }

    /// Loads the demo folder's exports again and, if they load and pass
    /// their checks, serves them from now on; else keeps the current ones
    /// and reports every problem. One reload runs at a time.
    pub async fn reload(&self) -> Result<Arc<Dataset>, Vec<String>> {
        let Some(dir) = self.shared.demo_dir.clone() else {
            return Err(vec!["no --demo folder: nothing to reload".into()]);
        };
        let _one = self.shared.reload_lock.lock().await;
        let loaded = tokio::task::spawn_blocking(move || Dataset::load(&dir)).await;
        let loaded = match loaded {
            Ok(Ok(d)) => Ok(Arc::new(d)),
            Ok(Err(e)) => Err(e.problems),
            Err(e) => Err(vec![format!("the reload stopped: {e}")]),
        };
        let mut status = self.shared.reload_status.lock().unwrap_or_else(|p| p.into_inner());
        status.attempted_at = Some(time::now_rfc3339());
        match loaded {
            Ok(d) => {
                *self.shared.data.write().unwrap_or_else(|p| p.into_inner()) = Arc::clone(&d);
                self.confirm_in_background(Arc::clone(&d));
                self.shared.pickup.follow(d.settings());
                status.problems.clear();
                tracing::info!(
                    students = d.student_count(),
                    warnings = d.warnings.len(),
                    "new PowerSchool exports in service"
                );
                for w in d.warnings.iter().take(50) {
                    tracing::warn!(warning = %w, "PowerSchool data");
                }
                Ok(d)
            }
            Err(problems) => {
                tracing::error!(
                    problems = problems.len(),
                    "the new PowerSchool exports were refused; the previous ones stay in service"
                );
                for p in &problems {
                    tracing::error!(problem = %p, "refused export");
                }
                status.problems = problems.clone();
                Err(problems)
            }
        }
    }

    /// Checks the delivered files against `data` (at start and after each
    /// reload), off the request threads.
    fn confirm_in_background(&self, data: Arc<Dataset>) {
        let store = Arc::clone(&self.shared.store);
        tokio::task::spawn_blocking(move || match confirm_delivered(&store, &data) {
            Ok(0) => {}
            Ok(n) => tracing::info!(files = n, "delivered files checked against PowerSchool's export"),
            Err(e) => tracing::error!(error = %e, "cannot check delivered files against PowerSchool's export"),
        });
    }

    /// The last reload's outcome.
    pub fn reload_status(&self) -> ReloadStatus {
        self.shared.reload_status.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The verifier of staff tokens.
    pub fn verifier(&self) -> &Verifier {
        &self.shared.verifier
    }

    /// Whether `staff_id` may make another request now (the per-staff rate limit).
    pub fn within_rate_limit(&self, staff_id: &str) -> bool {
        self.shared.limiter.check_key(&staff_id.to_string()).is_ok()
    }

    /// Records in the audit log that `who` did `action` on `application`.
    /// A failure to record is logged, and does not undo what was done.
    pub fn audit(&self, who: &auth::SignedIn, action: &str, application: &str, detail: &str) {
        let record =
            db::NewAudit { staff_id: &who.0.id, staff_name: &who.0.name, action, application_id: application, detail };
        let at = time::now_rfc3339();
        match self.shared.db.audit(record, &at) {
            Ok(()) => tracing::info!(staff = %who.0.id, action, application, detail, "audit"),
            Err(e) => tracing::error!(error = %e, staff = %who.0.id, action, application, "audit record not written"),
        }
    }

    /// The audit log (see [`db::Db::audit_log`]).
    pub fn audit_log(&self, application: Option<&str>, limit: usize) -> Result<Vec<db::AuditRecord>, db::DbError> {
        self.shared.db.audit_log(application, limit)
    }

    /// When a file of `kind` accepted now is expected to be imported, as
    /// staff read it: the run of its fixed-path target it will be in the
    /// file for, or (a schedules file delivered on its own) the next
    /// AutoComm run of `courses.autocomm`.
    pub fn expected_pickup(&self, kind: writeback_core::flatfile::FileKind) -> Option<String> {
        let data = self.data();
        match deliver::targets(&data).into_iter().find(|(k, _, _)| *k == kind) {
            Some((_, _, schedule)) => {
                let run = schedule.expected_run((self.shared.clock)())?;
                Some(schedule.label(run))
            }
            None if kind == writeback_core::flatfile::FileKind::Schedules => self.shared.pickup.next(),
            None => None,
        }
    }

    /// The submissions' storage.
    pub fn store(&self) -> &Store {
        &self.shared.store
    }

    /// The delivery worker.
    pub fn delivery(&self) -> &Delivery {
        &self.shared.delivery
    }

    /// Where files are delivered, as shown in history entries.
    pub fn destination(&self) -> &str {
        &self.shared.destination
    }
}

fn read_key<T>(
    path: &std::path::Path,
    flag: &'static str,
    parse: impl FnOnce(&[u8]) -> Result<T, writeback_auth::AuthError>,
) -> Result<T, StartError> {
    let key = |message: String| StartError::Key { flag, path: path.to_path_buf(), message };
    let pem = std::fs::read(path).map_err(|e| key(format!("cannot be read: {e}")))?;
    parse(&pem).map_err(|e| key(e.to_string()))
}

/// Removes delivered files' bytes from the spool once they are older than
/// `keep` (their entries stay), at start and then every hour.
async fn remove_delivered_spool(store: Arc<Store>, keep: Duration) {
    loop {
        let store2 = Arc::clone(&store);
        let swept = tokio::task::spawn_blocking(move || sweep_spool(&store2, keep)).await;
        match swept {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::info!(files = n, "delivered files removed from the spool after the retention period"),
            Ok(Err(e)) => tracing::error!(error = %e, "cannot remove delivered files from the spool"),
            Err(e) => tracing::error!(error = %e, "cannot remove delivered files from the spool"),
        }
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
}

/// Checks the files targets' runs read before `data`'s export was taken
/// against it (see [`confirm`]); returns how many were checked.
pub fn confirm_delivered(store: &Store, data: &Dataset) -> Result<usize, store::StoreError> {
    let Some(exported) = data.fingerprint.exported_at() else { return Ok(0) };
    let at = time::rfc3339(time::timestamp(exported));
    let due = store.to_confirm(&at)?;
    let mut checked = 0;
    for (id, kind, name) in due {
        let path = store.spool_path(&name);
        let text = std::fs::read_to_string(&path).map_err(|source| store::StoreError::Io {
            action: "read the delivered file",
            path,
            source,
        })?;
        let (applied, said) = match confirm::check(kind, &text, data.district()) {
            confirm::Outcome::Applied => {
                (true, format!("confirmed in PowerSchool: every row is in the export of {at}"))
            }
            confirm::Outcome::NotApplied(rows) => {
                let released = match kind {
                    writeback_core::flatfile::FileKind::Contacts => {
                        confirm::new_contacts_not_created(&text, data.district())
                    }
                    _ => Vec::new(),
                };
                store.release_new_contacts(id, &released)?;
                (false, not_applied(&at, &rows, &released))
            }
        };
        if !applied {
            tracing::warn!(entry = id, "{said}");
        }
        store.set_confirmation(id, applied, &said)?;
        checked += 1;
    }
    Ok(checked)
}

/// What staff read of a file the export shows was not (all) applied.
fn not_applied(at: &str, rows: &[String], released: &[String]) -> String {
    let mut said = format!(
        "NOT APPLIED: PowerSchool's export of {at} does not have {} of its rows: {}. What to do: look at the import's \
         log for its run, fix what it refused, then write the application back again as a correction",
        rows.len(),
        rows.join("; ")
    );
    if !released.is_empty() {
        said += &format!(
            ". PowerSchool has no person named as the new contact(s) {}, so they were not created and may be sent again",
            released.join(", ")
        );
    }
    said
}

/// Removes the bytes of files delivered more than `keep` ago.
pub fn sweep_spool(store: &Store, keep: Duration) -> Result<usize, store::StoreError> {
    let cutoff = std::time::SystemTime::now().checked_sub(keep).unwrap_or(std::time::UNIX_EPOCH);
    store.remove_delivered_before(&time::rfc3339(time::timestamp(cutoff)))
}

/// The outcome of the last reload attempt.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ReloadStatus {
    /// When the last reload was tried (RFC 3339).
    pub attempted_at: Option<String>,
    /// Why it was refused (empty: it succeeded, or none was tried).
    pub problems: Vec<String>,
}

/// Watches the demo folder's exports: when their files change and then stay
/// the same for one more interval (a copy has finished), reloads them. A
/// refused set is not tried again until its files change.
/// Ends when the relay state is gone.
async fn watch_exports(watched: std::sync::Weak<Shared>, every: Duration) {
    let Some(state) = watched.upgrade().map(|shared| AppState { shared }) else { return };
    let Some(dir) = state.shared.demo_dir.clone() else { return };
    let mut seen = state.data().fingerprint.clone();
    drop(state);
    let mut refused: Option<Fingerprint> = None;
    loop {
        tokio::time::sleep(every).await;
        let Some(state) = watched.upgrade().map(|shared| AppState { shared }) else { return };
        let now = {
            let dir = dir.clone();
            match tokio::task::spawn_blocking(move || Fingerprint::of(&dir)).await {
                Ok(f) => f,
                Err(_) => continue,
            }
        };
        let stable = now == seen;
        seen = now.clone();
        if !stable || now == state.data().fingerprint || refused.as_ref() == Some(&now) {
            continue;
        }
        refused = state.reload().await.err().map(|_| now);
    }
}
