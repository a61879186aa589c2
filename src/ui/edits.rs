//! Every change of an application's decisions: recorded for undo / redo
//! (the buttons, Ctrl+Z and Ctrl+Shift+Z or Ctrl+Y), saved as the draft,
//! and guarded when leaving the page would lose it.
//!
//! The decisions stay the review's only state: [`Edits`] watches the one
//! `RwSignal<Decisions>`; an undo sets it back to an earlier value.

use leptos::ev;
use leptos::prelude::*;

use crate::ui::erased::effect;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

use super::drafts::{DraftStore, Found, Saved};
use super::history::local_time;
use super::icons::{svg, Icon};
use super::review::Slice;
use super::ListState;
use crate::drafts::UndoHistory;
use crate::plan::Decisions;

/// A part of the review submitted on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// Demographics and contacts (one submission).
    DemographicsAndContacts,
    /// The course writeback.
    Courses,
}

/// The undo history and draft of the application under review.
#[derive(Clone, Copy)]
pub(crate) struct Edits {
    decisions: RwSignal<Decisions>,
    history: StoredValue<UndoHistory<Decisions>>,
    /// (undoable, redoable), for the buttons.
    counts: RwSignal<(usize, usize)>,
    /// Whether the latest decisions are kept.
    pub saved: RwSignal<Saved>,
    store: StoredValue<DraftStore>,
    application: StoredValue<String>,
    /// The application list, told when a draft comes or goes.
    list: Option<ListState>,
}

impl Edits {
    /// Starts recording `decisions` (restored from a draft saved at
    /// `restored`, or not), saving each change as `application`'s draft in
    /// `store`.
    pub fn track(
        decisions: RwSignal<Decisions>,
        store: DraftStore,
        application: String,
        slice: Slice,
        restored: Option<String>,
    ) -> Edits {
        let edits = Edits {
            decisions,
            history: StoredValue::new(UndoHistory::new(decisions.get_untracked())),
            counts: RwSignal::new((0, 0)),
            saved: RwSignal::new(restored.map_or(Saved::Nothing, Saved::At)),
            store: StoredValue::new(store),
            application: StoredValue::new(application),
            list: use_context::<ListState>(),
        };
        // One effect: each change of the decisions (or of the slice staff
        // grew) is recorded and saved. The first run only reads what it
        // watches: the opened application is not a change.
        effect(move |ran: Option<()>| {
            let now = decisions.get();
            let (picked, schools) = (slice.picked.get(), slice.schools.get());
            if ran.is_none() {
                return;
            }
            edits.history.update_value(|h| {
                h.record(now.clone());
            });
            edits.update_counts();
            let saved = edits.store.with_value(|s| edits.application.with_value(|a| s.save(a, now, picked, schools)));
            edits.tell_list(&saved);
            edits.saved.set(saved);
        });
        edits
    }

    /// Tells the application list whether a draft is kept now.
    fn tell_list(&self, saved: &Saved) {
        if let Some(list) = self.list {
            self.application.with_value(|a| list.set_draft(a, matches!(saved, Saved::At(_))));
        }
    }

    fn update_counts(&self) {
        let counts = self.history.with_value(|h| (h.undoable(), h.redoable()));
        self.counts.set(counts);
    }

    /// Goes back one change.
    pub fn undo(&self) {
        if let Some(d) = self.history.try_update_value(|h| h.undo()).flatten() {
            self.decisions.set(d);
            self.update_counts();
        }
    }

    /// Goes forward one undone change.
    pub fn redo(&self) {
        if let Some(d) = self.history.try_update_value(|h| h.redo()).flatten() {
            self.decisions.set(d);
            self.update_counts();
        }
    }

    /// Whether there is a change to undo.
    pub fn can_undo(&self) -> bool {
        self.counts.with(|c| c.0 > 0)
    }

    /// Whether there is an undone change to redo.
    pub fn can_redo(&self) -> bool {
        self.counts.with(|c| c.1 > 0)
    }

    /// After `part` was written back: the draft keeps only the other part's
    /// decisions.
    pub fn written(&self, part: Part) {
        let Some(draft) = self.store.with_value(|s| match self.application.with_value(|a| s.load(a)) {
            Found::Draft(d) => Some(d),
            _ => None,
        }) else {
            return;
        };
        let rest = match part {
            Part::DemographicsAndContacts => draft.after_demographics_written(),
            Part::Courses => draft.after_courses_written(),
        };
        let saved = self.store.with_value(|s| s.keep(rest));
        self.tell_list(&saved);
        self.saved.set(saved);
    }

