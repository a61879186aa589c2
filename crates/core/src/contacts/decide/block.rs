//! One form block under staff's decision: who the block is, what happens
//! to the contact, and the plan it writes (its fields, data access and
//! link).

use super::codes;
use super::fields::{ChosenField, RecordRows, RecordWriter};
use super::flags::RelationshipFlags;
use super::records::{Link, PersonRecords};
use super::review::{base_plan, ContactsReview, Prepared};
use super::rows::{LinkPlan, Plan, PlanKey};
use super::types::{BlockDecision, BlockOutcome, ContactBlocker, ContactOption};
use crate::contacts::ContactState;
use crate::domain::PersonId;

impl ContactsReview {
    /// One block under its decision: the outcome, and the plan if it writes.
    pub(super) fn decide_block(
        &self,
        prepared: &Prepared,
        decision: &BlockDecision,
        blockers: &mut Vec<ContactBlocker>,
    ) -> (BlockOutcome, Option<Plan>) {
        let mut draft = BlockDraft::new(self, prepared, decision, blockers);
        let plan = draft.plan();
        (draft.out, plan)
    }
}

/// A block being decided: its outcome so far, and where its blockers go.
pub(super) struct BlockDraft<'a> {
    pub review: &'a ContactsReview,
    pub prepared: &'a Prepared,
    pub decision: &'a BlockDecision,
    /// The outcome so far.
    pub out: BlockOutcome,
    blockers: &'a mut Vec<ContactBlocker>,
}

