//! Tests of the demo district: determinism, a clean reload, and every
//! realism feature the demo promises (each test fails if its feature goes).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

use super::district::{slots, Level};
use super::{generate, DemoDistrict, DemoOptions};
use crate::names;
use writeback_core::application::{Application, ApplicationStatus, FieldMappings};
use writeback_core::domain::{ContactAssocId, Date, PersonId, SchoolNumber, SectionId, StudentDcid, StudentId, TermId};
use writeback_core::snapshot::{Snapshot, Student};

/// The default district, generated once for all tests.
fn demo() -> &'static DemoDistrict {
    static DEMO: OnceLock<DemoDistrict> = OnceLock::new();
    DEMO.get_or_init(|| generate(&DemoOptions::default()))
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn code_id(s: &Snapshot, code_type: &str, code: &str) -> i64 {
    s.code_sets.iter().find(|c| c.code_type == code_type && c.code == code).map(|c| c.id).unwrap()
}

fn code_of(s: &Snapshot, id: i64) -> (&str, &str) {
    let c = s.code_sets.iter().find(|c| c.id == id).unwrap();
    (c.code_type.as_str(), c.code.as_str())
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Case, accents and spacing folded away.
fn norm(s: &str) -> String {
    names::strip_accents(s).to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A street compared as people mean it: suffixes abbreviated, case,
/// accents and spacing folded.
fn street_key(s: &str) -> String {
    norm(s)
        .split(' ')
        .map(|w| {
            names::SUFFIXES
                .iter()
                .find(|(_, long)| long.to_lowercase() == w)
                .map_or(w.to_string(), |(short, _)| short.to_lowercase())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn students_by_number(s: &Snapshot) -> HashMap<&str, &Student> {
    s.students.iter().map(|st| (st.student_number.as_str(), st)).collect()
}

/// The returning students' applications with their students.
fn returning(d: &DemoDistrict) -> Vec<(&Application, &Student)> {
    let by_number = students_by_number(&d.snapshot);
    d.applications
        .iter()
        .filter_map(|a| {
            let s = by_number.get(a.student_number.as_ref()?.as_str())?;
            (s.enroll_status == 0).then_some((a, *s))
        })
        .collect()
}

fn legal_first(s: &Snapshot, st: &Student) -> String {
    s.student_core_fields.iter().find(|c| c.students_dcid == st.dcid).unwrap().legal_first_name.clone()
}

#[test]
fn same_options_give_byte_identical_output_and_another_seed_differs() {
    let options = DemoOptions { students: 1500, seed: 7 };
    let a = generate(&options);
    let b = generate(&options);
    let files_a = a.snapshot_files();
    assert_eq!(files_a, b.snapshot_files());
    let json = |d: &DemoDistrict| serde_json::to_string(&(&d.applications, &d.mappings)).unwrap();
    assert_eq!(json(&a), json(&b));
    let c = generate(&DemoOptions { seed: 8, ..options });
    let files_c = c.snapshot_files();
    assert_ne!(files_a["Students.txt"], files_c["Students.txt"]);
    assert_ne!(files_a["Person.txt"], files_c["Person.txt"]);
    assert_ne!(json(&a), json(&c));
}

#[test]
fn snapshot_reloads_cleanly_and_mappings_check() {
    let d = demo();
    let files = d.snapshot_files();
    assert!(files.contains_key("U_StudentsUserFields.txt") && files.contains_key("U_DEF_EXT_STUDENTS.txt"));
    let reloaded = match Snapshot::from_exports(&files) {
        Ok(s) => s,
        Err(e) => panic!("{} errors, first: {:?}", e.0.len(), e.0.iter().take(5).collect::<Vec<_>>()),
    };
    assert_eq!(reloaded, d.snapshot, "the reload gives back the same snapshot");
    d.mappings.check(&reloaded).unwrap();
    let json = serde_json::to_string(&d.mappings).unwrap();
    assert_eq!(FieldMappings::from_json(&json).unwrap(), d.mappings);
    for app in &d.applications {
        let text = serde_json::to_string(app).unwrap();
        assert_eq!(&Application::from_json(&text).unwrap(), app);
    }
}

#[test]
fn tiny_districts_still_work() {
    for students in [0, 1, 7, 40, 150] {
        let d = generate(&DemoOptions { students, seed: 3 });
        assert_eq!(d.snapshot.students.len(), students);
        assert!(d.applications.len() >= 12, "{students}: {}", d.applications.len());
        Snapshot::from_exports(&d.snapshot_files()).unwrap();
        d.mappings.check(&d.snapshot).unwrap();
    }
}

#[test]
fn district_has_schools_of_every_level_with_terms() {
    let s = &demo().snapshot;
    assert!(s.schools.len() >= 5);
    for kind in ["Elementary", "Middle School", "High School"] {
        assert!(s.schools.iter().any(|sc| sc.name.contains(kind)), "{kind}");
    }
    assert_eq!(s.schools[0].school_number, SchoolNumber(101));
    for school in &s.schools {
        let terms: BTreeMap<TermId, _> =
            s.terms.iter().filter(|t| t.school_id == school.school_number).map(|t| (t.id, t)).collect();
        let year = terms[&TermId(3600)];
        assert!(year.is_year);
        assert_eq!((year.first_day, year.last_day), (date("2026-08-19"), date("2027-06-04")));
        assert!(!terms[&TermId(3601)].is_year && !terms[&TermId(3602)].is_year);
        assert_eq!(terms[&TermId(3601)].first_day, year.first_day);
        assert_eq!(terms[&TermId(3602)].last_day, year.last_day);
        if school.name.contains("High School") {
            assert!(terms.contains_key(&TermId(3606)), "quarters at high schools");
        }
    }
    assert!(s.courses.len() >= 40);
    for number in ["ENG9", "ALG1", "BIO", "ART1", "PE"] {
        assert!(s.courses.iter().any(|c| c.course_number == number), "{number}");
    }
}

#[test]
fn sections_and_cc_are_consistent_and_some_sections_are_full() {
    let s = &demo().snapshot;
    let sections: HashMap<SectionId, _> = s.sections.iter().map(|x| (x.id, x)).collect();
    let terms: HashMap<(TermId, SchoolNumber), _> = s.terms.iter().map(|t| ((t.id, t.school_id), t)).collect();
    let mut count: HashMap<SectionId, i32> = HashMap::new();
    let students: HashMap<StudentId, &Student> = s.students.iter().map(|st| (st.id, st)).collect();
    let mut periods: HashSet<(StudentId, String, TermId)> = HashSet::new();
    for cc in &s.enrollments {
        let sec = sections[&cc.section_id];
        assert_eq!(
            (cc.school_id, cc.term_id, cc.course_number.as_str(), cc.section_number.as_str()),
            (sec.school_id, sec.term_id, sec.course_number.as_str(), sec.section_number.as_str())
        );
        let term = terms[&(cc.term_id, cc.school_id)];
        assert_eq!(cc.date_enrolled, term.first_day);
        assert_eq!(cc.date_left, term.last_day.add_days(1).unwrap());
        let st = students[&cc.student_id];
        assert_eq!((st.school_id, st.enroll_status), (sec.school_id, 0));
        // A student's classes never clash: one section per period and term
        // (the year term covers both semesters).
        for t in if cc.term_id == TermId(3600) { vec![TermId(3601), TermId(3602)] } else { vec![cc.term_id] } {
            assert!(periods.insert((cc.student_id, sec.expression.clone(), t)), "clash for {}", cc.student_id);
        }
        *count.entry(cc.section_id).or_default() += 1;
    }
    let mut full = 0;
    for sec in &s.sections {
        assert_eq!(sec.enrolled, count.get(&sec.id).copied().unwrap_or(0), "No_of_Students of {}", sec.id);
        assert!((20..=32).contains(&sec.max_enrollment), "{}", sec.max_enrollment);
        assert!(sec.enrolled <= sec.max_enrollment);
        let p = sec.expression.strip_suffix("(A)").unwrap();
        assert!((1..=7).contains(&p.parse::<i32>().unwrap()), "{}", sec.expression);
        assert!(!sec.teacher.is_empty() && sec.teacher.contains(", ") && !sec.room.is_empty());
        full += usize::from(sec.enrolled == sec.max_enrollment);
    }
    assert!(full >= 5, "full sections: {full}");
    assert!(
        s.sections.iter().any(|x| x.term_id == TermId(3601)) && s.sections.iter().any(|x| x.term_id == TermId(3602))
    );
    // Every active student is scheduled.
    let scheduled: HashSet<StudentId> = s.enrollments.iter().map(|c| c.student_id).collect();
    let active = s.students.iter().filter(|st| st.enroll_status == 0).count();
    assert_eq!(scheduled.len(), active);
}

#[test]
fn students_are_diverse_and_consistent() {
    let s = &demo().snapshot;
    let all_names: Vec<String> =
        s.students.iter().map(|st| format!("{} {} {}", st.first_name, st.middle_name, st.last_name)).collect();
    for needle in ["José", "María", "Nguyễn", "Hassan", "Vang", "Patel"] {
        assert!(
            all_names.iter().any(|n| n.contains(needle))
                || s.persons.iter().any(|p| p.first_name == needle || p.last_name == needle),
            "{needle}"
        );
    }
    assert!(s.students.iter().any(|st| !st.last_name.is_ascii()), "accented last names");
    assert!(s.student_core_fields.iter().any(|c| c.legal_last_name.contains('-')), "hyphenated last names");
    for g in ["M", "F", "X"] {
        assert!(s.students.iter().any(|st| st.gender == g), "{g}");
    }
    let active = s.students.iter().filter(|st| st.enroll_status == 0).count();
    assert!(active * 100 / s.students.len() >= 90);
    assert!(s.students.iter().any(|st| st.enroll_status == 2));
    for st in &s.students {
        // Five by September 1 of the kindergarten year (held back: a year older).
        let dob = st.dob.unwrap();
        let youngest = Date::from_ymd(2021 - st.grade_level, 9, 1).unwrap();
        let oldest = Date::from_ymd(2019 - st.grade_level, 9, 2).unwrap();
        assert!(dob <= youngest && dob >= oldest, "grade {} born {dob}", st.grade_level);
        assert!((0..=12).contains(&st.grade_level));
        if !st.home_phone.is_empty() {
            let p = &st.home_phone;
            assert!(p.len() == 14 && p.starts_with('(') && &p[4..6] == ") " && &p[9..10] == "-", "{p}");
        }
    }
    let cities: BTreeSet<&str> = s.students.iter().map(|st| st.city.as_str()).filter(|c| !c.is_empty()).collect();
    assert!(cities.len() >= 4, "{cities:?}");
    assert!(s.students.iter().any(|st| st.mailing_street.starts_with("PO Box")));
    assert!(s.students.iter().any(|st| st.street.contains(" Apt ")));
    // Legal and preferred names differ for some (Robert / Bobby).
    let by_dcid: HashMap<StudentDcid, &Student> = s.students.iter().map(|st| (st.dcid, st)).collect();
    let nick = s.student_core_fields.iter().filter(|c| {
        let st = by_dcid[&c.students_dcid];
        names::nicknames(&c.legal_first_name).contains(&st.first_name.as_str())
    });
    assert!(nick.count() >= 3);
    assert!(s.student_core_fields.iter().any(|c| c.legal_suffix == "Jr."));
    // Extension tables: the mapped columns, rows for most but not all students.
    for (table, columns) in [
        ("U_StudentsUserFields", &["bus_route", "allergies", "homeroom_teacher"][..]),
        ("U_DEF_EXT_STUDENTS", &["home_language", "previous_school"][..]),
    ] {
        let ext = s.extensions.iter().find(|e| e.name == table).unwrap();
        assert_eq!(ext.columns, columns);
        assert!(ext.rows.len() * 2 > s.students.len() && ext.rows.len() < s.students.len(), "{table}");
    }
    let user = s.extensions.iter().find(|e| e.name == "U_StudentsUserFields").unwrap();
    assert!(user.rows.values().any(|r| !r[1].is_empty()), "allergies");
    assert!(user.rows.values().any(|r| !r[2].is_empty()), "homeroom teachers");
    let legacy = s.extensions.iter().find(|e| e.name == "U_DEF_EXT_STUDENTS").unwrap();
    assert!(legacy.rows.values().any(|r| r[0] == "Somali") && legacy.rows.values().any(|r| r[0] == "Spanish"));
}

#[test]
fn code_sets_cover_every_type() {
    let s = &demo().snapshot;
    for (t, codes) in [
        ("Phone", &["Daytime", "Home", "Mobile", "Work"][..]),
        ("Email", &["Current", "Additional"][..]),
        ("Address", &["Home", "Mailing"][..]),
        ("Relationship", &["Mother", "Father", "Guardian", "Grandparent", "Stepparent", "Aunt", "Uncle", "Other"][..]),
        ("OriginalContactType", &["Mother", "Father", "Guardian", "Emergency1", "Emergency2", "Emergency3"][..]),
        ("State", &["MN", "WI", "ND", "IA"][..]),
    ] {
        for c in codes {
            code_id(s, t, c);
        }
    }
    // Every state an address uses is a State code.
    for a in &s.addresses {
        assert_eq!(code_of(s, a.state.unwrap()).0, "State");
    }
}

#[test]
fn families_share_contacts_with_realistic_details() {
    let s = &demo().snapshot;
    let today = date("2026-08-01");
    // Shared persons: one person is a contact of several students.
    let mut students_of: HashMap<PersonId, HashSet<StudentDcid>> = HashMap::new();
    for c in &s.student_contacts {
        students_of.entry(c.person_id).or_default().insert(c.student_dcid);
    }
    let shared = students_of.values().filter(|v| v.len() >= 2).count();
    assert!(shared >= 100, "shared persons: {shared}");

    // 1-4 contacts per student, priority orders 1..n.
    let mut per_student: HashMap<StudentDcid, Vec<i32>> = HashMap::new();
    for c in &s.student_contacts {
        per_student.entry(c.student_dcid).or_default().push(c.priority_order.unwrap());
    }
    for orders in per_student.values_mut() {
        orders.sort_unstable();
        assert!((1..=4).contains(&orders.len()));
        assert_eq!(*orders, (1..=orders.len() as i32).collect::<Vec<_>>());
    }
    // Every student but the new ones written back with minimal data has contacts.
    for st in &s.students {
        assert_eq!(per_student.contains_key(&st.dcid), st.enroll_status != -1);
    }

    // Emails: 0-3 per person, exactly one primary, types Current/Additional.
    let mut emails: HashMap<PersonId, Vec<_>> = HashMap::new();
    for e in &s.person_emails {
        emails.entry(e.person_id).or_default().push(e);
    }
    assert!(emails.values().all(|v| v.len() <= 3 && v.iter().filter(|e| e.is_primary).count() == 1));
    assert!(emails.values().any(|v| {
        let types: HashSet<_> = v.iter().map(|e| code_of(s, e.email_type.unwrap()).1).collect();
        types.contains("Current") && types.contains("Additional")
    }));
    assert!(s.persons.len() > emails.len(), "some persons have no email");
    let addresses: HashSet<String> = s.email_addresses.iter().map(|e| e.address.to_lowercase()).collect();
    assert_eq!(addresses.len(), s.email_addresses.len(), "emails are unique");

    // Phones: 0-3 per person, unique priority orders 1..n, one preferred, several types.
    let mut phones: HashMap<PersonId, Vec<_>> = HashMap::new();
    for p in &s.person_phones {
        phones.entry(p.person_id).or_default().push(p);
    }
    for v in phones.values() {
        assert!(v.len() <= 3);
        let mut orders: Vec<i32> = v.iter().map(|p| p.priority_order.unwrap()).collect();
        orders.sort_unstable();
        assert_eq!(orders, (1..=v.len() as i32).collect::<Vec<_>>());
        assert_eq!(v.iter().filter(|p| p.is_preferred).count(), 1);
    }
    let multi_type =
        phones.values().filter(|v| v.iter().map(|p| p.phone_type.unwrap()).collect::<HashSet<_>>().len() >= 3);
    assert!(multi_type.count() >= 10);
    for kind in ["Daytime", "Home", "Mobile", "Work"] {
        let id = code_id(s, "Phone", kind);
        assert!(s.person_phones.iter().any(|p| p.phone_type == Some(id)), "{kind}");
    }
    assert!(s.phone_numbers.iter().any(|p| !p.extension.is_empty()));

    // Addresses: 0-2 per person, Home and Mailing.
    let mut addr: HashMap<PersonId, Vec<i64>> = HashMap::new();
    for a in &s.person_addresses {
        addr.entry(a.person_id).or_default().push(a.address_type.unwrap());
    }
    assert!(addr.values().all(|v| v.len() <= 2));
    let (home, mailing) = (code_id(s, "Address", "Home"), code_id(s, "Address", "Mailing"));
    assert!(addr.values().any(|v| v.contains(&home) && v.contains(&mailing)));

    // Expired relationships, changed relationships, inactive persons.
    let expired: Vec<_> = s.student_contact_details.iter().filter(|d| d.end_date.is_some()).collect();
    assert!(expired.len() >= 10);
    assert!(expired.iter().all(|d| !d.is_active && d.end_date.unwrap() < today && d.start_date < d.end_date));
    let mut details_per_link: HashMap<ContactAssocId, usize> = HashMap::new();
    for d in &s.student_contact_details {
        *details_per_link.entry(d.student_contact_id).or_default() += 1;
    }
    assert!(details_per_link.values().any(|&n| n == 2), "a relationship that changed");
    assert_eq!(details_per_link.len(), s.student_contacts.len(), "every link has a detail");
    assert!(s.persons.iter().filter(|p| !p.is_active).count() >= 5);

    // Divorced and remarried: a step-parent, and two custodial parents at different homes.
    let step = code_id(s, "Relationship", "Stepparent");
    assert!(s.student_contact_details.iter().any(|d| d.relationship_type == Some(step) && d.is_active));
    let home_of: HashMap<PersonId, i64> = s
        .person_addresses
        .iter()
        .filter(|a| a.address_type == Some(home))
        .map(|a| (a.person_id, a.address_id))
        .collect();
    let street_of: HashMap<i64, &str> = s.addresses.iter().map(|a| (a.id, a.street.as_str())).collect();
    let detail_of: HashMap<ContactAssocId, _> =
        s.student_contact_details.iter().map(|d| (d.student_contact_id, d)).collect();
    let mut custodial_homes: HashMap<StudentDcid, BTreeSet<&str>> = HashMap::new();
    for c in &s.student_contacts {
        let d = detail_of[&c.id];
        if d.is_active && d.is_custodial {
            if let Some(a) = home_of.get(&c.person_id) {
                custodial_homes.entry(c.student_dcid).or_default().insert(street_of[a]);
            }
        }
    }
    assert!(custodial_homes.values().filter(|h| h.len() >= 2).count() >= 10, "parents living apart");

    // Portal accounts: ~60% of parents, unique usernames and emails, a few extra emails.
    let parents: HashSet<PersonId> = s
        .student_contacts
        .iter()
        .filter(|c| {
            let (_, rel) = code_of(s, c.relationship_type.unwrap());
            matches!(rel, "Mother" | "Father" | "Guardian" | "Stepparent") && detail_of[&c.id].is_active
        })
        .map(|c| c.person_id)
        .collect();
    let with_account = s.portal_accounts.iter().filter(|a| parents.contains(&a.person_id.unwrap())).count();
    let share = with_account * 100 / parents.len();
    assert!((45..=75).contains(&share), "{share}% of parents have a portal account");
    let usernames: HashSet<&str> = s.portal_accounts.iter().map(|a| a.username.as_str()).collect();
    assert_eq!(usernames.len(), s.portal_accounts.len());
    let portal_emails: HashSet<String> = s.portal_accounts.iter().map(|a| a.email.to_lowercase()).collect();
    assert_eq!(portal_emails.len(), s.portal_accounts.len());
    assert!(!s.portal_emails.is_empty());
}

#[test]
fn applications_come_in_three_kinds() {
    let d = demo();
    let s = &d.snapshot;
    let apps = &d.applications;
    assert_eq!(apps.len(), 200);
    for (i, a) in apps.iter().enumerate() {
        assert_eq!(a.id.as_str(), format!("APP-{:06}", i + 1));
        assert!(a.submitted_at.starts_with("2026-08-"), "{}", a.submitted_at);
        assert!(s.schools.iter().any(|sc| sc.school_number == a.school_id));
    }
    assert!(apps.windows(2).all(|w| w[0].submitted_at <= w[1].submitted_at));
    let approved = apps.iter().filter(|a| a.status == ApplicationStatus::Approved).count();
    assert!(approved * 100 / apps.len() >= 80 && approved < apps.len());

    let by_number = students_by_number(s);
    let ext_dcids: HashSet<StudentDcid> = s.extensions.iter().flat_map(|e| e.rows.keys().copied()).collect();
    let core_dcids: HashSet<StudentDcid> = s.student_core_fields.iter().map(|c| c.students_dcid).collect();
    let linked: HashSet<StudentDcid> = s.student_contacts.iter().map(|c| c.student_dcid).collect();
    let (mut returning, mut written_back, mut pending) = (0, 0, 0);
    for a in apps {
        match &a.student_number {
            Some(n) => {
                assert!(a.enrollment_written_back);
                let st = by_number[n.as_str()];
                assert_eq!(st.school_id, a.school_id);
                if st.enroll_status == -1 {
                    // Written back with minimal data: the review shows Add.
                    assert!(st.street.is_empty() && st.home_phone.is_empty());
                    assert!(!ext_dcids.contains(&st.dcid) && !core_dcids.contains(&st.dcid));
                    assert!(!linked.contains(&st.dcid));
                    assert_eq!(a.status, ApplicationStatus::Approved);
                    written_back += 1;
                } else {
                    assert_eq!(st.enroll_status, 0);
                    assert!(linked.contains(&st.dcid));
                    returning += 1;
                }
            }
            None => {
                assert!(!a.enrollment_written_back);
                pending += 1;
            }
        }
    }
    assert!(returning >= 80 && written_back >= 20 && pending >= 50, "{returning} {written_back} {pending}");
}

#[test]
fn application_forms_have_the_mapped_fields() {
    let d = demo();
    let mapped: BTreeSet<&str> = d.mappings.student_fields.iter().map(|m| m.form_field.as_str()).collect();
    let contact_mapped: BTreeSet<&str> = d.mappings.contact_fields.iter().map(|m| m.form_field.as_str()).collect();
    let relationships: HashSet<&str> =
        d.snapshot.code_sets.iter().filter(|c| c.code_type == "Relationship").map(|c| c.code.as_str()).collect();
    for a in &d.applications {
        assert_eq!(a.student.keys().map(String::as_str).collect::<BTreeSet<_>>(), mapped);
        assert!((1..=4).contains(&a.contacts.len()), "{}", a.id);
        for (i, c) in a.contacts.iter().enumerate() {
            assert_eq!(c.block, format!("contact{}", i + 1));
            assert_eq!(c.fields.keys().map(String::as_str).collect::<BTreeSet<_>>(), contact_mapped);
            assert!(relationships.contains(c.fields["relationship"].as_str()));
            for flag in ["lives_with", "has_custody", "school_pickup", "emergency", "receives_mail", "data_access"] {
                assert!(matches!(c.fields[flag].as_str(), "0" | "1"));
            }
            assert!(!c.fields["first_name"].trim().is_empty() && !c.fields["last_name"].trim().is_empty());
        }
        let dob = &a.student["dob"];
        assert!(Date::parse(dob).is_ok(), "{dob}");
    }
    assert!(d.applications.iter().any(|a| a.student["dob"].contains('/')), "US dates");
    assert!(d.applications.iter().any(|a| a.student["dob"].contains('-')), "ISO dates");
    let protected: Vec<String> = d.mappings.protected_fields.iter().map(|p| p.target.header()).collect();
    assert!(protected.contains(&"DOB".to_string()));
    assert_eq!(
        d.mappings.protected_fields[0].reason,
        "Date of birth is changed only by the registrar, with a birth certificate."
    );
}

#[test]
fn applications_vary_like_real_forms() {
    let d = demo();
    let s = &d.snapshot;
    let ret = returning(d);
    let core: HashMap<StudentDcid, _> = s.student_core_fields.iter().map(|c| (c.students_dcid, c)).collect();
    let one_letter = |a: &str, b: &str| {
        a.chars().count() == b.chars().count() && a.chars().zip(b.chars()).filter(|(x, y)| x != y).count() == 1
    };
    let mut found: BTreeMap<&str, usize> = BTreeMap::new();
    let mut hit = |k: &'static str| *found.entry(k).or_default() += 1;
    for (a, st) in &ret {
        let c = core[&st.dcid];
        let f = &a.student;
        if one_letter(&f["legal_last_name"], &c.legal_last_name)
            || one_letter(&f["preferred_first_name"], &st.first_name)
            || one_letter(&f["legal_first_name"], &c.legal_first_name)
        {
            hit("typo");
        }
        if f["preferred_first_name"] != st.first_name
            && names::nicknames(&legal_first(s, st)).contains(&f["preferred_first_name"].as_str())
        {
            hit("nickname");
        }
        if f["legal_last_name"] != c.legal_last_name && norm(&f["legal_last_name"]) == norm(&c.legal_last_name) {
            hit("case");
        }
        if f["street"] != st.street && street_key(&f["street"]) == street_key(&st.street) {
            hit("spacing");
        }
        if f["home_phone"].contains('.') && digits(&f["home_phone"]) == digits(&st.home_phone) {
            hit("phone format");
        }
        if f["dob"].contains('/') && Date::parse(&f["dob"]).ok() == st.dob {
            hit("date format");
        }
        if !f["street"].is_empty() && street_key(&f["street"]) != street_key(&st.street) {
            hit("moved");
        }
        if !f["home_phone"].is_empty()
            && !st.home_phone.is_empty()
            && digits(&f["home_phone"]) != digits(&st.home_phone)
        {
            hit("new home phone");
        }
        if f["mailing_street"].is_empty() && !st.mailing_street.is_empty() {
            hit("blank");
        }
    }
    // Contacts: new emails, new phones, nicknames, new contacts, a sibling's parent.
    let emails: HashMap<String, i64> = s.email_addresses.iter().map(|e| (e.address.to_lowercase(), e.id)).collect();
    let person_of_email: HashMap<i64, PersonId> =
        s.person_emails.iter().map(|p| (p.email_address_id, p.person_id)).collect();
    let phones: HashMap<&str, i64> = s.phone_numbers.iter().map(|p| (p.number.as_str(), p.id)).collect();
    let person_of_phone: HashMap<i64, PersonId> =
        s.person_phones.iter().map(|p| (p.phone_number_id, p.person_id)).collect();
    let linked_persons: HashSet<PersonId> = s.student_contacts.iter().map(|c| c.person_id).collect();
    let persons: HashMap<PersonId, _> = s.persons.iter().map(|p| (p.id, p)).collect();
    let links_of: HashMap<StudentDcid, usize> = s.student_contacts.iter().fold(HashMap::new(), |mut m, c| {
        *m.entry(c.student_dcid).or_default() += 1;
        m
    });
    for a in &d.applications {
        let existing = a.student_number.is_some() && a.enrollment_written_back;
        let st = a.student_number.as_ref().and_then(|n| students_by_number(s).get(n.as_str()).copied());
        let is_new = st.is_none_or(|st| st.enroll_status == -1);
        for c in &a.contacts {
            let email = c.fields["email"].to_lowercase();
            let known_email = emails.get(&email).map(|e| person_of_email[e]);
            let known_phone = phones.get(digits(&c.fields["mobile_phone"]).as_str()).map(|p| person_of_phone[p]);
            let person = known_email.or(known_phone).filter(|p| linked_persons.contains(p));
            if let Some(p) = person {
                if is_new {
                    hit("sibling's parent");
                }
                let known = persons[&p];
                if names::nicknames(&known.first_name).contains(&c.fields["first_name"].as_str()) {
                    hit("contact nickname");
                }
                if known_email.is_none() && !email.is_empty() {
                    hit("new email");
                }
                if known_phone.is_none() && !c.fields["mobile_phone"].is_empty() {
                    hit("new mobile");
                }
            }
        }
        if let Some(st) = st.filter(|st| existing && st.enroll_status == 0) {
            if a.contacts.len() > links_of.get(&st.dcid).copied().unwrap_or(0) {
                hit("new contact");
            }
        }
    }
    for kind in [
        "typo",
        "nickname",
        "case",
        "spacing",
        "phone format",
        "date format",
        "moved",
        "new home phone",
        "blank",
        "sibling's parent",
        "contact nickname",
        "new email",
        "new mobile",
        "new contact",
    ] {
        assert!(found.get(kind).copied().unwrap_or(0) >= 2, "{kind}: {found:?}");
    }
}

#[test]
fn siblings_apply_together_and_request_courses_of_their_level() {
    let d = demo();
    let mut batches: HashMap<&str, Vec<&Application>> = HashMap::new();
    for a in &d.applications {
        if let Some(b) = &a.family_batch {
            batches.entry(b.as_str()).or_default().push(a);
        }
    }
    assert!(batches.len() >= 5);
    for apps in batches.values() {
        assert!(apps.len() >= 2);
        assert!(apps.windows(2).all(|w| w[0].submitted_at[..10] == w[1].submitted_at[..10]));
    }
    // A batch mixing a returning student with a new sibling.
    assert!(batches
        .values()
        .any(|v| v.iter().any(|a| a.student_number.is_some()) && v.iter().any(|a| a.student_number.is_none())));

    let level_of: HashMap<SchoolNumber, Level> = d
        .snapshot
        .schools
        .iter()
        .map(|sc| {
            let level = if sc.name.contains("Elementary") {
                Level::Elementary
            } else if sc.name.contains("Middle") {
                Level::Middle
            } else {
                Level::High
            };
            (sc.school_number, level)
        })
        .collect();
    let mut courses_of: HashMap<Level, HashSet<&str>> = HashMap::new();
    for grade in 0..=12 {
        for slot in slots(grade) {
            for choice in *slot {
                for (n, _) in choice.parts() {
                    courses_of.entry(Level::of_grade(grade)).or_default().insert(n);
                }
            }
        }
    }
    let catalog: HashMap<&str, &str> =
        d.snapshot.courses.iter().map(|c| (c.course_number.as_str(), c.name.as_str())).collect();
    let mut none = 0;
    for a in &d.applications {
        if a.courses.is_empty() {
            none += 1;
            continue;
        }
        assert!((2..=7).contains(&a.courses.len()), "{}", a.courses.len());
        for c in &a.courses {
            assert_eq!(catalog[c.course_number.as_str()], c.course_name);
            assert!(courses_of[&level_of[&a.school_id]].contains(c.course_number.as_str()));
        }
    }
    assert!(none >= 5 && none < d.applications.len() / 2, "{none} without courses");
    assert!(d.applications.iter().any(|a| a.courses.len() == 7));
}

#[test]
fn scales_to_twenty_thousand_students() {
    let d = generate(&DemoOptions { students: 20_000, seed: 11 });
    let s = &d.snapshot;
    assert_eq!(s.students.len(), 20_000);
    assert_eq!(d.applications.len(), 2000);
    let ids: HashSet<StudentId> = s.students.iter().map(|st| st.id).collect();
    let dcids: HashSet<StudentDcid> = s.students.iter().map(|st| st.dcid).collect();
    let numbers: HashSet<&str> = s.students.iter().map(|st| st.student_number.as_str()).collect();
    assert_eq!((ids.len(), dcids.len(), numbers.len()), (20_000, 20_000, 20_000));
    let persons: HashSet<PersonId> = s.persons.iter().map(|p| p.id).collect();
    assert_eq!(persons.len(), s.persons.len());
    assert!(s.schools.len() > 10);
    assert!(s.enrollments.len() > 20_000 * 4);
}
