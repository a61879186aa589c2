//! What the widget tells the host page: DOM events on the element it is
//! mounted in (`submitted`, `changed`, `error`), each a `CustomEvent` whose
//! `detail` is a plain object with the names and values JSON would give.
//! They do not bubble, so a host's `error` listener on `window` never
//! mistakes one for a script error.
//!
//! The shapes are the TypeScript types of [`crate::api`].

use send_wrapper::SendWrapper;
use wasm_bindgen::JsValue;

use crate::plan::Review;
use crate::wire::HistoryEntry;

/// Which submission a `submitted` event is about.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Submission {
    /// The Students and Student Contacts files.
    DemographicsAndContacts,
    /// The course writeback.
    Courses,
}

impl Submission {
    fn as_str(self) -> &'static str {
        match self {
            Submission::DemographicsAndContacts => "demographics-and-contacts",
            Submission::Courses => "courses",
        }
    }
}

/// An event's `detail`: a plain object, built field by field (no JSON
/// writer in the widget for it; docs/benchmarks.md).
struct Detail(js_sys::Object);

impl Detail {
    fn new() -> Detail {
        Detail(js_sys::Object::new())
    }

    fn with(self, name: &str, value: impl Into<JsValue>) -> Detail {
        let _ = js_sys::Reflect::set(&self.0, &JsValue::from_str(name), &value.into());
        self
    }

    fn text(self, name: &str, value: Option<&str>) -> Detail {
        self.with(name, value.map_or(JsValue::NULL, JsValue::from_str))
    }

    fn texts<'a>(self, name: &str, values: Option<impl IntoIterator<Item = &'a str>>) -> Detail {
        let list =
            values.map_or(JsValue::NULL, |v| v.into_iter().map(JsValue::from_str).collect::<js_sys::Array>().into());
        self.with(name, list)
    }
}

impl From<Detail> for JsValue {
    fn from(d: Detail) -> JsValue {
        d.0.into()
    }
}

/// A history entry as the relay's JSON has it: every field by its name
/// (the destructuring names them all, so a new field does not compile
/// until it is here too).
fn entry_detail(e: &HistoryEntry) -> Detail {
    let HistoryEntry {
        id,
        application_id,
        kind,
        file_name,
        rows,
        submitted_by,
        submitted_at,
        status,
        destination,
        delivered_at,
        detail,
        failed_attempts,
        courses_written,
        courses_denied,
        expected_pickup,
        confirmation,
        follow_ups,
    } = e;
    Detail::new()
        .with("id", *id as f64)
        .with("application_id", application_id.as_str())
        .with("kind", kind.as_str())
        .text("file_name", file_name.as_deref())
        .with("rows", *rows as f64)
        .with("submitted_by", submitted_by.as_str())
        .with("submitted_at", submitted_at.as_str())
        .with("status", status.as_str())
        .with("destination", destination.as_str())
        .text("delivered_at", delivered_at.as_deref())
        .text("detail", detail.as_deref())
        .with("failed_attempts", *failed_attempts)
        .texts("courses_written", courses_written.as_ref().map(|c| c.iter().map(String::as_str)))
        .texts("courses_denied", courses_denied.as_ref().map(|c| c.iter().map(String::as_str)))
        .text("expected_pickup", expected_pickup.as_deref())
        .text("confirmation", confirmation.as_deref())
        .texts("follow_ups", Some(follow_ups.iter().map(String::as_str)))
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
        let entries: js_sys::Array = entries.iter().map(|e| JsValue::from(entry_detail(e))).collect();
        let detail = Detail::new()
            .with("application", application)
            .with("submission", submission.as_str())
            .with("entries", entries);
        self.dispatch("submitted", detail);
    }

    /// Staff changed a decision: where the review stands now.
    pub fn changed(&self, application: &str, review: &Review) {
        let courses =
            Detail::new().with("ready", review.courses.ready()).with("blockers", review.courses.blocking.len() as f64);
        let detail = Detail::new()
            .with("application", application)
            .with("ready", review.ready())
            .with("blockers", review.blockers.len() as f64)
            .texts("files", Some(review.files.iter().map(|f| f.kind.as_str())))
            .with("courses", courses);
        self.dispatch("changed", detail);
    }

    /// Something failed that staff are shown as an error.
    pub fn error(&self, application: Option<&str>, during: &str, message: &str) {
        let detail = Detail::new().text("application", application).with("during", during).with("message", message);
        self.dispatch("error", detail);
    }

    fn dispatch(&self, name: &str, detail: Detail) {
        let init = web_sys::CustomEventInit::new();
        init.set_detail(&detail.into());
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
