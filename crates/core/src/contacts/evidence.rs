//! What a candidate is shown with: evidence field by field, and flags that
//! need a person's attention, each in words staff read.

use serde::{Deserialize, Serialize};

/// The part of a contact a piece of evidence is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceField {
    /// The first name.
    FirstName,
    /// The middle name.
    MiddleName,
    /// The last name.
    LastName,
    /// First and last name together (e.g. swapped).
    Name,
    /// An email address.
    Email,
    /// A phone number.
    Phone,
    /// A street address (the household's: it supports a name).
    Address,
    /// The relationship on the form (a Mother is a woman).
    Relationship,
    /// A link in PowerSchool or the family's batch (this student, a sibling).
    Link,
}

/// One reason a candidate may be the form's contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// What it is about.
    pub field: EvidenceField,
    /// In words: "first name nickname Bob = Robert".
    pub text: String,
    /// What it adds to the score (negative for a disagreement that counts
    /// against, e.g. different middle names).
    pub points: i32,
}

impl Evidence {
    pub(crate) fn new(field: EvidenceField, points: i32, text: impl Into<String>) -> Evidence {
        Evidence { field, text: text.into(), points }
    }
}

/// What kind of attention a flag asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// The person's name differs from the form's although an email or phone
    /// agrees (a name change, or the wrong person: match by hand).
    NameMismatch,
    /// The same number has a different phone type in PowerSchool (the
    /// writeback may fail until resolved).
    PhoneTypeMismatch,
    /// The person is inactive in PowerSchool (matching reactivates them).
    Inactive,
    /// Another block of the same application claims this person too.
    ClaimedByOtherBlock,
}

/// A warning on a candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    /// The kind.
    pub kind: FlagKind,
    /// In words.
    pub text: String,
}

impl Flag {
    pub(crate) fn new(kind: FlagKind, text: impl Into<String>) -> Flag {
        Flag { kind, text: text.into() }
    }
}

/// How likely a candidate is the form's contact, in a word staff read
/// instead of a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Only a name agrees (a namesake), or less: not a likely match.
    Weak,
    /// Worth a look: an identifier with part of the name, or the whole name
    /// with a near-miss identifier or a family link.
    Possible,
    /// An email or phone and the name agree, or the person is already this
    /// student's contact under that name.
    Strong,
}

impl Confidence {
    /// Whether staff are shown the candidate as a likely match.
    pub fn likely(self) -> bool {
        self >= Confidence::Possible
    }

    /// The word staff read.
    pub fn label(self) -> &'static str {
        match self {
            Confidence::Strong => "strong",
            Confidence::Possible => "possible",
            Confidence::Weak => "weak",
        }
    }
}

/// Sums evidence points into a score (never below zero).
pub(crate) fn score(evidence: &[Evidence]) -> u32 {
    evidence.iter().map(|e| e.points).sum::<i32>().max(0) as u32
}
