//! The Data Import Manager "Student Contacts" file (powerschool.md 2c): one
//! contact spans related rows sharing `Contact ID` (an existing Person.ID) or
//! `New Contact Identifier` (a new person); each row may carry one email, one
//! phone and one address; the person and relationship columns repeat on every
//! related row.
//!
//! [`ContactsFile::read`] checks every rule of the template that needs no
//! snapshot; [`ContactsFile::check_codes`] checks the code-set values against
//! the district's CodeSet.

use std::collections::{BTreeMap, BTreeSet};

use super::tsv::{self, FlatFileError};
use crate::domain::{Date, Email, Phone, StudentNumber};
use crate::snapshot::CodeSet;

/// Every column of the 2022-09 template the writeback knows, in template
/// order. The reader accepts any of them, in any order (names
/// case-insensitive).
pub const TEMPLATE_COLUMNS: [&str; 46] = [
    "New Contact Identifier",
    "Contact ID",
    "Prefix",
    "First Name",
    "Middle Name",
    "Last Name",
    "Suffix",
    "Gender",
    "Employer",
    "Is Active",
    "Email Address",
    "Contact Email Address ID",
    "Email Type",
    "Is Primary Email Address",
    "phoneNumberAsEntered",
    "Extension",
    "Contact Phone Number ID",
    "Phone Type",
    "Phone Number Priority Order",
    "Is Preferred",
    "Is SMS",
    "Street",
    "Line Two",
    "Unit",
    "City",
    "State",
    "Postal Code",
    "Address Type",
    "Address Priority Order",
    "Contact Address ID",
    "Address Start Date",
    "Address End Date",
    "studentNumber",
    "Contact Priority Order",
    "Student Contact ID",
    "Student Contact Detail ID",
    "Relationship Type",
    "Original Contact Type",
    "Relationship Note",
    "Relationship Start Date",
    "Relationship End Date",
    "Contact Has Custody",
    "Contact Lives With",
    "Contact Allow School Pickup",
    "Is Emergency Contact",
    "Contact Receives Mailings",
];

/// The columns the writeback writes, in template order.
pub const CONTACT_COLUMNS: [&str; 38] = [
    "New Contact Identifier",
    "Contact ID",
    "First Name",
    "Middle Name",
    "Last Name",
    "Is Active",
    "Email Address",
    "Contact Email Address ID",
    "Email Type",
    "Is Primary Email Address",
    "phoneNumberAsEntered",
    "Extension",
    "Contact Phone Number ID",
    "Phone Type",
    "Phone Number Priority Order",
    "Is Preferred",
    "Is SMS",
    "Street",
    "Line Two",
    "Unit",
    "City",
    "State",
    "Postal Code",
    "Address Type",
    "Address Priority Order",
    "Contact Address ID",
    "studentNumber",
    "Contact Priority Order",
    "Student Contact ID",
    "Student Contact Detail ID",
    "Relationship Type",
    "Relationship Start Date",
    "Relationship End Date",
    "Contact Has Custody",
    "Contact Lives With",
    "Contact Allow School Pickup",
    "Is Emergency Contact",
    "Contact Receives Mailings",
];

/// A value cell that removes its email, phone or address (or, in
/// `studentNumber`, the student from the contact).
pub const DELETE: &str = "#delete";
/// `Student Contact Detail ID` of a new detail row.
pub const NEW_DETAIL: &str = "#new";

/// Columns describing the person: equal on every related row.
const PERSON: [&str; 8] =
    ["Prefix", "First Name", "Middle Name", "Last Name", "Suffix", "Gender", "Employer", "Is Active"];
