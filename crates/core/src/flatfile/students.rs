//! The Students AutoComm file (powerschool.md 2b): keyed on Student_Number
//! and SchoolID, then one column per field written.

use super::tsv::{self, FlatFileError};
use crate::application::FieldTarget;
use crate::domain::{SchoolNumber, StudentNumber};

/// A Students import file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudentsFile {
    /// `Student_Number`, `SchoolID`, then the written fields' headers.
    pub header: Vec<String>,
    /// One row per student.
    pub rows: Vec<Vec<String>>,
}

impl StudentsFile {
    /// A file for one student with `fields` (header name, value) written.
    pub fn single(student: &StudentNumber, school_id: SchoolNumber, fields: &[(String, String)]) -> StudentsFile {
        let mut header = vec!["Student_Number".to_string(), "SchoolID".to_string()];
        let mut row = vec![student.to_string(), school_id.to_string()];
        for (h, v) in fields {
            header.push(h.clone());
            row.push(v.clone());
        }
        StudentsFile { header, rows: vec![row] }
    }

    /// The file's text; refuses a value that would break the file.
    pub fn to_text(&self) -> Result<String, FlatFileError> {
        tsv::write(&self.header, &self.rows)
    }

    /// Reads and checks a Students file.
    pub fn read(text: &str) -> Result<StudentsFile, FlatFileError> {
        let (header, rows) = tsv::read(text)?;
        if !header.first().is_some_and(|h| h.eq_ignore_ascii_case("Student_Number")) {
            return Err(FlatFileError::new(1, None, "the first column must be Student_Number"));
        }
        if !header.get(1).is_some_and(|h| h.eq_ignore_ascii_case("SchoolID")) {
            return Err(FlatFileError::new(1, None, "the second column must be SchoolID"));
        }
        if header.len() < 3 {
            return Err(FlatFileError::new(1, None, "no field is written: the header has only the key columns"));
        }
        for h in &header[2..] {
            let target = FieldTarget::parse(h).map_err(|e| FlatFileError::new(1, Some(h), e.to_string()))?;
            if target.is_key() {
                return Err(FlatFileError::new(1, Some(h), "a key column may not be written"));
            }
        }
        let mut seen = std::collections::HashMap::new();
        for (line, row) in &rows {
            let n = StudentNumber::parse(&row[0])
                .map_err(|e| FlatFileError::new(*line, Some("Student_Number"), e.to_string()))?;
            if row[1].trim().parse::<i64>().is_err() {
                return Err(FlatFileError::new(
                    *line,
                    Some("SchoolID"),
                    format!("expected a school number, found {:?}", row[1]),
                ));
            }
            if let Some(first) = seen.insert(n.to_string(), *line) {
                return Err(FlatFileError::new(
                    *line,
                    Some("Student_Number"),
                    format!("student {n} is already on line {first}"),
                ));
            }
        }
        Ok(StudentsFile { header, rows: rows.into_iter().map(|(_, r)| r).collect() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(text: &str, expect: Expect) {
        let actual = match StudentsFile::read(text) {
            Ok(f) => format!("ok: {} row(s), header {:?}", f.rows.len(), f.header),
            Err(e) => format!("error: {e}"),
        };
        expect.assert_eq(&actual);
    }

    #[test]
    fn writes_what_it_reads() {
        let n = StudentNumber::parse("100234").unwrap();
        let f = StudentsFile::single(
            &n,
            SchoolNumber(101),
            &[("First_Name".into(), "Ana".into()), ("[U_StudentsUserFields]homeroom".into(), "B12".into())],
        );
        let text = f.to_text().unwrap();
        assert_eq!(
            text,
            "Student_Number\tSchoolID\tFirst_Name\t[U_StudentsUserFields]homeroom\n100234\t101\tAna\tB12\n"
        );
        assert_eq!(StudentsFile::read(&text).unwrap(), f);
    }

    #[test]
    fn refuses_values_that_break_the_file() {
        let n = StudentNumber::parse("1").unwrap();
        let f = StudentsFile::single(&n, SchoolNumber(1), &[("Street".into(), "12 Elm\nSt".into())]);
        expect![[r#"line 2, column Street: the value "12 Elm\nSt" holds a line break, which would break the tab-delimited file"#]]
            .assert_eq(&f.to_text().unwrap_err().to_string());
    }

    #[test]
    fn reader_names_the_problem() {
        check("", expect!["error: the file is empty"]);
        check("Student_Number\tSchoolID\tFirst_Name\n", expect!["error: the file has a header but no rows"]);
        check(
            "Student_Number\tSchoolID\tFirst_Name\n1\t2\tAna",
            expect!["error: the last line has no line end: the file may be truncated"],
        );
        check(
            "Student_Number\tSchoolID\tFirst_Name\r\n1\t2\tAna\r\n",
            expect!["error: line 1: CR line end: import files use LF line ends only"],
        );
        check(
            "SchoolID\tStudent_Number\tFirst_Name\n1\t2\tAna\n",
            expect!["error: line 1: the first column must be Student_Number"],
        );
        check(
            "Student_Number\tSchoolID\n1\t2\n",
            expect!["error: line 1: no field is written: the header has only the key columns"],
        );
        check(
            "Student_Number\tSchoolID\tFirst Name\n1\t2\tAna\n",
            expect![[
                r#"error: line 1, column First Name: PowerSchool field: a field name has only letters, digits and _ ("First Name")"#
            ]],
        );
        check(
            "Student_Number\tSchoolID\tDCID\n1\t2\t3\n",
            expect!["error: line 1, column DCID: a key column may not be written"],
        );
        check("Student_Number\tSchoolID\tFirst_Name\n1\t2\n", expect!["error: line 2: 2 fields, but the header has 3"]);
        check(
            "Student_Number\tSchoolID\tFirst_Name\nabc\t2\tAna\n",
            expect![[r#"error: line 2, column Student_Number: student number: expected 1 to 20 digits ("abc")"#]],
        );
        check(
            "Student_Number\tSchoolID\tFirst_Name\n1\tx\tAna\n",
            expect![[r#"error: line 2, column SchoolID: expected a school number, found "x""#]],
        );
        check(
            "Student_Number\tSchoolID\tFirst_Name\n1\t2\tAna\n1\t2\tBo\n",
            expect!["error: line 3, column Student_Number: student 1 is already on line 2"],
        );
        check(
            "Student_Number\tSchoolID\tFirst_Name\n1\t2\tAna\n",
            expect![[r#"ok: 1 row(s), header ["Student_Number", "SchoolID", "First_Name"]"#]],
        );
    }
}
