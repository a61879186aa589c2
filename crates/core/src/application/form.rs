use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::domain::{serde_via_string, SchoolNumber, StudentNumber, ValueError};

/// An application's id: 1 to 64 letters, digits, `-` or `_` (it is used in
/// file names and URLs, so nothing else is allowed).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApplicationId(String);

impl ApplicationId {
    /// Parses an application id.
    pub fn parse(raw: &str) -> Result<ApplicationId, ValueError> {
        let s = raw.trim();
        if s.is_empty() || s.len() > 64 {
            return Err(ValueError::new("application id", "expected 1 to 64 characters", raw));
        }
        if !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return Err(ValueError::new("application id", "only letters, digits, - and _ are allowed", raw));
        }
        Ok(ApplicationId(s.to_string()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ApplicationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

serde_via_string!(ApplicationId);

/// Where the application is in the enrollment workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// Submitted by the family, not yet reviewed.
    Submitted,
    /// Approved by the district: it may be written back.
    Approved,
    /// Declined by the district.
    Declined,
    /// Withdrawn by the family.
    Withdrawn,
}

impl ApplicationStatus {
    /// The status as the application JSON spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::Submitted => "submitted",
            ApplicationStatus::Approved => "approved",
            ApplicationStatus::Declined => "declined",
            ApplicationStatus::Withdrawn => "withdrawn",
        }
    }
}

impl std::fmt::Display for ApplicationStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An online enrollment application as the enrollment system hands it over
/// (format: docs/formats.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// The application's id.
    pub id: ApplicationId,
    /// Workflow status; only approved applications are written back.
    pub status: ApplicationStatus,
    /// Whether the student's enrolment has already been written back (the
    /// student then exists in PowerSchool).
    pub enrollment_written_back: bool,
    /// The student's number: a returning student's, or the one assigned to a
    /// new student at enrolment. `None` until one is assigned.
    #[serde(default)]
    pub student_number: Option<StudentNumber>,
    /// The school (School_Number) the student enrols in.
    pub school_id: SchoolNumber,
    /// When the family submitted it (ISO 8601).
    pub submitted_at: String,
    /// Applications submitted together by one family share a batch id.
    #[serde(default)]
    pub family_batch: Option<String>,
    /// Student fields by form-field id.
    pub student: BTreeMap<String, String>,
    /// Contact blocks (parents, guardians, emergency contacts), in form order.
    #[serde(default)]
    pub contacts: Vec<ContactBlock>,
    /// Courses the family requested.
    #[serde(default)]
    pub courses: Vec<RequestedCourse>,
}

/// One contact block of the form: its fields by form-field id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactBlock {
    /// The block's id on the form, e.g. `contact1`.
    pub block: String,
    /// The block's fields by form-field id (e.g. `first_name`, `mobile_phone`).
    pub fields: BTreeMap<String, String>,
}

/// A course the family asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestedCourse {
    /// Courses.Course_Number.
    pub course_number: String,
    /// The course name as the form showed it.
    #[serde(default)]
    pub course_name: String,
}

impl Application {
    /// Parses an application from JSON, with an error naming the line,
    /// column and problem.
    pub fn from_json(text: &str) -> Result<Application, serde_json::Error> {
        serde_json::from_str(text)
    }
}
