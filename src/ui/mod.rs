//! The Leptos UI, client-side: every check runs in the browser against the
//! core; the relay is only asked for data and sent finished files.
//!
//! Components are thin: they render a [`crate::plan::Review`] and turn
//! clicks into changes of [`crate::plan::Decisions`].

mod contacts;
mod correction;
mod courses;
mod demographics;
mod drafts;
mod edits;
mod erased;
mod history;
mod host;
mod icons;
mod relay;
mod review;

use leptos::prelude::*;

use crate::ui::erased::memo;
use wasm_bindgen::JsCast;

pub use drafts::DraftStorage;
pub use relay::{RelayClient, TokenClaims, Tokens};

use crate::courses::Staff;
use crate::domain::Date;
use crate::plan::Reviewer;
use crate::wire::{ApplicationSummary, HistoryEntry, WrittenBack};
use std::collections::{BTreeMap, BTreeSet};

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
    /// Where staff's drafts are kept.
    pub drafts: DraftStorage,
    /// Whether the widget shows its application list (a host page that is
    /// one application's page turns it off).
    pub list: bool,
}

impl WidgetConfig {
    /// Reads `data-relay`, `data-token`, `data-token-provider` (the name of
    /// a global function returning a token or a Promise of one),
    /// `data-application`, `data-drafts` (local, session or off) and
    /// `data-list` (on or off) from the host element.
    pub fn from_element(el: &web_sys::Element) -> Result<WidgetConfig, String> {
        let provider = el.get_attribute("data-token-provider").and_then(|p| Tokens::provider_at(&p));
        let drafts = DraftStorage::parse(el.get_attribute("data-drafts").as_deref())?;
        Ok(WidgetConfig {
            relay: el.get_attribute("data-relay").unwrap_or_default(),
            tokens: Tokens::new(el.get_attribute("data-token"), provider),
            application: el.get_attribute("data-application").filter(|s| !s.is_empty()).or_else(|| {
                let hash = web_sys::window()?.location().hash().ok()?;
                Some(hash.trim_start_matches('#').to_string()).filter(|h| !h.is_empty())
            }),
            drafts,
            list: match el.get_attribute("data-list").as_deref() {
                None | Some("") | Some("on") => true,
                Some("off") => false,
                Some(other) => return Err(format!("data-list is {other:?}: it is on or off")),
            },
        })
    }
}

/// The widget mounted in an element: which application it shows, and the
/// way to take it out again.
pub struct Mounted {
    selected: RwSignal<Option<String>>,
    view: Box<dyn std::any::Any>,
}

impl Mounted {
    /// Opens `application` (`None`: the list's "choose an application").
    pub fn open(&self, application: Option<String>) {
        self.selected.set(application.filter(|a| !a.is_empty()));
    }

    /// The application shown.
    pub fn application(&self) -> Option<String> {
        self.selected.get_untracked()
    }

    /// Takes the widget out of its element: its views, effects and window
    /// listeners go (what staff decided stays in the draft).
    pub fn unmount(self) {
        drop(self.view);
        self.selected.dispose();
    }

    /// Leaves the widget mounted for the page's lifetime.
    pub fn forget(self) {
        std::mem::forget(self.view);
    }
}

/// Mounts the widget into `element` (the embedding entry point). Its
/// events (`submitted`, `changed`, `error`) are dispatched on `element`.
pub fn mount(element: web_sys::HtmlElement, config: WidgetConfig) -> Mounted {
    console_error_panic_hook::set_once();
    // Made outside the widget's owner so the host can still set it; disposed by `unmount`.
    let selected = RwSignal::new(config.application.clone());
    let events = host::HostEvents::new(element.clone());
    let view = leptos::mount::mount_to(element, move || {
        provide_context(events.clone());
        view! { <Widget config=config.clone() selected/> }
    });
    Mounted { selected, view: Box::new(view) }
}

/// Mounts the widget into the page's `#writeback` element.
pub fn mount_in_page() {
    let document = web_sys::window().and_then(|w| w.document()).expect("a browser document");
    let element = document
        .get_element_by_id("writeback")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .expect("the page has an element with id=\"writeback\"");
    match WidgetConfig::from_element(&element) {
        Ok(config) => mount(element, config).forget(),
        Err(e) => element.set_text_content(Some(&format!("The writeback widget cannot start: {e}"))),
    }
}

/// Tells the host page (an `error` event on `host`'s element) what failed
/// and while doing what.
pub(crate) fn tell_host(host: &Option<host::HostEvents>, application: Option<&str>, during: &str, message: &str) {
    if let Some(h) = host {
        h.error(application, during, message);
    }
}

/// What `work` gives once it is done (`None` while it runs): the widget's
/// loads (who is signed in, the list, an application) each run once, for
/// the component they are made in. Lighter than a `LocalResource`, whose
/// re-running on a change nothing here needs: its async machinery is
/// compiled anew for every use (docs/benchmarks.md, "The production
/// bundle's size").
fn load<T: 'static>(work: impl std::future::Future<Output = T> + 'static) -> ReadSignal<Option<T>, LocalStorage> {
    let (done, set) = signal_local(None);
    leptos::task::spawn_local(async move {
        // The component may be gone by then; there is nothing to show it in.
        let _ = set.try_set(Some(work.await));
    });
    done
}

