//! The JavaScript API for embedding the widget in the enrollment system's
//! page (wasm-bindgen). Built into `pkg/` by `cargo xtask pkg`.

pub mod bench;

use wasm_bindgen::prelude::*;

use crate::application::{Application, FieldMappings};
use crate::plan::{ApplicationReview, Decisions};
use crate::snapshot::Snapshot;
use crate::ui::{mount, WidgetConfig};

/// Mounts the review widget into `element`. `relay` is the relay's base URL
/// ("" for the page's origin); `staff_user` the signed-in staff member;
/// `application` the application to open at once, if any.
#[wasm_bindgen(js_name = mountWriteback)]
pub fn mount_writeback(element: web_sys::HtmlElement, relay: String, staff_user: String, application: Option<String>) {
    mount(element, WidgetConfig { relay, staff_user, application });
}

/// Computes a review without the UI: snapshot, application, mappings and
/// decisions as plain JS objects; returns the review document.
#[wasm_bindgen(js_name = reviewApplication)]
pub fn review_application(
    snapshot: JsValue,
    application: JsValue,
    mappings: JsValue,
    decisions: JsValue,
) -> Result<JsValue, JsError> {
    let snapshot: Snapshot =
        serde_wasm_bindgen::from_value(snapshot).map_err(|e| JsError::new(&format!("snapshot: {e}")))?;
    let application: Application =
        serde_wasm_bindgen::from_value(application).map_err(|e| JsError::new(&format!("application: {e}")))?;
    let mappings: FieldMappings =
        serde_wasm_bindgen::from_value(mappings).map_err(|e| JsError::new(&format!("mappings: {e}")))?;
    let decisions: Decisions = if decisions.is_undefined() || decisions.is_null() {
        Decisions::default()
    } else {
        serde_wasm_bindgen::from_value(decisions).map_err(|e| JsError::new(&format!("decisions: {e}")))?
    };
    let review = ApplicationReview::prepare(&snapshot, &application, &mappings)
        .map_err(|e| JsError::new(&e.to_string()))?
        .decide(&decisions);
    serde_wasm_bindgen::to_value(&review).map_err(|e| JsError::new(&e.to_string()))
}
