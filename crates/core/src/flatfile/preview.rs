//! A finished import file as staff read it: a table per file, only the
//! columns this file fills, and the import's markers (`#delete`, `#new`,
//! a new contact's identifier) said in words beside the exact value.

use serde::Serialize;

use super::{FileKind, DELETE, NEW_DETAIL};

/// One cell: the exact value the file holds, and what it means when the
/// value is one of the import's markers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewCell {
    /// The value as written.
    pub value: String,
    /// What the import does with it, in words, for a marker.
    pub meaning: Option<String>,
}

/// A file as a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilePreview {
    /// The columns that hold a value on some row, in the file's order.
    pub columns: Vec<String>,
    /// The file's columns that are empty on every row (left out).
    pub empty_columns: usize,
    /// The rows, one cell per shown column.
    pub rows: Vec<Vec<PreviewCell>>,
}

/// What a `#delete` in `column` removes.
fn delete_meaning(column: &str) -> String {
    match column {
        "Email Address" => "removes this email from the contact".into(),
        "phoneNumberAsEntered" => "removes this phone from the contact".into(),
        "Street" => "removes this address from the contact".into(),
        "studentNumber" => "unlinks this contact from the student".into(),
        other => format!("removes the {other}"),
    }
}

/// What a value means to the import, if it is a marker.
fn meaning(kind: FileKind, column: &str, value: &str) -> Option<String> {
    if kind != FileKind::Contacts || value.is_empty() {
        return None;
    }
    if value.eq_ignore_ascii_case(DELETE) {
        return Some(delete_meaning(column));
    }
    match column {
        "Student Contact Detail ID" if value.eq_ignore_ascii_case(NEW_DETAIL) => {
            Some("new relationship record for this student".into())
        }
        "New Contact Identifier" => Some("a new person: the rows with this identifier are one contact".into()),
        _ => None,
    }
}

/// The `i`th value of a row ("" past its end).
fn cell<'a>(row: &[&'a str], i: usize) -> &'a str {
    row.get(i).copied().unwrap_or("")
}

impl FilePreview {
    /// The table of a finished file of `kind` (tab-delimited, header row).
    pub fn of(kind: FileKind, text: &str) -> FilePreview {
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().map(|h| h.split('\t').collect()).unwrap_or_default();
        let rows: Vec<Vec<&str>> = lines.filter(|l| !l.is_empty()).map(|l| l.split('\t').collect()).collect();
        let shown: Vec<usize> = (0..header.len()).filter(|&i| rows.iter().any(|r| !cell(r, i).is_empty())).collect();
        FilePreview {
            columns: shown.iter().map(|&i| header[i].to_string()).collect(),
            empty_columns: header.len() - shown.len(),
            rows: rows
                .iter()
                .map(|r| {
                    shown
                        .iter()
                        .map(|&i| PreviewCell {
                            value: cell(r, i).to_string(),
                            meaning: meaning(kind, header[i], cell(r, i)),
                        })
                        .collect()
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(kind: FileKind, text: &str, expected: Expect) {
        let p = FilePreview::of(kind, text);
        let mut out = format!("{} | {} empty\n", p.columns.join(" | "), p.empty_columns);
        for row in &p.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match &c.meaning {
                    Some(m) => format!("{} ({m})", c.value),
                    None => c.value.clone(),
                })
                .collect();
            out.push_str(&cells.join(" | "));
            out.push('\n');
        }
        expected.assert_eq(&out);
    }

    #[test]
    fn contacts_markers_are_said_in_words_and_empty_columns_left_out() {
        let header = "New Contact Identifier\tContact ID\tFirst Name\tEmail Address\tphoneNumberAsEntered\tStreet\tstudentNumber\tStudent Contact Detail ID\tRelationship Note";
        let text = format!(
            "{header}\n\t50065\tMaria\t#delete\t\t\t100234\t#new\t\n\t50070\tJose\t\t#delete\t#delete\t#delete\t\t\nNEW-1\t\tAna\tana@example.org\t(555) 010-2030\t\t100234\t\t\n"
        );
        check(
            FileKind::Contacts,
            &text,
            expect![[r#"
                New Contact Identifier | Contact ID | First Name | Email Address | phoneNumberAsEntered | Street | studentNumber | Student Contact Detail ID | 1 empty
                 | 50065 | Maria | #delete (removes this email from the contact) |  |  | 100234 | #new (new relationship record for this student)
                 | 50070 | Jose |  | #delete (removes this phone from the contact) | #delete (removes this address from the contact) | #delete (unlinks this contact from the student) | 
                NEW-1 (a new person: the rows with this identifier are one contact) |  | Ana | ana@example.org | (555) 010-2030 |  | 100234 | 
            "#]],
        );
    }

    #[test]
    fn other_files_are_shown_as_they_are() {
        check(
            FileKind::Students,
            "Student_Number\tSchoolID\tHome_Phone\n100234\t101\t#delete\n",
            expect![[r#"
                Student_Number | SchoolID | Home_Phone | 0 empty
                100234 | 101 | #delete
            "#]],
        );
    }
}
