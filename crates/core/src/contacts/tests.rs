//! Matching tests on a small hand-made district: each scenario is a form
//! contact and the rendered result (candidates, evidence, flags, used by,
//! notes), through one `check` helper.

use expect_test::{expect, Expect};

use super::*;
use crate::application::{ContactBlock, ContactFieldMapping, FieldMappings};
use crate::domain::{ContactAssocId, Date, PersonId, SchoolNumber, StudentDcid, StudentId, StudentNumber};
use crate::snapshot::*;

const HOME: i64 = 1;
const MOBILE: i64 = 2;
const WORK: i64 = 3;
const MOTHER: i64 = 20;
const FATHER: i64 = 21;
const GRANDPARENT: i64 = 22;

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn today() -> Date {
    date("2026-08-15")
}

/// A small district built row by row.
struct Fixture {
    s: Snapshot,
}

impl Fixture {
    fn new() -> Fixture {
        let mut s = Snapshot::default();
        for (id, t, v) in [
            (HOME, "Phone", "Home"),
            (MOBILE, "Phone", "Mobile"),
            (WORK, "Phone", "Work"),
            (MOTHER, "Relationship", "Mother"),
            (FATHER, "Relationship", "Father"),
            (GRANDPARENT, "Relationship", "Grandparent"),
        ] {
            s.code_sets.push(CodeSet { id, code_type: t.into(), code: v.into(), display_value: v.into() });
        }
        Fixture { s }
    }

    fn person(&mut self, id: i64, first: &str, middle: &str, last: &str) -> &mut Self {
        self.s.persons.push(Person {
            id: PersonId(id),
            first_name: first.into(),
            middle_name: middle.into(),
            last_name: last.into(),
            gender: String::new(),
            is_active: true,
        });
        self
    }

    fn gender(&mut self, id: i64, gender: &str) -> &mut Self {
        self.s.persons.iter_mut().filter(|p| p.id == PersonId(id)).for_each(|p| p.gender = gender.into());
        self
    }

    fn address(&mut self, person: i64, street: &str, unit: &str, zip: &str) -> &mut Self {
        let id = self.s.addresses.len() as i64 + 1;
        self.s.addresses.push(Address {
            id,
            street: street.into(),
            line_two: String::new(),
            unit: unit.into(),
            city: "Saint Paul".into(),
            state: None,
            postal_code: zip.into(),
        });
        self.s.person_addresses.push(PersonAddress {
            id,
            person_id: PersonId(person),
            address_id: id,
            address_type: None,
            priority_order: Some(1),
            start_date: None,
            end_date: None,
        });
        self
    }

    fn inactive(&mut self, id: i64) -> &mut Self {
        self.s.persons.iter_mut().filter(|p| p.id == PersonId(id)).for_each(|p| p.is_active = false);
        self
    }

    fn email(&mut self, person: i64, address: &str) -> &mut Self {
        let id = self.s.email_addresses.len() as i64 + 1;
        self.s.email_addresses.push(EmailAddress { id, address: address.into() });
        self.s.person_emails.push(PersonEmailAddress {
            id,
            person_id: PersonId(person),
            email_address_id: id,
            email_type: None,
            is_primary: true,
            priority_order: Some(1),
        });
        self
    }

    fn phone(&mut self, person: i64, number: &str, ext: &str, kind: i64) -> &mut Self {
        let id = self.s.phone_numbers.len() as i64 + 1;
        self.s.phone_numbers.push(PhoneNumber {
            id,
            number: number.into(),
            extension: ext.into(),
            as_entered: String::new(),
        });
        self.s.person_phones.push(PersonPhoneNumber {
            id,
            person_id: PersonId(person),
            phone_number_id: id,
            phone_type: Some(kind),
            priority_order: Some(1),
            is_preferred: false,
            is_sms: false,
        });
        self
    }

    fn portal(&mut self, person: i64, email: &str) -> &mut Self {
        let id = self.s.portal_accounts.len() as i64 + 1;
        self.s.portal_accounts.push(PortalAccount {
            id,
            username: format!("user{id}"),
            email: email.into(),
            person_id: Some(PersonId(person)),
        });
        self
    }

    fn student(&mut self, dcid: i64, number: &str, first: &str, last: &str) -> &mut Self {
        self.s.students.push(Student {
            school_id: SchoolNumber(1),
            grade_level: 3,
            ..Student::named(StudentId(dcid), StudentDcid(dcid), StudentNumber::parse(number).unwrap(), first, last)
        });
        self
    }

    /// Links a person to a student; `end` expires the link; `active` is the detail's IsActive.
    fn link(&mut self, dcid: i64, person: i64, rel: i64, active: bool, end: Option<&str>) -> &mut Self {
        let id = self.s.student_contacts.len() as i64 + 1;
        self.s.student_contacts.push(StudentContact {
            id: ContactAssocId(id),
            student_dcid: StudentDcid(dcid),
            person_id: PersonId(person),
            priority_order: Some(1),
            relationship_type: Some(rel),
        });
        self.s.student_contact_details.push(StudentContactDetail {
            id,
            student_contact_id: ContactAssocId(id),
            relationship_type: Some(rel),
            is_active: active,
            start_date: Some(date("2020-08-20")),
            end_date: end.map(date),
            is_custodial: true,
            lives_with: true,
            school_pickup: true,
            is_emergency: true,
            receives_mail: true,
        });
        self
    }
}

