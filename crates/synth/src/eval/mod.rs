//! Accuracy of the matcher on a labelled district: [`generate`] builds
//! persons and corrupted application contacts with known truth,
//! [`evaluate`] matches every contact and reports recall and false
//! candidates. The corruption mix is documented in `corrupt.rs`.

mod address;
mod corrupt;
mod generate;

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

pub use generate::{generate, Case, LabelledDistrict};

use writeback_core::contacts::{find_candidates, ContactIndex, MatchContext};
use writeback_core::domain::{Date, PersonId};

/// A contact whose true person was not listed first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Miss {
    /// The contact as the form has it.
    pub contact: String,
    /// The true person as PowerSchool has it.
    pub truth: String,
    /// What was returned (name, id, score), best first.
    pub returned: Vec<String>,
    /// The corruptions applied to the contact.
    pub corruptions: Vec<String>,
    /// Whether the truth was listed at all.
    pub listed: bool,
}

/// Recall for the contacts that carry one corruption.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ByCorruption {
    /// The corruption.
    pub corruption: String,
    /// Contacts with it (whose truth is a person).
    pub contacts: usize,
    /// Recall@1 among them.
    pub recall_at_1: f64,
    /// Recall@5 among them.
    pub recall_at_5: f64,
    /// Share among them whose person is listed as a likely match.
    pub likely: f64,
}

/// The accuracy report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    /// Persons in the district.
    pub persons: usize,
    /// Contacts matched.
    pub contacts: usize,
    /// Contacts whose truth is a person of the district.
    pub existing: usize,
    /// Share of existing contacts whose person is listed first.
    pub recall_at_1: f64,
    /// Share of existing contacts whose person is listed at all (at most 5).
    pub recall_at_5: f64,
    /// Candidates that are not the contact's person, per contact (all contacts).
    pub false_candidates_per_contact: f64,
    /// Share of new persons' contacts with no candidate at all.
    pub new_without_candidates: f64,
    /// Share of new persons' contacts shown a likely match (a candidate of
    /// possible or strong confidence): each one a person staff must reject.
    pub new_with_likely_match: f64,
    /// Share of existing contacts whose person is listed as a likely match.
    pub truth_likely: f64,
    /// Why new persons were shown a likely match: the best likely
    /// candidate's reason, with how often.
    pub new_likely_reasons: Vec<(String, usize)>,
    /// Index memory per person, in bytes.
    pub index_bytes_per_person: f64,
    /// Recall per corruption.
    pub by_corruption: Vec<ByCorruption>,
    /// The worst misses (at most [`MAX_MISSES`]): unlisted first, then not first.
    pub worst_misses: Vec<Miss>,
}

/// At most this many misses are kept in a report.
pub const MAX_MISSES: usize = 1000;

/// Generates a district of about `persons` persons from `seed` and matches
/// every labelled contact (no student or family context).
pub fn evaluate(persons: usize, seed: u64) -> EvalReport {
    let district = generate(persons, seed);
    let index = ContactIndex::build(&district.snapshot);
    evaluate_district(&district, &index)
}

