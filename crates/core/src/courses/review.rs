//! [`CoursesReview`]: an application's course requests prepared once
//! (prerequisites, the table's rows, the snapshot data they need), then the
//! picker and decisions applied cheaply on every click.

use std::collections::BTreeSet;

use serde::Serialize;

use super::catalog::{Catalog, SectionsElsewhere};
use super::decision::Approval;
use super::picker::{self, SectionOption, SectionPicker};
use super::prerequisites::{self, CourseSettings, PrerequisiteCheck, Staff};
use crate::application::Application;
use crate::domain::{Date, SchoolNumber, StudentNumber, TermId};
use crate::flatfile::SchedulesFile;
use crate::snapshot::Snapshot;

/// One requested course, before decisions: a row of the course table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CourseRequest {
    /// Course_Number as requested (trimmed): the key of its decision.
    pub course_number: String,
    /// The name in PowerSchool's catalog, else as the form showed it.
    pub course_name: String,
    /// Whether Courses has the course.
    pub in_catalog: bool,
    /// What is wrong with the request (unknown course, no section anywhere,
    /// requested twice), and what to do.
    pub problem: Option<String>,
}

/// One requested course with its decision applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CourseRow {
    /// The request.
    #[serde(flatten)]
    pub request: CourseRequest,
    /// Pending, Approved or Denied.
    pub approval: Approval,
    /// The chosen section, when it is a known section of this course.
    pub section: Option<SectionOption>,
    /// The entry date (DateEnrolled): staff's, else the default for the
    /// chosen section's term.
    pub entry_date: Option<Date>,
    /// DateLeft: the day after the chosen section's term ends.
    pub date_left: Option<Date>,
    /// Whether staff confirmed enrolling in a full section.
    pub confirm_full: bool,
    /// For a pending course: what would block it if it were approved as it
    /// stands (a period conflict, the student already enrolled, a full
    /// section not confirmed), so staff see it before approving.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub if_approved: Vec<String>,
}

/// One of the student's active enrolments in PowerSchool (CC), for the
/// current schedule shown beside the course table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduledCourse {
    /// Course_Number.
    pub course_number: String,
    /// The course's name in Courses, when the snapshot has it.
    pub course_name: Option<String>,
    /// Section_Number.
    pub section_number: String,
    /// The school's name.
    pub school_name: String,
    /// The term's name (or `term <ID>` when Terms lacks it).
    pub term_name: String,
    /// The term's first day (the enrolment's own when Terms lacks the term).
    pub first_day: Date,
    /// The term's last day.
    pub last_day: Date,
    /// When the section meets, as PowerSchool writes it (`3(A)`); empty
    /// when the section is not in the snapshot.
    pub expression: String,
    /// The section's teacher, when the section is in the snapshot.
    pub teacher: String,
    /// Whether the family requested this course again.
    pub requested: bool,
}

/// A problem with the course writeback: a blocker (must be resolved to
/// submit) or a warning (to read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CourseProblem {
    /// The course it concerns; `None` for the writeback as a whole.
    pub course: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

/// The course writeback under a set of decisions: the table, what blocks
/// submitting, and what submitting writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoursesOutcome {
    /// Every prerequisite, met or not.
    pub prerequisites: Vec<PrerequisiteCheck>,
    /// One row per requested course, in the form's order.
    pub rows: Vec<CourseRow>,
    /// What blocks submitting; empty when it may go.
    pub blockers: Vec<CourseProblem>,
    /// What staff should read before submitting (never blocks).
    pub warnings: Vec<CourseProblem>,
    /// The schedules file: `Some` when nothing blocks and a course is
    /// approved. (Serialized as [`CoursesOutcome::schedule_text`].)
    #[serde(skip)]
    pub schedule: Option<SchedulesFile>,
    /// The schedules file's exact bytes, when there is one.
    pub schedule_text: Option<String>,
    /// For the application history: the course numbers written (empty
    /// while blocked).
    pub written: Vec<String>,
    /// For the application history: the course numbers denied (empty
    /// while blocked).
    pub denied: Vec<String>,
}

impl CoursesOutcome {
    /// Whether the writeback may be submitted.
    pub fn ready(&self) -> bool {
        self.blockers.is_empty()
    }

    /// The application-history line: `Courses written: ENG8, ALG1. Courses
    /// denied: ART8.` (`None` while blocked).
    pub fn summary(&self) -> Option<String> {
        if !self.ready() {
            return None;
        }
        let list = |v: &[String]| if v.is_empty() { "none".to_string() } else { v.join(", ") };
        Some(format!("Courses written: {}. Courses denied: {}.", list(&self.written), list(&self.denied)))
    }
}

/// An application's course writeback, prepared: prerequisites checked, the
/// requested courses looked up, the snapshot data they need kept.
#[derive(Debug, Clone)]
pub struct CoursesReview {
    pub(crate) application_school: SchoolNumber,
    pub(crate) student_school: Option<SchoolNumber>,
    pub(crate) student_number: Option<StudentNumber>,
    pub(crate) today: Date,
    pub(crate) prerequisites: Vec<PrerequisiteCheck>,
    pub(crate) requests: Vec<CourseRequest>,
    pub(crate) catalog: Catalog,
}

