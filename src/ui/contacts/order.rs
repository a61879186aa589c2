//! The student's other PowerSchool contacts (keep, unlink, expire), the
//! expired contacts another block may be (unused, at the bottom) and the
//! final contact order: Move up / Move down buttons and drag and drop, both
//! writing `decisions.contacts.order`; the core puts expired contacts last.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::ui::erased::{by_key, keyed_rows, memo};
use crate::ui::icons::{svg, Icon};
use wasm_bindgen::JsCast;

use super::block::{option_value, parse_date, OptionSelect};
use crate::contacts::decide::{ContactBlocker, ContactOption, ContactRef};
use crate::domain::PersonId;
use crate::plan::{Decisions, Review};

/// The stable key of a contact in the order (also its element ids).
fn ref_key(r: &ContactRef) -> String {
    match r {
        ContactRef::Block(b) => format!("block:{b}"),
        ContactRef::Person(p) => format!("person:{p}"),
    }
}

fn focus_id(id: &str) {
    let el = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    if let Some(el) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// `order` with the contact at `from` moved to `to`.
fn moved(order: &[ContactRef], from: usize, to: usize) -> Vec<ContactRef> {
    let mut o = order.to_vec();
    if from < o.len() {
        let r = o.remove(from);
        o.insert(to.min(o.len()), r);
    }
    o
}

/// The student's contacts in PowerSchool that no block of the form is.
#[component]
pub(super) fn OtherContacts(
    review: Memo<Review>,
    outcome: Memo<Vec<ContactBlocker>>,
    decisions: RwSignal<Decisions>,
) -> impl IntoView {
    let people = move || review.with(|r| r.other_contacts.iter().map(|e| e.person).collect::<Vec<_>>());
    view! {
        <Show when=move || !people().is_empty()>
            <section class="wb-other-contacts" aria-label="The student's other contacts">
                <h4>"The student's other PowerSchool contacts"</h4>
                <ul>
                    {keyed_rows(
                        move || by_key(people().iter().map(PersonId::to_string)),
                        // The keys are the ids just written, so each parses back.
                        move |key| match key.parse::<PersonId>() {
                            Ok(person) => view! { <OtherContact review outcome decisions person/> }.into_any(),
                            Err(_) => ().into_any(),
                        },
                    )}
                </ul>
            </section>
        </Show>
    }
}

#[component]
fn OtherContact(
    review: Memo<Review>,
    outcome: Memo<Vec<ContactBlocker>>,
    decisions: RwSignal<Decisions>,
    person: PersonId,
) -> impl IntoView {
    let this = memo(move |_| review.with(|r| r.other_contacts.iter().find(|e| e.person == person).cloned()));
    let option = move || this.with(|e| e.as_ref().map(|e| e.option).unwrap_or_default());
    // Update and Do not update both keep the contact as it is.
    let value = move || match option() {
        ContactOption::Update | ContactOption::DoNotUpdate => "keep",
        o => option_value(&o),
    };
    let set = move |o: Option<ContactOption>| {
        decisions.update(|d| match o {
            Some(o) => {
                d.contacts.existing.insert(person, o);
            }
            None => {
                d.contacts.existing.remove(&person);
            }
        })
    };
    let on_option = move |ev: leptos::ev::Event| {
        let current = option();
        set(match event_target_value(&ev).as_str() {
            "unlink" => Some(ContactOption::Unlink),
            "expire" => Some(match current {
                ContactOption::Expire { end_date } => ContactOption::Expire { end_date },
                _ => ContactOption::Expire { end_date: None },
            }),
            _ => None,
        })
    };
    let on_date = move |ev: leptos::ev::Event| {
        set(Some(ContactOption::Expire { end_date: parse_date(&event_target_value(&ev)) }))
    };
    let problems = move || {
        outcome.with(|o| {
            o.iter()
                .filter(|b| b.block.is_none() && b.person == Some(person))
                .map(|b| b.message.clone())
                .collect::<Vec<_>>()
        })
    };
    let name = move || this.with(|e| e.as_ref().map(|e| e.name.clone()).unwrap_or_default());
    let position = move || {
        this.with(|e| match e.as_ref().map(|e| (e.position, e.may_be.is_some())) {
            Some((Some(n), _)) => format!("position {n}"),
            Some((None, true)) => "in the order as the form's contact it may be".into(),
            _ => "not a contact after the writeback".into(),
        })
    };
    let option_id = format!("wb-existing-option-{person}");
    // The options the core allows (no expiry once the relationship ended).
    let allowed = move || {
        this.with(|e| {
            e.as_ref()
                .map(|e| {
                    e.allowed_options
                        .iter()
                        .map(|o| match o {
                            ContactOption::Update | ContactOption::DoNotUpdate => "keep",
                            o => option_value(o),
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let ended = move || this.with(|e| e.as_ref().is_some_and(|e| e.ended));
    view! {
        <li class="wb-other-contact" id=format!("wb-contact-person:{person}") data-person-id=person.to_string()>
            <strong>{name}</strong>
            <span class="wb-person-id">{format!(" contact {person} · ")}</span>
            <span class="wb-position">{position}</span>
            <Show when=ended>
                <span class="wb-ended">" · relationship already ended in PowerSchool"</span>
            </Show>
            {move || this.with(|e| e.as_ref().and_then(|e| e.may_be.clone())).map(|block| {
                let target = format!("wb-contact-{block}");
                view! {
                    <p class="wb-may-be" role="note">
                        {svg(Icon::Warning)}
                        " May be the person of a contact on the form: "
                        <a href=format!("#{target}") on:click=move |ev| {
                            ev.prevent_default();
                            crate::ui::review::go_to(&target);
                        }>"decide that contact first"</a>
                        ". Until then they are kept as they are, and listed once in the order."
                    </p>
                }
            })}
            <OptionSelect
                id=option_id
                label="What to do: "
                class="wb-existing-option"
                values=Signal::derive(allowed)
                selected=Signal::derive(value)
                name=existing_option_label
                option=Signal::derive(option)
                on_option=Callback::new(on_option)
                on_date=Callback::new(on_date)
            />
            {move || {
                let p = problems();
                (!p.is_empty()).then(|| view! {
                    <ul class="wb-contact-problems">
                        {p.into_iter().map(|m| view! {
                            <li><span class="wb-problem-icon" aria-hidden="true">{svg(Icon::Stop)}</span>{m}</li>
                        }).collect_view()}
                    </ul>
                })
            }}
        </li>
    }
}

fn existing_option_label(value: &str) -> &'static str {
    match value {
        "keep" => "Do not update (keep as it is)",
        "unlink" => "Unlink from this student",
        _ => "Expire (end the relationship on a date)",
    }
}

/// Expired contacts that another form block lists as a candidate: at the
/// bottom as unused contacts, each linking to the block to check.
#[component]
pub(super) fn UnusedContacts(review: Memo<Review>) -> impl IntoView {
    let unused = move || review.with(|r| r.unused_contacts.clone());
    view! {
        <Show when=move || !unused().is_empty()>
            <section class="wb-unused-contacts" aria-label="Unused contacts">
                <h4>"Unused contacts"</h4>
                <p class="wb-hint">
                    "Expired here, yet another contact on the form may be them: if so, confirm them in that block instead of expiring."
                </p>
                <ul>
                    {move || unused().into_iter().map(|u| {
                        let ends = u.end_date.map(|d| format!("ends {}", d.to_us())).unwrap_or_else(|| "end date to choose".into());
                        view! {
                            <li class="wb-unused" data-person-id=u.person.to_string()>
                                <strong>{u.name.clone()}</strong>
                                {format!(" (contact {}) · expired, {ends} · matches ", u.person)}
                                {u.matches_blocks.iter().map(|b| view! {
                                    <a class="wb-unused-block" href=format!("#wb-contact-{b}")>{b.clone()}</a>" "
                                }).collect_view()}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

/// The final order of the student's contacts.
#[component]
pub(super) fn ContactOrder(
    review: Memo<Review>,
    decisions: RwSignal<Decisions>,
    names: BTreeMap<String, String>,
) -> impl IntoView {
    let order = memo(move |_| review.with(|r| r.contact_order.clone()));
    let dragging = RwSignal::new(None::<usize>);
    let items = move || order.with(|o| o.iter().map(ref_key).collect::<Vec<_>>());
    let set_order = move |from: usize, to: usize| {
        let new = moved(&order.get_untracked(), from, to);
        decisions.update(|d| d.contacts.order = new);
    };
    let mapping = move || {
        review.with(|r| {
            r.contact_order_mapping.as_ref().map(|m| {
                format!(
                    "The default order is the district's mapping for this combination of contacts: {}.",
                    m.join(", ")
                )
            })
        })
    };
    view! {
        <section class="wb-contact-order-section" aria-label="Contact order">
            <h4>"Contact order in PowerSchool"</h4>
            <p class="wb-hint">
                "Drag a contact by its handle, or use Move up / Move down. Expired contacts always go last."
            </p>
            {move || mapping().map(|m| view! { <p class="wb-order-mapping">{m}</p> })}
            <ol class="wb-contact-order">
                {keyed_rows(move || by_key(items()), move |key: String|
                    {
                        let index = {
                            let key = key.clone();
                            memo(move |_| order.with(|o| o.iter().position(|r| ref_key(r) == key).unwrap_or(0)))
                        };
                        let expired = {
                            let key = key.clone();
                            memo(move |_| review.with(|r| {
                                let opt = r.contacts.iter().find(|c| format!("block:{}", c.decision.block) == key)
                                    .map(|c| c.decision.option)
                                    .or_else(|| r.other_contacts.iter().find(|e| format!("person:{}", e.person) == key).map(|e| e.option));
                                match opt {
                                    Some(ContactOption::Expire { end_date }) => Some(end_date.map(|d| d.to_us()).unwrap_or_else(|| "date to choose".into())),
                                    _ => None,
                                }
                            }))
                        };
                        let at_start = move || index.get() == 0;
                        let at_end = move || index.get() + 1 >= order.with(Vec::len);
                        let name = names.get(&key).cloned().unwrap_or_else(|| key.clone());
                        let up_id = format!("wb-order-up-{key}");
                        let down_id = format!("wb-order-down-{key}");
                        let (up_focus, down_focus) = ((up_id.clone(), down_id.clone()), (up_id.clone(), down_id.clone()));
                        view! {
                            <li class="wb-order-item" data-ref=key.clone() draggable="true"
                                class:dragging=move || dragging.get() == Some(index.get())
                                class:expired=move || expired.with(Option::is_some)
                                on:dragstart=move |ev: web_sys::DragEvent| {
                                    if let Some(dt) = ev.data_transfer() {
                                        let _ = dt.set_data("text/plain", "contact");
                                        dt.set_effect_allowed("move");
                                    }
                                    dragging.set(Some(index.get_untracked()));
                                }
                                on:dragover=move |ev: web_sys::DragEvent| ev.prevent_default()
                                on:dragend=move |_| dragging.set(None)
                                on:drop=move |ev: web_sys::DragEvent| {
                                    ev.prevent_default();
                                    if let Some(from) = dragging.get_untracked() {
                                        set_order(from, index.get_untracked());
                                    }
                                    dragging.set(None);
                                }
                            >
                                <span class="wb-drag-handle" aria-hidden="true">{svg(Icon::Grip)}</span>
                                <span class="wb-order-name">{name.clone()}</span>
                                {move || expired.get().map(|d| view! { <span class="wb-expired-tag">{format!(" expired · ends {d}")}</span> })}
                                <button class="wb-move-up" id=up_id aria-label=format!("Move up: {name}")
                                    disabled=at_start
                                    on:click=move |_| {
                                        let i = index.get_untracked();
                                        if i > 0 {
                                            set_order(i, i - 1);
                                        }
                                        let (up, down) = up_focus.clone();
                                        refocus(up, down);
                                    }>"Move up"</button>
                                <button class="wb-move-down" id=down_id aria-label=format!("Move down: {name}")
                                    disabled=at_end
                                    on:click=move |_| {
                                        let i = index.get_untracked();
                                        set_order(i, i + 1);
                                        let (up, down) = down_focus.clone();
                                        refocus(down, up);
                                    }>"Move down"</button>
                            </li>
                        }
                    }
                .into_any())}
            </ol>
        </section>
    }
}

/// Once the list is redrawn (moving an element drops its focus), focuses
/// `first`, or `other` when `first` is disabled (the contact reached an end).
fn refocus(first: String, other: String) {
    set_timeout(
        move || {
            if is_disabled(&first) {
                focus_id(&other)
            } else {
                focus_id(&first)
            }
        },
        std::time::Duration::from_millis(30),
    );
}

/// Whether the button with `id` is disabled (or gone).
fn is_disabled(id: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .map(|e| e.has_attribute("disabled"))
        .unwrap_or(true)
}
