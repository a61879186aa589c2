//! The student's contacts that no block is: each kept, unlinked or
//! expired; held as they are while an undecided block may be them; and
//! the blocks that claim the same person.

use std::collections::BTreeMap;

use super::flags::RelationshipFlags;
use super::outcome::{ContactPlan, ContactsDraft};
use super::records::PersonRecords;
use super::review::{base_plan, ContactsReview};
use super::rows::{LinkPlan, Plan, PlanKey};
use super::types::{ContactBlocker, ContactOption, ContactRef, ExistingOutcome};
use crate::contacts::{Confidence, ContactState};
use crate::domain::{Date, PersonId};

impl ContactsDraft<'_> {
    /// The persons confirmed for a block, with their blocks; a blocker on
    /// each block of a person confirmed twice (one person is one contact).
    pub(super) fn claims(&mut self) -> BTreeMap<PersonId, Vec<String>> {
        let mut claims: BTreeMap<PersonId, Vec<String>> = BTreeMap::new();
        for o in &self.blocks {
            if let (ContactState::Confirmed(p), Some(_)) = (&o.state, o.person) {
                claims.entry(*p).or_default().push(o.block.clone());
            }
        }
        for (person, blocks) in claims.iter().filter(|(_, blocks)| blocks.len() > 1) {
            for b in blocks {
                let others: Vec<&str> = blocks.iter().filter(|o| *o != b).map(String::as_str).collect();
                self.blockers.push(ContactBlocker {
                    block: Some(b.clone()),
                    person: Some(*person),
                    field: None,
                    message: format!(
                        "{} is also confirmed for {}: one person cannot be two contacts; confirm someone else or choose New",
                        self.review.person_name(*person),
                        others.join(", ")
                    ),
                });
            }
        }
        claims
    }

    /// The student's other contacts under staff's options; `claims`: the
    /// persons a block is confirmed as, who are that block instead.
    pub(super) fn decide_existing(&mut self, claims: &BTreeMap<PersonId, Vec<String>>) {
        let (review, decisions) = (self.review, self.decisions);
        let pending = self.pending();
        for p in &review.linked {
            if let Some(blocks) = claims.get(p) {
                if decisions.existing.contains_key(p) {
                    self.warnings.push(format!(
                        "{} is confirmed for {}: the decision made for them among the other contacts is ignored",
                        review.person_name(*p),
                        blocks.join(", ")
                    ));
                }
                continue;
            }
            let Some(rec) = review.persons.get(p) else { continue };
            let outcome = self.existing_outcome(rec, pending.get(p).cloned());
            if let Some(plan) = review.existing_plan(rec, outcome.option, &mut self.blockers) {
                self.plans.push(ContactPlan { contact: ContactRef::Person(*p), block: None, plan });
            }
            self.existing.push(outcome);
        }
        for p in decisions.existing.keys().filter(|p| !review.linked.contains(p)) {
            self.warnings.push(format!("person {p} is not a contact of this student: their decision is ignored"));
        }
    }

    /// A contact of the student whom an undecided block may be is that
    /// block's question: shown once, and changed only after it is answered.
    fn pending(&self) -> BTreeMap<PersonId, String> {
        let mut pending: BTreeMap<PersonId, String> = BTreeMap::new();
        for (b, o) in self.review.blocks.iter().zip(&self.blocks).filter(|(_, o)| !o.decided) {
            for c in &b.matches.candidates {
                if c.linked_to_student && c.confidence >= Confidence::Possible && !o.rejected.contains(&c.person_id) {
                    pending.entry(c.person_id).or_insert_with(|| o.block.clone());
                }
            }
        }
        pending
    }

    /// One of the student's other contacts under staff's option; `may_be`:
    /// the undecided block they may be, until which they stay as they are.
    fn existing_outcome(&mut self, rec: &PersonRecords, may_be: Option<String>) -> ExistingOutcome {
        let ended = rec.link.as_ref().is_some_and(|l| !l.active);
        let mut allowed_options = vec![ContactOption::Update];
        if may_be.is_none() {
            allowed_options.push(ContactOption::Unlink);
            if !ended {
                allowed_options.push(ContactOption::Expire { end_date: None });
            }
        }
        let mut option = self.decisions.existing.get(&rec.id).copied().unwrap_or_default();
        if let (Some(block), false) = (&may_be, allowed_options.contains(&option)) {
            self.warnings.push(format!(
                "{} may be {block}: decide that block first; until then they are kept as they are",
                self.review.person_name(rec.id)
            ));
            option = ContactOption::Update;
        }
        ExistingOutcome { person: rec.id, name: rec.name(), option, allowed_options, ended, position: None, may_be }
    }
}

impl ContactsReview {
    /// The plan for one of the student's other contacts.
    fn existing_plan(
        &self,
        rec: &PersonRecords,
        option: ContactOption,
        blockers: &mut Vec<ContactBlocker>,
    ) -> Option<Plan> {
        let mut block = |field: Option<&str>, message: String| {
            blockers.push(ContactBlocker {
                block: None,
                person: Some(rec.id),
                field: field.map(str::to_string),
                message,
            })
        };
        let link = rec.link.as_ref()?;
        match option {
            ContactOption::Update | ContactOption::DoNotUpdate => None,
            ContactOption::Unlink => {
                Some(base_plan(PlanKey::Existing(rec.id), rec, LinkPlan::Unlink { student_contact_id: link.id }))
            }
            ContactOption::Expire { end_date } => self.expire_plan(rec, end_date, &mut block),
        }
    }

    /// The plan of an expired link, if the date is valid.
    pub(super) fn expire_plan(
        &self,
        rec: &PersonRecords,
        end_date: Option<Date>,
        block: &mut impl FnMut(Option<&str>, String),
    ) -> Option<Plan> {
        let link = rec.link.as_ref()?;
        let Some(end) = end_date else {
            block(Some("Relationship End Date"), format!("choose the date {} stops being a contact", rec.name()));
            return None;
        };
        if !link.active {
            block(None, format!("{}'s relationship has already ended", rec.name()));
            return None;
        }
        if let Some(start) = link.detail.as_ref().and_then(|d| d.start_date) {
            if end < start {
                block(
                    Some("Relationship End Date"),
                    format!("the end date {} is before the relationship started ({})", end.to_us(), start.to_us()),
                );
                return None;
            }
        }
        if link.relationship.is_empty() {
            block(Some("Relationship Type"), format!("{} has no relationship type to end", rec.name()));
            return None;
        }
        let flags = link.detail.as_ref().map(RelationshipFlags::of_detail).unwrap_or_default();
        let plan =
            LinkPlan::Expire { student_contact_id: link.id, relationship: link.relationship.clone(), end, flags };
        Some(base_plan(PlanKey::Existing(rec.id), rec, plan))
    }
}
