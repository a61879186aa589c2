//! Families as plain data: where they live, their children, and the adults
//! who are the children's contacts (parents, step-parents, guardians,
//! grandparents, emergency contacts), with emails, phones and addresses.
//!
//! A plan is written into the snapshot by `records`; the plans of families
//! that are new to the district go only into applications.

use std::collections::{HashMap, HashSet};

use super::codes::{PhoneKind, Rel};
use crate::details::{
    capitalise_words, free_domain, key_or, mailbox, phone_text, work_mailbox, PhoneStyle, StreetLine,
};
use crate::names::{self, City, Heritage, CITIES, FAR_CITIES, STREETS, SUFFIXES};
use writeback_core::fnv1a;

use crate::rng::{mix64, Rng};
use writeback_core::domain::Date;

/// Hands out values that must not repeat across the district: phone
/// numbers, email addresses and portal usernames.
pub(crate) struct Registry {
    /// Fingerprints of the email addresses and usernames handed out (a
    /// fingerprint collision only adds a number, so it does no harm).
    taken: HashSet<u64>,
    /// The next number to try after a taken email address or username.
    suffixes: HashMap<u64, u32>,
    phones_issued: u64,
    phone_offset: u64,
}

/// Phone numbers available in area code 555 (exchanges 200-999).
const PHONE_SPACE: u64 = 8_000_000;

impl Registry {
    /// An empty registry; `seed` varies which numbers are handed out.
    pub fn new(seed: u64) -> Registry {
        Registry {
            taken: HashSet::new(),
            suffixes: HashMap::new(),
            phones_issued: 0,
            phone_offset: mix64(seed) % PHONE_SPACE,
        }
    }

    /// A new phone number: 10 digits, area code 555, unique for the first
    /// eight million numbers (a bijection of a counter, so no lookups).
    pub fn phone(&mut self) -> String {
        // 2_654_437 is coprime with 8_000_000 = 2^9 * 5^6.
        let n = (self.phones_issued * 2_654_437 + self.phone_offset) % PHONE_SPACE;
        self.phones_issued += 1;
        format!("555{:03}{:04}", 200 + n / 10_000, n % 10_000)
    }

    /// A new personal email address for a person, unique in the district.
    pub fn email(&mut self, rng: &mut Rng, first: &str, last: &str) -> String {
        let local = mailbox(rng, &key_or(first, "parent"), &key_or(last, "family"));
        let domain = free_domain(rng);
        let start = rng.range(2, 99) as u32;
        self.unique_email(&local, domain, rng.percent(8), start)
    }

    /// A new work email address (an employer's domain).
    pub fn work_email(&mut self, rng: &mut Rng, first: &str, last: &str) -> String {
        let (local, domain) = work_mailbox(rng, &key_or(first, "staff"), &key_or(last, "member"));
        let start = rng.range(2, 9) as u32;
        self.unique_email(&local, domain, rng.percent(30), start)
    }

    /// `local@domain`, or with a number after `local` when that is taken
    /// (numbers per address count up from `start`, so this stays O(1)).
    fn unique_email(&mut self, local: &str, domain: &str, capitalised: bool, start: u32) -> String {
        let base = format!("{local}@{domain}");
        let email = self.unique(base, start, |n| format!("{local}{n}@{domain}"));
        if capitalised {
            capitalise_words(&email)
        } else {
            email
        }
    }

    /// A new portal username (first initial + last name, numbered on
    /// collision).
    pub fn username(&mut self, first: &str, last: &str) -> String {
        let base = format!("{}{}", &key_or(first, "p")[..1], key_or(last, "parent"));
        // Usernames and emails never look alike (no `@`), so they share the
        // fingerprints.
        self.unique(base.clone(), 2, |n| format!("{base}{n}"))
    }

    /// `base` if free, else `numbered(n)` for the first free n (from `start`).
    fn unique(&mut self, base: String, start: u32, numbered: impl Fn(u32) -> String) -> String {
        let key = fingerprint(&base);
        if self.taken.insert(key) {
            return base;
        }
        let next = self.suffixes.entry(key).or_insert(start);
        loop {
            let candidate = numbered(*next);
            *next += 1;
            if self.taken.insert(fingerprint(&candidate)) {
                return candidate;
            }
        }
    }
}