/// Who reviews, on which day.
#[derive(Clone)]
pub(crate) struct Session {
    pub reviewer: Reviewer,
    /// The signed-in staff member's drafts.
    pub drafts: drafts::DraftStore,
}

/// Today in the browser's (the district office's) time zone.
fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date::from_ymd(now.get_full_year() as i32, now.get_month() + 1, now.get_date())
        .unwrap_or_else(|| Date::from_ymd(1970, 1, 1).expect("a valid date"))
}

#[component]
fn Widget(config: WidgetConfig, selected: RwSignal<Option<String>>) -> impl IntoView {
    let client = RelayClient { base: config.relay.clone(), tokens: config.tokens.clone() };
    provide_context(client.clone());
    let list_state = ListState::new();
    provide_context(list_state);
    let c = client.clone();
    let mode = config.drafts;
    let events = host::host();
    let e = events.clone();
    // Who is signed in, as the token says (the relay checks it on every call).
    let signed_in = load({
        let (c, e) = (c.clone(), e.clone());
        async move {
            let claims = async {
                c.tokens.get().await?;
                c.tokens.claims().ok_or_else(|| "the staff token cannot be read".to_string())
            }
            .await
            .inspect_err(|err| tell_host(&e, None, "signing in", err))?;
            let staff = Staff { name: claims.name.clone(), permissions: claims.permissions.clone() };
            let drafts = drafts::DraftStore::open(mode, &c.base, &claims.sub);
            list_state.drafts.set(crate::sort::set(drafts.drafts()));
            Ok::<_, String>(Session { reviewer: Reviewer { staff, today: today() }, drafts })
        }
    });
    let list = config.list.then(|| {
        let c = client.clone();
        let applications = load({
            let (c, e) = (c.clone(), events.clone());
            async move { c.applications().await.inspect_err(|err| tell_host(&e, None, "loading the applications", err)) }
        });
        view! {
            <nav class="wb-list" aria-label="Applications">
                <h2>"Applications"</h2>
                {move || match applications.get() {
                    None => view! { <p class="wb-loading">"Loading applications…"</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="wb-error" role="alert">{e}</p> }.into_any(),
                    Some(Ok(list)) => view! { <ApplicationList list selected/> }.into_any(),
                }}
            </nav>
        }
    });
    view! {
        <div class="wb" class:wb-no-list=!config.list>
            {list}
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

/// Where each application stands, for the list: staff's drafts (this
/// browser's) and what has been written back (the relay's). The review
/// updates both as staff work, so the list follows without a reload.
#[derive(Clone, Copy)]
pub(crate) struct ListState {
    /// Applications with a draft kept.
    pub drafts: RwSignal<BTreeSet<String>>,
    /// Per application, the newest writeback of each kind.
    pub written: RwSignal<BTreeMap<String, Vec<WrittenBack>>>,
}

impl ListState {
    fn new() -> ListState {
        ListState { drafts: RwSignal::new(BTreeSet::new()), written: RwSignal::new(BTreeMap::new()) }
    }

    /// Notes whether `application` has a draft (the list is only told
    /// when that changes, not on every save).
    pub fn set_draft(&self, application: &str, has: bool) {
        if self.drafts.with_untracked(|d| d.contains(application)) != has {
            self.drafts.update(|d| {
                if has {
                    d.insert(application.to_string());
                } else {
                    d.remove(application);
                }
            });
        }
    }

    /// Notes the entries a submission just made.
    pub fn record(&self, entries: &[HistoryEntry]) {
        self.written.update(|w| {
            for e in entries {
                let list = w.entry(e.application_id.to_string()).or_default();
                list.retain(|old| old.kind != e.kind);
                list.push(WrittenBack::of(e));
                crate::sort::by_key(list, |x| x.kind);
            }
        });
    }
}

/// Where an application stands in staff's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Progress {
    /// Nothing decided, nothing written back.
    New,
    /// Decisions kept as a draft, nothing written back.
    Draft,
    /// Something written back (a draft may hold the rest).
    WrittenBack,
}

/// Which applications the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Show {
    All,
    NotWrittenBack,
    Drafts,
    WrittenBack,
}

impl Show {
    const ALL: [Show; 4] = [Show::All, Show::NotWrittenBack, Show::Drafts, Show::WrittenBack];

    fn value(self) -> &'static str {
        match self {
            Show::All => "all",
            Show::NotWrittenBack => "not-written-back",
            Show::Drafts => "drafts",
            Show::WrittenBack => "written-back",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Show::All => "All applications",
            Show::NotWrittenBack => "Not written back",
            Show::Drafts => "Drafts",
            Show::WrittenBack => "Written back",
        }
    }

    fn parse(value: &str) -> Show {
        Show::ALL.into_iter().find(|s| s.value() == value).unwrap_or(Show::All)
    }

    fn includes(self, p: Progress) -> bool {
        match self {
            Show::All => true,
            Show::NotWrittenBack => p != Progress::WrittenBack,
            Show::Drafts => p == Progress::Draft,
            Show::WrittenBack => p == Progress::WrittenBack,
        }
    }
}

