//! Searching PowerSchool's persons from a contact block: by name, phone or
//! email, on the relay's index, ranked against the block's form contact.
//! Picking a person adds them to the block's candidates (the slice grows by
//! their records) and confirms them.

use leptos::prelude::*;

use super::super::relay::RelayClient;
use super::super::review::Slice;
use super::confidence_label;
use crate::contacts::decide::MatchAction;
use crate::contacts::Found;
use crate::domain::PersonId;
use crate::plan::Decisions;

/// What the search shows.
#[derive(Clone, PartialEq)]
enum Shown {
    Nothing,
    Searching,
    Found(Found),
    Failed(String),
}

#[component]
pub(super) fn PersonSearch(id: String, block: String, decisions: RwSignal<Decisions>) -> impl IntoView {
    let client = expect_context::<RelayClient>();
    let slice = expect_context::<Slice>();
    let query = RwSignal::new(String::new());
    let shown = RwSignal::new(Shown::Nothing);
    let input_id = format!("wb-search-{block}");
    let run = {
        let (client, id, block) = (client.clone(), id.clone(), block.clone());
        move || {
            let (client, id, block, q) = (client.clone(), id.clone(), block.clone(), query.get_untracked());
            shown.set(Shown::Searching);
            leptos::task::spawn_local(async move {
                match client.search_persons(&id, &block, &q).await {
                    Ok(found) => shown.set(Shown::Found(found)),
                    Err(e) => shown.set(Shown::Failed(e)),
                }
            });
        }
    };
    let submit = {
        let run = run.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            run();
        }
    };
    let pick = move |person: PersonId| {
        let block2 = block.clone();
        shown.set(Shown::Searching);
        slice.pick(client.clone(), id.clone(), block.clone(), person, move |result| match result {
            Ok(()) => {
                decisions.update(|d| d.contacts.blocks.entry(block2).or_default().apply(MatchAction::Confirm(person)));
                shown.set(Shown::Nothing);
            }
            Err(e) => shown.set(Shown::Failed(e)),
        });
    };
    view! {
        <details class="wb-search">
            <summary>"Search PowerSchool for this contact"</summary>
            <form class="wb-search-form" on:submit=submit>
                <label for=input_id.clone()>"Name, phone or email"</label>
                <input id=input_id type="search" class="wb-search-query" autocomplete="off"
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                <button type="submit" class="wb-search-button">"Search"</button>
            </form>
            <div class="wb-search-results" aria-live="polite">
                {move || match shown.get() {
                    Shown::Nothing => ().into_any(),
                    Shown::Searching => view! { <p class="wb-loading">"Searching…"</p> }.into_any(),
                    Shown::Failed(e) => view! { <p class="wb-error" role="alert">{e}</p> }.into_any(),
                    Shown::Found(found) => results(found, pick.clone()).into_any(),
                }}
            </div>
        </details>
    }
}

fn results(found: Found, pick: impl Fn(PersonId) + Clone + 'static) -> impl IntoView {
    let more = found.matched.saturating_sub(found.persons.len());
    let head = match (found.persons.len(), more) {
        (0, _) => format!("Nobody in PowerSchool has {}.", found.query),
        (n, 0) => format!("{n} person(s) with {}, closest to the form first:", found.query),
        (n, more) => format!(
            "The {n} closest to the form of {} with {}; {more} more: say more to narrow it.",
            found.matched, found.query
        ),
    };
    view! {
        <p class="wb-search-summary">{head}</p>
        <ol class="wb-search-list">
            {found.persons.into_iter().map(|c| {
                let (pick, id) = (pick.clone(), c.person_id);
                let shared = c.used_by.len();
                view! {
                    <li class="wb-search-person" data-person-id=id.to_string()>
                        <strong>{c.name.clone()}</strong>
                        <span class="wb-confidence" data-confidence=c.confidence.label()>{confidence_label(c.confidence)}</span>
                        <span class="wb-person-id">{format!("contact {id}")}</span>
                        <span class="wb-reason">{c.reason.clone()}</span>
                        {(shared > 0).then(|| view! { <span class="wb-search-shared">{format!("used by {shared} other student(s)")}</span> })}
                        <button type="button" class="wb-pick" aria-label=format!("Pick {}", c.name) on:click=move |_| pick(id)>"Pick"</button>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
