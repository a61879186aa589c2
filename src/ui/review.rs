//! One application under review: demographics, the file preview, submit;
//! then the course writeback (its own submission) and the history.

use std::sync::Arc;

use leptos::prelude::*;

use crate::ui::erased::{effect, memo};

use crate::ui::icons::{svg, Icon};

use super::contacts::ContactsSection;
use super::correction::{unmarked, CorrectionMark};
use super::courses::CoursesSection;
use super::demographics::DemographicsTable;
use super::drafts::{DraftStore, Found};
use super::edits::{DraftNote, Edits, Part, Toolbar};
use super::history::History;
use super::host::{HostEvents, Submission};
use super::relay::RelayClient;
use super::Session;
use crate::application::ApplicationStatus;
use crate::contacts::decide::ContactDecisions;
use crate::demographics::{DemographicsDecisions, Highlight};
use crate::domain::{Date, PersonId, SchoolNumber};
use crate::flatfile::{FileKind, FilePreview};
use crate::plan::{ApplicationReview, Blocker, BlockerPlace, Decisions, Review, Section};
use crate::wire::{HistoryEntry, Status, SubmittedFile, WritebackSubmission, WrittenBack};
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;

#[component]
pub(crate) fn ApplicationScreen(session: Session, id: String) -> impl IntoView {
    let client = expect_context::<RelayClient>();
    let c = client.clone();
    let app_id = id.clone();
    let host = super::host::host();
    // The slice's signals belong to this screen (made once the data is
    // here, after the awaits): they go when another application is opened.
    let owner = Owner::current();
    let prepared = super::load({
        let (c, id, s, host, app) = (c, app_id.clone(), session, host, app_id);
        let opened = async move {
            // Staff's draft of this application, if one is kept: the slice
            // is grown again by what the draft picked and fetched.
            let mut found = s.drafts.load(&id);
            let (picked, schools) = match &found {
                Found::Draft(d) => (d.picked.clone(), d.schools.clone()),
                _ => (Vec::new(), Vec::new()),
            };
            // One application's slice of the district; the review runs here.
            let data = match c.review_data(&id, &schools, &picked).await {
                Ok(data) => data,
                Err(e) if matches!(found, Found::Draft(_)) => {
                    found = Found::Refused(crate::drafts::DraftError::Unreadable(format!(
                        "what it picked or fetched could not be loaded again ({e})"
                    )));
                    c.review_data(&id, &[], &[]).await?
                }
                Err(e) => return Err(e),
            };
            let (picked, schools) = match &found {
                Found::Draft(_) => (picked, schools),
                _ => (Vec::new(), Vec::new()),
            };
            // The district's phone types, for choosing one where form and PowerSchool differ.
            let phone_types: Vec<(String, String)> = data
                .snapshot
                .code_sets
                .iter()
                .filter(|c| c.code_type.eq_ignore_ascii_case("Phone"))
                .map(|c| (c.code.clone(), c.display_value.clone()))
                .collect();
            let review = data.prepare(&s.reviewer).map_err(|e| e.to_string())?;
            let make = || Slice {
                prepared: RwSignal::new(Arc::new(review)),
                elsewhere: RwSignal::new(data.sections_elsewhere.clone()),
                schools: RwSignal::new(schools),
                picked: RwSignal::new(picked),
                loading: RwSignal::new(None),
                reviewer: s.reviewer.clone(),
            };
            let slice = match &owner {
                Some(owner) => owner.with(make),
                None => make(),
            };
            Ok::<_, String>((slice, phone_types, s.reviewer.today, found, s.drafts.clone()))
        };
        async move { opened.await.inspect_err(|e| super::tell_host(&host, Some(&app), "opening the application", e)) }
    });
    view! {
        {move || match prepared.get() {
            None => view! { <p class="wb-loading">"Loading the application…"</p> }.into_any(),
            Some(Err(e)) => view! { <p class="wb-error" role="alert">{e}</p> }.into_any(),
            Some(Ok((slice, phone_types, today, found, drafts))) => {
                provide_context(slice.clone());
                let p = slice.prepared.get_untracked();
                view! { <ReviewScreen prepared=p id=id.clone() phone_types today found drafts/> }.into_any()
            }
        }}
    }
}

