//! Finding the persons a form contact may be: gather positions through the
//! index (exact email and phone keys, name pairs with their nickname, typo,
//! part and initial variants, rare last names, the family's links), rank
//! them cheaply, compare the best fully, keep a short list.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::compare::{compare, points::*, Comparison, FirstAgreement, LastAgreement};
use super::evidence::{score, Confidence, Evidence, EvidenceField, Flag, FlagKind};
use super::form::FormContact;
use super::index::ContactIndex;
use super::links::{link_status, used_by, Sibling, UsedBy};
use super::normalize::email::email_key;
use super::normalize::phone::near_keys;
use super::normalize::{NameParts, Nicknames};
use super::profile::Profile;
use crate::domain::{Date, PersonId, StudentDcid};
use crate::snapshot::{Snapshot, Student};

/// At most this many candidates are listed.
pub const MAX_CANDIDATES: usize = 5;
/// A candidate scoring under this share (in percent) of the best is dropped.
pub const TAIL_PERCENT: u32 = 50;
/// A last name shared by at most this many persons is distinctive enough to
/// list its persons on the last name alone.
pub const RARE_LAST_NAME: usize = 3;
/// At most this many persons sharing an email or phone with the contact are
/// compared in full (the best by a cheap first score; a number shared by very
/// many persons, like a school's main line, cannot list them all anyway).
const MAX_COMPARED_BY_IDENTIFIER: usize = 256;
/// At most this many persons found by name only are compared in full (the
/// family's contacts always are).
const MAX_COMPARED_BY_NAME: usize = 48;

/// What matching needs besides the contact: the snapshot and its index, the
/// day (for expired links), this student if in PowerSchool, the family.
#[derive(Debug, Clone, Copy)]
pub struct MatchContext<'a> {
    /// The district's snapshot.
    pub snapshot: &'a Snapshot,
    /// The index built from that snapshot.
    pub index: &'a ContactIndex,
    /// Today: links ended on or before it are expired.
    pub today: Date,
    /// The application's student, if in PowerSchool.
    pub student: Option<&'a Student>,
    /// The student's siblings (see [`super::links::family`]).
    pub siblings: &'a [Sibling],
}

/// A person the contact may be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// Person.ID (the Contact ID of the import).
    pub person_id: PersonId,
    /// The person's name as PowerSchool has it.
    pub name: String,
    /// The sum of the evidence's points.
    pub score: u32,
    /// Why, field by field.
    pub evidence: Vec<Evidence>,
    /// What needs attention.
    pub flags: Vec<Flag>,
    /// The other students this person is a contact of.
    pub used_by: Vec<UsedBy>,
    /// Whether the person is already a contact of this student.
    pub linked_to_student: bool,
    /// How likely it is the form's contact.
    pub confidence: Confidence,
    /// Why, in one sentence ("the email and the name agree").
    pub reason: String,
    /// Whether first and last name agree exactly (accents and case aside).
    #[serde(default)]
    pub name_exact: bool,
}

impl ContactMatches {
    /// Whether any candidate is a likely match (possible or strong).
    pub fn likely(&self) -> bool {
        self.candidates.iter().any(|c| c.confidence.likely())
    }

    /// The person staff can confirm in one click: the best candidate when
    /// it is already this student's contact, strong, with the first and
    /// last name exact and nothing flagged, and no other candidate strong.
    pub fn suggested(&self) -> Option<PersonId> {
        let (best, rest) = self.candidates.split_first()?;
        let ok = best.linked_to_student
            && best.confidence == Confidence::Strong
            && best.flags.is_empty()
            && best.name_exact
            && !rest.iter().any(|c| c.confidence == Confidence::Strong);
        ok.then_some(best.person_id)
    }
}

/// A block on another application of the family's batch that describes the
/// same person (so one person is created, not two).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SamePerson {
    /// The other application.
    pub application: String,
    /// The block there.
    pub block: String,
    /// The score of the comparison.
    pub score: u32,
    /// "same person as contact1 on APP-000012", then the field evidence.
    pub evidence: Vec<Evidence>,
}