/// Columns describing the link to the student: equal on every related row.
const LINK: [&str; 14] = [
    "studentNumber",
    "Contact Priority Order",
    "Student Contact ID",
    "Student Contact Detail ID",
    "Relationship Type",
    "Original Contact Type",
    "Relationship Note",
    "Relationship Start Date",
    "Relationship End Date",
    "Contact Has Custody",
    "Contact Lives With",
    "Contact Allow School Pickup",
    "Is Emergency Contact",
    "Contact Receives Mailings",
];
const EMAIL: [&str; 4] = ["Email Address", "Contact Email Address ID", "Email Type", "Is Primary Email Address"];
const PHONE: [&str; 7] = [
    "phoneNumberAsEntered",
    "Extension",
    "Contact Phone Number ID",
    "Phone Type",
    "Phone Number Priority Order",
    "Is Preferred",
    "Is SMS",
];
const ADDRESS: [&str; 11] = [
    "Street",
    "Line Two",
    "Unit",
    "City",
    "State",
    "Postal Code",
    "Address Type",
    "Address Priority Order",
    "Contact Address ID",
    "Address Start Date",
    "Address End Date",
];
const BOOLEANS: [&str; 9] = [
    "Is Active",
    "Is Primary Email Address",
    "Is Preferred",
    "Is SMS",
    "Contact Has Custody",
    "Contact Lives With",
    "Contact Allow School Pickup",
    "Is Emergency Contact",
    "Contact Receives Mailings",
];
const DATES: [&str; 4] = ["Address Start Date", "Address End Date", "Relationship Start Date", "Relationship End Date"];
/// Record ids: positive integers when present.
const IDS: [&str; 5] =
    ["Contact ID", "Contact Email Address ID", "Contact Phone Number ID", "Contact Address ID", "Student Contact ID"];
/// Code-set columns and their CodeType.
const CODED: [(&str, &str); 6] = [
    ("Email Type", "Email"),
    ("Phone Type", "Phone"),
    ("Address Type", "Address"),
    ("Relationship Type", "Relationship"),
    ("Original Contact Type", "OriginalContactType"),
    ("State", "State"),
];
/// The cells `#delete` may be written in.
const DELETABLE: [&str; 4] = ["Email Address", "phoneNumberAsEntered", "Street", "studentNumber"];

/// A Student Contacts import file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactsFile {
    /// The columns (the writer uses [`CONTACT_COLUMNS`]).
    pub header: Vec<String>,
    /// Data rows, as wide as the header.
    pub rows: Vec<Vec<String>>,
}

impl ContactsFile {
    /// The file's text; refuses a value that would break the file.
    pub fn to_text(&self) -> Result<String, FlatFileError> {
        tsv::write(&self.header, &self.rows)
    }

    /// The value of `column` on data row `row`, if the file has the column.
    pub fn value(&self, row: usize, column: &str) -> Option<&str> {
        let j = self.header.iter().position(|h| h.eq_ignore_ascii_case(column))?;
        self.rows.get(row)?.get(j).map(String::as_str)
    }

