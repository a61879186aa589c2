//! The contact index: built once over a snapshot's persons, then queried
//! without scanning. Exact keys for emails and phones, interned name keys
//! paired (last, first) for blocking, one-deletion variants of every name for
//! one-letter typos, and the links from persons to students. Positions are
//! `u32` indices into `snapshot.persons`; lists are sorted vectors.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::mem::size_of;
use std::ops::Range;

use super::compare::{similar_first, skeleton, SIMILAR_WEAK};
use super::intern::NameTable;
use super::normalize::email::email_key;
use super::normalize::typo::{deletion_hashes, one_edit_apart, word_hash, MIN_TYPO_LEN};
use super::normalize::{MatchAddress, MatchEmail, MatchPhone, NameParts};
use crate::domain::{ContactAssocId, PersonId, StudentDcid, StudentNumber};
use crate::lookup::{Csr, KeyFilter, KeyMap};
use crate::snapshot::{Person, Snapshot, Student};

/// A person found under a (last name key, first name key) pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct NamePair {
    pub last: u32,
    pub first: u32,
    pub pos: u32,
}

/// FNV-1a as a `Hasher`, for interning short names while building (the
/// default SipHash is slower, and the map never sees untrusted keys in bulk
/// that could collide on purpose: it only lives during the build).
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        let start = if self.0 == 0 { crate::lookup::FNV_OFFSET } else { self.0 };
        self.0 = crate::lookup::fnv1a_from(start, bytes.iter().copied());
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A last name shared by more persons than this is not scanned for first
/// names spelled alike (their namesakes are found by the other variants).
pub(crate) const SIMILAR_SCAN: usize = 1024;

/// Marks a portal item as a `PCAS_EmailContact` row (else a `PCAS_Account` row).
pub(crate) const PORTAL_EXTRA: u32 = 1 << 31;

/// An index over a snapshot's persons for contact matching. Build it once
/// per snapshot ([`ContactIndex::build`]) and use it only with that snapshot.
#[derive(Debug, Clone, Default)]
pub struct ContactIndex {
    /// Number of persons indexed.
    pub(crate) persons: usize,
    /// Person ID -> position.
    pub(crate) by_id: KeyMap<PersonId>,
    /// Distinct normalised name keys (first and last).
    pub(crate) names: NameTable,
    /// (last key, first key, position), sorted.
    pub(crate) pairs: Vec<NamePair>,
    /// Per name id: the letters of its spelling skeleton as bits (a-z), to
    /// rule out most names before grading spelling alike.
    pub(crate) skeleton_letters: Vec<u32>,
    /// (hash of a one-deletion variant, name id), sorted.
    pub(crate) deletions: Vec<(u32, u32)>,
    /// Folded email key -> positions (person emails and portal accounts).
    pub(crate) emails: KeyMap<u64>,
    /// Phone key -> positions.
    pub(crate) phones: KeyMap<u64>,
    /// (typo key, position): each email's [`MatchEmail::typo_keys`], so an
    /// address one letter away is found with a few lookups.
    pub(crate) email_typos: KeyMap<u32>,
    /// Which phone keys exist, for looking up a number's 99 near misses
    /// cheaply.
    pub(crate) phone_filter: KeyFilter,
    /// Per person: (PersonEmailAddressAssoc index, EmailAddress index).
    pub(crate) person_emails: Csr<(u32, u32)>,
    /// Per person: PCAS_Account index, or PCAS_EmailContact index | [`PORTAL_EXTRA`].
    pub(crate) person_portal: Csr<u32>,
    /// Per person: (PersonPhoneNumberAssoc index, PhoneNumber index).
    pub(crate) person_phones: Csr<(u32, u32)>,
    /// Address key ([`MatchAddress::key`]) -> positions.
    pub(crate) addresses: KeyMap<u64>,
    /// Per person: (PersonAddressAssoc index, Address index).
    pub(crate) person_addresses: Csr<(u32, u32)>,
    /// Per person: StudentContactAssoc indices.
    pub(crate) person_links: Csr<u32>,
    /// Student DCID -> StudentContactAssoc indices.
    pub(crate) student_links: KeyMap<StudentDcid>,
    /// StudentContactAssocID -> StudentContactDetail indices.
    pub(crate) details: KeyMap<ContactAssocId>,
    /// Student DCID -> Students index.
    pub(crate) students: KeyMap<StudentDcid>,
    /// Hash of the student number -> Students index.
    pub(crate) student_numbers: KeyMap<u64>,
    /// CodeSetID -> CodeSet index.
    pub(crate) codes: KeyMap<i64>,
}

