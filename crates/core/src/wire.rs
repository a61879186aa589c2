//! The relay's HTTP API as data: the request and response bodies, shared
//! by the relay (which serves them) and the widget (which calls it), so the
//! JSON is described once. Errors are always `{"error": "..."}`
//! ([`ErrorBody`]). The routes are listed in docs/formats.md.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::application::{ApplicationId, ApplicationStatus};
use crate::domain::{Date, SchoolNumber};
use crate::flatfile::FileKind;
use crate::plan::Decisions;

/// `GET /api/applications`: one line of the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationSummary {
    /// Its id.
    pub id: String,
    /// Workflow status.
    pub status: ApplicationStatus,
    /// The student's name on the form.
    pub student_name: String,
    /// The student number, if assigned.
    pub student_number: Option<String>,
    /// The school (School_Number) applied to.
    pub school_id: SchoolNumber,
    /// When it was submitted.
    pub submitted_at: String,
    /// Whether the enrolment itself was written back to PowerSchool.
    pub enrollment_written_back: bool,
    /// Applications submitted together by one family share a batch.
    #[serde(default)]
    pub family_batch: Option<String>,
    /// What has been written back of it: the newest writeback of each
    /// kind (students, contacts, schedules), in that order.
    #[serde(default)]
    pub written_back: Vec<WrittenBack>,
}

/// The newest writeback of one kind of an application: who, when, and
/// where its delivery stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenBack {
    /// The import (`schedules` for a course writeback, with or without a file).
    pub kind: FileKind,
    /// The staff member who submitted it.
    pub by: String,
    /// When it was accepted (RFC 3339, UTC).
    pub at: String,
    /// Its delivery status.
    pub status: Status,
}

impl WrittenBack {
    /// What `entry` wrote back.
    pub fn of(entry: &HistoryEntry) -> WrittenBack {
        WrittenBack {
            kind: entry.kind,
            by: entry.submitted_by.clone(),
            at: entry.submitted_at.clone(),
            status: entry.status,
        }
    }

    /// The part of the review it writes back, in staff's words.
    pub fn part(&self) -> &'static str {
        match self.kind {
            FileKind::Students => "demographics",
            FileKind::Contacts => "contacts",
            FileKind::Schedules => "courses",
        }
    }
}

/// `POST /api/applications/{id}/writeback`: the demographics and contacts
/// writeback. The relay recomputes the review from the staff member's
/// decisions and accepts only if its files equal `files`, byte for byte.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WritebackSubmission {
    /// Every decision staff made on the application.
    pub decisions: Decisions,
    /// The day the browser reviewed on (the district's date); the relay
    /// accepts its own date or the day either side.
    pub today: Date,
    /// The files the browser previewed, in the review's order.
    pub files: Vec<SubmittedFile>,
    /// Staff mark a second contacts writeback of the application as a
    /// correction; without it the relay refuses one (409).
    #[serde(default)]
    pub correction: bool,
}

/// One previewed file of a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmittedFile {
    /// Which import.
    pub kind: FileKind,
    /// The exact bytes previewed.
    pub text: String,
}

/// `POST /api/applications/{id}/course-writeback`: the course writeback,
/// recomputed by the relay like [`WritebackSubmission`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseWritebackSubmission {
    /// The decisions (their `courses` part is used).
    pub decisions: Decisions,
    /// The day the browser reviewed on.
    pub today: Date,
    /// The schedules file previewed; `None` when every decided course is denied.
    pub file: Option<String>,
    /// Staff mark a second schedules file of the application as a
    /// correction; without it the relay refuses one (409).
    #[serde(default)]
    pub correction: bool,
}

/// Every error body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What is wrong and what to do.
    pub error: String,
}

/// Where a file is in its delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Stored durably; not yet delivered.
    Accepted,
    /// At its destination under its final name.
    Delivered,
    /// The last delivery attempt failed; it is retried.
    Failed,
    /// In the file at its target's fixed path, waiting for the run it is
    /// in that file for (`expected_pickup`).
    Staged,
    /// Recorded without a file: a course writeback that only denies
    /// courses. Nothing to deliver.
    Recorded,
}