impl CoursesReview {
    /// Prepares the course writeback of `application` against `snapshot`,
    /// for `staff` in a district with `settings`, on `today`.
    pub fn prepare(
        snapshot: &Snapshot,
        application: &Application,
        settings: &CourseSettings,
        staff: &Staff,
        today: Date,
    ) -> CoursesReview {
        CoursesReview::prepare_sliced(snapshot, application, settings, staff, today, &[])
    }

    /// As [`CoursesReview::prepare`], from a review slice whose sections at
    /// some schools are left out, `elsewhere` counting them.
    pub fn prepare_sliced(
        snapshot: &Snapshot,
        application: &Application,
        settings: &CourseSettings,
        staff: &Staff,
        today: Date,
        elsewhere: &[SectionsElsewhere],
    ) -> CoursesReview {
        let student =
            application.student_number.as_ref().and_then(|n| snapshot.students.iter().find(|s| &s.student_number == n));
        let prerequisites = prerequisites::check(settings, staff, application, student);
        let requested: BTreeSet<&str> = crate::sort::set(application.courses.iter().map(|c| c.course_number.trim()));
        let catalog = Catalog::new(snapshot, &requested, student, elsewhere);

        let mut requests: Vec<CourseRequest> = Vec::new();
        for c in &application.courses {
            let number = c.course_number.trim();
            if let Some(r) = requests.iter_mut().find(|r| r.course_number == number) {
                r.problem.get_or_insert_with(|| format!("{number} was requested more than once: it is listed once"));
                continue;
            }
            let course = catalog.course(number);
            let problem = if number.is_empty() {
                Some("a requested course has no course number: deny it".to_string())
            } else if course.is_none() {
                Some(format!(
                    "{number} is not in PowerSchool's course catalog (Courses): deny it, or ask the registrar to add the course and refresh the snapshot"
                ))
            } else if catalog.schools_of(number).is_empty() {
                Some(format!("no school has a section of {number}: deny it, or ask the registrar to add a section"))
            } else {
                None
            };
            requests.push(CourseRequest {
                course_number: number.to_string(),
                course_name: course.map(|c| c.name.clone()).unwrap_or_else(|| c.course_name.trim().to_string()),
                in_catalog: course.is_some(),
                problem,
            });
        }
        CoursesReview {
            application_school: application.school_id,
            student_school: student.map(|s| s.school_id),
            student_number: student.map(|s| s.student_number.clone()),
            today,
            prerequisites,
            requests,
            catalog,
        }
    }

    /// Every prerequisite, met or not.
    pub fn prerequisites(&self) -> &[PrerequisiteCheck] {
        &self.prerequisites
    }

    /// Whether every prerequisite is met (the UI offers the writeback only then).
    pub fn available(&self) -> bool {
        self.prerequisites.iter().all(|p| p.unmet.is_none())
    }

    /// The requested courses, one row each, in the form's order.
    pub fn requests(&self) -> &[CourseRequest] {
        &self.requests
    }

    /// The student's current schedule: every active CC enrolment whose
    /// term has not ended by `today`, by first day, then first period (a
    /// section without a readable Expression last), then course number.
    pub fn current_schedule(&self) -> Vec<ScheduledCourse> {
        let mut current: Vec<_> = self.catalog.current_from(self.today).collect();
        crate::sort::by_key(&mut current, |c| (c.span.first, c.first_period(), c.course_number.clone()));
        current
            .into_iter()
            .map(|c| ScheduledCourse {
                course_number: c.course_number.clone(),
                course_name: c.course_name.clone(),
                section_number: c.section_number.clone(),
                school_name: self.catalog.school_name(c.school_id),
                term_name: c.term_name.clone(),
                first_day: c.span.first,
                last_day: c.span.last,
                expression: c.expression.clone(),
                teacher: c.teacher.clone(),
                requested: self.requests.iter().any(|r| r.course_number == c.course_number),
            })
            .collect()
    }

    /// The section picker for `course_number`. `school` defaults to the
    /// application's school (else the student's) when it has a section of
    /// the course; `term` to the school's year term (see
    /// [`SectionPicker`]); `entry_date` to [`super::default_entry_date`] of
    /// the term. Lists the course's sections at the school whose term covers
    /// the entry date.
    pub fn picker(
        &self,
        course_number: &str,
        school: Option<SchoolNumber>,
        term: Option<TermId>,
        entry_date: Option<Date>,
    ) -> SectionPicker {
        let number = course_number.trim();
        let name = self.requests.iter().find(|r| r.course_number == number).map(|r| r.course_name.as_str());
        let mut home = vec![self.application_school];
        home.extend(self.student_school.filter(|&s| s != self.application_school));
        let mut p = picker::pick(
            &self.catalog,
            &picker::Query {
                course_number: number,
                course_name: name.unwrap_or(""),
                home: &home,
                today: self.today,
                school,
                term,
                entry_date,
            },
        );
        if name.is_none() {
            p.sections.clear();
            p.message = Some(format!("{number} is not one of the requested courses"));
        }
        p
    }
}
