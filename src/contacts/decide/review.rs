//! [`ContactsReview`]: prepared once per application (form values read,
//! persons gathered, fields paired), then decided on every change.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::codes::Codes;
use super::flags::RelationshipFlags;
use super::order::{final_order, positions_to_write};
use super::pairing::{pair, Paired};
use super::records::{gather, FormValues, PersonRecords};
use super::rows::{DetailAsIs, LinkPlan, Plan, PlanKey};
use super::types::*;
use crate::application::{Application, FieldMappings};
use crate::contacts::{Confidence, ContactMatches, ContactState};
use crate::domain::{Date, StudentNumber};
use crate::flatfile::{ContactsFile, CONTACT_COLUMNS};
use crate::snapshot::{Snapshot, Student};

/// The message that starts a blocker raised by the final check of the
/// generated file (a bug if it ever shows for clean input).
pub const REFUSED: &str = "the contacts file would be refused";

/// One block, prepared.
#[derive(Debug, Clone)]
pub(super) struct Prepared {
    pub matches: ContactMatches,
    pub form: FormValues,
    /// Field pairs for a new person (`None`) and each person it may be.
    pub pairs: BTreeMap<Option<i64>, Vec<Paired>>,
    /// A block id used twice on the form.
    pub duplicate_id: bool,
}

/// The contacts of one application, prepared for deciding.
#[derive(Debug, Clone)]
pub struct ContactsReview {
    pub(super) application: String,
    pub(super) student_number: Option<StudentNumber>,
    pub(super) in_powerschool: bool,
    pub(super) codes: Codes,
    pub(super) blocks: Vec<Prepared>,
    pub(super) persons: BTreeMap<i64, PersonRecords>,
    /// The student's linked persons, in their current order.
    pub(super) linked: Vec<i64>,
    /// Other students of each person: `Ana García (100234)`.
    pub(super) used_by: BTreeMap<i64, Vec<String>>,
    /// Parent portal emails (folded) and the account's person and username.
    pub(super) portal: Vec<(String, Option<i64>, String)>,
    /// Indexes of `blocks` in the default order: the district's order
    /// mapping for the combination of filled-in blocks, else the form's.
    pub(super) default_order: Vec<usize>,
    /// The order mapping used, if any.
    pub(super) order_mapping: Option<Vec<String>>,
}

