//! The course writeback: the prerequisites, one row per requested course
//! (section, approval, Select), the section picker, what blocks or warns,
//! the schedules file, and its own submission.
//!
//! Every rule is the core's: the rows, blockers, warnings and file come
//! from `review.courses`, the picker's lists from
//! [`crate::courses::CoursesReview::picker`]; clicks only change
//! `decisions.courses`.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::html;
use leptos::prelude::*;

use crate::ui::erased::{effect, memo};

use crate::ui::icons::{svg, Icon};
use wasm_bindgen::JsCast;

use super::correction::{unmarked, CorrectionMark};
use super::edits::{Edits, Part};
use super::relay::RelayClient;
use super::review::{refresh_history, PreviewOfFile, HISTORY_POLLS};
use crate::courses::{
    Approval, CourseDecisions, CourseRequest, CourseRow, PrerequisiteCheck, ScheduledCourse, SectionOption,
};
use crate::domain::{Date, SchoolNumber, SectionId, TermId};
use crate::flatfile::FileKind;
use crate::plan::{ApplicationReview, BlockerPlace, Decisions, Review};
use crate::wire::{CourseWritebackSubmission, HistoryEntry};

fn approval_icon(a: Approval) -> Icon {
    match a {
        Approval::Pending => Icon::Ellipsis,
        Approval::Approved => Icon::Check,
        Approval::Denied => Icon::Cross,
    }
}

/// `12 seats left`, or `Full: 0 seats left` (a full section is marked in words).
fn seats(s: &SectionOption) -> String {
    let n = s.seats_left;
    let word = if n == 1 { "seat" } else { "seats" };
    if s.full {
        format!("Full: {n} {word} left")
    } else {
        format!("{n} {word} left")
    }
}

