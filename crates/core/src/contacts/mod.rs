//! Contact matching: which existing PowerSchool persons a contact block on
//! the application may be, with the evidence in words, flags, the other
//! students each person is a contact of, and the family's other blocks
//! describing the same person.
//!
//! Build a [`ContactIndex`] once per snapshot; then [`find_candidates`] for
//! one block (cheap enough to re-run on every edit) or [`match_application`]
//! for all blocks of an application. Pure: no I/O, no clock (`today` is
//! passed in), deterministic.
//!
//! - `normalize/`: names (folding, titles, suffixes, compound names,
//!   nicknames), phones, emails, typos, one module each;
//! - `index`, `intern`: the index over persons;
//! - `form`, `profile`: a block and a person as comparable values;
//! - `compare`, `evidence`: field-by-field evidence, flags and points;
//! - `find`, `links`, `application`: gathering and ranking candidates, used
//!   by and family, all blocks of an application;
//! - `search`: staff's search of the persons by name, phone or email from a block;
//! - `state`: the staff decision on a block.
//!
//! The matcher's accuracy on a labelled district is `writeback-synth`'s
//! `eval`.

mod application;
mod compare;
pub mod decide;
mod evidence;
mod find;
mod form;
mod index;
mod intern;
mod links;
pub mod normalize;
mod profile;
mod search;
mod state;
#[cfg(test)]
mod tests;

pub use application::match_application;
pub use evidence::{Confidence, Evidence, EvidenceField, Flag, FlagKind};
pub use find::{
    find_candidates, persons_compared, Candidate, ContactMatches, MatchContext, SamePerson, MAX_CANDIDATES,
    RARE_LAST_NAME, TAIL_PERCENT,
};
pub use form::{FormAddress, FormContact, FormEmail, FormPhone, NotMatchable};
pub use index::ContactIndex;
pub use links::{family, Sibling, UsedBy};
pub use search::{add_picked, search_persons, Found, SearchError, MAX_FOUND};
pub use state::ContactState;