impl ContactIndex {
    /// Indexes the snapshot's persons, their emails, phones, portal accounts
    /// and student links. Rows that refer to unknown ids, and emails or
    /// phones that do not parse, are left out (they can never match).
    pub fn build(snapshot: &Snapshot) -> ContactIndex {
        let n = snapshot.persons.len().min(u32::MAX as usize >> 1);
        let persons = &snapshot.persons[..n];
        let by_id = KeyMap::new(persons.iter().enumerate().map(|(i, p)| (p.id, i as u32)).collect());
        let names = NameIndex::build(persons);
        let rows = PersonRows { snapshot, by_id: &by_id };
        let emails = rows.emails();
        let phones = rows.phones();
        let addresses = rows.addresses();
        let links = rows.student_links();
        let details =
            snapshot.student_contact_details.iter().enumerate().map(|(i, d)| (d.student_contact_id, i as u32));
        let students = snapshot.students.iter().enumerate().map(|(i, s)| (s.dcid, i as u32));
        let student_numbers =
            snapshot.students.iter().enumerate().map(|(i, s)| (number_hash(s.student_number.as_str()), i as u32));
        let codes = snapshot.code_sets.iter().enumerate().map(|(i, c)| (c.id, i as u32));

        ContactIndex {
            persons: n,
            by_id,
            names: names.names,
            skeleton_letters: names.skeleton_letters,
            pairs: names.pairs,
            deletions: names.deletions,
            email_typos: KeyMap::new(emails.typos),
            phone_filter: KeyFilter::new(&phones.keys.iter().map(|k| k.0).collect::<Vec<_>>()),
            emails: KeyMap::new(emails.keys),
            phones: KeyMap::new(phones.keys),
            person_emails: Csr::new(n, emails.person_emails),
            person_portal: Csr::new(n, emails.person_portal),
            person_phones: Csr::new(n, phones.per_person),
            addresses: KeyMap::new(addresses.keys),
            person_addresses: Csr::new(n, addresses.per_person),
            person_links: Csr::new(n, links.per_person),
            student_links: KeyMap::new(links.per_student),
            details: KeyMap::new(details.collect()),
            students: KeyMap::new(students.collect()),
            student_numbers: KeyMap::new(student_numbers.collect()),
            codes: KeyMap::new(codes.collect()),
        }
    }

    /// An estimate of the heap bytes the index holds (vector capacities
    /// times element sizes, and the name buffer).
    pub fn memory_bytes(&self) -> usize {
        self.by_id.memory_bytes()
            + self.names.memory_bytes()
            + self.skeleton_letters.capacity() * 4
            + self.pairs.capacity() * size_of::<NamePair>()
            + self.deletions.capacity() * size_of::<(u32, u32)>()
            + self.emails.memory_bytes()
            + self.phones.memory_bytes()
            + self.email_typos.memory_bytes()
            + self.phone_filter.memory_bytes()
            + self.person_emails.memory_bytes()
            + self.person_portal.memory_bytes()
            + self.person_phones.memory_bytes()
            + self.addresses.memory_bytes()
            + self.person_addresses.memory_bytes()
            + self.person_links.memory_bytes()
            + self.student_links.memory_bytes()
            + self.details.memory_bytes()
            + self.students.memory_bytes()
            + self.student_numbers.memory_bytes()
            + self.codes.memory_bytes()
    }

