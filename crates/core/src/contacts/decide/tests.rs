//! Contact decisions on a small hand-made district: each scenario is a set
//! of decisions (JSON) and the rendered outcome (blocks, fields, order,
//! blockers, warnings, the file), through one `check` helper.

use expect_test::{expect, Expect};

use super::*;
use crate::application::{Application, ContactFieldMapping, ContactOrderMapping, FieldMappings};
use crate::contacts::{Candidate, ContactMatches};
use crate::domain::{ContactAssocId, Date, PersonId, SchoolNumber, StudentDcid, StudentId, StudentNumber};
use crate::flatfile::ContactsFile;
use crate::snapshot::*;

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn today() -> Date {
    date("2026-08-15")
}

const STUDENT: i64 = 1;
const SIBLING: i64 = 2;

/// The district: student Ana García (100234) with contacts María (501,
/// mother, shared with her brother Leo), José (502, father) and Tío Bo
/// (503, uncle); Carmen (504) is not a contact but has a portal account.
fn snapshot() -> Snapshot {
    let mut s = Snapshot::default();
    let codes = [
        (1, "Phone", "Home"),
        (2, "Phone", "Mobile"),
        (3, "Phone", "Work"),
        (10, "Email", "Current"),
        (11, "Email", "Additional"),
        (20, "Address", "Home"),
        (21, "Address", "Mailing"),
        (30, "Relationship", "Mother"),
        (31, "Relationship", "Father"),
        (32, "Relationship", "Uncle"),
        (33, "Relationship", "Grandparent"),
        (40, "State", "MN"),
    ];
    for (id, t, c) in codes {
        s.code_sets.push(CodeSet { id, code_type: t.into(), code: c.into(), display_value: c.into() });
    }
    s.code_sets.push(CodeSet {
        id: 41,
        code_type: "State".into(),
        code: "WI".into(),
        display_value: "Wisconsin".into(),
    });
    for (dcid, number, first) in [(STUDENT, "100234", "Ana"), (SIBLING, "100235", "Leo")] {
        s.students.push(Student {
            school_id: SchoolNumber(101),
            grade_level: 3,
            ..Student::named(StudentId(dcid), StudentDcid(dcid), StudentNumber::parse(number).unwrap(), first, "García")
        });
    }
    for (id, first, last) in
        [(501, "María", "García"), (502, "José", "García"), (503, "Bo", "Tío"), (504, "Carmen", "Ruiz")]
    {
        s.persons.push(Person {
            id: PersonId(id),
            first_name: first.into(),
            middle_name: String::new(),
            last_name: last.into(),
            gender: String::new(),
            is_active: true,
        });
    }
    // María: two emails (primary), a home phone and a work phone, a home address.
    for (id, person, address, primary) in
        [(71, 501, "maria@example.com", true), (72, 501, "mg@work.example", false), (73, 502, "jose@example.com", true)]
    {
        s.email_addresses.push(EmailAddress { id, address: address.into() });
        s.person_emails.push(PersonEmailAddress {
            id: id + 100,
            person_id: PersonId(person),
            email_address_id: id,
            email_type: Some(if primary { 10 } else { 11 }),
            is_primary: primary,
            priority_order: Some(if primary { 1 } else { 2 }),
        });
    }
    for (id, person, number, t, order) in
        [(81, 501, "5552013344", 1, 1), (82, 501, "5552019999", 3, 2), (83, 502, "5552017777", 2, 1)]
    {
        s.phone_numbers.push(PhoneNumber {
            id,
            number: number.into(),
            extension: String::new(),
            as_entered: format!("{}-{}-{}", &number[..3], &number[3..6], &number[6..]),
        });
        s.person_phones.push(PersonPhoneNumber {
            id: id + 100,
            person_id: PersonId(person),
            phone_number_id: id,
            phone_type: Some(t),
            priority_order: Some(order),
            is_preferred: order == 1,
            is_sms: false,
        });
    }
    s.addresses.push(Address {
        id: 91,
        street: "12 Elm St".into(),
        line_two: String::new(),
        unit: String::new(),
        city: "Springfield".into(),
        state: Some(40),
        postal_code: "55401".into(),
    });
    s.person_addresses.push(PersonAddress {
        id: 191,
        person_id: PersonId(501),
        address_id: 91,
        address_type: Some(20),
        priority_order: Some(1),
        start_date: None,
        end_date: None,
    });
    for (id, dcid, person, order, rel) in
        [(901, STUDENT, 501, 1, 30), (902, STUDENT, 502, 2, 31), (903, STUDENT, 503, 3, 32), (904, SIBLING, 501, 1, 30)]
    {
        s.student_contacts.push(StudentContact {
            id: ContactAssocId(id),
            student_dcid: StudentDcid(dcid),
            person_id: PersonId(person),
            priority_order: Some(order),
            relationship_type: Some(rel),
        });
        s.student_contact_details.push(StudentContactDetail {
            id: id + 10,
            student_contact_id: ContactAssocId(id),
            relationship_type: Some(rel),
            is_active: true,
            start_date: Some(date("2020-08-20")),
            end_date: None,
            is_custodial: true,
            lives_with: person != 503,
            school_pickup: true,
            is_emergency: true,
            receives_mail: person != 503,
        });
    }
    s.portal_accounts.push(PortalAccount {
        id: 1,
        username: "carmen.r".into(),
        email: "carmen@example.com".into(),
        person_id: Some(PersonId(504)),
    });
    s.portal_accounts.push(PortalAccount {
        id: 2,
        username: "maria.g".into(),
        email: "maria@example.com".into(),
        person_id: Some(PersonId(501)),
    });
    s.portal_emails.push(PortalEmailContact { id: 1, account_id: 1, email: "Shared@Example.com".into() });
    s
}

fn mappings() -> FieldMappings {
    let pairs = [
        ("first_name", "First Name"),
        ("last_name", "Last Name"),
        ("relationship", "Relationship Type"),
        ("email", "Email Address:Current"),
        ("mobile_phone", "phoneNumberAsEntered:Mobile"),
        ("home_phone", "phoneNumberAsEntered:Home"),
        ("street", "Street"),
        ("city", "City"),
        ("state", "State"),
        ("zip", "Postal Code"),
        ("lives_with", "Contact Lives With"),
        ("data_access", "Data Access"),
    ];
    FieldMappings {
        student_fields: Vec::new(),
        protected_fields: Vec::new(),
        contact_fields: pairs
            .iter()
            .map(|(f, t)| ContactFieldMapping { form_field: f.to_string(), target: t.to_string() })
            .collect(),
        contact_order: Vec::new(),
    }
}

