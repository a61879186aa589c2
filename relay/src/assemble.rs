//! The file a fixed-path target receives for one batch: the rows of the
//! batch's accepted files (the bytes the core wrote and the relay checked),
//! in entry order, with or without the header row the import is set up for.
//!
//! The Students target maps columns by position to its AutoComm record's
//! field list, but a review writes only the fields staff chose to Edit or
//! Add. So each student's row carries every listed column: the values the
//! review wrote, and for every other field PowerSchool's current value from
//! the export set in service (written as the import would carry it), so an
//! ignored field is written back unchanged. The cost: a value changed in
//! PowerSchool after that export was taken would be set back (see
//! ARCHITECTURE.md). Two writebacks of one student in a batch become one
//! row, the later one's fields winning.

use writeback_core::application::FieldTarget;
use writeback_core::delivery::DeliveryTarget;
use writeback_core::domain::StudentNumber;
use writeback_core::flatfile::{FileKind, StudentsFile, CONTACT_COLUMNS, SCHEDULE_COLUMNS};
use writeback_core::plan::District;

/// One accepted file of the batch: its entry id and its text.
pub type BatchFile = (u64, String);

/// The batch file's text (LF line ends, tab-delimited); an error names the
/// entry that does not fit.
pub fn render(
    kind: FileKind,
    target: &DeliveryTarget,
    files: &[BatchFile],
    district: &District,
) -> Result<String, String> {
    match (kind, &target.columns) {
        (FileKind::Students, Some(columns)) => students(columns, target.header, files, district),
        (FileKind::Students, None) => Err("the students target has no column list".into()),
        (FileKind::Schedules, _) => concatenated(&SCHEDULE_COLUMNS.join("\t"), target.header, files),
        (FileKind::Contacts, _) => concatenated(&CONTACT_COLUMNS.join("\t"), target.header, files),
    }
}

/// Schedules and contacts: every file has the kind's fixed header (the CC
/// columns; the Student Contacts columns the core writes); the rows follow
/// one another.
fn concatenated(header: &str, with_header: bool, files: &[BatchFile]) -> Result<String, String> {
    let mut out = if with_header { format!("{header}\n") } else { String::new() };
    for (id, text) in files {
        let mut lines = text.lines();
        if lines.next() != Some(header) {
            return Err(format!("entry {id}: its header is not the {header:?} the target's import is set up for"));
        }
        for line in lines.filter(|l| !l.is_empty()) {
            out.push_str(line);
            out.push('\n');
        }
    }
    Ok(out)
}

/// One student's row of a batch: Student_Number, SchoolID, and the fields
/// its writebacks wrote (header, value), in order.
struct StudentRow {
    number: String,
    school: String,
    written: Vec<(String, String)>,
}