/// A 64-bit fingerprint of a text (FNV-1a, then mixed).
fn fingerprint(s: &str) -> u64 {
    mix64(fnv1a(s.bytes()))
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AddressPlan {
    /// House number, street and suffix: `1432 Larpenteur Ave E`.
    pub street: String,
    /// Apartment or unit: `Apt 204` (may be empty).
    pub line_two: String,
    pub city: &'static str,
    pub state: &'static str,
    pub zip: &'static str,
}

impl AddressPlan {
    /// A random street address in `city`.
    pub fn random(rng: &mut Rng, city: &'static City) -> AddressPlan {
        let StreetLine { number, street, suffix: (suffix, _) } = StreetLine::random(rng, STREETS, SUFFIXES);
        let direction = match rng.below(10) {
            0 => " E",
            1 => " N",
            2 => " W",
            _ => "",
        };
        let line_two = if rng.percent(22) {
            format!("{} {}", if rng.percent(80) { "Apt" } else { "Unit" }, rng.range(1, 4) * 100 + rng.range(1, 24))
        } else {
            String::new()
        };
        AddressPlan {
            street: format!("{number} {street} {suffix}{direction}"),
            line_two,
            city: city.name,
            state: city.state,
            zip: rng.choose(city.zips),
        }
    }

    /// A post office box in `city`.
    pub fn po_box(rng: &mut Rng, city: &'static City) -> AddressPlan {
        AddressPlan {
            street: format!("PO Box {}", rng.range(100, 9999)),
            line_two: String::new(),
            city: city.name,
            state: city.state,
            zip: city.zips[0],
        }
    }

    /// Street and unit on one line, as Students.Street holds them.
    pub fn one_line(&self) -> String {
        if self.line_two.is_empty() {
            self.street.clone()
        } else {
            format!("{} {}", self.street, self.line_two)
        }
    }
}

/// A city of the district, mostly the one of the attendance area.
pub(crate) fn area_city(rng: &mut Rng, area: usize) -> &'static City {
    if rng.percent(75) {
        &CITIES[area % CITIES.len()]
    } else {
        rng.pick(CITIES)
    }
}

/// A phone of a person.
#[derive(Debug, Clone)]
pub(crate) struct PhonePlan {
    /// 10 digits.
    pub digits: String,
    pub extension: String,
    /// As the person typed it.
    pub as_entered: String,
    pub kind: PhoneKind,
    pub sms: bool,
}

/// The flags of a contact's relationship to the children.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct LinkFlags {
    pub custodial: bool,
    pub lives_with: bool,
    pub pickup: bool,
    pub emergency: bool,
    pub mail: bool,
}

/// An adult contact of a family's children.
#[derive(Debug, Clone)]
pub(crate) struct AdultPlan {
    pub first: String,
    pub middle: String,
    pub last: String,
    pub gender: &'static str,
    pub rel: Rel,
    /// Person.IsActive.
    pub active: bool,
    /// The first is the primary (type Current); the others are Additional.
    pub emails: Vec<String>,
    /// In priority order; the first is preferred.
    pub phones: Vec<PhonePlan>,
    pub home: Option<AddressPlan>,
    pub mailing: Option<AddressPlan>,
    /// Since when the person has lived at `home`.
    pub address_since: Date,
    pub flags: LinkFlags,
    /// The relationship began no earlier than this (e.g. a remarriage).
    pub since: Option<Date>,
    /// The relationship ended on this day (an expired link).
    pub ended: Option<Date>,
    /// The relationship type before a change, and the day it changed
    /// (e.g. Grandparent, then Guardian).
    pub previous: Option<(Rel, Date)>,
    /// Which of the family's children (bit i = kid i) the adult is a contact of.
    pub kids: u8,
    /// Whether the adult has a parent portal account.
    pub portal: bool,
    /// Whether the contact may see the student's data in the portal.
    pub data_access: bool,
}

/// A child of a family.
#[derive(Debug, Clone)]
pub(crate) struct KidPlan {
    pub legal_first: String,
    pub legal_middle: String,
    pub legal_last: String,
    pub suffix: &'static str,
    /// Preferred names (Students.First_Name etc.).
    pub first: String,
    pub middle: String,
    pub last: String,
    pub dob: Date,
    pub gender: &'static str,
    pub legal_gender: &'static str,
    pub grade: i32,
    pub status: i32,
    /// The first day in the district.
    pub entered: Date,
    pub bus_route: String,
    pub allergies: String,
    pub home_language: String,
    pub previous_school: String,
    /// Whether the student has a U_StudentsUserFields row.
    pub user_fields: bool,
    /// Whether the student has a U_DEF_EXT_STUDENTS row.
    pub legacy_fields: bool,
}