    /// The student numbers the file writes (not `#delete`), in order of
    /// first appearance.
    pub fn students(&self) -> Vec<StudentNumber> {
        let mut out: Vec<StudentNumber> = Vec::new();
        for i in 0..self.rows.len() {
            if let Some(Ok(n)) = self.value(i, "studentNumber").map(StudentNumber::parse) {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
        }
        out
    }

    /// Reads and checks a Student Contacts file: the layout, known columns,
    /// one contact key per row, record ids, booleans 1/0, dates, `#delete`
    /// and `#new` only where they mean something, the same person and link
    /// values on related rows, one primary email and no email twice per
    /// contact, unique positive phone priority orders, unique contact
    /// priority orders. The error names the line and column.
    pub fn read(text: &str) -> Result<ContactsFile, FlatFileError> {
        let (header, rows) = tsv::read(text)?;
        for h in &header {
            if !TEMPLATE_COLUMNS.iter().any(|c| c.eq_ignore_ascii_case(h)) {
                return Err(FlatFileError::new(1, Some(h), "not a column of the Student Contacts template"));
            }
        }
        for required in ["New Contact Identifier", "Contact ID", "studentNumber"] {
            if !header.iter().any(|h| h.eq_ignore_ascii_case(required)) {
                return Err(FlatFileError::new(1, None, format!("the header has no {required} column")));
            }
        }
        let file = ContactsFile { header, rows: rows.iter().map(|(_, r)| r.clone()).collect() };
        let mut contacts: BTreeMap<String, ContactSeen> = BTreeMap::new();
        let mut orders: BTreeMap<u64, String> = BTreeMap::new();
        for (i, (line, _)) in rows.iter().enumerate() {
            let row = Row { file: &file, i, line: *line };
            let key = row.check_cells()?;
            let seen = contacts.entry(key.clone()).or_default();
            row.check_related(seen)?;
            row.check_email(seen)?;
            row.check_phone(seen)?;
            row.check_address()?;
            if let Some(order) = row.int("Contact Priority Order")? {
                if let Some(other) = orders.get(&order).filter(|o| **o != key) {
                    return Err(row.err(
                        "Contact Priority Order",
                        format!("priority {order} is already given to contact {other}"),
                    ));
                }
                orders.insert(order, key);
            }
        }
        Ok(file)
    }

    /// Checks every code-set column against the district's CodeSet: the
    /// value must be a `Code` of its CodeType (case-insensitive).
    pub fn check_codes(&self, codes: &[CodeSet]) -> Result<(), FlatFileError> {
        for (column, code_type) in CODED {
            let Some(j) = self.header.iter().position(|h| h.eq_ignore_ascii_case(column)) else { continue };
            for (i, row) in self.rows.iter().enumerate() {
                let v = row.get(j).map_or("", |v| v.trim());
                if v.is_empty() || v == DELETE {
                    continue;
                }
                let known =
                    codes.iter().any(|c| c.code_type.eq_ignore_ascii_case(code_type) && c.code.eq_ignore_ascii_case(v));
                if !known {
                    return Err(FlatFileError::new(
                        i + 2,
                        Some(column),
                        format!("{v:?} is not a {code_type} code of the district's CodeSet"),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// What earlier related rows of one contact held.
#[derive(Debug, Default)]
struct ContactSeen {
    /// Line and person + link values of the first row.
    first: Option<(usize, Vec<String>)>,
    /// Folded email addresses.
    emails: BTreeSet<String>,
    /// Whether a row has a primary email.
    primary: bool,
    /// Phone priority orders.
    phone_orders: BTreeSet<u64>,
}

/// One data row being checked.
struct Row<'a> {
    file: &'a ContactsFile,
    i: usize,
    line: usize,
}

impl Row<'_> {
    fn get(&self, column: &str) -> &str {
        self.file.value(self.i, column).map_or("", str::trim)
    }

    fn err(&self, column: &str, message: impl Into<String>) -> FlatFileError {
        let column = self.file.header.iter().find(|h| h.eq_ignore_ascii_case(column)).map_or(column, String::as_str);
        FlatFileError::new(self.line, Some(column), message)
    }

    fn int(&self, column: &str) -> Result<Option<u64>, FlatFileError> {
        let v = self.get(column);
        if v.is_empty() {
            return Ok(None);
        }
        match v.parse::<u64>() {
            Ok(n) if n > 0 => Ok(Some(n)),
            _ => Err(self.err(column, format!("expected a positive whole number, found {v:?}"))),
        }
    }

    /// Cell-level rules; returns the contact's key.
    fn check_cells(&self) -> Result<String, FlatFileError> {
        for h in &self.file.header {
            let v = self.get(h);
            if v.eq_ignore_ascii_case(DELETE) && !DELETABLE.iter().any(|d| d.eq_ignore_ascii_case(h)) {
                return Err(self.err(h, "#delete is allowed only in Email Address, phoneNumberAsEntered, Street and studentNumber: the writeback never deletes a whole contact"));
            }
            if v.eq_ignore_ascii_case(NEW_DETAIL) && !h.eq_ignore_ascii_case("Student Contact Detail ID") {
                return Err(self.err(h, "#new is allowed only in Student Contact Detail ID"));
            }
        }
        for c in BOOLEANS {
            let v = self.get(c);
            if !matches!(v, "" | "0" | "1") {
                return Err(self.err(c, format!("a yes/no column holds 1 or 0, found {v:?}")));
            }
        }
        for c in IDS {
            self.int(c)?;
        }
        let detail = self.get("Student Contact Detail ID");
        if detail != NEW_DETAIL {
            self.int("Student Contact Detail ID")?;
        }
        let mut dates = BTreeMap::new();
        for c in DATES {
            let v = self.get(c);
            if !v.is_empty() {
                let d = Date::parse(v).map_err(|e| self.err(c, e.to_string()))?;
                dates.insert(c, d);
            }
        }
        for (start, end) in
            [("Address Start Date", "Address End Date"), ("Relationship Start Date", "Relationship End Date")]
        {
            if let (Some(s), Some(e)) = (dates.get(start), dates.get(end)) {
                if e < s {
                    return Err(self.err(end, format!("ends before it starts ({})", s.to_us())));
                }
            }
        }
        let (new_id, id) = (self.get("New Contact Identifier"), self.get("Contact ID"));
        let key = match (new_id.is_empty(), id.is_empty()) {
            (true, true) => {
                return Err(self.err("Contact ID", "neither Contact ID nor New Contact Identifier: whose row is it?"))
            }
            (false, false) => {
                return Err(self.err(
                    "New Contact Identifier",
                    "both Contact ID and New Contact Identifier: a row is an existing or a new contact",
                ))
            }
            (false, true) => format!("new {new_id}"),
            (true, false) => format!("ID {id}"),
        };
        let student = self.get("studentNumber");
        let unlink = student.eq_ignore_ascii_case(DELETE);
        if !unlink {
            StudentNumber::parse(student).map_err(|e| self.err("studentNumber", e.to_string()))?;
            if self.get("Relationship Type").is_empty() && self.file.header.iter().any(|h| h == "Relationship Type") {
                return Err(self.err("Relationship Type", "a contact of a student needs a relationship type"));
            }
        } else if self.get("Student Contact ID").is_empty() {
            return Err(
                self.err("Student Contact ID", "removing the student from a contact needs its Student Contact ID")
            );
        }
        if !new_id.is_empty() {
            for c in ["First Name", "Last Name"] {
                if self.get(c).is_empty() {
                    return Err(self.err(c, "a new contact needs a first and last name"));
                }
            }
            for c in ["Contact Email Address ID", "Contact Phone Number ID", "Contact Address ID", "Student Contact ID"]
            {
                if !self.get(c).is_empty() {
                    return Err(self.err(c, "a new contact has no existing records to refer to"));
                }
            }
            for c in DELETABLE {
                if self.get(c).eq_ignore_ascii_case(DELETE) {
                    return Err(self.err(c, "a new contact has nothing to delete"));
                }
            }
            if !detail.is_empty() && detail != NEW_DETAIL {
                return Err(self.err("Student Contact Detail ID", "a new contact has no existing records to refer to"));
            }
        }
        Ok(key)
    }

    /// Person and link columns must agree on related rows.
    fn check_related(&self, seen: &mut ContactSeen) -> Result<(), FlatFileError> {
        let values: Vec<String> = PERSON.iter().chain(LINK.iter()).map(|c| self.get(c).to_string()).collect();
        match &seen.first {
            None => seen.first = Some((self.line, values)),
            Some((line, first)) => {
                if let Some(k) = (0..values.len()).find(|&k| values[k] != first[k]) {
                    let column = PERSON.iter().chain(LINK.iter()).nth(k).copied().unwrap_or_default();
                    return Err(self.err(
                        column,
                        format!(
                            "conflicts with line {line} of the same contact ({:?} there): PowerSchool rejects every row of the contact",
                            first[k]
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The email columns of the row.
    fn check_email(&self, seen: &mut ContactSeen) -> Result<(), FlatFileError> {
        let address = self.get("Email Address");
        if address.is_empty() {
            return self.group_blank(&EMAIL, "Email Address");
        }
        if address.eq_ignore_ascii_case(DELETE) {
            if self.get("Contact Email Address ID").is_empty() {
                return Err(
                    self.err("Contact Email Address ID", "#delete needs the Contact Email Address ID to remove")
                );
            }
            if self.get("Is Primary Email Address") == "1" {
                return Err(self.err("Is Primary Email Address", "a removed email cannot be the primary one"));
            }
            return Ok(());
        }
        let email = Email::parse(address).map_err(|e| self.err("Email Address", e.to_string()))?;
        if self.get("Email Type").is_empty() {
            return Err(self.err("Email Type", "an email needs its type"));
        }
        if !seen.emails.insert(email.folded()) {
            return Err(self.err("Email Address", format!("{address} appears twice on the contact's rows")));
        }
        if self.get("Is Primary Email Address") == "1" {
            if seen.primary {
                return Err(self.err("Is Primary Email Address", "a contact has only one primary email"));
            }
            seen.primary = true;
        }
        Ok(())
    }

    /// The phone columns of the row.
    fn check_phone(&self, seen: &mut ContactSeen) -> Result<(), FlatFileError> {
        let number = self.get("phoneNumberAsEntered");
        if number.is_empty() {
            return self.group_blank(&PHONE, "phoneNumberAsEntered");
        }
        if number.eq_ignore_ascii_case(DELETE) {
            if self.get("Contact Phone Number ID").is_empty() {
                return Err(self.err("Contact Phone Number ID", "#delete needs the Contact Phone Number ID to remove"));
            }
            return Ok(());
        }
        Phone::parse(number).map_err(|e| self.err("phoneNumberAsEntered", e.to_string()))?;
        let ext = self.get("Extension");
        if !ext.is_empty() && (ext.len() > 8 || !ext.bytes().all(|b| b.is_ascii_digit())) {
            return Err(self.err("Extension", format!("an extension is 1 to 8 digits, found {ext:?}")));
        }
        if self.get("Phone Type").is_empty() {
            return Err(self.err("Phone Type", "a phone needs its type"));
        }
        let Some(order) = self.int("Phone Number Priority Order")? else {
            return Err(self.err("Phone Number Priority Order", "a phone needs its priority order"));
        };
        if !seen.phone_orders.insert(order) {
            return Err(self.err(
                "Phone Number Priority Order",
                format!("priority {order} is already used by another phone of the contact"),
            ));
        }
        Ok(())
    }

    /// The address columns of the row.
    fn check_address(&self) -> Result<(), FlatFileError> {
        let street = self.get("Street");
        if street.is_empty() {
            return self.group_blank(&ADDRESS, "Street");
        }
        if street.eq_ignore_ascii_case(DELETE) {
            if self.get("Contact Address ID").is_empty() {
                return Err(self.err("Contact Address ID", "#delete needs the Contact Address ID to remove"));
            }
            return Ok(());
        }
        for c in ["City", "State", "Postal Code", "Address Type"] {
            if self.get(c).is_empty() && self.file.header.iter().any(|h| h.eq_ignore_ascii_case(c)) {
                return Err(self.err(c, "an address needs street, city, state, postal code and type"));
            }
        }
        self.int("Address Priority Order")?;
        Ok(())
    }

    /// With no value in `main`, the group's other columns must be blank.
    fn group_blank(&self, group: &[&str], main: &str) -> Result<(), FlatFileError> {
        match group.iter().find(|c| !self.get(c).is_empty()) {
            Some(c) => Err(self.err(c, format!("set without {main}"))),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests;
