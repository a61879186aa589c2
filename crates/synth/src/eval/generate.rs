//! The labelled generator: a district of persons (households with shared
//! last names, home phones and family emails; names from the word lists
//! the demo draws too, Zipf-distributed with a long tail; accents, compound
//! and particle surnames, suffixes; inactive persons and migration
//! duplicates) and application contacts with known truth, corrupted the way
//! real forms are (see [`super::corrupt`]).

use super::address::{form_addresses, form_relationship, new_person_addresses, Buildings, HomeAddress};
use super::corrupt::{corrupt, new_person_case};
use crate::details::{capitalise_words, free_domain, key_or, mailbox, work_mailbox};
use crate::names::{self, names, strip_accents, tail_name, tail_size, Heritage, HERITAGES};
use crate::rng::{Rng, Zipf};
use writeback_core::contacts::FormContact;
use writeback_core::domain::PersonId;
use writeback_core::snapshot::{
    Address, CodeSet, EmailAddress, Person, PersonAddress, PersonEmailAddress, PersonPhoneNumber, PhoneNumber, Snapshot,
};

/// Phone type CodeSet ids.
pub(crate) const PHONE_TYPES: [(i64, &str); 3] = [(1, "Home"), (2, "Mobile"), (3, "Work")];
const EMAIL_TYPE: i64 = 10;
const ADDRESS_TYPE: i64 = 20;

/// A generated contact with known truth.
#[derive(Debug, Clone)]
pub struct Case {
    /// The contact as the form has it.
    pub contact: FormContact,
    /// The Person.IDs it is (the person and its migration duplicates);
    /// empty for a person not in PowerSchool.
    pub truth: Vec<PersonId>,
    /// The corruptions applied, in words.
    pub corruptions: Vec<&'static str>,
}

/// A generated district and its labelled contacts.
#[derive(Debug, Clone)]
pub struct LabelledDistrict {
    /// Persons, emails, phones and code sets.
    pub snapshot: Snapshot,
    /// Contacts with truth, about one per ten persons (at least 100, at most
    /// 10,000): four in five are persons of the snapshot, one in five new.
    pub cases: Vec<Case>,
}

/// A person as generated, before corruption.
#[derive(Debug, Clone)]
pub(crate) struct Generated {
    pub ids: Vec<PersonId>,
    pub heritage: Heritage,
    pub female: bool,
    pub first: String,
    pub middle: String,
    pub last: String,
    pub emails: Vec<String>,
    /// (digits or +digits, extension, type).
    pub phones: Vec<(String, String, &'static str)>,
    /// Where the person lives (PowerSchool's, if the person is in it).
    pub address: Option<HomeAddress>,
}

/// Name draws per heritage, in the order of [`HERITAGES`].
pub(crate) struct Lists(Vec<HeritageLists>);

/// A heritage's names: first and last names ranked (the common lists, then
/// the rarer) and drawn by Zipf rank; middle names drawn alike.
struct HeritageLists {
    female: Ranked,
    male: Ranked,
    last: Ranked,
    middle: Vec<&'static str>,
}

/// Names, most common first, and their Zipf draw.
struct Ranked {
    names: Vec<&'static str>,
    zipf: Zipf,
}

impl Ranked {
    fn new(lists: [&[&'static str]; 2]) -> Ranked {
        let names: Vec<&'static str> = lists.concat();
        Ranked { zipf: Zipf::new(names.len()), names }
    }

    fn draw(&self, rng: &mut Rng) -> &'static str {
        self.names[self.zipf.draw(rng)]
    }
}

/// Generates `persons` persons (about; whole households) and labelled cases.
pub fn generate(persons: usize, seed: u64) -> LabelledDistrict {
    let mut g = Gen::new(persons, seed);
    while g.snapshot.persons.len() < persons {
        g.household(true);
    }
    // Fresh new persons: households that are not in PowerSchool.
    let fresh = g.cases_wanted / 10;
    let mut n = 0;
    while n < fresh {
        let people = g.household(false);
        for p in people {
            if n < fresh {
                let case = new_person_case(&mut g.case_rng, &p, "new person");
                g.cases.push(case);
                n += 1;
            }
        }
    }
    let mut cases = g.cases;
    // Interleave deterministically so any prefix has the same mix.
    let mut rng = Rng::stream(seed, "shuffle");
    for i in (1..cases.len()).rev() {
        cases.swap(i, rng.below(i + 1));
    }
    LabelledDistrict { snapshot: g.snapshot, cases }
}

struct Gen {
    rng: Rng,
    case_rng: Rng,
    lists: Lists,
    snapshot: Snapshot,
    next_email: i64,
    next_phone: i64,
    cases: Vec<Case>,
    cases_wanted: usize,
    /// Email addresses handed out (an address belongs to one person or household).
    used_emails: std::collections::HashSet<String>,
    /// Per mille of persons that become a truth case.
    truth_rate: u32,
    /// Addresses are drawn from their own stream.
    address_rng: Rng,
    /// So is the relationship on the form.
    relationship_rng: Rng,
    buildings: Buildings,
    next_address: i64,
}

impl Gen {
    fn new(persons: usize, seed: u64) -> Gen {
        let cases_wanted = (persons / 10).clamp(100, 10_000);
        let truth_rate = ((cases_wanted * 8 / 10) * 1000 / persons.max(1)).clamp(1, 1000) as u32;
        let lists = Lists(
            HERITAGES
                .iter()
                .map(|&(h, _, _)| {
                    let n = names(h);
                    HeritageLists {
                        female: Ranked::new([n.female, n.more_female]),
                        male: Ranked::new([n.male, n.more_male]),
                        last: Ranked::new([n.last, n.more_last]),
                        middle: [n.female_middle, n.male_middle, n.more_middle].concat(),
                    }
                })
                .collect(),
        );
        let mut snapshot = Snapshot::default();
        for (id, t) in PHONE_TYPES {
            snapshot.code_sets.push(code(id, "Phone", t));
        }
        snapshot.code_sets.push(code(EMAIL_TYPE, "Email", "Current"));
        snapshot.code_sets.push(code(ADDRESS_TYPE, "Address", "Home"));
        snapshot.persons.reserve(persons + 8);
        Gen {
            rng: Rng::stream(seed, "persons"),
            case_rng: Rng::stream(seed, "cases"),
            lists,
            snapshot,
            next_email: 1,
            next_phone: 1,
            cases: Vec::new(),
            cases_wanted,
            used_emails: std::collections::HashSet::new(),
            truth_rate,
            address_rng: Rng::stream(seed, "addresses"),
            relationship_rng: Rng::stream(seed, "relationships"),
            buildings: Buildings::default(),
            next_address: 1,
        }
    }