    /// How many persons are indexed.
    pub fn len(&self) -> usize {
        self.persons
    }

    /// Whether no person is indexed.
    pub fn is_empty(&self) -> bool {
        self.persons == 0
    }

    /// How many distinct name keys the index holds.
    pub fn distinct_names(&self) -> usize {
        self.names.len()
    }

    /// The position in Students of the student numbered `number`, without
    /// a scan.
    pub fn student_position(&self, snapshot: &Snapshot, number: &StudentNumber) -> Option<u32> {
        self.student_numbers
            .get(number_hash(number.as_str()))
            .iter()
            .copied()
            .find(|&i| snapshot.students.get(i as usize).is_some_and(|s| &s.student_number == number))
    }

    /// The student numbered `number`, without a scan.
    pub fn student<'a>(&self, snapshot: &'a Snapshot, number: &StudentNumber) -> Option<&'a Student> {
        self.student_position(snapshot, number).and_then(|i| snapshot.students.get(i as usize))
    }

    /// The position of the person with `id`.
    pub(crate) fn position(&self, id: PersonId) -> Option<u32> {
        self.by_id.first(id)
    }

    /// The ids of the names one edit away from `word` (not `word` itself).
    pub(crate) fn typo_neighbours(&self, word: &str) -> Vec<u32> {
        let mut found = Vec::new();
        if word.chars().count() + 1 < MIN_TYPO_LEN {
            return found;
        }
        let probe = |h: u32, found: &mut Vec<u32>| {
            let lo = self.deletions.partition_point(|d| d.0 < h);
            for &(k, id) in &self.deletions[lo..] {
                if k != h {
                    break;
                }
                if one_edit_apart(word, self.names.get(id)) {
                    found.push(id);
                }
            }
        };
        // `word` is a deletion variant of a name (the name has a letter more).
        probe(word_hash(word), &mut found);
        if word.chars().count() >= MIN_TYPO_LEN {
            for h in deletion_hashes(word) {
                // substitution or swap: both lose the same letter
                probe(h, &mut found);
            }
        }
        // the name is a deletion variant of `word` (the form has a letter more)
        for d in super::normalize::typo::deletions(word) {
            if d.chars().count() >= MIN_TYPO_LEN {
                if let Some(id) = self.names.find(&d) {
                    found.push(id);
                }
            }
        }
        crate::sort::values(&mut found);
        found.dedup();
        found
    }

    /// The indexed name keys one edit from `key`, a folded name (a letter
    /// changed, dropped or added, or two neighbours swapped: `garcai` ->
    /// `garcia`): what a typo of a name is matched through, found by the
    /// deletion variants, never by a scan. Public so that the index can be
    /// checked on a generated district (`writeback-synth`'s tests).
    pub fn names_one_edit_from(&self, key: &str) -> Vec<&str> {
        self.typo_neighbours(key).into_iter().map(|id| self.names.get(id)).collect()
    }

    /// The persons with an email one typo from `email` (sharing a typo
    /// key, or at the provider `email` mistyped); the exact address too.
    pub(crate) fn emails_near(&self, email: &MatchEmail) -> Vec<u32> {
        let mut out: Vec<u32> = email.corrected_key().map(|k| self.emails.get(k).to_vec()).unwrap_or_default();
        for k in email.typo_keys() {
            out.extend_from_slice(self.email_typos.get(k));
        }
        out
    }

    /// The persons under each of the phone `keys` that exist (most do not).
    pub(crate) fn phones_under(&self, keys: impl IntoIterator<Item = u64>) -> Vec<u32> {
        keys.into_iter()
            .filter(|&k| self.phone_filter.may_contain(k))
            .flat_map(|k| self.phones.get(k).to_vec())
            .collect()
    }

    /// The name pairs with last name `last` and a first name in `firsts`.
    pub(crate) fn pairs_with(&self, last: u32, firsts: Range<u32>) -> &[NamePair] {
        let lo = self.pairs.partition_point(|p| (p.last, p.first) < (last, firsts.start));
        let hi = lo + self.pairs[lo..].partition_point(|p| (p.last, p.first) < (last, firsts.end));
        &self.pairs[lo..hi]
    }

    /// The persons with last name `last` whose first name is spelled like
    /// `first` (see [`similar_first`]; `first_skeleton` is its skeleton),
    /// with the points it gives; none when more than [`SIMILAR_SCAN`]
    /// persons have that last name.
    pub(crate) fn similar_firsts(&self, last: u32, first: &str, first_skeleton: &str) -> Vec<(u32, i32)> {
        let pairs = self.pairs_with_last(last);
        if pairs.len() > SIMILAR_SCAN || first.chars().count() < 4 {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut seen: Option<(u32, Option<i32>)> = None;
        let mine = letters(first_skeleton);
        for p in pairs {
            let pts = match seen {
                Some((id, pts)) if id == p.first => pts,
                _ => {
                    let theirs = self.skeleton_letters.get(p.first as usize).copied().unwrap_or(0);
                    let pts = if shares_most_letters(mine, theirs) {
                        similar_first(first, first_skeleton, self.names.get(p.first), SIMILAR_WEAK)
                    } else {
                        None
                    };
                    seen = Some((p.first, pts));
                    pts
                }
            };
            out.extend(pts.map(|pts| (p.pos, pts)));
        }
        out
    }

    /// The name pairs with last name `last` (any first name).
    pub(crate) fn pairs_with_last(&self, last: u32) -> &[NamePair] {
        self.pairs_with(last, 0..u32::MAX)
    }
}