/// The application's slice of the district as the widget holds it: the
/// prepared review, which grows when staff choose a school whose sections
/// the slice left out, or pick a person from a search (they are fetched
/// and the review prepared again; decisions stay as they are).
#[derive(Clone)]
pub(crate) struct Slice {
    /// The review prepared from the slice.
    pub prepared: RwSignal<Arc<ApplicationReview>>,
    /// Schools offering a requested course whose sections are not here.
    pub elsewhere: RwSignal<Vec<crate::courses::SectionsElsewhere>>,
    /// Schools whose sections were asked for.
    pub schools: RwSignal<Vec<SchoolNumber>>,
    /// Persons picked from a search: (block, Person.ID).
    pub picked: RwSignal<Vec<(String, PersonId)>>,
    /// The school being fetched, or the error of the last fetch.
    pub loading: RwSignal<Option<Result<SchoolNumber, String>>>,
    reviewer: crate::plan::Reviewer,
}

impl Slice {
    /// Whether `course`'s sections at `school` have to be fetched first.
    pub fn missing(&self, course: &str, school: SchoolNumber) -> bool {
        self.elsewhere.with(|e| crate::courses::SectionsElsewhere::left_out(e, course, school))
    }

    /// Fetches `school`'s sections and prepares the review again.
    pub fn fetch(&self, client: RelayClient, id: String, school: SchoolNumber) {
        let mut schools = self.schools.get_untracked();
        schools.push(school);
        self.loading.set(Some(Ok(school)));
        let loading = self.loading;
        self.grow(client, id, schools, self.picked.get_untracked(), move |r| match r {
            Ok(()) => loading.set(None),
            Err(e) => loading.set(Some(Err(e))),
        });
    }

    /// Adds `person`, picked from a search, to `block`'s candidates (the
    /// slice is fetched again with the person's records); then `done`.
    pub fn pick(
        &self,
        client: RelayClient,
        id: String,
        block: String,
        person: PersonId,
        done: impl FnOnce(Result<(), String>) + 'static,
    ) {
        let mut picked = self.picked.get_untracked();
        if !picked.contains(&(block.clone(), person)) {
            picked.push((block, person));
        }
        self.grow(client, id, self.schools.get_untracked(), picked, done);
    }

    fn grow(
        &self,
        client: RelayClient,
        id: String,
        schools: Vec<SchoolNumber>,
        picked: Vec<(String, PersonId)>,
        done: impl FnOnce(Result<(), String>) + 'static,
    ) {
        let this = self.clone();
        leptos::task::spawn_local(async move {
            let result = async {
                let data = client.review_data(&id, &schools, &picked).await?;
                let review = data.prepare(&this.reviewer).map_err(|e| e.to_string())?;
                Ok::<_, String>((data, review))
            }
            .await;
            match result {
                Ok((data, review)) => {
                    this.prepared.set(Arc::new(review));
                    this.elsewhere.set(data.sections_elsewhere);
                    this.schools.set(schools);
                    this.picked.set(picked);
                    done(Ok(()));
                }
                Err(e) => done(Err(e)),
            }
        });
    }
}