/// The application: María with a new email, her home number typed as a
/// mobile, the same address; José as on file; a new grandmother.
fn application() -> Application {
    serde_json::from_value(serde_json::json!({
        "id": "APP-7",
        "status": "approved",
        "enrollment_written_back": true,
        "student_number": "100234",
        "school_id": 101,
        "submitted_at": "2026-08-01T10:00:00Z",
        "student": {},
        "contacts": [
            {"block": "contact1", "fields": {
                "first_name": "Maria", "last_name": "Garcia", "relationship": "mother",
                "email": "maria.garcia@example.com", "mobile_phone": "(555) 201-3344",
                "street": "12 Elm St", "city": "Springfield", "state": "MN", "zip": "55401",
                "lives_with": "1", "data_access": "1"}},
            {"block": "contact2", "fields": {
                "first_name": "José", "last_name": "García", "relationship": "Father",
                "email": "jose@example.com", "mobile_phone": "555-201-7777", "lives_with": "1", "data_access": "0"}},
            {"block": "contact3", "fields": {
                "first_name": "Rosa", "last_name": "Díaz", "relationship": "Grandparent",
                "email": "rosa@example.com", "home_phone": "555 201 5555",
                "street": "4 Oak Ave", "city": "Hudson", "state": "Wisconsin", "zip": "54016",
                "lives_with": "0", "data_access": "0"}}
        ]
    }))
    .unwrap()
}

fn candidate(person_id: i64, name: &str, linked: bool) -> Candidate {
    Candidate {
        person_id: PersonId(person_id),
        name: name.into(),
        score: 100,
        evidence: Vec::new(),
        flags: Vec::new(),
        used_by: Vec::new(),
        linked_to_student: linked,
        confidence: crate::contacts::Confidence::Strong,
        reason: "the email and the name agree".into(),
        name_exact: true,
    }
}

fn matches() -> Vec<ContactMatches> {
    let m = |block: &str, candidates: Vec<Candidate>| ContactMatches {
        block: block.into(),
        matchable: true,
        candidates,
        ..ContactMatches::default()
    };
    vec![
        m("contact1", vec![candidate(501, "María García", true)]),
        m("contact2", vec![candidate(502, "José García", true)]),
        m("contact3", vec![]),
    ]
}

fn review_of(app: &Application) -> ContactsReview {
    review_with(&snapshot(), app, &mappings())
}

fn review_with(s: &Snapshot, app: &Application, mappings: &FieldMappings) -> ContactsReview {
    let student = s.students[0].clone();
    ContactsReview::prepare(s, app, mappings, &matches(), Some(&student), today())
}

fn check_with(s: &Snapshot, app: &Application, mappings: &FieldMappings, decisions: serde_json::Value, expect: Expect) {
    let d: ContactDecisions = serde_json::from_value(decisions).unwrap();
    expect.assert_eq(&render(&review_with(s, app, mappings).decide(&d)));
}

/// The outcome in words.
fn render(o: &ContactsOutcome) -> String {
    let mut out = String::new();
    for b in &o.blocks {
        out += &format!(
            "{} {:?} person {:?} {:?} position {:?} data access {}\n",
            b.block, b.state, b.person, b.option, b.position, b.data_access
        );
        for f in &b.fields {
            out += &format!(
                "  {}: {} | {} {}{}-> {:?}{}\n",
                f.key,
                f.form.as_deref().unwrap_or("-"),
                f.existing.as_deref().unwrap_or("-"),
                if f.same { "(same) " } else { "" },
                if f.type_mismatch { "(type mismatch) " } else { "" },
                f.action,
                f.phone_type.as_ref().map(|t| format!(" as {t}")).unwrap_or_default()
            );
        }
        for w in &b.warnings {
            out += &format!("  warning: {w}\n");
        }
    }
    for e in &o.existing {
        let ended = if e.ended { " (ended)" } else { "" };
        out += &format!("existing {} {}{ended} {:?} position {:?}\n", e.person, e.name, e.option, e.position);
        if e.allowed_options.len() != 3 {
            out += &format!("  allowed {:?}\n", e.allowed_options);
        }
        if let Some(b) = &e.may_be {
            out += &format!("  may be {b}: once, in the order as that block\n");
        }
    }
    if let Some(m) = &o.order_mapping {
        out += &format!("order mapping {m:?}\n");
    }
    out += &format!("order {:?}\n", o.order);
    for u in &o.unused {
        out += &format!(
            "unused {} {} ends {:?} matches {:?}\n",
            u.person,
            u.name,
            u.end_date.map(|d| d.to_us()),
            u.matches_blocks
        );
    }
    for f in &o.follow_ups {
        out += &format!("follow-up: {f}\n");
    }
    for b in &o.blockers {
        out += &format!("BLOCKER [{:?} {:?} {:?}] {}\n", b.block, b.person, b.field, b.message);
    }
    for w in &o.warnings {
        out += &format!("warning: {w}\n");
    }
    if let Some(text) = &o.file_text {
        let f = ContactsFile::read(text).expect("the review writes only valid files");
        // Only the non-blank cells, one row a line.
        for row in &f.rows {
            let cells: Vec<String> =
                f.header.iter().zip(row).filter(|(_, v)| !v.is_empty()).map(|(h, v)| format!("{h}={v}")).collect();
            out += &format!("| {}\n", cells.join(" "));
        }
    }
    out
}

fn check_app(app: &Application, decisions: serde_json::Value, expect: Expect) {
    let d: ContactDecisions = serde_json::from_value(decisions).unwrap();
    expect.assert_eq(&render(&review_of(app).decide(&d)));
}

fn check(decisions: serde_json::Value, expect: Expect) {
    check_app(&application(), decisions, expect);
}