/// One accepted file and where its delivery stands, or a course writeback
/// recorded without a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Increasing sequence number, also the last part of the file name.
    pub id: u64,
    /// The application the file writes back.
    pub application_id: ApplicationId,
    /// The import the file is for (`schedules` for every course writeback).
    pub kind: FileKind,
    /// The file's name in the spool and at the destination; `None` for a
    /// course writeback without a file.
    pub file_name: Option<String>,
    /// Data rows in the file.
    pub rows: usize,
    /// The staff member who submitted it.
    pub submitted_by: String,
    /// When it was accepted (RFC 3339, UTC).
    pub submitted_at: String,
    /// Delivery status.
    pub status: Status,
    /// Where it is (or is being) delivered, e.g. `sftp://host:22/in`.
    pub destination: String,
    /// When it was delivered (RFC 3339, UTC).
    #[serde(default)]
    pub delivered_at: Option<String>,
    /// The last delivery error, or a note on the delivery.
    #[serde(default)]
    pub detail: Option<String>,
    /// Delivery attempts that failed so far (each is kept in the relay's
    /// database with its error).
    #[serde(default)]
    pub failed_attempts: u32,
    /// A course writeback: the course numbers written (the file's).
    #[serde(default)]
    pub courses_written: Option<Vec<String>>,
    /// A course writeback: the course numbers denied.
    #[serde(default)]
    pub courses_denied: Option<Vec<String>>,
    /// A course writeback with a file: the AutoComm run expected to import
    /// it, in district time (`Tue 11/24 at 06:00`): the first after the
    /// file was accepted, then the first after it was delivered.
    #[serde(default)]
    pub expected_pickup: Option<String>,
    /// What PowerSchool's data said of the delivered file once an export
    /// taken after its delivery was loaded: confirmed, or which rows are
    /// not applied and what to do.
    #[serde(default)]
    pub confirmation: Option<String>,
    /// What staff must still do in PowerSchool once the file is imported
    /// (data access, which the Student Contacts template cannot carry).
    #[serde(default)]
    pub follow_ups: Vec<String>,
}

impl Status {
    /// Every status.
    pub const ALL: [Status; 5] =
        [Status::Accepted, Status::Delivered, Status::Failed, Status::Staged, Status::Recorded];

    /// The status as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Accepted => "accepted",
            Status::Delivered => "delivered",
            Status::Failed => "failed",
            Status::Staged => "staged",
            Status::Recorded => "recorded",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Status, String> {
        Status::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| format!("unknown delivery status {s:?}"))
    }
}

/// The media type of the relay's answers in binary
/// ([postcard](https://docs.rs/postcard): the same serde types as the JSON,
/// without field names): the review data, person searches, the application
/// list, the history and a submission's entries; and of the widget's
/// submissions. The widget asks for it (`Accept`) and sends it
/// (`Content-Type`), because JSON for these many types is a large part of
/// its bundle; JSON stays the default for every other client. (Errors are
/// always `{"error": ...}` JSON.)
///
/// The binary body has no field names, so the widget and the relay must
/// share the types: they are built from one tree, and `v` says which
/// format. **Bump `v` when a type inside [`ReviewData`](crate::plan::ReviewData),
/// [`Found`](crate::contacts::Found), [`ApplicationSummary`] or
/// [`HistoryEntry`], [`WritebackSubmission`] or [`CourseWritebackSubmission`]
/// changes its fields**; a relay asked
/// for another `v` answers 406 ("reload the page"). A type in these bodies
/// may not skip fields (`skip_serializing_if`) or flatten them. Should a
/// stale widget decode a slice wrongly all the same, its files cannot
/// reach PowerSchool: the relay recomputes every submission and refuses
/// files that differ from its own.
pub const REVIEW_DATA_BINARY: &str = "application/x-writeback-review+postcard; v=2";

/// The header that makes a submission safe to retry: the same key (from the
/// same staff member) again gets the first submission's entries back and
/// stores nothing new.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";
