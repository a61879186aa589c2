//! The course writeback end to end in the core: prerequisites, the section
//! picker, every rule, and the schedules file, through data-driven `check`
//! helpers; then every approved application of a generated district.

use expect_test::{expect, Expect};

use super::*;
use crate::application::{Application, ApplicationId, ApplicationStatus, RequestedCourse};
use crate::domain::{Date, SchoolNumber, SectionId, StudentId, StudentNumber, TermId};
use crate::flatfile::{SchedulesFile, SCHEDULE_COLUMNS};
use crate::snapshot::{Course, CourseEnrollment, School, Section, Snapshot, Term};

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// The sample snapshot (student 1001, id 1, at Lincoln Middle 101, in ENG8
/// section 1 for the year) grown into a small master schedule.
fn snapshot() -> Snapshot {
    let mut s = crate::snapshot::tests::sample();
    s.schools.push(School { school_number: SchoolNumber(102), name: "Lincoln High".into() });
    let term = |id, school_id, name: &str, abbreviation: &str, first, last, is_year| Term {
        id: TermId(id),
        school_id: SchoolNumber(school_id),
        name: name.into(),
        abbreviation: abbreviation.into(),
        first_day: date(first),
        last_day: date(last),
        year_id: 36,
        is_year,
    };
    s.terms.extend([
        term(3601, 101, "Semester 1", "S1", "2026-08-19", "2027-01-15", false),
        term(3602, 101, "Semester 2", "S2", "2027-01-19", "2027-06-04", false),
        term(3500, 101, "2025-2026", "25-26", "2025-08-20", "2026-06-05", true),
        term(3600, 102, "2026-2027", "26-27", "2026-08-19", "2027-06-04", true),
    ]);
    for (number, name) in [
        ("MATH8", "Math 8"),
        ("SCI8", "Science 8"),
        ("ART8", "Art 8"),
        ("PE8", "PE 8"),
        ("HIST8", "History 8"),
        ("BAND", "Band"),
    ] {
        s.courses.push(Course { course_number: number.into(), name: name.into(), credit_hours: 1.0 });
    }
    let section = |id, course: &str, number: &str, school_id, term_id, expression: &str, max, enrolled| Section {
        id: SectionId(id),
        dcid: id,
        course_number: course.into(),
        section_number: number.into(),
        school_id: SchoolNumber(school_id),
        term_id: TermId(term_id),
        teacher: format!("Teacher {id}"),
        expression: expression.into(),
        room: format!("R{}", id % 100),
        max_enrollment: max,
        enrolled,
    };
    s.sections.extend([
        section(3101, "MATH8", "1", 101, 3600, "2(A)", 28, 20),
        section(3102, "MATH8", "2", 101, 3600, "3(A)", 28, 28),
        section(3103, "MATH8", "10", 101, 3601, "2-3(A)", 30, 10),
        section(3104, "MATH8", "3", 101, 3500, "2(A)", 30, 10),
        section(3201, "SCI8", "1", 101, 3601, "2(A-B)", 30, 12),
        section(3202, "SCI8", "2", 101, 3602, "2(A)", 30, 12),
        section(3203, "SCI8", "3", 101, 3600, "4(B)", 30, 31),
        section(3301, "ART8", "1", 102, 3600, "5(A)", 24, 3),
        section(3302, "ART8", "2", 101, 3602, "6(A)", 24, 3),
        section(3401, "PE8", "1", 101, 3600, "gym", 40, 3),
        section(3501, "HIST8", "1", 101, 3600, "7(A)", 30, 25),
        section(3601, "BAND", "1", 101, 3600, "3(A)", 60, 40),
    ]);
    let cc = |id, section_id: i64, term_id: i64, course: &str| CourseEnrollment {
        id,
        student_id: StudentId(1),
        section_id: SectionId(section_id),
        school_id: SchoolNumber(101),
        term_id: TermId(term_id),
        course_number: course.into(),
        section_number: "1".into(),
        date_enrolled: date("2026-08-19"),
        date_left: date("2027-06-05"),
    };
    // Dropped from HIST8 (negative ids); in BAND, period 3 day A.
    s.enrollments.extend([cc(2, -3501, -3600, "HIST8"), cc(3, 3601, 3600, "BAND")]);
    s
}

fn application(courses: &[&str]) -> Application {
    Application {
        id: ApplicationId::parse("APP-1").unwrap(),
        status: ApplicationStatus::Approved,
        enrollment_written_back: true,
        student_number: Some(StudentNumber::parse("1001").unwrap()),
        school_id: SchoolNumber(101),
        submitted_at: "2026-08-01T10:00:00Z".into(),
        family_batch: None,
        student: Default::default(),
        contacts: vec![],
        courses: courses
            .iter()
            .map(|c| RequestedCourse { course_number: c.to_string(), course_name: format!("form name of {c}") })
            .collect(),
    }
}

/// Everything a review is prepared from; tests change one thing at a time.
struct World {
    snapshot: Snapshot,
    application: Application,
    settings: CourseSettings,
    staff: Staff,
    today: Date,
}

