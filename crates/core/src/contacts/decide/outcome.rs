//! The contacts of an application under staff's decisions, step by step
//! over one [`ContactsDraft`]: the blocks, the student's other contacts,
//! the final order and the positions it writes, then the rows and the
//! Student Contacts file.

use std::collections::BTreeMap;

use super::flags::RelationshipFlags;
use super::order::{final_order, positions_to_write};
use super::review::{base_plan, general, ContactsReview, REFUSED};
use super::rows::{DetailAsIs, LinkPlan, Plan, PlanKey};
use super::types::{
    BlockDecision, BlockOutcome, ContactBlocker, ContactDecisions, ContactOption, ContactRef, ContactsOutcome,
    ExistingOutcome, UnusedContact,
};
use crate::domain::{Date, PersonId, StudentNumber};
use crate::flatfile::{ContactsFile, FlatFileError, CONTACT_COLUMNS};

impl ContactsReview {
    /// The contacts under `decisions`: per block outcome, order, blockers,
    /// warnings, and the file when nothing blocks.
    pub fn decide(&self, decisions: &ContactDecisions) -> ContactsOutcome {
        let mut draft = ContactsDraft::new(self, decisions);
        let student = draft.student();
        draft.decide_blocks();
        let claims = draft.claims();
        draft.decide_existing(&claims);
        let aliases = draft.aliases();
        let order = draft.order(&aliases);
        draft.reorder_plans(&order, &aliases);
        draft.finish(order, student)
    }

    /// Expired persons that another form block (not confirmed as them) has
    /// among its candidates.
    fn unused(&self, blocks: &[BlockOutcome], existing: &[ExistingOutcome]) -> Vec<UnusedContact> {
        let mut expired: Vec<(PersonId, Option<Date>, Option<&str>)> = Vec::new();
        for o in blocks {
            if let (Some(p), ContactOption::Expire { end_date }) = (o.person, o.option) {
                expired.push((p, end_date, Some(o.block.as_str())));
            }
        }
        for e in existing {
            if let ContactOption::Expire { end_date } = e.option {
                expired.push((e.person, end_date, None));
            }
        }
        let mut out = Vec::new();
        for (person, end_date, own_block) in expired {
            let matches_blocks: Vec<String> = self
                .blocks
                .iter()
                .filter(|b| Some(b.matches.block.as_str()) != own_block)
                .filter(|b| b.matches.candidates.iter().any(|c| c.person_id == person))
                .filter(|b| blocks.iter().find(|o| o.block == b.matches.block).is_none_or(|o| o.person != Some(person)))
                .map(|b| b.matches.block.clone())
                .collect();
            if !matches_blocks.is_empty() {
                out.push(UnusedContact { person, name: self.person_name(person), end_date, matches_blocks });
            }
        }
        out
    }

    /// What the import cannot carry: data access, given in PowerSchool by
    /// hand after the import.
    fn follow_ups(&self, blocks: &[BlockOutcome]) -> Vec<String> {
        let Some(student) = &self.student_number else { return Vec::new() };
        blocks
            .iter()
            .filter(|o| o.data_access && o.decided && !matches!(o.option, ContactOption::Unlink))
            .map(|o| {
                let who = match o.person {
                    Some(p) => format!("{} (contact {p})", self.person_name(p)),
                    None => {
                        let f = self.blocks.iter().find(|b| b.matches.block == o.block).map(|b| &b.form);
                        let name = f
                            .map(|f| crate::contacts::form::join_name(&f.first_name, &f.middle_name, &f.last_name))
                            .unwrap_or_default();
                        format!("{name} (the new contact from {})", o.block)
                    }
                };
                let email = o.portal_email.as_deref().map(|e| format!(" with the parent portal email {e}")).unwrap_or_default();
                format!(
                    "after the import, give {who} data access to student {student} in PowerSchool{email}: the Student Contacts import has no column for it"
                )
            })
            .collect()
    }

    /// Checks one contact's rows as a file of their own.
    fn check_rows(&self, rows: &[Vec<String>]) -> Result<(), FlatFileError> {
        self.check_file(&contacts_file(rows.to_vec())).map(|_| ())
    }

    /// The file's text, if the import would take it (it reads back, and its
    /// codes are the district's).
    fn check_file(&self, file: &ContactsFile) -> Result<String, FlatFileError> {
        let text = file.to_text()?;
        let read = ContactsFile::read(&text)?;
        read.check_codes(self.codes.rows())?;
        Ok(text)
    }
}

/// What one contact writes, and the block it comes from.
#[derive(Debug, Clone)]
pub(super) struct ContactPlan {
    /// The contact, as the order names it.
    pub contact: ContactRef,
    /// The block, to name in blockers (none for another contact).
    pub block: Option<String>,
    pub plan: Plan,
}

