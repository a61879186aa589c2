//! The decisions staff make on an application's contacts (serialized with
//! the review state) and what they produce.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::contacts::ContactState;
use crate::domain::{Date, PersonId};
use crate::flatfile::ContactsFile;

/// Every contact decision on one application.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactDecisions {
    /// Per form block (by block id): who it is, the contact option, field
    /// decisions and data access. Blocks not listed keep their defaults.
    #[serde(default)]
    pub blocks: BTreeMap<String, BlockDecision>,
    /// The student's existing contacts that no block is (by Person.ID):
    /// unlink or expire; not listed means kept as they are.
    #[serde(default)]
    pub existing: BTreeMap<PersonId, ContactOption>,
    /// The final order staff set (moving up/down or dragging). Contacts not
    /// listed follow in the default order; expired contacts go to the end.
    #[serde(default)]
    pub order: Vec<ContactRef>,
}

/// The decisions on one form block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockDecision {
    /// Confirmed, rejected, new; `None`: the initial state (undecided when
    /// candidates exist, new otherwise).
    #[serde(default)]
    pub state: Option<ContactState>,
    /// What to do with the contact.
    #[serde(default)]
    pub option: ContactOption,
    /// Field decisions by field row key (`email1`, `phone2`, `address1`).
    #[serde(default)]
    pub fields: BTreeMap<String, FieldDecision>,
    /// Parent portal data access; `None`: as the form asks.
    #[serde(default)]
    pub data_access: Option<bool>,
    /// The contact's email the parent portal account uses; `None`: the
    /// primary email (written, else kept), else the first written.
    #[serde(default)]
    pub portal_email: Option<String>,
    /// Candidates staff said are not this block's person while the state is
    /// not [`ContactState::Rejected`] (another confirmed, or new): kept, so
    /// one decision never silently undoes another. Change it through
    /// [`BlockDecision::confirm`], [`BlockDecision::reject`] and the like.
    #[serde(default)]
    pub also_rejected: Vec<PersonId>,
}

/// What staff do to a block's match, one click each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchAction {
    /// "Confirm": the block is this person.
    Confirm(PersonId),
    /// "Not this person" (pressed).
    Reject(PersonId),
    /// "Not this person" pressed again: withdrawn.
    Unreject(PersonId),
    /// "New contact".
    New,
    /// "Undo decision".
    Undo,
}

impl BlockDecision {
    /// Applies one of staff's clicks.
    pub fn apply(&mut self, action: MatchAction) {
        match action {
            MatchAction::Confirm(p) => self.confirm(p),
            MatchAction::Reject(p) => self.reject(p),
            MatchAction::Unreject(p) => self.unreject(p),
            MatchAction::New => self.mark_new(),
            MatchAction::Undo => self.clear(),
        }
    }

    /// Every candidate staff said is not this block's person, sorted.
    pub fn rejected(&self) -> Vec<PersonId> {
        let mut ids = self.also_rejected.clone();
        if let Some(ContactState::Rejected(r)) = &self.state {
            ids.extend(r);
        }
        crate::sort::values(&mut ids);
        ids.dedup();
        ids
    }

    /// Whether staff said `person` is not this block's person.
    pub fn is_rejected(&self, person: PersonId) -> bool {
        self.also_rejected.contains(&person)
            || matches!(&self.state, Some(ContactState::Rejected(r)) if r.contains(&person))
    }

    /// The block is `person`. Other candidates stay rejected; `person`'s
    /// own rejection is withdrawn.
    pub fn confirm(&mut self, person: PersonId) {
        let mut rejected = self.rejected();
        rejected.retain(|&p| p != person);
        self.also_rejected = rejected;
        self.state = Some(ContactState::Confirmed(person));
    }

    /// `person` is not the block's person. Another person's confirmation
    /// stays; rejecting the confirmed person withdraws the confirmation.
    pub fn reject(&mut self, person: PersonId) {
        let mut rejected = self.rejected();
        if !rejected.contains(&person) {
            rejected.push(person);
            crate::sort::values(&mut rejected);
        }
        match self.state {
            Some(ContactState::Confirmed(p)) if p != person => self.also_rejected = rejected,
            Some(ContactState::New) => self.also_rejected = rejected,
            _ => {
                self.also_rejected.clear();
                self.state = Some(ContactState::Rejected(rejected));
            }
        }
    }

    /// Withdraws the rejection of `person`; nothing else changes.
    pub fn unreject(&mut self, person: PersonId) {
        self.also_rejected.retain(|&p| p != person);
        if let Some(ContactState::Rejected(r)) = &mut self.state {
            r.retain(|&p| p != person);
            if r.is_empty() {
                self.state = None;
            }
        }
    }

    /// The block is a new person; rejections stay recorded.
    pub fn mark_new(&mut self) {
        self.also_rejected = self.rejected();
        self.state = Some(ContactState::New);
    }

    /// Back to undecided: the confirmation and every rejection withdrawn
    /// (staff's "Undo decision"); field decisions stay.
    pub fn clear(&mut self) {
        self.also_rejected.clear();
        self.state = None;
    }
}

/// What to do with a contact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactOption {
    /// Write the form's values (the default). For an existing contact not on
    /// the form: keep it as it is.
    #[default]
    Update,
    /// Keep the person unchanged: no rows for it (a new block is not
    /// created).
    DoNotUpdate,
    /// Remove the link to this student entirely (`#delete` in
    /// studentNumber); the person stays in PowerSchool.
    Unlink,
    /// End the relationship on a date (a `#new` detail with Relationship
    /// End Date); the contact moves to the end of the order.
    Expire {
        /// The end date; `None` blocks until chosen.
        end_date: Option<Date>,
    },
}

