//! Course writeback (beta): staff choose a section for each course the
//! family requested, approve or deny it, and submit; the approved
//! enrolments reach PowerSchool as a student-schedules AutoComm file into CC
//! (powerschool.md 2a).
//!
//! [`CoursesReview::prepare`] checks the prerequisites (feature on,
//! permission, application approved, enrolment written back, courses
//! requested) and looks the requested courses up once;
//! [`CoursesReview::picker`] lists the sections staff may choose from;
//! [`CoursesReview::decide`] applies [`CourseDecisions`] and returns the
//! rows, blockers, warnings, the [`SchedulesFile`](crate::flatfile::SchedulesFile)
//! and the history summary. [`AutoCommSchedule::next_pickup`] tells when
//! PowerSchool imports the file.
//!
//! Rules, checked for every approved course:
//! - it has a section of that course, and the entry date lies within the
//!   section's term;
//! - the student is not already enrolled in the course in an overlapping
//!   term (active CC rows only: a dropped row has a negative SectionID);
//! - no two approved sections meet in the same period on the same day in
//!   overlapping terms (from their Expressions, see [`Meetings`]);
//! - a full section needs `confirm_full` (and always warns).

mod autocomm;
mod catalog;
mod decide;
mod decision;
mod expression;
mod picker;
mod prerequisites;
mod review;

pub use autocomm::{AutoCommSchedule, Pickup, Weekday};
pub use catalog::SectionsElsewhere;
pub use decision::{Approval, CourseDecision, CourseDecisions};
pub use expression::{ExpressionError, Meetings, Period};
pub use picker::{default_entry_date, SchoolChoice, SectionOption, SectionPicker, TermChoice};
pub use prerequisites::{CourseSettings, Prerequisite, PrerequisiteCheck, Staff, COURSE_WRITEBACK_PERMISSION};
pub use review::{CourseProblem, CourseRequest, CourseRow, CoursesOutcome, CoursesReview, ScheduledCourse};

#[cfg(test)]
mod tests;
