//! The student-schedules AutoComm file into CC (powerschool.md 2a).

use super::tsv::{self, FlatFileError};
use crate::domain::{Date, SchoolNumber, StudentNumber, TermId};

/// The columns of a schedules file, in order.
pub const SCHEDULE_COLUMNS: [&str; 7] =
    ["Student_Number", "Course_Number", "Section_Number", "SchoolID", "TermID", "DateEnrolled", "DateLeft"];

/// One approved enrolment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleRow {
    /// The student.
    pub student_number: StudentNumber,
    /// Courses.Course_Number.
    pub course_number: String,
    /// Sections.Section_Number.
    pub section_number: String,
    /// The section's school.
    pub school_id: SchoolNumber,
    /// The section's term.
    pub term_id: TermId,
    /// The entry date chosen.
    pub date_enrolled: Date,
    /// The term's last day + 1.
    pub date_left: Date,
}

/// A schedules import file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SchedulesFile {
    /// One row per approved section.
    pub rows: Vec<ScheduleRow>,
}

impl SchedulesFile {
    /// The file's text (US dates); refuses a value that would break the file.
    pub fn to_text(&self) -> Result<String, FlatFileError> {
        let header: Vec<String> = SCHEDULE_COLUMNS.iter().map(|c| c.to_string()).collect();
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.student_number.to_string(),
                    r.course_number.clone(),
                    r.section_number.clone(),
                    r.school_id.to_string(),
                    r.term_id.to_string(),
                    r.date_enrolled.to_us(),
                    r.date_left.to_us(),
                ]
            })
            .collect();
        tsv::write(&header, &rows)
    }

    /// Reads and checks a schedules file.
    pub fn read(text: &str) -> Result<SchedulesFile, FlatFileError> {
        let (header, rows) = tsv::read(text)?;
        if header.len() != SCHEDULE_COLUMNS.len()
            || header.iter().zip(SCHEDULE_COLUMNS).any(|(h, c)| !h.eq_ignore_ascii_case(c))
        {
            return Err(FlatFileError::new(1, None, format!("the header must be {}", SCHEDULE_COLUMNS.join(" "))));
        }
        let mut out = Vec::new();
        for (line, r) in rows {
            let at = |i: usize| Some(SCHEDULE_COLUMNS[i]);
            let e = |i: usize, m: String| FlatFileError::new(line, at(i), m);
            let student_number = StudentNumber::parse(&r[0]).map_err(|x| e(0, x.to_string()))?;
            for i in [1, 2] {
                if r[i].trim().is_empty() {
                    return Err(e(i, "a value is required".into()));
                }
            }
            let int = |i: usize| {
                r[i].trim().parse::<i64>().map_err(|_| e(i, format!("expected a whole number, found {:?}", r[i])))
            };
            let (school_id, term_id) = (SchoolNumber(int(3)?), TermId(int(4)?));
            let date = |i: usize| Date::parse(&r[i]).map_err(|x| e(i, x.to_string()));
            let (date_enrolled, date_left) = (date(5)?, date(6)?);
            if date_left <= date_enrolled {
                return Err(e(6, "DateLeft must be after DateEnrolled".into()));
            }
            out.push(ScheduleRow {
                student_number,
                course_number: r[1].clone(),
                section_number: r[2].clone(),
                school_id,
                term_id,
                date_enrolled,
                date_left,
            });
        }
        Ok(SchedulesFile { rows: out })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_checks_dates() {
        let f = SchedulesFile {
            rows: vec![ScheduleRow {
                student_number: StudentNumber::parse("100").unwrap(),
                course_number: "ENG9".into(),
                section_number: "2".into(),
                school_id: SchoolNumber(101),
                term_id: TermId(3601),
                date_enrolled: Date::parse("2026-08-20").unwrap(),
                date_left: Date::parse("2027-01-16").unwrap(),
            }],
        };
        let text = f.to_text().unwrap();
        assert_eq!(
            text,
            "Student_Number\tCourse_Number\tSection_Number\tSchoolID\tTermID\tDateEnrolled\tDateLeft\n100\tENG9\t2\t101\t3601\t08/20/2026\t01/16/2027\n"
        );
        assert_eq!(SchedulesFile::read(&text).unwrap(), f);
        let bad = text.replace("01/16/2027", "08/01/2026");
        assert_eq!(
            SchedulesFile::read(&bad).unwrap_err().to_string(),
            "line 2, column DateLeft: DateLeft must be after DateEnrolled"
        );
    }
}