impl ContactsReview {
    /// Prepares the contacts of `application` given its blocks' matches
    /// (from [`crate::contacts::match_application`]); `student` is the
    /// application's student if in PowerSchool; `today` decides which links
    /// and addresses are current.
    pub fn prepare(
        snapshot: &Snapshot,
        application: &Application,
        mappings: &FieldMappings,
        matches: &[ContactMatches],
        student: Option<&Student>,
        today: Date,
    ) -> ContactsReview {
        let codes = Codes::new(&snapshot.code_sets);
        let dcid = student.map(|s| s.dcid);
        let mut linked: Vec<(Option<i32>, i64, i64)> = match dcid {
            Some(d) => snapshot
                .student_contacts
                .iter()
                .filter(|sc| sc.student_dcid == d)
                .map(|sc| (sc.priority_order, sc.id, sc.person_id))
                .collect(),
            None => Vec::new(),
        };
        linked.sort_by_key(|(order, id, _)| (order.unwrap_or(i32::MAX), *id));
        let mut linked_ids: Vec<i64> = Vec::new();
        for (_, _, p) in &linked {
            if !linked_ids.contains(p) {
                linked_ids.push(*p);
            }
        }
        let mut wanted: Vec<i64> = linked_ids.clone();
        for m in matches {
            for c in &m.candidates {
                if !wanted.contains(&c.person_id) {
                    wanted.push(c.person_id);
                }
            }
        }
        let persons = gather(snapshot, &codes, &wanted, dcid, today);
        let linked_ids: Vec<i64> = linked_ids.into_iter().filter(|p| persons.contains_key(p)).collect();
        let mut blocks = Vec::new();
        for (i, m) in matches.iter().enumerate() {
            let form = application
                .contacts
                .iter()
                .find(|b| b.block == m.block)
                .map(|b| FormValues::read(b, mappings))
                .unwrap_or_default();
            let mut pairs = BTreeMap::new();
            pairs.insert(None, pair(&form, None));
            for c in &m.candidates {
                pairs.insert(Some(c.person_id), pair(&form, persons.get(&c.person_id)));
            }
            for p in &linked_ids {
                pairs.entry(Some(*p)).or_insert_with(|| pair(&form, persons.get(p)));
            }
            let duplicate_id = matches[..i].iter().any(|o| o.block == m.block);
            blocks.push(Prepared { matches: m.clone(), form, pairs, duplicate_id });
        }
        let (default_order, order_mapping) = default_order(&blocks, mappings);
        let used_by = used_by(snapshot, &wanted, dcid);
        let mut portal = Vec::new();
        for a in &snapshot.portal_accounts {
            if !a.email.trim().is_empty() {
                portal.push((a.email.trim().to_lowercase(), a.person_id, a.username.clone()));
            }
        }
        let accounts: HashMap<i64, _> = snapshot.portal_accounts.iter().map(|a| (a.id, a)).collect();
        for e in &snapshot.portal_emails {
            if let Some(a) = accounts.get(&e.account_id) {
                portal.push((e.email.trim().to_lowercase(), a.person_id, a.username.clone()));
            } else {
                portal.push((e.email.trim().to_lowercase(), None, format!("account {}", e.account_id)));
            }
        }
        ContactsReview {
            application: application.id.to_string(),
            student_number: application.student_number.clone(),
            in_powerschool: student.is_some(),
            codes,
            blocks,
            persons,
            linked: linked_ids,
            used_by,
            portal,
            default_order,
            order_mapping,
        }
    }

    /// The block ids, in form order.
    pub fn block_ids(&self) -> Vec<&str> {
        self.blocks.iter().map(|b| b.matches.block.as_str()).collect()
    }

    /// The persons a block may be confirmed as: its candidates, then the
    /// student's existing contacts.
    pub fn choices(&self, block: &str) -> Vec<i64> {
        let mut out: Vec<i64> = Vec::new();
        if let Some(b) = self.blocks.iter().find(|b| b.matches.block == block) {
            out.extend(b.matches.candidates.iter().map(|c| c.person_id));
        }
        for p in &self.linked {
            if !out.contains(p) {
                out.push(*p);
            }
        }
        out
    }

    /// The student's existing contacts (Person.ID), in their current order.
    pub fn linked(&self) -> &[i64] {
        &self.linked
    }

