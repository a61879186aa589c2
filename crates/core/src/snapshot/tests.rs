//! Loader tests: a small valid district, then one corruption at a time,
//! checked through one `check` helper against the exact error lines.

use std::collections::BTreeMap;

use expect_test::{expect, Expect};

use super::*;
use crate::domain::{
    ContactAssocId, Date, PersonId, SchoolNumber, SectionId, StudentDcid, StudentId, StudentNumber, TermId,
};

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// A small valid snapshot touching every table.
pub(crate) fn sample() -> Snapshot {
    Snapshot {
        students: vec![Student {
            school_id: SchoolNumber(101),
            dob: Some(date("2012-03-04")),
            gender: "F".into(),
            grade_level: 8,
            street: "12 Elm St".into(),
            city: "Springfield".into(),
            state: "OR".into(),
            zip: "97477".into(),
            home_phone: "(555) 201-3344".into(),
            ..Student::named(StudentId(1), StudentDcid(11), StudentNumber::parse("1001").unwrap(), "Ana", "García")
        }],
        student_core_fields: vec![StudentCoreFields {
            students_dcid: StudentDcid(11),
            legal_first_name: "Ana".into(),
            legal_middle_name: "Lucía".into(),
            legal_last_name: "García".into(),
            legal_suffix: String::new(),
            legal_gender: "F".into(),
        }],
        student_extra_columns: vec![],
        extensions: vec![ExtensionTable {
            name: "U_StudentsUserFields".into(),
            columns: vec!["bus_route".into()],
            rows: BTreeMap::from([(StudentDcid(11), vec!["R7".into()])]),
        }],
        persons: vec![Person {
            id: PersonId(500),
            first_name: "María".into(),
            middle_name: String::new(),
            last_name: "García".into(),
            gender: "F".into(),
            is_active: true,
        }],
        email_addresses: vec![EmailAddress { id: 700, address: "maria@example.org".into() }],
        person_emails: vec![PersonEmailAddress {
            id: 800,
            person_id: PersonId(500),
            email_address_id: 700,
            email_type: Some(2),
            is_primary: true,
            priority_order: Some(1),
        }],
        phone_numbers: vec![PhoneNumber {
            id: 900,
            number: "5552013344".into(),
            extension: String::new(),
            as_entered: "555-201-3344".into(),
        }],
        person_phones: vec![PersonPhoneNumber {
            id: 910,
            person_id: PersonId(500),
            phone_number_id: 900,
            phone_type: Some(1),
            priority_order: Some(1),
            is_preferred: true,
            is_sms: false,
        }],
        addresses: vec![Address {
            id: 950,
            street: "12 Elm St".into(),
            line_two: String::new(),
            unit: String::new(),
            city: "Springfield".into(),
            state: Some(4),
            postal_code: "97477".into(),
        }],
        person_addresses: vec![PersonAddress {
            id: 960,
            person_id: PersonId(500),
            address_id: 950,
            address_type: Some(3),
            priority_order: Some(1),
            start_date: Some(date("2020-01-01")),
            end_date: None,
        }],
        student_contacts: vec![StudentContact {
            id: ContactAssocId(600),
            student_dcid: StudentDcid(11),
            person_id: PersonId(500),
            priority_order: Some(1),
            relationship_type: Some(5),
        }],
        student_contact_details: vec![StudentContactDetail {
            id: 610,
            student_contact_id: ContactAssocId(600),
            relationship_type: Some(5),
            is_active: true,
            start_date: Some(date("2020-01-01")),
            end_date: None,
            is_custodial: true,
            lives_with: true,
            school_pickup: true,
            is_emergency: false,
            receives_mail: true,
        }],
        code_sets: vec![
            code(1, "Phone", "Mobile"),
            code(2, "Email", "Current"),
            code(3, "Address", "Home"),
            code(4, "State", "OR"),
            code(5, "Relationship", "Mother"),
        ],
        portal_accounts: vec![PortalAccount {
            id: 40,
            username: "mgarcia".into(),
            email: "maria@example.org".into(),
            person_id: Some(PersonId(500)),
        }],
        portal_emails: vec![],
        schools: vec![School { school_number: SchoolNumber(101), name: "Lincoln Middle".into() }],
        terms: vec![Term {
            id: TermId(3600),
            school_id: SchoolNumber(101),
            name: "2026-2027".into(),
            abbreviation: "26-27".into(),
            first_day: date("2026-08-19"),
            last_day: date("2027-06-04"),
            year_id: 36,
            is_year: true,
        }],
        courses: vec![Course { course_number: "ENG8".into(), name: "English 8".into(), credit_hours: 1.0 }],
        sections: vec![Section {
            id: SectionId(3000),
            dcid: 3000,
            course_number: "ENG8".into(),
            section_number: "1".into(),
            school_id: SchoolNumber(101),
            term_id: TermId(3600),
            teacher: "Ruiz, Elena".into(),
            expression: "1(A)".into(),
            room: "B12".into(),
            max_enrollment: 28,
            enrolled: 27,
        }],
        enrollments: vec![CourseEnrollment {
            id: 1,
            student_id: StudentId(1),
            section_id: SectionId(3000),
            school_id: SchoolNumber(101),
            term_id: TermId(3600),
            course_number: "ENG8".into(),
            section_number: "1".into(),
            date_enrolled: date("2026-08-19"),
            date_left: date("2027-06-05"),
        }],
    }
}

