//! The JavaScript API for embedding the widget in the enrollment system's
//! page (wasm-bindgen). Built into `pkg/` by `cargo xtask pkg`.

#[cfg(feature = "bench")]
pub mod bench;

use wasm_bindgen::prelude::*;

use crate::application::{Application, FieldMappings};
use crate::courses::Staff;
use crate::domain::Date;
use crate::plan::{ApplicationReview, Decisions, District, DistrictSettings, Reviewer};
use crate::snapshot::Snapshot;
use crate::ui::{mount, DraftStorage, Tokens, WidgetConfig};

/// Mounts the review widget into `element`. `relay` is the relay's base URL
/// ("" for the page's origin); `token` the staff token the enrollment
/// system signed for the signed-in staff member; `get_token` a function
/// returning a fresh token (or a Promise of one), called before the
/// current one expires and after the relay refuses it; `application` the
/// application to open at once, if any.
#[wasm_bindgen(js_name = mountWriteback)]
pub fn mount_writeback(
    element: web_sys::HtmlElement,
    relay: String,
    token: Option<String>,
    get_token: Option<js_sys::Function>,
    application: Option<String>,
) {
    mount(
        element,
        WidgetConfig { relay, tokens: Tokens::new(token, get_token), application, drafts: DraftStorage::Local },
    );
}

/// Everything `reviewApplication` takes, as one JS object.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewRequest {
    snapshot: Snapshot,
    application: Application,
    mappings: FieldMappings,
    #[serde(default)]
    settings: DistrictSettings,
    #[serde(default)]
    decisions: Decisions,
    /// Other applications of the family, so siblings' contacts are found.
    #[serde(default)]
    others: Vec<Application>,
    staff: Staff,
    today: Date,
}

/// Computes a review without the UI. Takes one object `{snapshot,
/// application, mappings, settings?, decisions?, others?, staff: {name, permissions},
/// today: "YYYY-MM-DD"}` and returns the review document
/// (docs/formats.md).
#[wasm_bindgen(js_name = reviewApplication)]
pub fn review_application(request: JsValue) -> Result<JsValue, JsError> {
    // Through JSON: the widget already carries serde_json for the relay's
    // bodies, so this costs no second deserializer in the bundle.
    let json = js_sys::JSON::stringify(&request)
        .map_err(|_| JsError::new("reviewApplication: the request cannot be written as JSON"))?;
    let r: ReviewRequest =
        serde_json::from_str(&String::from(json)).map_err(|e| JsError::new(&format!("reviewApplication: {e}")))?;
    let district = District::new(r.snapshot, r.mappings, r.settings).map_err(|e| JsError::new(&e.to_string()))?;
    let review =
        ApplicationReview::prepare(&district, &r.application, &r.others, &Reviewer { staff: r.staff, today: r.today })
            .decide(&r.decisions);
    let json = serde_json::to_string(&review).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&json).map_err(|_| JsError::new("reviewApplication: the review cannot be read back as JSON"))
}