/// The candidates for one contact block.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ContactMatches {
    /// The block's id.
    pub block: String,
    /// False when the block is not matched at all (see `notes`).
    pub matchable: bool,
    /// Best first, at most [`MAX_CANDIDATES`].
    pub candidates: Vec<Candidate>,
    /// Blocks of the family's other applications describing the same person.
    pub same_person: Vec<SamePerson>,
    /// What could not be used, and other remarks, in words.
    pub notes: Vec<String>,
}

/// How a gathered person was found (bits).
const VIA_EMAIL: u8 = 1;
const VIA_PHONE: u8 = 2;
const VIA_NAME: u8 = 4;
const VIA_RARE: u8 = 8;
const VIA_STUDENT: u8 = 16;
const VIA_SIBLING: u8 = 32;
const VIA_NEAR: u8 = 64;
const VIA_ADDRESS: u8 = 128;

/// A gathered person and a first, cheap score.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub pos: u32,
    via: u8,
    points: i32,
    /// The sibling (index into the context's siblings) it is a contact of.
    sibling: u32,
}

impl Hit {
    /// Whether the person is already a contact of this student.
    pub(crate) fn is_this_students(&self) -> bool {
        self.via & VIA_STUDENT != 0
    }
}

/// Finds the persons `contact` may be, best first.
pub fn find_candidates(ctx: &MatchContext<'_>, contact: &FormContact) -> ContactMatches {
    let mut notes = Vec::new();
    let form = Profile::for_matching(contact, ctx.index, &mut notes);
    let mut out = ContactMatches { block: contact.block.clone(), matchable: true, ..ContactMatches::default() };
    if ctx.index.len() != ctx.snapshot.persons.len() {
        notes.push("the contact index was built for another snapshot: rebuild it".to_string());
        out.notes = notes;
        return out;
    }
    let hits = gather(ctx, &form);
    let mut candidates = Vec::new();
    for hit in hits {
        if let Some(c) = candidate(ctx, &form, hit) {
            candidates.push(c);
        }
    }
    // Best first; among equals, active persons first, then by id.
    crate::sort::by(&mut candidates, |a, b| {
        b.score.cmp(&a.score).then(inactive(a).cmp(&inactive(b))).then(a.person_id.cmp(&b.person_id))
    });
    let top = candidates.first().map_or(0, |c| c.score);
    let tied = candidates.iter().take_while(|c| c.score == top).count();
    if tied > MAX_CANDIDATES {
        notes.push(format!(
            "{tied} persons match equally well; {MAX_CANDIDATES} are listed: an email or phone would tell them apart"
        ));
    }
    candidates.retain(|c| c.score * 100 >= top * TAIL_PERCENT);
    candidates.truncate(MAX_CANDIDATES);
    for c in &mut candidates {
        if let Some(pos) = ctx.index.position(c.person_id) {
            c.used_by = used_by(ctx.snapshot, ctx.index, pos, ctx.today, ctx.student.map(|s| s.dcid));
        }
    }
    out.candidates = candidates;
    out.same_person = same_person(ctx, &form);
    out.notes = notes;
    out
}

/// How many persons [`find_candidates`] compares in full for `contact`:
/// those the index gathers by key, bounded however common the name (never
/// a scan of all persons). Public so that the bound can be checked on a
/// generated district (`writeback-synth`'s tests).
pub fn persons_compared(ctx: &MatchContext<'_>, contact: &FormContact) -> usize {
    let mut notes = Vec::new();
    gather(ctx, &Profile::for_matching(contact, ctx.index, &mut notes)).len()
}

fn inactive(c: &Candidate) -> bool {
    c.flags.iter().any(|f| f.kind == FlagKind::Inactive)
}

/// Gathers the persons worth comparing, best first by a cheap score.
pub(crate) fn gather(ctx: &MatchContext<'_>, form: &Profile<'_>) -> Vec<Hit> {
    let mut gathering = Gathering { ctx, index: ctx.index, form, raw: Vec::new() };
    gathering.by_email();
    gathering.by_phone();
    gathering.by_address();
    gathering.by_name();
    gathering.by_swapped_name();
    gathering.by_family();
    worth_comparing(one_per_person(gathering.raw))
}

