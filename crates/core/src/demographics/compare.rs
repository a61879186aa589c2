//! Comparing one field's PowerSchool value with the form's.

use serde::Serialize;

use super::value::{equal_as_values, normalise, same_ignoring_case_and_spacing};
use super::{Decision, FieldComparison, Highlight};
use crate::application::StudentFieldMapping;

/// How the form's value compares with PowerSchool's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// Identical.
    Same,
    /// The same apart from letter case or spaces ("SMITH" / "Smith ").
    DiffersInCaseOrSpacing,
    /// The same value written differently (a date or phone format).
    DiffersInFormat,
    /// Different values.
    Different,
    /// Only the form has a value.
    OnlyOnForm,
    /// Only PowerSchool has a value.
    OnlyInPowerSchool,
    /// Blank on both sides.
    BothEmpty,
}

impl Comparison {
    /// The comparison in staff words.
    pub fn describe(self) -> &'static str {
        match self {
            Comparison::Same => "the values are the same",
            Comparison::DiffersInCaseOrSpacing => "the values differ only in case or spacing",
            Comparison::DiffersInFormat => "the same value, written differently",
            Comparison::Different => "the values differ",
            Comparison::OnlyOnForm => "only the form has a value",
            Comparison::OnlyInPowerSchool => "only PowerSchool has a value",
            Comparison::BothEmpty => "both are blank",
        }
    }
}

/// Compares one mapped field.
pub(crate) fn compare(
    mapping: &StudentFieldMapping,
    current: &str,
    form_value: &str,
    protected: Option<String>,
) -> FieldComparison {
    let current = current.trim();
    let normalised = normalise(&mapping.target, form_value);
    let (proposed, problem) = match normalised {
        Ok(v) => (v, None),
        Err(p) => (Some(form_value.trim().to_string()).filter(|v| !v.is_empty()), Some(p)),
    };
    let comparison = match (current.is_empty(), proposed.as_deref()) {
        (true, None) => Comparison::BothEmpty,
        (false, None) => Comparison::OnlyInPowerSchool,
        (true, Some(_)) => Comparison::OnlyOnForm,
        (false, Some(p)) if p == current => Comparison::Same,
        (false, Some(p)) if same_ignoring_case_and_spacing(p, current) => Comparison::DiffersInCaseOrSpacing,
        (false, Some(p)) if equal_as_values(&mapping.target, p, current) => Comparison::DiffersInFormat,
        (false, Some(_)) => Comparison::Different,
    };
    use Decision::*;
    let allowed = match (comparison, protected.is_some()) {
        (Comparison::Same | Comparison::BothEmpty | Comparison::OnlyInPowerSchool, _) => vec![Ignore],
        (Comparison::OnlyOnForm, false) => vec![Add, Ignore],
        // Adding where PowerSchool is blank overwrites nothing, but a
        // protected field still defaults to Ignore.
        (Comparison::OnlyOnForm, true) => vec![Ignore, Add],
        (Comparison::Different, false) => vec![Edit, Ignore],
        (Comparison::DiffersInCaseOrSpacing | Comparison::DiffersInFormat, false) => vec![Ignore, Edit],
        // A protected value is never overwritten.
        (Comparison::Different | Comparison::DiffersInCaseOrSpacing | Comparison::DiffersInFormat, true) => {
            vec![Ignore]
        }
    };
    FieldComparison {
        form_field: mapping.form_field.clone(),
        label: mapping.label.clone(),
        target: mapping.target.clone(),
        kind: mapping.target.kind(),
        current: Some(current.to_string()).filter(|c| !c.is_empty()),
        proposed,
        comparison,
        allowed,
        protected,
        problem,
    }
}

/// The highlight (and its words) of a comparison under a decision.
pub(crate) fn highlight(comparison: Comparison, decision: Decision) -> (Highlight, &'static str) {
    match (comparison, decision) {
        (Comparison::BothEmpty, _) => (Highlight::None, "Blank on both sides"),
        (Comparison::OnlyOnForm, Decision::Ignore) => (Highlight::Yellow, "Form only: not written"),
        (Comparison::OnlyOnForm, _) => (Highlight::Yellow, "Form only: will be added"),
        (Comparison::OnlyInPowerSchool, _) => (Highlight::Yellow, "PowerSchool only: stays"),
        (_, Decision::Ignore) => (Highlight::Green, "Stays in PowerSchool"),
        (Comparison::Same, _) => (Highlight::Green, "Stays in PowerSchool"),
        (_, _) => (Highlight::Red, "Will be replaced"),
    }
}