fn progress(draft: bool, written: &[WrittenBack]) -> Progress {
    match (written.is_empty(), draft) {
        (false, _) => Progress::WrittenBack,
        (true, true) => Progress::Draft,
        (true, false) => Progress::New,
    }
}

/// What was written back, in words: "Written back: demographics, contacts
/// · Dec 2, 2026, 10:42 AM by Demo Registrar" (the newest writeback's time
/// and staff member).
pub(crate) fn written_back_words(written: &[WrittenBack]) -> String {
    let parts: Vec<&str> = written.iter().map(WrittenBack::part).collect();
    match written.iter().max_by(|a, b| a.at.cmp(&b.at)) {
        Some(newest) => {
            format!("Written back: {} · {} by {}", parts.join(", "), history::local_time(&newest.at), newest.by)
        }
        None => String::new(),
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
    let state = expect_context::<ListState>();
    state.written.set(crate::sort::map(list.iter().map(|a| (a.id.clone(), a.written_back.clone()))));
    let filter = RwSignal::new(String::new());
    let show = RwSignal::new(Show::All);
    let total = list.len();
    // One selector for the whole list: a click notifies the two buttons
    // whose state changes, not every button (thousands in a large district).
    let is_selected = StoredValue::new(leptos::reactive::computed::Selector::new(move || selected.get()));
    // By id, for the rows (the list keeps the relay's order).
    let mut by_id = list.clone();
    crate::sort::by(&mut by_id, |a, b| a.id.cmp(&b.id));
    let by_id = StoredValue::new(by_id);
    let list = StoredValue::new(list);
    let shown = memo(move |_| {
        let show = show.get();
        state.drafts.with(|drafts| {
            state.written.with(|written| {
                filter.with(|f| {
                    list.with_value(|l| {
                        l.iter()
                            .filter(|a| {
                                let w = written.get(&a.id).map(Vec::as_slice).unwrap_or_default();
                                show.includes(progress(drafts.contains(&a.id), w)) && matches_filter(a, f)
                            })
                            .map(|a| a.id.clone())
                            .collect::<Vec<_>>()
                    })
                })
            })
        })
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
        <label class="wb-show">
            "Show "
            <select class="wb-show-select" on:change=move |ev| show.set(Show::parse(&event_target_value(&ev)))>
                {Show::ALL.into_iter().map(|s| view! { <option value=s.value()>{s.label()}</option> }).collect_view()}
            </select>
        </label>
        <p class="wb-count" aria-live="polite">{move || format!("{} of {total}", shown.with(Vec::len))}</p>
        <ul>
            {erased::keyed_rows(
                move || erased::by_key(shown.get()),
                move |id| {
                    let found = by_id.with_value(|l| l.binary_search_by(|a| a.id.cmp(&id)).ok().map(|i| l[i].clone()));
                    match found {
                        Some(a) => view! { <ApplicationButton a selected is_selected/> }.into_any(),
                        None => ().into_any(),
                    }
                },
            )}
        </ul>
    }
}

#[component]
fn ApplicationButton(
    a: ApplicationSummary,
    selected: RwSignal<Option<String>>,
    is_selected: StoredValue<leptos::reactive::computed::Selector<Option<String>>>,
) -> impl IntoView {
    let state = expect_context::<ListState>();
    let id = a.id.clone();
    let key = Some(a.id.clone());
    let is_selected = move || is_selected.with_value(|s| s.selected(&key));
    let (draft_id, written_id) = (a.id.clone(), a.id.clone());
    let has_draft = memo(move |_| state.drafts.with(|d| d.contains(&draft_id)));
    let written = memo(move |_| state.written.with(|w| w.get(&written_id).cloned().unwrap_or_default()));
    let progress = move || written.with(|w| progress(has_draft.get(), w));
    view! {
        <li>
            <button
                class="wb-app"
                class:selected=is_selected.clone()
                aria-current=move || is_selected().then_some("true")
                data-app-id=a.id.clone()
                data-progress=move || match progress() {
                    Progress::New => "new",
                    Progress::Draft => "draft",
                    Progress::WrittenBack => "written-back",
                }
                on:click=move |_| selected.set(Some(id.clone()))
            >
                <span class="wb-app-name">{a.student_name.clone()}</span>
                <span class="wb-app-meta">{format!("{} · {}", a.id, a.status)}</span>
                <span class="wb-app-progress">
                    {move || match progress() {
                        Progress::New => "New".to_string(),
                        Progress::Draft => "Draft: not written back yet".to_string(),
                        Progress::WrittenBack => {
                            let words = written.with(|w| written_back_words(w));
                            if has_draft.get() { format!("{words} · draft of the rest") } else { words }
                        }
                    }}
                </span>
            </button>
        </li>
    }
}