/// A household and its children's contacts.
#[derive(Debug, Clone)]
pub(crate) struct FamilyPlan {
    pub heritage: Heritage,
    pub area: usize,
    pub home: AddressPlan,
    pub mailing: Option<AddressPlan>,
    /// Students.Home_Phone, formatted `(555) 201-3344` (may be empty).
    pub home_phone: String,
    pub adults: Vec<AdultPlan>,
    pub kids: Vec<KidPlan>,
}

/// Grades of a family's children already in the district: 1 to 5
/// children (at most `max`), eldest first, with the odd pair of twins.
pub(crate) fn population_grades(rng: &mut Rng, max: usize) -> Vec<i32> {
    let count = (rng.weighted(&[40, 35, 17, 6, 2]) + 1).min(max);
    let mut grades = vec![rng.range(0, 12) as i32];
    while grades.len() < count {
        let last = *grades.last().expect("one grade");
        let next = if rng.percent(4) { last } else { last - rng.range(1, 4) as i32 };
        if next < 0 {
            break;
        }
        grades.push(next);
    }
    grades
}

fn date(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd(y, m, d).expect("valid calendar date")
}

/// A random day between `from` and `to` (inclusive).
fn day_between(rng: &mut Rng, from: Date, to: Date) -> Date {
    let span = (to.days_since_epoch() - from.days_since_epoch()).max(0);
    from.add_days(rng.range(0, span)).expect("date in range")
}

/// How the adults of a household are related to the children.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Structure {
    Married,
    Divorced,
    SingleMother,
    SingleFather,
    Grandparents,
    SameSex,
    Aunt,
}

impl Structure {
    /// A household's structure, by how common it is.
    fn random(rng: &mut Rng) -> Structure {
        [
            Structure::Married,
            Structure::Divorced,
            Structure::SingleMother,
            Structure::SingleFather,
            Structure::Grandparents,
            Structure::SameSex,
            Structure::Aunt,
        ][rng.weighted(&[50, 15, 17, 4, 5, 3, 3])]
    }
}

/// Plans a family whose children are in `grades` (eldest first).
/// `new_to_district` marks children enrolling for the first time.
pub(crate) fn plan_family(
    rng: &mut Rng,
    reg: &mut Registry,
    areas: usize,
    grades: &[i32],
    new_to_district: bool,
) -> FamilyPlan {
    let heritage = names::heritage(rng);
    let area = rng.below(areas.max(1));
    let city = area_city(rng, area);
    let home = AddressPlan::random(rng, city);
    let mailing = rng.percent(6).then(|| AddressPlan::po_box(rng, city));
    let landline = rng.percent(35).then(|| reg.phone());
    let moved_in = day_between(rng, date(2012, 6, 1), date(2026, 7, 15));
    let structure = Structure::random(rng);
    let partner_heritage = if rng.percent(15) { names::heritage(rng) } else { heritage };
    let mut b = Builder {
        rng,
        reg,
        heritage,
        partner_heritage,
        home: &home,
        mailing: &mailing,
        landline: landline.as_deref(),
        moved_in,
    };

    let Household { mut adults, kid_last, father_first } = b.household(structure);
    b.add_emergency_contacts(&mut adults);
    let kids = plan_kids(b.rng, heritage, &kid_last, father_first.as_deref(), grades, new_to_district);
    b.add_ended_relationship(&mut adults, new_to_district);
    link_to_kids(&mut adults, &kids);
    let home_phone = b.home_phone(&adults);
    FamilyPlan { heritage, area, home, mailing, home_phone, adults, kids }
}

/// Sets which children each adult is a contact of: all of them, or for a
/// relationship that has ended, those in the district before it ended (a
/// month's margin; an adult linked to none is dropped). An ended
/// relationship has no portal account.
fn link_to_kids(adults: &mut Vec<AdultPlan>, kids: &[KidPlan]) {
    let all_kids: u8 = ((1u16 << kids.len()) - 1) as u8;
    // Children who were in the district before `day` (a month's margin).
    let enrolled_before = |day: Date| -> u8 {
        kids.iter()
            .enumerate()
            .filter(|(_, k)| k.entered.days_since_epoch() + 30 < day.days_since_epoch())
            .fold(0, |m, (i, _)| m | (1 << i))
    };
    for a in adults.iter_mut() {
        a.kids = match a.ended {
            Some(day) => enrolled_before(day),
            None => all_kids,
        };
        if a.ended.is_some() {
            a.portal = false;
        }
    }
    adults.retain(|a| a.kids != 0);
}

