//! [`ContactsReview`]: prepared once per application (form values read,
//! persons gathered, fields paired), then decided on every change.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::codes::Codes;
use super::pairing::{pair, Paired};
use super::records::{gather, FormValues, PersonRecords};
use super::rows::{LinkPlan, Plan, PlanKey};
use super::types::*;
use crate::application::{Application, FieldMappings};
use crate::contacts::ContactMatches;
use crate::domain::{ContactAssocId, Date, PersonId, StudentDcid, StudentNumber};
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
    pub pairs: BTreeMap<Option<PersonId>, Vec<Paired>>,
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
    pub(super) persons: BTreeMap<PersonId, PersonRecords>,
    /// The student's linked persons, in their current order.
    pub(super) linked: Vec<PersonId>,
    /// Other students of each person: `Ana García (100234)`.
    pub(super) used_by: BTreeMap<PersonId, Vec<String>>,
    /// Parent portal emails (folded) and the account's person and username.
    pub(super) portal: Vec<(String, Option<PersonId>, String)>,
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
        let mut linked: Vec<(Option<i32>, ContactAssocId, PersonId)> = match dcid {
            Some(d) => snapshot
                .student_contacts
                .iter()
                .filter(|sc| sc.student_dcid == d)
                .map(|sc| (sc.priority_order, sc.id, sc.person_id))
                .collect(),
            None => Vec::new(),
        };
        crate::sort::by_key(&mut linked, |(order, id, _)| (order.unwrap_or(i32::MAX), *id));
        let mut linked_ids: Vec<PersonId> = Vec::new();
        for (_, _, p) in &linked {
            if !linked_ids.contains(p) {
                linked_ids.push(*p);
            }
        }
        let mut wanted: Vec<PersonId> = linked_ids.clone();
        for m in matches {
            for c in &m.candidates {
                if !wanted.contains(&c.person_id) {
                    wanted.push(c.person_id);
                }
            }
        }
        let persons = gather(snapshot, &codes, &wanted, dcid, today);
        let linked_ids: Vec<PersonId> = linked_ids.into_iter().filter(|p| persons.contains_key(p)).collect();
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
    pub fn choices(&self, block: &str) -> Vec<PersonId> {
        let mut out: Vec<PersonId> = Vec::new();
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
    pub fn linked(&self) -> &[PersonId] {
        &self.linked
    }

    pub(super) fn person_name(&self, id: PersonId) -> String {
        self.persons.get(&id).map_or_else(|| format!("person {id}"), PersonRecords::name)
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
pub(super) fn general(message: String) -> ContactBlocker {
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
fn used_by(
    snapshot: &Snapshot,
    persons: &[PersonId],
    except_dcid: Option<StudentDcid>,
) -> BTreeMap<PersonId, Vec<String>> {
    let mut links: Vec<(PersonId, StudentDcid)> = snapshot
        .student_contacts
        .iter()
        .filter(|sc| persons.contains(&sc.person_id) && Some(sc.student_dcid) != except_dcid)
        .map(|sc| (sc.person_id, sc.student_dcid))
        .collect();
    crate::sort::values(&mut links);
    links.dedup();
    let dcids: BTreeSet<StudentDcid> = crate::sort::set(links.iter().map(|(_, d)| *d));
    let students: BTreeMap<StudentDcid, String> =
        crate::sort::map(snapshot.students.iter().filter(|s| dcids.contains(&s.dcid)).map(|s| {
            let name = crate::contacts::form::join_name(&s.first_name, "", &s.last_name);
            (s.dcid, format!("{name} ({})", s.student_number))
        }));
    let mut out: BTreeMap<PersonId, Vec<String>> = BTreeMap::new();
    for (p, d) in links {
        if let Some(s) = students.get(&d) {
            out.entry(p).or_default().push(s.clone());
        }
    }
    out
}
