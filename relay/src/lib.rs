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

pub mod config;
pub mod deliver;
pub mod demo;
mod durable;
pub mod pickup;
pub mod routes;
pub mod store;
mod time;

use std::path::PathBuf;
use std::sync::Arc;

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

#[derive(Debug)]
struct Shared {
    demo: Demo,
    store: Arc<Store>,
    queue: DeliveryQueue,
    destination: String,
    dist: Option<PathBuf>,
    pickup: PickupClock,
}

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
}

impl AppState {
    /// Loads the demo data, opens the data folder, prepares the destination
    /// and starts the delivery worker, which re-queues every entry not yet
    /// delivered. Must be called inside a tokio runtime.
    pub fn start(config: &Config) -> Result<AppState, StartError> {
        let destination = config.destination()?;
        let demo = match &config.demo {
            Some(dir) => Demo::load(dir)?,
            None => Demo::empty(),
        };
        let store = Arc::new(Store::open(&config.data_dir)?);
        let target = Arc::new(Target::prepare(destination, &config.data_dir)?);
        let pickup = PickupClock::new(demo.settings().courses.autocomm.clone(), config.district_utc_offset);
        let queue =
            DeliveryQueue::start(Arc::clone(&store), Arc::clone(&target), RetryPolicy::default(), pickup.clone());
        let shared = Shared { demo, store, queue, destination: target.describe(), dist: config.dist.clone(), pickup };
        Ok(AppState { shared: Arc::new(shared) })
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