const PARENT_AT_HOME: LinkFlags =
    LinkFlags { custodial: true, lives_with: true, pickup: true, emergency: true, mail: true };

/// The adults of a household, before emergency contacts.
struct Household {
    adults: Vec<AdultPlan>,
    /// The children's last name.
    kid_last: String,
    /// The father's first name, if he is a contact (a son may be named
    /// after him).
    father_first: Option<String>,
}

/// Shared state while planning one family's adults.
struct Builder<'a> {
    rng: &'a mut Rng,
    reg: &'a mut Registry,
    /// The family's heritage (the children's, and the first parent's).
    heritage: Heritage,
    /// The other parent's heritage (usually the same).
    partner_heritage: Heritage,
    home: &'a AddressPlan,
    mailing: &'a Option<AddressPlan>,
    landline: Option<&'a str>,
    moved_in: Date,
}

impl Builder<'_> {
    /// Whether a married woman of the family's heritage keeps her own last
    /// name.
    fn keeps_name(&self) -> bool {
        matches!(self.heritage, Heritage::Hispanic | Heritage::Vietnamese | Heritage::Somali)
    }

    /// The adults of a household of `structure`.
    fn household(&mut self, structure: Structure) -> Household {
        match structure {
            Structure::Married => self.couple(false),
            Structure::SameSex => self.couple(true),
            Structure::Divorced => self.divorced(),
            Structure::SingleMother => self.single_parent("F", Rel::Mother),
            Structure::SingleFather => self.single_parent("M", Rel::Father),
            Structure::Grandparents => self.grandparents(),
            Structure::Aunt => self.aunt(),
        }
    }

    /// Two parents living together (`same_sex`: of one gender).
    fn couple(&mut self, same_sex: bool) -> Household {
        let (heritage, partner_heritage) = (self.heritage, self.partner_heritage);
        let a_gender = if same_sex && self.rng.percent(50) { "M" } else { "F" };
        let fam_last = names::last_name(self.rng, heritage).to_string();
        let maiden = names::last_name(self.rng, partner_heritage).to_string();
        let (b_gender, b_rel) = if same_sex {
            (a_gender, if a_gender == "F" { Rel::Mother } else { Rel::Father })
        } else {
            ("M", Rel::Father)
        };
        let hyphenate = maiden != fam_last && self.rng.percent(if partner_heritage != heritage { 35 } else { 8 });
        let partner_last = if self.keeps_name() || self.rng.percent(15) {
            maiden.clone()
        } else if maiden != fam_last && self.rng.percent(10) {
            format!("{maiden}-{fam_last}")
        } else {
            fam_last.clone()
        };
        let a_rel = if a_gender == "F" { Rel::Mother } else { Rel::Father };
        let mut father = self.parent(b_gender, heritage, fam_last.clone(), b_rel);
        let mut mother = self.parent(a_gender, partner_heritage, partner_last, a_rel);
        father.flags = PARENT_AT_HOME;
        mother.flags = PARENT_AT_HOME;
        let father_first = (b_rel == Rel::Father).then(|| father.first.clone());
        let kid_last = if hyphenate { format!("{fam_last}-{maiden}") } else { fam_last };
        let adults = if self.rng.percent(65) { vec![mother, father] } else { vec![father, mother] };
        Household { adults, kid_last, father_first }
    }

    /// Divorced parents: the one the children live with first, the other
    /// elsewhere, and perhaps a step-parent.
    fn divorced(&mut self) -> Household {
        let (heritage, partner_heritage) = (self.heritage, self.partner_heritage);
        let fam_last = names::last_name(self.rng, heritage).to_string();
        let maiden = names::last_name(self.rng, partner_heritage).to_string();
        let remarried = self.rng.percent(50);
        let mut father = self.parent("M", heritage, fam_last.clone(), Rel::Father);
        let father_first = Some(father.first.clone());
        let mother_last = if self.keeps_name() || self.rng.percent(50) { maiden } else { fam_last.clone() };
        let mut mother = self.parent("F", partner_heritage, mother_last, Rel::Mother);
        let mother_primary = self.rng.percent(75);
        let apart_city = if self.rng.percent(30) { self.rng.pick(FAR_CITIES) } else { self.rng.pick(CITIES) };
        let apart_home = AddressPlan::random(self.rng, apart_city);
        let (primary, other) = if mother_primary { (&mut mother, &mut father) } else { (&mut father, &mut mother) };
        primary.flags = PARENT_AT_HOME;
        other.flags = LinkFlags { lives_with: false, ..PARENT_AT_HOME };
        other.home = Some(apart_home);
        other.mailing = None;
        other.phones.retain(|p| p.kind != PhoneKind::Home);
        let step = if remarried { Some(self.step_parent(primary)) } else { None };
        let (primary, other) = if mother_primary { (mother, father) } else { (father, mother) };
        let mut adults = vec![primary, other];
        adults.extend(step);
        Household { adults, kid_last: fam_last, father_first }
    }

    /// The new partner of the parent the children live with (`primary`,
    /// who may take the partner's last name).
    fn step_parent(&mut self, primary: &mut AdultPlan) -> AdultPlan {
        let heritage = self.heritage;
        let gender = if primary.gender == "F" { "M" } else { "F" };
        let step_heritage = if self.rng.percent(70) { heritage } else { names::heritage(self.rng) };
        let step_last = names::last_name(self.rng, step_heritage).to_string();
        let mut s = self.parent(gender, step_heritage, step_last.clone(), Rel::Stepparent);
        s.flags = LinkFlags { custodial: false, mail: false, ..PARENT_AT_HOME };
        s.data_access = false;
        s.since = Some(day_between(self.rng, date(2018, 5, 1), date(2026, 5, 30)));
        if primary.gender == "F" && self.rng.percent(50) {
            primary.last = step_last;
        }
        s
    }

    /// One parent of `gender`, `rel` to the children.
    fn single_parent(&mut self, gender: &'static str, rel: Rel) -> Household {
        let heritage = self.heritage;
        let last = names::last_name(self.rng, heritage).to_string();
        let mut parent = self.parent(gender, heritage, last.clone(), rel);
        parent.flags = PARENT_AT_HOME;
        let father_first = (rel == Rel::Father).then(|| parent.first.clone());
        let kid_last = if gender == "F" && self.rng.percent(40) {
            names::last_name(self.rng, self.partner_heritage).to_string()
        } else {
            last
        };
        Household { adults: vec![parent], kid_last, father_first }
    }

    /// One or two grandparents as guardians (perhaps grandparents before),
    /// and perhaps the mother, a contact until then.
    fn grandparents(&mut self) -> Household {
        let heritage = self.heritage;
        let last = names::last_name(self.rng, heritage).to_string();
        let two = self.rng.percent(55);
        let changed = day_between(self.rng, date(2016, 1, 1), date(2025, 12, 31));
        let history = self.rng.percent(50);
        let first_gender = if self.rng.percent(70) { "F" } else { "M" };
        let mut genders = vec![first_gender];
        if two {
            genders.push(if first_gender == "F" { "M" } else { "F" });
        }
        let mut adults = Vec::new();
        for g in genders {
            let mut gp = self.parent(g, heritage, last.clone(), Rel::Guardian);
            gp.flags = PARENT_AT_HOME;
            if history {
                gp.previous = Some((Rel::Grandparent, changed));
            }
            adults.push(gp);
        }
        if self.rng.percent(40) {
            // The mother was a contact until the grandparents became guardians.
            let mut mom = self.parent("F", heritage, last.clone(), Rel::Mother);
            mom.flags = LinkFlags { emergency: false, ..PARENT_AT_HOME };
            mom.home = None;
            mom.ended = Some(changed);
            mom.active = self.rng.percent(50);
            adults.push(mom);
        }
        let kid_last = if self.rng.percent(60) { last } else { names::last_name(self.rng, heritage).to_string() };
        Household { adults, kid_last, father_first: None }
    }

    /// An aunt raising the children.
    fn aunt(&mut self) -> Household {
        let heritage = self.heritage;
        let last = names::last_name(self.rng, heritage).to_string();
        let mut aunt = self.parent("F", heritage, last, Rel::Aunt);
        aunt.flags = PARENT_AT_HOME;
        let kid_last = names::last_name(self.rng, heritage).to_string();
        Household { adults: vec![aunt], kid_last, father_first: None }
    }

    /// Emergency contacts beyond the household (up to four adults in all).
    fn add_emergency_contacts(&mut self, adults: &mut Vec<AdultPlan>) {
        let heritage = self.heritage;
        let extras = self.rng.weighted(&[35, 45, 20]);
        for _ in 0..extras {
            if adults.len() >= 4 {
                break;
            }
            let rel = [Rel::Grandparent, Rel::Aunt, Rel::Uncle, Rel::Other][self.rng.weighted(&[40, 20, 15, 25])];
            let gender = match rel {
                Rel::Aunt => "F",
                Rel::Uncle => "M",
                _ if self.rng.percent(65) => "F",
                _ => "M",
            };
            let h = if rel == Rel::Other && self.rng.percent(40) { names::heritage(self.rng) } else { heritage };
            let last = if rel == Rel::Grandparent && self.rng.percent(50) {
                adults[0].last.clone()
            } else {
                names::last_name(self.rng, h).to_string()
            };
            adults.push(self.emergency_contact(gender, h, last, rel));
        }
    }

    /// Now and then (for children not new to the district, with room for
    /// another adult) a relationship that has ended: a former step-parent,
    /// a foster placement, a grandparent who has died.
    fn add_ended_relationship(&mut self, adults: &mut Vec<AdultPlan>, new_to_district: bool) {
        if !(adults.len() < 4 && !new_to_district && self.rng.percent(8)) {
            return;
        }
        let heritage = self.heritage;
        let kind = self.rng.below(3);
        let (rel, gender) = match kind {
            0 => (Rel::Stepparent, if self.rng.percent(70) { "M" } else { "F" }),
            1 => (Rel::Other, "F"),
            _ => (Rel::Grandparent, if self.rng.percent(50) { "M" } else { "F" }),
        };
        let last = names::last_name(self.rng, heritage).to_string();
        let mut gone = self.emergency_contact(gender, heritage, last, rel);
        if rel == Rel::Stepparent {
            gone.flags = LinkFlags { custodial: false, mail: false, ..PARENT_AT_HOME };
        }
        gone.ended = Some(day_between(self.rng, date(2021, 1, 1), date(2026, 6, 12)));
        gone.active = kind != 2 && self.rng.percent(40);
        adults.push(gone);
    }

    /// Students.Home_Phone: the landline, else the first adult's mobile,
    /// now and then left empty.
    fn home_phone(&mut self, adults: &[AdultPlan]) -> String {
        let primary_mobile = adults
            .first()
            .and_then(|a| a.phones.iter().find(|p| p.kind == PhoneKind::Mobile))
            .map(|p| p.digits.clone());
        match (self.landline, primary_mobile) {
            (Some(l), _) if self.rng.percent(97) => phone_text(l, PhoneStyle::Paren),
            (_, Some(m)) if self.rng.percent(95) => phone_text(&m, PhoneStyle::Paren),
            _ => String::new(),
        }
    }

    /// A parent or guardian who lives in the household (the caller adjusts
    /// for one who lives elsewhere).
    fn parent(&mut self, gender: &'static str, h: Heritage, last: String, rel: Rel) -> AdultPlan {
        let first = names::first_name(self.rng, h, gender).to_string();
        let middle =
            if self.rng.percent(40) { names::middle_name(self.rng, h, gender).to_string() } else { String::new() };
        let mut emails = Vec::new();
        let count = self.rng.weighted(&[8, 60, 27, 5]);
        for i in 0..count {
            let e = if i == 1 && self.rng.percent(50) {
                self.reg.work_email(self.rng, &first, &last)
            } else {
                self.reg.email(self.rng, &first, &last)
            };
            emails.push(e);
        }
        let style = if self.rng.percent(50) { PhoneStyle::Paren } else { PhoneStyle::Dash };
        let mut phones = Vec::new();
        if self.rng.percent(92) {
            phones.push(self.new_phone(PhoneKind::Mobile, style, 70));
        }
        if let Some(l) = self.landline {
            let p = PhonePlan {
                digits: l.to_string(),
                extension: String::new(),
                as_entered: phone_text(l, style),
                kind: PhoneKind::Home,
                sms: false,
            };
            if self.rng.percent(15) {
                phones.insert(0, p);
            } else {
                phones.push(p);
            }
        }
        if self.rng.percent(35) {
            let kind = if self.rng.percent(15) { PhoneKind::Daytime } else { PhoneKind::Work };
            let mut p = self.new_phone(kind, style, 0);
            if self.rng.percent(40) {
                p.extension = self.rng.range(100, 4999).to_string();
            }
            phones.push(p);
        }
        let portal = !emails.is_empty() && self.rng.percent(65);
        AdultPlan {
            first,
            middle,
            last,
            gender,
            rel,
            active: true,
            emails,
            phones,
            home: Some(self.home.clone()),
            mailing: self.mailing.clone(),
            address_since: self.moved_in,
            flags: PARENT_AT_HOME,
            since: None,
            ended: None,
            previous: None,
            kids: 0,
            portal,
            data_access: true,
        }
    }

    /// A relative or friend listed for emergencies.
    fn emergency_contact(&mut self, gender: &'static str, h: Heritage, last: String, rel: Rel) -> AdultPlan {
        let first = names::first_name(self.rng, h, gender).to_string();
        let middle =
            if self.rng.percent(20) { names::middle_name(self.rng, h, gender).to_string() } else { String::new() };
        let mut emails = Vec::new();
        for _ in 0..self.rng.weighted(&[50, 45, 5]) {
            emails.push(self.reg.email(self.rng, &first, &last));
        }
        let style = if self.rng.percent(50) { PhoneStyle::Paren } else { PhoneStyle::Dash };
        let kind = [PhoneKind::Mobile, PhoneKind::Home, PhoneKind::Daytime][self.rng.weighted(&[70, 20, 10])];
        let mut phones = vec![self.new_phone(kind, style, 0)];
        if self.rng.percent(12) {
            let second = if kind == PhoneKind::Mobile { PhoneKind::Work } else { PhoneKind::Mobile };
            phones.push(self.new_phone(second, style, 0));
        }
        let home = if self.rng.percent(40) {
            let city = if self.rng.percent(20) { self.rng.pick(FAR_CITIES) } else { self.rng.pick(CITIES) };
            Some(AddressPlan::random(self.rng, city))
        } else {
            None
        };
        let pickup = self.rng.percent(70);
        AdultPlan {
            first,
            middle,
            last,
            gender,
            rel,
            active: true,
            emails,
            phones,
            home,
            mailing: None,
            address_since: day_between(self.rng, date(1995, 1, 1), date(2025, 12, 1)),
            flags: LinkFlags { custodial: false, lives_with: false, pickup, emergency: true, mail: false },
            since: None,
            ended: None,
            previous: None,
            kids: 0,
            portal: false,
            data_access: false,
        }
    }

    fn new_phone(&mut self, kind: PhoneKind, style: PhoneStyle, sms_percent: u32) -> PhonePlan {
        let digits = self.reg.phone();
        PhonePlan {
            as_entered: phone_text(&digits, style),
            digits,
            extension: String::new(),
            kind,
            sms: sms_percent > 0 && self.rng.percent(sms_percent),
        }
    }
}