impl<'a> BlockDraft<'a> {
    fn new(
        review: &'a ContactsReview,
        prepared: &'a Prepared,
        decision: &'a BlockDecision,
        blockers: &'a mut Vec<ContactBlocker>,
    ) -> BlockDraft<'a> {
        let m = &prepared.matches;
        let out = BlockOutcome {
            block: m.block.clone(),
            state: decision.state.clone().unwrap_or_else(|| ContactState::initial(m)),
            rejected: decision.rejected(),
            decided: false,
            person: None,
            option: decision.option,
            allowed_options: vec![ContactOption::Update, ContactOption::DoNotUpdate],
            position: None,
            fields: Vec::new(),
            data_access: false,
            portal_email: None,
            portal_email_choices: Vec::new(),
            warnings: Vec::new(),
        };
        BlockDraft { review, prepared, decision, out, blockers }
    }

    /// Raises a blocker on the block (on one of its fields if given).
    pub fn block(&mut self, field: Option<&str>, message: String) {
        self.blockers.push(ContactBlocker {
            block: Some(self.out.block.clone()),
            person: None,
            field: field.map(str::to_string),
            message,
        });
    }

    /// Decides the block: the plan, if it writes.
    fn plan(&mut self) -> Option<Plan> {
        if self.skipped() {
            return None;
        }
        let person = match self.resolve_person() {
            Ok(person) => person,
            Err(message) => {
                self.block(None, message);
                return None;
            }
        };
        self.out.decided = true;
        self.out.person = person;
        let review = self.review;
        let rec = person.and_then(|p| review.persons.get(&p));
        let link = rec.and_then(|r| r.link.as_ref());
        self.allow_options(link);
        if !self.option_allowed(person, link) {
            return None;
        }
        let key = match person {
            Some(p) => PlanKey::Existing(p),
            None => PlanKey::New(format!("{}-{}", review.application, self.out.block)),
        };
        match (self.decision.option, rec, link) {
            (ContactOption::DoNotUpdate, _, _) => None,
            (ContactOption::Unlink, Some(rec), Some(link)) => {
                Some(base_plan(key, rec, LinkPlan::Unlink { student_contact_id: link.id }))
            }
            (ContactOption::Expire { end_date }, Some(rec), Some(_)) => {
                review.expire_plan(rec, end_date, &mut |field, message| self.block(field, message))
            }
            _ => Some(self.update_plan(key, person, rec)),
        }
    }

    /// Whether the block is left out: when its id is used twice, when it
    /// cannot be matched, or when it is empty and not an existing person.
    fn skipped(&mut self) -> bool {
        let prepared = self.prepared;
        if prepared.duplicate_id {
            let message = format!("the form has two blocks named {}: only the first is written", self.out.block);
            self.block(None, message);
            return true;
        }
        if !prepared.matches.matchable {
            self.leave_unwritten(format!("not written: {}", prepared.matches.notes.join("; ")));
            return true;
        }
        if prepared.form.is_blank() && matches!(self.out.state, ContactState::New | ContactState::Undecided) {
            self.leave_unwritten("the block is empty: nothing to write".into());
            self.out.allowed_options = vec![ContactOption::DoNotUpdate];
            return true;
        }
        false
    }

    /// Settles the block as not written, saying why.
    fn leave_unwritten(&mut self, why: String) {
        self.out.warnings.push(why);
        self.out.decided = true;
        self.out.option = ContactOption::DoNotUpdate;
    }

    /// Who the block is under its state: an existing person, a new one
    /// (`None`), or why that is not settled yet.
    fn resolve_person(&mut self) -> Result<Option<PersonId>, String> {
        let m = &self.prepared.matches;
        match &self.out.state {
            ContactState::Undecided if m.candidates.is_empty() => Ok(None),
            ContactState::Undecided if m.likely() => {
                Err("a possible match: confirm one of the candidates or reject them".into())
            }
            ContactState::Undecided => {
                Err("no likely match: make it a new contact, or confirm one of the weak matches".into())
            }
            ContactState::Confirmed(p) => {
                let known = m.candidates.iter().any(|c| c.person_id == *p) || self.review.linked.contains(p);
                if !known || !self.review.persons.contains_key(p) {
                    return Err(format!("person {p} is neither a candidate nor a contact of this student"));
                }
                Ok(Some(*p))
            }
            ContactState::Rejected(ids) => match m.candidates.iter().find(|c| !ids.contains(&c.person_id)) {
                Some(c) => Err(format!("{} is still a possible match: confirm or reject them too", c.name)),
                None => Ok(None),
            },
            ContactState::New => {
                let decision = self.decision;
                let exact = m
                    .candidates
                    .iter()
                    .find(|c| c.linked_to_student && c.name_exact && !decision.is_rejected(c.person_id));
                if let Some(c) = exact {
                    self.out.warnings.push(format!(
                        "{} (contact {}) is already this student's contact under this name: a new contact creates \
                         a second person in PowerSchool",
                        c.name, c.person_id
                    ));
                }
                Ok(None)
            }
        }
    }

    /// The options for the block's person: unlink, and expire while the
    /// link is current, only for a contact of the student.
    fn allow_options(&mut self, link: Option<&Link>) {
        if let Some(l) = link {
            self.out.allowed_options = vec![ContactOption::Update, ContactOption::DoNotUpdate, ContactOption::Unlink];
            if l.active {
                self.out.allowed_options.push(ContactOption::Expire { end_date: None });
            }
        }
    }

    /// Whether staff's option is one of the allowed ones; else a blocker.
    fn option_allowed(&mut self, person: Option<PersonId>, link: Option<&Link>) -> bool {
        let option = self.decision.option;
        let same_kind = |o: &ContactOption| std::mem::discriminant(o) == std::mem::discriminant(&option);
        if self.out.allowed_options.iter().any(same_kind) {
            return true;
        }
        let message = match (link, person, option) {
            (Some(_), Some(person), ContactOption::Expire { .. }) => format!(
                "{}'s relationship has already ended: update, keep or unlink them",
                self.review.person_name(person)
            ),
            _ => "unlink and expire apply only to an existing contact of this student".into(),
        };
        self.block(None, message);
        false
    }

    /// The plan of an update: the block's fields, data access and link,
    /// written onto its person (or a new one).
    fn update_plan(&mut self, key: PlanKey, person: Option<PersonId>, rec: Option<&'a PersonRecords>) -> Plan {
        self.warn_not_a_match(person);
        let fields = self.chosen_fields(person);
        let RecordRows { emails, phones, addresses, changes } = self.write_fields(&fields);
        self.data_access(person, rec, &emails);
        let link = self.link_plan(rec.and_then(|r| r.link.as_ref()));
        let plan = match rec {
            Some(rec) => base_plan(key, rec, link),
            None => self.new_person_plan(key, link),
        };
        self.warn_other_students(person, changes);
        Plan { emails, phones, addresses, ..plan }
    }

    /// Updating a person who is not one of the block's matches writes the
    /// block onto someone else's contact: never without a word.
    fn warn_not_a_match(&mut self, person: Option<PersonId>) {
        let m = &self.prepared.matches;
        let Some(p) = person.filter(|p| !m.candidates.iter().any(|c| c.person_id == *p)) else { return };
        let f = &self.prepared.form;
        let form_name = crate::contacts::form::join_name(&f.first_name, &f.middle_name, &f.last_name);
        self.out.warnings.push(format!(
            "{} is not a match for this block ({form_name}): updating writes this block's emails, phones, addresses and relationship onto them; to change the order, use the contact order instead",
            self.review.person_name(p)
        ));
    }

    /// The block's fields paired with the person's, each with staff's
    /// action (the default when none, or when it is not possible).
    fn chosen_fields(&mut self, person: Option<PersonId>) -> Vec<ChosenField> {
        let pairs = self.prepared.pairs.get(&person).cloned().unwrap_or_default();
        let decision = self.decision;
        pairs
            .into_iter()
            .map(|paired| {
                let allowed = paired.allowed();
                let chosen = decision.fields.get(&paired.key);
                let action = match chosen.and_then(|f| f.action) {
                    Some(a) if allowed.contains(&a) => a,
                    Some(a) => {
                        self.block(
                            Some(&paired.key),
                            format!("{a:?} is not possible for {}", paired.key).to_lowercase(),
                        );
                        allowed[0]
                    }
                    None => allowed[0],
                };
                ChosenField { phone_type: chosen.and_then(|f| f.phone_type.clone()), paired, action }
            })
            .collect()
    }

    /// Writes the fields: the rows, and each field's row in the outcome.
    fn write_fields(&mut self, fields: &[ChosenField]) -> RecordRows {
        let review = self.review;
        let mut writer = RecordWriter::new(&review.codes, fields);
        for field in fields {
            let phone_type = writer.write(field).unwrap_or_else(|message| {
                self.block(Some(&field.paired.key), message);
                None
            });
            self.out.fields.push(field.row(phone_type));
        }
        writer.finish()
    }

    /// The link written: its relationship and flags, on the current detail
    /// (a `#new` one if the link has ended; none for a new link).
    fn link_plan(&mut self, link: Option<&Link>) -> LinkPlan {
        let relationship = self.relationship(link);
        let flags = self.flags(link);
        LinkPlan::Write {
            student_contact_id: link.map(|l| l.id),
            detail: match link {
                Some(l) => l.detail.as_ref().filter(|_| l.active).map_or("#new".to_string(), |d| d.id.to_string()),
                None => String::new(),
            },
            relationship: relationship.unwrap_or_default(),
            flags,
        }
    }

    /// The relationship code: the form's, else the link's; `None` (and a
    /// blocker) when there is none or it is not in the CodeSet.
    fn relationship(&mut self, link: Option<&Link>) -> Option<String> {
        let (codes, form) = (&self.review.codes, &self.prepared.form);
        let relationship = match (form.relationship.trim(), link) {
            ("", Some(l)) if !l.relationship.is_empty() => Some(l.relationship.clone()),
            ("", _) => {
                self.block(Some("Relationship Type"), "the contact needs a relationship type".into());
                None
            }
            (r, _) => match codes.code(codes::RELATIONSHIP, r) {
                Some(c) => Some(c.to_string()),
                None => {
                    let message = format!("relationship {r:?} is not one of {}", codes.list(codes::RELATIONSHIP));
                    self.block(Some("Relationship Type"), message);
                    None
                }
            },
        };
        if let (Some(l), Some(new)) = (link, &relationship) {
            if !l.relationship.is_empty() && !l.relationship.eq_ignore_ascii_case(new) {
                self.out.warnings.push(format!("the relationship changes from {} to {new}", l.relationship));
            }
        }
        relationship
    }

    /// The relationship flags: the form's where it maps them (a blocker
    /// where it is not yes or no), else the current detail's.
    fn flags(&mut self, link: Option<&Link>) -> RelationshipFlags {
        let prepared = self.prepared;
        let form = &prepared.form;
        let current = link.and_then(|l| l.detail.as_ref()).map(RelationshipFlags::of_detail).unwrap_or_default();
        current.map(|column, current| match form.flags.get(column) {
            Some(Ok(v)) => *v,
            Some(Err(text)) => {
                self.block(Some(column), format!("{column}: {text:?} is not yes or no"));
                false
            }
            None => current,
        })
    }

    /// The plan of a new person, named as on the form.
    fn new_person_plan(&mut self, key: PlanKey, link: LinkPlan) -> Plan {
        let prepared = self.prepared;
        let form = &prepared.form;
        if form.first_name.is_empty() || form.last_name.is_empty() {
            self.block(Some("Last Name"), "a new contact needs a first and last name".into());
        }
        Plan {
            key,
            first_name: form.first_name.clone(),
            middle_name: form.middle_name.clone(),
            last_name: form.last_name.clone(),
            is_active: true,
            link,
            emails: Vec::new(),
            phones: Vec::new(),
            addresses: Vec::new(),
        }
    }

    /// A change to a person shared with other students changes them for
    /// those students too.
    fn warn_other_students(&mut self, person: Option<PersonId>, changes: bool) {
        let Some(p) = person else { return };
        let names = self.review.used_by.get(&p).cloned().unwrap_or_default();
        if changes && !names.is_empty() {
            let who = self.review.person_name(p);
            for n in names {
                self.out.warnings.push(format!("this changes {who} for {n} too"));
            }
        }
    }
}