impl World {
    fn new(courses: &[&str]) -> World {
        World {
            snapshot: snapshot(),
            application: application(courses),
            settings: CourseSettings { feature_enabled: true, autocomm: None },
            staff: Staff { name: "Dana Reyes".into(), permissions: vec![COURSE_WRITEBACK_PERMISSION.into()] },
            today: date("2026-08-10"),
        }
    }

    fn review(&self) -> CoursesReview {
        CoursesReview::prepare(&self.snapshot, &self.application, &self.settings, &self.staff, self.today)
    }
}

/// Prepares `world`, applies `decisions` (JSON, as the UI stores them) and
/// prints the outcome: unmet prerequisites, rows, blockers, warnings, the
/// file column by column, and the history summary.
fn check(world: World, decisions: &str, expect: Expect) {
    let decisions: CourseDecisions = serde_json::from_str(decisions).unwrap();
    let outcome = world.review().decide(&decisions);
    let mut out = String::new();
    for p in &outcome.prerequisites {
        if let Some(why) = &p.unmet {
            out.push_str(&format!("UNMET {:?}: {why}\n", p.prerequisite));
        }
    }
    for r in &outcome.rows {
        let section = r.section.as_ref().map(|s| format!("#{} {}", s.section_number, s.term.name));
        out.push_str(&format!(
            "{} {:?} [{}] section={} entry={} left={}{}\n",
            r.request.course_number,
            r.request.course_name,
            r.approval.label(),
            section.unwrap_or("-".into()),
            r.entry_date.map(|d| d.to_string()).unwrap_or("-".into()),
            r.date_left.map(|d| d.to_string()).unwrap_or("-".into()),
            r.request.problem.as_ref().map(|p| format!(" PROBLEM {p}")).unwrap_or_default(),
        ));
        for why in &r.if_approved {
            out.push_str(&format!("  IF APPROVED: {why}\n"));
        }
    }
    for (kind, list) in [("BLOCKED", &outcome.blockers), ("WARN", &outcome.warnings)] {
        for p in list {
            out.push_str(&format!("{kind} {}: {}\n", p.course.as_deref().unwrap_or("*"), p.message));
        }
    }
    match (&outcome.schedule, &outcome.schedule_text) {
        (Some(file), Some(text)) => {
            assert_eq!(&SchedulesFile::read(text).unwrap(), file, "the file reads back as written");
            for line in text.lines().skip(1) {
                let cells: Vec<String> =
                    SCHEDULE_COLUMNS.iter().zip(line.split('\t')).map(|(c, v)| format!("{c}={v}")).collect();
                out.push_str(&format!("FILE {}\n", cells.join(" ")));
            }
        }
        (None, None) => out.push_str("no file\n"),
        _ => panic!("schedule and schedule_text disagree"),
    }
    out.push_str(&format!(
        "ready={} written={:?} denied={:?} summary={:?}\n",
        outcome.ready(),
        outcome.written,
        outcome.denied,
        outcome.summary()
    ));
    // The outcome goes into the JSON review document.
    serde_json::to_string(&outcome).unwrap();
    expect.assert_eq(&out);
}

