//! Staff's unfinished work on an application, as the browser keeps it: the
//! decisions not yet written back (a [`Draft`], saved on every change and
//! restored after a reload), and the undo / redo of every change
//! ([`UndoHistory`]). Plain data: the UI stores the bytes and reads the
//! clock.

use serde::{Deserialize, Serialize};

use crate::domain::{PersonId, SchoolNumber};
use crate::plan::Decisions;

/// The draft format; a draft of another format is not restored. 2: the
/// serde values in postcard ([`Draft::to_bytes`]); 1 was JSON.
///
/// Postcard writes no field names: change this whenever a field of
/// [`Draft`] or of [`Decisions`] (and what they hold) is added, removed,
/// reordered or changes type, so an older draft is refused instead of
/// misread. (`#[serde(skip_serializing_if)]` must not be used in them:
/// postcard cannot tell a skipped field.)
pub const DRAFT_FORMAT: u32 = 2;

/// Days a draft is kept: an older one is discarded when it is read.
pub const DRAFT_LIFETIME_DAYS: u64 = 14;

const MS_PER_DAY: u64 = 86_400_000;

/// One staff member's unsubmitted decisions on one application, and what
/// the review's slice was grown by (persons picked from a search, schools
/// whose sections were fetched), so the decisions find them again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    /// [`DRAFT_FORMAT`].
    pub format: u32,
    /// The application.
    pub application_id: String,
    /// The staff member (the token's subject) whose draft it is.
    pub staff: String,
    /// When it was saved (RFC 3339, UTC).
    pub saved_at: String,
    /// When it was saved, in milliseconds since the Unix epoch.
    pub saved_at_ms: u64,
    /// The decisions.
    pub decisions: Decisions,
    /// Persons picked from a search: (block, Person.ID).
    #[serde(default)]
    pub picked: Vec<(String, PersonId)>,
    /// Schools whose sections were fetched.
    #[serde(default)]
    pub schools: Vec<SchoolNumber>,
}

/// Why a stored draft is not restored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DraftError {
    /// The text is not a draft of this format (an older version saved it,
    /// or it was changed by hand).
    #[error("the draft saved at this key cannot be read: {0}")]
    Unreadable(String),
    /// Another application's or another staff member's draft.
    #[error("the draft saved at this key belongs to application {application} of {staff}")]
    NotThisOne {
        /// Its application.
        application: String,
        /// Its staff member.
        staff: String,
    },
    /// Older than [`DRAFT_LIFETIME_DAYS`].
    #[error("the draft from {saved_at} is older than {DRAFT_LIFETIME_DAYS} days and was discarded")]
    Expired {
        /// When it was saved.
        saved_at: String,
    },
}

impl Draft {
    /// The storage key of `staff`'s draft of `application` at `relay`.
    pub fn key(relay: &str, staff: &str, application: &str) -> String {
        format!("{}{relay}|{staff}|{application}", Self::KEY_PREFIX)
    }

    /// What every draft's storage key starts with.
    pub const KEY_PREFIX: &'static str = "writeback.draft.v1|";

    /// Reads a stored draft (the bytes of [`Draft::to_bytes`]) of
    /// `application` by `staff`, refusing another's, one of another format,
    /// an unreadable one and one older than [`DRAFT_LIFETIME_DAYS`] at
    /// `now_ms`.
    pub fn from_bytes(bytes: &[u8], application: &str, staff: &str, now_ms: u64) -> Result<Draft, DraftError> {
        let unreadable = |e: postcard::Error| DraftError::Unreadable(e.to_string());
        // The format comes first: another version's draft is refused
        // before its fields are read as this version's.
        let (format, _) = postcard::take_from_bytes::<u32>(bytes).map_err(unreadable)?;
        if format != DRAFT_FORMAT {
            return Err(DraftError::Unreadable(format!("format {format} (this version reads {DRAFT_FORMAT})")));
        }
        let (draft, rest) = postcard::take_from_bytes::<Draft>(bytes).map_err(unreadable)?;
        if !rest.is_empty() {
            return Err(DraftError::Unreadable(format!("{} bytes after the draft", rest.len())));
        }
        draft.accept(application, staff, now_ms)
    }

    /// The draft if it is `staff`'s draft of `application` and not older
    /// than [`DRAFT_LIFETIME_DAYS`] at `now_ms`.
    fn accept(self, application: &str, staff: &str, now_ms: u64) -> Result<Draft, DraftError> {
        let draft = self;
        if draft.application_id != application || draft.staff != staff {
            return Err(DraftError::NotThisOne { application: draft.application_id, staff: draft.staff });
        }
        if draft.is_expired(now_ms) {
            return Err(DraftError::Expired { saved_at: draft.saved_at });
        }
        Ok(draft)
    }

    /// Whether it is older than [`DRAFT_LIFETIME_DAYS`] at `now_ms`.
    pub fn is_expired(&self, now_ms: u64) -> bool {
        now_ms.saturating_sub(self.saved_at_ms) > DRAFT_LIFETIME_DAYS * MS_PER_DAY
    }

