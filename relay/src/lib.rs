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

pub mod auth;
pub mod config;
pub mod db;
pub mod deliver;
pub mod demo;
pub mod demo_host;
mod durable;
pub mod error;
pub mod pickup;
pub mod routes;
pub mod store;
mod time;
pub mod web;

use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::Semaphore;
use writeback_auth::{Signer, Verifier};

pub use config::Config;
pub use routes::app;

use deliver::{DeliveryQueue, RetryPolicy, Target};
use demo::Demo;
use pickup::PickupClock;
use store::Store;

/// What the handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    shared: Arc<Shared>,
}

struct Shared {
    demo: Demo,
    store: Arc<Store>,
    db: db::Db,
    queue: DeliveryQueue,
    destination: String,
    dist: Option<PathBuf>,
    pickup: PickupClock,
    verifier: Verifier,
    demo_signer: Option<Signer>,
    web: web::WebPolicy,
    limiter: DefaultKeyedRateLimiter<String>,
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
    Demo(#[from] demo::DemoError),
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
        let demo = match &config.demo {
            Some(dir) => Demo::load(dir)?,
            None => Demo::empty(),
        };
        let store = Arc::new(Store::open(&config.data_dir)?);
        let db = db::Db::open(&config.data_dir)?;
        let target = Arc::new(Target::prepare(destination, &config.data_dir)?);
        let pickup = PickupClock::new(demo.settings().courses.autocomm.clone(), config.district_utc_offset);
        let queue =
            DeliveryQueue::start(Arc::clone(&store), Arc::clone(&target), RetryPolicy::default(), pickup.clone());
        let per_minute = NonZeroU32::new(REQUESTS_PER_MINUTE).expect("not zero");
        let shared = Shared {
            demo,
            store,
            db,
            queue,
            destination: target.describe(),
            dist: config.dist.clone(),
            pickup,
            verifier,
            demo_signer,
            web,
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute)),
        };
        Ok(AppState { shared: Arc::new(shared) })
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
        let at = time::UtcTime::now().rfc3339();
        match self.shared.db.audit(record, &at) {
            Ok(()) => tracing::info!(staff = %who.0.id, action, application, detail, "audit"),
            Err(e) => tracing::error!(error = %e, staff = %who.0.id, action, application, "audit record not written"),
        }
    }

    /// The audit log (see [`db::Db::audit_log`]).
    pub fn audit_log(&self, application: Option<&str>, limit: usize) -> Result<Vec<db::AuditRecord>, db::DbError> {
        self.shared.db.audit_log(application, limit)
    }

    /// The data served.
    pub fn demo(&self) -> &Demo {
        &self.shared.demo
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
