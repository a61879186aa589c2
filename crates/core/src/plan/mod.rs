//! From (snapshot, application, mappings, decisions) to the review staff see
//! and the import files it writes. Both come from [`ApplicationReview::decide`],
//! so the files are exactly what was shown.

mod context;
mod slice;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use context::{District, DistrictSettings, Reviewer};
pub use slice::{search_from_block, BlockSearchError, ReviewData, SliceIndex};

use crate::application::{Application, ApplicationStatus, MappingError};
use crate::contacts::decide::{
    BlockOutcome, ContactBlocker, ContactDecisions, ContactRef, ContactsReview, ExistingOutcome, UnusedContact,
};
use crate::contacts::{family, match_application, ContactMatches, FormContact, MatchContext};
use crate::courses::{CourseDecisions, CoursesOutcome, CoursesReview, SectionsElsewhere};
use crate::demographics::{DemographicsDecisions, DemographicsReview, FieldRow};
use crate::domain::{PersonId, SchoolNumber};
use crate::flatfile::{FileKind, StudentsFile};
use crate::snapshot::Student;

#[cfg(test)]
mod tests;

/// Every decision staff made on one application: the whole state of a review.
/// Everything on screen is derived from it, so a draft can be saved as JSON,
/// restored and undone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decisions {
    /// Demographics: form field id -> Edit / Add / Ignore.
    #[serde(default)]
    pub demographics: DemographicsDecisions,
    /// Contacts: per block the match (confirmed, rejected, new), the
    /// option (update, do not update, unlink, expire), field-level actions
    /// and data access; options for the student's other contacts; the order.
    #[serde(default)]
    pub contacts: ContactDecisions,
    /// Courses: course number -> section, entry date, approval.
    #[serde(default)]
    pub courses: CourseDecisions,
}

impl Decisions {
    /// Parses decisions from JSON.
    pub fn from_json(text: &str) -> Result<Decisions, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// Why a review cannot be prepared at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrepareError {
    /// The mappings do not fit the snapshot.
    #[error("the field mappings do not fit the snapshot: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Mappings(Vec<MappingError>),
}

/// Where in the review a blocker is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// The application as a whole (status, student number).
    Application,
    /// Student demographics.
    Demographics,
    /// The contacts.
    Contacts,
    /// The course writeback.
    Courses,
}

/// Something that must be resolved before the files can be written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocker {
    /// The part of the review it belongs to.
    pub section: Section,
    /// What it concerns, where staff fix it, if one thing.
    pub field: Option<BlockerPlace>,
    /// What is wrong and what to do.
    pub message: String,
}

/// What a blocker concerns: the place on screen staff are taken to fix it.
/// In the review document it is a string (docs/formats.md): the id of the
/// form field, block or course, or `person:<ID>` for a PowerSchool contact
/// no form block stands for; `Debug` shows that string too.
#[derive(Clone, PartialEq, Eq)]
pub enum BlockerPlace {
    /// A form field of the demographics (its id on the form), or the
    /// Students column a value would break.
    Field(String),
    /// A contact block of the form (its id).
    Block(String),
    /// A contact of the student's in PowerSchool that no form block is (its
    /// person ID).
    Person(PersonId),
    /// A requested course (its course number).
    Course(String),
}

impl fmt::Display for BlockerPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BlockerPlace::Field(id) | BlockerPlace::Block(id) | BlockerPlace::Course(id) => f.write_str(id),
            BlockerPlace::Person(id) => write!(f, "person:{id}"),
        }
    }
}

impl fmt::Debug for BlockerPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_string(), f)
    }
}

impl Serialize for BlockerPlace {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A file the review writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedFile {
    /// Which import.
    pub kind: FileKind,
    /// Data rows.
    pub rows: usize,
    /// The file's exact bytes.
    pub text: String,
}

/// Who the application is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudentSummary {
    /// The student number, if assigned.
    pub student_number: Option<String>,
    /// The student's name as PowerSchool has it, or as on the form.
    pub name: String,
    /// The school (School_Number) of the application.
    pub school_id: SchoolNumber,
    /// The school's name (`Schools.Name`), when the export has the school.
    pub school_name: Option<String>,
    /// Whether the student exists in the snapshot.
    pub in_powerschool: bool,
}