#[component]
fn ReviewScreen(
    prepared: Arc<ApplicationReview>,
    id: String,
    phone_types: Vec<(String, String)>,
    today: Date,
    found: Found,
    drafts: DraftStore,
) -> impl IntoView {
    let client = expect_context::<RelayClient>();
    let restored = match &found {
        Found::Draft(d) => d.decisions.clone(),
        _ => Decisions::default(),
    };
    let decisions = RwSignal::new(restored);
    let slice = expect_context::<Slice>();
    let saved_at = match &found {
        Found::Draft(d) => Some(d.saved_at.clone()),
        _ => None,
    };
    let edits = Edits::track(decisions, drafts, id.clone(), slice.clone(), saved_at);
    edits.listen();
    provide_context(edits);
    let review: Memo<Review> = memo(move |_| decisions.with(|d| slice.prepared.with(|p| p.decide(d))));
    let history = RwSignal::new(Vec::<HistoryEntry>::new());
    let submit_error = RwSignal::new(None::<String>);
    // The demographics and contacts decisions last submitted: submitting
    // them again would only write the same files twice, so the button waits
    // for a change (the course writeback is submitted on its own).
    let submitted = RwSignal::new(None::<(DemographicsDecisions, ContactDecisions)>);
    let same_as_submitted = move || {
        submitted.with(|s| {
            s.as_ref().is_some_and(|(dem, con)| decisions.with(|d| &d.demographics == dem && &d.contacts == con))
        })
    };
    refresh_history(client.clone(), id.clone(), history, submit_error, HISTORY_POLLS);
    let correction = RwSignal::new(false);
    let writes = Signal::derive(move || review.with(|r| r.files.iter().map(|f| f.kind).collect::<Vec<FileKind>>()));
    let needs_mark = move || writes.with(|k| unmarked(history, k, correction.get()));
    let course_id = id.clone();
    let contacts_id = id.clone();
    let host = super::host::host();
    tell_host_of_changes(host.clone(), id.clone(), review);
    let state = SubmitState { decisions, correction, history, submit_error, submitted, edits };
    let submit = submit_writeback(client, id, today, host, state);
    let header = review.get_untracked();
    // Focus goes where the work is: the review's title once it opens from
    // the list, the confirmation once it is submitted.
    let (title, done) = (NodeRef::<leptos::html::H2>::new(), NodeRef::<leptos::html::Span>::new());
    effect(move |_| {
        if let Some(t) = title.get() {
            if focus_is_in_widget() {
                let _ = t.focus();
            }
        }
    });
    effect(move |_| {
        if let Some(d) = done.get() {
            let _ = d.focus();
        }
    });
    let contact_forms: Vec<_> = prepared
        .application()
        .contacts
        .iter()
        .map(|b| (b.block.clone(), super::contacts::FormSummary::of(prepared.form_contact(&b.block))))
        .collect();
    let block_names = super::contacts::block_names(&contact_forms);
    view! {
        <article class="wb-review" data-app-id=header.application_id.clone()>
            <header class="wb-review-head">
                <h2 class="wb-review-title" tabindex="-1" node_ref=title>{header.student.name.clone()}</h2>
                <p class="wb-review-meta">{review_meta(&header)}</p>
            </header>
            <StatusBanner status=header.status history/>
            <DraftNote found decisions/>
            <Toolbar edits/>
            <h3>"Student demographics"</h3>
            <Summary review approved=header.status == ApplicationStatus::Approved/>
            <DemographicsTable review decisions/>
            <h3>"Contacts"</h3>
            <ContactsSection id=contacts_id review decisions forms=contact_forms phone_types/>
            <Blockers review names=block_names/>
            <FilePreview review/>
            <div class="wb-submit">
                <CorrectionMark history writes marked=correction/>
                <button
                    class="wb-submit-button"
                    disabled=move || {
                        !review.with(Review::ready) || submit.pending().get() || same_as_submitted() || needs_mark()
                    }
                    on:click=move |_| {
                        submit.dispatch(review.get_untracked());
                    }
                >
                    {move || if submit.pending().get() { "Submitting…" } else { "Submit writeback" }}
                </button>
                <button
                    class="wb-reset"
                    title="Every decision back to its default (Undo brings them back)"
                    on:click=move |_| decisions.set(Decisions::default())
                >
                    "Reset decisions"
                </button>
                {move || same_as_submitted().then(|| view! {
                    <span class="wb-ok" role="status" tabindex="-1" node_ref=done>"Submitted: see the history below."</span>
                })}
                {move || submit_error.get().map(|e| view! { <p class="wb-error" role="alert">{e}</p> })}
            </div>
            <CoursesSection prepared review decisions history id=course_id today/>
            <History entries=history/>
        </article>
    }
}