/// The district most scenarios use.
fn district() -> Snapshot {
    let mut f = Fixture::new();
    f.person(1, "Robert", "James", "Smith")
        .email(1, "Bob.Smith@gmail.com")
        .phone(1, "6515550101", "", MOBILE)
        .phone(1, "6515550199", "", HOME)
        .person(2, "Maria", "", "Delgado-Pritchett")
        .email(2, "maria.dp@yahoo.com")
        .phone(2, "6125550202", "", MOBILE)
        .person(3, "José", "", "Nguyễn")
        .phone(3, "7635550303", "", HOME)
        .portal(3, "jose.n@outlook.com")
        .person(4, "Maria", "", "García")
        .person(5, "Ana", "", "Lopez")
        .email(5, "ana.lopez@gmail.com")
        .phone(5, "9525550505", "12", WORK)
        .person(6, "William", "", "Brown")
        .person(7, "Robert", "", "Brown")
        .person(8, "Carlos", "", "de la Cruz")
        .inactive(8)
        .person(9, "Luis", "", "García")
        .phone(9, "6515550909", "", MOBILE)
        .person(10, "Rosa", "", "Vega")
        .student(1001, "100234", "Ana", "García")
        .student(1002, "100235", "Luis", "García")
        .student(1003, "100236", "Eva", "Smith")
        .link(1001, 9, FATHER, true, None)
        .link(1002, 9, FATHER, true, None)
        .link(1003, 1, FATHER, true, None)
        .link(1001, 1, GRANDPARENT, true, Some("2025-06-01"))
        .link(1002, 1, GRANDPARENT, false, None)
        .link(1002, 10, MOTHER, true, None);
    f.s
}

fn form(first: &str, middle: &str, last: &str, emails: &[&str], phones: &[(&str, &str)]) -> FormContact {
    FormContact {
        block: "contact1".into(),
        first_name: first.into(),
        middle_name: middle.into(),
        last_name: last.into(),
        emails: emails.iter().map(|e| FormEmail { address: e.to_string(), email_type: "Current".into() }).collect(),
        phones: phones.iter().map(|(n, t)| FormPhone { number: n.to_string(), phone_type: t.to_string() }).collect(),
        relationship: String::new(),
        addresses: Vec::new(),
    }
}

fn render(m: &ContactMatches) -> String {
    let mut out = String::new();
    if !m.matchable {
        out.push_str("(not matchable)\n");
    }
    for c in &m.candidates {
        let confidence = c.confidence.label();
        out.push_str(&format!("{} ({}) score {}, {confidence}: {}\n", c.name, c.person_id, c.score, c.reason));
        for e in &c.evidence {
            out.push_str(&format!("  {:+} {}\n", e.points, e.text));
        }
        for f in &c.flags {
            out.push_str(&format!("  ! {}\n", f.text));
        }
        for u in &c.used_by {
            let status = if u.active { "active" } else { "expired" };
            out.push_str(&format!(
                "  used by {} {} ({}, {status})\n",
                u.student_number, u.student_name, u.relationship
            ));
        }
    }
    for s in &m.same_person {
        let texts: Vec<&str> = s.evidence.iter().map(|e| e.text.as_str()).collect();
        out.push_str(&format!("= {} {} score {}: {}\n", s.application, s.block, s.score, texts.join("; ")));
    }
    for n in &m.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    if out.is_empty() {
        out.push_str("(no candidates)\n");
    }
    out
}

/// Matches `contact` in the district with no student context.
fn check(contact: FormContact, expect: Expect) {
    check_in(district(), contact, expect);
}

/// Matches `contact` in `s` with no student context.
fn check_in(s: Snapshot, contact: FormContact, expect: Expect) {
    let index = ContactIndex::build(&s);
    let ctx = MatchContext { snapshot: &s, index: &index, today: today(), student: None, siblings: &[] };
    expect.assert_eq(&render(&find_candidates(&ctx, &contact)));
}

