//! The review slice (issue: only the data a review needs): for every
//! application of generated districts, the review the browser prepares from
//! its slice equals the review prepared from the whole district, files byte
//! for byte, under several sets of decisions; and the slice holds nothing of
//! students outside the family and the candidates' "used by".

use std::collections::BTreeSet;

use writeback::application::Application;
use writeback::contacts::ContactState;
use writeback::courses::{Approval, CourseDecision};
use writeback::domain::{Date, PersonId, SectionId, StudentDcid};
use writeback::plan::{ApplicationReview, Decisions, District, Reviewer, SliceIndex};
use writeback_synth::demo::{demo_staff, generate, DemoOptions};

fn reviewer() -> Reviewer {
    Reviewer { staff: demo_staff(), today: Date::parse("2026-09-08").unwrap() }
}

/// Approves a course in `section` (confirming it if full).
fn approve(section: SectionId) -> CourseDecision {
    CourseDecision { section_id: Some(section), entry_date: None, approval: Approval::Approved, confirm_full: true }
}

/// Decisions that make every part write something where it can: each
/// block confirmed as its best candidate (or new), each course approved in
/// the section the picker offers first.
fn decisive(review: &ApplicationReview) -> Decisions {
    let mut d = Decisions::default();
    for m in review.contacts() {
        let state = m.candidates.first().map_or(ContactState::New, |c| ContactState::Confirmed(c.person_id));
        d.contacts.blocks.entry(m.block.clone()).or_default().state = Some(state);
    }
    for c in &review.application().courses {
        let picker = review.courses().picker(&c.course_number, None, None, None);
        if let Some(section) = picker.sections.first() {
            d.courses.insert(c.course_number.trim().to_string(), approve(section.section_id));
        }
    }
    d
}

/// Rejects every candidate and denies every course.
fn dismissive(review: &ApplicationReview) -> Decisions {
    let mut d = Decisions::default();
    for m in review.contacts() {
        let ids = m.candidates.iter().map(|c| c.person_id).collect();
        d.contacts.blocks.entry(m.block.clone()).or_default().state = Some(ContactState::Rejected(ids));
    }
    for c in &review.application().courses {
        d.courses.insert(
            c.course_number.trim().to_string(),
            CourseDecision { section_id: None, entry_date: None, approval: Approval::Denied, confirm_full: false },
        );
    }
    d
}

fn check_district(students: usize, seed: u64) -> (usize, usize, usize) {
    let demo = generate(&DemoOptions { students, seed });
    let district = District::new(demo.snapshot, demo.mappings, demo.settings).unwrap();
    let slicer = SliceIndex::build(&district);
    let reviewer = reviewer();
    let (mut files, mut largest, mut elsewhere_checked) = (0, 0, 0);
    for app in &demo.applications {
        let family: Vec<Application> = demo.applications.clone();
        let whole = ApplicationReview::prepare(&district, app, &family, &reviewer);
        let data = slicer.review_data(&district, app, &family, &reviewer, &[]);
        largest = largest.max(serde_json::to_vec(&data).unwrap().len());
        // The slice travels as JSON.
        let data: writeback::plan::ReviewData = serde_json::from_slice(&serde_json::to_vec(&data).unwrap()).unwrap();
        let sliced = data.prepare(&reviewer).unwrap_or_else(|e| panic!("{}: {e}", app.id));
        assert_eq!(sliced.contacts(), whole.contacts(), "{}: candidates", app.id);
        assert_eq!(
            sliced.courses().current_schedule(),
            whole.courses().current_schedule(),
            "{}: the student's current schedule",
            app.id
        );
        for decisions in [Decisions::default(), decisive(&whole), dismissive(&whole)] {
            let (a, b) = (whole.decide(&decisions), sliced.decide(&decisions));
            if a != b {
                let (a, b) = (serde_json::to_string_pretty(&a).unwrap(), serde_json::to_string_pretty(&b).unwrap());
                let line = a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or(0);
                panic!(
                    "{}: the review from the slice differs from the whole district's at line {line}:\n  whole: {}\n  slice: {}",
                    app.id,
                    a.lines().nth(line).unwrap_or(""),
                    b.lines().nth(line).unwrap_or("")
                );
            }
            files += a.files.len() + usize::from(a.courses.file.is_some());
        }
        for c in &app.courses {
            let default = whole.courses().picker(&c.course_number, None, None, None);
            assert_eq!(
                sliced.courses().picker(&c.course_number, None, None, None),
                default,
                "{}: the section picker for {}",
                app.id,
                c.course_number
            );
            // Another school: the slice lists it; asked for, its sections
            // come, and a section chosen there reviews as in the district.
            let Some(other) = default.schools.iter().find(|s| s.school_id != default.school_id) else { continue };
            let asked = slicer.review_data(&district, app, &family, &reviewer, &[other.school_id]);
            let asked = asked.prepare(&reviewer).unwrap();
            let there = whole.courses().picker(&c.course_number, Some(other.school_id), None, None);
            assert_eq!(asked.courses().picker(&c.course_number, Some(other.school_id), None, None), there);
            if let Some(section) = there.sections.first() {
                let mut d = Decisions::default();
                d.courses.insert(c.course_number.trim().to_string(), approve(section.section_id));
                let schools = slicer.schools_of_sections(&district, [section.section_id]);
                let resliced =
                    slicer.review_data(&district, app, &family, &reviewer, &schools).prepare(&reviewer).unwrap();
                assert_eq!(resliced.decide(&d), whole.decide(&d), "{}: a section at another school", app.id);
                elsewhere_checked += 1;
            }
        }
        check_privacy(&district, app, &data);
    }
    (files, largest, elsewhere_checked)
}