fn students(columns: &[String], with_header: bool, files: &[BatchFile], district: &District) -> Result<String, String> {
    // In the order students first appear.
    let mut rows: Vec<StudentRow> = Vec::new();
    for (id, text) in files {
        let file = StudentsFile::read(text).map_err(|e| format!("entry {id}: {e}"))?;
        for row in &file.rows {
            let fields: Vec<(String, String)> =
                file.header[2..].iter().cloned().zip(row[2..].iter().cloned()).collect();
            match rows.iter_mut().find(|r| r.number == row[0]) {
                Some(r) => {
                    r.school.clone_from(&row[1]);
                    for (h, v) in fields {
                        r.written.retain(|(old, _)| !old.eq_ignore_ascii_case(&h));
                        r.written.push((h, v));
                    }
                }
                None => rows.push(StudentRow { number: row[0].clone(), school: row[1].clone(), written: fields }),
            }
        }
    }
    let mut out = String::new();
    if with_header {
        out.push_str(&columns.join("\t"));
        out.push('\n');
    }
    for StudentRow { number, school, written } in &rows {
        let mut cells = vec![number.clone(), school.clone()];
        for column in &columns[2..] {
            let value = match written.iter().find(|(h, _)| h.eq_ignore_ascii_case(column)) {
                Some((_, v)) => v.clone(),
                None => current_value(district, number, column)?,
            };
            cells.push(value);
        }
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    Ok(out)
}

/// PowerSchool's value of `column` for student `number`, as the import
/// carries it; blank for a student PowerSchool does not have yet (the
/// import creates it).
fn current_value(district: &District, number: &str, column: &str) -> Result<String, String> {
    let target = FieldTarget::parse(column).map_err(|e| format!("column {column}: {e}"))?;
    let number = StudentNumber::parse(number).map_err(|e| format!("Student_Number {number:?}: {e}"))?;
    let snapshot = district.snapshot();
    let Some(student) = district.contact_index().student(snapshot, &number) else { return Ok(String::new()) };
    let raw = target.value(snapshot, student).unwrap_or_default();
    writeback_core::demographics::normalise(&target, &raw)
        .map(Option::unwrap_or_default)
        .map_err(|e| format!("student {number}, {column}: PowerSchool's current value cannot be written back: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(header: bool, columns: Option<&[&str]>) -> DeliveryTarget {
        DeliveryTarget {
            path: "/ps/x.txt".into(),
            header,
            columns: columns.map(|c| c.iter().map(|s| s.to_string()).collect()),
            runs: writeback_core::delivery::RunTimes {
                days: vec![writeback_core::courses::Weekday::Mon],
                hour: 6,
                minute: 0,
            },
        }
    }

    fn district() -> District {
        let demo = writeback_synth::demo::generate(&writeback_synth::demo::DemoOptions { students: 30, seed: 3 });
        District::new(demo.snapshot, demo.mappings, demo.settings).unwrap()
    }

    #[test]
    fn schedules_rows_follow_one_another_with_or_without_the_header() {
        let d = district();
        let h = SCHEDULE_COLUMNS.join("\t");
        let files = vec![(3, format!("{h}\na\tb\n")), (5, format!("{h}\nc\td\ne\tf\n"))];
        let with = render(FileKind::Schedules, &target(true, None), &files, &d).unwrap();
        assert_eq!(with, format!("{h}\na\tb\nc\td\ne\tf\n"));
        assert_eq!(render(FileKind::Schedules, &target(false, None), &files, &d).unwrap(), "a\tb\nc\td\ne\tf\n");
        let empty = render(FileKind::Contacts, &target(true, None), &[], &d).unwrap();
        assert_eq!(empty, format!("{}\n", CONTACT_COLUMNS.join("\t")), "an empty batch: the header alone");
        assert_eq!(render(FileKind::Contacts, &target(false, None), &[], &d).unwrap(), "");
        let odd = vec![(3, format!("{h}\na\tb\n")), (4, "H1\nc\n".to_string())];
        let err = render(FileKind::Schedules, &target(true, None), &odd, &d).unwrap_err();
        assert!(err.starts_with("entry 4: its header is not the \"Student_Number\\tCourse_Number"), "{err}");
    }

    #[test]
    fn a_students_row_carries_every_column_and_keeps_what_was_not_written() {
        let d = district();
        let s = &d.snapshot().students[0];
        let n = s.student_number.to_string();
        let columns = ["Student_Number", "SchoolID", "First_Name", "Last_Name", "Home_Phone"];
        let first = format!("Student_Number\tSchoolID\tFirst_Name\n{n}\t{}\tAnita\n", s.school_id);
        let later =
            format!("Student_Number\tSchoolID\tFirst_Name\tHome_Phone\n{n}\t{}\tAna\t555-201-3344\n", s.school_id);
        let new = "Student_Number\tSchoolID\tLast_Name\n999999\t101\tNuevo\n".to_string();
        let files = vec![(1, first), (2, new), (3, later)];
        let text = render(FileKind::Students, &target(true, Some(&columns)), &files, &d).unwrap();
        let expected = format!(
            "Student_Number\tSchoolID\tFirst_Name\tLast_Name\tHome_Phone\n{n}\t{}\tAna\t{}\t555-201-3344\n999999\t101\t\tNuevo\t\n",
            s.school_id, s.last_name
        );
        assert_eq!(text, expected);
        let err = render(FileKind::Students, &target(true, None), &files, &d).unwrap_err();
        assert!(err.contains("no column list"), "{err}");
    }
}
