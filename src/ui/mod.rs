//! The Leptos UI, client-side: every check runs in the browser against the
//! core; the relay is only asked for data and sent finished files.
//!
//! Components are thin: they render a [`crate::plan::Review`] and turn
//! clicks into changes of [`crate::plan::Decisions`].

mod contacts;
mod courses;
mod demographics;
mod history;
mod relay;
mod review;

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub use relay::{ApplicationSummary, CourseSubmission, HistoryEntry, RelayClient};

use crate::courses::Staff;
use crate::domain::Date;
use crate::plan::{District, Reviewer};

/// What the page hands the widget: where the relay is and who is signed in.
#[derive(Debug, Clone, PartialEq)]
pub struct WidgetConfig {
    /// Relay base URL ("" = same origin).
    pub relay: String,
    /// The signed-in staff user.
    pub staff_user: String,
    /// The application to open at once (the host page's current one).
    pub application: Option<String>,
    /// The staff user's permissions (e.g. "Application Course Writeback").
    pub permissions: Vec<String>,
}

impl WidgetConfig {
    /// Reads `data-relay` and `data-staff-user` from the host element.
    pub fn from_element(el: &web_sys::Element) -> WidgetConfig {
        WidgetConfig {
            relay: el.get_attribute("data-relay").unwrap_or_default(),
            staff_user: el
                .get_attribute("data-staff-user")
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "unknown".into()),
            permissions: el
                .get_attribute("data-permissions")
                .map(|p| p.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
                .unwrap_or_default(),
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

/// District data every review needs, loaded and checked once, and who
/// reviews it today.
#[derive(Clone)]
pub(crate) struct Session {
    pub district: Arc<District>,
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
    let client = RelayClient { base: config.relay.clone(), staff_user: config.staff_user.clone() };
    provide_context(client.clone());
    let c = client.clone();
    let staff = Staff { name: config.staff_user.clone(), permissions: config.permissions.clone() };
    let district = LocalResource::new(move || {
        let (c, staff) = (c.clone(), staff.clone());
        async move {
            let (snapshot, (mappings, settings)) =
                futures_join(c.snapshot(), futures_join(c.mappings(), c.settings())).await;
            let district = District::new(snapshot?, mappings?, settings?).map_err(|e| e.to_string())?;
            Ok::<_, String>(Session { district: Arc::new(district), reviewer: Reviewer { staff, today: today() } })
        }
    });
    let c = client.clone();
    // The list, also for finding an application's family batch.
    let known = RwSignal::new(Vec::<ApplicationSummary>::new());
    provide_context(known);
    let applications = LocalResource::new(move || {
        let c = c.clone();
        async move {
            let list = c.applications().await;
            if let Ok(l) = &list {
                known.set(l.clone());
            }
            list
        }
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
                {move || match (district.get(), selected.get()) {
                    (None, _) => view! { <p class="wb-loading">"Loading PowerSchool data…"</p> }.into_any(),
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
                <ApplicationButton a selected/>
            </For>
        </ul>
    }
}

#[component]
fn ApplicationButton(a: ApplicationSummary, selected: RwSignal<Option<String>>) -> impl IntoView {
    let id = a.id.clone();
    let id2 = a.id.clone();
    let is_selected = Memo::new(move |_| selected.get().as_deref() == Some(id2.as_str()));
    view! {
        <li>
            <button
                class="wb-app"
                class:selected=is_selected
                aria-current=move || is_selected.get().then_some("true")
                data-app-id=a.id.clone()
                on:click=move |_| selected.set(Some(id.clone()))
            >
                <span class="wb-app-name">{a.student_name.clone()}</span>
                <span class="wb-app-meta">{format!("{} · {}", a.id, a.status)}</span>
            </button>
        </li>
    }
}

/// Awaits two futures concurrently.
async fn futures_join<A: std::future::Future, B: std::future::Future>(a: A, b: B) -> (A::Output, B::Output) {
    use std::pin::pin;
    use std::task::Poll;
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut ra, mut rb) = (None, None);
    std::future::poll_fn(move |cx| {
        if ra.is_none() {
            if let Poll::Ready(v) = a.as_mut().poll(cx) {
                ra = Some(v);
            }
        }
        if rb.is_none() {
            if let Poll::Ready(v) = b.as_mut().poll(cx) {
                rb = Some(v);
            }
        }
        if ra.is_some() && rb.is_some() {
            Poll::Ready((ra.take().expect("ready"), rb.take().expect("ready")))
        } else {
            Poll::Pending
        }
    })
    .await
}