/// The review document: what staff see, and what submitting would write.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    /// The application's id.
    pub application_id: String,
    /// The application's status.
    pub status: ApplicationStatus,
    /// The student.
    pub student: StudentSummary,
    /// Every mapped demographic field, decided.
    pub demographics: Vec<FieldRow>,
    /// Every contact block of the form with its ranked candidates and what
    /// staff decided.
    pub contacts: Vec<ContactReview>,
    /// The student's PowerSchool contacts that no block of the form is.
    pub other_contacts: Vec<ExistingOutcome>,
    /// The contacts' final order (Contact Priority Order).
    pub contact_order: Vec<ContactRef>,
    /// The district's order mapping that set the default order (the blocks
    /// of the combination, in order); `None`: the form's order.
    pub contact_order_mapping: Option<Vec<String>>,
    /// Expired contacts that another form block may be: shown at the
    /// bottom as unused contacts.
    pub unused_contacts: Vec<UnusedContact>,
    /// What staff must do in PowerSchool after the import (data access,
    /// which the Student Contacts template cannot carry).
    pub contact_follow_ups: Vec<String>,
    /// What staff should read about the contacts (shared contacts changed
    /// for other students, ignored decisions).
    pub contact_warnings: Vec<String>,
    /// The contacts' blockers as the core states them, with the block or
    /// person and the field (`phone1`, `Data Access`) each is about, so the
    /// screen can show each beside its control. (Also in `blockers`.)
    pub contact_blockers: Vec<ContactBlocker>,
    /// What blocks submitting; empty when it may go.
    pub blockers: Vec<Blocker>,
    /// The files submitting writes (empty while blocked or when nothing is
    /// to be written).
    pub files: Vec<PlannedFile>,
    /// The course writeback: a separate submission with its own
    /// prerequisites, blockers and file.
    pub courses: CourseWriteback,
}

impl Review {
    /// Whether the application writeback (demographics) may be submitted.
    pub fn ready(&self) -> bool {
        self.blockers.is_empty() && !self.files.is_empty()
    }
}

/// One contact block of the form: who it may be in PowerSchool, and what
/// staff decided.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactReview {
    /// The block, its candidates (person id, score, evidence, flags, used
    /// by), the same person on a sibling's application, and notes.
    #[serde(flatten)]
    pub matches: ContactMatches,
    /// What staff decided and what it does: state (undecided, confirmed,
    /// rejected, new), option, position, field rows, data access, warnings.
    pub decision: BlockOutcome,
}

/// The course writeback part of a review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseWriteback {
    /// Prerequisites, the course table, warnings and the history summary.
    #[serde(flatten)]
    pub outcome: CoursesOutcome,
    /// What blocks submitting the course writeback.
    pub blocking: Vec<Blocker>,
    /// The schedules file, when a course is approved and nothing blocks.
    pub file: Option<PlannedFile>,
}

impl CourseWriteback {
    /// Whether the course writeback may be submitted: nothing blocks, and
    /// at least one course is approved or denied.
    pub fn ready(&self) -> bool {
        self.blocking.is_empty() && self.outcome.ready()
    }
}

/// An application prepared for review: the expensive comparing done once.
#[derive(Debug, Clone)]
pub struct ApplicationReview {
    application: Application,
    /// The student's name as the form gives it (through the mappings).
    form_student_name: String,
    /// The contact blocks the mappings can read, as read.
    form_contacts: Vec<FormContact>,
    school_name: Option<String>,
    student: Option<Student>,
    demographics: DemographicsReview,
    contacts: Vec<ContactMatches>,
    contact_review: ContactsReview,
    courses: CoursesReview,
}

/// The application's student in the district, if it has one.
fn find_student<'a>(district: &'a District, application: &Application) -> Option<&'a Student> {
    district.student(application.student_number.as_ref()?)
}