/// The line under the review's title: the application, the student number,
/// the school and whether the student is in PowerSchool.
fn review_meta(r: &Review) -> String {
    let s = &r.student;
    format!(
        "Application {} · student number {} · {} · {}",
        r.application_id,
        s.student_number.clone().unwrap_or_else(|| "not assigned".into()),
        match &s.school_name {
            Some(name) => format!("{name} (school {})", s.school_id),
            None => format!("school {}", s.school_id),
        },
        if s.in_powerschool { "in PowerSchool" } else { "not in PowerSchool" },
    )
}

/// What submitting the demographics and contacts reads and sets.
#[derive(Clone, Copy)]
struct SubmitState {
    decisions: RwSignal<Decisions>,
    /// Staff marked this writeback a correction of an earlier one.
    correction: RwSignal<bool>,
    history: RwSignal<Vec<HistoryEntry>>,
    submit_error: RwSignal<Option<String>>,
    /// The decisions last submitted (the button waits for a change).
    submitted: RwSignal<Option<(DemographicsDecisions, ContactDecisions)>>,
    edits: Edits,
}

/// Submits the demographics and contacts writeback (the review's exact
/// files); the relay's entries go to the history, the list and the host,
/// and the written part leaves the draft.
fn submit_writeback(
    client: RelayClient,
    id: String,
    today: Date,
    host: Option<super::host::HostEvents>,
    state: SubmitState,
) -> Action<Review, ()> {
    let list = use_context::<super::ListState>();
    let SubmitState { decisions, correction, history, submit_error, submitted, edits } = state;
    Action::new_local(move |review: &Review| {
        let (c, id, review, host) = (client.clone(), id.clone(), review.clone(), host.clone());
        let sent = decisions.with_untracked(|d| (d.demographics.clone(), d.contacts.clone()));
        let submission = WritebackSubmission {
            decisions: decisions.get_untracked(),
            today,
            files: review.files.iter().map(|f| SubmittedFile { kind: f.kind, text: f.text.clone() }).collect(),
            correction: correction.get_untracked(),
        };
        async move {
            match c.submit(&id, &submission).await {
                Ok(entries) => {
                    if let Some(list) = list {
                        list.record(&entries);
                    }
                    if let Some(h) = &host {
                        h.submitted(&id, Submission::DemographicsAndContacts, &entries);
                    }
                    history.update(|h| entries.into_iter().for_each(|e| h.insert(0, e)))
                }
                Err(e) => {
                    super::tell_host(&host, Some(&id), "submitting the writeback", &e);
                    submit_error.set(Some(e));
                    return;
                }
            }
            submit_error.set(None);
            submitted.set(Some(sent));
            edits.written(Part::DemographicsAndContacts);
            correction.set(false);
            refresh_history(c, id, history, submit_error, HISTORY_POLLS);
        }
    })
}

/// Where the application stands, at the top: not approved (nothing can be
/// written back), or what was written back already (submitting again is
/// a correction).
#[component]
fn StatusBanner(status: ApplicationStatus, history: RwSignal<Vec<HistoryEntry>>) -> impl IntoView {
    let written = move || {
        let newest: Vec<WrittenBack> = history.with(|h| {
            FileKind::ALL.iter().filter_map(|k| h.iter().find(|e| e.kind == *k)).map(WrittenBack::of).collect()
        });
        (!newest.is_empty()).then(|| {
            let parts = newest
                .iter()
                .map(|w| format!("{} by {} at {}", w.part(), w.by, super::history::local_time(&w.at)))
                .collect::<Vec<_>>()
                .join("; ");
            view! {
                <p class="wb-banner wb-written-back" role="note">
                    {svg(Icon::Check)}
                    <strong>" Written back: "</strong>
                    {format!("{parts}. Submitting again writes a correction: see the history below.")}
                </p>
            }
        })
    };
    view! {
        {(status != ApplicationStatus::Approved).then(|| view! {
            <p class="wb-banner wb-not-approved" role="note">
                {svg(Icon::Stop)}
                <strong>{format!(" This application is {}, not approved.", status.as_str())}</strong>
                " You can look it over, but nothing can be written back until the district approves it."
            </p>
        })}
        {written}
    }
}

