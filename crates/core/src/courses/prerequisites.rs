//! Whether a course writeback may happen at all: the district's setting, the
//! staff user's permission, and the application's state.

use serde::{Deserialize, Serialize};

use super::autocomm::AutoCommSchedule;
use crate::application::{Application, ApplicationStatus};
use crate::snapshot::Student;

/// The permission a staff user needs to write courses back.
pub const COURSE_WRITEBACK_PERMISSION: &str = "Application Course Writeback";

/// The district's course-writeback settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseSettings {
    /// Whether the district has course writeback (a beta feature) turned on.
    #[serde(default)]
    pub feature_enabled: bool,
    /// The AutoComm record that imports the schedules file, if known (for
    /// telling staff when the enrolments will appear in PowerSchool).
    #[serde(default)]
    pub autocomm: Option<AutoCommSchedule>,
}

/// The staff user reviewing the application.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Staff {
    /// The user's name, as shown in messages and the history.
    pub name: String,
    /// The permissions the user holds, by name.
    #[serde(default)]
    pub permissions: Vec<String>,
}

impl Staff {
    /// Whether the user holds `permission` (case and surrounding spaces
    /// ignored).
    pub fn holds(&self, permission: &str) -> bool {
        self.permissions.iter().any(|p| p.trim().eq_ignore_ascii_case(permission))
    }
}

/// One condition for writing courses back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Prerequisite {
    /// The district has the beta feature turned on.
    FeatureEnabled,
    /// The staff user holds [`COURSE_WRITEBACK_PERMISSION`].
    Permission,
    /// The application is approved.
    ApplicationApproved,
    /// The student's enrolment was written back: the student is in the
    /// snapshot under the application's student number.
    EnrollmentWrittenBack,
    /// The application requests at least one course.
    HasCourses,
}

impl Prerequisite {
    /// The condition in staff words.
    pub fn label(self) -> &'static str {
        match self {
            Prerequisite::FeatureEnabled => "Course writeback is turned on for the district",
            Prerequisite::Permission => "You hold the Application Course Writeback permission",
            Prerequisite::ApplicationApproved => "The application is approved",
            Prerequisite::EnrollmentWrittenBack => "The student's enrolment is written back",
            Prerequisite::HasCourses => "The application has courses",
        }
    }
}

/// A prerequisite and whether it is met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrerequisiteCheck {
    /// Which condition.
    pub prerequisite: Prerequisite,
    /// The condition in staff words.
    pub label: &'static str,
    /// Why it is not met and what to do; `None` when it is met.
    pub unmet: Option<String>,
}

/// Checks every prerequisite, in the order staff resolve them. `student` is
/// the student found in the snapshot under the application's number.
pub(crate) fn check(
    settings: &CourseSettings,
    staff: &Staff,
    application: &Application,
    student: Option<&Student>,
) -> Vec<PrerequisiteCheck> {
    let feature = (!settings.feature_enabled).then(|| {
        "course writeback is a beta feature that is not turned on for this district: ask support to enable it"
            .to_string()
    });
    let permission = (!staff.holds(COURSE_WRITEBACK_PERMISSION)).then(|| {
        let who = if staff.name.trim().is_empty() { "this staff user" } else { staff.name.trim() };
        format!(
            "{who} does not hold the \"{COURSE_WRITEBACK_PERMISSION}\" permission: ask a district administrator to grant it"
        )
    });
    let approved = (application.status != ApplicationStatus::Approved).then(|| {
        let status = format!("{:?}", application.status).to_lowercase();
        format!("the application is {status}, not approved: only approved applications have courses written back")
    });
    let written_back = match (&application.student_number, student) {
        (_, Some(_)) => None,
        (None, None) => Some("the student has no student number yet: write the enrolment back first".to_string()),
        (Some(n), None) if !application.enrollment_written_back => {
            Some(format!("student {n} is not in PowerSchool yet: write the enrolment back first"))
        }
        (Some(n), None) => Some(format!(
            "the enrolment was written back, but student {n} is not in the snapshot yet: wait for the import, then refresh the snapshot"
        )),
    };
    let courses = application
        .courses
        .is_empty()
        .then(|| "the application has no course requests: there is nothing to write back".to_string());
    [
        (Prerequisite::FeatureEnabled, feature),
        (Prerequisite::Permission, permission),
        (Prerequisite::ApplicationApproved, approved),
        (Prerequisite::EnrollmentWrittenBack, written_back),
        (Prerequisite::HasCourses, courses),
    ]
    .into_iter()
    .map(|(prerequisite, unmet)| PrerequisiteCheck { prerequisite, label: prerequisite.label(), unmet })
    .collect()
}