/// The name part of the index while it is built.
struct NameIndex {
    names: NameTable,
    pairs: Vec<NamePair>,
    skeleton_letters: Vec<u32>,
    deletions: Vec<(u32, u32)>,
}

/// Name keys interned while building, with provisional ids (in order of
/// first sight).
type Interner = HashMap<String, u32, BuildHasherDefault<Fnv>>;

impl NameIndex {
    /// The names of `persons` (positions are indices into it): intern keys
    /// with provisional ids, then renumber by rank.
    fn build(persons: &[Person]) -> NameIndex {
        let (interner, raw_pairs) = provisional_name_pairs(persons);
        let mut sorted: Vec<(String, u32)> = interner.into_iter().collect();
        crate::sort::values(&mut sorted);
        let mut rank = vec![0u32; sorted.len()];
        for (r, (_, prov)) in sorted.iter().enumerate() {
            rank[*prov as usize] = r as u32;
        }
        let names = NameTable::new(sorted.into_iter().map(|(s, _)| s).collect());
        let mut pairs: Vec<NamePair> = raw_pairs
            .into_iter()
            .map(|p| NamePair { last: rank[p.last as usize], first: rank[p.first as usize], pos: p.pos })
            .collect();
        crate::sort::values(&mut pairs);
        pairs.shrink_to_fit();
        let skeleton_letters = (0..names.len() as u32).map(|id| letters(&skeleton(names.get(id)))).collect();
        let deletions = deletion_variants(&names);
        NameIndex { names, pairs, skeleton_letters, deletions }
    }
}