    /// One household: one or two adults, sometimes a relative; written to the
    /// snapshot if `write`. Returns its people.
    fn household(&mut self, write: bool) -> Vec<Generated> {
        let h = names::labelled_heritage(&mut self.rng);
        let last = self.surname(h);
        let home = self.rng.percent(45).then(|| phone_number(&mut self.rng));
        let family_email = self.rng.percent(8);
        let adults = if self.rng.percent(70) { 2 } else { 1 };
        let first_female = self.rng.percent(60);
        let address = HomeAddress::draw(&mut self.address_rng, &mut self.buildings);
        let mut people = Vec::new();
        let mut shared_email: Option<String> = None;
        for a in 0..adults {
            let female = if a == 0 { first_female } else { !first_female || self.rng.percent(8) };
            let own_last = if a == 0 || self.rng.percent(65) {
                last.clone()
            } else if female && self.rng.percent(15) && names(h).compound_percent > 0 {
                format!("{}-{last}", self.surname_simple(h))
            } else {
                self.surname(h)
            };
            let mut p = self.person(h, female, own_last, home.as_deref());
            p.address = address.clone();
            if family_email {
                match &shared_email {
                    Some(e) => p.emails.insert(0, e.clone()),
                    None => shared_email = p.emails.first().cloned(),
                }
            }
            people.push(p);
        }
        if self.rng.percent(15) {
            let female = self.rng.percent(60);
            let l = if self.rng.percent(50) { last.clone() } else { self.surname(h) };
            let mut p = self.person(h, female, l, None);
            p.address = match self.address_rng.percent(50) {
                true => address.clone(),
                false => HomeAddress::draw(&mut self.address_rng, &mut self.buildings),
            };
            people.push(p);
        }
        if write {
            for p in &mut people {
                self.write(p);
            }
            // A new member of an existing household: same last name and home phone.
            if self.case_rng.per_mille(self.truth_rate * 185 / 800) {
                let female = self.rng.percent(50);
                let mut p = self.person(h, female, last.clone(), home.as_deref());
                p.address = address.clone();
                let mut case = new_person_case(&mut self.case_rng, &p, "new household member");
                case.contact.addresses = new_person_addresses(&mut self.address_rng, p.address.as_ref());
                case.contact.relationship = form_relationship(&mut self.relationship_rng, p.female);
                self.cases.push(case);
            }
            for p in &people {
                if self.case_rng.per_mille(self.truth_rate) {
                    let mut case = corrupt(&mut self.case_rng, p, &self.lists);
                    let (addresses, how) =
                        form_addresses(&mut self.address_rng, p.address.as_ref(), &mut self.buildings);
                    case.contact.addresses = addresses;
                    case.corruptions.extend(how);
                    case.contact.relationship = form_relationship(&mut self.relationship_rng, p.female);
                    self.cases.push(case);
                }
            }
        }
        people
    }