/// A contact in the order: a form block, or an existing contact of the
/// student by Person.ID.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactRef {
    /// A form block by id.
    Block(String),
    /// A person by Person.ID.
    Person(PersonId),
}

/// What to do with one email, phone or address row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldAction {
    /// The existing record gets the form's value (same Contact…ID).
    Update,
    /// The form's value is added as a new record (the existing one, if any,
    /// is kept: "both are correct").
    Add,
    /// The existing record is removed (`#delete`); the form's value is not
    /// written.
    Remove,
    /// Do not update: nothing is written for this row.
    Keep,
}

crate::domain::named_variants!(FieldAction, "record action" {
    Update => "update",
    Add => "add",
    Remove => "remove",
    Keep => "keep",
});

/// Staff's decision on one field row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDecision {
    /// `None`: the row's default.
    #[serde(default)]
    pub action: Option<FieldAction>,
    /// For a phone: the phone type chosen (a CodeSet Phone code), which
    /// resolves a type mismatch.
    #[serde(default)]
    pub phone_type: Option<String>,
}

/// The kind of a field row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// An email address.
    Email,
    /// A phone number.
    Phone,
    /// An address.
    Address,
}

/// One email, phone or address of a block: the form's value paired with an
/// existing record, decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldRow {
    /// The key field decisions use (`email1`).
    pub key: String,
    /// Email, phone or address.
    pub kind: FieldKind,
    /// The form's value in words, with its type.
    pub form: Option<String>,
    /// The existing value in words, with its type.
    pub existing: Option<String>,
    /// Whether both are the same value.
    pub same: bool,
    /// For phones: the form's type and the existing type differ.
    pub type_mismatch: bool,
    /// The decisions this row allows.
    pub allowed: Vec<FieldAction>,
    /// The decision in effect (the default when staff made none).
    pub action: FieldAction,
    /// The phone type written, for phones.
    pub phone_type: Option<String>,
}

/// A block decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockOutcome {
    /// The block's id.
    pub block: String,
    /// The state in effect.
    pub state: ContactState,
    /// Every candidate staff said is not this block's person (also while
    /// another is confirmed).
    pub rejected: Vec<PersonId>,
    /// Whether the state settles the block.
    pub decided: bool,
    /// The person the block writes, if an existing one.
    pub person: Option<PersonId>,
    /// The option in effect.
    pub option: ContactOption,
    /// The options allowed for this block's person.
    pub allowed_options: Vec<ContactOption>,
    /// 1-based position in the final order; `None` when not a contact of
    /// the student afterwards (unlinked, not created, skipped).
    pub position: Option<usize>,
    /// The emails, phones and addresses, decided.
    pub fields: Vec<FieldRow>,
    /// Whether the contact gets parent portal data access.
    pub data_access: bool,
    /// The parent portal email data access uses (valid and free), when
    /// data access is asked for.
    pub portal_email: Option<String>,
    /// The contact's emails after the writeback, any of which staff may
    /// choose as the parent portal email.
    pub portal_email_choices: Vec<String>,
    /// What staff should know (shared contacts, skipped blocks).
    pub warnings: Vec<String>,
}

/// One of the student's existing contacts that no block is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExistingOutcome {
    /// Person.ID.
    pub person: PersonId,
    /// The name as PowerSchool has it.
    pub name: String,
    /// The option in effect (`Update` keeps it as it is).
    pub option: ContactOption,
    /// The options allowed: keep (`Update`) and unlink always; expire while
    /// the relationship is current.
    pub allowed_options: Vec<ContactOption>,
    /// The relationship has already ended in PowerSchool.
    pub ended: bool,
    /// 1-based position in the final order; `None` when unlinked.
    pub position: Option<usize>,
    /// The form block not yet decided that may be this person (a likely
    /// candidate of it): until that block is decided the person is only
    /// kept as they are, and is in the order once, as that block.
    pub may_be: Option<String>,
}

/// An expired contact that another form block may be: shown at the bottom
/// as an unused contact, so staff can check that block before expiring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnusedContact {
    /// Person.ID.
    pub person: PersonId,
    /// The name as PowerSchool has it.
    pub name: String,
    /// The relationship's end date chosen, if any.
    pub end_date: Option<Date>,
    /// The form blocks whose candidates include the person (not confirmed
    /// as them).
    pub matches_blocks: Vec<String>,
}

/// Something to resolve before the contacts file can be written, with the
/// block (or existing person) it concerns so the UI can jump to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactBlocker {
    /// The form block, if the problem is in one.
    pub block: Option<String>,
    /// The existing contact not on the form, if the problem is in one.
    pub person: Option<PersonId>,
    /// The field row key (`phone1`) or column, if one.
    pub field: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

/// The contacts under a set of decisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactsOutcome {
    /// The form blocks, in form order.
    pub blocks: Vec<BlockOutcome>,
    /// The student's other existing contacts.
    pub existing: Vec<ExistingOutcome>,
    /// The final order.
    pub order: Vec<ContactRef>,
    /// What blocks writing; empty when the file may go.
    pub blockers: Vec<ContactBlocker>,
    /// Warnings that do not block.
    pub warnings: Vec<String>,
    /// Expired contacts that match another form block (the bottom of the
    /// list).
    pub unused: Vec<UnusedContact>,
    /// What staff must do in PowerSchool after the import, because the
    /// Student Contacts template has no column for it (data access).
    pub follow_ups: Vec<String>,
    /// The district's order mapping used for the default order: the blocks
    /// of the combination, in their order; `None`: the form's order.
    pub order_mapping: Option<Vec<String>>,
    /// The Student Contacts file, when nothing blocks and something is
    /// written.
    #[serde(skip)]
    pub file: Option<ContactsFile>,
    /// The file's exact text.
    pub file_text: Option<String>,
}