/// The day a child of `grade` (in 2026-27) was born: turning 5 by
/// September 1 of the kindergarten year.
pub(crate) fn birth_date(rng: &mut Rng, grade: i32) -> Date {
    let start = date(2020 - grade, 9, 2);
    start.add_days(rng.range(0, 364)).expect("valid date")
}

/// The first school day of the year starting in `year`.
fn first_day(year: i32) -> Date {
    date(year, 8, 19 + (2026 - year).rem_euclid(7) as u32)
}

fn plan_kids(
    rng: &mut Rng,
    heritage: Heritage,
    last: &str,
    father_first: Option<&str>,
    grades: &[i32],
    new_to_district: bool,
) -> Vec<KidPlan> {
    let mut kids: Vec<KidPlan> = Vec::with_capacity(grades.len());
    for &grade in grades {
        let twin = kids.last().filter(|k| k.grade == grade).map(|k| k.dob);
        let gender = ["F", "M", "X"][rng.weighted(&[49, 49, 2])];
        let legal_gender = if gender == "X" { ["F", "M"][rng.below(2)] } else { gender };
        let mut first = names::first_name(rng, heritage, legal_gender).to_string();
        for _ in 0..5 {
            if !kids.iter().any(|k| k.legal_first == first) {
                break;
            }
            first = names::first_name(rng, heritage, legal_gender).to_string();
        }
        let mut suffix = "";
        if legal_gender == "M" && matches!(heritage, Heritage::Anglo | Heritage::Hispanic) && rng.percent(4) {
            if let Some(f) = father_first {
                first = f.to_string();
                suffix = "Jr.";
            } else {
                suffix = ["II", "III"][rng.below(2)];
            }
        }
        let legal_middle = match (heritage, father_first) {
            (Heritage::Somali, Some(f)) => f.to_string(),
            _ if rng.percent(65) => names::middle_name(rng, heritage, legal_gender).to_string(),
            _ => String::new(),
        };
        let mut preferred_first = first.clone();
        if rng.percent(7) {
            let nicks = names::nicknames(&first);
            if !nicks.is_empty() {
                preferred_first = rng.pick(nicks).to_string();
            } else if heritage != Heritage::Anglo && rng.percent(60) {
                preferred_first = names::first_name(rng, Heritage::Anglo, legal_gender).to_string();
            }
        }
        let preferred_last = match last.split_once('-') {
            Some((a, _)) if rng.percent(25) => a.to_string(),
            _ => last.to_string(),
        };
        let preferred_middle = if rng.percent(5) { String::new() } else { legal_middle.clone() };
        let retained = rng.per_mille(15);
        let dob = match twin {
            Some(d) => d,
            None => birth_date(rng, grade + i32::from(retained)),
        };
        let transfer = grade > 0 && (new_to_district || rng.percent(18));
        let entered = if new_to_district {
            first_day(2026)
        } else if transfer {
            first_day(2026 - rng.range(0, i64::from(grade) - 1) as i32)
        } else {
            first_day(2026 - grade)
        };
        let previous_school = if transfer {
            rng.pick(names::PREVIOUS_SCHOOLS).to_string()
        } else if grade == 0 && rng.percent(35) {
            rng.pick(names::PRESCHOOLS).to_string()
        } else {
            String::new()
        };
        let home_language = if heritage == Heritage::Anglo || rng.percent(40) {
            "English".to_string()
        } else {
            names::names(heritage).language.to_string()
        };
        let bus_route = if rng.percent(25) { "Walker".to_string() } else { format!("Route {}", rng.range(1, 48)) };
        let allergies = if rng.percent(18) { rng.pick(names::ALLERGIES).to_string() } else { String::new() };
        let status = if new_to_district || rng.per_mille(980) { 0 } else { 2 };
        kids.push(KidPlan {
            legal_first: first,
            legal_middle,
            legal_last: last.to_string(),
            suffix,
            first: preferred_first,
            middle: preferred_middle,
            last: preferred_last,
            dob,
            gender,
            legal_gender,
            grade,
            status,
            entered,
            bus_route,
            allergies,
            home_language,
            previous_school,
            user_fields: rng.percent(85),
            legacy_fields: rng.percent(70),
        });
    }
    kids
}