/// Students in the slice: the applicant in full; others only as the
/// "used by" of a candidate or of the student's own contacts, and then
/// only number, ids and name.
fn check_privacy(district: &District, app: &Application, data: &writeback::plan::ReviewData) {
    let whole = district.snapshot();
    let applicant = app.student_number.as_ref().and_then(|n| whole.students.iter().find(|s| &s.student_number == n));
    let persons: BTreeSet<PersonId> = data.snapshot.persons.iter().map(|p| p.id).collect();
    let linked: BTreeSet<StudentDcid> =
        whole.student_contacts.iter().filter(|l| persons.contains(&l.person_id)).map(|l| l.student_dcid).collect();
    for s in &data.snapshot.students {
        if Some(s.dcid) == applicant.map(|a| a.dcid) {
            continue;
        }
        assert!(
            linked.contains(&s.dcid),
            "{}: student {} is in the slice but shares no contact",
            app.id,
            s.student_number
        );
        assert!(
            s.dob.is_none()
                && s.street.is_empty()
                && s.home_phone.is_empty()
                && s.other.is_empty()
                && s.gender.is_empty(),
            "{}: student {} is in the slice with more than their name",
            app.id,
            s.student_number
        );
    }
    let candidates: BTreeSet<PersonId> =
        data.contact_matches.iter().flat_map(|m| m.candidates.iter().map(|c| c.person_id)).collect();
    let own: BTreeSet<PersonId> = applicant
        .map(|a| whole.student_contacts.iter().filter(|l| l.student_dcid == a.dcid).map(|l| l.person_id).collect())
        .unwrap_or_default();
    for p in &persons {
        assert!(
            candidates.contains(p) || own.contains(p),
            "{}: person {p} is neither a candidate nor the student's contact",
            app.id
        );
    }
    for cc in &data.snapshot.enrollments {
        assert_eq!(Some(cc.student_id), applicant.map(|a| a.id), "{}: another student's enrolment", app.id);
    }
    for e in &data.snapshot.extensions {
        assert!(e.rows.len() <= 1, "{}: extension rows of other students", app.id);
    }
}

#[test]
fn the_slice_gives_the_same_review_as_the_whole_district() {
    let (mut total, mut elsewhere) = (0, 0);
    for (students, seed) in [(600, 1), (1500, 7), (3000, 42)] {
        let (files, largest, other_schools) = check_district(students, seed);
        assert!(largest < 200_000, "a slice of {largest} bytes at {students} students");
        total += files;
        elsewhere += other_schools;
    }
    assert!(total > 100, "the decisions wrote only {total} files: the property is not exercised");
    assert!(elsewhere > 10, "only {elsewhere} sections at other schools were checked");
}
