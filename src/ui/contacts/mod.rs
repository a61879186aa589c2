//! The contacts of the form: who each block may be in PowerSchool, with
//! the evidence, flags and "used by", and staff's decision (confirm, not
//! this person, new contact); then, per decided block, the option, the
//! field table and data access (`block`); the student's other contacts, the
//! final order and the unused contacts (`order`); what to do in PowerSchool
//! after the import (data access).

mod block;
mod order;
mod search;

use leptos::prelude::*;

use crate::ui::erased::memo;

use crate::ui::icons::{svg, Icon};

use self::block::BlockDecisionView;
use self::order::{ContactOrder, OtherContacts, UnusedContacts};
use self::search::PersonSearch;
use crate::contacts::decide::{ContactBlocker, MatchAction};
use crate::contacts::{Candidate, Confidence, ContactState, FlagKind, FormContact};
use crate::plan::{ContactReview, Decisions, Review};

/// The form's own words for a block: name, relationship, email, phones.
#[derive(Clone)]
pub(crate) struct FormSummary {
    name: String,
    relationship: String,
    details: Vec<String>,
}

impl FormSummary {
    /// A block as the district's mappings read it (nothing when they cannot).
    pub(crate) fn of(form: Option<&FormContact>) -> FormSummary {
        let Some(c) = form else {
            return FormSummary { name: String::new(), relationship: String::new(), details: Vec::new() };
        };
        let name = [&c.first_name, &c.middle_name, &c.last_name]
            .into_iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let emails = c.emails.iter().map(|e| format!("Email: {}", e.address.trim()));
        let phones = c.phones.iter().map(|p| {
            let label = if p.phone_type.is_empty() { "Phone" } else { p.phone_type.as_str() };
            format!("{label}: {}", p.number.trim())
        });
        FormSummary { name, relationship: c.relationship.trim().to_string(), details: emails.chain(phones).collect() }
    }
}

/// Each block's name as the form gives it, with the relationship
/// ("Maria Lopez (Mother)"), for naming the block elsewhere.
pub(crate) fn block_names(forms: &[(String, FormSummary)]) -> std::collections::BTreeMap<String, String> {
    crate::sort::map(forms.iter().map(|(block, f)| {
        let name = match (f.name.is_empty(), f.relationship.is_empty()) {
            (true, _) => block.clone(),
            (false, true) => f.name.clone(),
            (false, false) => format!("{} ({})", f.name, f.relationship),
        };
        (block.clone(), name)
    }))
}

fn state_text(c: &ContactReview) -> String {
    match &c.decision.state {
        ContactState::Undecided if !c.matches.likely() => {
            "No likely match: make it a new contact, or confirm one of the weak matches".into()
        }
        ContactState::Undecided => "Possible match: confirm one, or mark each “not this person”".into(),
        ContactState::Confirmed(id) => {
            let name = c.matches.candidates.iter().find(|k| k.person_id == *id).map(|k| k.name.clone());
            format!("Confirmed: {} (contact {id})", name.unwrap_or_default())
        }
        ContactState::Rejected(ids) if c.decision.decided => {
            format!("None of the {} candidate(s): will be a new contact", ids.len())
        }
        ContactState::Rejected(ids) => format!("{} candidate(s) rejected; decide the others", ids.len()),
        ContactState::New => "New contact".into(),
    }
}

fn flag_icon(kind: FlagKind) -> Icon {
    match kind {
        FlagKind::NameMismatch => Icon::Person,
        FlagKind::PhoneTypeMismatch => Icon::Phone,
        FlagKind::Inactive => Icon::Pause,
        FlagKind::ClaimedByOtherBlock => Icon::Warning,
    }
}

pub(super) fn confidence_label(c: Confidence) -> &'static str {
    match c {
        Confidence::Strong => "Strong match",
        Confidence::Possible => "Possible match",
        Confidence::Weak => "Weak match",
    }
}