/// Matches the contacts of a generated district with its index.
pub fn evaluate_district(district: &LabelledDistrict, index: &ContactIndex) -> EvalReport {
    let snapshot = &district.snapshot;
    let today = Date::from_ymd(2026, 8, 15).expect("2026-08-15 is a date");
    let ctx = MatchContext { snapshot, index, today, student: None, siblings: &[] };
    let (mut existing, mut at1, mut at5, mut false_cands, mut new, mut new_empty) = (0, 0, 0, 0, 0, 0);
    let (mut new_likely, mut truth_likely) = (0, 0);
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut by: BTreeMap<&str, (usize, usize, usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for case in &district.cases {
        let m = find_candidates(&ctx, &case.contact);
        let is_truth = |id: PersonId| case.truth.contains(&id);
        false_cands += m.candidates.iter().filter(|c| !is_truth(c.person_id)).count();
        if case.truth.is_empty() {
            new += 1;
            new_empty += usize::from(m.candidates.is_empty());
            if let Some(c) = m.candidates.iter().find(|c| c.confidence.likely()) {
                new_likely += 1;
                *reasons.entry(format!("{}: {}", c.confidence.label(), c.reason)).or_default() += 1;
            }
            continue;
        }
        existing += 1;
        let first = m.candidates.first().is_some_and(|c| is_truth(c.person_id));
        let listed = m.candidates.iter().any(|c| is_truth(c.person_id));
        at1 += usize::from(first);
        at5 += usize::from(listed);
        let likely = m.candidates.iter().any(|c| is_truth(c.person_id) && c.confidence.likely());
        truth_likely += usize::from(likely);
        for c in case.corruptions.iter().copied().chain(case.corruptions.is_empty().then_some("none")) {
            let e = by.entry(c).or_default();
            e.0 += 1;
            e.1 += usize::from(first);
            e.2 += usize::from(listed);
            e.3 += usize::from(likely);
        }
        if !first {
            let truth = case
                .truth
                .first()
                // The generator writes persons in ascending id order.
                .and_then(|&id| snapshot.persons.binary_search_by_key(&id, |p| p.id).ok())
                .map(|p| &snapshot.persons[p])
                .map(|p| format!("{} {} {} ({})", p.first_name, p.middle_name, p.last_name, p.id))
                .unwrap_or_default();
            let c = &case.contact;
            let contact = format!(
                "{} | {} | {} | {}",
                c.display_name(),
                c.emails.iter().map(|e| e.address.as_str()).collect::<Vec<_>>().join(", "),
                c.phones.iter().map(|p| format!("{} {}", p.number, p.phone_type)).collect::<Vec<_>>().join(", "),
                m.notes.join("; ")
            );
            let returned = m.candidates.iter().map(|c| format!("{} ({}) {}", c.name, c.person_id, c.score)).collect();
            let corruptions = case.corruptions.iter().map(|s| s.to_string()).collect();
            misses.push(Miss { contact, truth, returned, corruptions, listed });
        }
    }
    misses.sort_by_key(|m| m.listed);
    misses.truncate(MAX_MISSES);
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let mut by_corruption: Vec<ByCorruption> = by
        .into_iter()
        .map(|(c, (n, a1, a5, likely))| ByCorruption {
            corruption: c.to_string(),
            contacts: n,
            recall_at_1: ratio(a1, n),
            recall_at_5: ratio(a5, n),
            likely: ratio(likely, n),
        })
        .collect();
    by_corruption.sort_by(|a, b| a.recall_at_1.total_cmp(&b.recall_at_1).then(b.contacts.cmp(&a.contacts)));
    EvalReport {
        persons: snapshot.persons.len(),
        contacts: district.cases.len(),
        existing,
        recall_at_1: ratio(at1, existing),
        recall_at_5: ratio(at5, existing),
        false_candidates_per_contact: ratio(false_cands, district.cases.len()),
        new_without_candidates: ratio(new_empty, new),
        new_with_likely_match: ratio(new_likely, new),
        truth_likely: ratio(truth_likely, existing),
        new_likely_reasons: {
            let mut r: Vec<(String, usize)> = reasons.into_iter().collect();
            r.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            r
        },
        index_bytes_per_person: ratio(index.memory_bytes(), snapshot.persons.len()),
        by_corruption,
        worst_misses: misses,
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "persons: {}  contacts: {} ({} existing, {} new)",
            self.persons,
            self.contacts,
            self.existing,
            self.contacts - self.existing
        )?;
        writeln!(f, "recall@1: {:.2}%", self.recall_at_1 * 100.0)?;
        writeln!(f, "recall@5: {:.2}%", self.recall_at_5 * 100.0)?;
        writeln!(f, "false candidates per contact: {:.3}", self.false_candidates_per_contact)?;
        writeln!(f, "new persons with no candidate: {:.1}%", self.new_without_candidates * 100.0)?;
        writeln!(f, "new persons shown a likely match: {:.1}%", self.new_with_likely_match * 100.0)?;
        writeln!(f, "existing persons shown as a likely match: {:.2}%", self.truth_likely * 100.0)?;
        for (reason, n) in &self.new_likely_reasons {
            writeln!(f, "  new persons shown a likely match because {reason}: {n}")?;
        }
        writeln!(f, "index memory: {:.0} bytes per person", self.index_bytes_per_person)?;
        writeln!(f, "by corruption (recall@1 / recall@5 / shown as likely, contacts):")?;
        for b in &self.by_corruption {
            writeln!(
                f,
                "  {:<32} {:>6.2}% {:>6.2}% {:>6.2}% {:>6}",
                b.corruption,
                b.recall_at_1 * 100.0,
                b.recall_at_5 * 100.0,
                b.likely * 100.0,
                b.contacts
            )?;
        }
        writeln!(f, "worst misses:")?;
        for m in &self.worst_misses {
            writeln!(f, "- form: {}", m.contact)?;
            writeln!(f, "  truth: {} [{}]", m.truth, m.corruptions.join(", "))?;
            writeln!(f, "  {}: {}", if m.listed { "listed, not first" } else { "not listed" }, m.returned.join("; "))?;
        }
        Ok(())
    }
}