fn code(id: i64, code_type: &str, value: &str) -> CodeSet {
    CodeSet { id, code_type: code_type.into(), code: value.into(), display_value: value.into() }
}

/// The sample's export files.
pub(crate) fn exports(s: &Snapshot) -> BTreeMap<String, Vec<u8>> {
    let files = std::rc::Rc::new(std::cell::RefCell::new(BTreeMap::new()));
    struct Sink(String, std::rc::Rc<std::cell::RefCell<BTreeMap<String, Vec<u8>>>>);
    impl std::io::Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.1.borrow_mut().entry(self.0.clone()).or_default().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let f = files.clone();
    s.export(&mut |name| {
        f.borrow_mut().insert(name.to_string(), Vec::new());
        Ok(Box::new(Sink(name.to_string(), f.clone())))
    })
    .unwrap();
    let out = files.borrow().clone();
    out
}

/// Loads the sample after `corrupt` changed its files; shows the result.
fn check(corrupt: impl FnOnce(&mut BTreeMap<String, Vec<u8>>), expect: Expect) {
    let mut files = exports(&sample());
    corrupt(&mut files);
    let actual = match Snapshot::from_exports(&files) {
        Ok(s) => format!("ok: {} student(s), {} person(s)", s.students.len(), s.persons.len()),
        Err(LoadErrors(errors)) => errors.iter().map(|e| format!("{e}\n")).collect(),
    };
    expect.assert_eq(&actual);
}

fn edit(files: &mut BTreeMap<String, Vec<u8>>, file: &str, from: &str, to: &str) {
    let text = String::from_utf8(files[file].clone()).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}:\n{text}");
    files.insert(file.to_string(), text.replacen(from, to, 1).into_bytes());
}

#[test]
fn round_trips_through_exports() {
    let s = sample();
    assert_eq!(Snapshot::from_exports(&exports(&s)).unwrap(), s);
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(serde_json::from_str::<Snapshot>(&json).unwrap(), s);
}

#[test]
fn accepts_crlf_iso_dates_any_case_and_extra_columns() {
    check(
        |f| {
            let text = String::from_utf8(f["Students.txt"].clone()).unwrap();
            let text = text.replace("03/04/2012", "2012-03-04").replace('\n', "\r\n");
            let text = text.replacen("Home_Phone", "Home_Phone\tHome_Room", 1);
            let mut lines: Vec<String> = text.split("\r\n").map(str::to_string).collect();
            lines[1].push_str("\t204");
            f.insert("Students.txt".into(), lines.join("\r\n").into_bytes());
            let p = String::from_utf8(f.remove("Person.txt").unwrap()).unwrap();
            f.insert("PERSON.TXT".into(), p.to_uppercase().replace("ISACTIVE", "IsActive").into_bytes());
        },
        expect!["ok: 1 student(s), 1 person(s)"],
    );
}

