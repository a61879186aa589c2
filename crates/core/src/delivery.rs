//! Where each import file kind is delivered and when PowerSchool reads it
//! (`district.json`, `delivery`; powerschool.md 2d): an AutoComm record or a
//! Data Import Manager scheduled template imports one fixed path at set
//! days and an hour, so the relay gathers the rows accepted between runs
//! into one file at that path. Plain data here; the relay reads the time
//! zone and keeps the rules of the batches.

use serde::{Deserialize, Serialize};

use crate::courses::Weekday;
use crate::flatfile::FileKind;

/// The targets, by file kind. A kind without one is delivered as one file
/// per submission under its own name (a drop folder a person imports by
/// hand).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliverySettings {
    /// The AutoComm record importing into Students.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub students: Option<DeliveryTarget>,
    /// The DIM scheduled template importing Student Contacts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacts: Option<DeliveryTarget>,
    /// The AutoComm record importing into CC (student schedules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedules: Option<DeliveryTarget>,
}

impl DeliverySettings {
    /// The target of `kind`, if the district set one.
    pub fn target(&self, kind: FileKind) -> Option<&DeliveryTarget> {
        match kind {
            FileKind::Students => self.students.as_ref(),
            FileKind::Contacts => self.contacts.as_ref(),
            FileKind::Schedules => self.schedules.as_ref(),
        }
    }

    /// Every problem of the settings, each naming its place
    /// (`delivery.schedules.path: ...`).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut paths = std::collections::BTreeMap::new();
        for kind in FileKind::ALL {
            let Some(t) = self.target(kind) else { continue };
            let at = |field: &str| format!("delivery.{kind}.{field}");
            if let Err(e) = check_path(&t.path) {
                out.push(format!("{}: {e}", at("path")));
            }
            if let Some(other) = paths.insert(t.path.clone(), kind) {
                out.push(format!("{}: {:?} is also the {other} target's path", at("path"), t.path));
            }
            if t.runs.days.is_empty() {
                out.push(format!("{}: no day: the import would never run", at("runs.days")));
            }
            if t.runs.hour > 23 {
                out.push(format!("{}: {} is not an hour (0-23)", at("runs.hour"), t.runs.hour));
            }
            if t.runs.minute > 59 {
                out.push(format!("{}: {} is not a minute (0-59)", at("runs.minute"), t.runs.minute));
            }
            match (&t.columns, kind) {
                (Some(columns), _) => {
                    out.extend(column_problems(kind, columns).into_iter().map(|p| format!("{}: {p}", at("columns"))))
                }
                (None, FileKind::Students) => out.push(format!(
                    "{}: required: the AutoComm record's field list, in its order (it maps columns by position)",
                    at("columns")
                )),
                (None, _) => {}
            }
        }
        out
    }
}

/// One fixed path PowerSchool imports, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliveryTarget {
    /// The absolute path on the SFTP server (or under the local outbox)
    /// that the AutoComm record or DIM template reads, e.g.
    /// `/powerschool/cc/writeback_cc.txt`.
    pub path: String,
    /// Whether the file starts with a header row (AutoComm: as its record
    /// is set up; DIM maps columns by header, so it needs one).
    #[serde(default = "yes")]
    pub header: bool,
    /// The Students record's field list, in its order (AutoComm maps
    /// columns by position): `Student_Number`, `SchoolID`, then every field
    /// the district writes. A field a review does not write is filled with
    /// PowerSchool's current value, so it does not change. Students only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<Vec<String>>,
    /// When the import runs, in the district's time zone.
    pub runs: RunTimes,
}

fn yes() -> bool {
    true
}

/// The days and time an import runs, district time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunTimes {
    /// The days it runs.
    pub days: Vec<Weekday>,
    /// The hour, 0-23.
    pub hour: u8,
    /// The minute, 0-59; AutoComm's "00" means any time in that hour.
    #[serde(default)]
    pub minute: u8,
}

fn check_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err(format!("{path:?} is not an absolute path"));
    }
    if path.ends_with('/') {
        return Err(format!("{path:?} names a folder; name the file the import reads"));
    }
    if path.split('/').any(|part| part == "..") {
        return Err(format!("{path:?} holds \"..\""));
    }
    if path.chars().any(|c| c.is_control() || c == '"' || c == '\\') {
        return Err(format!("{path:?} holds a control character, a quote or a backslash"));
    }
    Ok(())
}

fn column_problems(kind: FileKind, columns: &[String]) -> Vec<String> {
    if kind != FileKind::Students {
        return vec![format!("only the students target has a column list (the {kind} file's columns are fixed)")];
    }
    let mut out = Vec::new();
    if columns.first().map(String::as_str) != Some("Student_Number") {
        out.push("the first column must be Student_Number".to_string());
    }
    if columns.get(1).map(String::as_str) != Some("SchoolID") {
        out.push("the second column must be SchoolID".to_string());
    }
    let mut seen = std::collections::BTreeSet::new();
    for c in columns {
        if !seen.insert(c.to_ascii_lowercase()) {
            out.push(format!("{c:?} is listed twice"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    #[test]
    fn reads_the_documented_example_and_names_every_problem() {
        let ok: DeliverySettings = serde_json::from_str(
            r#"{"schedules": {"path": "/powerschool/cc/writeback_cc.txt", "header": false,
                 "runs": {"days": ["mon", "tue", "wed", "thu", "fri"], "hour": 6, "minute": 0}},
                "contacts": {"path": "/powerschool/contacts/writeback_contacts.txt", "runs": {"days": ["mon"], "hour": 7}}}"#,
        )
        .unwrap();
        assert_eq!(ok.problems(), Vec::<String>::new());
        assert!(ok.target(FileKind::Contacts).unwrap().header, "a header by default");
        assert_eq!(ok.target(FileKind::Students), None);

        let bad: DeliverySettings = serde_json::from_str(
            r#"{"schedules": {"path": "cc.txt", "columns": ["A"], "runs": {"days": [], "hour": 24, "minute": 60}},
                "students": {"path": "/p/../x/", "columns": ["SchoolID", "Student_Number", "SchoolID"], "runs": {"days": ["sun"], "hour": 6}},
                "contacts": {"path": "/p/../x/", "runs": {"days": ["sun"], "hour": 6}}}"#,
        )
        .unwrap();
        expect![[r#"
            delivery.students.path: "/p/../x/" names a folder; name the file the import reads
            delivery.students.columns: the first column must be Student_Number
            delivery.students.columns: the second column must be SchoolID
            delivery.students.columns: "SchoolID" is listed twice
            delivery.contacts.path: "/p/../x/" names a folder; name the file the import reads
            delivery.contacts.path: "/p/../x/" is also the students target's path
            delivery.schedules.path: "cc.txt" is not an absolute path
            delivery.schedules.runs.days: no day: the import would never run
            delivery.schedules.runs.hour: 24 is not an hour (0-23)
            delivery.schedules.runs.minute: 60 is not a minute (0-59)
            delivery.schedules.columns: only the students target has a column list (the schedules file's columns are fixed)
        "#]]
        .assert_eq(&(bad.problems().join("\n") + "\n"));
        let unknown = serde_json::from_str::<DeliverySettings>(r#"{"grades": {}}"#).unwrap_err().to_string();
        assert!(unknown.contains("unknown field `grades`"), "{unknown}");
    }
}
