//! The review without the UI: `reviewApplication` for a host that holds
//! the district's records itself and wants the review document (matching,
//! comparing, deciding, the import files) computed in its page. Built into
//! `pkg/writeback-review.js` by `cargo xtask pkg`, a module of its own: the
//! widget (`pkg/writeback.js`) gets its candidates from the relay and never
//! carries the matcher this needs.

use serde::Deserialize;
use writeback_core::application::{Application, FieldMappings};
use writeback_core::courses::Staff;
use writeback_core::domain::Date;
use writeback_core::plan::{ApplicationReview, Decisions, District, DistrictSettings, PrepareError, Review, Reviewer};
use writeback_core::snapshot::Snapshot;

/// Everything `reviewApplication` takes, as one JSON object.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
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

/// Why `reviewApplication` gives no review.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// The request is not a [`ReviewRequest`] (with where and why).
    #[error("reviewApplication: {0}")]
    Request(#[from] serde_json::Error),
    /// The district cannot be reviewed (its mappings do not fit its snapshot).
    #[error("reviewApplication: {0}")]
    District(#[from] PrepareError),
}

/// The review of `json`, a [`ReviewRequest`], or what is wrong with it.
pub fn review(json: &str) -> Result<Review, ReviewError> {
    let r: ReviewRequest = serde_json::from_str(json)?;
    let district = District::new(r.snapshot, r.mappings, r.settings)?;
    let reviewer = Reviewer { staff: r.staff, today: r.today };
    Ok(ApplicationReview::prepare(&district, &r.application, &r.others, &reviewer).decide(&r.decisions))
}

#[cfg(target_arch = "wasm32")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(typescript_custom_section)]
    const TYPES: &str = r#"
/** What `reviewApplication` takes (docs/formats.md has each part's format). */
export interface ReviewRequest {
  snapshot: object;
  application: object;
  mappings: object;
  settings?: object;
  decisions?: object;
  others?: object[];
  staff: { name: string; permissions: string[] };
  /** "YYYY-MM-DD", the district's today. */
  today: string;
}
"#;

    /// Computes a review without the UI. Takes one object `{snapshot,
    /// application, mappings, settings?, decisions?, others?, staff: {name,
    /// permissions}, today: "YYYY-MM-DD"}` and returns the review document
    /// (docs/formats.md); throws, naming what is wrong, otherwise.
    #[wasm_bindgen(js_name = reviewApplication, unchecked_return_type = "object")]
    pub fn review_application(
        #[wasm_bindgen(unchecked_param_type = "ReviewRequest")] request: JsValue,
    ) -> Result<JsValue, JsError> {
        let json = js_sys::JSON::stringify(&request)
            .map_err(|_| JsError::new("reviewApplication: the request cannot be written as JSON"))?;
        let review = super::review(&String::from(json)).map_err(|e| JsError::new(&e.to_string()))?;
        let json = serde_json::to_string(&review).map_err(|e| JsError::new(&e.to_string()))?;
        js_sys::JSON::parse(&json)
            .map_err(|_| JsError::new("reviewApplication: the review cannot be read back as JSON"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_that_is_not_one_is_refused_naming_what_is_wrong() {
        let refused = |json: &str| review(json).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(refused("7").starts_with("reviewApplication: invalid type: integer `7`"), "{}", refused("7"));
        let missing = refused(r#"{"snapshot": {}}"#);
        assert!(missing.contains("missing field"), "{missing}");
        let unknown = refused(r#"{"snapshots": {}}"#);
        assert!(unknown.contains("unknown field `snapshots`"), "{unknown}");
    }
}