#[component]
pub(crate) fn ContactsSection(
    /// The application's id (for searching from a block).
    id: String,
    review: Memo<Review>,
    decisions: RwSignal<Decisions>,
    /// Each block as the form gives it, read through the mappings.
    forms: Vec<(String, FormSummary)>,
    /// The district's phone types (CodeSet `Phone`): code and display value.
    phone_types: Vec<(String, String)>,
) -> impl IntoView {
    let blocks: Vec<String> = review.with_untracked(|r| r.contacts.iter().map(|c| c.matches.block.clone()).collect());
    // The core's contact blockers name the field (phone1, Data Access), so
    // each shows beside its control.
    let outcome: Memo<Vec<ContactBlocker>> = memo(move |_| review.with(|r| r.contact_blockers.clone()));
    // Names in the order: the form's name of a block, PowerSchool's of a person.
    let mut names = std::collections::BTreeMap::new();
    for (b, s) in &forms {
        let name = if s.name.is_empty() { b.clone() } else { s.name.clone() };
        names.insert(format!("block:{b}"), format!("{name} (form {b})"));
    }
    review.with_untracked(|r| {
        for e in &r.other_contacts {
            names.insert(format!("person:{}", e.person), format!("{} (contact {})", e.name, e.person));
        }
    });
    let general = move || {
        outcome.with(|o| {
            o.iter().filter(|b| b.block.is_none() && b.person.is_none()).map(|b| b.message.clone()).collect::<Vec<_>>()
        })
    };
    let has_other = review.with_untracked(|r| !r.other_contacts.is_empty());
    if blocks.is_empty() && !has_other {
        return view! { <p class="wb-nothing">"The form has no contacts."</p> }.into_any();
    }
    view! {
        {move || {
            let g = general();
            (!g.is_empty()).then(|| view! {
                <ul class="wb-contact-problems wb-contact-general" aria-label="Contacts cannot be written yet">
                    {g.into_iter().map(|m| view! {
                        <li><span class="wb-problem-icon" aria-hidden="true">{svg(Icon::Stop)}</span>{m}</li>
                    }).collect_view()}
                </ul>
            })
        }}
        {move || {
            let warnings = review.with(|r| r.contact_warnings.clone());
            (!warnings.is_empty()).then(|| view! {
                <ul class="wb-contact-warnings" aria-label="About these contacts">
                    {warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
                </ul>
            })
        }}
        <SuggestedConfirm review decisions/>
        <div class="wb-contacts">
            {blocks
                .into_iter()
                .enumerate()
                .map(|(index, block)| {
                    let form = forms.iter().find(|(b, _)| *b == block).map(|(_, f)| f.clone());
                    let form = form.unwrap_or_else(|| FormSummary::of(None));
                    view! {
                        <ContactCard id=id.clone() review decisions outcome index block form
                            phone_types=phone_types.clone()/>
                    }
                })
                .collect_view()}
        </div>
        <OtherContacts review outcome decisions/>
        <ContactOrder review decisions names/>
        <UnusedContacts review/>
        {move || {
            let follow_ups = review.with(|r| r.contact_follow_ups.clone());
            (!follow_ups.is_empty()).then(|| view! {
                <section class="wb-contact-follow-ups" aria-label="To do in PowerSchool after the import">
                    <h4>"To do in PowerSchool after the import"</h4>
                    <ul>{follow_ups.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul>
                </section>
            })
        }}
    }
    .into_any()
}

/// One click confirms every undecided block whose best candidate is
/// already this student's contact under the same name (each stays shown
/// and can be undone on its card).
#[component]
fn SuggestedConfirm(review: Memo<Review>, decisions: RwSignal<Decisions>) -> impl IntoView {
    let suggested = memo(move |_| {
        review.with(|r| {
            r.contacts
                .iter()
                .filter(|c| c.decision.state == ContactState::Undecided)
                .filter_map(|c| c.matches.suggested().map(|p| (c.matches.block.clone(), p)))
                .collect::<Vec<_>>()
        })
    });
    move || {
        let list = suggested.get();
        (!list.is_empty()).then(|| {
            let n = list.len();
            view! {
                <p class="wb-suggested">
                    <button class="wb-confirm-suggested" on:click=move |_| {
                        decisions.update(|d| {
                            for (block, person) in &list {
                                d.contacts.blocks.entry(block.clone()).or_default().apply(MatchAction::Confirm(*person));
                            }
                        })
                    }>{format!("Confirm the {n} suggested match(es)")}</button>
                    " already this student's contacts, under the same name and with nothing to settle"
                </p>
            }
        })
    }
}

#[component]
fn ContactCard(
    id: String,
    review: Memo<Review>,
    decisions: RwSignal<Decisions>,
    outcome: Memo<Vec<ContactBlocker>>,
    index: usize,
    block: String,
    form: FormSummary,
    phone_types: Vec<(String, String)>,
) -> impl IntoView {
    let contact = memo(move |_| review.with(|r| r.contacts.get(index).cloned()));
    let initial = contact.get_untracked().expect("the block exists");
    let act = {
        let block = block.clone();
        move |action: MatchAction| {
            let block = block.clone();
            decisions.update(move |d| d.contacts.blocks.entry(block).or_default().apply(action));
        }
    };
    let act_new = act.clone();
    let act_undo = act.clone();
    view! {
        <article class="wb-contact" id=format!("wb-contact-{block}") data-block=block.clone()
            class:undecided=move || contact.with(|c| c.as_ref().is_some_and(|c| !c.decision.decided))>
            <header>
                <h4>{form.name.clone()} <span class="wb-relationship">{form.relationship.clone()}</span></h4>
                <p class="wb-contact-form">{form.details.join(" · ")}</p>
                <p class="wb-contact-state" role="status">{move || contact.with(|c| c.as_ref().map(state_text).unwrap_or_default())}</p>
                <p class="wb-contact-position">{move || contact.with(|c| match c.as_ref().and_then(|c| c.decision.position) {
                    Some(n) => format!("Position {n} in the contact order"),
                    None => "Not in the contact order".to_string(),
                })}</p>
            </header>
            {(!initial.matches.notes.is_empty()).then(|| view! {
                <ul class="wb-notes">{initial.matches.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>
            })}
            {(!initial.matches.same_person.is_empty()).then(|| view! {
                <ul class="wb-same-person">
                    {initial.matches.same_person.iter().map(|s| view! {
                        <li>{format!("Same person as {} on {} (sibling's application)", s.block, s.application)}</li>
                    }).collect_view()}
                </ul>
            })}
            <CandidateList contact act=act.clone()/>
            <div class="wb-contact-actions">
                <button class="wb-new-contact" on:click=move |_| act_new(MatchAction::New)>"New contact"</button>
                <button class="wb-undo" on:click=move |_| act_undo(MatchAction::Undo)>"Undo decision"</button>
            </div>
            {initial.matches.matchable.then(|| view! { <PersonSearch id=id.clone() block=block.clone() decisions/> })}
            <BlockDecisionView contact outcome decisions block=block.clone() phone_types/>
        </article>
    }
}

/// The candidates, best first. When none is a likely match (only namesakes)
/// the card says so and the namesakes are one click away, not cards to
/// reject one by one.
#[component]
fn CandidateList(
    contact: Memo<Option<ContactReview>>,
    act: impl Fn(MatchAction) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    // Changes only when the candidates do (a person picked from a search),
    // not at every decision: the lines keep their focus.
    let candidates: Memo<Vec<Candidate>> =
        memo(move |_| contact.with(|c| c.as_ref().map(|c| c.matches.candidates.clone()).unwrap_or_default()));
    move || {
        let list = candidates.get();
        let likely = list.iter().any(|c| c.confidence.likely());
        let n = list.len();
        let act = act.clone();
        let lines = view! {
            <ol class="wb-candidates">
                {list.into_iter().map(|cand| {
                    view! { <CandidateLine contact cand act=act.clone()/> }
                }).collect_view()}
            </ol>
        };
        if likely || n == 0 {
            lines.into_any()
        } else {
            view! {
                <p class="wb-no-likely">"No likely match in PowerSchool: only the name, or part of it, agrees."</p>
                <details class="wb-namesakes">
                    <summary>{format!("Show the {n} weak match(es)")}</summary>
                    {lines}
                </details>
            }
            .into_any()
        }
    }
}

#[component]
fn CandidateLine(
    contact: Memo<Option<ContactReview>>,
    cand: Candidate,
    act: impl Fn(MatchAction) + Clone + 'static,
) -> impl IntoView {
    let id = cand.person_id;
    let is_confirmed =
        move || contact.with(|c| c.as_ref().is_some_and(|c| c.decision.state == ContactState::Confirmed(id)));
    let is_rejected = move || contact.with(|c| c.as_ref().is_some_and(|c| c.decision.rejected.contains(&id)));
    let confirm = act.clone();
    let reject = act;
    let shared = cand.used_by.len();
    view! {
        <li class="wb-candidate" data-person-id=id.to_string() class:confirmed=is_confirmed class:rejected=is_rejected>
            <div class="wb-candidate-head">
                <strong>{cand.name.clone()}</strong>
                <span class="wb-confidence" data-confidence=cand.confidence.label() data-score=cand.score.to_string()>
                    {confidence_label(cand.confidence)}
                </span>
                <span class="wb-person-id">{format!("contact {id}")}</span>
                {move || contact.with(|c| c.as_ref().and_then(|c| c.matches.suggested()) == Some(id))
                    .then(|| view! { <span class="wb-suggested-mark">"Suggested"</span> })}
            </div>
            <p class="wb-reason">{cand.reason.clone()}</p>
            {(!cand.flags.is_empty()).then(|| view! {
                <ul class="wb-flags">
                    {cand.flags.iter().map(|f| view! {
                        <li class="wb-flag"><span class="wb-flag-icon" aria-hidden="true">{svg(flag_icon(f.kind))}</span>{f.text.clone()}</li>
                    }).collect_view()}
                </ul>
            })}
            <ul class="wb-evidence">
                {cand.evidence.iter().map(|e| view! { <li>{e.text.clone()}</li> }).collect_view()}
            </ul>
            {(shared > 0).then(|| view! {
                <details class="wb-used-by">
                    <summary>{format!("Used by {shared} other student(s): a change here changes it for them too")}</summary>
                    <ul>
                        {cand.used_by.iter().map(|u| view! {
                            <li class:expired=!u.active>
                                {format!("{} ({}), {}{}", u.student_name, u.student_number, u.relationship, if u.active { "" } else { ", expired" })}
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
            })}
            <div class="wb-candidate-actions">
                <button class="wb-confirm" aria-label=format!("Confirm {}", cand.name) aria-pressed=move || is_confirmed().to_string()
                    on:click=move |_| confirm(MatchAction::Confirm(id))>"Confirm"</button>
                <button class="wb-reject" aria-label=format!("Not this person: {}", cand.name) aria-pressed=move || is_rejected().to_string()
                    on:click=move |_| reject(if is_rejected() { MatchAction::Unreject(id) } else { MatchAction::Reject(id) })>
                    "Not this person"</button>
            </div>
        </li>
    }
}
