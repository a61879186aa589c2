//! What one contact writes, and its rows in the Student Contacts file: the
//! person and link columns on every related row, one email, phone and
//! address per row.

use super::flags::RelationshipFlags;
use super::records::AddressParts;
use crate::domain::{ContactAssocId, Date, PersonId, StudentNumber};
use crate::flatfile::{CONTACT_COLUMNS, DELETE, NEW_DETAIL};

/// Whose rows: an existing person or a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PlanKey {
    /// Contact ID.
    Existing(PersonId),
    /// New Contact Identifier.
    New(String),
}

/// The link columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LinkPlan {
    /// Create or update the link (and its current detail).
    Write {
        /// The existing StudentContactAssocID, if linked.
        student_contact_id: Option<ContactAssocId>,
        /// The detail written: its id, `#new`, or blank for a new link.
        detail: String,
        /// Relationship code.
        relationship: String,
        /// The relationship flags.
        flags: RelationshipFlags,
    },
    /// A new detail ending the relationship.
    Expire { student_contact_id: ContactAssocId, relationship: String, end: Date, flags: RelationshipFlags },
    /// Remove the student from the contact.
    Unlink { student_contact_id: ContactAssocId },
    /// The link exactly as it is (detail, relationship, dates, flags),
    /// written only to carry its new Contact Priority Order.
    Reorder {
        student_contact_id: ContactAssocId,
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

/// One row of the file, filled in column by column.
struct Row(Vec<String>);

impl Row {
    fn new() -> Row {
        Row(vec![String::new(); CONTACT_COLUMNS.len()])
    }

    fn set(&mut self, column: &str, value: String) {
        let j = CONTACT_COLUMNS.iter().position(|c| *c == column);
        // A misspelt column would drop its value without a word: the tests
        // (debug builds) stop on it.
        debug_assert!(j.is_some(), "{column:?} is not a Student Contacts column");
        if let Some(j) = j {
            self.0[j] = value;
        }
    }

    /// The relationship flags, each in its column.
    fn set_flags(&mut self, flags: RelationshipFlags) {
        for (column, value) in flags.columns() {
            self.set(column, flag(value));
        }
    }
}

impl Plan {
    /// The plan's rows in [`CONTACT_COLUMNS`] order; `position` is the
    /// Contact Priority Order.
    pub fn rows(&self, student: &StudentNumber, position: Option<usize>) -> Vec<Vec<String>> {
        let n = 1.max(self.emails.len()).max(self.phones.len()).max(self.addresses.len());
        (0..n)
            .map(|i| {
                let mut row = Row::new();
                self.write_person(&mut row);
                self.link.write(&mut row, student, position);
                if let Some(email) = self.emails.get(i) {
                    email.write(&mut row);
                }
                if let Some(phone) = self.phones.get(i) {
                    phone.write(&mut row);
                }
                if let Some(address) = self.addresses.get(i) {
                    address.write(&mut row);
                }
                row.0
            })
            .collect()
    }

    /// The person columns, on every row.
    fn write_person(&self, row: &mut Row) {
        match &self.key {
            PlanKey::Existing(id) => row.set("Contact ID", id.to_string()),
            PlanKey::New(ident) => row.set("New Contact Identifier", ident.clone()),
        }
        row.set("First Name", self.first_name.clone());
        row.set("Middle Name", self.middle_name.clone());
        row.set("Last Name", self.last_name.clone());
        row.set("Is Active", flag(self.is_active));
    }
}

impl LinkPlan {
    /// The link columns, on every row; `position` is the Contact Priority
    /// Order.
    fn write(&self, row: &mut Row, student: &StudentNumber, position: Option<usize>) {
        let position = position.map(|p| p.to_string()).unwrap_or_default();
        match self {
            LinkPlan::Write { student_contact_id, detail, relationship, flags } => {
                row.set("studentNumber", student.to_string());
                row.set("Contact Priority Order", position);
                row.set("Student Contact ID", student_contact_id.map(|i| i.to_string()).unwrap_or_default());
                row.set("Student Contact Detail ID", detail.clone());
                row.set("Relationship Type", relationship.clone());
                row.set_flags(*flags);
            }
            LinkPlan::Expire { student_contact_id, relationship, end, flags } => {
                row.set("studentNumber", student.to_string());
                row.set("Contact Priority Order", position);
                row.set("Student Contact ID", student_contact_id.to_string());
                row.set("Student Contact Detail ID", NEW_DETAIL.to_string());
                row.set("Relationship Type", relationship.clone());
                row.set("Relationship End Date", end.to_us());
                row.set_flags(*flags);
            }
            LinkPlan::Unlink { student_contact_id } => {
                row.set("studentNumber", DELETE.to_string());
                row.set("Student Contact ID", student_contact_id.to_string());
            }
            LinkPlan::Reorder { student_contact_id, detail, relationship } => {
                row.set("studentNumber", student.to_string());
                row.set("Contact Priority Order", position);
                row.set("Student Contact ID", student_contact_id.to_string());
                row.set("Relationship Type", relationship.clone());
                if let Some(DetailAsIs { id, start, end, flags }) = detail {
                    row.set("Student Contact Detail ID", id.to_string());
                    row.set("Relationship Start Date", start.map(|d| d.to_us()).unwrap_or_default());
                    row.set("Relationship End Date", end.map(|d| d.to_us()).unwrap_or_default());
                    row.set_flags(*flags);
                }
            }
        }
    }
}

impl EmailRow {
    fn write(&self, row: &mut Row) {
        match self {
            EmailRow::Write { id, address, email_type, primary } => {
                row.set("Email Address", address.clone());
                row.set("Contact Email Address ID", id.map(|i| i.to_string()).unwrap_or_default());
                row.set("Email Type", email_type.clone());
                row.set("Is Primary Email Address", flag(*primary));
            }
            EmailRow::Delete { id } => {
                row.set("Email Address", DELETE.to_string());
                row.set("Contact Email Address ID", id.to_string());
            }
        }
    }
}

impl PhoneRow {
    fn write(&self, row: &mut Row) {
        match self {
            PhoneRow::Write { id, number, extension, phone_type, priority, preferred, sms } => {
                row.set("phoneNumberAsEntered", number.clone());
                row.set("Extension", extension.clone());
                row.set("Contact Phone Number ID", id.map(|i| i.to_string()).unwrap_or_default());
                row.set("Phone Type", phone_type.clone());
                row.set("Phone Number Priority Order", priority.to_string());
                row.set("Is Preferred", flag(*preferred));
                row.set("Is SMS", flag(*sms));
            }
            PhoneRow::Delete { id } => {
                row.set("phoneNumberAsEntered", DELETE.to_string());
                row.set("Contact Phone Number ID", id.to_string());
            }
        }
    }
}

impl AddressRow {
    fn write(&self, row: &mut Row) {
        match self {
            AddressRow::Write { id, parts, priority } => {
                row.set("Street", parts.street.clone());
                row.set("Line Two", parts.line_two.clone());
                row.set("Unit", parts.unit.clone());
                row.set("City", parts.city.clone());
                row.set("State", parts.state.clone());
                row.set("Postal Code", parts.postal_code.clone());
                row.set("Address Type", parts.address_type.clone());
                row.set("Address Priority Order", priority.to_string());
                row.set("Contact Address ID", id.map(|i| i.to_string()).unwrap_or_default());
            }
            AddressRow::Delete { id } => {
                row.set("Street", DELETE.to_string());
                row.set("Contact Address ID", id.to_string());
            }
        }
    }
}