/// The persons found for one form contact, one hit per way found (a person
/// may be found many times).
struct Gathering<'c, 'f> {
    ctx: &'c MatchContext<'c>,
    index: &'c ContactIndex,
    form: &'c Profile<'f>,
    raw: Vec<Hit>,
}

impl Gathering<'_, '_> {
    fn push(&mut self, pos: u32, via: u8, points: i32, sibling: u32) {
        self.raw.push(Hit { pos, via, points, sibling });
    }

    /// The persons with the form's emails. Near misses are looked up only
    /// for an email nobody has exactly (a typo of someone's); the persons
    /// found by name are compared with every near miss in any case.
    fn by_email(&mut self) {
        let (index, form) = (self.index, self.form);
        for e in &form.emails {
            let exact = index.emails.get(email_key(&e.email.folded));
            for &pos in exact {
                self.push(pos, VIA_EMAIL, EMAIL, 0);
            }
            if exact.is_empty() {
                for pos in index.emails_near(&e.email) {
                    self.push(pos, VIA_NEAR, EMAIL_NEAR, 0);
                }
                self.by_mailbox_name(&e.words);
            }
        }
    }

    /// A mailbox that spells a name (`maria.stanindale52@`, in `words`):
    /// the person under that name, who may have another last name now.
    fn by_mailbox_name(&mut self, words: &[String]) {
        let (index, form) = (self.index, self.form);
        let form_pair = (index.names.find(&form.last.joined), index.names.find(&form.first.joined));
        for l in words.iter().filter_map(|w| index.names.find(w)) {
            for f in words.iter().filter_map(|w| index.names.find(w)).filter(|&f| f != l) {
                if form_pair != (Some(l), Some(f)) {
                    for p in index.pairs_with(l, f..f + 1) {
                        self.push(p.pos, VIA_NAME, EMAIL_NAME, 0);
                    }
                }
            }
        }
    }

    /// The persons with the form's phones, or one digit off a phone nobody
    /// has exactly.
    fn by_phone(&mut self) {
        let (index, form) = (self.index, self.form);
        for p in &form.phones {
            let exact = index.phones.get(p.phone.key);
            for &pos in exact {
                self.push(pos, VIA_PHONE, PHONE, 0);
            }
            if exact.is_empty() {
                for pos in index.phones_under(near_keys(p.phone.key)) {
                    self.push(pos, VIA_NEAR, PHONE_NEAR, 0);
                }
            }
        }
    }

    /// The household's address: a person there of the same first name may
    /// be the contact under a new last name (neighbours in the building and
    /// the rest of the household are found by name if at all).
    fn by_address(&mut self) {
        let form = self.form;
        for &pos in &form.at_address {
            let first = self.ctx.snapshot.persons.get(pos as usize).map(|p| NameParts::given(&p.first_name));
            if first.is_some_and(|f| !f.is_empty() && f.joined == form.first.joined) {
                self.push(pos, VIA_ADDRESS, ADDRESS, 0);
            }
        }
    }

    /// Names: every (last variant, first variant) pair; for a last name
    /// not mistyped, first names spelled alike and, when rare, everyone of
    /// that last name.
    fn by_name(&mut self) {
        let (index, form) = (self.index, self.form);
        let lasts = last_variants(index, form);
        let firsts = first_variants(index, form);
        for &(last, lp, typo) in &lasts {
            for (range, fp, initial) in &firsts {
                if typo && *initial {
                    continue;
                }
                for p in index.pairs_with(last, range.clone()) {
                    self.push(p.pos, VIA_NAME, lp + fp, 0);
                }
            }
            if !typo {
                self.by_first_spelled_alike(last, lp);
                self.by_rare_last_name(last, lp);
            }
        }
    }