    /// The bytes stored: the serde values in postcard, [`DRAFT_FORMAT`]
    /// first. (Binary, not JSON: the widget then carries no JSON reader
    /// for the decisions' many types; docs/benchmarks.md.)
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("a draft serialises")
    }

    /// Whether there is anything to keep: a decision, or a slice grown by
    /// staff (an empty draft is removed rather than saved).
    pub fn holds_work(&self) -> bool {
        self.decisions != Decisions::default() || !self.picked.is_empty() || !self.schools.is_empty()
    }

    /// The draft once the demographics and contacts are written back: only
    /// the course decisions are left to keep (they are submitted apart).
    pub fn after_demographics_written(mut self) -> Draft {
        self.decisions.demographics = Default::default();
        self.decisions.contacts = Default::default();
        self.picked.clear();
        self
    }

    /// The draft once the courses are written back.
    pub fn after_courses_written(mut self) -> Draft {
        self.decisions.courses = Default::default();
        self.schools.clear();
        self
    }
}

/// How many changes can be undone.
pub const UNDO_DEPTH: usize = 200;

/// The undo / redo history of a value: every change recorded, undone and
/// redone in order. A change recorded after an undo drops what could have
/// been redone, as in every editor.
#[derive(Debug, Clone, PartialEq)]
pub struct UndoHistory<T> {
    past: Vec<T>,
    present: T,
    future: Vec<T>,
}

impl<T: Clone + PartialEq> UndoHistory<T> {
    /// A history starting at `present`, with nothing to undo.
    pub fn new(present: T) -> UndoHistory<T> {
        UndoHistory { past: Vec::new(), present, future: Vec::new() }
    }

    /// The current value.
    pub fn present(&self) -> &T {
        &self.present
    }

    /// Records `value` as a change (nothing when it equals the present
    /// value, so the value an undo or redo set is not recorded again).
    /// Returns whether it was a change.
    pub fn record(&mut self, value: T) -> bool {
        if value == self.present {
            return false;
        }
        self.past.push(std::mem::replace(&mut self.present, value));
        if self.past.len() > UNDO_DEPTH {
            self.past.remove(0);
        }
        self.future.clear();
        true
    }

    /// Goes back one change; the value to show, or `None` with nothing to undo.
    pub fn undo(&mut self) -> Option<T> {
        let previous = self.past.pop()?;
        self.future.push(std::mem::replace(&mut self.present, previous));
        Some(self.present.clone())
    }

    /// Goes forward one undone change; the value to show, or `None`.
    pub fn redo(&mut self) -> Option<T> {
        let next = self.future.pop()?;
        self.past.push(std::mem::replace(&mut self.present, next));
        Some(self.present.clone())
    }

    /// Changes that can be undone.
    pub fn undoable(&self) -> usize {
        self.past.len()
    }

