//! The review of contact decisions (issue 4): for each form block, who it
//! is (confirm, reject, new), what to do with the contact (update, do not
//! update, unlink, expire), each email, phone and address (update, add,
//! remove, keep), parent portal data access, and the final order; the
//! blockers, warnings, and the "Student Contacts" import file.
//!
//! [`ContactsReview::prepare`] reads the blocks, gathers the persons and
//! pairs the fields once; [`ContactsReview::decide`] is cheap and pure.
//!
//! - `types`: decisions (serde) and outcome;
//! - `codes`: the district's CodeSet lookups;
//! - `flags`: the relationship flags and their columns;
//! - `records`: form values and existing persons' records;
//! - `pairing`: form values paired with existing records;
//! - `order`: the final order;
//! - `rows`: a contact's rows in the file;
//! - `review`: the prepared review (form values read, persons gathered,
//!   fields paired);
//! - `outcome`: decide, step by step, up to the rows and the file;
//! - `existing`: the student's other contacts;
//! - `block`: one block under its decision (who it is, the option, the
//!   plan it writes);
//! - `fields`: a block's emails, phones and addresses under their actions;
//! - `access`: parent portal data access and its email.

mod access;
mod block;
mod codes;
mod existing;
mod fields;
mod flags;
mod order;
mod outcome;
mod pairing;
mod records;
mod review;
mod rows;
mod types;

#[cfg(test)]
mod tests;

pub use review::{ContactsReview, REFUSED};
pub use types::{
    BlockDecision, BlockOutcome, ContactBlocker, ContactDecisions, ContactOption, ContactRef, ContactsOutcome,
    ExistingOutcome, FieldAction, FieldDecision, FieldKind, FieldRow, MatchAction, UnusedContact,
};