    /// Spelled alike: a last resort, when no one of last name `last` has
    /// the form's first name exactly.
    fn by_first_spelled_alike(&mut self, last: u32, last_points: i32) {
        let (index, form) = (self.index, self.form);
        let exact = index.names.find(&form.first.joined).map(|f| index.pairs_with(last, f..f + 1));
        if exact.is_none_or(<[_]>::is_empty) {
            for (pos, fp) in index.similar_firsts(last, &form.first.joined, &form.first_skeleton) {
                self.push(pos, VIA_NAME, last_points + fp, 0);
            }
        }
    }

    /// Everyone of last name `last` when at most [`RARE_LAST_NAME`] persons
    /// have it.
    fn by_rare_last_name(&mut self, last: u32, last_points: i32) {
        let all = self.index.pairs_with_last(last);
        if all.len() <= RARE_LAST_NAME {
            for p in all {
                self.push(p.pos, VIA_RARE, last_points, 0);
            }
        }
    }

    /// Swapped first and last name (with a compound surname, either part).
    fn by_swapped_name(&mut self) {
        let (index, form) = (self.index, self.form);
        if form.first.is_empty() || form.last.is_empty() {
            return;
        }
        let keys = |n: &NameParts| -> Vec<u32> {
            let mut ids: Vec<u32> = std::iter::once(n.joined.as_str())
                .chain(n.parts.iter().map(String::as_str))
                .filter_map(|k| index.names.find(k))
                .collect();
            ids.dedup();
            ids
        };
        for l in keys(&form.first) {
            for f in keys(&form.last) {
                for p in index.pairs_with(l, f..f + 1) {
                    self.push(p.pos, VIA_NAME, SWAPPED, 0);
                }
            }
        }
    }

    /// The family's contacts: this student's, then each sibling's.
    fn by_family(&mut self) {
        let ctx = self.ctx;
        if let Some(s) = ctx.student {
            for pos in contacts_of(ctx, s.dcid) {
                self.push(pos, VIA_STUDENT, THIS_STUDENT, 0);
            }
        }
        for (i, sib) in ctx.siblings.iter().enumerate() {
            let Some(dcid) = sib.student_dcid else { continue };
            for pos in contacts_of(ctx, dcid) {
                self.push(pos, VIA_SIBLING, SIBLING, i as u32);
            }
        }
    }
}

/// The positions of the persons linked to the student `dcid`.
fn contacts_of<'a>(ctx: &MatchContext<'a>, dcid: StudentDcid) -> impl Iterator<Item = u32> + 'a {
    let (index, snapshot) = (ctx.index, ctx.snapshot);
    index
        .student_links
        .get(dcid)
        .iter()
        .filter_map(move |&sc| snapshot.student_contacts.get(sc as usize).and_then(|l| index.position(l.person_id)))
}

/// One hit per person: the best points per way found, summed.
fn one_per_person(mut raw: Vec<Hit>) -> Vec<Hit> {
    raw.sort_unstable_by_key(|h| (h.pos, h.via, std::cmp::Reverse(h.points), h.sibling));
    let mut hits: Vec<Hit> = Vec::new();
    let mut last_via = 0u8;
    for h in raw {
        match hits.last_mut() {
            Some(m) if m.pos == h.pos => {
                if h.via != last_via {
                    m.points += h.points;
                    if h.via == VIA_SIBLING {
                        m.sibling = h.sibling;
                    }
                }
                m.via |= h.via;
            }
            _ => hits.push(h),
        }
        last_via = h.via;
    }
    hits
}

/// The hits worth comparing in full: family contacts always; then persons
/// sharing an email or phone; then persons found by name only, each by
/// first score.
fn worth_comparing(hits: Vec<Hit>) -> Vec<Hit> {
    let family = VIA_STUDENT | VIA_SIBLING;
    let identifier = VIA_EMAIL | VIA_PHONE | VIA_NEAR | VIA_ADDRESS;
    let mut keep: Vec<Hit> = Vec::new();
    let mut by_identifier: Vec<Hit> = Vec::new();
    let mut by_name: Vec<Hit> = Vec::new();
    for h in hits {
        if h.via & family != 0 {
            keep.push(h);
        } else if h.via & identifier != 0 {
            by_identifier.push(h);
        } else {
            by_name.push(h);
        }
    }
    for (mut group, cap) in [(by_identifier, MAX_COMPARED_BY_IDENTIFIER), (by_name, MAX_COMPARED_BY_NAME)] {
        if group.len() > cap {
            group.select_nth_unstable_by_key(cap, |h| (std::cmp::Reverse(h.points), h.pos));
            group.truncate(cap);
        }
        keep.extend(group);
    }
    keep
}