    /// Whether leaving now would lose decisions not written back.
    fn loses_work(&self) -> bool {
        self.saved.with(Saved::loses_work) && self.decisions.with(|d| d != &Decisions::default())
    }

    /// Undo / redo from the keyboard, and the guard before leaving the page;
    /// both removed when the review closes.
    pub fn listen(self) {
        let keys = window_event_listener(ev::keydown, move |e| {
            if !(e.ctrl_key() || e.meta_key()) || e.alt_key() || in_text_field(&e) {
                return;
            }
            match (e.key().to_lowercase().as_str(), e.shift_key()) {
                ("z", false) => self.undo(),
                ("z", true) | ("y", false) => self.redo(),
                _ => return,
            }
            e.prevent_default();
        });
        let leave = window_event_listener(ev::beforeunload, move |e| {
            if self.loses_work() {
                e.prevent_default();
                e.set_return_value("Your decisions on this application are not saved.");
            }
        });
        let handles = SendWrapper::new((keys, leave));
        on_cleanup(move || {
            let (keys, leave) = handles.take();
            keys.remove();
            leave.remove();
        });
    }
}

/// Whether a key event is typed into a text field (whose own undo applies).
fn in_text_field(e: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else { return false };
    if el.is_content_editable() || el.tag_name().eq_ignore_ascii_case("textarea") {
        return true;
    }
    el.dyn_ref::<web_sys::HtmlInputElement>()
        .is_some_and(|i| !matches!(i.type_().as_str(), "checkbox" | "radio" | "button" | "submit"))
}

/// Undo, redo, and whether the decisions are kept as a draft.
#[component]
pub(crate) fn Toolbar(edits: Edits) -> impl IntoView {
    view! {
        <div class="wb-toolbar" role="toolbar" aria-label="Decisions">
            <button
                class="wb-undo-edit"
                aria-keyshortcuts="Control+Z"
                title="Undo (Ctrl+Z)"
                disabled=move || !edits.can_undo()
                on:click=move |_| edits.undo()
            >
                {svg(Icon::Undo)}" Undo"
            </button>
            <button
                class="wb-redo-edit"
                aria-keyshortcuts="Control+Shift+Z"
                title="Redo (Ctrl+Shift+Z)"
                disabled=move || !edits.can_redo()
                on:click=move |_| edits.redo()
            >
                {svg(Icon::Redo)}" Redo"
            </button>
            <span class="wb-draft-status" role="status">
                {move || match edits.saved.get() {
                    Saved::Nothing => String::new(),
                    Saved::At(at) => format!("Draft saved at {}", local_time(&at)),
                    Saved::Off => "Drafts are off: these decisions are lost if you leave the page before submitting.".into(),
                    Saved::Failed(why) => format!("The draft could not be saved ({why}): these decisions are lost if you leave the page before submitting."),
                }}
            </span>
        </div>
    }
}

/// What the opening found: a restored draft (with the way to discard it),
/// or why one could not be restored.
#[component]
pub(crate) fn DraftNote(found: Found, decisions: RwSignal<Decisions>) -> impl IntoView {
    let shown = RwSignal::new(true);
    move || {
        if !shown.get() {
            return None;
        }
        let note = match &found {
            Found::Nothing => return None,
            Found::Draft(d) => view! {
                <p>
                    {format!("Your draft from {} is restored: the decisions as you left them.", local_time(&d.saved_at))}
                    " "
                    <button
                        class="wb-discard-draft"
                        on:click=move |_| {
                            decisions.set(Decisions::default());
                            shown.set(false);
                        }
                    >
                        "Discard the draft"
                    </button>
                    " "
                    <button class="wb-keep-draft" on:click=move |_| shown.set(false)>"Keep it"</button>
                </p>
            }
            .into_any(),
            Found::Refused(why) => view! { <p>{format!("A draft was not restored: {why}.")}</p> }.into_any(),
        };
        Some(view! { <div class="wb-draft-note" role="status">{note}</div> })
    }
}
