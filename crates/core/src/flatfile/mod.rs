//! PowerSchool import files: writers for the files a writeback produces, and
//! readers that validate a finished file (the relay's gate).
//!
//! Every file is tab-delimited UTF-8 with a header row and LF line ends
//! (powerschool.md section 2). A value that holds a tab, CR or LF would break
//! the file, so writers refuse it rather than escape it.

mod contacts;
mod preview;
mod schedules;
mod students;
mod tsv;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::domain::StudentNumber;

pub use contacts::{ContactsFile, CONTACT_COLUMNS, DELETE, NEW_DETAIL, TEMPLATE_COLUMNS};
pub use preview::{FilePreview, PreviewCell};
pub use schedules::{ScheduleRow, SchedulesFile, SCHEDULE_COLUMNS};
pub use students::StudentsFile;
pub use tsv::FlatFileError;

/// The kinds of import file a writeback produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// Demographics: AutoComm import into Students (2b).
    Students,
    /// Contacts: the Data Import Manager Student Contacts template (2c).
    Contacts,
    /// Course enrolments: AutoComm import into CC (2a).
    Schedules,
}

impl FileKind {
    /// Every kind.
    pub const ALL: [FileKind; 3] = [FileKind::Students, FileKind::Contacts, FileKind::Schedules];

    /// The kind's name in URLs and file names.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Students => "students",
            FileKind::Contacts => "contacts",
            FileKind::Schedules => "schedules",
        }
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FileKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        FileKind::ALL.into_iter().find(|k| k.as_str().eq_ignore_ascii_case(s)).ok_or_else(|| {
            let kinds: Vec<&str> = FileKind::ALL.iter().map(|k| k.as_str()).collect();
            format!("unknown file kind {s:?}: expected one of {}", kinds.join(", "))
        })
    }
}

/// What a valid file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSummary {
    /// The file's kind.
    pub kind: FileKind,
    /// Data rows (header excluded).
    pub rows: usize,
    /// The header's columns.
    pub columns: Vec<String>,
    /// Every student the file writes, in order of first appearance.
    pub students: Vec<StudentNumber>,
}

/// Reads a finished file of `kind` and checks it against PowerSchool's
/// rules for that import; the error names the line, column and problem.
pub fn validate(kind: FileKind, text: &str) -> Result<FileSummary, FlatFileError> {
    // Linear in the rows: a set remembers who was seen.
    let mut students: Vec<StudentNumber> = Vec::new();
    let mut seen: std::collections::HashSet<StudentNumber> = std::collections::HashSet::new();
    let mut note = |n: StudentNumber| {
        if seen.insert(n.clone()) {
            students.push(n);
        }
    };
    let (rows, columns) = match kind {
        FileKind::Students => {
            let f = StudentsFile::read(text)?;
            for r in &f.rows {
                // The reader checked every Student_Number.
                if let Ok(n) = StudentNumber::parse(&r[0]) {
                    note(n);
                }
            }
            (f.rows.len(), f.header)
        }
        FileKind::Contacts => {
            let f = ContactsFile::read(text)?;
            for n in f.students() {
                note(n);
            }
            (f.rows.len(), f.header)
        }
        FileKind::Schedules => {
            let f = SchedulesFile::read(text)?;
            for r in &f.rows {
                note(r.student_number.clone());
            }
            (f.rows.len(), SCHEDULE_COLUMNS.iter().map(|c| c.to_string()).collect())
        }
    };
    Ok(FileSummary { kind, rows, columns, students })
}
