//! The JavaScript API for embedding the widget in the enrollment system's
//! page (wasm-bindgen). Built into `pkg/` by `cargo xtask pkg`.

#[cfg(feature = "bench")]
pub mod bench;

use wasm_bindgen::prelude::*;

use crate::ui::{mount, DraftStorage, Mounted, Tokens, WidgetConfig};
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** What `mount` takes. */
export interface WritebackOptions {
  /** The relay's base URL ("" or absent: the page's own origin). */
  relay?: string;
  /** A first staff token, if the page has one. */
  token?: string;
  /** Returns a fresh staff token (or a Promise of one); called when the
   *  widget has none, two minutes before the current one expires, and once
   *  after the relay refuses it. */
  getToken?: () => string | Promise<string>;
  /** The application to open at once. */
  application?: string;
  /** Where drafts are kept: "local" (default), "session" or "off". */
  drafts?: "local" | "session" | "off";
  /** Whether the widget shows its own application list (default true). */
  list?: boolean;
}

/** The `detail` of the `submitted` event. */
export interface WritebackSubmittedDetail {
  application: string;
  submission: "demographics-and-contacts" | "courses";
  /** The history entries the submission made (docs/formats.md). */
  entries: Array<{
    id: number;
    application_id: string;
    kind: "students" | "contacts" | "schedules";
    file_name: string | null;
    rows: number;
    submitted_by: string;
    submitted_at: string;
    status: string;
    destination: string;
    [more: string]: unknown;
  }>;
}

/** The `detail` of the `changed` event: where the review stands. */
export interface WritebackChangedDetail {
  application: string;
  /** The demographics and contacts may be submitted. */
  ready: boolean;
  /** How many things block them. */
  blockers: number;
  /** The files submitting would write. */
  files: Array<"students" | "contacts" | "schedules">;
  courses: { ready: boolean; blockers: number };
}

/** The `detail` of the `error` event. */
export interface WritebackErrorDetail {
  application: string | null;
  /** What the widget was doing: "signing in", "opening the application", ... */
  during: string;
  message: string;
}

/** The events dispatched on the element the widget is mounted in. */
export interface WritebackEventMap {
  submitted: CustomEvent<WritebackSubmittedDetail>;
  changed: CustomEvent<WritebackChangedDetail>;
  error: CustomEvent<WritebackErrorDetail>;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// The options object of `mount`.
    #[wasm_bindgen(typescript_type = "WritebackOptions")]
    pub type WritebackOptions;
}

/// The widget mounted by `mount`.
#[wasm_bindgen]
pub struct WritebackHandle {
    mounted: Option<Mounted>,
}

#[wasm_bindgen]
impl WritebackHandle {
    /// Opens `application` (nothing: "choose an application").
    pub fn open(&self, application: Option<String>) {
        if let Some(m) = &self.mounted {
            m.open(application);
        }
    }

    /// The application shown, if any.
    #[wasm_bindgen(getter)]
    pub fn application(&self) -> Option<String> {
        self.mounted.as_ref().and_then(Mounted::application)
    }

    /// Whether the widget is still mounted.
    #[wasm_bindgen(getter)]
    pub fn mounted(&self) -> bool {
        self.mounted.is_some()
    }

    /// Takes the widget out of its element (again: nothing happens).
    /// Staff's decisions stay in their draft.
    pub fn unmount(&mut self) {
        if let Some(m) = self.mounted.take() {
            m.unmount();
        }
    }
}

/// Mounts the review widget into `element` and returns its handle. The
/// widget's events (`submitted`, `changed`, `error`) are dispatched on
/// `element`. Throws, naming the option, when an option has the wrong type.
#[wasm_bindgen(js_name = mount)]
pub fn mount_widget(element: web_sys::HtmlElement, options: WritebackOptions) -> Result<WritebackHandle, JsError> {
    let config = widget_config(&options)?;
    Ok(WritebackHandle { mounted: Some(mount(element, config)) })
}

fn widget_config(options: &JsValue) -> Result<WidgetConfig, JsError> {
    if !options.is_object() {
        return Err(JsError::new("mount: the options must be an object ({ relay, getToken, application, ... })"));
    }
    let get_token = match option(options, "getToken") {
        None => None,
        Some(f) => Some(f.dyn_into::<js_sys::Function>().map_err(|_| wrong("getToken", "a function"))?),
    };
    let drafts = DraftStorage::parse(text(options, "drafts")?.as_deref())
        .map_err(|e| JsError::new(&format!("mount: options.drafts: {e}")))?;
    let list = match option(options, "list") {
        None => true,
        Some(b) => b.as_bool().ok_or_else(|| wrong("list", "true or false"))?,
    };
    Ok(WidgetConfig {
        relay: text(options, "relay")?.unwrap_or_default(),
        tokens: Tokens::new(text(options, "token")?, get_token),
        application: text(options, "application")?.filter(|a| !a.is_empty()),
        drafts,
        list,
    })
}

/// `options[name]`, unless it is absent, `undefined` or `null`.
fn option(options: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(options, &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn text(options: &JsValue, name: &str) -> Result<Option<String>, JsError> {
    option(options, name).map(|v| v.as_string().ok_or_else(|| wrong(name, "a string"))).transpose()
}

fn wrong(name: &str, what: &str) -> JsError {
    JsError::new(&format!("mount: options.{name} must be {what}"))
}