/// Moves the keyboard focus to the element with `id`, if it is there.
fn focus_id(id: &str) {
    let el = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    if let Some(el) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// The "Courses" section of the review.
#[component]
pub(crate) fn CoursesSection(
    prepared: Arc<ApplicationReview>,
    review: Memo<Review>,
    decisions: RwSignal<Decisions>,
    history: RwSignal<Vec<HistoryEntry>>,
    id: String,
    today: Date,
) -> impl IntoView {
    let courses = prepared.courses();
    let body = if courses.available() {
        view! { <CourseWriteback prepared=prepared.clone() review decisions history id today/> }.into_any()
    } else {
        view! { <Prerequisites checks=courses.prerequisites().to_vec()/> }.into_any()
    };
    view! {
        <section class="wb-courses" aria-labelledby="wb-courses-title">
            <h3 id="wb-courses-title">"Courses"</h3>
            {body}
        </section>
    }
}

/// The prerequisites, met or not, each unmet one with its reason.
#[component]
fn Prerequisites(checks: Vec<PrerequisiteCheck>) -> impl IntoView {
    view! {
        <div class="wb-prerequisites">
            <p>"Course writeback is available once every prerequisite is met:"</p>
            <ul class="wb-checklist">
                {checks
                    .into_iter()
                    .map(|c| {
                        let met = c.unmet.is_none();
                        view! {
                            <li class=if met { "wb-prereq met" } else { "wb-prereq unmet" }>
                                <span class="wb-icon" aria-hidden="true">{svg(if met { Icon::Check } else { Icon::Cross })}</span>
                                <span class="wb-prereq-state">{if met { "Met: " } else { "Not met: " }}</span>
                                <span class="wb-prereq-label">{c.label}</span>
                                {c.unmet.map(|why| view! { <span class="wb-note wb-prereq-reason">{why}</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

/// The table, picker, problems, file and submit button.
#[component]
fn CourseWriteback(
    prepared: Arc<ApplicationReview>,
    review: Memo<Review>,
    decisions: RwSignal<Decisions>,
    history: RwSignal<Vec<HistoryEntry>>,
    id: String,
    today: Date,
) -> impl IntoView {
    let client = expect_context::<RelayClient>();
    let requests = StoredValue::new(prepared.courses().requests().to_vec());
    // The course whose section picker is open.
    let picking = RwSignal::new(None::<usize>);
    let submit_error = RwSignal::new(None::<String>);
    // The course decisions last submitted: the button waits for a change.
    let submitted = RwSignal::new(None::<CourseDecisions>);
    let same_as_submitted = move || submitted.with(|s| s.as_ref().is_some_and(|s| decisions.with(|d| &d.courses == s)));
    let correction = RwSignal::new(false);
    let writes_file =
        Signal::derive(move || review.with(|r| r.courses.file.iter().map(|_| FileKind::Schedules).collect::<Vec<_>>()));
    let needs_mark = move || writes_file.with(|k| unmarked(history, k, correction.get()));
    let edits = expect_context::<Edits>();
    let list = use_context::<super::ListState>();
    let host = super::host::host();
    let submit = Action::new_local(move |review: &Review| {
        let (c, id, host) = (client.clone(), id.clone(), host.clone());
        let submission = CourseWritebackSubmission {
            decisions: decisions.get_untracked(),
            today,
            file: review.courses.file.as_ref().map(|f| f.text.clone()),
            correction: correction.get_untracked(),
        };
        let sent = decisions.with_untracked(|d| d.courses.clone());
        async move {
            match c.submit_courses(&id, &submission).await {
                Ok(entry) => {
                    if let Some(list) = list {
                        list.record(std::slice::from_ref(&entry));
                    }
                    if let Some(h) = &host {
                        h.submitted(&id, super::host::Submission::Courses, std::slice::from_ref(&entry));
                    }
                    history.update(|h| h.insert(0, entry));
                    submit_error.set(None);
                    submitted.set(Some(sent));
                    edits.written(Part::Courses);
                    correction.set(false);
                    refresh_history(c, id, history, submit_error, HISTORY_POLLS);
                }
                Err(e) => {
                    super::tell_host(&host, Some(&id), "submitting the course writeback", &e);
                    submit_error.set(Some(e));
                }
            }
        }
    });
    let summary = move || review.with(|r| r.courses.outcome.summary());
    let schedule = prepared.courses().current_schedule();
    view! {
        <div class="wb-courses-layout">
        <table class="wb-courses-table">
            <thead>
                <tr>
                    <th scope="col">"Course"</th>
                    <th scope="col">"Section"</th>
                    <th scope="col">"Approval"</th>
                    <th scope="col">"Choose a section"</th>
                </tr>
            </thead>
            <tbody>
                {requests
                    .get_value()
                    .into_iter()
                    .enumerate()
                    .map(|(index, request)| view! { <CourseLine review decisions picking index request/> })
                    .collect_view()}
            </tbody>
        </table>
        <CurrentSchedule schedule/>
        </div>
        {move || {
            picking
                .get()
                .map(|index| {
                    let request = requests.with_value(|r| r[index].clone());
                    view! { <Picker prepared=prepared.clone() review decisions picking index request/> }
                })
        }}
        <CourseProblems review requests/>
        <SchedulePreview review/>
        <div class="wb-submit">
            <CorrectionMark history writes=writes_file marked=correction/>
            <button
                class="wb-submit-button wb-course-submit"
                disabled=move || {
                    !review.with(|r| r.courses.ready()) || submit.pending().get() || same_as_submitted() || needs_mark()
                }
                on:click=move |_| {
                    submit.dispatch(review.get_untracked());
                }
            >
                {move || if submit.pending().get() { "Submitting…" } else { "Submit course writeback" }}
            </button>
            {move || summary().map(|s| view! { <span class="wb-course-summary">{s}</span> })}
            {move || {
                same_as_submitted()
                    .then(|| view! { <span class="wb-ok" role="status">"Submitted: see the history below."</span> })
            }}
            {move || submit_error.get().map(|e| view! { <p class="wb-error wb-course-error" role="alert">{e}</p> })}
        </div>
    }
}

/// The student's current schedule in PowerSchool, beside the requested
/// courses: what the period conflicts and "already enrolled" are about.
#[component]
fn CurrentSchedule(schedule: Vec<ScheduledCourse>) -> impl IntoView {
    let body = if schedule.is_empty() {
        view! { <p class="wb-nothing">"The student has no active course enrollment in PowerSchool."</p> }.into_any()
    } else {
        view! {
            <table class="wb-schedule-table">
                <thead>
                    <tr>
                        <th scope="col">"Course"</th>
                        <th scope="col">"Period"</th>
                        <th scope="col">"Term"</th>
                    </tr>
                </thead>
                <tbody>
                    {schedule.into_iter().map(|c| view! { <ScheduleLine course=c/> }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="wb-current-schedule" aria-labelledby="wb-schedule-title">
            <h4 id="wb-schedule-title">"Current schedule in PowerSchool"</h4>
            {body}
        </section>
    }
}

/// One enrolment of the current schedule.
#[component]
fn ScheduleLine(course: ScheduledCourse) -> impl IntoView {
    let period = if course.expression.is_empty() { "unknown".to_string() } else { course.expression.clone() };
    let mut section = format!("Section {}", course.section_number);
    if !course.teacher.is_empty() {
        section.push_str(&format!(" · {}", course.teacher));
    }
    let days = format!("{}-{}", course.first_day.to_us(), course.last_day.to_us());
    view! {
        <tr class="wb-schedule-row" class:requested=course.requested data-course=course.course_number.clone()>
            <th scope="row">
                <span class="wb-course-number">{course.course_number.clone()}</span>
                " "
                <span class="wb-course-name">{course.course_name.clone().unwrap_or_default()}</span>
                <span class="wb-schedule-detail">{section}</span>
                <span class="wb-schedule-detail">{course.school_name.clone()}</span>
                {course.requested.then(|| view! {
                    <span class="wb-schedule-requested">{svg(Icon::Warning)}" Requested again"</span>
                })}
            </th>
            <td>{period}</td>
            <td>{course.term_name.clone()}<span class="wb-schedule-detail">{days}</span></td>
        </tr>
    }
}

/// What approving a pending course would run into, said before approving.
#[component]
fn IfApproved(row: Memo<Option<CourseRow>>) -> impl IntoView {
    move || {
        let notes = row.with(|r| r.as_ref().map(|r| r.if_approved.clone()).unwrap_or_default());
        (!notes.is_empty()).then(|| {
            view! {
                <div class="wb-if-approved" role="note">
                    <span class="wb-if-approved-title">{svg(Icon::Warning)}" If approved now:"</span>
                    <ul>{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                </div>
            }
        })
    }
}

/// The chosen section in words: number, teacher, period, room, term.
#[component]
fn SectionSummary(section: SectionOption, row: CourseRow) -> impl IntoView {
    view! {
        <span class="wb-section-number">{format!("Section {}", section.section_number)}</span>
        <span class="wb-section-teacher">{section.teacher.clone()}</span>
        <span class="wb-section-period">{format!("Period {}", section.expression)}</span>
        <span class="wb-section-room">{format!("Room {}", section.room)}</span>
        <span class="wb-section-term">{format!("{} ({})", section.term.name, section.term.abbreviation)}</span>
        {row.entry_date.map(|d| view! { <span class="wb-section-entry">{format!("Enters {}", d.to_us())}</span> })}
        {section.full.then(|| {
            let confirmed = if row.confirm_full { "Full section: confirmed" } else { "Full section: not confirmed" };
            view! { <span class="wb-full">{svg(Icon::Warning)}{confirmed}</span> }
        })}
    }
}

/// One requested course: its section, approval and Select button.
#[component]
fn CourseLine(
    review: Memo<Review>,
    decisions: RwSignal<Decisions>,
    picking: RwSignal<Option<usize>>,
    index: usize,
    request: CourseRequest,
) -> impl IntoView {
    let row = memo(move |_| review.with(|r| r.courses.outcome.rows.get(index).cloned()));
    let approval = move || row.with(|r| r.as_ref().map(|r| r.approval).unwrap_or_default());
    let course = request.course_number.clone();
    let number = if course.is_empty() { "(no number)".to_string() } else { course.clone() };
    let approval_id = format!("wb-approval-{index}");
    let course_for_change = course.clone();
    let course_for_block = course.clone();
    // A row something blocks looks blocked, whatever its approval.
    let blocked = memo(move |_| {
        review.with(|r| r.courses.outcome.blockers.iter().any(|b| b.course.as_deref() == Some(&course_for_block)))
    });
    view! {
        <tr
            id=format!("wb-course-{index}")
            class=move || format!("wb-course-row ap-{}", approval().as_str())
            class:blocked=blocked
            class:would-block=move || row.with(|r| r.as_ref().is_some_and(|r| !r.if_approved.is_empty()))
            data-course=course.clone()
        >
            <th scope="row">
                <span class="wb-course-number">{number.clone()}</span>
                " "
                <span class="wb-course-name">{request.course_name.clone()}</span>
                {request.problem.clone().map(|p| view! { <span class="wb-problem" role="note">{p}</span> })}
                <IfApproved row/>
            </th>
            <td class="wb-course-section">
                {move || match row.get().and_then(|r| r.section.clone().map(|s| (s, r))) {
                    Some((section, row)) => view! { <SectionSummary section row/> }.into_any(),
                    None => view! { <span class="wb-none">"none"</span> }.into_any(),
                }}
            </td>
            <td class="wb-course-approval">
                <label class="wb-sr" for=approval_id.clone()>{format!("Approval of {number}")}</label>
                // Blocked, the approval's check mark would say the opposite of the tag.
                <span class="wb-icon" aria-hidden="true">{move || (!blocked.get()).then(|| svg(approval_icon(approval())))}</span>
                {move || blocked.get().then(|| view! {
                    <span class="wb-blocked-tag">{svg(Icon::Stop)}" Blocked: see below "</span>
                })}
                <select
                    id=approval_id.clone()
                    prop:value=move || approval().as_str()
                    on:change=move |ev| {
                        if let Ok(a) = event_target_value(&ev).parse::<Approval>() {
                            let c = course_for_change.clone();
                            decisions.update(|d| d.courses.entry(c).or_default().approval = a);
                        }
                    }
                >
                    {Approval::ALL
                        .iter()
                        .copied()
                        .map(|a| view! { <option value=a.as_str()>{a.label()}</option> })
                        .collect_view()}
                </select>
            </td>
            <td>
                <button
                    id=format!("wb-course-select-{index}")
                    class="wb-course-select"
                    aria-label=format!("Select a section of {number}")
                    aria-expanded=move || if picking.get() == Some(index) { "true" } else { "false" }
                    aria-controls="wb-picker"
                    on:click=move |_| picking.set(Some(index))
                >
                    "Select"
                </button>
            </td>
        </tr>
    }
}

/// The section picker for one course: school, entry date, term, and the
/// sections running on that date; Select writes the choice into the
/// course's decision.
#[component]
fn Picker(
    prepared: Arc<ApplicationReview>,
    review: Memo<Review>,
    decisions: RwSignal<Decisions>,
    picking: RwSignal<Option<usize>>,
    index: usize,
    request: CourseRequest,
) -> impl IntoView {
    let course = request.course_number.clone();
    let decision = decisions.with_untracked(|d| d.courses.get(&course).cloned().unwrap_or_default());
    let current = review.with_untracked(|r| r.courses.outcome.rows.get(index).and_then(|r| r.section.clone()));
    // Opens on the chosen section's school and term; the core fills in the rest.
    let choice = PickerChoice {
        school: RwSignal::new(current.as_ref().map(|s| s.school_id)),
        term: RwSignal::new(current.as_ref().map(|s| s.term.term_id)),
        entry: RwSignal::new(decision.entry_date),
        chosen: RwSignal::new(decision.section_id),
        confirm: RwSignal::new(decision.confirm_full),
    };
    let PickerChoice { school, term, entry, chosen, confirm } = choice;
    let c = course.clone();
    let slice = expect_context::<super::review::Slice>();
    let _ = &prepared;
    let picker = memo(move |_| slice.prepared.with(|p| p.courses().picker(&c, school.get(), term.get(), entry.get())));
    // What each listed section would conflict with, beside the other courses as decided.
    let c = course.clone();
    let conflicts = memo(move |_| {
        picker.with(|p| {
            decisions.with(|d| {
                slice.prepared.with(|prepared| {
                    let courses = prepared.courses();
                    let of = |id| courses.conflicts_if_chosen(&d.courses, &c, id, p.entry_date);
                    crate::sort::map(p.sections.iter().map(|s| (s.section_id, of(s.section_id))))
                })
            })
        })
    });
    let chosen_option = Signal::derive(move || {
        picker.with(|p| chosen.get().and_then(|id| p.sections.iter().find(|s| s.section_id == id).cloned()))
    });
    let close = move || {
        picking.set(None);
        focus_id(&format!("wb-course-select-{index}"));
    };
    let heading: NodeRef<html::H4> = NodeRef::new();
    effect(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let select = {
        let course = course.clone();
        move |_| {
            let Some(section) = chosen_option.get_untracked() else {
                return;
            };
            let entry_date = picker.with_untracked(|p| p.entry_date);
            let confirm_full = section.full && confirm.get_untracked();
            let c = course.clone();
            decisions.update(|d| {
                let e = d.courses.entry(c).or_default();
                e.section_id = Some(section.section_id);
                e.entry_date = entry_date;
                e.confirm_full = confirm_full;
            });
            close();
        }
    };
    let number = if course.is_empty() { "(no number)".to_string() } else { course.clone() };
    view! {
        <div
            id="wb-picker"
            class="wb-picker"
            role="group"
            aria-labelledby="wb-picker-title"
            data-course=course.clone()
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    close();
                }
            }
        >
            <h4 id="wb-picker-title" tabindex="-1" node_ref=heading>
                {format!("Choose a section of {number} {}", request.course_name)}
            </h4>
            <PickerFields picker choice course=course.clone()/>
            {move || {
                picker.with(|p| p.message.clone()).map(|m| view! { <p class="wb-picker-message" role="status">{m}</p> })
            }}
            <SectionList picker conflicts chosen confirm/>
            <ConfirmFull chosen_option confirm/>
            <div class="wb-picker-actions">
                <button class="wb-picker-select" disabled=move || chosen_option.with(Option::is_none) on:click=select>
                    "Select"
                </button>
                <button class="wb-picker-cancel" on:click=move |_| close()>
                    "Cancel"
                </button>
            </div>
        </div>
    }
}

/// What the picker's fields hold; each change asks the core for the list
/// again.
#[derive(Clone, Copy)]
struct PickerChoice {
    school: RwSignal<Option<SchoolNumber>>,
    term: RwSignal<Option<TermId>>,
    entry: RwSignal<Option<Date>>,
    /// The section whose radio button is on.
    chosen: RwSignal<Option<SectionId>>,
    /// Enrolling in a full section confirmed.
    confirm: RwSignal<bool>,
}

/// The picker's school, entry date and term. A school whose sections the
/// slice left out is fetched from the relay when chosen.
#[component]
fn PickerFields(picker: Memo<crate::courses::SectionPicker>, choice: PickerChoice, course: String) -> impl IntoView {
    let PickerChoice { school, term, entry, chosen, .. } = choice;
    let slice = expect_context::<super::review::Slice>();
    let client = expect_context::<RelayClient>();
    let app_id = slice.prepared.with_untracked(|p| p.application().id.to_string());
    let loading = slice.loading;
    view! {
        <div class="wb-picker-fields">
            <label>
                "School "
                <select
                    id="wb-picker-school"
                    prop:value=move || picker.with(|p| p.school_id.to_string())
                    on:change=move |ev| {
                        if let Ok(id) = event_target_value(&ev).parse::<SchoolNumber>() {
                            if slice.missing(&course, id) {
                                slice.fetch(client.clone(), app_id.clone(), id);
                            }
                            school.set(Some(id));
                            term.set(None);
                            entry.set(None);
                            chosen.set(None);
                        }
                    }
                >
                    {move || picker.with(|p| p.schools.clone()).into_iter().map(school_option).collect_view()}
                </select>
            </label>
            {move || {
                loading.get().map(|l| match l {
                    Ok(_) => view! { <p class="wb-loading" role="status">"Loading that school's sections…"</p> }.into_any(),
                    Err(e) => view! { <p class="wb-error" role="alert">{e}</p> }.into_any(),
                })
            }}
            <label>
                "Entry date "
                <input
                    id="wb-picker-date"
                    type="date"
                    prop:value=move || picker.with(|p| p.entry_date.map(|d| d.to_string()).unwrap_or_default())
                    on:change=move |ev| {
                        let raw = event_target_value(&ev);
                        entry.set(if raw.trim().is_empty() { None } else { Date::parse(&raw).ok() });
                    }
                />
            </label>
            <label>
                "Term "
                <select
                    id="wb-picker-term"
                    prop:value=move || picker.with(|p| p.term_id.map(|t| t.to_string()).unwrap_or_default())
                    on:change=move |ev| {
                        if let Ok(id) = event_target_value(&ev).parse::<TermId>() {
                            term.set(Some(id));
                            entry.set(None);
                        }
                    }
                >
                    {move || picker.with(|p| p.terms.clone()).into_iter().map(term_option).collect_view()}
                </select>
            </label>
        </div>
    }
}

/// A school in the picker, with how many sections it has.
fn school_option(s: crate::courses::SchoolChoice) -> impl IntoView {
    let label = match s.sections {
        0 => format!("{} (no section)", s.name),
        1 => format!("{} (1 section)", s.name),
        n => format!("{} ({n} sections)", s.name),
    };
    view! { <option value=s.school_id.to_string()>{label}</option> }
}

/// A term in the picker, with its dates.
fn term_option(t: crate::courses::TermChoice) -> impl IntoView {
    let label = format!("{} ({}) {}-{}", t.name, t.abbreviation, t.first_day.to_us(), t.last_day.to_us());
    view! { <option value=t.term_id.to_string()>{label}</option> }
}

/// The confirmation a full section needs before it can be chosen.
#[component]
fn ConfirmFull(chosen_option: Signal<Option<SectionOption>>, confirm: RwSignal<bool>) -> impl IntoView {
    move || {
        chosen_option.get().filter(|s| s.full).map(|s| {
            view! {
                <label class="wb-confirm-full">
                    <input
                        id="wb-confirm-full"
                        type="checkbox"
                        prop:checked=move || confirm.get()
                        on:change=move |ev| confirm.set(event_target_checked(&ev))
                    />
                    {format!(
                        " Confirm enrolling in a full section (section {} has {} of {} seats taken)",
                        s.section_number,
                        s.enrolled,
                        s.max_enrollment,
                    )}
                </label>
            }
        })
    }
}

/// The sections the picker lists, one radio button each.
#[component]
fn SectionList(
    picker: Memo<crate::courses::SectionPicker>,
    conflicts: Memo<BTreeMap<SectionId, Vec<String>>>,
    chosen: RwSignal<Option<SectionId>>,
    confirm: RwSignal<bool>,
) -> impl IntoView {
    move || {
        let p = picker.get();
        if p.sections.is_empty() {
            return view! { <p class="wb-nothing">"No section to choose from."</p> }.into_any();
        }
        // What every listed section would run into is said once, above them.
        let common: Vec<String> = conflicts.with(|c| {
            let mut lists = p.sections.iter().map(|s| c.get(&s.section_id).cloned().unwrap_or_default());
            let first = if p.sections.len() > 1 { lists.next().unwrap_or_default() } else { Vec::new() };
            lists.fold(first, |acc, list| acc.into_iter().filter(|m| list.contains(m)).collect())
        });
        let shared = common.clone();
        let caption = format!(
            "Sections of {} running on {}",
            p.course_number,
            p.entry_date.map(|d| d.to_us()).unwrap_or_else(|| "the entry date".into())
        );
        view! {
            {(!shared.is_empty()).then(|| view! {
                <div class="wb-if-approved wb-picker-common" role="note">
                    <span class="wb-if-approved-title">{svg(Icon::Warning)}" Whichever section you choose:"</span>
                    <ul>{shared.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                </div>
            })}
            <table class="wb-sections">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Section"</th>
                        <th scope="col">"Teacher"</th>
                        <th scope="col">"Period"</th>
                        <th scope="col">"Room"</th>
                        <th scope="col">"Term"</th>
                        <th scope="col">"Seats"</th>
                        <th scope="col">"Conflicts"</th>
                    </tr>
                </thead>
                <tbody>
                    {p
                        .sections
                        .into_iter()
                        .map(|s| {
                            let id = s.section_id;
                            let input_id = format!("wb-section-{id}");
                            let common = common.clone();
                            view! {
                                <tr
                                    class="wb-section-option"
                                    class:wb-section-full=s.full
                                    class:chosen=move || chosen.get() == Some(id)
                                    data-section-id=id.to_string()
                                >
                                    <th scope="row">
                                        <input
                                            type="radio"
                                            name="wb-section-choice"
                                            id=input_id.clone()
                                            value=id.to_string()
                                            prop:checked=move || chosen.get() == Some(id)
                                            on:change=move |_| {
                                                chosen.set(Some(id));
                                                confirm.set(false);
                                            }
                                        />
                                        <label for=input_id>{format!(" Section {}", s.section_number)}</label>
                                    </th>
                                    <td>{s.teacher.clone()}</td>
                                    <td>{s.expression.clone()}</td>
                                    <td>{s.room.clone()}</td>
                                    <td>{format!("{} ({})", s.term.name, s.term.abbreviation)}</td>
                                    <td class="wb-seats">
                                        {s.full.then(|| view! { <span class="wb-icon" aria-hidden="true">{svg(Icon::Warning)}</span> })}
                                        {seats(&s)}
                                    </td>
                                    <td class="wb-section-conflicts">
                                        {move || {
                                            let mut found = conflicts.with(|c| c.get(&id).cloned().unwrap_or_default());
                                            found.retain(|m| !common.contains(m));
                                            if found.is_empty() {
                                                view! { <span class="wb-none">"none"</span> }.into_any()
                                            } else {
                                                view! {
                                                    <ul class="wb-conflicts">
                                                        {found.into_iter().map(|m| view! { <li>{svg(Icon::Warning)}{m}</li> }).collect_view()}
                                                    </ul>
                                                }
                                                .into_any()
                                            }
                                        }}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    }
}

/// The course a course blocker concerns.
fn course_of(place: Option<BlockerPlace>) -> Option<String> {
    match place? {
        BlockerPlace::Course(number) => Some(number),
        _ => None,
    }
}

/// What blocks the course writeback and what to read first, each naming its
/// course (a link to its row).
#[component]
fn CourseProblems(review: Memo<Review>, requests: StoredValue<Vec<CourseRequest>>) -> impl IntoView {
    let item = move |course: Option<String>, message: String| {
        let index = course.as_ref().and_then(|c| requests.with_value(|r| r.iter().position(|r| &r.course_number == c)));
        let data = course.clone().unwrap_or_default();
        view! {
            <li data-course=data>
                {course.zip(index).map(|(c, i)| {
                    let shown = if c.is_empty() { "(no number)".to_string() } else { c };
                    view! { <a href=format!("#wb-course-{i}")>{shown}</a> ": " }
                })}
                {message}
            </li>
        }
    };
    view! {
        {move || {
            let blocking = review.with(|r| r.courses.blocking.clone());
            (!blocking.is_empty()).then(|| view! {
                <section class="wb-blockers wb-course-blockers" aria-label="What blocks the course writeback">
                    <h4>"Before you can submit the course writeback"</h4>
                    <ul>{blocking.into_iter().map(|b| item(course_of(b.field), b.message)).collect_view()}</ul>
                </section>
            })
        }}
        {move || {
            let warnings = review.with(|r| r.courses.outcome.warnings.clone());
            (!warnings.is_empty()).then(|| view! {
                <section class="wb-warnings wb-course-warnings" aria-label="Course writeback warnings">
                    <h4><span class="wb-icon" aria-hidden="true">{svg(Icon::Warning)}</span>"Warnings"</h4>
                    <ul>{warnings.into_iter().map(|w| item(w.course, w.message)).collect_view()}</ul>
                </section>
            })
        }}
    }
}

/// The exact schedules file submitting writes.
#[component]
fn SchedulePreview(review: Memo<Review>) -> impl IntoView {
    view! {
        <section class="wb-preview wb-course-preview" aria-label="Schedules file that will be written">
            <h4>"What will be written"</h4>
            {move || match review.with(|r| r.courses.file.clone()) {
                None => view! {
                    <p class="wb-nothing">"No schedules file: no course is approved, or something blocks submitting."</p>
                }
                .into_any(),
                Some(f) => view! {
                    <PreviewOfFile file=f what="import (AutoComm into CC)" raw_class="wb-course-file"/>
                }
                .into_any(),
            }}
        </section>
    }
}