/// A child new to the district (a younger sibling of students already in
/// it), enrolling in `grade`.
pub(crate) fn new_kid(rng: &mut Rng, heritage: Heritage, last: &str, grade: i32) -> KidPlan {
    plan_kids(rng, heritage, last, None, &[grade], true).remove(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_do_not_repeat() {
        let mut reg = Registry::new(1);
        let mut seen = HashSet::new();
        for _ in 0..100_000 {
            let p = reg.phone();
            assert_eq!(p.len(), 10);
            assert!(p.starts_with("555"));
            assert!(seen.insert(p));
        }
    }

    #[test]
    fn emails_and_usernames_are_unique_and_ascii() {
        let mut reg = Registry::new(1);
        let mut rng = Rng::new(3);
        let mut seen = HashSet::new();
        for _ in 0..2000 {
            let e = reg.email(&mut rng, "José", "Nguyễn");
            assert!(e.is_ascii(), "{e}");
            assert!(writeback_core::domain::Email::parse(&e).is_ok(), "{e}");
            assert!(seen.insert(e.to_ascii_lowercase()));
        }
        assert_eq!(reg.username("María", "O'Brien"), "mobrien");
        assert_eq!(reg.username("Mike", "OBrien"), "mobrien2");
    }

    #[test]
    fn birth_dates_fit_the_grade() {
        let mut rng = Rng::new(5);
        for _ in 0..1000 {
            let d = birth_date(&mut rng, 0);
            assert!(d >= date(2020, 9, 2) && d <= date(2021, 9, 1), "{d}");
            let d = birth_date(&mut rng, 12);
            assert!(d >= date(2008, 9, 2) && d <= date(2009, 9, 1), "{d}");
        }
    }
}