impl ApplicationReview {
    /// Prepares the review of `application` in `district` by `reviewer`.
    /// `others` are the other applications the caller knows of (at least
    /// those of the same family batch, if any): their contact blocks are
    /// matched against this one's, so one parent on two siblings' forms does
    /// not become two new persons.
    pub fn prepare(
        district: &District,
        application: &Application,
        others: &[Application],
        reviewer: &Reviewer,
    ) -> ApplicationReview {
        let (snapshot, mappings) = (district.snapshot(), district.mappings());
        let student = find_student(district, application);
        let index = district.contact_index();
        let siblings = family(snapshot, index, mappings, application, others, reviewer.today);
        let ctx = MatchContext { snapshot, index, today: reviewer.today, student, siblings: &siblings };
        let contacts = match_application(&ctx, &application.contacts, mappings);
        ApplicationReview::prepare_matched(district, application, contacts, &[], reviewer)
    }

    /// Prepares the review of `application` with its contact blocks'
    /// candidates already found (over the whole district, by the relay:
    /// see [`ReviewData`]) and, for a slice, the sections it leaves out.
    pub fn prepare_matched(
        district: &District,
        application: &Application,
        contacts: Vec<ContactMatches>,
        sections_elsewhere: &[SectionsElsewhere],
        reviewer: &Reviewer,
    ) -> ApplicationReview {
        let (snapshot, mappings) = (district.snapshot(), district.mappings());
        let student = find_student(district, application).cloned();
        let demographics = DemographicsReview::new(snapshot, student.as_ref(), application, mappings);
        let courses = CoursesReview::prepare_sliced(
            snapshot,
            application,
            &district.settings().courses,
            &reviewer.staff,
            reviewer.today,
            sections_elsewhere,
        );
        let contact_review =
            ContactsReview::prepare(snapshot, application, mappings, &contacts, student.as_ref(), reviewer.today);
        let school_name =
            snapshot.schools.iter().find(|s| s.school_number == application.school_id).map(|s| s.name.clone());
        let form_contacts =
            application.contacts.iter().filter_map(|b| FormContact::from_block(b, mappings).ok()).collect();
        ApplicationReview {
            application: application.clone(),
            form_student_name: mappings.student_name(application),
            form_contacts,
            school_name,
            student,
            demographics,
            contacts,
            contact_review,
            courses,
        }
    }

    /// A contact block as the district's mappings read it (`None` when
    /// they cannot: no field is mapped to its last name).
    pub fn form_contact(&self, block: &str) -> Option<&FormContact> {
        self.form_contacts.iter().find(|c| c.block == block)
    }

    /// The contact blocks' candidates (before decisions).
    pub fn contacts(&self) -> &[ContactMatches] {
        &self.contacts
    }

    /// The contact decisions' review (who a block may be confirmed as, the
    /// student's linked contacts).
    pub fn contact_review(&self) -> &ContactsReview {
        &self.contact_review
    }

    /// The application under review.
    pub fn application(&self) -> &Application {
        &self.application
    }

    /// The course writeback (before decisions): prerequisites, requested
    /// courses, and the section picker.
    pub fn courses(&self) -> &CoursesReview {
        &self.courses
    }

    /// The demographics comparison (before decisions).
    pub fn demographics(&self) -> &DemographicsReview {
        &self.demographics
    }