/// Every (last name key, first name key, position) of `persons`, with
/// provisional name ids; a person with no last name is left out, one with
/// no first name is paired with the empty key.
fn provisional_name_pairs(persons: &[Person]) -> (Interner, Vec<NamePair>) {
    let n = persons.len();
    let mut interner = Interner::default();
    let mut intern = |s: &str| -> u32 {
        if let Some(&id) = interner.get(s) {
            return id;
        }
        let id = interner.len() as u32;
        interner.insert(s.to_string(), id);
        id
    };
    let mut raw_pairs = Vec::with_capacity(n + n / 8);
    for (pos, p) in persons.iter().enumerate() {
        let family = NameParts::family(&p.last_name);
        if family.is_empty() {
            continue;
        }
        let given = NameParts::given(&p.first_name);
        let mut firsts = given.keys(false);
        if firsts.is_empty() {
            firsts.push("");
        }
        let firsts: Vec<u32> = firsts.into_iter().map(&mut intern).collect();
        for l in family.keys(true) {
            let l = intern(l);
            raw_pairs.extend(firsts.iter().map(|&f| NamePair { last: l, first: f, pos: pos as u32 }));
        }
    }
    (interner, raw_pairs)
}

/// (hash of a one-deletion variant, name id) of every name, sorted.
fn deletion_variants(names: &NameTable) -> Vec<(u32, u32)> {
    let mut deletions = Vec::new();
    for id in 0..names.len() as u32 {
        deletions.extend(deletion_hashes(names.get(id)).map(|h| (h, id)));
    }
    crate::sort::values(&mut deletions);
    deletions.dedup();
    deletions.shrink_to_fit();
    deletions
}

/// The snapshot's rows about persons, read for the index: each row whose
/// person is indexed, by the person's position.
struct PersonRows<'s> {
    snapshot: &'s Snapshot,
    /// Person ID -> position.
    by_id: &'s KeyMap<PersonId>,
}

/// Emails and portal accounts while building.
#[derive(Default)]
struct EmailRows {
    /// (folded email key, position), sorted, deduplicated.
    keys: Vec<(u64, u32)>,
    /// (typo key, position), sorted, deduplicated.
    typos: Vec<(u32, u32)>,
    /// (position, (PersonEmailAddressAssoc index, EmailAddress index)).
    person_emails: Vec<(u32, (u32, u32))>,
    /// (position, PCAS_Account index, or PCAS_EmailContact index | [`PORTAL_EXTRA`]).
    person_portal: Vec<(u32, u32)>,
}

impl EmailRows {
    /// Adds the keys of the email `raw` of the person at `pos`, if it parses.
    fn add_keys(&mut self, raw: &str, pos: u32) {
        if let Ok(e) = MatchEmail::parse(raw) {
            self.keys.push((email_key(&e.folded), pos));
            self.typos.extend(e.typo_keys().into_iter().map(|k| (k, pos)));
        }
    }
}

/// Phones or addresses while building.
struct KeyedRows<K> {
    /// (match key, position), sorted, deduplicated.
    keys: Vec<(K, u32)>,
    /// (position, (association index, phone or address index)).
    per_person: Vec<(u32, (u32, u32))>,
}

/// Contact links while building.
struct LinkRows {
    /// (position, StudentContactAssoc index).
    per_person: Vec<(u32, u32)>,
    /// (Student DCID, StudentContactAssoc index).
    per_student: Vec<(StudentDcid, u32)>,
}