#[test]
fn a_new_contact_beside_an_exact_linked_match_is_warned_about() {
    let new = |block: &str| {
        let o = review_of(&application()).decide(
            &serde_json::from_value(serde_json::json!({
                "blocks": { block: { "state": "new" } }
            }))
            .unwrap(),
        );
        o.blocks.into_iter().find(|b| b.block == block).unwrap().warnings
    };
    expect![[r#"
        [
            "María García (contact 501) is already this student's contact under this name: a new contact creates a second person in PowerSchool",
        ]
    "#]].assert_debug_eq(&new("contact1"));
    // Not when staff said the linked person is someone else first.
    let mut d = ContactDecisions::default();
    let b = d.blocks.entry("contact1".into()).or_default();
    b.apply(MatchAction::Reject(PersonId(501)));
    b.apply(MatchAction::New);
    let o = review_of(&application()).decide(&d);
    assert!(o.blocks[0].warnings.is_empty(), "{:?}", o.blocks[0].warnings);
}

#[test]
fn nothing_decided() {
    check(
        serde_json::json!({}),
        expect![[r#"
            contact1 Undecided person None Update position Some(1) data access false
            contact2 Undecided person None Update position Some(2) data access false
            contact3 New person None Update position Some(3) data access false
              email1: rosa@example.com (Current) | - -> Add
              phone1: 555 201 5555 (Home) | - -> Add as Home
              address1: 4 Oak Ave, Hudson Wisconsin 54016 (Home) | - -> Add
            existing 501 María García Update position None
              allowed [Update]
              may be contact1: once, in the order as that block
            existing 502 José García Update position None
              allowed [Update]
              may be contact2: once, in the order as that block
            existing 503 Bo Tío Update position Some(4)
            order [Block("contact1"), Block("contact2"), Block("contact3"), Person(503)]
            BLOCKER [Some("contact1") None None] a possible match: confirm one of the candidates or reject them
            BLOCKER [Some("contact2") None None] a possible match: confirm one of the candidates or reject them
        "#]],
    );
}

#[test]
fn confirmed_with_defaults() {
    check(
        serde_json::json!({"blocks": {
            "contact1": {"state": {"confirmed": 501}, "fields": {"phone1": {"phone_type": "Mobile"}}},
            "contact2": {"state": {"confirmed": 502}}
        }}),
        expect![[r#"
            contact1 Confirmed(501) person Some(501) Update position Some(1) data access true
              email1: maria.garcia@example.com (Current) | maria@example.com (Current) -> Update
              email2: - | mg@work.example (Additional) -> Keep
              phone1: (555) 201-3344 (Mobile) | 555-201-3344 (Home) (same) (type mismatch) -> Update as Mobile
              phone2: - | 555-201-9999 (Work) -> Keep
              address1: 12 Elm St, Springfield MN 55401 (Home) | 12 Elm St, Springfield MN 55401 (Home) (same) -> Keep
              warning: this changes María García for Leo García (100235) too
            contact2 Confirmed(502) person Some(502) Update position Some(2) data access false
              email1: jose@example.com (Current) | jose@example.com (Current) (same) -> Keep
              phone1: 555-201-7777 (Mobile) | 555-201-7777 (Mobile) (same) -> Keep
            contact3 New person None Update position Some(3) data access false
              email1: rosa@example.com (Current) | - -> Add
              phone1: 555 201 5555 (Home) | - -> Add as Home
              address1: 4 Oak Ave, Hudson Wisconsin 54016 (Home) | - -> Add
            existing 503 Bo Tío Update position Some(4)
            order [Block("contact1"), Block("contact2"), Block("contact3"), Person(503)]
            follow-up: after the import, give María García (contact 501) data access to student 100234 in PowerSchool with the parent portal email maria.garcia@example.com: the Student Contacts import has no column for it
            | Contact ID=501 First Name=María Last Name=García Is Active=1 Email Address=maria.garcia@example.com Contact Email Address ID=71 Email Type=Current Is Primary Email Address=1 phoneNumberAsEntered=555-201-3344 Contact Phone Number ID=81 Phone Type=Mobile Phone Number Priority Order=1 Is Preferred=1 Is SMS=0 studentNumber=100234 Contact Priority Order=1 Student Contact ID=901 Student Contact Detail ID=911 Relationship Type=Mother Contact Has Custody=1 Contact Lives With=1 Contact Allow School Pickup=1 Is Emergency Contact=1 Contact Receives Mailings=1
            | Contact ID=502 First Name=José Last Name=García Is Active=1 studentNumber=100234 Contact Priority Order=2 Student Contact ID=902 Student Contact Detail ID=912 Relationship Type=Father Contact Has Custody=1 Contact Lives With=1 Contact Allow School Pickup=1 Is Emergency Contact=1 Contact Receives Mailings=1
            | New Contact Identifier=APP-7-contact3 First Name=Rosa Last Name=Díaz Is Active=1 Email Address=rosa@example.com Email Type=Current Is Primary Email Address=1 phoneNumberAsEntered=555-201-5555 Phone Type=Home Phone Number Priority Order=1 Is Preferred=0 Is SMS=0 Street=4 Oak Ave City=Hudson State=WI Postal Code=54016 Address Type=Home Address Priority Order=1 studentNumber=100234 Contact Priority Order=3 Relationship Type=Grandparent Contact Has Custody=0 Contact Lives With=0 Contact Allow School Pickup=0 Is Emergency Contact=0 Contact Receives Mailings=0
        "#]],
    );
}

#[test]
fn phone_type_mismatch_blocks_until_chosen() {
    check(
        serde_json::json!({"blocks": {
            "contact1": {"state": {"confirmed": 501}},
            "contact2": {"state": {"confirmed": 502}}
        }}),
        expect![[r#"
            contact1 Confirmed(501) person Some(501) Update position Some(1) data access true
              email1: maria.garcia@example.com (Current) | maria@example.com (Current) -> Update
              email2: - | mg@work.example (Additional) -> Keep
              phone1: (555) 201-3344 (Mobile) | 555-201-3344 (Home) (same) (type mismatch) -> Update
              phone2: - | 555-201-9999 (Work) -> Keep
              address1: 12 Elm St, Springfield MN 55401 (Home) | 12 Elm St, Springfield MN 55401 (Home) (same) -> Keep
              warning: this changes María García for Leo García (100235) too
            contact2 Confirmed(502) person Some(502) Update position Some(2) data access false
              email1: jose@example.com (Current) | jose@example.com (Current) (same) -> Keep
              phone1: 555-201-7777 (Mobile) | 555-201-7777 (Mobile) (same) -> Keep
            contact3 New person None Update position Some(3) data access false
              email1: rosa@example.com (Current) | - -> Add
              phone1: 555 201 5555 (Home) | - -> Add as Home
              address1: 4 Oak Ave, Hudson Wisconsin 54016 (Home) | - -> Add
            existing 503 Bo Tío Update position Some(4)
            order [Block("contact1"), Block("contact2"), Block("contact3"), Person(503)]
            follow-up: after the import, give María García (contact 501) data access to student 100234 in PowerSchool with the parent portal email maria.garcia@example.com: the Student Contacts import has no column for it
            BLOCKER [Some("contact1") None Some("phone1")] phone type mismatch: Mobile on the form, Home in PowerSchool: choose the phone type
        "#]],
    );
}

#[test]
fn both_are_correct_and_removals() {
    check(
        serde_json::json!({"blocks": {
            "contact1": {"state": {"confirmed": 501}, "fields": {
                "email1": {"action": "add"},
                "email2": {"action": "remove"},
                "phone1": {"action": "keep"},
                "phone2": {"action": "remove"}
            }},
            "contact2": {"state": {"confirmed": 502}, "option": "do_not_update"},
            "contact3": {"option": "do_not_update"}
        }}),
        expect![[r#"
            contact1 Confirmed(501) person Some(501) Update position Some(1) data access true
              email1: maria.garcia@example.com (Current) | maria@example.com (Current) -> Add
              email2: - | mg@work.example (Additional) -> Remove
              phone1: (555) 201-3344 (Mobile) | 555-201-3344 (Home) (same) (type mismatch) -> Keep
              phone2: - | 555-201-9999 (Work) -> Remove
              address1: 12 Elm St, Springfield MN 55401 (Home) | 12 Elm St, Springfield MN 55401 (Home) (same) -> Keep
              warning: this changes María García for Leo García (100235) too
            contact2 Confirmed(502) person Some(502) DoNotUpdate position Some(2) data access false
            contact3 New person None DoNotUpdate position None data access false
            existing 503 Bo Tío Update position Some(3)
            order [Block("contact1"), Block("contact2"), Person(503)]
            follow-up: after the import, give María García (contact 501) data access to student 100234 in PowerSchool with the parent portal email maria@example.com: the Student Contacts import has no column for it
            | Contact ID=501 First Name=María Last Name=García Is Active=1 Email Address=maria.garcia@example.com Email Type=Current Is Primary Email Address=0 phoneNumberAsEntered=#delete Contact Phone Number ID=82 studentNumber=100234 Contact Priority Order=1 Student Contact ID=901 Student Contact Detail ID=911 Relationship Type=Mother Contact Has Custody=1 Contact Lives With=1 Contact Allow School Pickup=1 Is Emergency Contact=1 Contact Receives Mailings=1
            | Contact ID=501 First Name=María Last Name=García Is Active=1 Email Address=#delete Contact Email Address ID=72 studentNumber=100234 Contact Priority Order=1 Student Contact ID=901 Student Contact Detail ID=911 Relationship Type=Mother Contact Has Custody=1 Contact Lives With=1 Contact Allow School Pickup=1 Is Emergency Contact=1 Contact Receives Mailings=1
        "#]],
    );
}

#[test]
fn unlink_expire_and_order() {
    check(
        serde_json::json!({
            "blocks": {
                "contact1": {"state": {"confirmed": 501}, "option": {"expire": {"end_date": "2026-08-14"}}},
                "contact2": {"state": {"confirmed": 502}, "option": "unlink"}
            },
            "existing": {"503": "do_not_update"},
            "order": [{"block": "contact3"}, {"person": 503}, {"person": 501}, {"person": 77}]
        }),
        expect![[r#"
            contact1 Confirmed(501) person Some(501) Expire { end_date: Some(Date { year: 2026, month: 8, day: 14 }) } position Some(3) data access false
            contact2 Confirmed(502) person Some(502) Unlink position None data access false
            contact3 New person None Update position Some(1) data access false
              email1: rosa@example.com (Current) | - -> Add
              phone1: 555 201 5555 (Home) | - -> Add as Home
              address1: 4 Oak Ave, Hudson Wisconsin 54016 (Home) | - -> Add
            existing 503 Bo Tío DoNotUpdate position Some(2)
            order [Block("contact3"), Person(503), Block("contact1")]
            warning: Person(77) in the order is not a contact of this application: ignored
            | Contact ID=502 First Name=José Last Name=García Is Active=1 studentNumber=#delete Student Contact ID=902
            | New Contact Identifier=APP-7-contact3 First Name=Rosa Last Name=Díaz Is Active=1 Email Address=rosa@example.com Email Type=Current Is Primary Email Address=1 phoneNumberAsEntered=555-201-5555 Phone Type=Home Phone Number Priority Order=1 Is Preferred=0 Is SMS=0 Street=4 Oak Ave City=Hudson State=WI Postal Code=54016 Address Type=Home Address Priority Order=1 studentNumber=100234 Contact Priority Order=1 Relationship Type=Grandparent Contact Has Custody=0 Contact Lives With=0 Contact Allow School Pickup=0 Is Emergency Contact=0 Contact Receives Mailings=0
            | Contact ID=501 First Name=María Last Name=García Is Active=1 studentNumber=100234 Contact Priority Order=3 Student Contact ID=901 Student Contact Detail ID=#new Relationship Type=Mother Relationship End Date=08/14/2026 Contact Has Custody=1 Contact Lives With=1 Contact Allow School Pickup=1 Is Emergency Contact=1 Contact Receives Mailings=1
        "#]],
    );
}

#[test]
fn expiring_needs_a_valid_date_and_a_link() {
    check(
        serde_json::json!({
            "blocks": {
                "contact1": {"state": {"confirmed": 501}, "option": {"expire": {"end_date": null}}},
                "contact2": {"state": {"confirmed": 502}, "option": {"expire": {"end_date": "2019-01-01"}}},
                "contact3": {"option": "unlink"}
            },
            "existing": {"503": {"expire": {"end_date": "2026-08-31"}}}
        }),
        expect![[r#"
            contact1 Confirmed(501) person Some(501) Expire { end_date: None } position Some(1) data access false
            contact2 Confirmed(502) person Some(502) Expire { end_date: Some(Date { year: 2019, month: 1, day: 1 }) } position Some(2) data access false
            contact3 New person None Unlink position None data access false
            existing 503 Bo Tío Expire { end_date: Some(Date { year: 2026, month: 8, day: 31 }) } position Some(3)
            order [Block("contact1"), Block("contact2"), Person(503)]
            BLOCKER [Some("contact1") None Some("Relationship End Date")] choose the date María García stops being a contact
            BLOCKER [Some("contact2") None Some("Relationship End Date")] the end date 01/01/2019 is before the relationship started (08/20/2020)
            BLOCKER [Some("contact3") None None] unlink and expire apply only to an existing contact of this student
        "#]],
    );
}

#[test]
fn one_person_two_blocks_and_undecided() {
    check(
        serde_json::json!({"blocks": {
            "contact1": {"state": {"confirmed": 502}},
            "contact2": {"state": {"confirmed": 502}},
            "contact3": {"state": {"confirmed": 504}}
        }}),
        expect![[r#"
            contact1 Confirmed(502) person Some(502) Update position Some(1) data access true
              email1: maria.garcia@example.com (Current) | jose@example.com (Current) -> Update
              phone1: (555) 201-3344 (Mobile) | 555-201-7777 (Mobile) -> Update as Mobile
              address1: 12 Elm St, Springfield MN 55401 (Home) | - -> Add
              warning: José García is not a match for this block (Maria Garcia): updating writes this block's emails, phones, addresses and relationship onto them; to change the order, use the contact order instead
              warning: the relationship changes from Father to Mother
            contact2 Confirmed(502) person Some(502) Update position Some(2) data access false
              email1: jose@example.com (Current) | jose@example.com (Current) (same) -> Keep
              phone1: 555-201-7777 (Mobile) | 555-201-7777 (Mobile) (same) -> Keep
            contact3 Confirmed(504) person None Update position Some(3) data access false
            existing 501 María García Update position Some(4)
            existing 503 Bo Tío Update position Some(5)
            order [Block("contact1"), Block("contact2"), Block("contact3"), Person(501), Person(503)]
            follow-up: after the import, give José García (contact 502) data access to student 100234 in PowerSchool with the parent portal email maria.garcia@example.com: the Student Contacts import has no column for it
            BLOCKER [Some("contact3") None None] person 504 is neither a candidate nor a contact of this student
            BLOCKER [Some("contact1") Some(502) None] José García is also confirmed for contact2: one person cannot be two contacts; confirm someone else or choose New
            BLOCKER [Some("contact2") Some(502) None] José García is also confirmed for contact1: one person cannot be two contacts; confirm someone else or choose New
        "#]],
    );
}

#[test]
fn choosing_another_person_keeps_the_first_one() {
    // contact1 confirmed as Tío Bo: María stays a contact, untouched.
    check(
        serde_json::json!({"blocks": {
            "contact1": {"state": {"confirmed": 503}, "data_access": false, "fields": {"phone1": {"phone_type": "Home"}}},
            "contact2": {"state": {"rejected": [502]}, "option": "do_not_update"}
        }}),
        expect![[r#"
            contact1 Confirmed(503) person Some(503) Update position Some(1) data access false
              email1: maria.garcia@example.com (Current) | - -> Add
              phone1: (555) 201-3344 (Mobile) | - -> Add as Home
              address1: 12 Elm St, Springfield MN 55401 (Home) | - -> Add
              warning: Bo Tío is not a match for this block (Maria Garcia): updating writes this block's emails, phones, addresses and relationship onto them; to change the order, use the contact order instead
              warning: the relationship changes from Uncle to Mother
            contact2 Rejected([502]) person None DoNotUpdate position None data access false
            contact3 New person None Update position Some(2) data access false
              email1: rosa@example.com (Current) | - -> Add
              phone1: 555 201 5555 (Home) | - -> Add as Home
              address1: 4 Oak Ave, Hudson Wisconsin 54016 (Home) | - -> Add
            existing 501 María García Update position Some(3)
            existing 502 José García Update position Some(4)
            order [Block("contact1"), Block("contact3"), Person(501), Person(502)]
            | Contact ID=503 First Name=Bo Last Name=Tío Is Active=1 Email Address=maria.garcia@example.com Email Type=Current Is Primary Email Address=1 phoneNumberAsEntered=555-201-3344 Phone Type=Home Phone Number Priority Order=1 Is Preferred=0 Is SMS=0 Street=12 Elm St City=Springfield State=MN Postal Code=55401 Address Type=Home Address Priority Order=1 studentNumber=100234 Contact Priority Order=1 Student Contact ID=903 Student Contact Detail ID=913 Relationship Type=Mother Contact Has Custody=1 Contact Lives With=1 Contact Allow School Pickup=1 Is Emergency Contact=1 Contact Receives Mailings=0
            | New Contact Identifier=APP-7-contact3 First Name=Rosa Last Name=Díaz Is Active=1 Email Address=rosa@example.com Email Type=Current Is Primary Email Address=1 phoneNumberAsEntered=555-201-5555 Phone Type=Home Phone Number Priority Order=1 Is Preferred=0 Is SMS=0 Street=4 Oak Ave City=Hudson State=WI Postal Code=54016 Address Type=Home Address Priority Order=1 studentNumber=100234 Contact Priority Order=2 Relationship Type=Grandparent Contact Has Custody=0 Contact Lives With=0 Contact Allow School Pickup=0 Is Emergency Contact=0 Contact Receives Mailings=0
        "#]],
    );
}

#[test]
fn data_access_needs_an_unused_email() {
    let mut app = application();
    app.contacts[2].fields.insert("data_access".into(), "1".into());
    app.contacts[2].fields.insert("email".into(), "SHARED@example.com".into());
    app.contacts[1].fields.insert("data_access".into(), "maybe".into());
    check_app(
        &app,
        serde_json::json!({"blocks": {
            "contact1": {"state": {"confirmed": 501}, "fields": {"phone1": {"phone_type": "Mobile"}, "email1": {"action": "keep"}}},
            "contact2": {"state": {"confirmed": 502}}
        }}),
        expect![[r#"
            contact1 Confirmed(501) person Some(501) Update position Some(1) data access true
              email1: maria.garcia@example.com (Current) | maria@example.com (Current) -> Keep
              email2: - | mg@work.example (Additional) -> Keep
              phone1: (555) 201-3344 (Mobile) | 555-201-3344 (Home) (same) (type mismatch) -> Update as Mobile
              phone2: - | 555-201-9999 (Work) -> Keep
              address1: 12 Elm St, Springfield MN 55401 (Home) | 12 Elm St, Springfield MN 55401 (Home) (same) -> Keep
              warning: this changes María García for Leo García (100235) too
            contact2 Confirmed(502) person Some(502) Update position Some(2) data access false
              email1: jose@example.com (Current) | jose@example.com (Current) (same) -> Keep
              phone1: 555-201-7777 (Mobile) | 555-201-7777 (Mobile) (same) -> Keep
            contact3 New person None Update position Some(3) data access true
              email1: SHARED@example.com (Current) | - -> Add
              phone1: 555 201 5555 (Home) | - -> Add as Home
              address1: 4 Oak Ave, Hudson Wisconsin 54016 (Home) | - -> Add
            existing 503 Bo Tío Update position Some(4)
            order [Block("contact1"), Block("contact2"), Block("contact3"), Person(503)]
            follow-up: after the import, give María García (contact 501) data access to student 100234 in PowerSchool with the parent portal email maria@example.com: the Student Contacts import has no column for it
            follow-up: after the import, give Rosa Díaz (the new contact from contact3) data access to student 100234 in PowerSchool: the Student Contacts import has no column for it
            BLOCKER [Some("contact2") None Some("Data Access")] data access "maybe" is not yes or no: choose
            BLOCKER [Some("contact3") None Some("Data Access")] SHARED@example.com is already used by parent portal account carmen.r: data access needs an email no other account uses
        "#]],
    );
}

#[test]
fn invalid_values_block_with_their_field() {
    let mut app = application();
    let c3 = &mut app.contacts[2].fields;
    c3.insert("email".into(), "rosa@".into());
    c3.insert("home_phone".into(), "555-2013".into());
    c3.insert("state".into(), "Atlantis".into());
    c3.insert("relationship".into(), "Godmother".into());
    c3.insert("first_name".into(), "Ro\tsa".into());
    check_app(
        &app,
        serde_json::json!({"blocks": {
            "contact1": {"state": {"confirmed": 501}, "option": "do_not_update"},
            "contact2": {"state": {"confirmed": 502}, "option": "do_not_update", "fields": {"email1": {"action": "update"}}}
        }}),
        expect![[r#"
            contact1 Confirmed(501) person Some(501) DoNotUpdate position Some(1) data access false
            contact2 Confirmed(502) person Some(502) DoNotUpdate position Some(2) data access false
            contact3 New person None Update position Some(3) data access false
              email1: rosa@ (Current) | - -> Add
              phone1: 555-2013 (Home) | - -> Add
              address1: 4 Oak Ave, Hudson Atlantis 54016 (Home) | - -> Add
            existing 503 Bo Tío Update position Some(4)
            order [Block("contact1"), Block("contact2"), Block("contact3"), Person(503)]
            BLOCKER [Some("contact3") None Some("email1")] "rosa@" is not a valid email: correct it or do not update
            BLOCKER [Some("contact3") None Some("phone1")] "555-2013" is not a valid phone number: correct it or do not update
            BLOCKER [Some("contact3") None Some("address1")] state "Atlantis" is not in the district's CodeSet
            BLOCKER [Some("contact3") None Some("Relationship Type")] relationship "Godmother" is not one of Mother, Father, Uncle, Grandparent
            BLOCKER [Some("contact3") None Some("First Name")] the contacts file would be refused: the value "Ro\tsa" holds a tab, which would break the tab-delimited file
        "#]],
    );
}

#[test]
fn decisions_round_trip_as_json() {
    let d: ContactDecisions = serde_json::from_value(serde_json::json!({
        "blocks": {"contact1": {"state": {"confirmed": 501}, "option": {"expire": {"end_date": "2026-08-14"}},
            "fields": {"phone1": {"action": "update", "phone_type": "Mobile"}}, "data_access": true}},
        "existing": {"503": "unlink"},
        "order": [{"block": "contact1"}, {"person": 503}]
    }))
    .unwrap();
    let text = serde_json::to_string(&d).unwrap();
    expect![[r#"{"blocks":{"contact1":{"state":{"confirmed":501},"option":{"expire":{"end_date":"2026-08-14"}},"fields":{"phone1":{"action":"update","phone_type":"Mobile"}},"data_access":true,"portal_email":null,"also_rejected":[]}},"existing":{"503":"unlink"},"order":[{"block":"contact1"},{"person":503}]}"#]].assert_eq(&text);
    assert_eq!(serde_json::from_str::<ContactDecisions>(&text).unwrap(), d);
}

#[test]
fn new_phones_get_a_free_priority_and_one_primary_email() {
    let mut app = application();
    app.contacts[1].fields.insert("home_phone".into(), "555-201-8888".into());
    app.contacts[1].fields.insert("email".into(), "jg@example.org".into());
    check_app(
        &app,
        serde_json::json!({"blocks": {
            "contact1": {"state": {"confirmed": 501}, "option": "do_not_update"},
            "contact2": {"state": {"confirmed": 502}, "fields": {"email1": {"action": "add"}}},
            "contact3": {"option": "do_not_update"}
        }}),
        expect![[r#"
            contact1 Confirmed(501) person Some(501) DoNotUpdate position Some(1) data access false
            contact2 Confirmed(502) person Some(502) Update position Some(2) data access false
              email1: jg@example.org (Current) | jose@example.com (Current) -> Add
              phone1: 555-201-7777 (Mobile) | 555-201-7777 (Mobile) (same) -> Keep
              phone2: 555-201-8888 (Home) | - -> Add as Home
            contact3 New person None DoNotUpdate position None data access false
            existing 503 Bo Tío Update position Some(3)
            order [Block("contact1"), Block("contact2"), Person(503)]
            | Contact ID=502 First Name=José Last Name=García Is Active=1 Email Address=jg@example.org Email Type=Current Is Primary Email Address=0 phoneNumberAsEntered=555-201-8888 Phone Type=Home Phone Number Priority Order=2 Is Preferred=0 Is SMS=0 studentNumber=100234 Contact Priority Order=2 Student Contact ID=902 Student Contact Detail ID=912 Relationship Type=Father Contact Has Custody=1 Contact Lives With=1 Contact Allow School Pickup=1 Is Emergency Contact=1 Contact Receives Mailings=1
        "#]],
    );
    check_app(
        &app,
        serde_json::json!({"blocks": {
            "contact1": {"state": {"confirmed": 501}, "option": "do_not_update"},
            "contact2": {"state": {"confirmed": 502}, "fields": {"email1": {"action": "remove"}}},
            "contact3": {"option": "do_not_update"}
        }}),
        expect![[r#"
            contact1 Confirmed(501) person Some(501) DoNotUpdate position Some(1) data access false
            contact2 Confirmed(502) person Some(502) Update position Some(2) data access false
              email1: jg@example.org (Current) | jose@example.com (Current) -> Remove
              phone1: 555-201-7777 (Mobile) | 555-201-7777 (Mobile) (same) -> Keep
              phone2: 555-201-8888 (Home) | - -> Add as Home
            contact3 New person None DoNotUpdate position None data access false
            existing 503 Bo Tío Update position Some(3)
            order [Block("contact1"), Block("contact2"), Person(503)]
            | Contact ID=502 First Name=José Last Name=García Is Active=1 Email Address=#delete Contact Email Address ID=73 phoneNumberAsEntered=555-201-8888 Phone Type=Home Phone Number Priority Order=2 Is Preferred=0 Is SMS=0 studentNumber=100234 Contact Priority Order=2 Student Contact ID=902 Student Contact Detail ID=912 Relationship Type=Father Contact Has Custody=1 Contact Lives With=1 Contact Allow School Pickup=1 Is Emergency Contact=1 Contact Receives Mailings=1
        "#]],
    );
}

#[test]
fn a_mapping_for_the_combination_sets_the_default_order() {
    let mut m = mappings();
    m.contact_order = vec![
        // Not this application's combination (it fills in three blocks).
        ContactOrderMapping { order: vec!["contact2".into(), "contact1".into()] },
        ContactOrderMapping { order: vec!["contact3".into(), "contact2".into(), "contact1".into()] },
    ];
    let decisions = serde_json::json!({"blocks": {
        "contact1": {"state": {"confirmed": 501}, "option": "do_not_update"},
        "contact2": {"state": {"confirmed": 502}, "option": "do_not_update"}
    }});
    // María and José keep their details but move behind the new Rosa:
    // José's row carries his position; María follows by herself.
    check_with(
        &snapshot(),
        &application(),
        &m,
        decisions.clone(),
        expect![[r#"
            contact1 Confirmed(501) person Some(501) DoNotUpdate position Some(3) data access false
            contact2 Confirmed(502) person Some(502) DoNotUpdate position Some(2) data access false
            contact3 New person None Update position Some(1) data access false
              email1: rosa@example.com (Current) | - -> Add
              phone1: 555 201 5555 (Home) | - -> Add as Home
              address1: 4 Oak Ave, Hudson Wisconsin 54016 (Home) | - -> Add
            existing 503 Bo Tío Update position Some(4)
            order mapping ["contact3", "contact2", "contact1"]
            order [Block("contact3"), Block("contact2"), Block("contact1"), Person(503)]
            | New Contact Identifier=APP-7-contact3 First Name=Rosa Last Name=Díaz Is Active=1 Email Address=rosa@example.com Email Type=Current Is Primary Email Address=1 phoneNumberAsEntered=555-201-5555 Phone Type=Home Phone Number Priority Order=1 Is Preferred=0 Is SMS=0 Street=4 Oak Ave City=Hudson State=WI Postal Code=54016 Address Type=Home Address Priority Order=1 studentNumber=100234 Contact Priority Order=1 Relationship Type=Grandparent Contact Has Custody=0 Contact Lives With=0 Contact Allow School Pickup=0 Is Emergency Contact=0 Contact Receives Mailings=0
            | Contact ID=502 First Name=José Last Name=García Is Active=1 studentNumber=100234 Contact Priority Order=2 Student Contact ID=902 Student Contact Detail ID=912 Relationship Type=Father Relationship Start Date=08/20/2020 Contact Has Custody=1 Contact Lives With=1 Contact Allow School Pickup=1 Is Emergency Contact=1 Contact Receives Mailings=1
        "#]],
    );
    // With only two blocks filled in, the other mapping applies.
    let mut app = application();
    app.contacts[2].fields.clear();
    check_with(
        &snapshot(),
        &app,
        &m,
        decisions,
        expect![[r#"
            contact1 Confirmed(501) person Some(501) DoNotUpdate position Some(2) data access false
            contact2 Confirmed(502) person Some(502) DoNotUpdate position Some(1) data access false
            contact3 New person None DoNotUpdate position None data access false
              warning: the block is empty: nothing to write
            existing 503 Bo Tío Update position Some(3)
            order mapping ["contact2", "contact1"]
            order [Block("contact2"), Block("contact1"), Person(503)]
            | Contact ID=502 First Name=José Last Name=García Is Active=1 studentNumber=100234 Contact Priority Order=1 Student Contact ID=902 Student Contact Detail ID=912 Relationship Type=Father Relationship Start Date=08/20/2020 Contact Has Custody=1 Contact Lives With=1 Contact Allow School Pickup=1 Is Emergency Contact=1 Contact Receives Mailings=1
        "#]],
    );
}

#[test]
fn moving_a_kept_contact_writes_only_its_position() {
    // Bo moves to the top; nothing else changes: one row, his link as it is.
    check(
        serde_json::json!({
            "blocks": {
                "contact1": {"state": {"confirmed": 501}, "option": "do_not_update"},
                "contact2": {"state": {"confirmed": 502}, "option": "do_not_update"},
                "contact3": {"option": "do_not_update"}
            },
            "order": [{"person": 503}]
        }),
        expect![[r#"
            contact1 Confirmed(501) person Some(501) DoNotUpdate position Some(2) data access false
            contact2 Confirmed(502) person Some(502) DoNotUpdate position Some(3) data access false
            contact3 New person None DoNotUpdate position None data access false
            existing 503 Bo Tío Update position Some(1)
            order [Person(503), Block("contact1"), Block("contact2")]
            | Contact ID=503 First Name=Bo Last Name=Tío Is Active=1 studentNumber=100234 Contact Priority Order=1 Student Contact ID=903 Student Contact Detail ID=913 Relationship Type=Uncle Relationship Start Date=08/20/2020 Contact Has Custody=1 Contact Lives With=0 Contact Allow School Pickup=1 Is Emergency Contact=1 Contact Receives Mailings=0
        "#]],
    );
}

#[test]
fn an_expired_contact_another_block_matches_is_unused() {
    // The form's contact1 is not María (rejected: a new contact); María is
    // expired among the other contacts, yet contact1 still lists her.
    check(
        serde_json::json!({
            "blocks": {
                "contact1": {"state": {"rejected": [501]}, "option": "do_not_update"},
                "contact2": {"state": {"confirmed": 502}, "option": "do_not_update"},
                "contact3": {"option": "do_not_update"}
            },
            "existing": {"501": {"expire": {"end_date": "2026-08-14"}}}
        }),
        expect![[r#"
            contact1 Rejected([501]) person None DoNotUpdate position None data access false
            contact2 Confirmed(502) person Some(502) DoNotUpdate position Some(1) data access false
            contact3 New person None DoNotUpdate position None data access false
            existing 501 María García Expire { end_date: Some(Date { year: 2026, month: 8, day: 14 }) } position Some(3)
            existing 503 Bo Tío Update position Some(2)
            order [Block("contact2"), Person(503), Person(501)]
            unused 501 María García ends Some("08/14/2026") matches ["contact1"]
            | Contact ID=501 First Name=María Last Name=García Is Active=1 studentNumber=100234 Contact Priority Order=3 Student Contact ID=901 Student Contact Detail ID=#new Relationship Type=Mother Relationship End Date=08/14/2026 Contact Has Custody=1 Contact Lives With=1 Contact Allow School Pickup=1 Is Emergency Contact=1 Contact Receives Mailings=1
        "#]],
    );
}

#[test]
fn an_ended_relationship_cannot_be_expired_again_and_goes_last() {
    let mut s = snapshot();
    // Bo's relationship ended last year; he is first in PowerSchool's order.
    let d = s.student_contact_details.iter_mut().find(|d| d.student_contact_id == ContactAssocId(903)).unwrap();
    d.end_date = Some(date("2025-06-30"));
    s.student_contacts.iter_mut().find(|c| c.id == ContactAssocId(903)).unwrap().priority_order = Some(0);
    let keep_all = serde_json::json!({"blocks": {
        "contact1": {"state": {"confirmed": 501}, "option": "do_not_update"},
        "contact2": {"state": {"confirmed": 502}, "option": "do_not_update"},
        "contact3": {"option": "do_not_update"}
    }});
    let mut expire_bo = keep_all.clone();
    expire_bo["existing"] = serde_json::json!({"503": {"expire": {"end_date": "2026-08-14"}}});
    check_with(
        &s,
        &application(),
        &mappings(),
        expire_bo,
        expect![[r#"
            contact1 Confirmed(501) person Some(501) DoNotUpdate position Some(1) data access false
            contact2 Confirmed(502) person Some(502) DoNotUpdate position Some(2) data access false
            contact3 New person None DoNotUpdate position None data access false
            existing 503 Bo Tío (ended) Expire { end_date: Some(Date { year: 2026, month: 8, day: 14 }) } position Some(3)
              allowed [Update, Unlink]
            order [Block("contact1"), Block("contact2"), Person(503)]
            BLOCKER [None Some(503) None] Bo Tío's relationship has already ended
        "#]],
    );
    // Kept as it is, he goes to the end: María and José's rows say so.
    check_with(
        &s,
        &application(),
        &mappings(),
        keep_all,
        expect![[r#"
            contact1 Confirmed(501) person Some(501) DoNotUpdate position Some(1) data access false
            contact2 Confirmed(502) person Some(502) DoNotUpdate position Some(2) data access false
            contact3 New person None DoNotUpdate position None data access false
            existing 503 Bo Tío (ended) Update position Some(3)
              allowed [Update, Unlink]
            order [Block("contact1"), Block("contact2"), Person(503)]
            | Contact ID=501 First Name=María Last Name=García Is Active=1 studentNumber=100234 Contact Priority Order=1 Student Contact ID=901 Student Contact Detail ID=911 Relationship Type=Mother Relationship Start Date=08/20/2020 Contact Has Custody=1 Contact Lives With=1 Contact Allow School Pickup=1 Is Emergency Contact=1 Contact Receives Mailings=1
            | Contact ID=502 First Name=José Last Name=García Is Active=1 studentNumber=100234 Contact Priority Order=2 Student Contact ID=902 Student Contact Detail ID=912 Relationship Type=Father Relationship Start Date=08/20/2020 Contact Has Custody=1 Contact Lives With=1 Contact Allow School Pickup=1 Is Emergency Contact=1 Contact Receives Mailings=1
        "#]],
    );
}

#[test]
fn data_access_is_a_follow_up_in_powerschool() {
    check(
        serde_json::json!({"blocks": {
            "contact1": {"state": {"confirmed": 501}, "fields": {"phone1": {"phone_type": "Mobile"}}},
            "contact2": {"state": {"confirmed": 502}, "option": "do_not_update"},
            "contact3": {"data_access": true}
        }}),
        expect![[r#"
            contact1 Confirmed(501) person Some(501) Update position Some(1) data access true
              email1: maria.garcia@example.com (Current) | maria@example.com (Current) -> Update
              email2: - | mg@work.example (Additional) -> Keep
              phone1: (555) 201-3344 (Mobile) | 555-201-3344 (Home) (same) (type mismatch) -> Update as Mobile
              phone2: - | 555-201-9999 (Work) -> Keep
              address1: 12 Elm St, Springfield MN 55401 (Home) | 12 Elm St, Springfield MN 55401 (Home) (same) -> Keep
              warning: this changes María García for Leo García (100235) too
            contact2 Confirmed(502) person Some(502) DoNotUpdate position Some(2) data access false
            contact3 New person None Update position Some(3) data access true
              email1: rosa@example.com (Current) | - -> Add
              phone1: 555 201 5555 (Home) | - -> Add as Home
              address1: 4 Oak Ave, Hudson Wisconsin 54016 (Home) | - -> Add
            existing 503 Bo Tío Update position Some(4)
            order [Block("contact1"), Block("contact2"), Block("contact3"), Person(503)]
            follow-up: after the import, give María García (contact 501) data access to student 100234 in PowerSchool with the parent portal email maria.garcia@example.com: the Student Contacts import has no column for it
            follow-up: after the import, give Rosa Díaz (the new contact from contact3) data access to student 100234 in PowerSchool with the parent portal email rosa@example.com: the Student Contacts import has no column for it
            | Contact ID=501 First Name=María Last Name=García Is Active=1 Email Address=maria.garcia@example.com Contact Email Address ID=71 Email Type=Current Is Primary Email Address=1 phoneNumberAsEntered=555-201-3344 Contact Phone Number ID=81 Phone Type=Mobile Phone Number Priority Order=1 Is Preferred=1 Is SMS=0 studentNumber=100234 Contact Priority Order=1 Student Contact ID=901 Student Contact Detail ID=911 Relationship Type=Mother Contact Has Custody=1 Contact Lives With=1 Contact Allow School Pickup=1 Is Emergency Contact=1 Contact Receives Mailings=1
            | New Contact Identifier=APP-7-contact3 First Name=Rosa Last Name=Díaz Is Active=1 Email Address=rosa@example.com Email Type=Current Is Primary Email Address=1 phoneNumberAsEntered=555-201-5555 Phone Type=Home Phone Number Priority Order=1 Is Preferred=0 Is SMS=0 Street=4 Oak Ave City=Hudson State=WI Postal Code=54016 Address Type=Home Address Priority Order=1 studentNumber=100234 Contact Priority Order=3 Relationship Type=Grandparent Contact Has Custody=0 Contact Lives With=0 Contact Allow School Pickup=0 Is Emergency Contact=0 Contact Receives Mailings=0
        "#]],
    );
}

#[test]
fn staff_choose_the_parent_portal_email() {
    // María keeps her work email and gets the form's new one: staff pick the
    // work email for the portal; then one she will no longer have.
    let base = serde_json::json!({
        "contact1": {"state": {"confirmed": 501}, "data_access": true, "portal_email": "MG@work.example",
            "fields": {"phone1": {"phone_type": "Mobile"}}},
        "contact2": {"state": {"confirmed": 502}, "option": "do_not_update"},
        "contact3": {"option": "do_not_update"}
    });
    let render_access = |blocks: serde_json::Value| {
        let d: ContactDecisions = serde_json::from_value(serde_json::json!({"blocks": blocks})).unwrap();
        let o = review_of(&application()).decide(&d);
        let b = &o.blocks[0];
        let mut out = format!("choices {:?}\nportal email {:?}\n", b.portal_email_choices, b.portal_email);
        for x in &o.blockers {
            out += &format!("BLOCKER [{:?}] {}\n", x.field, x.message);
        }
        for f in &o.follow_ups {
            out += &format!("follow-up: {f}\n");
        }
        out
    };
    expect![[r#"
        choices ["maria.garcia@example.com", "mg@work.example"]
        portal email Some("mg@work.example")
        follow-up: after the import, give María García (contact 501) data access to student 100234 in PowerSchool with the parent portal email mg@work.example: the Student Contacts import has no column for it
    "#]].assert_eq(&render_access(base.clone()));
    let mut gone = base;
    gone["contact1"]["portal_email"] = serde_json::json!("maria@example.com");
    expect![[r#"
        choices ["maria.garcia@example.com", "mg@work.example"]
        portal email None
        BLOCKER [Some("Data Access")] maria@example.com is not an email of this contact after the writeback: choose one of maria.garcia@example.com, mg@work.example
        follow-up: after the import, give María García (contact 501) data access to student 100234 in PowerSchool: the Student Contacts import has no column for it
    "#]].assert_eq(&render_access(gone));
}