    /// Undone changes that can be redone.
    pub fn redoable(&self) -> usize {
        self.future.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demographics::Decision;

    fn draft(saved_at_ms: u64) -> Draft {
        let mut decisions = Decisions::default();
        decisions.demographics.insert("last_name".into(), Decision::Ignore);
        Draft {
            format: DRAFT_FORMAT,
            application_id: "APP-1".into(),
            staff: "registrar".into(),
            saved_at: "2026-12-02T10:42:00Z".into(),
            saved_at_ms,
            decisions,
            picked: vec![("guardian_1".into(), PersonId(50065))],
            schools: vec![SchoolNumber(106)],
        }
    }

    #[test]
    fn a_draft_reads_back_as_saved() {
        let d = draft(1_000);
        assert_eq!(Draft::from_bytes(&d.to_bytes(), "APP-1", "registrar", 2_000), Ok(d));
    }

    /// Every kind of decision, each variant at least once: postcard writes
    /// no names, so a field it cannot tell (a skipped one) shows here.
    #[test]
    fn every_kind_of_decision_reads_back_as_saved() {
        use crate::contacts::decide::{BlockDecision, ContactOption, ContactRef, FieldAction, FieldDecision};
        use crate::contacts::ContactState;
        use crate::courses::{Approval, CourseDecision};
        use crate::domain::{Date, SectionId};
        let mut d = draft(1_000);
        let decisions = &mut d.decisions;
        for (field, decision) in [("first_name", Decision::Edit), ("dob", Decision::Add), ("gender", Decision::Ignore)]
        {
            decisions.demographics.insert(field.into(), decision);
        }
        let end = Date::parse("2026-12-31").ok();
        let options = [
            ContactOption::Update,
            ContactOption::DoNotUpdate,
            ContactOption::Unlink,
            ContactOption::Expire { end_date: end },
        ];
        let states = [
            None,
            Some(ContactState::Undecided),
            Some(ContactState::Confirmed(PersonId(7))),
            Some(ContactState::Rejected(vec![PersonId(8), PersonId(9)])),
            Some(ContactState::New),
        ];
        for (i, state) in states.into_iter().enumerate() {
            let actions = [
                None,
                Some(FieldAction::Update),
                Some(FieldAction::Add),
                Some(FieldAction::Remove),
                Some(FieldAction::Keep),
            ];
            let fields = actions
                .iter()
                .enumerate()
                .map(|(k, a)| {
                    (
                        format!("phone{k}"),
                        FieldDecision { action: *a, phone_type: (k % 2 == 0).then(|| "Mobile".into()) },
                    )
                })
                .collect();
            let block = BlockDecision {
                state,
                option: options[i % options.len()],
                fields,
                data_access: [None, Some(true), Some(false)][i % 3],
                portal_email: (i % 2 == 1).then(|| format!("parent{i}@example.org")),
                also_rejected: (0..i as i64).map(PersonId).collect(),
            };
            decisions.contacts.blocks.insert(format!("guardian_{i}"), block);
        }
        decisions.contacts.existing.insert(PersonId(11), ContactOption::Expire { end_date: None });
        decisions.contacts.order = vec![ContactRef::Block("guardian_1".into()), ContactRef::Person(PersonId(11))];
        for (i, approval) in [Approval::Pending, Approval::Approved, Approval::Denied].into_iter().enumerate() {
            let course = CourseDecision {
                section_id: (i > 0).then_some(SectionId(30 + i as i64)),
                entry_date: end,
                approval,
                confirm_full: i == 1,
            };
            decisions.courses.insert(format!("MA{i}"), course);
        }
        assert_eq!(Draft::from_bytes(&d.to_bytes(), "APP-1", "registrar", 2_000), Ok(d));
    }

    #[test]
    fn a_draft_of_another_application_or_staff_member_is_refused() {
        let bytes = draft(1_000).to_bytes();
        let other = DraftError::NotThisOne { application: "APP-1".into(), staff: "registrar".into() };
        assert_eq!(Draft::from_bytes(&bytes, "APP-2", "registrar", 2_000), Err(other.clone()));
        assert_eq!(Draft::from_bytes(&bytes, "APP-1", "clerk", 2_000), Err(other));
    }

    #[test]
    fn an_old_or_unreadable_draft_is_refused_with_the_reason() {
        let d = draft(0);
        let late = DRAFT_LIFETIME_DAYS * MS_PER_DAY + 1;
        assert_eq!(
            Draft::from_bytes(&d.to_bytes(), "APP-1", "registrar", late),
            Err(DraftError::Expired { saved_at: "2026-12-02T10:42:00Z".into() })
        );
        assert!(Draft::from_bytes(&d.to_bytes(), "APP-1", "registrar", late - 1).is_ok());
        let older = Draft { format: 1, ..d.clone() }.to_bytes();
        let err = Draft::from_bytes(&older, "APP-1", "registrar", 1).unwrap_err();
        assert_eq!(err.to_string(), "the draft saved at this key cannot be read: format 1 (this version reads 2)");
        let bytes = d.to_bytes();
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            let read = Draft::from_bytes(&bytes[..cut], "APP-1", "registrar", 1);
            assert!(matches!(read, Err(DraftError::Unreadable(_))), "cut at {cut}: {read:?}");
        }
        let longer = [bytes.as_slice(), &[0]].concat();
        assert_eq!(
            Draft::from_bytes(&longer, "APP-1", "registrar", 1),
            Err(DraftError::Unreadable("1 bytes after the draft".into()))
        );
    }

    #[test]
    fn writing_back_one_part_keeps_the_other_parts_decisions() {
        let d = draft(0);
        let after = d.clone().after_demographics_written();
        assert!(after.decisions.demographics.is_empty() && after.picked.is_empty());
        assert_eq!(after.schools, vec![SchoolNumber(106)], "the course part stays");
        assert!(after.holds_work());
        assert!(!after.after_courses_written().holds_work());
    }

    #[test]
    fn undo_and_redo_walk_the_changes_in_order() {
        let mut h = UndoHistory::new(0);
        assert!(h.record(1) && h.record(2));
        assert!(!h.record(2), "the same value is no change");
        assert_eq!((h.undo(), h.undo(), h.undo()), (Some(1), Some(0), None));
        assert_eq!(h.redo(), Some(1));
        assert_eq!((h.undoable(), h.redoable()), (1, 1));
        // A new change after an undo drops what could have been redone.
        assert!(h.record(5));
        assert_eq!((h.redo(), h.present()), (None, &5));
        assert_eq!((h.undo(), h.undo(), h.undo()), (Some(1), Some(0), None));
    }

    #[test]
    fn undo_keeps_the_last_changes_up_to_its_depth() {
        let mut h = UndoHistory::new(0);
        for v in 1..=(UNDO_DEPTH + 10) {
            h.record(v);
        }
        assert_eq!(h.undoable(), UNDO_DEPTH);
        while h.undo().is_some() {}
        assert_eq!(h.present(), &10);
    }
}
