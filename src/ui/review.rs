//! One application under review: demographics, the file preview, submit;
//! then the course writeback (its own submission) and the history.

use std::sync::Arc;

use leptos::prelude::*;

use crate::ui::icons::{svg, Icon};

use super::contacts::ContactsSection;
use super::correction::{unmarked, CorrectionMark};
use super::courses::CoursesSection;
use super::demographics::DemographicsTable;
use super::history::History;
use super::relay::RelayClient;
use super::Session;
use crate::contacts::decide::ContactDecisions;
use crate::demographics::{DemographicsDecisions, Highlight};
use crate::domain::Date;
use crate::flatfile::FileKind;
use crate::plan::{ApplicationReview, Decisions, Review, Section};
use crate::wire::{HistoryEntry, Status, SubmittedFile, WritebackSubmission};

#[component]
pub(crate) fn ApplicationScreen(session: Session, id: String) -> impl IntoView {
    let client = expect_context::<RelayClient>();
    let c = client.clone();
    let app_id = id.clone();
    let prepared = LocalResource::new(move || {
        let (c, id, s) = (c.clone(), app_id.clone(), session.clone());
        async move {
            // One application's slice of the district; the review runs here.
            let data = c.review_data(&id, &[], &[]).await?;
            // The district's phone types, for choosing one where form and PowerSchool differ.
            let phone_types: Vec<(String, String)> = data
                .snapshot
                .code_sets
                .iter()
                .filter(|c| c.code_type.eq_ignore_ascii_case("Phone"))
                .map(|c| (c.code.clone(), c.display_value.clone()))
                .collect();
            let review = data.prepare(&s.reviewer).map_err(|e| e.to_string())?;
            let slice = Slice {
                prepared: RwSignal::new(Arc::new(review)),
                elsewhere: RwSignal::new(data.sections_elsewhere.clone()),
                schools: RwSignal::new(Vec::new()),
                picked: RwSignal::new(Vec::new()),
                loading: RwSignal::new(None),
                reviewer: s.reviewer.clone(),
            };
            Ok::<_, String>((slice, phone_types, s.reviewer.today))
        }
    });
    view! {
        {move || match prepared.get() {
            None => view! { <p class="wb-loading">"Loading the application…"</p> }.into_any(),
            Some(Err(e)) => view! { <p class="wb-error" role="alert">{e}</p> }.into_any(),
            Some(Ok((slice, phone_types, today))) => {
                provide_context(slice.clone());
                let p = slice.prepared.get_untracked();
                view! { <ReviewScreen prepared=p id=id.clone() phone_types today/> }.into_any()
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
    pub schools: RwSignal<Vec<i64>>,
    /// Persons picked from a search: (block, Person.ID).
    pub picked: RwSignal<Vec<(String, i64)>>,
    /// The school being fetched, or the error of the last fetch.
    pub loading: RwSignal<Option<Result<i64, String>>>,
    reviewer: crate::plan::Reviewer,
}

impl Slice {
    /// Whether `course`'s sections at `school` have to be fetched first.
    pub fn missing(&self, course: &str, school: i64) -> bool {
        self.elsewhere.with(|e| crate::courses::SectionsElsewhere::left_out(e, course, school))
    }

    /// Fetches `school`'s sections and prepares the review again.
    pub fn fetch(&self, client: RelayClient, id: String, school: i64) {
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
        person: i64,
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
        schools: Vec<i64>,
        picked: Vec<(String, i64)>,
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
) -> impl IntoView {
    let client = expect_context::<RelayClient>();
    let decisions = RwSignal::new(Decisions::default());
    let slice = expect_context::<Slice>();
    let review: Memo<Review> = Memo::new(move |_| decisions.with(|d| slice.prepared.with(|p| p.decide(d))));
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
    let writes_contacts = Signal::derive(move || review.with(|r| r.files.iter().any(|f| f.kind == FileKind::Contacts)));
    let needs_mark = move || unmarked(history, FileKind::Contacts, writes_contacts.get(), correction.get());
    let course_id = id.clone();
    let contacts_id = id.clone();
    let submit = Action::new_local(move |review: &Review| {
        let (c, id, review) = (client.clone(), id.clone(), review.clone());
        let sent = decisions.with_untracked(|d| (d.demographics.clone(), d.contacts.clone()));
        let submission = WritebackSubmission {
            decisions: decisions.get_untracked(),
            today,
            files: review.files.iter().map(|f| SubmittedFile { kind: f.kind, text: f.text.clone() }).collect(),
            correction: correction.get_untracked(),
        };
        async move {
            match c.submit(&id, &submission).await {
                Ok(entries) => history.update(|h| entries.into_iter().for_each(|e| h.insert(0, e))),
                Err(e) => {
                    submit_error.set(Some(e));
                    return;
                }
            }
            submit_error.set(None);
            submitted.set(Some(sent));
            correction.set(false);
            refresh_history(c, id, history, submit_error, HISTORY_POLLS);
        }
    });
    let header = review.get_untracked();
    let contact_forms: Vec<_> =
        prepared.application().contacts.iter().map(|b| (b.block.clone(), b.fields.clone())).collect();
    view! {
        <article class="wb-review" data-app-id=header.application_id.clone()>
            <header class="wb-review-head">
                <h2>{header.student.name.clone()}</h2>
                <p class="wb-review-meta">
                    {format!(
                        "Application {} · student number {} · {} · {}",
                        header.application_id,
                        header.student.student_number.clone().unwrap_or_else(|| "not assigned".into()),
                        match &header.student.school_name {
                            Some(name) => format!("{name} (school {})", header.student.school_id),
                            None => format!("school {}", header.student.school_id),
                        },
                        if header.student.in_powerschool { "in PowerSchool" } else { "not in PowerSchool" },
                    )}
                </p>
            </header>
            <h3>"Student demographics"</h3>
            <Summary review/>
            <DemographicsTable review decisions/>
            <h3>"Contacts"</h3>
            <ContactsSection id=contacts_id review decisions forms=contact_forms phone_types/>
            <Blockers review/>
            <FilePreview review/>
            <div class="wb-submit">
                <CorrectionMark history kind=FileKind::Contacts writes=writes_contacts marked=correction/>
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
                <button class="wb-reset" on:click=move |_| decisions.set(Decisions::default())>
                    "Reset decisions"
                </button>
                {move || same_as_submitted().then(|| view! { <span class="wb-ok" role="status">"Submitted: see the history below."</span> })}
                {move || submit_error.get().map(|e| view! { <p class="wb-error" role="alert">{e}</p> })}
            </div>
            <CoursesSection prepared review decisions history id=course_id today/>
            <History entries=history/>
        </article>
    }
}

/// Counts of what submitting would do, by highlight, with words.
#[component]
fn Summary(review: Memo<Review>) -> impl IntoView {
    let count = move |h: Highlight| review.with(|r| r.demographics.iter().filter(|row| row.highlight == h).count());
    let written = move || review.with(|r| r.demographics.iter().filter(|row| row.decision.writes()).count());
    view! {
        <p class="wb-summary" aria-live="polite">
            <span class="hl-red wb-status">{svg(Icon::Edit)}{move || format!("{} replaced", count(Highlight::Red))}</span>
            <span class="hl-yellow wb-status">{svg(Icon::Half)}{move || format!("{} on one side only", count(Highlight::Yellow))}</span>
            <span class="hl-green wb-status">{svg(Icon::Check)}{move || format!("{} stay", count(Highlight::Green))}</span>
            <span class="wb-written">{move || format!("{} field(s) will be written", written())}</span>
        </p>
    }
}

/// How many times the history is re-read while a file awaits delivery.
pub(crate) const HISTORY_POLLS: u32 = 20;

/// Loads the history, and again every 1.5 s (at most `polls` times) while an
/// entry is still waiting for delivery, so "accepted" turns into
/// "delivered" or "failed" without a reload.
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

#[component]
fn Blockers(review: Memo<Review>) -> impl IntoView {
    view! {
        {move || {
            let blockers = review.with(|r| r.blockers.clone());
            (!blockers.is_empty()).then(|| view! {
                <section class="wb-blockers" aria-label="What blocks submitting">
                    <h3>"Before you can submit"</h3>
                    <ul>
                        {blockers.into_iter().map(|b| {
                            let target = match (b.section, b.field.clone()) {
                                (Section::Contacts, Some(f)) => format!("#wb-contact-{f}"),
                                (_, Some(f)) => format!("#wb-field-{f}"),
                                (_, None) => String::new(),
                            };
                            view! {
                                <li>
                                    {if target.is_empty() {
                                        view! { <span>{b.message.clone()}</span> }.into_any()
                                    } else {
                                        view! { <a href=target>{b.message.clone()}</a> }.into_any()
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
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
                    files.into_iter().map(|f| view! {
                        <figure>
                            <figcaption>{format!("{} import · {} row(s)", f.kind, f.rows)}</figcaption>
                            <pre class="wb-file" data-kind=f.kind.to_string()>{f.text.clone()}</pre>
                        </figure>
                    }).collect_view().into_any()
                }
            }}
        </section>
    }
}