/// Last-name ids to look up: (id, points, is a typo).
fn last_variants(index: &ContactIndex, form: &Profile<'_>) -> Vec<(u32, i32, bool)> {
    let mut out: Vec<(u32, i32, bool)> = Vec::new();
    if form.last.is_empty() {
        return out;
    }
    let add = |id: u32, pts: i32, typo: bool, out: &mut Vec<(u32, i32, bool)>| {
        if !out.iter().any(|v| v.0 == id) {
            out.push((id, pts, typo));
        }
    };
    if let Some(id) = index.names.find(&form.last.joined) {
        add(id, LAST_EXACT, false, &mut out);
    }
    if form.last.parts.len() > 1 || form.last.parts.first() != Some(&form.last.joined) {
        for part in &form.last.parts {
            if let Some(id) = index.names.find(part) {
                add(id, LAST_PART, false, &mut out);
            }
        }
    }
    for id in index.typo_neighbours(&form.last.joined) {
        add(id, LAST_TYPO, true, &mut out);
    }
    if form.last.is_compound() {
        for part in &form.last.parts {
            for id in index.typo_neighbours(part) {
                add(id, LAST_PART_TYPO, true, &mut out);
            }
        }
    }
    out
}

/// First-name id ranges to look up: (ids, points, is an initial).
fn first_variants(index: &ContactIndex, form: &Profile<'_>) -> Vec<(Range<u32>, i32, bool)> {
    let mut out: Vec<(Range<u32>, i32, bool)> = Vec::new();
    let f = &form.first;
    if f.is_empty() {
        return out;
    }
    let add = |id: Option<u32>, pts: i32, out: &mut Vec<(Range<u32>, i32, bool)>| {
        if let Some(id) = id {
            if !out.iter().any(|v| v.0.start == id && v.0.end == id + 1) {
                out.push((id..id + 1, pts, false));
            }
        }
    };
    add(index.names.find(&f.joined), FIRST_EXACT, &mut out);
    for w in &f.parts {
        add(index.names.find(w), FIRST_PART, &mut out);
    }
    let nicknames = Nicknames::table();
    for w in f.nickname_keys() {
        for n in nicknames.related(w) {
            add(index.names.find(n), FIRST_NICKNAME, &mut out);
        }
    }
    for id in index.typo_neighbours(&f.joined) {
        add(Some(id), FIRST_TYPO, &mut out);
    }
    // Short forms: the form's name begins a longer one, or a shorter one begins it.
    let letters = f.joined.chars().count();
    if letters >= 3 {
        let range = index.names.prefix_range(&f.joined);
        out.push((range, FIRST_SHORT, false));
    }
    for (i, _) in f.joined.char_indices().skip(3) {
        if f.joined[..i].chars().count() + 2 <= letters {
            add(index.names.find(&f.joined[..i]), FIRST_SHORT, &mut out);
        }
    }
    if let Some(initial) = f.joined.chars().next() {
        let mut buf = [0u8; 4];
        let initial = initial.encode_utf8(&mut buf);
        if f.joined.chars().count() == 1 {
            out.push((index.names.prefix_range(initial), FIRST_INITIAL, true));
        } else if let Some(id) = index.names.find(initial) {
            out.push((id..id + 1, FIRST_INITIAL, true));
        }
    }
    out
}

/// Compares one gathered person in full; `None` if the agreement is too weak.
fn candidate(ctx: &MatchContext<'_>, form: &Profile<'_>, hit: Hit) -> Option<Candidate> {
    let (candidate, qualifies) = compared(ctx, form, hit)?;
    qualifies.then_some(candidate)
}

