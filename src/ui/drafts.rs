//! Drafts in the browser's storage: staff's decisions on an application are
//! saved on every change and restored when it is opened again, so a reload,
//! Back, or opening another application loses nothing. The format and its
//! rules are [`crate::drafts`]'s; this is only where the JSON is kept.
//!
//! Local storage by default (`data-drafts="local"`), tab-only storage
//! (`"session"`), or none (`"off"`: a guard then asks before the page is
//! left with decisions not written back). Keys name the relay, the staff
//! member and the application, so one clerk never sees another's draft on
//! a shared computer; drafts older than [`crate::drafts::DRAFT_LIFETIME_DAYS`]
//! are discarded when read.

use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

use crate::domain::{PersonId, SchoolNumber};
use crate::drafts::{Draft, DraftError, DRAFT_FORMAT};
use crate::plan::Decisions;

/// Where drafts are kept, as the host page chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DraftStorage {
    /// The browser's local storage: kept across restarts.
    #[default]
    Local,
    /// The tab's session storage: kept across reloads, gone with the tab.
    Session,
    /// Not kept.
    Off,
}

impl DraftStorage {
    /// Reads `data-drafts` ("local", "session", "off"; absent = local).
    pub fn parse(value: Option<&str>) -> Result<DraftStorage, String> {
        match value.map(str::trim) {
            None | Some("") | Some("local") => Ok(DraftStorage::Local),
            Some("session") => Ok(DraftStorage::Session),
            Some("off") => Ok(DraftStorage::Off),
            Some(other) => Err(format!("data-drafts is \"{other}\": it must be local, session or off")),
        }
    }
}

/// What opening an application found in the storage.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Found {
    /// No draft.
    Nothing,
    /// A draft, to restore.
    Draft(Draft),
    /// A draft that could not be restored (it has been removed).
    Refused(DraftError),
}

/// Whether the latest decisions are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Saved {
    /// Nothing to keep (no decision yet, or everything written back).
    Nothing,
    /// Kept, at this time (RFC 3339).
    At(String),
    /// Not kept: drafts are off.
    Off,
    /// Not kept: the storage refused (full, or blocked).
    Failed(String),
}

impl Saved {
    /// Whether leaving the page now would lose decisions.
    pub fn loses_work(&self) -> bool {
        matches!(self, Saved::Off | Saved::Failed(_))
    }
}

/// One staff member's drafts at one relay.
#[derive(Clone)]
pub(crate) struct DraftStore {
    storage: Option<SendWrapper<web_sys::Storage>>,
    mode: DraftStorage,
    relay: String,
    staff: String,
}

/// A draft's bytes as the storage keeps them (text): base64, by the
/// browser's own `btoa` over one character per byte.
fn stored_text(bytes: &[u8]) -> String {
    let latin1: String = bytes.iter().map(|&b| char::from(b)).collect();
    web_sys::window().and_then(|w| w.btoa(&latin1).ok()).unwrap_or_default()
}

/// The bytes of a stored draft's text; a draft another version kept (JSON,
/// before format 2) is not base64 and is refused here.
fn stored_bytes(text: &str) -> Result<Vec<u8>, DraftError> {
    let unreadable = || DraftError::Unreadable("it was kept by another version of writeback".into());
    let latin1 = web_sys::window().ok_or_else(unreadable)?.atob(text).map_err(|_| unreadable())?;
    // atob gives one character per byte.
    latin1.chars().map(|c| u8::try_from(c).map_err(|_| unreadable())).collect()
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

fn now_rfc3339() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

impl DraftStore {
    /// The store for `staff` at `relay`, in `mode`'s storage.
    pub fn open(mode: DraftStorage, relay: &str, staff: &str) -> DraftStore {
        let window = web_sys::window();
        let storage = match mode {
            DraftStorage::Local => window.and_then(|w| w.local_storage().ok().flatten()),
            DraftStorage::Session => window.and_then(|w| w.session_storage().ok().flatten()),
            DraftStorage::Off => None,
        };
        DraftStore { storage: storage.map(SendWrapper::new), mode, relay: relay.to_string(), staff: staff.to_string() }
    }

    fn key(&self, application: &str) -> String {
        Draft::key(&self.relay, &self.staff, application)
    }

    /// The draft of `application`, if one is kept; one that cannot be
    /// restored is removed and said why.
    pub fn load(&self, application: &str) -> Found {
        let Some(storage) = &self.storage else { return Found::Nothing };
        let key = self.key(application);
        let Ok(Some(text)) = storage.get_item(&key) else { return Found::Nothing };
        let read = stored_bytes(&text).and_then(|bytes| Draft::from_bytes(&bytes, application, &self.staff, now_ms()));
        match read {
            Ok(draft) => Found::Draft(draft),
            Err(e) => {
                let _ = storage.remove_item(&key);
                Found::Refused(e)
            }
        }
    }

    /// Keeps `decisions` (and the slice's growth) as the draft of
    /// `application`, or removes the draft when they hold no work.
    pub fn save(
        &self,
        application: &str,
        decisions: Decisions,
        picked: Vec<(String, PersonId)>,
        schools: Vec<SchoolNumber>,
    ) -> Saved {
        let draft = Draft {
            format: DRAFT_FORMAT,
            application_id: application.to_string(),
            staff: self.staff.clone(),
            saved_at: now_rfc3339(),
            saved_at_ms: now_ms(),
            decisions,
            picked,
            schools,
        };
        self.keep(draft)
    }

    /// Keeps `draft`, or removes it when it holds no work.
    pub fn keep(&self, draft: Draft) -> Saved {
        if !draft.holds_work() {
            self.remove(&draft.application_id);
            return Saved::Nothing;
        }
        let Some(storage) = &self.storage else {
            return match self.mode {
                DraftStorage::Off => Saved::Off,
                _ => Saved::Failed("this browser gives the page no storage".into()),
            };
        };
        match storage.set_item(&self.key(&draft.application_id), &stored_text(&draft.to_bytes())) {
            Ok(()) => Saved::At(draft.saved_at),
            Err(e) => Saved::Failed(
                e.dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_else(|| "the browser's storage refused it".into()),
            ),
        }
    }

    /// Removes `application`'s draft.
    pub fn remove(&self, application: &str) {
        if let Some(storage) = &self.storage {
            let _ = storage.remove_item(&self.key(application));
        }
    }

    /// The applications with a draft kept (reading them drops those that
    /// can no longer be restored).
    pub fn drafts(&self) -> Vec<String> {
        let Some(storage) = &self.storage else { return Vec::new() };
        let prefix = self.key("");
        let count = storage.length().unwrap_or(0);
        let keys: Vec<String> = (0..count).filter_map(|i| storage.key(i).ok().flatten()).collect();
        keys.into_iter()
            .filter_map(|key| key.strip_prefix(&prefix).map(str::to_string))
            .filter(|application| matches!(self.load(application), Found::Draft(_)))
            .collect()
    }
}
