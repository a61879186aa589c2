//! What one contact writes, and its rows in the Student Contacts file: the
//! person and link columns on every related row, one email, phone and
//! address per row.

use super::flags::RelationshipFlags;
use super::records::AddressParts;
use crate::domain::{Date, StudentNumber};
use crate::flatfile::{CONTACT_COLUMNS, DELETE, NEW_DETAIL};

/// Whose rows: an existing person or a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PlanKey {
    /// Contact ID.
    Existing(i64),
    /// New Contact Identifier.
    New(String),
}

/// The link columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LinkPlan {
    /// Create or update the link (and its current detail).
    Write {
        /// The existing StudentContactAssocID, if linked.
        student_contact_id: Option<i64>,
        /// The detail written: its id, `#new`, or blank for a new link.
        detail: String,
        /// Relationship code.
        relationship: String,
        /// The relationship flags.
        flags: RelationshipFlags,
    },
    /// A new detail ending the relationship.
    Expire { student_contact_id: i64, relationship: String, end: Date, flags: RelationshipFlags },
    /// Remove the student from the contact.
    Unlink { student_contact_id: i64 },
    /// The link exactly as it is (detail, relationship, dates, flags),
    /// written only to carry its new Contact Priority Order.
    Reorder {
        student_contact_id: i64,
        /// The current detail, with its dates and flags.
        detail: Option<DetailAsIs>,
        relationship: String,
    },
}

/// A relationship detail as PowerSchool has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DetailAsIs {
    /// StudentContactDetailID.
    pub id: i64,
    pub start: Option<Date>,
    pub end: Option<Date>,
    /// The relationship flags.
    pub flags: RelationshipFlags,
}

/// An email row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EmailRow {
    Write { id: Option<i64>, address: String, email_type: String, primary: bool },
    Delete { id: i64 },
}

/// A phone row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PhoneRow {
    Write {
        id: Option<i64>,
        number: String,
        extension: String,
        phone_type: String,
        priority: u32,
        preferred: bool,
        sms: bool,
    },
    Delete {
        id: i64,
    },
}

/// An address row (`parts.state` and `parts.address_type` are codes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AddressRow {
    Write { id: Option<i64>, parts: AddressParts, priority: u32 },
    Delete { id: i64 },
}

/// Everything one contact writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    pub key: PlanKey,
    pub first_name: String,
    pub middle_name: String,
    pub last_name: String,
    pub is_active: bool,
    pub link: LinkPlan,
    pub emails: Vec<EmailRow>,
    pub phones: Vec<PhoneRow>,
    pub addresses: Vec<AddressRow>,
}

fn flag(b: bool) -> String {
    if b { "1" } else { "0" }.to_string()
}