/// The person at `hit` compared in full with the form, and whether the
/// agreement is strong enough to list them unasked.
pub(crate) fn compared(ctx: &MatchContext<'_>, form: &Profile<'_>, hit: Hit) -> Option<(Candidate, bool)> {
    let person = ctx.snapshot.persons.get(hit.pos as usize)?;
    let profile = Profile::from_person(ctx.snapshot, ctx.index, hit.pos, form)?;
    let mut cmp = compare(form, &profile, "PowerSchool");
    let this_student = hit.via & VIA_STUDENT != 0;
    let sibling = (hit.via & VIA_SIBLING != 0).then(|| ctx.siblings.get(hit.sibling as usize)).flatten();
    let linked = this_student || sibling.is_some();
    let last_whole = matches!(cmp.last, Some(LastAgreement::Exact | LastAgreement::Part));
    let some_name = cmp.first.is_some() || cmp.last.is_some();
    let qualifies = cmp.contact
        || cmp.full_name()
        || (last_whole && hit.via & VIA_RARE != 0)
        || (linked && cmp.first.is_some())
        || (cmp.near_contact && some_name)
        || (cmp.address && cmp.first.is_some())
        || (cmp.email_name && some_name);
    if this_student {
        let expired = ctx.student.is_some_and(|s| {
            ctx.index.student_links.get(s.dcid).iter().any(|&sc| {
                ctx.snapshot.student_contacts.get(sc as usize).is_some_and(|l| l.person_id == person.id)
                    && !link_status(ctx.snapshot, ctx.index, sc, ctx.today).1
            })
        });
        let text =
            if expired { "already a contact of this student (expired)" } else { "already a contact of this student" };
        cmp.evidence.push(Evidence::new(EvidenceField::Link, THIS_STUDENT, text));
    } else if let Some(s) = sibling {
        cmp.evidence.push(Evidence::new(
            EvidenceField::Link,
            SIBLING,
            format!("already a contact of sibling {}", s.label()),
        ));
    }
    if !person.is_active {
        cmp.flags.push(Flag::new(FlagKind::Inactive, "inactive in PowerSchool: matching reactivates the contact"));
    }
    let (confidence, reason) = confidence(&cmp, this_student, sibling.is_some());
    let name_exact = cmp.first == Some(FirstAgreement::Exact) && cmp.last == Some(LastAgreement::Exact);
    let candidate = Candidate {
        person_id: person.id,
        name: profile.display_name(),
        score: score(&cmp.evidence),
        evidence: cmp.evidence,
        flags: cmp.flags,
        used_by: Vec::new(),
        linked_to_student: this_student,
        confidence,
        reason,
        name_exact,
    };
    Some((candidate, qualifies))
}

/// A hit for a person found some other way (a staff search, a pick): how
/// the person relates to this student and the siblings is looked up.
pub(crate) fn hit_for(ctx: &MatchContext<'_>, pos: u32) -> Hit {
    let Some(person) = ctx.snapshot.persons.get(pos as usize) else {
        return Hit { pos, via: 0, points: 0, sibling: 0 };
    };
    let linked_to = |dcid: StudentDcid| {
        ctx.index
            .student_links
            .get(dcid)
            .iter()
            .any(|&sc| ctx.snapshot.student_contacts.get(sc as usize).is_some_and(|l| l.person_id == person.id))
    };
    let mut via = 0;
    if ctx.student.is_some_and(|s| linked_to(s.dcid)) {
        via |= VIA_STUDENT;
    }
    let sibling = ctx.siblings.iter().position(|s| s.student_dcid.is_some_and(linked_to));
    if sibling.is_some() {
        via |= VIA_SIBLING;
    }
    Hit { pos, via, points: 0, sibling: sibling.unwrap_or(0) as u32 }
}