impl ContactPlan {
    fn unlinks(&self) -> bool {
        matches!(self.plan.link, LinkPlan::Unlink { .. })
    }
}

/// The contacts being decided: what each step adds.
pub(super) struct ContactsDraft<'a> {
    pub review: &'a ContactsReview,
    pub decisions: &'a ContactDecisions,
    pub blockers: Vec<ContactBlocker>,
    pub warnings: Vec<String>,
    /// The form blocks, in form order.
    pub blocks: Vec<BlockOutcome>,
    /// The student's other contacts.
    pub existing: Vec<ExistingOutcome>,
    pub plans: Vec<ContactPlan>,
}

impl<'a> ContactsDraft<'a> {
    fn new(review: &'a ContactsReview, decisions: &'a ContactDecisions) -> ContactsDraft<'a> {
        ContactsDraft {
            review,
            decisions,
            blockers: Vec::new(),
            warnings: Vec::new(),
            blocks: Vec::new(),
            existing: Vec::new(),
            plans: Vec::new(),
        }
    }

    /// The student whose contacts are written: a blocker when they have no
    /// number yet or are not in PowerSchool.
    fn student(&mut self) -> Option<StudentNumber> {
        let message = match (&self.review.student_number, self.review.in_powerschool) {
            (Some(n), true) => return Some(n.clone()),
            (Some(n), false) => {
                format!("student {n} is not in the snapshot: contacts are written once the student is in PowerSchool")
            }
            (None, _) => "the student has no student number yet: write the enrolment back first".into(),
        };
        self.blockers.push(general(message));
        None
    }

    /// Each form block under its decision (the default when none).
    fn decide_blocks(&mut self) {
        let review = self.review;
        let default_decision = BlockDecision::default();
        for b in &review.blocks {
            let d = self.decisions.blocks.get(&b.matches.block).unwrap_or(&default_decision);
            let (outcome, plan) = review.decide_block(b, d, &mut self.blockers);
            if let Some(plan) = plan {
                let block = outcome.block.clone();
                self.plans.push(ContactPlan { contact: ContactRef::Block(block.clone()), block: Some(block), plan });
            }
            self.blocks.push(outcome);
        }
    }

    /// Each person a block stands for (confirmed, or any person it writes),
    /// with that block.
    fn aliases(&self) -> BTreeMap<PersonId, String> {
        crate::sort::map(self.blocks.iter().filter_map(|o| Some((o.person?, o.block.clone()))))
    }

    /// The final order; each block's and contact's position in it.
    fn order(&mut self, aliases: &BTreeMap<PersonId, String>) -> Vec<ContactRef> {
        let items = self.contacts_afterwards();
        let (order, ignored) = final_order(&items, &self.decisions.order, aliases);
        for r in ignored {
            self.warnings.push(format!("{r:?} in the order is not a contact of this application: ignored"));
        }
        for o in &mut self.blocks {
            o.position = position(&order, &ContactRef::Block(o.block.clone()));
        }
        for e in &mut self.existing {
            e.position = position(&order, &ContactRef::Person(e.person));
        }
        order
    }

    /// The contacts of the student afterwards, each with whether it is
    /// expired (now or already): the blocks in the default order, then the
    /// other contacts.
    fn contacts_afterwards(&self) -> Vec<(ContactRef, bool)> {
        let review = self.review;
        let mut items: Vec<(ContactRef, bool)> = Vec::new();
        for o in review.default_order.iter().filter_map(|i| self.blocks.get(*i)) {
            let link = o.person.and_then(|p| review.persons.get(&p)).and_then(|r| r.link.as_ref());
            let (stays, expired) = match o.option {
                ContactOption::Unlink => (false, false),
                // Not written: stays as it is, if it is a contact at all.
                ContactOption::DoNotUpdate => (link.is_some(), link.is_some_and(|l| !l.active)),
                // Written with a current detail (a `#new` one if ended).
                ContactOption::Update => (true, false),
                ContactOption::Expire { .. } => (true, true),
            };
            if stays {
                items.push((ContactRef::Block(o.block.clone()), expired));
            }
        }
        for e in self.existing.iter().filter(|e| e.may_be.is_none()) {
            match e.option {
                ContactOption::Unlink => {}
                ContactOption::Expire { .. } => items.push((ContactRef::Person(e.person), true)),
                ContactOption::Update | ContactOption::DoNotUpdate => {
                    items.push((ContactRef::Person(e.person), e.ended))
                }
            }
        }
        items
    }

    /// Contacts that write nothing but move: a row for their position.
    fn reorder_plans(&mut self, order: &[ContactRef], aliases: &BTreeMap<PersonId, String>) {
        let as_ref = |p: PersonId| aliases.get(&p).map_or(ContactRef::Person(p), |b| ContactRef::Block(b.clone()));
        let current: Vec<ContactRef> = self.review.linked.iter().map(|p| as_ref(*p)).collect();
        let (removed, written): (Vec<&ContactPlan>, Vec<&ContactPlan>) = self.plans.iter().partition(|p| p.unlinks());
        let removed: Vec<ContactRef> = removed.into_iter().map(|p| p.contact.clone()).collect();
        let written: Vec<ContactRef> = written.into_iter().map(|p| p.contact.clone()).collect();
        for contact in positions_to_write(&current, &removed, &written, order) {
            self.reorder_plan(contact);
        }
    }

    /// The row that carries a contact's new position, its link exactly as
    /// it is; a blocker when it has no relationship type to write.
    fn reorder_plan(&mut self, contact: ContactRef) {
        let (person, block) = match &contact {
            ContactRef::Person(p) => (Some(*p), None),
            ContactRef::Block(b) => {
                (self.blocks.iter().find(|o| o.block == *b).and_then(|o| o.person), Some(b.clone()))
            }
        };
        let review = self.review;
        let Some(rec) = person.and_then(|p| review.persons.get(&p)) else { return };
        let Some(link) = rec.link.as_ref() else { return };
        if link.relationship.is_empty() {
            self.blockers.push(ContactBlocker {
                person: if block.is_none() { person } else { None },
                block,
                field: Some("Contact Priority Order".into()),
                message: format!(
                    "{} has no relationship type in PowerSchool, so their new position cannot be written: move them back, or give them a relationship in PowerSchool first",
                    rec.name()
                ),
            });
            return;
        }
        let detail = link.detail.as_ref().map(|d| DetailAsIs {
            id: d.id,
            start: d.start_date,
            end: d.end_date,
            flags: RelationshipFlags::of_detail(d),
        });
        let link = LinkPlan::Reorder { student_contact_id: link.id, detail, relationship: link.relationship.clone() };
        self.plans.push(ContactPlan { contact, block, plan: base_plan(PlanKey::Existing(rec.id), rec, link) });
    }

    /// The outcome: the rows of every plan in the order the import applies
    /// them, and the file when nothing blocks.
    fn finish(mut self, order: Vec<ContactRef>, student: Option<StudentNumber>) -> ContactsOutcome {
        // The import applies rows in order: unlinks first, then positions
        // ascending (see `positions_to_write`).
        crate::sort::by_key(&mut self.plans, |p| {
            if p.unlinks() {
                (0, 0)
            } else {
                (1, position(&order, &p.contact).unwrap_or(usize::MAX))
            }
        });
        let rows = match &student {
            Some(student) => self.rows(student, &order),
            None => Vec::new(),
        };
        let file = self.file(rows);
        let review = self.review;
        ContactsOutcome {
            unused: review.unused(&self.blocks, &self.existing),
            follow_ups: review.follow_ups(&self.blocks),
            blocks: self.blocks,
            existing: self.existing,
            order,
            blockers: self.blockers,
            warnings: self.warnings,
            order_mapping: review.order_mapping.clone(),
            file_text: file.as_ref().map(|(_, text)| text.clone()),
            file: file.map(|(file, _)| file),
        }
    }

    /// The rows of every plan, each contact's checked on its own (to name
    /// its block when refused).
    fn rows(&mut self, student: &StudentNumber, order: &[ContactRef]) -> Vec<Vec<String>> {
        let mut rows: Vec<Vec<String>> = Vec::new();
        for p in &self.plans {
            let position = if p.unlinks() { None } else { position(order, &p.contact) };
            let contact_rows = p.plan.rows(student, position);
            if let Err(e) = self.review.check_rows(&contact_rows) {
                self.blockers.push(ContactBlocker {
                    block: p.block.clone(),
                    person: match p.contact {
                        ContactRef::Person(p) => Some(p),
                        ContactRef::Block(_) => None,
                    },
                    field: e.column.clone(),
                    message: format!("{REFUSED}: {}", e.message),
                });
            }
            rows.extend(contact_rows);
        }
        rows
    }

    /// The file and its text, when nothing blocks and something is written.
    fn file(&mut self, rows: Vec<Vec<String>>) -> Option<(ContactsFile, String)> {
        if !self.blockers.is_empty() || rows.is_empty() {
            return None;
        }
        let file = contacts_file(rows);
        match self.review.check_file(&file) {
            Ok(text) => Some((file, text)),
            Err(e) => {
                self.blockers.push(general(format!("{REFUSED}: {e}")));
                None
            }
        }
    }
}

/// A Student Contacts file of `rows`.
fn contacts_file(rows: Vec<Vec<String>>) -> ContactsFile {
    ContactsFile { header: CONTACT_COLUMNS.iter().map(|c| c.to_string()).collect(), rows }
}

/// A contact's 1-based position in `order`.
fn position(order: &[ContactRef], contact: &ContactRef) -> Option<usize> {
    order.iter().position(|o| o == contact).map(|i| i + 1)
}
