//! A second writeback of one application is a correction staff mark
//! explicitly. For contacts and schedules the relay refuses it otherwise (a
//! second contacts file could create a parent twice; a second schedules
//! file, enrolments twice); for demographics the widget asks the same, so
//! writing a student again is never a slip.

use leptos::prelude::*;

use crate::flatfile::FileKind;
use crate::wire::HistoryEntry;

/// The newest earlier writeback with a file of one of `kinds` for this
/// application.
pub(crate) fn earlier(history: &[HistoryEntry], kinds: &[FileKind]) -> Option<HistoryEntry> {
    history.iter().find(|e| kinds.contains(&e.kind) && e.file_name.is_some()).cloned()
}

/// Whether submitting files of `kinds` now needs the correction mark and
/// lacks it.
pub(crate) fn unmarked(history: RwSignal<Vec<HistoryEntry>>, kinds: &[FileKind], marked: bool) -> bool {
    !marked && history.with(|h| earlier(h, kinds).is_some())
}

fn what(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Students => "demographics",
        FileKind::Contacts => "contacts",
        FileKind::Schedules => "course enrolments",
    }
}

/// The mark, shown when this submission writes files of `writes` and the
/// application has one of them already.
#[component]
pub(crate) fn CorrectionMark(
    history: RwSignal<Vec<HistoryEntry>>,
    #[prop(into)] writes: Signal<Vec<FileKind>>,
    marked: RwSignal<bool>,
) -> impl IntoView {
    move || {
        let before = writes.with(|kinds| history.with(|h| earlier(h, kinds)))?;
        Some(view! {
            <label class="wb-correction">
                <input
                    type="checkbox"
                    class="wb-correction-box"
                    prop:checked=move || marked.get()
                    on:change=move |ev| marked.set(event_target_checked(&ev))
                />
                {format!(
                    " This is a correction: {} wrote these {} back at {} (entry {}). Tick this to write them again.",
                    before.submitted_by,
                    what(before.kind),
                    super::history::local_time(&before.submitted_at),
                    before.id
                )}
            </label>
        })
    }
}
