//! The reader's rules, each refused with its line and column; the writer's
//! side of each rule is tested through the contacts review
//! (`contacts/decide/tests.rs`) and its property test.

use expect_test::{expect, Expect};

use super::*;

/// A file with the writer's columns: each row is a list of (column, value),
/// other cells blank.
fn file(rows: &[Vec<(&str, &str)>]) -> String {
    let header: Vec<String> = CONTACT_COLUMNS.iter().map(|c| c.to_string()).collect();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|cells| {
            CONTACT_COLUMNS
                .iter()
                .map(|c| cells.iter().find(|(k, _)| k == c).map_or(String::new(), |(_, v)| v.to_string()))
                .collect()
        })
        .collect();
    tsv::write(&header, &rows).unwrap()
}

/// An existing contact's first row, with `changes` applied.
fn existing(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut row = vec![
        ("Contact ID", "501"),
        ("First Name", "María"),
        ("Last Name", "García"),
        ("Is Active", "1"),
        ("Email Address", "maria@example.com"),
        ("Contact Email Address ID", "71"),
        ("Email Type", "Current"),
        ("Is Primary Email Address", "1"),
        ("phoneNumberAsEntered", "555-201-3344"),
        ("Contact Phone Number ID", "81"),
        ("Phone Type", "Mobile"),
        ("Phone Number Priority Order", "1"),
        ("Is Preferred", "1"),
        ("Is SMS", "0"),
        ("Street", "12 Elm St"),
        ("City", "Springfield"),
        ("State", "MN"),
        ("Postal Code", "55401"),
        ("Address Type", "Home"),
        ("Address Priority Order", "1"),
        ("studentNumber", "100234"),
        ("Contact Priority Order", "1"),
        ("Student Contact ID", "901"),
        ("Student Contact Detail ID", "911"),
        ("Relationship Type", "Mother"),
        ("Contact Lives With", "1"),
    ];
    apply(&mut row, changes);
    row
}

/// A related row of the same contact (person and link columns only), with
/// `changes` applied.
fn related(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let keep = |c: &str| PERSON.contains(&c) || LINK.contains(&c) || c == "Contact ID";
    let mut row: Vec<_> = existing(&[]).into_iter().filter(|(c, _)| keep(c)).collect();
    apply(&mut row, changes);
    row
}

fn apply(row: &mut Vec<(&'static str, &'static str)>, changes: &[(&'static str, &'static str)]) {
    for (c, v) in changes {
        match row.iter_mut().find(|(k, _)| k == c) {
            Some(cell) => cell.1 = v,
            None => row.push((c, v)),
        }
    }
}

fn check(text: &str, expect: Expect) {
    let actual = match ContactsFile::read(text) {
        Ok(f) => format!("ok: {} row(s)", f.rows.len()),
        Err(e) => format!("error: {e}"),
    };
    expect.assert_eq(&actual);
}

#[test]
fn accepts_what_the_writer_writes() {
    let text = file(&[
        existing(&[]),
        related(&[
            ("Email Address", "mg@work.example"),
            ("Email Type", "Additional"),
            ("Is Primary Email Address", "0"),
        ]),
        vec![
            ("New Contact Identifier", "APP-1-contact2"),
            ("First Name", "José"),
            ("Last Name", "García"),
            ("Is Active", "1"),
            ("studentNumber", "100234"),
            ("Contact Priority Order", "2"),
            ("Relationship Type", "Father"),
        ],
        vec![
            ("Contact ID", "502"),
            ("First Name", "Ana"),
            ("Last Name", "Old"),
            ("studentNumber", "#delete"),
            ("Student Contact ID", "902"),
        ],
        vec![
            ("Contact ID", "503"),
            ("First Name", "Bo"),
            ("Last Name", "Old"),
            ("studentNumber", "100234"),
            ("Contact Priority Order", "3"),
            ("Student Contact ID", "903"),
            ("Student Contact Detail ID", "#new"),
            ("Relationship Type", "Uncle"),
            ("Relationship End Date", "08/15/2026"),
        ],
    ]);
    check(&text, expect!["ok: 5 row(s)"]);
    let f = ContactsFile::read(&text).unwrap();
    assert_eq!(f.students().iter().map(|s| s.to_string()).collect::<Vec<_>>(), ["100234"]);
    assert_eq!(f.value(3, "studentNumber"), Some("#delete"));
}

