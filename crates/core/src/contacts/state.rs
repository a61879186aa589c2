//! The staff decision on a contact block, for the review document.

use serde::{Deserialize, Serialize};

use super::find::ContactMatches;
use crate::domain::PersonId;

/// What staff decided about a block's candidates. A possible match must be
/// confirmed or explicitly rejected before the writeback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactState {
    /// Candidates exist and nothing is decided.
    Undecided,
    /// The block is this existing person (Person.ID).
    Confirmed(PersonId),
    /// These candidates are not the block's person.
    Rejected(Vec<PersonId>),
    /// The block is a new person.
    New,
}

impl ContactState {
    /// The state before any decision: undecided when there are candidates,
    /// new when there are none.
    pub fn initial(matches: &ContactMatches) -> ContactState {
        if matches.candidates.is_empty() {
            ContactState::New
        } else {
            ContactState::Undecided
        }
    }

    /// Whether the block is settled: confirmed, new, or every candidate
    /// rejected.
    pub fn is_decided(&self, matches: &ContactMatches) -> bool {
        match self {
            ContactState::Undecided => matches.candidates.is_empty(),
            ContactState::Confirmed(id) => matches.candidates.iter().any(|c| c.person_id == *id),
            ContactState::Rejected(ids) => matches.candidates.iter().all(|c| ids.contains(&c.person_id)),
            ContactState::New => true,
        }
    }
}