/// Counts of what submitting would do, by highlight, with words.
#[component]
fn Summary(review: Memo<Review>, approved: bool) -> impl IntoView {
    let count = move |h: Highlight| review.with(|r| r.demographics.iter().filter(|row| row.highlight == h).count());
    let written = move || review.with(|r| r.demographics.iter().filter(|row| row.decision.writes()).count());
    view! {
        <p class="wb-summary" aria-live="polite">
            <span class="hl-red wb-status">{svg(Icon::Edit)}{move || format!("{} replaced", count(Highlight::Red))}</span>
            <span class="hl-yellow wb-status">{svg(Icon::Half)}{move || format!("{} on one side only", count(Highlight::Yellow))}</span>
            <span class="hl-green wb-status">{svg(Icon::Check)}{move || format!("{} stay", count(Highlight::Green))}</span>
            <span class="wb-written">
                {move || if approved {
                    format!("{} field(s) will be written", written())
                } else {
                    format!("{} field(s) would be written once the application is approved", written())
                }}
            </span>
        </p>
    }
}

/// How many times the history is re-read while a file awaits delivery.
pub(crate) const HISTORY_POLLS: u32 = 20;

/// Loads the history, and again every 1.5 s (at most `polls` times) while an
/// entry is still waiting for delivery, so "accepted" turns into
/// "delivered" or "failed" without a reload.
/// A `changed` event for the host at each change of the review (not when
/// it opens).
fn tell_host_of_changes(host: Option<HostEvents>, application: String, review: Memo<Review>) {
    let Some(host) = host else { return };
    effect(move |ran: Option<()>| {
        review.track();
        if ran.is_some() {
            review.with_untracked(|r| host.changed(&application, r));
        }
    });
}

pub(crate) fn refresh_history(
    c: RelayClient,
    id: String,
    history: RwSignal<Vec<HistoryEntry>>,
    error: RwSignal<Option<String>>,
    polls: u32,
) {
    leptos::task::spawn_local(async move {
        match c.history(&id).await {
            Ok(h) => {
                let waiting = h.iter().any(|e| e.status == Status::Accepted);
                history.set(h);
                if waiting && polls > 0 {
                    set_timeout(
                        move || refresh_history(c, id, history, error, polls - 1),
                        std::time::Duration::from_millis(1500),
                    );
                }
            }
            Err(e) => error.set(Some(e)),
        }
    });
}

/// Whether the keyboard focus is in the widget (so moving it does not
/// take it from the host page).
fn focus_is_in_widget() -> bool {
    document().active_element().is_some_and(|e| e.closest(".wb").ok().flatten().is_some())
}

/// Where a blocker sends staff: the element's id and what it is, in words.
fn blocker_place(review: &Review, names: &BTreeMap<String, String>, b: &Blocker) -> (Option<String>, String) {
    let Some(place) = &b.field else {
        let what = match b.section {
            Section::Contacts => "Contacts",
            Section::Demographics => "Demographics",
            _ => "The application",
        };
        return (None, what.into());
    };
    let id = |kind: &str| Some(format!("wb-{kind}-{place}"));
    match place {
        BlockerPlace::Person(p) => {
            let what = match review.other_contacts.iter().find(|e| e.person == *p) {
                Some(e) => format!("Contact {} (PowerSchool contact {p})", e.name),
                None => format!("PowerSchool contact {p}"),
            };
            (id("contact"), what)
        }
        BlockerPlace::Block(block) => {
            (id("contact"), format!("Contact {}", names.get(block).cloned().unwrap_or_else(|| block.clone())))
        }
        BlockerPlace::Field(f) => {
            let label = review.demographics.iter().find(|r| &r.field.form_field == f).map(|r| r.field.label.clone());
            (id("field"), format!("Demographics: {}", label.unwrap_or_else(|| f.clone())))
        }
        // The course writeback lists its own blockers beside its table.
        BlockerPlace::Course(number) => (None, format!("Course {number}")),
    }
}

