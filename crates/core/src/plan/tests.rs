//! The review document and the files it writes, end to end in the core.

use std::collections::BTreeMap;

use expect_test::{expect, Expect};

use super::*;
use crate::application::{ApplicationId, FieldMappings, FieldTarget, ProtectedField, StudentFieldMapping};
use crate::demographics::Decision;
use crate::domain::StudentNumber;

fn mappings() -> FieldMappings {
    let m = |form: &str, label: &str, target: &str| StudentFieldMapping {
        form_field: form.into(),
        label: label.into(),
        target: FieldTarget::parse(target).unwrap(),
    };
    FieldMappings {
        student_fields: vec![
            m("legal_first_name", "Legal first name", "[StudentCoreFields]PSCore_Legal_First_Name"),
            m("preferred_first_name", "Preferred first name", "First_Name"),
            m("dob", "Date of birth", "DOB"),
            m("street", "Street", "Street"),
            m("bus_route", "Bus route", "[U_StudentsUserFields]bus_route"),
        ],
        protected_fields: vec![ProtectedField {
            target: FieldTarget::parse("DOB").unwrap(),
            reason: "registrar only".into(),
        }],
        contact_fields: vec![],
        contact_order: vec![],
    }
}

fn application() -> Application {
    Application {
        id: ApplicationId::parse("APP-1").unwrap(),
        status: ApplicationStatus::Approved,
        enrollment_written_back: true,
        student_number: Some(StudentNumber::parse("1001").unwrap()),
        school_id: SchoolNumber(101),
        submitted_at: "2026-08-01T10:00:00Z".into(),
        family_batch: None,
        student: BTreeMap::from([
            ("legal_first_name".to_string(), "Anabel".to_string()),
            ("preferred_first_name".to_string(), "ana".to_string()),
            ("dob".to_string(), "2012-03-05".to_string()),
            ("street".to_string(), "48 Oak Ave".to_string()),
            ("bus_route".to_string(), "R9".to_string()),
        ]),
        contacts: vec![],
        courses: vec![],
    }
}

fn district() -> District {
    District::new(crate::snapshot::tests::sample(), mappings(), DistrictSettings::default()).unwrap()
}

fn reviewer() -> Reviewer {
    Reviewer { staff: crate::courses::Staff::default(), today: crate::domain::Date::parse("2026-08-20").unwrap() }
}

fn check(app: Application, decisions: &[(&str, Decision)], expect: Expect) {
    let prepared = ApplicationReview::prepare(&district(), &app, &[], &reviewer());
    let decisions = Decisions {
        demographics: decisions.iter().map(|(f, d)| (f.to_string(), *d)).collect(),
        ..Decisions::default()
    };
    let review = prepared.decide(&decisions);
    let mut out = String::new();
    for r in &review.demographics {
        out.push_str(&format!("{}: {} ({})\n", r.field.form_field, r.decision.label(), r.status));
    }
    for b in &review.blockers {
        out.push_str(&format!("BLOCKED {:?} {:?}: {}\n", b.section, b.field, b.message));
    }
    for f in &review.files {
        out.push_str(&format!("FILE {} rows={}\n{}", f.kind, f.rows, f.text));
    }
    out.push_str(&format!("ready={}\n", review.ready()));
    expect.assert_eq(&out);
}