#[test]
fn exact_match_with_every_field() {
    check(
        form("Robert", "James", "Smith", &["Bob.Smith@gmail.com"], &[("(651) 555-0101", "Mobile")]),
        expect![[r#"
            Robert James Smith (1) score 173, strong: the email and the name agree
              +40 last name exact
              +30 first name exact
              +8 middle name exact
              +50 email matches
              +45 phone matches (Mobile)
              used by 100234 Ana García (Grandparent, expired)
              used by 100235 Luis García (Grandparent, expired)
              used by 100236 Eva Smith (Father, active)
        "#]],
    );
}

#[test]
fn nickname_and_email_case() {
    check(
        form("Bob", "", "Smith", &["bob.smith@gmail.com"], &[]),
        expect![[r#"
            Robert James Smith (1) score 104, strong: the email and the name agree
              +40 last name exact
              +24 first name nickname Bob = Robert
              +40 email differs in case only
              used by 100234 Ana García (Grandparent, expired)
              used by 100235 Luis García (Grandparent, expired)
              used by 100236 Eva Smith (Father, active)
        "#]],
    );
}

#[test]
fn phone_type_mismatch_is_flagged() {
    check(
        form("Robert", "", "Smith", &[], &[("651.555.0199", "Mobile")]),
        expect![[r#"
            Robert James Smith (1) score 115, strong: the phone and the name agree
              +40 last name exact
              +30 first name exact
              +45 phone matches (form Mobile, PowerSchool Home)
              ! phone 651-555-0199 is Mobile on the form but Home in PowerSchool
              used by 100234 Ana García (Grandparent, expired)
              used by 100235 Luis García (Grandparent, expired)
              used by 100236 Eva Smith (Father, active)
        "#]],
    );
}

#[test]
fn compound_last_name_matches_one_part() {
    check(
        form("Maria", "", "Delgado", &[], &[]),
        expect![[r#"
            Maria Delgado-Pritchett (2) score 64, weak: only the name agrees: a namesake, unless something else says so
              +32 last name matches one part of Delgado-Pritchett
              +30 first name exact
              +2 no middle name on either
        "#]],
    );
}

#[test]
fn accents_and_swapped_names() {
    check(
        form("Jose", "", "Nguyen", &[], &[]),
        expect![[r#"
            José Nguyễn (3) score 68, weak: only the name agrees: a namesake, unless something else says so
              +38 last name exact (Nguyen = Nguyễn)
              +28 first name exact (Jose = José)
              +2 no middle name on either
        "#]],
    );
    check(
        form("NGUYEN", "", "JOSE", &[], &[]),
        expect![[r#"
            José Nguyễn (3) score 60, weak: only the name agrees: a namesake, unless something else says so
              +60 first and last name swapped
        "#]],
    );
}

#[test]
fn portal_email_matches() {
    check(
        form("Joe", "", "Nguyen", &["Jose.N@outlook.com", "jose.n@outlook.com"], &[]),
        expect![[r#"
            José Nguyễn (3) score 110, strong: the email and the name agree
              +38 last name exact (Nguyen = Nguyễn)
              +20 first name typo (1 letter)
              +2 no middle name on either
              +50 email matches the parent portal account
        "#]],
    );
}

#[test]
fn last_name_typo() {
    check(
        form("Robert", "", "Smiht", &[], &[]),
        expect![[r#"
            Robert James Smith (1) score 58, weak: only the name agrees: a namesake, unless something else says so
              +28 last name typo (1 letter)
              +30 first name exact
              used by 100234 Ana García (Grandparent, expired)
              used by 100235 Luis García (Grandparent, expired)
              used by 100236 Eva Smith (Father, active)
        "#]],
    );
}

#[test]
fn a_nickname_shared_by_several_names_counts_for_each() {
    check(
        form("Bill", "", "Brown", &[], &[]),
        expect![[r#"
            William Brown (6) score 66, weak: only the name agrees: a namesake, unless something else says so
              +40 last name exact
              +24 first name nickname Bill = William
              +2 no middle name on either
            Robert Brown (7) score 66, weak: only the name agrees: a namesake, unless something else says so
              +40 last name exact
              +24 first name nickname Bill = Robert
              +2 no middle name on either
        "#]],
    );
}

#[test]
fn first_name_only_needs_support() {
    check(
        form("Maria", "", "Zamora", &[], &[]),
        expect![[r#"
        (no candidates)
    "#]],
    );
    check(
        form("Maria", "", "Zamora", &[], &[("612-555-0202", "Mobile")]),
        expect![[r#"
            Maria Delgado-Pritchett (2) score 77, possible: the phone agrees, the name only in part
              +30 first name exact
              +2 no middle name on either
              +45 phone matches (Mobile)
              ! name differs although the phone agrees: the form has Maria Zamora, PowerSchool has Maria Delgado-Pritchett
        "#]],
    );
}

fn at(mut c: FormContact, street: &str, zip: &str) -> FormContact {
    let a = FormAddress {
        street: street.into(),
        city: String::new(),
        postal_code: zip.into(),
        address_type: "Home".into(),
    };
    c.addresses.push(a);
    c
}

fn relationship(mut c: FormContact, r: &str) -> FormContact {
    c.relationship = r.into();
    c
}

/// A household at one address, a namesake elsewhere, and neighbours in an
/// apartment building.
fn addresses() -> Snapshot {
    let mut f = Fixture::new();
    f.person(1, "Dossie", "Marie", "Stanelmore")
        .address(1, "1419 Selby Avenue", "", "55104")
        .person(2, "Carl", "", "Stanelmore")
        .address(2, "1419 Selby Avenue", "", "55104")
        .person(3, "Dossie", "", "Stanelmore")
        .address(3, "88 Como Ave", "", "55108")
        .person(4, "Ana", "", "Ruiz")
        .address(4, "500 Grand Ave", "Apt 210", "55105")
        .person(5, "Ana", "", "Ruiz")
        .address(5, "500 Grand Ave", "Apt 318", "55105");
    f.s
}

#[test]
fn an_address_tells_namesakes_apart_and_finds_a_new_last_name() {
    let dossie = || form("Dossie", "", "Stanelmore", &[], &[]);
    check_in(
        addresses(),
        at(dossie(), "1419 Selby Ave.", "55104-2231"),
        expect![[r#"
            Dossie Marie Stanelmore (1) score 90, strong: the address and the name agree
              +40 last name exact
              +30 first name exact
              +20 address matches (1419 Selby Ave.)
            Dossie Stanelmore (3) score 72, weak: only the name agrees: a namesake, unless something else says so
              +40 last name exact
              +30 first name exact
              +2 no middle name on either
            Carl Stanelmore (2) score 60, weak: the address and the last name agree, the first name does not: someone else in the household?
              +40 last name exact
              +20 address matches (1419 Selby Ave.)
        "#]],
    );
    // Married since: only the first name and the address agree; the
    // husband at the same address is someone else in the household.
    check_in(
        addresses(),
        at(form("Dossie", "", "Bell", &[], &[]), "1419 SELBY AVENUE", ""),
        expect![[r#"
            Dossie Marie Stanelmore (1) score 50, possible: the address and the first name agree, the last name does not: a new last name?
              +30 first name exact
              +20 address matches (1419 SELBY AVENUE)
        "#]],
    );
    // Married and moved, but the email still spells the old name.
    check_in(
        addresses(),
        form("Dossie", "", "Bell", &["dossie.stanelmore75@gmail.com"], &[]),
        expect![[r#"
        Dossie Stanelmore (3) score 47, possible: the email spells this person's name, and part of the name agrees: a new name?
          +30 first name exact
          +2 no middle name on either
          +15 email dossie.stanelmore75@gmail.com spells the name Dossie Stanelmore
        Dossie Marie Stanelmore (1) score 45, possible: the email spells this person's name, and part of the name agrees: a new name?
          +30 first name exact
          +15 email dossie.stanelmore75@gmail.com spells the name Dossie Marie Stanelmore
    "#]],
    );
    check_in(
        addresses(),
        at(form("Jean", "", "Stanelmore", &[], &[]), "1419 Selby Ave", ""),
        expect![[r#"
            Dossie Marie Stanelmore (1) score 60, weak: the address and the last name agree, the first name does not: someone else in the household?
              +40 last name exact
              +20 address matches (1419 Selby Ave)
            Carl Stanelmore (2) score 60, weak: the address and the last name agree, the first name does not: someone else in the household?
              +40 last name exact
              +20 address matches (1419 Selby Ave)
            Dossie Stanelmore (3) score 40, weak: only part of the name agrees
              +40 last name exact
        "#]],
    );
    // Neighbours in one building: a unit on both sides tells them apart.
    check_in(
        addresses(),
        at(form("Ana", "", "Ruiz", &[], &[]), "500 Grand Ave #318", "55105"),
        expect![[r#"
            Ana Ruiz (5) score 92, strong: the address and the name agree
              +40 last name exact
              +30 first name exact
              +2 no middle name on either
              +20 address matches (500 Grand Ave #318)
            Ana Ruiz (4) score 72, weak: only the name agrees: a namesake, unless something else says so
              +40 last name exact
              +30 first name exact
              +2 no middle name on either
        "#]],
    );
}

#[test]
fn first_names_spelled_alike_are_found_and_graded() {
    let mut f = Fixture::new();
    f.person(1, "Muhammad", "", "Warsame")
        .phone(1, "6515550111", "", MOBILE)
        .person(2, "Mohamud", "", "Warsame")
        .person(3, "Sophia", "", "Yang")
        .person(4, "Mario", "", "Yang")
        .person(5, "Stephen", "", "Yang");
    let s = f.s;
    // No identifier: found by spelling under the same last name.
    check_in(
        s.clone(),
        form("Sofia", "", "Yang", &[], &[]),
        expect![[r#"
        Sophia Yang (3) score 58, weak: only the name agrees: a namesake, unless something else says so
          +40 last name exact
          +16 first name spelled alike (Sofia / Sophia)
          +2 no middle name on either
        Mario Yang (4) score 40, weak: only part of the name agrees
          +40 last name exact
        Stephen Yang (5) score 40, weak: only part of the name agrees
          +40 last name exact
    "#]],
    );
    check_in(
        s.clone(),
        form("Steven", "", "Yang", &[], &[]),
        expect![[r#"
        Stephen Yang (5) score 54, weak: only the name agrees: a namesake, unless something else says so
          +40 last name exact
          +12 first name spelled alike (Steven / Stephen)
          +2 no middle name on either
        Sophia Yang (3) score 40, weak: only part of the name agrees
          +40 last name exact
        Mario Yang (4) score 40, weak: only part of the name agrees
          +40 last name exact
    "#]],
    );
    // Maria is not Mario.
    check_in(
        s.clone(),
        form("Maria", "", "Yang", &[], &[]),
        expect![[r#"
        Mario Yang (4) score 62, weak: only the name agrees: a namesake, unless something else says so
          +40 last name exact
          +20 first name typo (1 letter)
          +2 no middle name on either
        Sophia Yang (3) score 40, weak: only part of the name agrees
          +40 last name exact
        Stephen Yang (5) score 40, weak: only part of the name agrees
          +40 last name exact
    "#]],
    );
    // With the phone, a spelling too far apart for a name alone still counts.
    check_in(
        s,
        form("Mohammed", "", "Warsame", &[], &[("651-555-0111", "Mobile")]),
        expect![[r#"
        Muhammad Warsame (1) score 97, possible: the phone and the last name agree, the first name is spelled alike
          +40 last name exact
          +45 phone matches (Mobile)
          +12 first name perhaps spelled another way (Mohammed / Muhammad)
        Mohamud Warsame (2) score 54, weak: only the name agrees: a namesake, unless something else says so
          +40 last name exact
          +12 first name spelled alike (Mohammed / Mohamud)
          +2 no middle name on either
    "#]],
    );
}

#[test]
fn a_relationship_of_another_gender_weakens_a_match() {
    let mut f = Fixture::new();
    f.person(1, "Guadalupe", "", "Vargas").gender(1, "M").phone(1, "6125550142", "", HOME).person(
        2,
        "Guadalupe",
        "",
        "Vargas",
    );
    f.gender(2, "F");
    let lupe = || form("Guadalupe", "", "Vargas", &[], &[("612-555-0142", "Home")]);
    check_in(
        f.s.clone(),
        relationship(lupe(), "Mother"),
        expect![[r#"
        Guadalupe Vargas (1) score 92, possible: the phone and the name agree, but the relationship implies another gender
          +40 last name exact
          +30 first name exact
          +2 no middle name on either
          +45 phone matches (Home)
          -25 relationship Mother on the form (a woman), PowerSchool has a man
        Guadalupe Vargas (2) score 72, weak: only the name agrees: a namesake, unless something else says so
          +40 last name exact
          +30 first name exact
          +2 no middle name on either
    "#]],
    );
    check_in(
        f.s.clone(),
        relationship(lupe(), "Father"),
        expect![[r#"
        Guadalupe Vargas (1) score 117, strong: the phone and the name agree
          +40 last name exact
          +30 first name exact
          +2 no middle name on either
          +45 phone matches (Home)
    "#]],
    );
    check_in(
        f.s,
        relationship(lupe(), "Guardian"),
        expect![[r#"
        Guadalupe Vargas (1) score 117, strong: the phone and the name agree
          +40 last name exact
          +30 first name exact
          +2 no middle name on either
          +45 phone matches (Home)
        Guadalupe Vargas (2) score 72, weak: only the name agrees: a namesake, unless something else says so
          +40 last name exact
          +30 first name exact
          +2 no middle name on either
    "#]],
    );
}

#[test]
fn married_name_keeps_email_and_is_flagged() {
    check(
        form("Ana", "", "Reyes", &["ana.lopez@gmail.com"], &[("952 555 0505 x15", "Work")]),
        expect![[r#"
            Ana Lopez (5) score 112, possible: the email agrees, the name only in part
              +30 first name exact
              +2 no middle name on either
              +50 email matches
              +30 phone matches (Work), extension differs (x15 / x12)
              ! name differs although the email agrees: the form has Ana Reyes, PowerSchool has Ana Lopez
        "#]],
    );
}

#[test]
fn inactive_persons_are_flagged() {
    check(
        form("Carlos", "", "DeLaCruz", &[], &[]),
        expect![[r#"
            Carlos de la Cruz (8) score 70, weak: only the name agrees: a namesake, unless something else says so
              +38 last name exact (DeLaCruz = de la Cruz)
              +30 first name exact
              +2 no middle name on either
              ! inactive in PowerSchool: matching reactivates the contact
        "#]],
    );
}

#[test]
fn malformed_input_gives_no_evidence_and_says_why() {
    check(
        form("", "", "", &["ana@", "  "], &[("555-12", "Mobile"), ("call me", "Home")]),
        expect![[r#"
        note: email "ana@" is not an email address (the domain after @ is not valid): not used for matching
        note: email "  " is not an email address (is empty): not used for matching
        note: phone "555-12" is not a phone number (expected 10 digits (North American) or +country code): not used for matching
        note: phone "call me" is not a phone number (contains characters that are not part of a phone number): not used for matching
        note: no name: matched on email and phone only
    "#]],
    );
    check(
        form("-", ".", "'", &[], &[("+", "")]),
        expect![[r#"
        note: phone "+" is not a phone number (an international number has 8 to 15 digits): not used for matching
        note: no name: matched on email and phone only
    "#]],
    );
}

#[test]
fn used_by_shows_active_and_expired_links() {
    let s = district();
    let index = ContactIndex::build(&s);
    let eva = s.students.iter().find(|st| st.dcid == StudentDcid(1003)).unwrap();
    let ctx = MatchContext { snapshot: &s, index: &index, today: today(), student: Some(eva), siblings: &[] };
    let m = find_candidates(&ctx, &form("Robert", "J", "Smith", &[], &[]));
    let ana = s.students.iter().find(|st| st.dcid == StudentDcid(1001)).unwrap();
    let ctx_ana = MatchContext { student: Some(ana), ..ctx };
    let expired = find_candidates(&ctx_ana, &form("Bob", "", "Smith", &[], &[]));
    expect![[r#"
        Robert James Smith (1) score 94, strong: already this student's contact, under this name
          +40 last name exact
          +24 first name nickname Bob = Robert
          +30 already a contact of this student (expired)
          used by 100235 Luis García (Grandparent, expired)
          used by 100236 Eva Smith (Father, active)
    "#]]
    .assert_eq(&render(&expired));
    expect![[r#"
        Robert James Smith (1) score 104, strong: already this student's contact, under this name
          +40 last name exact
          +30 first name exact
          +4 middle initial J
          +30 already a contact of this student
          used by 100234 Ana García (Grandparent, expired)
          used by 100235 Luis García (Grandparent, expired)
    "#]]
    .assert_eq(&render(&m));
}

#[test]
fn siblings_contacts_and_batch_blocks_are_found() {
    let s = district();
    let index = ContactIndex::build(&s);
    let ana = s.students.iter().find(|st| st.dcid == StudentDcid(1001)).unwrap();
    let siblings = vec![
        Sibling {
            application: None,
            student_dcid: Some(StudentDcid(1002)),
            name: "Luis García".into(),
            student_number: Some("100235".into()),
            contacts: vec![],
        },
        Sibling {
            application: Some("APP-000012".into()),
            student_dcid: None,
            name: "Sol García".into(),
            student_number: None,
            contacts: vec![
                form("Pedro", "", "Ruiz", &["pedro.ruiz@gmail.com"], &[("651-555-7777", "Mobile")]),
                FormContact { block: "contact2".into(), ..form("Carmen", "", "Ruiz", &[], &[]) },
            ],
        },
    ];
    let ctx = MatchContext { snapshot: &s, index: &index, today: today(), student: Some(ana), siblings: &siblings };
    // Rosa Vega is Luis's mother in PowerSchool.
    let m = find_candidates(&ctx, &form("Rosa", "", "Vega", &[], &[]));
    expect![[r#"
        Rosa Vega (10) score 87, possible: the name agrees, and the person is a sibling's contact
          +40 last name exact
          +30 first name exact
          +2 no middle name on either
          +15 already a contact of sibling Luis García (100235)
          used by 100235 Luis García (Mother, active)
    "#]]
    .assert_eq(&render(&m));
    // A new person also on the sibling's application.
    let m = find_candidates(&ctx, &form("Pedro", "", "Ruiz", &[], &[("6515557777", "Mobile")]));
    expect![[r#"
        = APP-000012 contact1 score 117: same person as contact1 on APP-000012; last name exact; first name exact; no middle name on either; phone matches (Mobile)
    "#]].assert_eq(&render(&m));
}

fn mappings(with_last: bool) -> FieldMappings {
    let fields = [
        ("first_name", "First Name"),
        ("last_name", "Last Name"),
        ("email", "Email Address:Current"),
        ("mobile_phone", "phoneNumberAsEntered:Mobile"),
        ("home_phone", "phoneNumberAsEntered:Home"),
        ("relationship", "Relationship Type"),
        ("street", "Street"),
        ("city", "City"),
        ("zip", "Postal Code"),
    ];
    FieldMappings {
        contact_fields: fields
            .iter()
            .filter(|(_, t)| with_last || *t != "Last Name")
            .map(|(f, t)| ContactFieldMapping { form_field: f.to_string(), target: t.to_string() })
            .collect(),
        ..FieldMappings::default()
    }
}

fn block(id: &str, fields: &[(&str, &str)]) -> ContactBlock {
    ContactBlock { block: id.into(), fields: fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect() }
}

#[test]
fn blocks_are_read_through_the_mappings() {
    let b = block(
        "contact1",
        &[
            ("first_name", " Luis "),
            ("last_name", "García"),
            ("mobile_phone", "651-555-0909"),
            ("home_phone", ""),
            ("street", "12 Elm St"),
            ("zip", "55401"),
        ],
    );
    let c = FormContact::from_block(&b, &mappings(true)).unwrap();
    expect![[r#"
        FormContact {
            block: "contact1",
            first_name: "Luis",
            middle_name: "",
            last_name: "García",
            emails: [],
            phones: [
                FormPhone {
                    number: "651-555-0909",
                    phone_type: "Mobile",
                },
            ],
            relationship: "",
            addresses: [
                FormAddress {
                    street: "12 Elm St",
                    city: "",
                    postal_code: "55401",
                    address_type: "",
                },
            ],
        }
    "#]]
    .assert_debug_eq(&c);
    let err = FormContact::from_block(&b, &mappings(false)).unwrap_err();
    assert_eq!(err.to_string(), "not matched: the contact's last name is not mapped to PowerSchool");
}

#[test]
fn an_application_pairs_existing_contacts_first_and_flags_double_claims() {
    let s = district();
    let index = ContactIndex::build(&s);
    let ana = s.students.iter().find(|st| st.dcid == StudentDcid(1001)).unwrap();
    let ctx = MatchContext { snapshot: &s, index: &index, today: today(), student: Some(ana), siblings: &[] };
    let blocks = [
        block("contact1", &[("first_name", "Luis"), ("last_name", "Garcia")]),
        block("contact2", &[("first_name", "Luis"), ("last_name", "García"), ("mobile_phone", "6515550909")]),
        block("contact3", &[("first_name", "Maria"), ("last_name", "Garcia")]),
    ];
    let results = match_application(&ctx, &blocks, &mappings(true));
    let text: Vec<String> = results.iter().map(|m| format!("[{}]\n{}", m.block, render(m))).collect();
    expect![[r#"
        [contact1]
        Luis García (9) score 100, strong: already this student's contact, under this name
          +38 last name exact (Garcia = García)
          +30 first name exact
          +2 no middle name on either
          +30 already a contact of this student
          ! also the best match of contact2: one person cannot be two contacts
          used by 100235 Luis García (Father, active)
        [contact2]
        Luis García (9) score 147, strong: the phone and the name agree
          +40 last name exact
          +30 first name exact
          +2 no middle name on either
          +45 phone matches (Mobile)
          +30 already a contact of this student
          ! also the best match of contact1: one person cannot be two contacts
          used by 100235 Luis García (Father, active)
        [contact3]
        Maria García (4) score 70, weak: only the name agrees: a namesake, unless something else says so
          +38 last name exact (Garcia = García)
          +30 first name exact
          +2 no middle name on either
        Luis García (9) score 68, possible: already this student's contact, the name only in part
          +38 last name exact (Garcia = García)
          +30 already a contact of this student
          used by 100235 Luis García (Father, active)
    "#]]
    .assert_eq(&text.join(""));
    let states: Vec<ContactState> = results.iter().map(ContactState::initial).collect();
    assert_eq!(states, [ContactState::Undecided, ContactState::Undecided, ContactState::Undecided]);
    let unmatched = match_application(&ctx, &blocks[..1], &mappings(false));
    expect![[r#"
        (not matchable)
        note: not matched: the contact's last name is not mapped to PowerSchool
    "#]]
    .assert_eq(&render(&unmatched[0]));
    assert_eq!(ContactState::initial(&unmatched[0]), ContactState::New);
}

#[test]
fn contact_states_are_decided_when_confirmed_new_or_all_rejected() {
    let s = district();
    let index = ContactIndex::build(&s);
    let ctx = MatchContext { snapshot: &s, index: &index, today: today(), student: None, siblings: &[] };
    let m = find_candidates(&ctx, &form("Bill", "", "Brown", &[], &[]));
    assert!(!ContactState::Undecided.is_decided(&m));
    assert!(ContactState::Confirmed(PersonId(6)).is_decided(&m));
    assert!(!ContactState::Confirmed(PersonId(99)).is_decided(&m));
    assert!(!ContactState::Rejected(vec![PersonId(6)]).is_decided(&m));
    assert!(ContactState::Rejected(vec![PersonId(6), PersonId(7)]).is_decided(&m));
    assert!(ContactState::New.is_decided(&m));
    let json = serde_json::to_string(&ContactState::Rejected(vec![PersonId(6), PersonId(7)])).unwrap();
    assert_eq!(json, r#"{"rejected":[6,7]}"#);
}

#[test]
fn an_index_for_another_snapshot_is_refused() {
    let s = district();
    let index = ContactIndex::build(&Snapshot::default());
    let ctx = MatchContext { snapshot: &s, index: &index, today: today(), student: None, siblings: &[] };
    let m = find_candidates(&ctx, &form("Robert", "", "Smith", &[], &[]));
    expect![[r#"
        note: the contact index was built for another snapshot: rebuild it
    "#]]
    .assert_eq(&render(&m));
}

/// Namesakes with nothing in common but the name, and one typo'd identifier
/// or a Spanish hypocorism that tells the right one apart.
fn namesakes() -> Snapshot {
    let mut f = Fixture::new();
    for id in 1..=7 {
        f.person(id, "Jesús", "", "Ramírez");
    }
    f.phone(4, "6515550147", "", MOBILE)
        .email(5, "jramirez77@gmail.com")
        .person(8, "Guadalupe", "", "Delgado Ruiz")
        .phone(8, "6125550808", "", HOME);
    f.s
}

#[test]
fn a_spanish_hypocorism_finds_the_given_name() {
    let s = namesakes();
    let m = find(&s, form("Chuy", "", "Ramirez", &["jramirez77@gmail.com"], &[]));
    let best = &m.candidates[0];
    assert_eq!((best.person_id, best.confidence), (PersonId(5), Confidence::Strong), "{}", render(&m));
    assert!(best.evidence.iter().any(|e| e.text == "first name nickname Chuy = Jesús"), "{}", render(&m));
}

#[test]
fn a_phone_with_two_digits_swapped_ranks_the_right_namesake_first() {
    check_in(
        namesakes(),
        form("Jesus", "", "Ramirez", &[], &[("651-555-0174", "Mobile")]),
        expect![[r#"
            Jesús Ramírez (4) score 88, possible: the name agrees, with a phone one typo away
              +38 last name exact (Ramirez = Ramírez)
              +28 first name exact (Jesus = Jesús)
              +2 no middle name on either
              +20 phone differs by two swapped digits (form 651-555-0174, PowerSchool 651-555-0147)
            Jesús Ramírez (1) score 68, weak: only the name agrees: a namesake, unless something else says so
              +38 last name exact (Ramirez = Ramírez)
              +28 first name exact (Jesus = Jesús)
              +2 no middle name on either
            Jesús Ramírez (2) score 68, weak: only the name agrees: a namesake, unless something else says so
              +38 last name exact (Ramirez = Ramírez)
              +28 first name exact (Jesus = Jesús)
              +2 no middle name on either
            Jesús Ramírez (3) score 68, weak: only the name agrees: a namesake, unless something else says so
              +38 last name exact (Ramirez = Ramírez)
              +28 first name exact (Jesus = Jesús)
              +2 no middle name on either
            Jesús Ramírez (5) score 68, weak: only the name agrees: a namesake, unless something else says so
              +38 last name exact (Ramirez = Ramírez)
              +28 first name exact (Jesus = Jesús)
              +2 no middle name on either
        "#]],
    );
}

#[test]
fn a_phone_with_one_digit_wrong_or_an_email_typo_is_weaker_than_exact() {
    let s = namesakes();
    let m = find(&s, form("Jesus", "", "Ramirez", &[], &[("651-555-0148", "Mobile")]));
    let phone: Vec<&str> = m.candidates[0].evidence.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(m.candidates[0].person_id, PersonId(4), "{}", render(&m));
    assert!(phone.contains(&"phone differs by one digit (form 651-555-0148, PowerSchool 651-555-0147)"), "{phone:?}");
    for (typed, said) in [
        ("jramirez77@gmial.com", "email matches apart from a typo in the provider"),
        ("jramires77@gmail.com", "email differs by one letter"),
    ] {
        let m = find(&s, form("Jesus", "", "Ramirez", &[typed], &[]));
        let best = &m.candidates[0];
        assert_eq!((best.person_id, best.confidence), (PersonId(5), Confidence::Possible), "{}", render(&m));
        let e = best.evidence.iter().find(|e| e.field == EvidenceField::Email).unwrap();
        assert!(e.text.starts_with(said) && e.points < 40, "{e:?}");
    }
    // A near miss alone, with no name in common, is no candidate.
    let m = find(&s, form("Ana", "", "Lopez", &[], &[("651-555-0148", "Mobile")]));
    assert!(m.candidates.is_empty(), "{}", render(&m));
}

#[test]
fn swapped_names_with_one_part_of_a_compound_surname() {
    check_in(
        namesakes(),
        form("Delgado", "", "Guadalupe", &[], &[]),
        expect![[r#"
            Guadalupe Delgado Ruiz (8) score 52, weak: only the name agrees: a namesake, unless something else says so
              +52 first and last name swapped (with part of Delgado Ruiz)
        "#]],
    );
}

#[test]
fn a_new_person_with_a_common_name_gets_no_likely_match() {
    let s = namesakes();
    let m = find(&s, form("Jesus", "", "Ramirez", &["chuy.r@example.org"], &[("952-555-1234", "Mobile")]));
    assert!(!m.candidates.is_empty());
    assert!(m.candidates.iter().all(|c| c.confidence == Confidence::Weak), "{}", render(&m));
}

fn find(s: &Snapshot, contact: FormContact) -> ContactMatches {
    let index = ContactIndex::build(s);
    let ctx = MatchContext { snapshot: s, index: &index, today: today(), student: None, siblings: &[] };
    find_candidates(&ctx, &contact)
}

/// `n` persons named Jesús Ramírez, person `with_phone` with 651-555-0147.
fn many_namesakes(n: i64, with_phone: i64) -> Fixture {
    let mut f = Fixture::new();
    for id in 1..=n {
        f.person(id, "Jesús", "", "Ramírez");
    }
    f.phone(with_phone, "6515550147", "", MOBILE);
    f
}

#[test]
fn a_near_miss_phone_is_looked_up_not_only_compared() {
    // More namesakes than are compared in full by name: the one with the
    // phone is found through the phone's near keys.
    let f = many_namesakes(80, 80);
    let m = find(&f.s, form("Jesus", "", "Ramirez", &[], &[("651-555-0417", "Mobile")]));
    assert_eq!(m.candidates[0].person_id, PersonId(80), "{}", render(&m));
    assert_eq!(m.candidates[0].confidence, Confidence::Possible);
}

#[test]
fn a_shared_phone_with_only_the_last_name_is_a_household_member_not_a_likely_match() {
    let s = district();
    let m = find(&s, form("Carmen", "", "Garcia", &[], &[("651-555-0909", "Mobile")]));
    let luis = m.candidates.iter().find(|c| c.person_id == PersonId(9)).expect("Luis García shares the phone");
    assert_eq!(luis.confidence, Confidence::Weak, "{}", render(&m));
    assert!(luis.reason.ends_with("someone else in the household?"), "{}", luis.reason);
    // A married name keeps the first name: still possible.
    let m = find(&s, form("Luis", "", "Zamora", &[], &[("651-555-0909", "Mobile")]));
    assert_eq!(m.candidates[0].confidence, Confidence::Possible, "{}", render(&m));
}

#[test]
fn staff_search_by_name_phone_or_email_ranks_against_the_form() {
    let s = namesakes();
    let index = ContactIndex::build(&s);
    let ctx = MatchContext { snapshot: &s, index: &index, today: today(), student: None, siblings: &[] };
    let form = form("Jesus", "", "Ramirez", &[], &[("651-555-0148", "Mobile")]);
    let ids = |q: &str| -> (Vec<i64>, usize) {
        let found = search_persons(&ctx, &form, q).unwrap();
        (found.persons.iter().map(|c| c.person_id.get()).collect(), found.matched)
    };
    // A last name: every person with it, the one whose phone is a digit off first.
    assert_eq!(ids("Ramírez"), (vec![4, 1, 2, 3, 5, 6, 7], 7));
    assert_eq!(ids("ramirez jesus"), (vec![4, 1, 2, 3, 5, 6, 7], 7), "either order");
    assert_eq!(ids("Jesús Ramírez").1, 7);
    assert_eq!(ids("(651) 555-0147"), (vec![4], 1));
    assert_eq!(ids("jramirez77@gmial.com"), (vec![5], 1), "an email with a provider typo");
    assert_eq!(ids("Delgado").0, vec![8], "one part of a compound surname");
    assert_eq!(ids("Nobody Here"), (vec![], 0));
    assert_eq!(search_persons(&ctx, &form, " j ").unwrap_err(), SearchError::TooShort);
    let said = search_persons(&ctx, &form, "ana@").unwrap_err().to_string();
    assert!(said.starts_with("\"ana@\" is not an email address"), "{said}");
    let found = search_persons(&ctx, &form, "Ramirez").unwrap();
    assert_eq!(found.query, "the name Ramirez");
    assert_eq!(found.persons[0].reason, "the name agrees, with a phone one typo away");
}

#[test]
fn a_search_matching_many_returns_the_best_few_and_says_how_many() {
    let f = many_namesakes(80, 77);
    let index = ContactIndex::build(&f.s);
    let ctx = MatchContext { snapshot: &f.s, index: &index, today: today(), student: None, siblings: &[] };
    let found = search_persons(&ctx, &form("Jesus", "", "Ramirez", &[], &[("651-555-0174", "")]), "Jesus Ramirez");
    let found = found.unwrap();
    assert_eq!((found.persons.len(), found.matched), (MAX_FOUND, 80));
    assert_eq!(found.persons[0].person_id, PersonId(77));
}

#[test]
fn an_exact_contact_of_this_student_is_suggested_for_one_click() {
    let s = district();
    let index = ContactIndex::build(&s);
    let eva = s.students.iter().find(|st| st.dcid == StudentDcid(1003)).unwrap();
    let ctx = MatchContext { snapshot: &s, index: &index, today: today(), student: Some(eva), siblings: &[] };
    // Already Eva's father, under the same name: suggested.
    let exact = find_candidates(&ctx, &form("Robert", "J", "Smith", &[], &[]));
    assert_eq!(exact.suggested(), Some(PersonId(1)), "{}", render(&exact));
    // A nickname, a phone type to settle, or no link to this student: asked.
    let nickname = find_candidates(&ctx, &form("Bob", "", "Smith", &[], &[]));
    assert_eq!(nickname.suggested(), None, "{}", render(&nickname));
    let flagged = find_candidates(&ctx, &form("Robert", "", "Smith", &[], &[("651.555.0199", "Mobile")]));
    assert_eq!(flagged.suggested(), None, "{}", render(&flagged));
    let no_student = MatchContext { student: None, ..ctx };
    let unlinked = find_candidates(&no_student, &form("Robert", "J", "Smith", &["Bob.Smith@gmail.com"], &[]));
    assert_eq!(unlinked.suggested(), None, "{}", render(&unlinked));
}
