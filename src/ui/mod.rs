//! The Leptos UI, client-side: every check runs in the browser against the
//! core; the relay is only asked for data and sent finished files.
//!
//! Components are thin: they render a [`crate::plan::Review`] and turn
//! clicks into changes of [`crate::plan::Decisions`].

mod contacts;
mod correction;
mod courses;
mod demographics;
mod history;
mod icons;
mod relay;
mod review;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub use relay::{RelayClient, TokenClaims, Tokens};

use crate::courses::Staff;
use crate::domain::Date;
use crate::plan::Reviewer;
use crate::wire::ApplicationSummary;

/// What the page hands the widget: where the relay is, the staff token and
/// where a fresh one comes from, and the application to open.
#[derive(Debug, Clone, PartialEq)]
pub struct WidgetConfig {
    /// Relay base URL ("" = same origin).
    pub relay: String,
    /// The staff token (renewed through its provider before it expires).
    pub tokens: Tokens,
    /// The application to open at once (the host page's current one).
    pub application: Option<String>,
}

impl WidgetConfig {
    /// Reads `data-relay`, `data-token`, `data-token-provider` (the name of
    /// a global function returning a token or a Promise of one) and
    /// `data-application` from the host element.
    pub fn from_element(el: &web_sys::Element) -> WidgetConfig {
        let provider = el.get_attribute("data-token-provider").and_then(|p| Tokens::provider_at(&p));
        WidgetConfig {
            relay: el.get_attribute("data-relay").unwrap_or_default(),
            tokens: Tokens::new(el.get_attribute("data-token"), provider),
            application: el.get_attribute("data-application").filter(|s| !s.is_empty()).or_else(|| {
                let hash = web_sys::window()?.location().hash().ok()?;
                Some(hash.trim_start_matches('#').to_string()).filter(|h| !h.is_empty())
            }),
        }
    }
}

/// Mounts the widget into `element` (the embedding entry point).
pub fn mount(element: web_sys::HtmlElement, config: WidgetConfig) {
    console_error_panic_hook::set_once();
    let handle = leptos::mount::mount_to(element, move || view! { <Widget config=config.clone()/> });
    handle.forget();
}

/// Mounts the widget into the page's `#writeback` element.
pub fn mount_in_page() {
    let document = web_sys::window().and_then(|w| w.document()).expect("a browser document");
    let element = document
        .get_element_by_id("writeback")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .expect("the page has an element with id=\"writeback\"");
    let config = WidgetConfig::from_element(&element);
    mount(element, config);
}

/// Who reviews, on which day.
#[derive(Clone)]
pub(crate) struct Session {
    pub reviewer: Reviewer,
}

/// Today in the browser's (the district office's) time zone.
fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date::from_ymd(now.get_full_year() as i32, now.get_month() + 1, now.get_date())
        .unwrap_or_else(|| Date::from_ymd(1970, 1, 1).expect("a valid date"))
}

#[component]
fn Widget(config: WidgetConfig) -> impl IntoView {
    let client = RelayClient { base: config.relay.clone(), tokens: config.tokens.clone() };
    provide_context(client.clone());
    let c = client.clone();
    // Who is signed in, as the token says (the relay checks it on every call).
    let signed_in = LocalResource::new(move || {
        let c = c.clone();
        async move {
            c.tokens.get().await?;
            let claims = c.tokens.claims().ok_or("the staff token cannot be read")?;
            let staff = Staff { name: claims.name.clone(), permissions: claims.permissions.clone() };
            Ok::<_, String>(Session { reviewer: Reviewer { staff, today: today() } })
        }
    });
    let c = client.clone();
    let applications = LocalResource::new(move || {
        let c = c.clone();
        async move { c.applications().await }
    });
    let selected = RwSignal::new(config.application.clone());
    view! {
        <div class="wb">
            <nav class="wb-list" aria-label="Applications">
                <h2>"Applications"</h2>
                {move || match applications.get() {
                    None => view! { <p class="wb-loading">"Loading applications…"</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="wb-error" role="alert">{e}</p> }.into_any(),
                    Some(Ok(list)) => view! { <ApplicationList list selected/> }.into_any(),
                }}
            </nav>
            <section class="wb-main">
                {move || match (signed_in.get(), selected.get()) {
                    (None, _) => view! { <p class="wb-loading">"Signing in…"</p> }.into_any(),
                    (Some(Err(e)), _) => view! { <p class="wb-error" role="alert">{e}</p> }.into_any(),
                    (Some(Ok(_)), None) => view! { <p class="wb-hint">"Choose an application to review."</p> }.into_any(),
                    (Some(Ok(s)), Some(id)) => view! { <review::ApplicationScreen session=s id/> }.into_any(),
                }}
            </section>
        </div>
    }
}

/// Whether an application matches the staff member's filter text (name,
/// id, student number or status; case-insensitive, every word must match).
fn matches_filter(a: &ApplicationSummary, filter: &str) -> bool {
    let haystack = format!("{} {} {} {}", a.student_name, a.id, a.student_number.as_deref().unwrap_or(""), a.status)
        .to_lowercase();
    filter.split_whitespace().all(|w| haystack.contains(&w.to_lowercase()))
}

#[component]
fn ApplicationList(list: Vec<ApplicationSummary>, selected: RwSignal<Option<String>>) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let total = list.len();
    // One selector for the whole list: a click notifies the two buttons
    // whose state changes, not every button (thousands in a large district).
    let is_selected = StoredValue::new(leptos::reactive::computed::Selector::new(move || selected.get()));
    let list = StoredValue::new(list);
    let shown = Memo::new(move |_| {
        filter.with(|f| list.with_value(|l| l.iter().filter(|a| matches_filter(a, f)).cloned().collect::<Vec<_>>()))
    });
    view! {
        <input
            class="wb-filter"
            type="search"
            placeholder="Filter by name, id, number, status"
            aria-label="Filter applications"
            prop:value=move || filter.get()
            on:input=move |ev| filter.set(event_target_value(&ev))
        />
        <p class="wb-count" aria-live="polite">{move || format!("{} of {total}", shown.with(Vec::len))}</p>
        <ul>
            <For each=move || shown.get() key=|a| a.id.clone() let(a)>
                <ApplicationButton a selected is_selected/>
            </For>
        </ul>
    }
}

#[component]
fn ApplicationButton(
    a: ApplicationSummary,
    selected: RwSignal<Option<String>>,
    is_selected: StoredValue<leptos::reactive::computed::Selector<Option<String>>>,
) -> impl IntoView {
    let id = a.id.clone();
    let key = Some(a.id.clone());
    let is_selected = move || is_selected.with_value(|s| s.selected(&key));
    view! {
        <li>
            <button
                class="wb-app"
                class:selected=is_selected.clone()
                aria-current=move || is_selected().then_some("true")
                data-app-id=a.id.clone()
                on:click=move |_| selected.set(Some(id.clone()))
            >
                <span class="wb-app-name">{a.student_name.clone()}</span>
                <span class="wb-app-meta">{format!("{} · {}", a.id, a.status)}</span>
            </button>
        </li>
    }
}