    /// The review under `decisions`, with its blockers and files.
    pub fn decide(&self, decisions: &Decisions) -> Review {
        let app = &self.application;
        let mut blockers = Vec::new();
        let block = |section, field: Option<BlockerPlace>, message: String| Blocker { section, field, message };
        if app.status != ApplicationStatus::Approved {
            blockers.push(block(
                Section::Application,
                None,
                format!(
                    "the application is {:?}, not approved: only approved applications are written back",
                    app.status
                )
                .to_lowercase(),
            ));
        }
        match (&app.student_number, &self.student) {
            (None, _) => blockers.push(block(
                Section::Application,
                None,
                "the student has no student number yet: write the enrolment back first".into(),
            )),
            (Some(n), None) if !app.enrollment_written_back => blockers.push(block(
                Section::Application,
                None,
                format!("student {n} is not in PowerSchool yet: write the enrolment back first"),
            )),
            (Some(n), None) => blockers.push(block(
                Section::Application,
                None,
                format!(
                    "the enrolment was written back, but student {n} is not in the snapshot: refresh the snapshot so current values can be compared"
                ),
            )),
            _ => {}
        }
        for b in self.demographics.blockers(&decisions.demographics) {
            blockers.push(block(Section::Demographics, Some(BlockerPlace::Field(b.form_field)), b.message));
        }
        let rows = self.demographics.rows(&decisions.demographics);
        let contact_outcome = self.contact_review.decide(&decisions.contacts);
        for b in &contact_outcome.blockers {
            // Said once: the application-level reasons are already listed
            // (each block's own stays: the same words about two blocks are
            // two things to do).
            if blockers.iter().any(|x: &Blocker| x.section == Section::Application && x.message == b.message) {
                continue;
            }
            // Where to go: the block, or the linked person.
            let place = b.block.clone().map(BlockerPlace::Block).or(b.person.map(BlockerPlace::Person));
            blockers.push(block(Section::Contacts, place, b.message.clone()));
        }
        let mut files = Vec::new();
        if blockers.is_empty() {
            if let Some(number) = &app.student_number {
                let fields = self.demographics.written_fields(&decisions.demographics);
                if !fields.is_empty() {
                    match StudentsFile::single(number, app.school_id, &fields).to_text() {
                        Ok(text) => files.push(PlannedFile { kind: FileKind::Students, rows: 1, text }),
                        Err(e) => blockers.push(block(
                            Section::Demographics,
                            e.column.clone().map(BlockerPlace::Field),
                            e.to_string(),
                        )),
                    }
                }
            }
            if let (Some(text), Some(file)) = (&contact_outcome.file_text, &contact_outcome.file) {
                files.push(PlannedFile { kind: FileKind::Contacts, rows: file.rows.len(), text: text.clone() });
            }
        }
        let courses = self.decide_courses(&decisions.courses);
        let contacts = self
            .contacts
            .iter()
            .filter_map(|m| {
                let decision = contact_outcome.blocks.iter().find(|b| b.block == m.block)?.clone();
                Some(ContactReview { matches: m.clone(), decision })
            })
            .collect();
        let name = match &self.student {
            Some(s) => format!("{} {}", s.first_name, s.last_name),
            None => self.form_student_name.clone(),
        };
        Review {
            application_id: app.id.to_string(),
            status: app.status,
            student: StudentSummary {
                student_number: app.student_number.as_ref().map(ToString::to_string),
                name,
                school_id: app.school_id,
                school_name: self.school_name.clone(),
                in_powerschool: self.student.is_some(),
            },
            demographics: rows,
            contacts,
            other_contacts: contact_outcome.existing,
            contact_order: contact_outcome.order,
            contact_order_mapping: contact_outcome.order_mapping,
            unused_contacts: contact_outcome.unused,
            contact_follow_ups: contact_outcome.follow_ups,
            contact_warnings: contact_outcome.warnings,
            contact_blockers: contact_outcome.blockers,
            blockers,
            files,
            courses,
        }
    }

    fn decide_courses(&self, decisions: &CourseDecisions) -> CourseWriteback {
        let outcome = self.courses.decide(decisions);
        let blocking = outcome
            .blockers
            .iter()
            .map(|p| Blocker {
                section: Section::Courses,
                field: p.course.clone().map(BlockerPlace::Course),
                message: p.message.clone(),
            })
            .collect();
        let file = outcome.schedule_text.as_ref().map(|text| PlannedFile {
            kind: FileKind::Schedules,
            rows: outcome.schedule.as_ref().map_or(0, |s| s.rows.len()),
            text: text.clone(),
        });
        CourseWriteback { outcome, blocking, file }
    }
}