#[test]
fn reports_missing_files_and_columns() {
    check(
        |f| {
            f.remove("Person.txt");
            edit(f, "Students.txt", "\tDOB\t", "\tBirthDate\t");
        },
        expect![[r#"
            Person.txt:0:0: required export is missing from the snapshot
            Students.txt:1:0: missing required column "DOB"
        "#]],
    );
}

#[test]
fn reports_every_bad_value_of_a_file_with_its_column() {
    check(
        |f| {
            edit(f, "Students.txt", "03/04/2012", "02/30/2012");
            edit(f, "Students.txt", "\t8\t0\t", "\teight\t0\t");
            edit(f, "Terms.txt", "08/19/2026", "2026-13-01");
        },
        expect![[r#"
            Students.txt:2:8: DOB: bad date "02/30/2012": no such day in the calendar
            Students.txt:2:10: Grade_Level: expected a whole number, found "eight"
            Terms.txt:2:5: FirstDay: bad date "2026-13-01": no such day in the calendar
        "#]],
    );
}

#[test]
fn reports_duplicate_keys_and_ragged_rows() {
    check(
        |f| {
            let mut p = String::from_utf8(f["Person.txt"].clone()).unwrap();
            p.push_str("500\tJuan\t\tGarcía\tM\t1\n501\tShort\n");
            f.insert("Person.txt".into(), p.into_bytes());
        },
        expect![[r#"
            Person.txt:3:0: duplicate key ID 500 (first on line 2)
            Person.txt:4:0: expected 6 tab-separated fields as in the header, found 2
        "#]],
    );
}

#[test]
fn reports_dangling_references() {
    check(
        |f| {
            edit(f, "StudentContactAssoc.txt", "600\t11\t500", "600\t12\t500");
            edit(f, "PersonEmailAddressAssoc.txt", "800\t500\t700", "800\t500\t701");
            edit(f, "CC.txt", "1\t1\t3000", "1\t2\t3000");
            edit(f, "U_StudentsUserFields.txt", "11\tR7", "99\tR7");
        },
        expect![[r#"
            CC.txt:2:2: StudentID 2 points at a missing Student (ID)
            PersonEmailAddressAssoc.txt:2:3: EmailAddressID 701 points at a missing EmailAddress
            StudentContactAssoc.txt:2:2: StudentDCID 12 points at a missing Student (DCID)
            U_StudentsUserFields.txt:2:1: StudentsDCID 99 points at a missing Student (DCID)
        "#]],
    );
}

#[test]
fn reports_files_that_are_not_utf8_or_empty() {
    check(
        |f| {
            let mut bytes = f["Schools.txt"].clone();
            bytes.extend_from_slice(b"102\tSan Jos\xe9 Elementary\n");
            f.insert("Schools.txt".into(), bytes);
            f.insert("Courses.txt".into(), Vec::new());
        },
        expect![[r#"
            Courses.txt:1:0: the file is empty: expected a header row
            Schools.txt:3:12: the file is not UTF-8 text: export it as UTF-8
        "#]],
    );
}

/// The relay's lenient load: problems in rows are located warnings, the
/// rest of the district still loads; a broken export set is refused.
fn check_lenient(corrupt: impl FnOnce(&mut BTreeMap<String, Vec<u8>>), expect: Expect) {
    let mut files = exports(&sample());
    corrupt(&mut files);
    let actual = match Snapshot::from_exports_lenient(&files) {
        Ok((s, warnings)) => {
            let mut out = format!(
                "ok: {} student(s), {} person(s), {} email(s)\n",
                s.students.len(),
                s.persons.len(),
                s.email_addresses.len()
            );
            out.extend(warnings.iter().map(|w| format!("warning {w}\n")));
            out
        }
        Err(LoadErrors(errors)) => errors.iter().map(|e| format!("refused {e}\n")).collect(),
    };
    expect.assert_eq(&actual);
}

#[test]
fn lenient_load_warns_about_rows_and_refuses_broken_files() {
    check_lenient(
        |_| {},
        expect![[r#"
        ok: 1 student(s), 1 person(s), 1 email(s)
    "#]],
    );
    // A bad value and a dangling code: warnings; the district loads.
    check_lenient(
        |f| {
            edit(f, "Students.txt", "03/04/2012", "13/45/2012");
            let codes = String::from_utf8(f["CodeSet.txt"].clone()).unwrap();
            let first_id = codes.lines().nth(1).unwrap().split('\t').next().unwrap().to_string();
            edit(f, "CodeSet.txt", &format!("\n{first_id}\t"), "\n999999\t");
        },
        expect![[r#"
            ok: 0 student(s), 1 person(s), 1 email(s)
            warning PersonPhoneNumberAssoc.txt:2:4: PhoneTypeCodeSetID 1 points at a missing CodeSet
            warning Students.txt:2:8: DOB: bad date "13/45/2012": no such day in the calendar
        "#]],
    );
    // A required column missing: refused.
    check_lenient(
        |f| edit(f, "Person.txt", "LastName", "Surname"),
        expect![[r#"
        refused Person.txt:1:0: missing required column "LastName"
    "#]],
    );
}