#[test]
fn refuses_a_broken_layout_or_header() {
    check("", expect!["error: the file is empty"]);
    check(
        "Contact ID\tstudentNumber\n1\t2\r\n",
        expect!["error: line 2: CR line end: import files use LF line ends only"],
    );
    check(
        "Contact ID\tStudent_Number\n1\t2\n",
        expect!["error: line 1, column Student_Number: not a column of the Student Contacts template"],
    );
    check(
        "Contact ID\tstudentNumber\n1\t2\n",
        expect!["error: line 1: the header has no New Contact Identifier column"],
    );
    check(
        "New Contact Identifier\tContact ID\tstudentNumber\tRelationship Type\n\t1\t2\n",
        expect!["error: line 2: 3 fields, but the header has 4"],
    );
}

#[test]
fn refuses_bad_cells() {
    check(
        &file(&[existing(&[("Contact ID", "")])]),
        expect![[
            r#"error: line 2, column Contact ID: neither Contact ID nor New Contact Identifier: whose row is it?"#
        ]],
    );
    check(
        &file(&[existing(&[("New Contact Identifier", "n1")])]),
        expect![[
            r#"error: line 2, column New Contact Identifier: both Contact ID and New Contact Identifier: a row is an existing or a new contact"#
        ]],
    );
    check(
        &file(&[existing(&[("Contact ID", "-4")])]),
        expect![[r#"error: line 2, column Contact ID: expected a positive whole number, found "-4""#]],
    );
    check(
        &file(&[existing(&[("Contact Lives With", "yes")])]),
        expect![[r#"error: line 2, column Contact Lives With: a yes/no column holds 1 or 0, found "yes""#]],
    );
    check(
        &file(&[existing(&[("Relationship End Date", "31/31/2026")])]),
        expect![[r#"error: line 2, column Relationship End Date: date: no such day in the calendar ("31/31/2026")"#]],
    );
    check(
        &file(&[existing(&[("Relationship Start Date", "09/01/2026"), ("Relationship End Date", "08/15/2026")])]),
        expect!["error: line 2, column Relationship End Date: ends before it starts (09/01/2026)"],
    );
    check(&file(&[existing(&[("Last Name", "#delete")])]), expect!["error: line 2, column Last Name: #delete is allowed only in Email Address, phoneNumberAsEntered, Street and studentNumber: the writeback never deletes a whole contact"]);
    check(
        &file(&[existing(&[("Student Contact ID", "#new")])]),
        expect!["error: line 2, column Student Contact ID: #new is allowed only in Student Contact Detail ID"],
    );
    check(
        &file(&[existing(&[("studentNumber", "")])]),
        expect![[r#"error: line 2, column studentNumber: student number: is empty ("")"#]],
    );
    check(
        &file(&[existing(&[("Relationship Type", "")])]),
        expect!["error: line 2, column Relationship Type: a contact of a student needs a relationship type"],
    );
    check(
        &file(&[existing(&[("studentNumber", "#delete"), ("Student Contact ID", "")])]),
        expect!["error: line 2, column Student Contact ID: removing the student from a contact needs its Student Contact ID"],
    );
}

#[test]
fn refuses_bad_new_contacts() {
    let new = |changes: &[(&'static str, &'static str)]| {
        let mut row = vec![
            ("New Contact Identifier", "n1"),
            ("First Name", "José"),
            ("Last Name", "García"),
            ("studentNumber", "100234"),
            ("Relationship Type", "Father"),
        ];
        apply(&mut row, changes);
        file(&[row])
    };
    check(&new(&[]), expect!["ok: 1 row(s)"]);
    check(
        &new(&[("Last Name", "")]),
        expect!["error: line 2, column Last Name: a new contact needs a first and last name"],
    );
    check(
        &new(&[("Student Contact ID", "9")]),
        expect!["error: line 2, column Student Contact ID: a new contact has no existing records to refer to"],
    );
    check(&new(&[("studentNumber", "#delete")]), expect!["error: line 2, column Student Contact ID: removing the student from a contact needs its Student Contact ID"]);
    check(
        &new(&[("phoneNumberAsEntered", "#delete"), ("Contact Phone Number ID", "3")]),
        expect!["error: line 2, column Contact Phone Number ID: a new contact has no existing records to refer to"],
    );
    check(&new(&[("Street", "#delete")]), expect!["error: line 2, column Street: a new contact has nothing to delete"]);
    check(
        &new(&[("Student Contact Detail ID", "7")]),
        expect!["error: line 2, column Student Contact Detail ID: a new contact has no existing records to refer to"],
    );
}

#[test]
fn related_rows_agree() {
    check(
        &file(&[existing(&[]), related(&[("Last Name", "Garcia")])]),
        expect![[
            r#"error: line 3, column Last Name: conflicts with line 2 of the same contact ("García" there): PowerSchool rejects every row of the contact"#
        ]],
    );
    check(
        &file(&[existing(&[]), related(&[("Contact Priority Order", "2")])]),
        expect![[
            r#"error: line 3, column Contact Priority Order: conflicts with line 2 of the same contact ("1" there): PowerSchool rejects every row of the contact"#
        ]],
    );
    check(
        &file(&[existing(&[]), related(&[("Contact ID", "502"), ("Contact Priority Order", "1")])]),
        expect!["error: line 3, column Contact Priority Order: priority 1 is already given to contact ID 501"],
    );
    check(
        &file(&[existing(&[("Contact Priority Order", "0")])]),
        expect![[r#"error: line 2, column Contact Priority Order: expected a positive whole number, found "0""#]],
    );
}

#[test]
fn email_rules() {
    check(
        &file(&[existing(&[]), related(&[("Email Address", "MARIA@example.com"), ("Email Type", "Additional")])]),
        expect!["error: line 3, column Email Address: MARIA@example.com appears twice on the contact's rows"],
    );
    check(
        &file(&[
            existing(&[]),
            related(&[
                ("Email Address", "m2@example.com"),
                ("Email Type", "Additional"),
                ("Is Primary Email Address", "1"),
            ]),
        ]),
        expect!["error: line 3, column Is Primary Email Address: a contact has only one primary email"],
    );
    check(
        &file(&[existing(&[("Email Address", "maria@")])]),
        expect![[r#"error: line 2, column Email Address: email: the domain after @ is not valid ("maria@")"#]],
    );
    check(
        &file(&[existing(&[("Email Type", "")])]),
        expect!["error: line 2, column Email Type: an email needs its type"],
    );
    check(
        &file(&[existing(&[("Email Address", "")])]),
        expect!["error: line 2, column Contact Email Address ID: set without Email Address"],
    );
    check(
        &file(&[existing(&[("Email Address", "#delete"), ("Contact Email Address ID", "")])]),
        expect!["error: line 2, column Contact Email Address ID: #delete needs the Contact Email Address ID to remove"],
    );
    check(
        &file(&[existing(&[("Email Address", "#delete")])]),
        expect!["error: line 2, column Is Primary Email Address: a removed email cannot be the primary one"],
    );
    check(
        &file(&[existing(&[("Email Address", "#delete"), ("Is Primary Email Address", "0")])]),
        expect!["ok: 1 row(s)"],
    );
}

#[test]
fn phone_rules() {
    check(&file(&[existing(&[]), related(&[("phoneNumberAsEntered", "555-201-9999"), ("Phone Type", "Home"), ("Phone Number Priority Order", "1")])]), expect!["error: line 3, column Phone Number Priority Order: priority 1 is already used by another phone of the contact"]);
    check(
        &file(&[
            existing(&[]),
            related(&[
                ("phoneNumberAsEntered", "555-201-9999"),
                ("Phone Type", "Home"),
                ("Phone Number Priority Order", "2"),
            ]),
        ]),
        expect!["ok: 2 row(s)"],
    );
    check(
        &file(&[existing(&[("Phone Number Priority Order", "")])]),
        expect!["error: line 2, column Phone Number Priority Order: a phone needs its priority order"],
    );
    check(
        &file(&[existing(&[("Phone Number Priority Order", "1.5")])]),
        expect![[
            r#"error: line 2, column Phone Number Priority Order: expected a positive whole number, found "1.5""#
        ]],
    );
    check(
        &file(&[existing(&[("phoneNumberAsEntered", "555-2013")])]),
        expect![[
            r#"error: line 2, column phoneNumberAsEntered: phone: expected 10 digits (North American) or +country code ("555-2013")"#
        ]],
    );
    check(
        &file(&[existing(&[("Extension", "12a")])]),
        expect![[r#"error: line 2, column Extension: an extension is 1 to 8 digits, found "12a""#]],
    );
    check(
        &file(&[existing(&[("Phone Type", "")])]),
        expect!["error: line 2, column Phone Type: a phone needs its type"],
    );
    check(
        &file(&[existing(&[("phoneNumberAsEntered", "#delete"), ("Contact Phone Number ID", "")])]),
        expect!["error: line 2, column Contact Phone Number ID: #delete needs the Contact Phone Number ID to remove"],
    );
}

#[test]
fn address_rules() {
    check(
        &file(&[existing(&[("City", "")])]),
        expect!["error: line 2, column City: an address needs street, city, state, postal code and type"],
    );
    check(&file(&[existing(&[("Street", "")])]), expect!["error: line 2, column City: set without Street"]);
    check(
        &file(&[existing(&[("Street", "#delete"), ("Contact Address ID", "")])]),
        expect!["error: line 2, column Contact Address ID: #delete needs the Contact Address ID to remove"],
    );
    check(
        &file(&[existing(&[("Address Priority Order", "x")])]),
        expect![[r#"error: line 2, column Address Priority Order: expected a positive whole number, found "x""#]],
    );
}

#[test]
fn code_values_come_from_the_code_set() {
    let codes: Vec<CodeSet> =
        [("Email", "Current"), ("Phone", "Mobile"), ("Address", "Home"), ("Relationship", "Mother"), ("State", "MN")]
            .iter()
            .enumerate()
            .map(|(i, (t, c))| CodeSet {
                id: i as i64,
                code_type: t.to_string(),
                code: c.to_string(),
                display_value: c.to_string(),
            })
            .collect();
    let check_codes = |row: Vec<(&str, &str)>, expect: Expect| {
        let f = ContactsFile::read(&file(&[row])).unwrap();
        let actual = match f.check_codes(&codes) {
            Ok(()) => "ok".to_string(),
            Err(e) => format!("error: {e}"),
        };
        expect.assert_eq(&actual);
    };
    check_codes(existing(&[]), expect!["ok"]);
    check_codes(
        existing(&[("Phone Type", "Cell")]),
        expect![[r#"error: line 2, column Phone Type: "Cell" is not a Phone code of the district's CodeSet"#]],
    );
    check_codes(
        existing(&[("Email Type", "Work")]),
        expect![[r#"error: line 2, column Email Type: "Work" is not a Email code of the district's CodeSet"#]],
    );
    check_codes(
        existing(&[("Address Type", "Mailing")]),
        expect![[r#"error: line 2, column Address Type: "Mailing" is not a Address code of the district's CodeSet"#]],
    );
    check_codes(
        existing(&[("Relationship Type", "Mom")]),
        expect![[
            r#"error: line 2, column Relationship Type: "Mom" is not a Relationship code of the district's CodeSet"#
        ]],
    );
    check_codes(
        existing(&[("State", "Minnesota")]),
        expect![[r#"error: line 2, column State: "Minnesota" is not a State code of the district's CodeSet"#]],
    );
}

#[test]
fn the_writer_refuses_values_that_break_the_file() {
    let f = ContactsFile {
        header: vec!["Contact ID".into(), "First Name".into()],
        rows: vec![vec!["1".into(), "Ma\tría".into()]],
    };
    expect![[
        r#"line 2, column First Name: the value "Ma\tría" holds a tab, which would break the tab-delimited file"#
    ]]
    .assert_eq(&f.to_text().unwrap_err().to_string());
}