/// How likely a compared person is the contact, and why in words.
fn confidence(cmp: &Comparison, this_student: bool, sibling: bool) -> (Confidence, String) {
    let identifier = || {
        let email = cmp.evidence.iter().any(|e| e.field == EvidenceField::Email && e.points >= EMAIL_CASE);
        if email {
            "the email"
        } else {
            "the phone"
        }
    };
    let near = || {
        let email = cmp.evidence.iter().any(|e| e.field == EvidenceField::Email && e.points == EMAIL_NEAR);
        if email {
            "an email one typo away"
        } else {
            "a phone one typo away"
        }
    };
    let some_name = cmp.first.is_some() || cmp.last.is_some();
    let spelled_alike = cmp.first == Some(FirstAgreement::Similar);
    let (level, why) = if (cmp.contact || cmp.address) && cmp.full_name() && spelled_alike {
        let what = if cmp.contact { identifier() } else { "the address" };
        (Confidence::Possible, format!("{what} and the last name agree, the first name is spelled alike"))
    } else if cmp.contact && cmp.full_name() {
        (Confidence::Strong, format!("{} and the name agree", identifier()))
    } else if this_student && (cmp.full_name() || cmp.contact) {
        (Confidence::Strong, "already this student's contact, under this name".to_string())
    } else if cmp.contact && cmp.last.is_some() && cmp.first.is_none() && cmp.first_differs {
        let why = format!(
            "{} and the last name agree, the first name does not: someone else in the household?",
            identifier()
        );
        (Confidence::Weak, why)
    } else if cmp.contact && some_name {
        (Confidence::Possible, format!("{} agrees, the name only in part", identifier()))
    } else if cmp.contact {
        (Confidence::Possible, format!("{} agrees, the name differs", identifier()))
    } else if cmp.address && cmp.full_name() {
        (Confidence::Strong, "the address and the name agree".to_string())
    } else if cmp.address && cmp.first.is_some() && cmp.last.is_none() {
        let why = "the address and the first name agree, the last name does not: a new last name?";
        (Confidence::Possible, why.to_string())
    } else if cmp.address && cmp.last.is_some() && cmp.first_differs {
        let why = "the address and the last name agree, the first name does not: someone else in the household?";
        (Confidence::Weak, why.to_string())
    } else if cmp.email_name && some_name {
        let why = "the email spells this person's name, and part of the name agrees: a new name?";
        (Confidence::Possible, why.to_string())
    } else if cmp.full_name() && cmp.near_contact {
        (Confidence::Possible, format!("the name agrees, with {}", near()))
    } else if cmp.full_name() && sibling {
        (Confidence::Possible, "the name agrees, and the person is a sibling's contact".to_string())
    } else if this_student {
        (Confidence::Possible, "already this student's contact, the name only in part".to_string())
    } else if cmp.full_name() {
        (Confidence::Weak, "only the name agrees: a namesake, unless something else says so".to_string())
    } else {
        (Confidence::Weak, "only part of the name agrees".to_string())
    };
    if cmp.gender_differs && level == Confidence::Strong {
        return (Confidence::Possible, format!("{why}, but the relationship implies another gender"));
    }
    if cmp.gender_differs && level == Confidence::Possible && !cmp.full_name() {
        return (Confidence::Weak, format!("{why}, and the relationship implies another gender: someone else?"));
    }
    (level, why)
}

/// Blocks on the family's other applications describing the same person.
fn same_person(ctx: &MatchContext<'_>, form: &Profile<'_>) -> Vec<SamePerson> {
    let mut out = Vec::new();
    for sib in ctx.siblings {
        let Some(app) = &sib.application else { continue };
        for other in &sib.contacts {
            let mut ignored = Vec::new();
            let profile = Profile::from_form(other, &mut ignored);
            let label = format!("{} on {app}", other.block);
            let cmp = compare(form, &profile, &label);
            if !(cmp.full_name() || (cmp.contact && (cmp.first.is_some() || cmp.last.is_some()))) {
                continue;
            }
            let mut evidence = vec![Evidence::new(EvidenceField::Link, 0, format!("same person as {label}"))];
            evidence.extend(cmp.evidence);
            out.push(SamePerson {
                application: app.clone(),
                block: other.block.clone(),
                score: score(&evidence),
                evidence,
            });
        }
    }
    crate::sort::by(&mut out, |a, b| {
        b.score.cmp(&a.score).then_with(|| (&a.application, &a.block).cmp(&(&b.application, &b.block)))
    });
    out
}
