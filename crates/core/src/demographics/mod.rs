//! The student-demographics review: each mapped form field beside its
//! current PowerSchool value, how they compare, which decisions (Edit, Add,
//! Ignore) are possible, and the highlight staff see.
//!
//! [`DemographicsReview::new`] does the comparing once per application;
//! applying decisions ([`DemographicsReview::rows`]) is cheap, so the UI can
//! redo it on every click.

mod compare;
mod value;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use compare::Comparison;
pub use value::normalise;

#[cfg(test)]
mod tests;

use crate::application::{Application, FieldMappings, FieldTarget};
use crate::snapshot::{Snapshot, Student};

/// What staff decide for one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Replace the PowerSchool value with the form's.
    Edit,
    /// Write the form's value where PowerSchool has none.
    Add,
    /// Leave PowerSchool as it is.
    Ignore,
}

crate::domain::named_variants!(Decision, "field decision" { Edit => "edit", Add => "add", Ignore => "ignore" });

impl Decision {
    /// The decision's name as staff see it.
    pub fn label(self) -> &'static str {
        match self {
            Decision::Edit => "Edit",
            Decision::Add => "Add",
            Decision::Ignore => "Ignore",
        }
    }

    /// Whether the field is written to the import file.
    pub fn writes(self) -> bool {
        !matches!(self, Decision::Ignore)
    }
}

/// The highlight of a field once decided: colour plus words, never colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Highlight {
    /// Data that stays in PowerSchool.
    Green,
    /// Data that will be replaced in PowerSchool.
    Red,
    /// Data that exists on one side only.
    Yellow,
    /// Nothing on either side.
    None,
}

/// Staff decisions on demographics: form field id -> decision. Fields not
/// listed take their default.
pub type DemographicsDecisions = BTreeMap<String, Decision>;

/// One mapped field, compared (before any decision).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldComparison {
    /// The form field's id.
    pub form_field: String,
    /// Its label in staff words.
    pub label: String,
    /// The PowerSchool field.
    pub target: FieldTarget,
    /// core, legal (core), extension or custom.
    pub kind: &'static str,
    /// PowerSchool's current value (`None` when blank).
    pub current: Option<String>,
    /// The form's value as it would be written (`None` when blank).
    pub proposed: Option<String>,
    /// How the two compare.
    pub comparison: Comparison,
    /// The decisions that make sense here, default first.
    pub allowed: Vec<Decision>,
    /// Why the district protects this field, if it does.
    pub protected: Option<String>,
    /// Why the form's value cannot be written as it is, if so.
    pub problem: Option<String>,
}

/// One field as staff see it, with its decision applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldRow {
    /// The comparison.
    #[serde(flatten)]
    pub field: FieldComparison,
    /// The decision in force (staff's, or the default).
    pub decision: Decision,
    /// Whether `decision` is the default.
    pub is_default: bool,
    /// Highlight colour.
    pub highlight: Highlight,
    /// The highlight in words, e.g. "Will be replaced".
    pub status: &'static str,
    /// A remark staff should read (protection, case-only difference ...).
    pub note: Option<String>,
}

/// A problem with a decision that blocks writing the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldBlocker {
    /// The form field.
    pub form_field: String,
    /// What is wrong.
    pub message: String,
}

/// The demographics review of one application.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemographicsReview {
    /// Whether the student exists in the snapshot.
    pub in_powerschool: bool,
    /// Every mapped field, in mapping order.
    pub fields: Vec<FieldComparison>,
}

impl DemographicsReview {
    /// Compares every mapped field of `application` with the PowerSchool
    /// record of `student` (`None`: not in PowerSchool, every value new).
    pub fn new(
        snapshot: &Snapshot,
        student: Option<&Student>,
        application: &Application,
        mappings: &FieldMappings,
    ) -> DemographicsReview {
        let fields = mappings
            .student_fields
            .iter()
            .map(|m| {
                let current = student.and_then(|s| m.target.value(snapshot, s));
                let raw = application.student.get(&m.form_field).map(String::as_str).unwrap_or("");
                let protection = mappings.protection(&m.target).map(|p| p.reason.clone());
                compare::compare(m, current.as_deref().unwrap_or(""), raw, protection)
            })
            .collect();
        DemographicsReview { in_powerschool: student.is_some(), fields }
    }

    /// The fields with `decisions` applied. A decision that is not allowed
    /// for its field is not applied (see [`DemographicsReview::blockers`]).
    pub fn rows(&self, decisions: &DemographicsDecisions) -> Vec<FieldRow> {
        self.fields.iter().map(|f| f.decided(decisions.get(&f.form_field).copied())).collect()
    }

    /// What blocks writing: decisions not allowed for their field, decisions
    /// naming unknown fields, and values that cannot be written.
    pub fn blockers(&self, decisions: &DemographicsDecisions) -> Vec<FieldBlocker> {
        let mut out = Vec::new();
        for (field, d) in decisions {
            match self.fields.iter().find(|f| &f.form_field == field) {
                None => out.push(FieldBlocker {
                    form_field: field.clone(),
                    message: format!("a decision is given for {field:?}, which is not a mapped student field"),
                }),
                Some(f) if !f.allowed.contains(d) => out.push(FieldBlocker {
                    form_field: field.clone(),
                    message: format!(
                        "{}: {} is not possible here ({}); choose {}",
                        f.label,
                        d.label(),
                        f.comparison.describe(),
                        f.allowed.iter().map(|a| a.label()).collect::<Vec<_>>().join(" or ")
                    ),
                }),
                Some(_) => {}
            }
        }
        for row in self.rows(decisions) {
            if let (true, Some(p)) = (row.decision.writes(), &row.field.problem) {
                out.push(FieldBlocker {
                    form_field: row.field.form_field.clone(),
                    message: format!("{}: {p}", row.field.label),
                });
            }
        }
        out
    }

    /// The (header, value) pairs the Students file writes under `decisions`:
    /// exactly the fields decided Edit or Add.
    pub fn written_fields(&self, decisions: &DemographicsDecisions) -> Vec<(String, String)> {
        self.rows(decisions)
            .into_iter()
            .filter(|r| r.decision.writes())
            .map(|r| (r.field.target.header(), r.field.proposed.unwrap_or_default()))
            .collect()
    }
}

impl FieldComparison {
    /// The default decision: the first allowed one.
    pub fn default_decision(&self) -> Decision {
        self.allowed.first().copied().unwrap_or(Decision::Ignore)
    }

    /// This field with `choice` (or the default, if `None` or not allowed).
    pub fn decided(&self, choice: Option<Decision>) -> FieldRow {
        let default = self.default_decision();
        let decision = choice.filter(|c| self.allowed.contains(c)).unwrap_or(default);
        let (highlight, status) = compare::highlight(self.comparison, decision);
        let note = match (&self.protected, self.comparison) {
            (Some(reason), _) => Some(format!("Protected by the district: {reason}")),
            (None, Comparison::DiffersInCaseOrSpacing) => Some("Differs only in case or spacing".to_string()),
            (None, Comparison::DiffersInFormat) => Some("Same value, written differently".to_string()),
            _ => None,
        };
        FieldRow { field: self.clone(), decision, is_default: decision == default, highlight, status, note }
    }
}