/// Scrolls to the element `id` and puts the focus on its first control
/// (or on it), so the keyboard is where the work is.
pub(crate) fn go_to(id: &str) {
    let Some(el) = document().get_element_by_id(id) else { return };
    el.scroll_into_view();
    let control = el
        .query_selector("select, input, button, [tabindex]")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok())
        .or_else(|| el.clone().dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(c) = control {
        let _ = c.focus();
    }
}

/// Every item that blocks submitting, each named and one click from its place.
#[component]
fn Blockers(review: Memo<Review>, names: BTreeMap<String, String>) -> impl IntoView {
    view! {
        {move || {
            let items: Vec<(Option<String>, String, String)> = review.with(|r| {
                r.blockers.iter().map(|b| {
                    let (target, what) = blocker_place(r, &names, b);
                    (target, what, b.message.clone())
                }).collect()
            });
            (!items.is_empty()).then(|| view! {
                <section class="wb-blockers" aria-label="What blocks submitting">
                    <h3>{format!("Before you can submit: {} thing(s) to do", items.len())}</h3>
                    <ol class="wb-checklist">
                        {items.into_iter().map(|(target, what, message)| view! {
                            <li class="wb-blocker">
                                {svg(Icon::Stop)}
                                {match target {
                                    Some(id) => {
                                        let href = format!("#{id}");
                                        view! {
                                            <a href=href on:click=move |ev| {
                                                ev.prevent_default();
                                                go_to(&id);
                                            }>{what}</a>
                                        }.into_any()
                                    }
                                    None => view! { <strong>{what}</strong> }.into_any(),
                                }}
                                {format!(": {message}")}
                            </li>
                        }).collect_view()}
                    </ol>
                </section>
            })
        }}
    }
}

#[component]
fn FilePreview(review: Memo<Review>) -> impl IntoView {
    view! {
        <section class="wb-preview" aria-label="Files that will be written">
            <h3>"What will be written"</h3>
            {move || {
                let files = review.with(|r| r.files.clone());
                if files.is_empty() {
                    view! { <p class="wb-nothing">"No file: nothing is decided Edit or Add, or something blocks submitting."</p> }.into_any()
                } else {
                    files.into_iter().map(|f| view! { <PreviewOfFile file=f/> }).collect_view().into_any()
                }
            }}
        </section>
    }
}

/// One file: a table of the columns it fills, markers in words; the exact
/// file (`<pre class={raw_class}>`) one click away.
#[component]
pub(crate) fn PreviewOfFile(
    file: crate::plan::PlannedFile,
    #[prop(default = "import")] what: &'static str,
    #[prop(default = "wb-file")] raw_class: &'static str,
) -> impl IntoView {
    let table = FilePreview::of(file.kind, &file.text);
    let caption = format!("{} {what} · {} row(s)", file.kind, file.rows);
    let empty = (table.empty_columns > 0)
        .then(|| format!("{} column(s) of the file are empty on every row and not shown.", table.empty_columns));
    view! {
        <figure class="wb-file-preview" data-kind=file.kind.to_string()>
            <figcaption>{caption}</figcaption>
            <div class="wb-file-table-wrap" tabindex="0" role="region" aria-label=format!("{} file as a table", file.kind)>
                <table class="wb-file-table">
                    <thead>
                        <tr>{table.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}</tr>
                    </thead>
                    <tbody>
                        {table.rows.into_iter().map(|row| view! {
                            <tr>
                                {row.into_iter().map(|cell| match cell.meaning {
                                    Some(m) => view! {
                                        <td class="wb-marker"><code>{cell.value}</code><span class="wb-marker-words">{m}</span></td>
                                    }.into_any(),
                                    None => view! { <td>{cell.value}</td> }.into_any(),
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {empty.map(|e| view! { <p class="wb-note">{e}</p> })}
            <details class="wb-raw">
                <summary>"Show the exact file"</summary>
                <pre class=raw_class data-kind=file.kind.to_string()>{file.text}</pre>
            </details>
        </figure>
    }
}