    /// The contacts under `decisions`: per block outcome, order, blockers,
    /// warnings, and the file when nothing blocks.
    pub fn decide(&self, decisions: &ContactDecisions) -> ContactsOutcome {
        let mut blockers: Vec<ContactBlocker> = Vec::new();
        let mut warnings: Vec<String> = Vec::new();
        let student = match (&self.student_number, self.in_powerschool) {
            (Some(n), true) => Some(n.clone()),
            (Some(n), false) => {
                blockers.push(general(format!(
                    "student {n} is not in the snapshot: contacts are written once the student is in PowerSchool"
                )));
                None
            }
            (None, _) => {
                blockers.push(general("the student has no student number yet: write the enrolment back first".into()));
                None
            }
        };
        let default_decision = BlockDecision::default();
        let mut outcomes: Vec<BlockOutcome> = Vec::new();
        let mut plans: Vec<(ContactRef, Option<String>, Plan)> = Vec::new();
        for b in &self.blocks {
            let d = decisions.blocks.get(&b.matches.block).unwrap_or(&default_decision);
            let (outcome, plan) = self.decide_block(b, d, &mut blockers);
            if let Some(plan) = plan {
                plans.push((ContactRef::Block(outcome.block.clone()), Some(outcome.block.clone()), plan));
            }
            outcomes.push(outcome);
        }
        // A person is one contact: two blocks may not both be them.
        let mut claims: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for o in &outcomes {
            if let (ContactState::Confirmed(p), Some(_)) = (&o.state, o.person) {
                claims.entry(*p).or_default().push(o.block.clone());
            }
        }
        for (person, blocks) in &claims {
            if blocks.len() > 1 {
                for b in blocks {
                    let others: Vec<&str> = blocks.iter().filter(|o| *o != b).map(String::as_str).collect();
                    blockers.push(ContactBlocker {
                        block: Some(b.clone()),
                        person: Some(*person),
                        field: None,
                        message: format!(
                            "{} is also confirmed for {}: one person cannot be two contacts; confirm someone else or choose New",
                            self.person_name(*person),
                            others.join(", ")
                        ),
                    });
                }
            }
        }
        // A contact of the student whom an undecided block may be is that
        // block's question: shown once, and changed only after it is answered.
        let mut pending: BTreeMap<i64, String> = BTreeMap::new();
        for (b, o) in self.blocks.iter().zip(&outcomes) {
            if o.decided {
                continue;
            }
            for c in &b.matches.candidates {
                if c.linked_to_student && c.confidence >= Confidence::Possible && !o.rejected.contains(&c.person_id) {
                    pending.entry(c.person_id).or_insert_with(|| o.block.clone());
                }
            }
        }
        // The student's other contacts.
        let mut existing: Vec<ExistingOutcome> = Vec::new();
        for p in &self.linked {
            if let Some(blocks) = claims.get(p) {
                if decisions.existing.contains_key(p) {
                    warnings.push(format!(
                        "{} is confirmed for {}: the decision made for them among the other contacts is ignored",
                        self.person_name(*p),
                        blocks.join(", ")
                    ));
                }
                continue;
            }
            let Some(rec) = self.persons.get(p) else { continue };
            let ended = rec.link.as_ref().is_some_and(|l| !l.active);
            let may_be = pending.get(p).cloned();
            let mut allowed_options = vec![ContactOption::Update];
            if may_be.is_none() {
                allowed_options.push(ContactOption::Unlink);
                if !ended {
                    allowed_options.push(ContactOption::Expire { end_date: None });
                }
            }
            let mut option = decisions.existing.get(p).copied().unwrap_or_default();
            if let (Some(block), false) = (&may_be, allowed_options.contains(&option)) {
                warnings.push(format!(
                    "{} may be {block}: decide that block first; until then they are kept as they are",
                    self.person_name(*p)
                ));
                option = ContactOption::Update;
            }
            if let Some(plan) = self.existing_plan(rec, option, &mut blockers) {
                plans.push((ContactRef::Person(*p), None, plan));
            }
            existing.push(ExistingOutcome {
                person: *p,
                name: rec.name(),
                option,
                allowed_options,
                ended,
                position: None,
                may_be,
            });
        }
        for p in decisions.existing.keys() {
            if !self.linked.contains(p) {
                warnings.push(format!("person {p} is not a contact of this student: their decision is ignored"));
            }
        }
        // The final order: the contacts of the student afterwards, blocks in
        // the default order; expired ones (now or already) go last.
        let mut items: Vec<(ContactRef, bool)> = Vec::new();
        let mut aliases: BTreeMap<i64, String> = BTreeMap::new();
        for o in &outcomes {
            if let Some(p) = o.person {
                aliases.insert(p, o.block.clone());
            }
        }
        for o in self.default_order.iter().filter_map(|i| outcomes.get(*i)) {
            let link = o.person.and_then(|p| self.persons.get(&p)).and_then(|r| r.link.as_ref());
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
        for e in existing.iter().filter(|e| e.may_be.is_none()) {
            match e.option {
                ContactOption::Unlink => {}
                ContactOption::Expire { .. } => items.push((ContactRef::Person(e.person), true)),
                ContactOption::Update | ContactOption::DoNotUpdate => {
                    items.push((ContactRef::Person(e.person), e.ended))
                }
            }
        }
        let (order, ignored) = final_order(&items, &decisions.order, &aliases);
        for r in ignored {
            warnings.push(format!("{r:?} in the order is not a contact of this application: ignored"));
        }
        let position = |r: &ContactRef| order.iter().position(|o| o == r).map(|i| i + 1);
        for o in &mut outcomes {
            o.position = position(&ContactRef::Block(o.block.clone()));
        }
        for e in &mut existing {
            e.position = position(&ContactRef::Person(e.person));
        }
        // Contacts that write nothing but move: a row for their position.
        let as_ref = |p: i64| aliases.get(&p).map_or(ContactRef::Person(p), |b| ContactRef::Block(b.clone()));
        let current: Vec<ContactRef> = self.linked.iter().map(|p| as_ref(*p)).collect();
        let removed: Vec<ContactRef> = plans
            .iter()
            .filter(|(_, _, p)| matches!(p.link, LinkPlan::Unlink { .. }))
            .map(|(r, _, _)| r.clone())
            .collect();
        let written: Vec<ContactRef> = plans
            .iter()
            .filter(|(_, _, p)| !matches!(p.link, LinkPlan::Unlink { .. }))
            .map(|(r, _, _)| r.clone())
            .collect();
        for r in positions_to_write(&current, &removed, &written, &order) {
            let (person, block) = match &r {
                ContactRef::Person(p) => (Some(*p), None),
                ContactRef::Block(b) => {
                    (outcomes.iter().find(|o| o.block == *b).and_then(|o| o.person), Some(b.clone()))
                }
            };
            let Some(rec) = person.and_then(|p| self.persons.get(&p)) else { continue };
            let Some(link) = rec.link.as_ref() else { continue };
            if link.relationship.is_empty() {
                blockers.push(ContactBlocker {
                    block: block.clone(),
                    person: if block.is_none() { person } else { None },
                    field: Some("Contact Priority Order".into()),
                    message: format!(
                        "{} has no relationship type in PowerSchool, so their new position cannot be written: move them back, or give them a relationship in PowerSchool first",
                        rec.name()
                    ),
                });
                continue;
            }
            let detail = link.detail.as_ref().map(|d| DetailAsIs {
                id: d.id,
                start: d.start_date,
                end: d.end_date,
                flags: RelationshipFlags::of_detail(d),
            });
            let plan =
                LinkPlan::Reorder { student_contact_id: link.id, detail, relationship: link.relationship.clone() };
            plans.push((r.clone(), block, base_plan(PlanKey::Existing(rec.id), rec, plan)));
        }
        // The import applies rows in order: unlinks first, then positions
        // ascending (see `positions_to_write`).
        plans.sort_by_key(|(r, _, p)| match p.link {
            LinkPlan::Unlink { .. } => (0, 0),
            _ => (1, position(r).unwrap_or(usize::MAX)),
        });
        let unused = self.unused(&outcomes, &existing);
        let follow_ups = self.follow_ups(&outcomes);
        let mut outcome = ContactsOutcome {
            blocks: outcomes,
            existing,
            order: order.clone(),
            blockers: Vec::new(),
            warnings,
            unused,
            follow_ups,
            order_mapping: self.order_mapping.clone(),
            file: None,
            file_text: None,
        };
        // The rows, each contact checked on its own (to name its block).
        let mut rows: Vec<Vec<String>> = Vec::new();
        if let Some(student) = &student {
            for (r, block, plan) in &plans {
                let pos = match plan.link {
                    LinkPlan::Unlink { .. } => None,
                    _ => position(r),
                };
                let contact_rows = plan.rows(student, pos);
                if let Err(e) = self.check_rows(&contact_rows) {
                    blockers.push(ContactBlocker {
                        block: block.clone(),
                        person: match r {
                            ContactRef::Person(p) => Some(*p),
                            ContactRef::Block(_) => None,
                        },
                        field: e.column.clone(),
                        message: format!("{REFUSED}: {}", e.message),
                    });
                }
                rows.extend(contact_rows);
            }
        }
        if blockers.is_empty() && !rows.is_empty() {
            let file = ContactsFile { header: CONTACT_COLUMNS.iter().map(|c| c.to_string()).collect(), rows };
            match self.check_file(&file) {
                Ok(text) => {
                    outcome.file_text = Some(text);
                    outcome.file = Some(file);
                }
                Err(e) => blockers.push(general(format!("{REFUSED}: {e}"))),
            }
        }
        outcome.blockers = blockers;
        outcome
    }

    /// Expired persons that another form block (not confirmed as them) has
    /// among its candidates.
    fn unused(&self, blocks: &[BlockOutcome], existing: &[ExistingOutcome]) -> Vec<UnusedContact> {
        let mut expired: Vec<(i64, Option<Date>, Option<&str>)> = Vec::new();
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

    fn check_rows(&self, rows: &[Vec<String>]) -> Result<(), crate::flatfile::FlatFileError> {
        let file =
            ContactsFile { header: CONTACT_COLUMNS.iter().map(|c| c.to_string()).collect(), rows: rows.to_vec() };
        self.check_file(&file).map(|_| ())
    }

    fn check_file(&self, file: &ContactsFile) -> Result<String, crate::flatfile::FlatFileError> {
        let text = file.to_text()?;
        let read = ContactsFile::read(&text)?;
        read.check_codes(self.codes.rows())?;
        Ok(text)
    }

    pub(super) fn person_name(&self, id: i64) -> String {
        self.persons.get(&id).map_or_else(|| format!("person {id}"), PersonRecords::name)
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
}

/// The default order of the blocks: the district's mapping for exactly the
/// combination of filled-in blocks (then any others in form order), else
/// the form's order.
fn default_order(blocks: &[Prepared], mappings: &FieldMappings) -> (Vec<usize>, Option<Vec<String>>) {
    let form_order: Vec<usize> = (0..blocks.len()).collect();
    let filled: Vec<&str> = blocks
        .iter()
        .filter(|b| !b.duplicate_id && b.matches.matchable && !b.form.is_blank())
        .map(|b| b.matches.block.as_str())
        .collect();
    let Some(mapping) = mappings.contact_order_for(&filled) else { return (form_order, None) };
    let mut order: Vec<usize> = mapping
        .order
        .iter()
        .filter_map(|id| blocks.iter().position(|b| !b.duplicate_id && b.matches.block == *id))
        .collect();
    order.extend(form_order);
    let mut seen = BTreeSet::new();
    order.retain(|i| seen.insert(*i));
    (order, Some(mapping.order.clone()))
}

/// A blocker about the contacts as a whole.
fn general(message: String) -> ContactBlocker {
    ContactBlocker { block: None, person: None, field: None, message }
}

/// A plan with no field rows.
pub(super) fn base_plan(key: PlanKey, rec: &PersonRecords, link: LinkPlan) -> Plan {
    Plan {
        key,
        first_name: rec.first_name.clone(),
        middle_name: rec.middle_name.clone(),
        last_name: rec.last_name.clone(),
        is_active: rec.is_active,
        link,
        emails: Vec::new(),
        phones: Vec::new(),
        addresses: Vec::new(),
    }
}

/// The other students each person is a contact of: `Ana García (100234)`.
fn used_by(snapshot: &Snapshot, persons: &[i64], except_dcid: Option<i64>) -> BTreeMap<i64, Vec<String>> {
    let mut links: Vec<(i64, i64)> = snapshot
        .student_contacts
        .iter()
        .filter(|sc| persons.contains(&sc.person_id) && Some(sc.student_dcid) != except_dcid)
        .map(|sc| (sc.person_id, sc.student_dcid))
        .collect();
    links.sort();
    links.dedup();
    let dcids: BTreeSet<i64> = links.iter().map(|(_, d)| *d).collect();
    let students: BTreeMap<i64, String> = snapshot
        .students
        .iter()
        .filter(|s| dcids.contains(&s.dcid))
        .map(|s| {
            let name = crate::contacts::form::join_name(&s.first_name, "", &s.last_name);
            (s.dcid, format!("{name} ({})", s.student_number))
        })
        .collect();
    let mut out: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (p, d) in links {
        if let Some(s) = students.get(&d) {
            out.entry(p).or_default().push(s.clone());
        }
    }
    out
}
