//! What staff decide for each requested course: the whole state of the
//! course writeback, serializable with the rest of the review's decisions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::{Date, SectionId};

/// The approval of a requested course.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approval {
    /// Nothing decided yet: not written, not denied.
    #[default]
    Pending,
    /// The chosen section is written back.
    Approved,
    /// The course is denied and not written back.
    Denied,
}

crate::domain::named_variants!(Approval, "course approval" {
    Pending => "pending",
    Approved => "approved",
    Denied => "denied",
});

impl Approval {
    /// The approval as staff see it.
    pub fn label(self) -> &'static str {
        match self {
            Approval::Pending => "Pending",
            Approval::Approved => "Approved",
            Approval::Denied => "Denied",
        }
    }
}

/// Staff's decision on one requested course. Every field has a default, so
/// `{}` is a pending course with nothing chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CourseDecision {
    /// Sections.ID of the chosen section (not needed to deny).
    pub section_id: Option<SectionId>,
    /// The entry date (DateEnrolled); `None`: the default for the section's
    /// term (see [`super::default_entry_date`]).
    pub entry_date: Option<Date>,
    /// Pending, Approved or Denied.
    pub approval: Approval,
    /// Staff confirmed enrolling in a full section.
    pub confirm_full: bool,
}

/// Decisions on courses: Courses.Course_Number (as the review's rows show
/// it) -> decision. Courses not listed are pending.
pub type CourseDecisions = BTreeMap<String, CourseDecision>;