impl PersonRows<'_> {
    fn position(&self, id: PersonId) -> Option<u32> {
        self.by_id.first(id)
    }

    /// The persons' emails, portal accounts and their extra emails.
    fn emails(&self) -> EmailRows {
        let snapshot = self.snapshot;
        let addresses =
            KeyMap::new(snapshot.email_addresses.iter().enumerate().map(|(i, e)| (e.id, i as u32)).collect());
        let mut out = EmailRows::default();
        for (i, a) in snapshot.person_emails.iter().enumerate() {
            let (Some(pos), Some(ai)) = (self.position(a.person_id), addresses.first(a.email_address_id)) else {
                continue;
            };
            out.add_keys(&snapshot.email_addresses[ai as usize].address, pos);
            out.person_emails.push((pos, (i as u32, ai)));
        }
        let accounts =
            KeyMap::new(snapshot.portal_accounts.iter().enumerate().map(|(i, a)| (a.id, i as u32)).collect());
        for (i, a) in snapshot.portal_accounts.iter().enumerate() {
            let Some(pos) = a.person_id.and_then(|id| self.position(id)) else { continue };
            out.add_keys(&a.email, pos);
            out.person_portal.push((pos, i as u32));
        }
        for (i, e) in snapshot.portal_emails.iter().enumerate() {
            let account = accounts.first(e.account_id).map(|a| &snapshot.portal_accounts[a as usize]);
            let Some(pos) = account.and_then(|a| a.person_id).and_then(|id| self.position(id)) else { continue };
            out.add_keys(&e.email, pos);
            out.person_portal.push((pos, i as u32 | PORTAL_EXTRA));
        }
        crate::sort::values(&mut out.keys);
        out.keys.dedup();
        crate::sort::values(&mut out.typos);
        out.typos.dedup();
        out
    }

    /// The persons' phones.
    fn phones(&self) -> KeyedRows<u64> {
        let snapshot = self.snapshot;
        let numbers = KeyMap::new(snapshot.phone_numbers.iter().enumerate().map(|(i, p)| (p.id, i as u32)).collect());
        let mut keys = Vec::new();
        let mut per_person = Vec::new();
        for (i, a) in snapshot.person_phones.iter().enumerate() {
            let (Some(pos), Some(ni)) = (self.position(a.person_id), numbers.first(a.phone_number_id)) else {
                continue;
            };
            let p = &snapshot.phone_numbers[ni as usize];
            if let Some(phone) = MatchPhone::from_stored(&p.number, &p.extension, &p.as_entered) {
                keys.push((phone.key, pos));
            }
            per_person.push((pos, (i as u32, ni)));
        }
        crate::sort::values(&mut keys);
        keys.dedup();
        KeyedRows { keys, per_person }
    }

    /// The persons' addresses.
    fn addresses(&self) -> KeyedRows<u64> {
        let snapshot = self.snapshot;
        let rows = KeyMap::new(snapshot.addresses.iter().enumerate().map(|(i, a)| (a.id, i as u32)).collect());
        let mut keys = Vec::new();
        let mut per_person = Vec::new();
        for (i, a) in snapshot.person_addresses.iter().enumerate() {
            let (Some(pos), Some(ai)) = (self.position(a.person_id), rows.first(a.address_id)) else { continue };
            let ad = &snapshot.addresses[ai as usize];
            if let Some(address) = MatchAddress::parse(&ad.street, &ad.unit, &ad.city, &ad.postal_code) {
                keys.push((address.key(), pos));
            }
            per_person.push((pos, (i as u32, ai)));
        }
        crate::sort::values(&mut keys);
        keys.dedup();
        KeyedRows { keys, per_person }
    }

    /// The links between persons and students.
    fn student_links(&self) -> LinkRows {
        let mut per_person = Vec::new();
        let mut per_student = Vec::new();
        for (i, sc) in self.snapshot.student_contacts.iter().enumerate() {
            if let Some(pos) = self.position(sc.person_id) {
                per_person.push((pos, i as u32));
            }
            per_student.push((sc.student_dcid, i as u32));
        }
        LinkRows { per_person, per_student }
    }
}

/// The letters a-z of `s` as bits.
fn letters(s: &str) -> u32 {
    s.bytes().filter(u8::is_ascii_lowercase).fold(0, |m, b| m | 1 << (b - b'a'))
}

/// Whether two names' letter sets share at least three in five letters:
/// names spelled alike (Jaro-Winkler >= 0.88 over skeletons) almost always
/// do, and most others do not.
fn shares_most_letters(a: u32, b: u32) -> bool {
    let (both, either) = ((a & b).count_ones(), (a | b).count_ones());
    either == 0 || both * 5 >= either * 3
}

/// A student number's key in the index (collisions are told apart by
/// comparing the number itself).
fn number_hash(number: &str) -> u64 {
    use std::hash::{DefaultHasher, Hash};
    let mut h = DefaultHasher::new();
    number.hash(&mut h);
    h.finish()
}