#[test]
fn prerequisites_each_name_what_to_do() {
    let mut w = World::new(&[]);
    w.settings.feature_enabled = false;
    w.staff.permissions = vec!["Application Writeback".into()];
    w.application.status = ApplicationStatus::Submitted;
    w.application.enrollment_written_back = false;
    w.application.student_number = Some(StudentNumber::parse("2002").unwrap());
    check(
        w,
        "{}",
        expect![[r#"
            UNMET FeatureEnabled: course writeback is a beta feature that is not turned on for this district: ask support to enable it
            UNMET Permission: Dana Reyes does not hold the "Application Course Writeback" permission: ask a district administrator to grant it
            UNMET ApplicationApproved: the application is submitted, not approved: only approved applications have courses written back
            UNMET EnrollmentWrittenBack: student 2002 is not in PowerSchool yet: write the enrolment back first
            UNMET HasCourses: the application has no course requests: there is nothing to write back
            BLOCKED *: course writeback is a beta feature that is not turned on for this district: ask support to enable it
            BLOCKED *: Dana Reyes does not hold the "Application Course Writeback" permission: ask a district administrator to grant it
            BLOCKED *: the application is submitted, not approved: only approved applications have courses written back
            BLOCKED *: student 2002 is not in PowerSchool yet: write the enrolment back first
            BLOCKED *: the application has no course requests: there is nothing to write back
            no file
            ready=false written=[] denied=[] summary=None
        "#]],
    );
}

#[test]
fn enrolment_must_be_written_back_and_in_the_snapshot() {
    let mut w = World::new(&["MATH8"]);
    w.application.student_number = None;
    w.staff.permissions = vec!["  application course WRITEBACK ".into()];
    check(
        w,
        r#"{"MATH8": {"approval": "denied"}}"#,
        expect![[r#"
            UNMET EnrollmentWrittenBack: the student has no student number yet: write the enrolment back first
            MATH8 "Math 8" [Denied] section=- entry=- left=-
            BLOCKED *: the student has no student number yet: write the enrolment back first
            no file
            ready=false written=[] denied=[] summary=None
        "#]],
    );
    let mut w = World::new(&["MATH8"]);
    w.application.student_number = Some(StudentNumber::parse("2002").unwrap());
    check(
        w,
        r#"{"MATH8": {"approval": "denied"}}"#,
        expect![[r#"
            UNMET EnrollmentWrittenBack: the enrolment was written back, but student 2002 is not in the snapshot yet: wait for the import, then refresh the snapshot
            MATH8 "Math 8" [Denied] section=- entry=- left=-
            BLOCKED *: the enrolment was written back, but student 2002 is not in the snapshot yet: wait for the import, then refresh the snapshot
            no file
            ready=false written=[] denied=[] summary=None
        "#]],
    );
}

#[test]
fn the_table_has_one_row_per_requested_course() {
    check(
        World::new(&["MATH8", " SCI8 ", "XYZ9", "MATH8", "", "ART8"]),
        "{}",
        expect![[r#"
            MATH8 "Math 8" [Pending] section=- entry=- left=- PROBLEM MATH8 was requested more than once: it is listed once
            SCI8 "Science 8" [Pending] section=- entry=- left=-
            XYZ9 "form name of XYZ9" [Pending] section=- entry=- left=- PROBLEM XYZ9 is not in PowerSchool's course catalog (Courses): deny it, or ask the registrar to add the course and refresh the snapshot
             "form name of" [Pending] section=- entry=- left=- PROBLEM a requested course has no course number: deny it
            ART8 "Art 8" [Pending] section=- entry=- left=-
            BLOCKED *: approve or deny at least one course before submitting
            WARN MATH8: MATH8 is still pending: it is neither written nor denied
            WARN SCI8: SCI8 is still pending: it is neither written nor denied
            WARN XYZ9: XYZ9 is still pending: it is neither written nor denied
            WARN : the course without a number is still pending: it is neither written nor denied
            WARN ART8: ART8 is still pending: it is neither written nor denied
            no file
            ready=false written=[] denied=[] summary=None
        "#]],
    );
}

#[test]
fn approved_courses_are_written_and_denied_ones_recorded() {
    check(
        World::new(&["MATH8", "SCI8", "ART8", "XYZ9"]),
        r#"{
            "MATH8": {"section_id": 3101, "approval": "approved"},
            "SCI8": {"section_id": 3203, "entry_date": "2026-09-01", "approval": "approved", "confirm_full": true},
            "ART8": {"section_id": 3302, "approval": "denied"},
            "XYZ9": {"approval": "denied"}
        }"#,
        expect![[r#"
            MATH8 "Math 8" [Approved] section=#1 2026-2027 entry=2026-08-19 left=2027-06-05
            SCI8 "Science 8" [Approved] section=#3 2026-2027 entry=2026-09-01 left=2027-06-05
            ART8 "Art 8" [Denied] section=#2 Semester 2 entry=2027-01-19 left=2027-06-05
            XYZ9 "form name of XYZ9" [Denied] section=- entry=- left=- PROBLEM XYZ9 is not in PowerSchool's course catalog (Courses): deny it, or ask the registrar to add the course and refresh the snapshot
            WARN SCI8: SCI8 section 3 is full (31 of 30 seats taken)
            FILE Student_Number=1001 Course_Number=MATH8 Section_Number=1 SchoolID=101 TermID=3600 DateEnrolled=08/19/2026 DateLeft=06/05/2027
            FILE Student_Number=1001 Course_Number=SCI8 Section_Number=3 SchoolID=101 TermID=3600 DateEnrolled=09/01/2026 DateLeft=06/05/2027
            ready=true written=["MATH8", "SCI8"] denied=["ART8", "XYZ9"] summary=Some("Courses written: MATH8, SCI8. Courses denied: ART8, XYZ9.")
        "#]],
    );
}

#[test]
fn denying_everything_submits_without_a_file() {
    check(
        World::new(&["MATH8", "SCI8"]),
        r#"{"MATH8": {"approval": "denied"}, "SCI8": {"approval": "denied"}}"#,
        expect![[r#"
            MATH8 "Math 8" [Denied] section=- entry=- left=-
            SCI8 "Science 8" [Denied] section=- entry=- left=-
            no file
            ready=true written=[] denied=["MATH8", "SCI8"] summary=Some("Courses written: none. Courses denied: MATH8, SCI8.")
        "#]],
    );
}

#[test]
fn the_entry_date_defaults_to_today_inside_a_running_term() {
    let mut w = World::new(&["MATH8"]);
    w.today = date("2026-11-20");
    check(
        w,
        r#"{"MATH8": {"section_id": 3103, "approval": "approved"}}"#,
        expect![[r#"
            MATH8 "Math 8" [Approved] section=#10 Semester 1 entry=2026-11-20 left=2027-01-16
            WARN MATH8: MATH8 section 10 meets in period 3 on day A, as does the student's current BAND section 1 (2026-2027): check the student's schedule in PowerSchool
            FILE Student_Number=1001 Course_Number=MATH8 Section_Number=10 SchoolID=101 TermID=3601 DateEnrolled=11/20/2026 DateLeft=01/16/2027
            ready=true written=["MATH8"] denied=[] summary=Some("Courses written: MATH8. Courses denied: none.")
        "#]],
    );
}

#[test]
fn an_approved_course_needs_a_section_of_that_course() {
    check(
        World::new(&["MATH8", "SCI8", "ART8", "PE8", "XYZ9"]),
        r#"{
            "MATH8": {"approval": "approved"},
            "SCI8": {"section_id": 3101, "approval": "approved"},
            "ART8": {"section_id": 999, "approval": "approved"},
            "XYZ9": {"approval": "approved"},
            "HIST8": {"approval": "denied"}
        }"#,
        expect![[r#"
            MATH8 "Math 8" [Approved] section=- entry=- left=-
            SCI8 "Science 8" [Approved] section=- entry=- left=-
            ART8 "Art 8" [Approved] section=- entry=- left=-
            PE8 "PE 8" [Pending] section=- entry=- left=-
            XYZ9 "form name of XYZ9" [Approved] section=- entry=- left=- PROBLEM XYZ9 is not in PowerSchool's course catalog (Courses): deny it, or ask the registrar to add the course and refresh the snapshot
            BLOCKED HIST8: a decision is given for "HIST8", which the family did not request: remove it
            BLOCKED MATH8: MATH8 is approved without a section: choose a section of MATH8, or deny it
            BLOCKED SCI8: the section chosen for SCI8 (Sections.ID 3101) is section 1 of MATH8: choose a section of SCI8
            BLOCKED ART8: the section chosen for ART8 (Sections.ID 999) is not a section of ART8 in the snapshot: choose a section again
            BLOCKED XYZ9: XYZ9 is not in PowerSchool's course catalog (Courses): deny it, or ask the registrar to add the course and refresh the snapshot
            WARN PE8: PE8 is still pending: it is neither written nor denied
            no file
            ready=false written=[] denied=[] summary=None
        "#]],
    );
}

#[test]
fn the_entry_date_must_lie_within_the_sections_term() {
    check(
        World::new(&["MATH8", "ART8"]),
        r#"{
            "MATH8": {"section_id": 3103, "entry_date": "2027-01-16", "approval": "approved"},
            "ART8": {"section_id": 3302, "entry_date": "01/19/2027", "approval": "approved"}
        }"#,
        expect![[r#"
            MATH8 "Math 8" [Approved] section=#10 Semester 1 entry=2027-01-16 left=2027-01-16
            ART8 "Art 8" [Approved] section=#2 Semester 2 entry=2027-01-19 left=2027-06-05
            BLOCKED MATH8: the entry date 01/16/2027 is outside Semester 1 (08/19/2026-01/15/2027), the term of MATH8 section 10: choose an entry date within the term
            WARN MATH8: MATH8 section 10 meets in period 3 on day A, as does the student's current BAND section 1 (2026-2027): check the student's schedule in PowerSchool
            no file
            ready=false written=[] denied=[] summary=None
        "#]],
    );
}

#[test]
fn two_approved_sections_may_not_meet_together() {
    // MATH8 1 meets 2(A) all year; SCI8 1 meets 2(A-B) in S1: clash. SCI8 2
    // (S2) clashes with MATH8 1 but not with MATH8 10 (S1, 2-3(A)).
    check(
        World::new(&["MATH8", "SCI8"]),
        r#"{
            "MATH8": {"section_id": 3101, "approval": "approved"},
            "SCI8": {"section_id": 3201, "approval": "approved"}
        }"#,
        expect![[r#"
            MATH8 "Math 8" [Approved] section=#1 2026-2027 entry=2026-08-19 left=2027-06-05
            SCI8 "Science 8" [Approved] section=#1 Semester 1 entry=2026-08-19 left=2027-01-16
            BLOCKED SCI8: SCI8 section 1 and MATH8 section 1 both meet in period 2 on day A (08/19/2026-01/15/2027): choose another section for one of them
            no file
            ready=false written=[] denied=[] summary=None
        "#]],
    );
    check(
        World::new(&["MATH8", "SCI8"]),
        r#"{
            "MATH8": {"section_id": 3103, "approval": "approved"},
            "SCI8": {"section_id": 3202, "approval": "approved"}
        }"#,
        expect![[r#"
            MATH8 "Math 8" [Approved] section=#10 Semester 1 entry=2026-08-19 left=2027-01-16
            SCI8 "Science 8" [Approved] section=#2 Semester 2 entry=2027-01-19 left=2027-06-05
            WARN MATH8: MATH8 section 10 meets in period 3 on day A, as does the student's current BAND section 1 (2026-2027): check the student's schedule in PowerSchool
            FILE Student_Number=1001 Course_Number=MATH8 Section_Number=10 SchoolID=101 TermID=3601 DateEnrolled=08/19/2026 DateLeft=01/16/2027
            FILE Student_Number=1001 Course_Number=SCI8 Section_Number=2 SchoolID=101 TermID=3602 DateEnrolled=01/19/2027 DateLeft=06/05/2027
            ready=true written=["MATH8", "SCI8"] denied=[] summary=Some("Courses written: MATH8, SCI8. Courses denied: none.")
        "#]],
    );
}

#[test]
fn an_existing_enrolment_in_an_overlapping_term_blocks() {
    // ENG8 is in CC for the year; HIST8's CC row is dropped (negative ids).
    let mut w = World::new(&["ENG8", "HIST8"]);
    w.snapshot.sections.push(Section {
        id: SectionId(3002),
        dcid: 3002,
        course_number: "ENG8".into(),
        section_number: "2".into(),
        school_id: SchoolNumber(101),
        term_id: TermId(3602),
        teacher: "Ruiz, Elena".into(),
        expression: "5(A)".into(),
        room: "B12".into(),
        max_enrollment: 28,
        enrolled: 2,
    });
    check(
        w,
        r#"{
            "ENG8": {"section_id": 3002, "approval": "approved"},
            "HIST8": {"section_id": 3501, "approval": "approved"}
        }"#,
        expect![[r#"
            ENG8 "English 8" [Approved] section=#2 Semester 2 entry=2027-01-19 left=2027-06-05
            HIST8 "History 8" [Approved] section=#1 2026-2027 entry=2026-08-19 left=2027-06-05
            BLOCKED ENG8: the student is already enrolled in ENG8 (section 1, 2026-2027): deny the course, or choose a section in a term that does not overlap
            no file
            ready=false written=[] denied=[] summary=None
        "#]],
    );
}

#[test]
fn a_pending_course_says_what_would_block_it() {
    // MATH8 is approved in period 2 all year. Pending: SCI8 1 also meets in
    // period 2; BAND, without a section, is a course the student takes
    // already; ART8 2 (S2, period 6) is clear. Then a full section.
    check(
        World::new(&["MATH8", "SCI8", "BAND", "ART8"]),
        r#"{
            "MATH8": {"section_id": 3101, "approval": "approved"},
            "SCI8": {"section_id": 3201},
            "BAND": {},
            "ART8": {"section_id": 3302}
        }"#,
        expect![[r#"
            MATH8 "Math 8" [Approved] section=#1 2026-2027 entry=2026-08-19 left=2027-06-05
            SCI8 "Science 8" [Pending] section=#1 Semester 1 entry=2026-08-19 left=2027-01-16
              IF APPROVED: SCI8 section 1 and MATH8 section 1 both meet in period 2 on day A (08/19/2026-01/15/2027): choose another section for one of them
            BAND "Band" [Pending] section=- entry=- left=-
              IF APPROVED: the student is already enrolled in BAND (section 1, 2026-2027): approve it only in a term that does not overlap
            ART8 "Art 8" [Pending] section=#2 Semester 2 entry=2027-01-19 left=2027-06-05
            WARN SCI8: SCI8 is still pending: it is neither written nor denied
            WARN BAND: BAND is still pending: it is neither written nor denied
            WARN ART8: ART8 is still pending: it is neither written nor denied
            FILE Student_Number=1001 Course_Number=MATH8 Section_Number=1 SchoolID=101 TermID=3600 DateEnrolled=08/19/2026 DateLeft=06/05/2027
            ready=true written=["MATH8"] denied=[] summary=Some("Courses written: MATH8. Courses denied: none.")
        "#]],
    );
    let mut w = World::new(&["SCI8"]);
    w.application.courses.push(RequestedCourse { course_number: "MATH8".into(), course_name: "Math".into() });
    check(
        w,
        r#"{
            "SCI8": {"section_id": 3203},
            "MATH8": {"section_id": 3102, "approval": "denied"}
        }"#,
        expect![[r#"
            SCI8 "Science 8" [Pending] section=#3 2026-2027 entry=2026-08-19 left=2027-06-05
              IF APPROVED: SCI8 section 3 is full: confirm enrolling beyond its 30 seats, or choose another section
            MATH8 "Math 8" [Denied] section=#2 2026-2027 entry=2026-08-19 left=2027-06-05
            WARN SCI8: SCI8 is still pending: it is neither written nor denied
            no file
            ready=true written=[] denied=["MATH8"] summary=Some("Courses written: none. Courses denied: MATH8.")
        "#]],
    );
    // BAND 1, which the student takes, approved again (blocked): MATH8 2,
    // meeting with it, is told of the clash once, not again as a clash
    // with the current schedule.
    check(
        World::new(&["BAND", "MATH8"]),
        r#"{
            "BAND": {"section_id": 3601, "approval": "approved"},
            "MATH8": {"section_id": 3102, "confirm_full": true}
        }"#,
        expect![[r#"
            BAND "Band" [Approved] section=#1 2026-2027 entry=2026-08-19 left=2027-06-05
            MATH8 "Math 8" [Pending] section=#2 2026-2027 entry=2026-08-19 left=2027-06-05
              IF APPROVED: MATH8 section 2 and BAND section 1 both meet in period 3 on day A (08/19/2026-06/04/2027): choose another section for one of them
            BLOCKED BAND: the student is already enrolled in BAND (section 1, 2026-2027): deny the course, or choose a section in a term that does not overlap
            WARN MATH8: MATH8 is still pending: it is neither written nor denied
            no file
            ready=false written=[] denied=[] summary=None
        "#]],
    );
}

#[test]
fn the_picker_says_what_each_section_would_conflict_with() {
    // MATH8 1 (period 2, all year) is approved; the student takes BAND in
    // period 3. SCI8 1 and 2 meet in period 2; SCI8 3 (period 4, full) is clear.
    let w = World::new(&["MATH8", "SCI8"]);
    let review = w.review();
    let decisions: CourseDecisions =
        serde_json::from_str(r#"{"MATH8": {"section_id": 3101, "approval": "approved"}}"#).unwrap();
    let out: Vec<String> = [3201, 3202, 3203]
        .into_iter()
        .map(|id| format!("{id}: {:?}", review.conflicts_if_chosen(&decisions, "SCI8", SectionId(id), None)))
        .collect();
    expect![[r#"
        3201: ["SCI8 section 1 and MATH8 section 1 both meet in period 2 on day A (08/19/2026-01/15/2027): choose another section for one of them"]
        3202: ["SCI8 section 2 and MATH8 section 1 both meet in period 2 on day A (01/19/2027-06/04/2027): choose another section for one of them"]
        3203: []"#]].assert_eq(&out.join("\n"));
    // Another section of an approved course is tried in its place (no
    // clash with itself); a clash with the current schedule is said too.
    let own = review.conflicts_if_chosen(&decisions, "MATH8", SectionId(3102), None);
    expect!["MATH8 section 2 meets in period 3 on day A, as does the student's current BAND section 1 (2026-2027): check the student's schedule in PowerSchool"].assert_eq(&own.join("\n"));
}

#[test]
fn the_current_schedule_lists_active_enrolments_by_term_and_period() {
    let mut w = World::new(&["BAND", "MATH8"]);
    let mut s2 = w.snapshot.enrollments[1].clone();
    (s2.id, s2.section_id, s2.term_id, s2.course_number) = (4, SectionId(3202), TermId(3602), "SCI8".into());
    let mut ended = s2.clone();
    (ended.id, ended.section_id, ended.term_id, ended.course_number) =
        (5, SectionId(3104), TermId(3500), "MATH8".into());
    let mut unknown = s2.clone();
    (unknown.id, unknown.section_id, unknown.course_number) = (6, SectionId(9999), "XYZ".into());
    w.snapshot.enrollments.extend([s2, ended, unknown]);
    let out: Vec<String> = w
        .review()
        .current_schedule()
        .iter()
        .map(|c| {
            format!(
                "{} {:?} #{} {} {} {}..{} {:?} {:?} requested={}",
                c.course_number,
                c.course_name,
                c.section_number,
                c.school_name,
                c.term_name,
                c.first_day,
                c.last_day,
                c.expression,
                c.teacher,
                c.requested
            )
        })
        .collect();
    expect![[r#"
        ENG8 Some("English 8") #1 Lincoln Middle 2026-2027 2026-08-19..2027-06-04 "1(A)" "Ruiz, Elena" requested=false
        BAND Some("Band") #1 Lincoln Middle 2026-2027 2026-08-19..2027-06-04 "3(A)" "Teacher 3601" requested=true
        SCI8 Some("Science 8") #1 Lincoln Middle Semester 2 2027-01-19..2027-06-04 "2(A)" "Teacher 3202" requested=false
        XYZ None #1 Lincoln Middle Semester 2 2027-01-19..2027-06-04 "" "" requested=false"#]]
    .assert_eq(&out.join("\n"));
}

#[test]
fn a_full_section_warns_and_needs_confirming() {
    let decisions = |confirm: bool| {
        format!(r#"{{"MATH8": {{"section_id": 3102, "approval": "approved", "confirm_full": {confirm}}}}}"#)
    };
    check(
        World::new(&["MATH8"]),
        &decisions(false),
        expect![[r#"
            MATH8 "Math 8" [Approved] section=#2 2026-2027 entry=2026-08-19 left=2027-06-05
            BLOCKED MATH8: MATH8 section 2 is full: confirm enrolling beyond its 28 seats, or choose another section
            WARN MATH8: MATH8 section 2 is full (28 of 28 seats taken)
            WARN MATH8: MATH8 section 2 meets in period 3 on day A, as does the student's current BAND section 1 (2026-2027): check the student's schedule in PowerSchool
            no file
            ready=false written=[] denied=[] summary=None
        "#]],
    );
    check(
        World::new(&["MATH8"]),
        &decisions(true),
        expect![[r#"
            MATH8 "Math 8" [Approved] section=#2 2026-2027 entry=2026-08-19 left=2027-06-05
            WARN MATH8: MATH8 section 2 is full (28 of 28 seats taken)
            WARN MATH8: MATH8 section 2 meets in period 3 on day A, as does the student's current BAND section 1 (2026-2027): check the student's schedule in PowerSchool
            FILE Student_Number=1001 Course_Number=MATH8 Section_Number=2 SchoolID=101 TermID=3600 DateEnrolled=08/19/2026 DateLeft=06/05/2027
            ready=true written=["MATH8"] denied=[] summary=Some("Courses written: MATH8. Courses denied: none.")
        "#]],
    );
}

#[test]
fn other_schools_and_unreadable_expressions_warn() {
    check(
        World::new(&["ART8", "PE8"]),
        r#"{
            "ART8": {"section_id": 3301, "approval": "approved"},
            "PE8": {"section_id": 3401, "approval": "approved"}
        }"#,
        expect![[r#"
            ART8 "Art 8" [Approved] section=#1 2026-2027 entry=2026-08-19 left=2027-06-05
            PE8 "PE 8" [Approved] section=#1 2026-2027 entry=2026-08-19 left=2027-06-05
            WARN ART8: ART8 section 1 is at Lincoln High, not at the application's school (Lincoln Middle)
            WARN PE8: PE8 section 1: cannot read the Expression "gym": expected periods followed by days in parentheses: check it for period conflicts by hand
            FILE Student_Number=1001 Course_Number=ART8 Section_Number=1 SchoolID=102 TermID=3600 DateEnrolled=08/19/2026 DateLeft=06/05/2027
            FILE Student_Number=1001 Course_Number=PE8 Section_Number=1 SchoolID=101 TermID=3600 DateEnrolled=08/19/2026 DateLeft=06/05/2027
            ready=true written=["ART8", "PE8"] denied=[] summary=Some("Courses written: ART8, PE8. Courses denied: none.")
        "#]],
    );
}

#[test]
fn a_value_that_would_break_the_file_blocks() {
    let mut w = World::new(&["MATH8"]);
    w.snapshot.sections.iter_mut().find(|s| s.id == SectionId(3101)).unwrap().section_number = "1\t2".into();
    check(
        w,
        r#"{"MATH8": {"section_id": 3101, "approval": "approved"}}"#,
        expect![[r#"
            MATH8 "Math 8" [Approved] section=#1	2 2026-2027 entry=2026-08-19 left=2027-06-05
            BLOCKED MATH8: the schedules file cannot be written: line 2, column Section_Number: the value "1\t2" holds a tab, which would break the tab-delimited file
            no file
            ready=false written=[] denied=[] summary=None
        "#]],
    );
}

#[test]
fn decisions_default_and_refuse_unknown_fields() {
    let d: CourseDecisions = serde_json::from_str(r#"{"MATH8": {}}"#).unwrap();
    assert_eq!(d["MATH8"], CourseDecision::default());
    assert_eq!(d["MATH8"].approval, Approval::Pending);
    let bad = serde_json::from_str::<CourseDecisions>(r#"{"MATH8": {"section": 1}}"#).unwrap_err();
    assert!(bad.to_string().contains("unknown field `section`"), "{bad}");
    let bad = serde_json::from_str::<CourseDecisions>(r#"{"MATH8": {"entry_date": "13/45/2026"}}"#).unwrap_err();
    assert!(bad.to_string().contains("date"), "{bad}");
    let s: CourseSettings =
        serde_json::from_str(r#"{"feature_enabled": true, "autocomm": {"days": ["tue", "fri"], "hour": 6}}"#).unwrap();
    assert_eq!(s.autocomm.unwrap().days, vec![Weekday::Tue, Weekday::Fri]);
}

/// Prints the picker for `course` with the given choices, on `today`.
fn check_picker(world: &World, query: (&str, Option<i64>, Option<i64>, Option<&str>), expect: Expect) {
    let (course, school, term, entry) = query;
    let p = world.review().picker(course, school.map(SchoolNumber), term.map(TermId), entry.map(date));
    let mut out = format!("{} {:?}\n", p.course_number, p.course_name);
    let schools: Vec<String> =
        p.schools.iter().map(|s| format!("{} {} ({})", s.school_id, s.name, s.sections)).collect();
    out.push_str(&format!("schools: {} | chosen {}\n", schools.join(", "), p.school_id));
    let terms: Vec<String> = p.terms.iter().map(|t| format!("{} {}", t.term_id, t.abbreviation)).collect();
    out.push_str(&format!("terms: {} | chosen {:?}\n", terms.join(", "), p.term_id));
    out.push_str(&format!("entry date: {:?}\n", p.entry_date.map(|d| d.to_string())));
    for s in &p.sections {
        out.push_str(&format!(
            "  [{}] #{} {} {} periods {:?} days {:?} room {} seats {} {}{}\n",
            s.section_id,
            s.section_number,
            s.term.name,
            s.teacher,
            s.periods,
            s.days,
            s.room,
            s.seats_left,
            s.expression,
            if s.full { " FULL" } else { "" }
        ));
    }
    if let Some(m) = &p.message {
        out.push_str(&format!("message: {m}\n"));
    }
    serde_json::to_string(&p).unwrap();
    expect.assert_eq(&out);
}

#[test]
fn picker_defaults_to_the_year_term_and_its_first_day() {
    let w = World::new(&["MATH8", "SCI8", "ART8", "XYZ9"]);
    check_picker(
        &w,
        ("MATH8", None, None, None),
        expect![[r#"
            MATH8 "Math 8"
            schools: 101 Lincoln Middle (4) | chosen 101
            terms: 3500 25-26, 3600 26-27, 3601 S1, 3602 S2 | chosen Some(3600)
            entry date: Some("2026-08-19")
              [3101] #1 2026-2027 Teacher 3101 periods ["2"] days ["A"] room R1 seats 8 2(A)
              [3102] #2 2026-2027 Teacher 3102 periods ["3"] days ["A"] room R2 seats 0 3(A) FULL
              [3103] #10 Semester 1 Teacher 3103 periods ["2", "3"] days ["A"] room R3 seats 20 2-3(A)
        "#]],
    );
    check_picker(
        &w,
        ("SCI8", None, Some(3602), None),
        expect![[r#"
            SCI8 "Science 8"
            schools: 101 Lincoln Middle (3) | chosen 101
            terms: 3500 25-26, 3600 26-27, 3601 S1, 3602 S2 | chosen Some(3602)
            entry date: Some("2027-01-19")
              [3203] #3 2026-2027 Teacher 3203 periods ["4"] days ["B"] room R3 seats -1 4(B) FULL
              [3202] #2 Semester 2 Teacher 3202 periods ["2"] days ["A"] room R2 seats 18 2(A)
        "#]],
    );
    // ART8 at the other school: only its year section, then none on a date
    // outside the year.
    check_picker(
        &w,
        ("ART8", Some(102), None, None),
        expect![[r#"
            ART8 "Art 8"
            schools: 101 Lincoln Middle (1), 102 Lincoln High (1) | chosen 102
            terms: 3600 26-27 | chosen Some(3600)
            entry date: Some("2026-08-19")
              [3301] #1 2026-2027 Teacher 3301 periods ["5"] days ["A"] room R1 seats 21 5(A)
        "#]],
    );
    check_picker(
        &w,
        ("ART8", Some(102), Some(3601), Some("2027-07-01")),
        expect![[r#"
            ART8 "Art 8"
            schools: 101 Lincoln Middle (1), 102 Lincoln High (1) | chosen 102
            terms: 3600 26-27 | chosen Some(3600)
            entry date: Some("2027-07-01")
            message: term 3601 is not a term of Lincoln High: showing the default term; the entry date 07/01/2027 is outside 2026-2027 (08/19/2026-06/04/2027): showing the sections running on that date; no section of ART8 at Lincoln High runs on 07/01/2027: choose another term or entry date
        "#]],
    );
    check_picker(
        &w,
        ("XYZ9", None, None, None),
        expect![[r#"
            XYZ9 "form name of XYZ9"
            schools: 101 Lincoln Middle (0) | chosen 101
            terms: 3500 25-26, 3600 26-27, 3601 S1, 3602 S2 | chosen Some(3600)
            entry date: Some("2026-08-19")
            message: no school has a section of XYZ9: deny the course, or ask the registrar to add a section
        "#]],
    );
    check_picker(
        &w,
        ("BAND", None, None, None),
        expect![[r#"
            BAND ""
            schools: 101 Lincoln Middle (0) | chosen 101
            terms: 3500 25-26, 3600 26-27, 3601 S1, 3602 S2 | chosen Some(3600)
            entry date: Some("2026-08-19")
            message: BAND is not one of the requested courses
        "#]],
    );
    check_picker(
        &w,
        ("MATH8", Some(999), None, None),
        expect![[r#"
            MATH8 "Math 8"
            schools: 999 School 999 (0), 101 Lincoln Middle (4) | chosen 999
            terms:  | chosen None
            entry date: None
            message: School 999 has no section of MATH8: choose another school, or deny the course; School 999 has no terms in the snapshot: refresh the snapshot
        "#]],
    );
}

/// The default term and entry date for each `today`: before, on the first
/// day, inside, on the last day, after the year; and in a gap between years.
#[test]
fn default_term_and_entry_date_by_today() {
    let snapshot = snapshot();
    let mut out = String::new();
    for today in ["2026-08-10", "2026-08-19", "2026-11-20", "2027-06-04", "2027-06-05", "2026-06-05", "2026-06-20"] {
        let mut w = World::new(&["MATH8"]);
        w.today = date(today);
        let p = w.review().picker("MATH8", None, None, None);
        let term =
            p.term_id.and_then(|id| snapshot.terms.iter().find(|t| t.id == id && t.school_id == SchoolNumber(101)));
        let s1 = snapshot.terms.iter().find(|t| t.id == TermId(3601)).unwrap();
        out.push_str(&format!(
            "today {today}: term {} entry {} (S1 would give {})\n",
            term.map(|t| t.name.as_str()).unwrap_or("-"),
            p.entry_date.map(|d| d.to_string()).unwrap_or("-".into()),
            default_entry_date(s1, w.today)
        ));
    }
    expect![[r#"
        today 2026-08-10: term 2026-2027 entry 2026-08-19 (S1 would give 2026-08-19)
        today 2026-08-19: term 2026-2027 entry 2026-08-19 (S1 would give 2026-08-19)
        today 2026-11-20: term 2026-2027 entry 2026-11-20 (S1 would give 2026-11-20)
        today 2027-06-04: term 2026-2027 entry 2027-06-04 (S1 would give 2026-08-19)
        today 2027-06-05: term 2026-2027 entry 2026-08-19 (S1 would give 2026-08-19)
        today 2026-06-05: term 2025-2026 entry 2026-06-05 (S1 would give 2026-08-19)
        today 2026-06-20: term 2026-2027 entry 2026-08-19 (S1 would give 2026-08-19)
    "#]]
    .assert_eq(&out);
}
