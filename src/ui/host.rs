//! What the widget tells the host page: DOM events on the element it is
//! mounted in (`submitted`, `changed`, `error`), each a `CustomEvent` whose
//! `detail` is plain JSON. They do not bubble, so a host's `error` listener
//! on `window` never mistakes one for a script error.
//!
//! The shapes are the TypeScript types of [`crate::api`].

use send_wrapper::SendWrapper;
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::flatfile::FileKind;
use crate::plan::Review;
use crate::wire::HistoryEntry;

/// Which submission a `submitted` event is about.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Submission {
    /// The Students and Student Contacts files.
    DemographicsAndContacts,
    /// The course writeback.
    Courses,
}

#[derive(Serialize)]
struct Submitted<'a> {
    application: &'a str,
    submission: Submission,
    entries: &'a [HistoryEntry],
}

#[derive(Serialize)]
struct Changed<'a> {
    application: &'a str,
    /// The demographics and contacts may be submitted.
    ready: bool,
    /// How many things block them.
    blockers: usize,
    /// The files submitting would write.
    files: Vec<FileKind>,
    courses: CoursesChanged,
}

#[derive(Serialize)]
struct CoursesChanged {
    ready: bool,
    blockers: usize,
}

#[derive(Serialize)]
struct Failed<'a> {
    application: Option<&'a str>,
    /// What the widget was doing, in words ("opening the application").
    during: &'a str,
    message: &'a str,
}

/// The element the widget is mounted in, where its events go.
#[derive(Clone)]
pub(crate) struct HostEvents {
    element: SendWrapper<web_sys::HtmlElement>,
}

impl HostEvents {
    pub fn new(element: web_sys::HtmlElement) -> HostEvents {
        HostEvents { element: SendWrapper::new(element) }
    }

    /// A submission was accepted: the history entries it made.
    pub fn submitted(&self, application: &str, submission: Submission, entries: &[HistoryEntry]) {
        self.dispatch("submitted", &Submitted { application, submission, entries });
    }

    /// Staff changed a decision: where the review stands now.
    pub fn changed(&self, application: &str, review: &Review) {
        let courses = CoursesChanged { ready: review.courses.ready(), blockers: review.courses.blocking.len() };
        let files = review.files.iter().map(|f| f.kind).collect();
        self.dispatch(
            "changed",
            &Changed { application, ready: review.ready(), blockers: review.blockers.len(), files, courses },
        );
    }

    /// Something failed that staff are shown as an error.
    pub fn error(&self, application: Option<&str>, during: &str, message: &str) {
        self.dispatch("error", &Failed { application, during, message });
    }

    fn dispatch(&self, name: &str, detail: &impl Serialize) {
        let detail = serde_json::to_string(detail)
            .ok()
            .and_then(|json| js_sys::JSON::parse(&json).ok())
            .unwrap_or(JsValue::NULL);
        let init = web_sys::CustomEventInit::new();
        init.set_detail(&detail);
        init.set_bubbles(false);
        if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
            let _ = self.element.dispatch_event(&event);
        }
    }
}

/// The host's events, where the widget is mounted through the JS API or
/// the page (always, outside tests of single components).
pub(crate) fn host() -> Option<HostEvents> {
    leptos::prelude::use_context::<HostEvents>()
}
