//! Icons drawn inline as SVG, so they show the same on every browser (an
//! emoji font is not on every machine). Each sits beside words that say the
//! same, so it is hidden from screen readers.

use leptos::prelude::*;

/// The icons the widget uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    /// Stays, approved, met.
    Check,
    /// Refused, denied, not met.
    Cross,
    /// Will be replaced.
    Edit,
    /// On one side only.
    Half,
    /// Nothing to show.
    Dash,
    /// Pending.
    Ellipsis,
    /// Needs attention.
    Warning,
    /// Blocks the writeback.
    Stop,
    /// A phone.
    Phone,
    /// A person (a name that differs).
    Person,
    /// Inactive.
    Pause,
    /// Drag to reorder.
    Grip,
    /// Undo a change.
    Undo,
    /// Redo an undone change.
    Redo,
}

impl Icon {
    /// The name, for `data-icon` (tests and styles).
    pub fn name(self) -> &'static str {
        match self {
            Icon::Check => "check",
            Icon::Cross => "cross",
            Icon::Edit => "edit",
            Icon::Half => "half",
            Icon::Dash => "dash",
            Icon::Ellipsis => "ellipsis",
            Icon::Warning => "warning",
            Icon::Stop => "stop",
            Icon::Phone => "phone",
            Icon::Person => "person",
            Icon::Pause => "pause",
            Icon::Grip => "grip",
            Icon::Undo => "undo",
            Icon::Redo => "redo",
        }
    }

    /// The drawing on a 16 x 16 grid, stroked.
    fn path(self) -> &'static str {
        match self {
            Icon::Check => "M3 8.5l3 3 7-7",
            Icon::Cross => "M4 4l8 8M12 4l-8 8",
            Icon::Edit => "M3 13l1-3.5 7-7 2.5 2.5-7 7z",
            Icon::Half => "M8 2a6 6 0 1 0 0 12a6 6 0 1 0 0-12zM8 2v12M8 5H5M8 8H2.5M8 11H5",
            Icon::Dash => "M4 8h8",
            Icon::Ellipsis => "M3 8h.01M8 8h.01M13 8h.01",
            Icon::Warning => "M8 2l6.5 12h-13zM8 6.5v3M8 12h.01",
            Icon::Stop => "M8 1.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13zM4.5 8h7",
            Icon::Phone => "M4 2h3l1 3-2 1a8 8 0 0 0 4 4l1-2 3 1v3a1 1 0 0 1-1 1A12 12 0 0 1 3 3a1 1 0 0 1 1-1z",
            Icon::Person => "M8 8a3 3 0 1 0 0-6a3 3 0 0 0 0 6zM2.5 14.5a5.5 5.5 0 0 1 11 0",
            Icon::Pause => "M5.5 3v10M10.5 3v10",
            Icon::Grip => "M6 4h.01M10 4h.01M6 8h.01M10 8h.01M6 12h.01M10 12h.01",
            Icon::Undo => "M5 3L2 6l3 3M2 6h7.5a4 4 0 0 1 0 8H6",
            Icon::Redo => "M11 3l3 3-3 3M14 6H6.5a4 4 0 0 0 0 8H10",
        }
    }
}

/// The icon as inline SVG, the size of the text beside it.
pub fn svg(icon: Icon) -> impl IntoView {
    view! {
        <svg class="wb-svg-icon" data-icon=icon.name() viewBox="0 0 16 16" width="1em" height="1em"
            fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"
            aria-hidden="true" focusable="false">
            <path d=icon.path()/>
        </svg>
    }
}