    /// A surname of the heritage, sometimes compound.
    fn surname(&mut self, h: Heritage) -> String {
        if self.rng.percent(names(h).compound_percent) {
            let (a, b) = (self.surname_simple(h), self.surname_simple(h));
            if a != b {
                let spaced = h == Heritage::Hispanic && self.rng.percent(70);
                return if spaced { format!("{a} {b}") } else { format!("{a}-{b}") };
            }
        }
        self.surname_simple(h)
    }

    fn surname_simple(&mut self, h: Heritage) -> String {
        if self.rng.percent(names(h).tail_percent) {
            tail_name(self.rng.below(tail_size()))
        } else {
            self.lists.last_name(&mut self.rng, h).to_string()
        }
    }

    /// A person's names, emails and phones.
    fn person(&mut self, h: Heritage, female: bool, last: String, home: Option<&str>) -> Generated {
        // A long tail of rarer (often old-fashioned) English first names:
        // the names of the nickname table.
        let table = writeback_core::contacts::normalize::Nicknames::table().names();
        let first = match self.rng.pick(table) {
            name if h == Heritage::Anglo && self.rng.percent(30) => title_case(name),
            _ => self.lists.first_name(&mut self.rng, h, female).to_string(),
        };
        let middle =
            if self.rng.percent(45) { self.lists.middle_name(&mut self.rng, h).to_string() } else { String::new() };
        let mut last = last;
        if h == Heritage::Anglo && !female && self.rng.percent(2) {
            last = format!("{last} {}", if self.rng.percent(70) { "Jr." } else { "III" });
        }
        let (first, middle, last) = if self.rng.percent(35) {
            (strip_accents(&first), strip_accents(&middle), strip_accents(&last))
        } else {
            (first, middle, last)
        };
        let mut emails = Vec::new();
        if self.rng.percent(85) {
            let e = personal_email(&mut self.rng, &first, &last);
            emails.push(self.unique(e));
        }
        if self.rng.percent(12) {
            let (local, domain) = work_mailbox(&mut self.rng, &key_or(&first, "x"), &key_or(&last, "x"));
            emails.push(self.unique(format!("{local}@{domain}")));
        }
        let mut phones = Vec::new();
        if self.rng.percent(92) {
            let abroad = h != Heritage::Anglo && self.rng.percent(4);
            let n = if abroad { international(&mut self.rng) } else { phone_number(&mut self.rng) };
            phones.push((n, String::new(), "Mobile"));
        }
        if let Some(home) = home {
            phones.push((home.to_string(), String::new(), "Home"));
        }
        if self.rng.percent(20) {
            let ext = if self.rng.percent(35) { (100 + self.rng.below(900)).to_string() } else { String::new() };
            phones.push((phone_number(&mut self.rng), ext, "Work"));
        }
        Generated { ids: Vec::new(), heritage: h, female, first, middle, last, emails, phones, address: None }
    }

    /// `email`, or with a number added until no one has it yet.
    fn unique(&mut self, email: String) -> String {
        let mut e = email.clone();
        while self.used_emails.contains(&e) {
            let (local, domain) = email.split_once('@').unwrap_or((&email, "gmail.com"));
            e = format!("{local}{}@{domain}", 1 + self.rng.below(9999));
        }
        self.used_emails.insert(e.clone());
        e
    }

