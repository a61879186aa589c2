//! Confirmed in PowerSchool: neither AutoComm nor DIM reports back, so
//! when the relay loads an export set taken after a file was delivered, it
//! checks the file's rows against it: every row applied, or which were not
//! and what PowerSchool holds instead.

mod contacts;

use writeback_core::application::FieldTarget;
use writeback_core::domain::{Date, StudentNumber};
use writeback_core::flatfile::{FileKind, StudentsFile};
use writeback_core::plan::District;

/// What an export set says of one delivered file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every row is in PowerSchool as the file wrote it.
    Applied,
    /// These rows are not (each said in words).
    NotApplied(Vec<String>),
}

/// Checks the file `text` of `kind` against `district`'s data.
pub fn check(kind: FileKind, text: &str, district: &District) -> Outcome {
    let problems = match kind {
        FileKind::Students => students(text, district),
        FileKind::Schedules => schedules(text, district),
        FileKind::Contacts => contacts::check(text, district.snapshot()),
    };
    if problems.is_empty() {
        Outcome::Applied
    } else {
        Outcome::NotApplied(problems)
    }
}

/// The New Contact Identifiers of a contacts file that PowerSchool did not
/// create (no person of that name at all), which may be sent again.
pub fn new_contacts_not_created(text: &str, district: &District) -> Vec<String> {
    contacts::not_created(text, district.snapshot())
}

fn student<'a>(district: &'a District, number: &str) -> Result<&'a writeback_core::snapshot::Student, String> {
    let n = StudentNumber::parse(number).map_err(|e| format!("Student_Number {number:?}: {e}"))?;
    district
        .contact_index()
        .student(district.snapshot(), &n)
        .ok_or_else(|| format!("student {n} is not in PowerSchool"))
}

fn students(text: &str, district: &District) -> Vec<String> {
    let file = match StudentsFile::read(text) {
        Ok(f) => f,
        Err(e) => return vec![format!("the file cannot be read: {e}")],
    };
    let mut out = Vec::new();
    for row in &file.rows {
        let s = match student(district, &row[0]) {
            Ok(s) => s,
            Err(e) => {
                out.push(e);
                continue;
            }
        };
        for (header, wrote) in file.header[2..].iter().zip(&row[2..]) {
            let Ok(target) = FieldTarget::parse(header) else { continue };
            let raw = target.value(district.snapshot(), s).unwrap_or_default();
            let holds = writeback_core::demographics::normalise(&target, &raw).ok().flatten().unwrap_or(raw);
            if holds != *wrote {
                out.push(format!(
                    "student {}: {header}: PowerSchool holds {holds:?}, the file wrote {wrote:?}",
                    s.student_number
                ));
            }
        }
    }
    out
}

fn schedules(text: &str, district: &District) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
        let cells: Vec<&str> = line.split('\t').collect();
        let [number, course, section, school, _term, entered, ..] = cells[..] else {
            out.push(format!("a row cannot be read: {line:?}"));
            continue;
        };
        let s = match student(district, number) {
            Ok(s) => s,
            Err(e) => {
                out.push(e);
                continue;
            }
        };
        let entered_on = Date::parse(entered).ok();
        let enrolled = district.snapshot().enrollments.iter().any(|e| {
            e.student_id == s.id
                && e.course_number == course
                && e.section_number == section
                && e.school_id.to_string() == school
                && Some(e.date_enrolled) == entered_on
        });
        if !enrolled {
            out.push(format!(
                "student {}: no enrolment in {course} section {section} at school {school} from {entered}",
                s.student_number
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_found_in_powerschool_or_said_missing() {
        let demo = writeback_synth::demo::generate(&writeback_synth::demo::DemoOptions { students: 40, seed: 5 });
        let district = District::new(demo.snapshot, demo.mappings, demo.settings).unwrap();
        let snap = district.snapshot();
        let s = &snap.students[0];
        let core = snap.student_core_fields.iter().find(|c| c.students_dcid == s.dcid).unwrap();
        let n = s.student_number.to_string();
        let applied = format!(
            "Student_Number\tSchoolID\t[StudentCoreFields]PSCore_Legal_First_Name\n{n}\t{}\t{}\n",
            s.school_id, core.legal_first_name
        );
        assert_eq!(check(FileKind::Students, &applied, &district), Outcome::Applied);
        let not = format!(
            "Student_Number\tSchoolID\t[StudentCoreFields]PSCore_Legal_First_Name\n{n}\t{}\tZed\n999999\t1\tX\n",
            s.school_id
        );
        assert_eq!(
            check(FileKind::Students, &not, &district),
            Outcome::NotApplied(vec![
                format!(
                    "student {n}: [StudentCoreFields]PSCore_Legal_First_Name: PowerSchool holds {:?}, the file wrote \"Zed\"",
                    core.legal_first_name
                ),
                "student 999999 is not in PowerSchool".to_string(),
            ])
        );
        let cc = &snap.enrollments[0];
        let who = snap.students.iter().find(|s| s.id == cc.student_id).unwrap();
        let header = writeback_core::flatfile::SCHEDULE_COLUMNS.join("\t");
        let row = |date: &str| {
            format!(
                "{header}\n{}\t{}\t{}\t{}\t{}\t{date}\t01/01/2099\n",
                who.student_number, cc.course_number, cc.section_number, cc.school_id, cc.term_id
            )
        };
        assert_eq!(check(FileKind::Schedules, &row(&cc.date_enrolled.to_us()), &district), Outcome::Applied);
        let Outcome::NotApplied(missing) = check(FileKind::Schedules, &row("01/02/1999"), &district) else {
            panic!("a row PowerSchool does not have")
        };
        assert!(missing[0].contains("no enrolment in") && missing[0].ends_with("from 01/02/1999"), "{missing:?}");
        let Outcome::NotApplied(unreadable) = check(FileKind::Contacts, "x", &district) else {
            panic!("a contacts file is checked too")
        };
        assert!(unreadable[0].starts_with("the file cannot be read"), "{unreadable:?}");
    }
}