#[test]
fn default_decisions_write_edits_and_adds_only() {
    check(
        application(),
        &[],
        expect![[r#"
            legal_first_name: Edit (Will be replaced)
            preferred_first_name: Ignore (Stays in PowerSchool)
            dob: Ignore (Stays in PowerSchool)
            street: Edit (Will be replaced)
            bus_route: Edit (Will be replaced)
            FILE students rows=1
            Student_Number	SchoolID	[StudentCoreFields]PSCore_Legal_First_Name	Street	[U_StudentsUserFields]bus_route
            1001	101	Anabel	48 Oak Ave	R9
            ready=true
        "#]],
    );
}

#[test]
fn ignored_fields_never_reach_the_file() {
    check(
        application(),
        &[("street", Decision::Ignore), ("preferred_first_name", Decision::Edit)],
        expect![[r#"
            legal_first_name: Edit (Will be replaced)
            preferred_first_name: Edit (Will be replaced)
            dob: Ignore (Stays in PowerSchool)
            street: Ignore (Stays in PowerSchool)
            bus_route: Edit (Will be replaced)
            FILE students rows=1
            Student_Number	SchoolID	[StudentCoreFields]PSCore_Legal_First_Name	First_Name	[U_StudentsUserFields]bus_route
            1001	101	Anabel	ana	R9
            ready=true
        "#]],
    );
}

#[test]
fn everything_ignored_writes_no_file() {
    check(
        application(),
        &[("legal_first_name", Decision::Ignore), ("street", Decision::Ignore), ("bus_route", Decision::Ignore)],
        expect![[r#"
            legal_first_name: Ignore (Stays in PowerSchool)
            preferred_first_name: Ignore (Stays in PowerSchool)
            dob: Ignore (Stays in PowerSchool)
            street: Ignore (Stays in PowerSchool)
            bus_route: Ignore (Stays in PowerSchool)
            ready=false
        "#]],
    );
}

#[test]
fn decisions_that_are_not_possible_block() {
    check(
        application(),
        &[("dob", Decision::Edit), ("bus_route", Decision::Add), ("shoe_size", Decision::Edit)],
        expect![[r#"
            legal_first_name: Edit (Will be replaced)
            preferred_first_name: Ignore (Stays in PowerSchool)
            dob: Ignore (Stays in PowerSchool)
            street: Edit (Will be replaced)
            bus_route: Edit (Will be replaced)
            BLOCKED Demographics Some("bus_route"): Bus route: Add is not possible here (the values differ); choose Edit or Ignore
            BLOCKED Demographics Some("dob"): Date of birth: Edit is not possible here (the values differ); choose Ignore
            BLOCKED Demographics Some("shoe_size"): a decision is given for "shoe_size", which is not a mapped student field
            ready=false
        "#]],
    );
}

#[test]
fn applications_that_cannot_be_written_back_say_why() {
    let mut app = application();
    app.status = ApplicationStatus::Submitted;
    app.student_number = None;
    check(
        app,
        &[],
        expect![[r#"
            legal_first_name: Add (Form only: will be added)
            preferred_first_name: Add (Form only: will be added)
            dob: Ignore (Form only: not written)
            street: Add (Form only: will be added)
            bus_route: Add (Form only: will be added)
            BLOCKED Application None: the application is submitted, not approved: only approved applications are written back
            BLOCKED Application None: the student has no student number yet: write the enrolment back first
            ready=false
        "#]],
    );
    let mut app = application();
    app.student_number = Some(StudentNumber::parse("2002").unwrap());
    check(
        app,
        &[],
        expect![[r#"
            legal_first_name: Add (Form only: will be added)
            preferred_first_name: Add (Form only: will be added)
            dob: Ignore (Form only: not written)
            street: Add (Form only: will be added)
            bus_route: Add (Form only: will be added)
            BLOCKED Application None: the enrolment was written back, but student 2002 is not in the snapshot: refresh the snapshot so current values can be compared
            BLOCKED Contacts None: student 2002 is not in the snapshot: contacts are written once the student is in PowerSchool
            ready=false
        "#]],
    );
}

#[test]
fn a_value_that_would_break_the_file_blocks_until_ignored() {
    let mut app = application();
    app.student.insert("street".into(), "48 Oak Ave\nApt 2".into());
    check(
        app.clone(),
        &[],
        expect![[r#"
            legal_first_name: Edit (Will be replaced)
            preferred_first_name: Ignore (Stays in PowerSchool)
            dob: Ignore (Stays in PowerSchool)
            street: Edit (Will be replaced)
            bus_route: Edit (Will be replaced)
            BLOCKED Demographics Some("street"): Street: the form's value holds a line break, which would break the import file
            ready=false
        "#]],
    );
    check(
        app,
        &[("street", Decision::Ignore)],
        expect![[r#"
            legal_first_name: Edit (Will be replaced)
            preferred_first_name: Ignore (Stays in PowerSchool)
            dob: Ignore (Stays in PowerSchool)
            street: Ignore (Stays in PowerSchool)
            bus_route: Edit (Will be replaced)
            FILE students rows=1
            Student_Number	SchoolID	[StudentCoreFields]PSCore_Legal_First_Name	[U_StudentsUserFields]bus_route
            1001	101	Anabel	R9
            ready=true
        "#]],
    );
}

#[test]
fn mappings_naming_missing_fields_are_refused() {
    let snapshot = crate::snapshot::tests::sample();
    let mut m = mappings();
    m.student_fields.push(StudentFieldMapping {
        form_field: "shoe".into(),
        label: "Shoe".into(),
        target: FieldTarget::parse("[U_StudentsUserFields]shoe_size").unwrap(),
    });
    m.student_fields.push(StudentFieldMapping {
        form_field: "num".into(),
        label: "Number".into(),
        target: FieldTarget::parse("Student_Number").unwrap(),
    });
    let err = District::new(snapshot, m, DistrictSettings::default()).unwrap_err();
    expect![[r#"the field mappings do not fit the snapshot: student field "shoe" is mapped to [U_StudentsUserFields]shoe_size, which the snapshot does not have; student field "num" is mapped to Student_Number, a key column that a writeback may not change"#]]
        .assert_eq(&err.to_string());
}

#[test]
fn the_file_written_is_the_file_the_relay_accepts() {
    let review =
        ApplicationReview::prepare(&district(), &application(), &[], &reviewer()).decide(&Decisions::default());
    let f = &review.files[0];
    let summary = crate::flatfile::validate(f.kind, &f.text).unwrap();
    assert_eq!(summary.rows, 1);
}

#[test]
fn contacts_carry_ranked_candidates_with_evidence_and_a_state() {
    use crate::application::{ContactBlock, ContactFieldMapping};
    use crate::contacts::ContactState;
    let mut m = mappings();
    for (form, target) in [
        ("first_name", "First Name"),
        ("last_name", "Last Name"),
        ("email", "Email Address:Current"),
        ("mobile_phone", "phoneNumberAsEntered:Mobile"),
    ] {
        m.contact_fields.push(ContactFieldMapping { form_field: form.into(), target: target.into() });
    }
    let district = District::new(crate::snapshot::tests::sample(), m, DistrictSettings::default()).unwrap();
    let mut app = application();
    let block = |id: &str, fields: &[(&str, &str)]| ContactBlock {
        block: id.into(),
        fields: fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
    };
    app.contacts = vec![
        block("contact1", &[("first_name", "Maria"), ("last_name", "GARCIA"), ("mobile_phone", "555.201.3344")]),
        block("contact2", &[("first_name", "Tomás"), ("last_name", "Okafor"), ("mobile_phone", "555-12")]),
    ];
    let prepared = ApplicationReview::prepare(&district, &app, &[], &reviewer());
    let show = |review: &Review| {
        let mut out = String::new();
        for c in &review.contacts {
            out.push_str(&format!("{} {:?} decided={}\n", c.matches.block, c.decision.state, c.decision.decided));
            for cand in &c.matches.candidates {
                let evidence: Vec<_> = cand.evidence.iter().map(|e| e.text.as_str()).collect();
                out.push_str(&format!("  person {} {}: {}\n", cand.person_id, cand.name, evidence.join("; ")));
            }
            for n in &c.matches.notes {
                out.push_str(&format!("  note: {n}\n"));
            }
        }
        out
    };
    expect![[r#"
        contact1 Undecided decided=false
          person 500 María García: last name exact (GARCIA = García); first name exact (Maria = María); no middle name on either; phone matches (Mobile); already a contact of this student
        contact2 New decided=true
          note: phone "555-12" is not a phone number (expected 10 digits (North American) or +country code): not used for matching
    "#]]
    .assert_eq(&show(&prepared.decide(&Decisions::default())));
    let mut decisions = Decisions::default();
    decisions.contacts.blocks.entry("contact1".into()).or_default().state =
        Some(ContactState::Confirmed(PersonId(500)));
    let review = prepared.decide(&decisions);
    assert!(review.contacts[0].decision.decided);
    assert_eq!(review.contacts[0].decision.state, ContactState::Confirmed(PersonId(500)));

    // Two undecided blocks are two things to do, though their words agree.
    app.contacts.push(block("contact3", &[("first_name", "Maria"), ("last_name", "Garcia")]));
    let review = ApplicationReview::prepare(&district, &app, &[], &reviewer()).decide(&Decisions::default());
    let undecided: Vec<_> = review
        .blockers
        .iter()
        .filter(|b| b.section == Section::Contacts && b.message.starts_with("a possible match"))
        .map(|b| b.field.clone())
        .collect();
    let block = |id: &str| Some(BlockerPlace::Block(id.to_string()));
    assert_eq!(undecided, [block("contact1"), block("contact3")]);
}