    /// Writes a person (and sometimes a migration duplicate) to the snapshot.
    fn write(&mut self, p: &mut Generated) {
        let copies = if self.rng.per_mille(5) { 2 } else { 1 };
        for copy in 0..copies {
            let id = PersonId(100_000 + self.snapshot.persons.len() as i64);
            p.ids.push(id);
            let stored_case = |s: &str, rng: &mut Rng| if rng.percent(8) { capitalise_words(s) } else { s.to_string() };
            self.snapshot.persons.push(Person {
                id,
                first_name: p.first.clone(),
                middle_name: if copy == 0 { p.middle.clone() } else { String::new() },
                last_name: p.last.clone(),
                gender: if p.female { "F" } else { "M" }.to_string(),
                is_active: !self.rng.percent(3),
            });
            // A duplicate keeps one identifier at most.
            let keep_email = copy == 0 || self.rng.percent(50);
            for (i, e) in p.emails.iter().enumerate() {
                if !keep_email || (copy > 0 && i > 0) {
                    continue;
                }
                let eid = self.next_email;
                self.next_email += 1;
                let address = stored_case(e, &mut self.rng);
                self.snapshot.email_addresses.push(EmailAddress { id: eid, address });
                self.snapshot.person_emails.push(PersonEmailAddress {
                    id: eid,
                    person_id: id,
                    email_address_id: eid,
                    email_type: Some(EMAIL_TYPE),
                    is_primary: i == 0,
                    priority_order: Some(i as i32 + 1),
                });
            }
            if let Some(home) = &p.address {
                let (street, unit, city, zip) = home.stored();
                let aid = self.next_address;
                self.next_address += 1;
                self.snapshot.addresses.push(Address {
                    id: aid,
                    street,
                    line_two: String::new(),
                    unit,
                    city: city.to_string(),
                    state: None,
                    postal_code: zip.to_string(),
                });
                self.snapshot.person_addresses.push(PersonAddress {
                    id: aid,
                    person_id: id,
                    address_id: aid,
                    address_type: Some(ADDRESS_TYPE),
                    priority_order: Some(1),
                    start_date: None,
                    end_date: None,
                });
            }
            for (i, (number, ext, kind)) in p.phones.iter().enumerate() {
                if copy > 0 && (keep_email || i > 0) {
                    continue;
                }
                let nid = self.next_phone;
                self.next_phone += 1;
                self.snapshot.phone_numbers.push(PhoneNumber {
                    id: nid,
                    number: number.clone(),
                    extension: ext.clone(),
                    as_entered: number.clone(),
                });
                let type_id = PHONE_TYPES.iter().find(|t| t.1 == *kind).map(|t| t.0);
                self.snapshot.person_phones.push(PersonPhoneNumber {
                    id: nid,
                    person_id: id,
                    phone_number_id: nid,
                    phone_type: type_id,
                    priority_order: Some(i as i32 + 1),
                    is_preferred: i == 0,
                    is_sms: false,
                });
            }
        }
    }
}

impl Lists {
    fn of(&self, h: Heritage) -> &HeritageLists {
        &self.0[HERITAGES.iter().position(|&(x, _, _)| x == h).expect("every heritage has lists")]
    }

    pub(crate) fn first_name(&self, rng: &mut Rng, h: Heritage, female: bool) -> &'static str {
        let lists = self.of(h);
        if female {
            lists.female.draw(rng)
        } else {
            lists.male.draw(rng)
        }
    }

    pub(crate) fn last_name(&self, rng: &mut Rng, h: Heritage) -> &'static str {
        self.of(h).last.draw(rng)
    }

    /// A middle name of the heritage (either gender's).
    pub(crate) fn middle_name(&self, rng: &mut Rng, h: Heritage) -> &'static str {
        rng.choose(&self.of(h).middle)
    }
}

fn code(id: i64, code_type: &str, value: &str) -> CodeSet {
    CodeSet { id, code_type: code_type.to_string(), code: value.to_string(), display_value: value.to_string() }
}

/// A North American number: a Twin Cities area code and seven digits.
pub(crate) fn phone_number(rng: &mut Rng) -> String {
    const AREAS: [&str; 8] = ["651", "612", "763", "952", "320", "507", "218", "715"];
    let area = AREAS[rng.below(AREAS.len())];
    format!("{area}{}{:06}", 2 + rng.below(8), rng.below(1_000_000))
}

fn international(rng: &mut Rng) -> String {
    const CODES: [&str; 4] = ["+252", "+52", "+84", "+91"];
    format!("{}{:09}", CODES[rng.below(CODES.len())], rng.below(1_000_000_000))
}

/// A personal address: a mailbox of the name, a number now and then, a
/// free provider.
fn personal_email(rng: &mut Rng, first: &str, last: &str) -> String {
    let local = mailbox(rng, &key_or(first, "x"), &key_or(last, "x"));
    let number = if rng.percent(45) { (1 + rng.below(999)).to_string() } else { String::new() };
    format!("{local}{number}@{}", free_domain(rng))
}

/// `robert` -> `Robert`.
pub(crate) fn title_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
