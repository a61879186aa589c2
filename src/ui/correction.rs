//! A second contacts or schedules writeback of one application is a
//! correction staff mark explicitly: the relay refuses it otherwise (a
//! second contacts file could create a parent twice; a second schedules
//! file, enrolments twice).

use leptos::prelude::*;

use crate::flatfile::FileKind;
use crate::wire::HistoryEntry;

/// The newest earlier writeback of a `kind` file for this application.
pub(crate) fn earlier(history: &[HistoryEntry], kind: FileKind) -> Option<HistoryEntry> {
    history.iter().find(|e| e.kind == kind && e.file_name.is_some()).cloned()
}

/// Whether submitting now needs the correction mark and lacks it.
pub(crate) fn unmarked(history: RwSignal<Vec<HistoryEntry>>, kind: FileKind, writes: bool, marked: bool) -> bool {
    writes && !marked && history.with(|h| earlier(h, kind).is_some())
}

/// The mark, shown when this submission writes a `kind` file (`writes`)
/// and the application has one already.
#[component]
pub(crate) fn CorrectionMark(
    history: RwSignal<Vec<HistoryEntry>>,
    kind: FileKind,
    #[prop(into)] writes: Signal<bool>,
    marked: RwSignal<bool>,
) -> impl IntoView {
    move || {
        let before = history.with(|h| earlier(h, kind)).filter(|_| writes.get())?;
        let what = if kind == FileKind::Contacts { "contacts" } else { "course enrolments" };
        Some(view! {
            <label class="wb-correction">
                <input
                    type="checkbox"
                    class="wb-correction-box"
                    prop:checked=move || marked.get()
                    on:change=move |ev| marked.set(event_target_checked(&ev))
                />
                {format!(
                    " This is a correction: {} wrote these {what} back at {} (entry {}). Tick this to write them again.",
                    before.submitted_by,
                    super::history::local_time(&before.submitted_at),
                    before.id
                )}
            </label>
        })
    }
}