impl Plan {
    /// The plan's rows in [`CONTACT_COLUMNS`] order; `position` is the
    /// Contact Priority Order.
    pub fn rows(&self, student: &StudentNumber, position: Option<usize>) -> Vec<Vec<String>> {
        let n = 1.max(self.emails.len()).max(self.phones.len()).max(self.addresses.len());
        let mut rows = Vec::with_capacity(n);
        for i in 0..n {
            let mut row: Vec<String> = vec![String::new(); CONTACT_COLUMNS.len()];
            let mut set = |column: &str, value: String| {
                let j = CONTACT_COLUMNS.iter().position(|c| *c == column);
                // A misspelt column would drop its value without a word:
                // the tests (debug builds) stop on it.
                debug_assert!(j.is_some(), "{column:?} is not a Student Contacts column");
                if let Some(j) = j {
                    row[j] = value;
                }
            };
            match &self.key {
                PlanKey::Existing(id) => set("Contact ID", id.to_string()),
                PlanKey::New(ident) => set("New Contact Identifier", ident.clone()),
            }
            set("First Name", self.first_name.clone());
            set("Middle Name", self.middle_name.clone());
            set("Last Name", self.last_name.clone());
            set("Is Active", flag(self.is_active));
            let position = position.map(|p| p.to_string()).unwrap_or_default();
            match &self.link {
                LinkPlan::Write { student_contact_id, detail, relationship, flags } => {
                    set("studentNumber", student.to_string());
                    set("Contact Priority Order", position);
                    set("Student Contact ID", student_contact_id.map(|i| i.to_string()).unwrap_or_default());
                    set("Student Contact Detail ID", detail.clone());
                    set("Relationship Type", relationship.clone());
                    for (column, value) in flags.columns() {
                        set(column, flag(value));
                    }
                }
                LinkPlan::Expire { student_contact_id, relationship, end, flags } => {
                    set("studentNumber", student.to_string());
                    set("Contact Priority Order", position);
                    set("Student Contact ID", student_contact_id.to_string());
                    set("Student Contact Detail ID", NEW_DETAIL.to_string());
                    set("Relationship Type", relationship.clone());
                    set("Relationship End Date", end.to_us());
                    for (column, value) in flags.columns() {
                        set(column, flag(value));
                    }
                }
                LinkPlan::Unlink { student_contact_id } => {
                    set("studentNumber", DELETE.to_string());
                    set("Student Contact ID", student_contact_id.to_string());
                }
                LinkPlan::Reorder { student_contact_id, detail, relationship } => {
                    set("studentNumber", student.to_string());
                    set("Contact Priority Order", position);
                    set("Student Contact ID", student_contact_id.to_string());
                    set("Relationship Type", relationship.clone());
                    if let Some(DetailAsIs { id, start, end, flags }) = detail {
                        set("Student Contact Detail ID", id.to_string());
                        set("Relationship Start Date", start.map(|d| d.to_us()).unwrap_or_default());
                        set("Relationship End Date", end.map(|d| d.to_us()).unwrap_or_default());
                        for (column, value) in flags.columns() {
                            set(column, flag(value));
                        }
                    }
                }
            }
            match self.emails.get(i) {
                Some(EmailRow::Write { id, address, email_type, primary }) => {
                    set("Email Address", address.clone());
                    set("Contact Email Address ID", id.map(|i| i.to_string()).unwrap_or_default());
                    set("Email Type", email_type.clone());
                    set("Is Primary Email Address", flag(*primary));
                }
                Some(EmailRow::Delete { id }) => {
                    set("Email Address", DELETE.to_string());
                    set("Contact Email Address ID", id.to_string());
                }
                None => {}
            }
            match self.phones.get(i) {
                Some(PhoneRow::Write { id, number, extension, phone_type, priority, preferred, sms }) => {
                    set("phoneNumberAsEntered", number.clone());
                    set("Extension", extension.clone());
                    set("Contact Phone Number ID", id.map(|i| i.to_string()).unwrap_or_default());
                    set("Phone Type", phone_type.clone());
                    set("Phone Number Priority Order", priority.to_string());
                    set("Is Preferred", flag(*preferred));
                    set("Is SMS", flag(*sms));
                }
                Some(PhoneRow::Delete { id }) => {
                    set("phoneNumberAsEntered", DELETE.to_string());
                    set("Contact Phone Number ID", id.to_string());
                }
                None => {}
            }
            match self.addresses.get(i) {
                Some(AddressRow::Write { id, parts, priority }) => {
                    set("Street", parts.street.clone());
                    set("Line Two", parts.line_two.clone());
                    set("Unit", parts.unit.clone());
                    set("City", parts.city.clone());
                    set("State", parts.state.clone());
                    set("Postal Code", parts.postal_code.clone());
                    set("Address Type", parts.address_type.clone());
                    set("Address Priority Order", priority.to_string());
                    set("Contact Address ID", id.map(|i| i.to_string()).unwrap_or_default());
                }
                Some(AddressRow::Delete { id }) => {
                    set("Street", DELETE.to_string());
                    set("Contact Address ID", id.to_string());
                }
                None => {}
            }
            rows.push(row);
        }
        rows
    }
}
