//! The typed tables of a snapshot. Field names follow PowerSchool's columns
//! (documented on each field); ids are PowerSchool's integers, the ones
//! that cross the code in their own types (`crate::domain::PersonId`, ...).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::table::{flag, opt, opt_date, Key, Record, Row, TableSpec};
use crate::domain::{
    ContactAssocId, Date, PersonId, SchoolNumber, SectionId, StudentDcid, StudentId, StudentNumber, TermId,
};

/// A district's PowerSchool data, as exported.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// `Students.txt`.
    pub students: Vec<Student>,
    /// `StudentCoreFields.txt`: legal names and gender.
    pub student_core_fields: Vec<StudentCoreFields>,
    /// Columns of `Students.txt` beyond the ones the model names (as in the
    /// header); their values are in [`Student::other`].
    #[serde(default)]
    pub student_extra_columns: Vec<String>,
    /// `U_*.txt`: one-to-one extension tables of Students.
    pub extensions: Vec<ExtensionTable>,
    /// `Person.txt`: contacts.
    pub persons: Vec<Person>,
    /// `EmailAddress.txt`.
    pub email_addresses: Vec<EmailAddress>,
    /// `PersonEmailAddressAssoc.txt`.
    pub person_emails: Vec<PersonEmailAddress>,
    /// `PhoneNumber.txt`.
    pub phone_numbers: Vec<PhoneNumber>,
    /// `PersonPhoneNumberAssoc.txt`.
    pub person_phones: Vec<PersonPhoneNumber>,
    /// `PersonAddress.txt`.
    pub addresses: Vec<Address>,
    /// `PersonAddressAssoc.txt`.
    pub person_addresses: Vec<PersonAddress>,
    /// `StudentContactAssoc.txt`: which person is a contact of which student.
    pub student_contacts: Vec<StudentContact>,
    /// `StudentContactDetail.txt`: the relationship over time.
    pub student_contact_details: Vec<StudentContactDetail>,
    /// `CodeSet.txt`: phone, email, address, relationship types and states.
    pub code_sets: Vec<CodeSet>,
    /// `PCAS_Account.txt`: parent portal accounts.
    pub portal_accounts: Vec<PortalAccount>,
    /// `PCAS_EmailContact.txt` (optional): further portal account emails.
    pub portal_emails: Vec<PortalEmailContact>,
    /// `Schools.txt`.
    pub schools: Vec<School>,
    /// `Terms.txt`.
    pub terms: Vec<Term>,
    /// `Courses.txt`.
    pub courses: Vec<Course>,
    /// `Sections.txt`.
    pub sections: Vec<Section>,
    /// `CC.txt`: course enrolments.
    pub enrollments: Vec<CourseEnrollment>,
}

/// A row of `Students.txt`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Student {
    /// `ID`: internal id (CC.StudentID).
    pub id: StudentId,
    /// `DCID`: key of the contact and extension tables.
    pub dcid: StudentDcid,
    /// `Student_Number`.
    pub student_number: StudentNumber,
    /// `SchoolID`: the school's School_Number.
    pub school_id: SchoolNumber,
    /// `First_Name`.
    pub first_name: String,
    /// `Middle_Name`.
    pub middle_name: String,
    /// `Last_Name`.
    pub last_name: String,
    /// `DOB`.
    pub dob: Option<Date>,
    /// `Gender`.
    pub gender: String,
    /// `Grade_Level`.
    pub grade_level: i32,
    /// `Enroll_Status`: 0 active, -1 pre-registered, 2 transferred out, 3 graduated.
    pub enroll_status: i32,
    /// `Street`.
    pub street: String,
    /// `City`.
    pub city: String,
    /// `State`.
    pub state: String,
    /// `Zip`.
    pub zip: String,
    /// `Mailing_Street`.
    pub mailing_street: String,
    /// `Mailing_City`.
    pub mailing_city: String,
    /// `Mailing_State`.
    pub mailing_state: String,
    /// `Mailing_Zip`.
    pub mailing_zip: String,
    /// `Home_Phone`.
    pub home_phone: String,
    /// Further columns of the export (kept so mappings may name them).
    /// Always written, also when empty: the slice's binary body has no
    /// field names, so every field is written (see `wire::REVIEW_DATA_BINARY`).
    #[serde(default)]
    pub other: BTreeMap<String, String>,
}

impl Student {
    /// A student known by ids and name only: every other field blank (no
    /// school, grade 0, no date of birth). Set the rest with struct update
    /// syntax: `Student { school_id: SchoolNumber(101), ..Student::named(StudentId(1), StudentDcid(11), n, "Ana", "García") }`.
    pub fn named(
        id: StudentId,
        dcid: StudentDcid,
        student_number: StudentNumber,
        first_name: &str,
        last_name: &str,
    ) -> Student {
        Student {
            id,
            dcid,
            student_number,
            school_id: SchoolNumber(0),
            first_name: first_name.to_string(),
            middle_name: String::new(),
            last_name: last_name.to_string(),
            dob: None,
            gender: String::new(),
            grade_level: 0,
            enroll_status: 0,
            street: String::new(),
            city: String::new(),
            state: String::new(),
            zip: String::new(),
            mailing_street: String::new(),
            mailing_city: String::new(),
            mailing_state: String::new(),
            mailing_zip: String::new(),
            home_phone: String::new(),
            other: BTreeMap::new(),
        }
    }

    /// The value of a Students column by its PowerSchool name
    /// (case-insensitive), as text; `None` if the snapshot lacks the column.
    pub fn field(&self, column: &str) -> Option<String> {
        let c = column.to_ascii_lowercase();
        let v = match c.as_str() {
            "id" => self.id.to_string(),
            "dcid" => self.dcid.to_string(),
            "student_number" => self.student_number.to_string(),
            "schoolid" => self.school_id.to_string(),
            "first_name" => self.first_name.clone(),
            "middle_name" => self.middle_name.clone(),
            "last_name" => self.last_name.clone(),
            "dob" => opt_date(&self.dob),
            "gender" => self.gender.clone(),
            "grade_level" => self.grade_level.to_string(),
            "enroll_status" => self.enroll_status.to_string(),
            "street" => self.street.clone(),
            "city" => self.city.clone(),
            "state" => self.state.clone(),
            "zip" => self.zip.clone(),
            "mailing_street" => self.mailing_street.clone(),
            "mailing_city" => self.mailing_city.clone(),
            "mailing_state" => self.mailing_state.clone(),
            "mailing_zip" => self.mailing_zip.clone(),
            "home_phone" => self.home_phone.clone(),
            _ => return self.other.get(&c).cloned(),
        };
        Some(v)
    }
}

impl Record for Student {
    const SPEC: TableSpec = TableSpec {
        file: "Students.txt",
        columns: &[
            "ID",
            "DCID",
            "Student_Number",
            "SchoolID",
            "First_Name",
            "Middle_Name",
            "Last_Name",
            "DOB",
            "Gender",
            "Grade_Level",
            "Enroll_Status",
            "Street",
            "City",
            "State",
            "Zip",
            "Mailing_Street",
            "Mailing_City",
            "Mailing_State",
            "Mailing_Zip",
            "Home_Phone",
        ],
        optional: false,
    };
    fn read(r: &mut Row<'_>) -> Self {
        Student {
            id: StudentId(r.id("ID")),
            dcid: StudentDcid(r.id("DCID")),
            student_number: r.student_number("Student_Number"),
            school_id: SchoolNumber(r.id("SchoolID")),
            first_name: r.text("First_Name"),
            middle_name: r.text("Middle_Name"),
            last_name: r.text("Last_Name"),
            dob: r.opt_date("DOB"),
            gender: r.text("Gender"),
            grade_level: r.opt_i32("Grade_Level").unwrap_or(0),
            enroll_status: r.opt_i32("Enroll_Status").unwrap_or(0),
            street: r.text("Street"),
            city: r.text("City"),
            state: r.text("State"),
            zip: r.text("Zip"),
            mailing_street: r.text("Mailing_Street"),
            mailing_city: r.text("Mailing_City"),
            mailing_state: r.text("Mailing_State"),
            mailing_zip: r.text("Mailing_Zip"),
            home_phone: r.text("Home_Phone"),
            other: r.others(Self::SPEC.columns),
        }
    }
    fn values(&self) -> Vec<String> {
        Self::SPEC.columns.iter().map(|c| self.field(c).unwrap_or_default()).collect()
    }
    fn key(&self) -> Key {
        Key::Id("ID", self.id.get())
    }
}

/// A row of `StudentCoreFields.txt`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentCoreFields {
    /// `StudentsDCID`.
    pub students_dcid: StudentDcid,
    /// `PSCore_Legal_First_Name`.
    pub legal_first_name: String,
    /// `PSCore_Legal_Middle_Name`.
    pub legal_middle_name: String,
    /// `PSCore_Legal_Last_Name`.
    pub legal_last_name: String,
    /// `PSCore_Legal_Suffix`.
    pub legal_suffix: String,
    /// `PSCore_Legal_Gender`.
    pub legal_gender: String,
}

impl StudentCoreFields {
    /// A column's value by PowerSchool name (case-insensitive).
    pub fn field(&self, column: &str) -> Option<String> {
        let v = match column.to_ascii_lowercase().as_str() {
            "studentsdcid" => self.students_dcid.to_string(),
            "pscore_legal_first_name" => self.legal_first_name.clone(),
            "pscore_legal_middle_name" => self.legal_middle_name.clone(),
            "pscore_legal_last_name" => self.legal_last_name.clone(),
            "pscore_legal_suffix" => self.legal_suffix.clone(),
            "pscore_legal_gender" => self.legal_gender.clone(),
            _ => return None,
        };
        Some(v)
    }
}

impl Record for StudentCoreFields {
    const SPEC: TableSpec = TableSpec {
        file: "StudentCoreFields.txt",
        columns: &[
            "StudentsDCID",
            "PSCore_Legal_First_Name",
            "PSCore_Legal_Middle_Name",
            "PSCore_Legal_Last_Name",
            "PSCore_Legal_Suffix",
            "PSCore_Legal_Gender",
        ],
        optional: false,
    };
    fn read(r: &mut Row<'_>) -> Self {
        StudentCoreFields {
            students_dcid: StudentDcid(r.id("StudentsDCID")),
            legal_first_name: r.text("PSCore_Legal_First_Name"),
            legal_middle_name: r.text("PSCore_Legal_Middle_Name"),
            legal_last_name: r.text("PSCore_Legal_Last_Name"),
            legal_suffix: r.text("PSCore_Legal_Suffix"),
            legal_gender: r.text("PSCore_Legal_Gender"),
        }
    }
    fn values(&self) -> Vec<String> {
        Self::SPEC.columns.iter().map(|c| self.field(c).unwrap_or_default()).collect()
    }
    fn key(&self) -> Key {
        Key::Id("StudentsDCID", self.students_dcid.get())
    }
}

/// A `U_*` one-to-one extension table of Students (e.g.
/// `U_StudentsUserFields`, or `U_DEF_EXT_STUDENTS` for legacy custom fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtensionTable {
    /// Table name, from the file name without `.txt` (e.g. `U_StudentsUserFields`).
    pub name: String,
    /// The extension columns (without `StudentsDCID`), as in the header.
    pub columns: Vec<String>,
    /// Values per student: StudentsDCID -> values aligned with `columns`.
    pub rows: BTreeMap<StudentDcid, Vec<String>>,
}

impl ExtensionTable {
    /// The value of `column` (case-insensitive) for the student with `dcid`:
    /// `None` if the table lacks the column, `Some("")` if the student has no row.
    pub fn field(&self, dcid: StudentDcid, column: &str) -> Option<String> {
        let i = self.columns.iter().position(|c| c.eq_ignore_ascii_case(column))?;
        Some(self.rows.get(&dcid).and_then(|r| r.get(i)).cloned().unwrap_or_default())
    }

    /// Whether the table has `column` (case-insensitive).
    pub fn has_column(&self, column: &str) -> bool {
        self.columns.iter().any(|c| c.eq_ignore_ascii_case(column))
    }
}

/// A row of `Person.txt`: a contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// `ID`: the Contact ID of the contacts import.
    pub id: PersonId,
    /// `FirstName`.
    pub first_name: String,
    /// `MiddleName`.
    pub middle_name: String,
    /// `LastName`.
    pub last_name: String,
    /// `Gender`.
    pub gender: String,
    /// `IsActive`.
    pub is_active: bool,
}

impl Record for Person {
    const SPEC: TableSpec = TableSpec {
        file: "Person.txt",
        columns: &["ID", "FirstName", "MiddleName", "LastName", "Gender", "IsActive"],
        optional: false,
    };
    fn read(r: &mut Row<'_>) -> Self {
        Person {
            id: PersonId(r.id("ID")),
            first_name: r.text("FirstName"),
            middle_name: r.text("MiddleName"),
            last_name: r.text("LastName"),
            gender: r.text("Gender"),
            is_active: r.flag("IsActive"),
        }
    }
    fn values(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.first_name.clone(),
            self.middle_name.clone(),
            self.last_name.clone(),
            self.gender.clone(),
            flag(self.is_active),
        ]
    }
    fn key(&self) -> Key {
        Key::Id("ID", self.id.get())
    }
}

/// A row of `EmailAddress.txt`. The address is kept as PowerSchool has it
/// (PowerSchool does not validate it); the matcher parses it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmailAddress {
    /// `EmailAddressID`.
    pub id: i64,
    /// `EmailAddress`.
    pub address: String,
}

impl Record for EmailAddress {
    const SPEC: TableSpec =
        TableSpec { file: "EmailAddress.txt", columns: &["EmailAddressID", "EmailAddress"], optional: false };
    fn read(r: &mut Row<'_>) -> Self {
        EmailAddress { id: r.id("EmailAddressID"), address: r.text("EmailAddress") }
    }
    fn values(&self) -> Vec<String> {
        vec![self.id.to_string(), self.address.clone()]
    }
    fn key(&self) -> Key {
        Key::Id("EmailAddressID", self.id)
    }
}

/// A row of `PersonEmailAddressAssoc.txt`: an email of a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonEmailAddress {
    /// `PersonEmailAddressAssocID`.
    pub id: i64,
    /// `PersonID`.
    pub person_id: PersonId,
    /// `EmailAddressID`.
    pub email_address_id: i64,
    /// `EmailTypeCodeSetID`.
    pub email_type: Option<i64>,
    /// `IsPrimaryEmailAddress`.
    pub is_primary: bool,
    /// `EmailAddressPriorityOrder`.
    pub priority_order: Option<i32>,
}

impl Record for PersonEmailAddress {
    const SPEC: TableSpec = TableSpec {
        file: "PersonEmailAddressAssoc.txt",
        columns: &[
            "PersonEmailAddressAssocID",
            "PersonID",
            "EmailAddressID",
            "EmailTypeCodeSetID",
            "IsPrimaryEmailAddress",
            "EmailAddressPriorityOrder",
        ],
        optional: false,
    };
    fn read(r: &mut Row<'_>) -> Self {
        PersonEmailAddress {
            id: r.id("PersonEmailAddressAssocID"),
            person_id: PersonId(r.id("PersonID")),
            email_address_id: r.id("EmailAddressID"),
            email_type: r.opt_int("EmailTypeCodeSetID"),
            is_primary: r.flag("IsPrimaryEmailAddress"),
            priority_order: r.opt_i32("EmailAddressPriorityOrder"),
        }
    }
    fn values(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.person_id.to_string(),
            self.email_address_id.to_string(),
            opt(&self.email_type),
            flag(self.is_primary),
            opt(&self.priority_order),
        ]
    }
    fn key(&self) -> Key {
        Key::Id("PersonEmailAddressAssocID", self.id)
    }
}

/// A row of `PhoneNumber.txt`, kept as PowerSchool has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhoneNumber {
    /// `PhoneNumberID`.
    pub id: i64,
    /// `PhoneNumber`: digits as stored.
    pub number: String,
    /// `PhoneNumberExt`.
    pub extension: String,
    /// `PhoneNumberAsEntered`.
    pub as_entered: String,
}

impl Record for PhoneNumber {
    const SPEC: TableSpec = TableSpec {
        file: "PhoneNumber.txt",
        columns: &["PhoneNumberID", "PhoneNumber", "PhoneNumberExt", "PhoneNumberAsEntered"],
        optional: false,
    };
    fn read(r: &mut Row<'_>) -> Self {
        PhoneNumber {
            id: r.id("PhoneNumberID"),
            number: r.text("PhoneNumber"),
            extension: r.text("PhoneNumberExt"),
            as_entered: r.text("PhoneNumberAsEntered"),
        }
    }
    fn values(&self) -> Vec<String> {
        vec![self.id.to_string(), self.number.clone(), self.extension.clone(), self.as_entered.clone()]
    }
    fn key(&self) -> Key {
        Key::Id("PhoneNumberID", self.id)
    }
}

/// A row of `PersonPhoneNumberAssoc.txt`: a phone of a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonPhoneNumber {
    /// `PersonPhoneNumberAssocID`.
    pub id: i64,
    /// `PersonID`.
    pub person_id: PersonId,
    /// `PhoneNumberID`.
    pub phone_number_id: i64,
    /// `PhoneTypeCodeSetID`.
    pub phone_type: Option<i64>,
    /// `PhoneNumberPriorityOrder`.
    pub priority_order: Option<i32>,
    /// `IsPreferred`.
    pub is_preferred: bool,
    /// `IsSMS`.
    pub is_sms: bool,
}

impl Record for PersonPhoneNumber {
    const SPEC: TableSpec = TableSpec {
        file: "PersonPhoneNumberAssoc.txt",
        columns: &[
            "PersonPhoneNumberAssocID",
            "PersonID",
            "PhoneNumberID",
            "PhoneTypeCodeSetID",
            "PhoneNumberPriorityOrder",
            "IsPreferred",
            "IsSMS",
        ],
        optional: false,
    };
    fn read(r: &mut Row<'_>) -> Self {
        PersonPhoneNumber {
            id: r.id("PersonPhoneNumberAssocID"),
            person_id: PersonId(r.id("PersonID")),
            phone_number_id: r.id("PhoneNumberID"),
            phone_type: r.opt_int("PhoneTypeCodeSetID"),
            priority_order: r.opt_i32("PhoneNumberPriorityOrder"),
            is_preferred: r.flag("IsPreferred"),
            is_sms: r.flag("IsSMS"),
        }
    }
    fn values(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.person_id.to_string(),
            self.phone_number_id.to_string(),
            opt(&self.phone_type),
            opt(&self.priority_order),
            flag(self.is_preferred),
            flag(self.is_sms),
        ]
    }
    fn key(&self) -> Key {
        Key::Id("PersonPhoneNumberAssocID", self.id)
    }
}

/// A row of `PersonAddress.txt`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Address {
    /// `PersonAddressID`.
    pub id: i64,
    /// `Street`.
    pub street: String,
    /// `LineTwo`.
    pub line_two: String,
    /// `Unit`.
    pub unit: String,
    /// `City`.
    pub city: String,
    /// `StatesCodeSetID`.
    pub state: Option<i64>,
    /// `PostalCode`.
    pub postal_code: String,
}

impl Record for Address {
    const SPEC: TableSpec = TableSpec {
        file: "PersonAddress.txt",
        columns: &["PersonAddressID", "Street", "LineTwo", "Unit", "City", "StatesCodeSetID", "PostalCode"],
        optional: false,
    };
    fn read(r: &mut Row<'_>) -> Self {
        Address {
            id: r.id("PersonAddressID"),
            street: r.text("Street"),
            line_two: r.text("LineTwo"),
            unit: r.text("Unit"),
            city: r.text("City"),
            state: r.opt_int("StatesCodeSetID"),
            postal_code: r.text("PostalCode"),
        }
    }
    fn values(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.street.clone(),
            self.line_two.clone(),
            self.unit.clone(),
            self.city.clone(),
            opt(&self.state),
            self.postal_code.clone(),
        ]
    }
    fn key(&self) -> Key {
        Key::Id("PersonAddressID", self.id)
    }
}

/// A row of `PersonAddressAssoc.txt`: an address of a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonAddress {
    /// `PersonAddressAssocID`.
    pub id: i64,
    /// `PersonID`.
    pub person_id: PersonId,
    /// `PersonAddressID`.
    pub address_id: i64,
    /// `AddressTypeCodeSetID`.
    pub address_type: Option<i64>,
    /// `AddressPriorityOrder`.
    pub priority_order: Option<i32>,
    /// `StartDate`.
    pub start_date: Option<Date>,
    /// `EndDate`.
    pub end_date: Option<Date>,
}

impl Record for PersonAddress {
    const SPEC: TableSpec = TableSpec {
        file: "PersonAddressAssoc.txt",
        columns: &[
            "PersonAddressAssocID",
            "PersonID",
            "PersonAddressID",
            "AddressTypeCodeSetID",
            "AddressPriorityOrder",
            "StartDate",
            "EndDate",
        ],
        optional: false,
    };
    fn read(r: &mut Row<'_>) -> Self {
        PersonAddress {
            id: r.id("PersonAddressAssocID"),
            person_id: PersonId(r.id("PersonID")),
            address_id: r.id("PersonAddressID"),
            address_type: r.opt_int("AddressTypeCodeSetID"),
            priority_order: r.opt_i32("AddressPriorityOrder"),
            start_date: r.opt_date("StartDate"),
            end_date: r.opt_date("EndDate"),
        }
    }
    fn values(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.person_id.to_string(),
            self.address_id.to_string(),
            opt(&self.address_type),
            opt(&self.priority_order),
            opt_date(&self.start_date),
            opt_date(&self.end_date),
        ]
    }
    fn key(&self) -> Key {
        Key::Id("PersonAddressAssocID", self.id)
    }
}

/// A row of `StudentContactAssoc.txt`: a person is a contact of a student.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentContact {
    /// `StudentContactAssocID`.
    pub id: ContactAssocId,
    /// `StudentDCID`.
    pub student_dcid: StudentDcid,
    /// `PersonID`.
    pub person_id: PersonId,
    /// `ContactPriorityOrder`: 1, 2, 3 ...
    pub priority_order: Option<i32>,
    /// `CurrRelTypeCodeSetID`: the current relationship type.
    pub relationship_type: Option<i64>,
}

impl Record for StudentContact {
    const SPEC: TableSpec = TableSpec {
        file: "StudentContactAssoc.txt",
        columns: &["StudentContactAssocID", "StudentDCID", "PersonID", "ContactPriorityOrder", "CurrRelTypeCodeSetID"],
        optional: false,
    };
    fn read(r: &mut Row<'_>) -> Self {
        StudentContact {
            id: ContactAssocId(r.id("StudentContactAssocID")),
            student_dcid: StudentDcid(r.id("StudentDCID")),
            person_id: PersonId(r.id("PersonID")),
            priority_order: r.opt_i32("ContactPriorityOrder"),
            relationship_type: r.opt_int("CurrRelTypeCodeSetID"),
        }
    }
    fn values(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.student_dcid.to_string(),
            self.person_id.to_string(),
            opt(&self.priority_order),
            opt(&self.relationship_type),
        ]
    }
    fn key(&self) -> Key {
        Key::Id("StudentContactAssocID", self.id.get())
    }
}

/// A row of `StudentContactDetail.txt`: the relationship over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentContactDetail {
    /// `StudentContactDetailID`.
    pub id: i64,
    /// `StudentContactAssocID`.
    pub student_contact_id: ContactAssocId,
    /// `RelationshipTypeCodeSetID`.
    pub relationship_type: Option<i64>,
    /// `IsActive`.
    pub is_active: bool,
    /// `StartDate`.
    pub start_date: Option<Date>,
    /// `EndDate`: set means the link is expired (from that day).
    pub end_date: Option<Date>,
    /// `IsCustodial`.
    pub is_custodial: bool,
    /// `LivesWithFlg`.
    pub lives_with: bool,
    /// `SchoolPickUpFlg`.
    pub school_pickup: bool,
    /// `IsEmergency`.
    pub is_emergency: bool,
    /// `ReceivesMailFlg`.
    pub receives_mail: bool,
}

impl Record for StudentContactDetail {
    const SPEC: TableSpec = TableSpec {
        file: "StudentContactDetail.txt",
        columns: &[
            "StudentContactDetailID",
            "StudentContactAssocID",
            "RelationshipTypeCodeSetID",
            "IsActive",
            "StartDate",
            "EndDate",
            "IsCustodial",
            "LivesWithFlg",
            "SchoolPickUpFlg",
            "IsEmergency",
            "ReceivesMailFlg",
        ],
        optional: false,
    };
    fn read(r: &mut Row<'_>) -> Self {
        StudentContactDetail {
            id: r.id("StudentContactDetailID"),
            student_contact_id: ContactAssocId(r.id("StudentContactAssocID")),
            relationship_type: r.opt_int("RelationshipTypeCodeSetID"),
            is_active: r.flag("IsActive"),
            start_date: r.opt_date("StartDate"),
            end_date: r.opt_date("EndDate"),
            is_custodial: r.flag("IsCustodial"),
            lives_with: r.flag("LivesWithFlg"),
            school_pickup: r.flag("SchoolPickUpFlg"),
            is_emergency: r.flag("IsEmergency"),
            receives_mail: r.flag("ReceivesMailFlg"),
        }
    }
    fn values(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.student_contact_id.to_string(),
            opt(&self.relationship_type),
            flag(self.is_active),
            opt_date(&self.start_date),
            opt_date(&self.end_date),
            flag(self.is_custodial),
            flag(self.lives_with),
            flag(self.school_pickup),
            flag(self.is_emergency),
            flag(self.receives_mail),
        ]
    }
    fn key(&self) -> Key {
        Key::Id("StudentContactDetailID", self.id)
    }
}

/// A row of `CodeSet.txt`: one allowed value of a code type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeSet {
    /// `CodeSetID`.
    pub id: i64,
    /// `CodeType`: e.g. `Phone`, `Email`, `Address`, `Relationship`, `State`,
    /// `OriginalContactType`.
    pub code_type: String,
    /// `Code`: the value import files use.
    pub code: String,
    /// `DisplayValue`: what people see.
    pub display_value: String,
}

impl Record for CodeSet {
    const SPEC: TableSpec =
        TableSpec { file: "CodeSet.txt", columns: &["CodeSetID", "Code", "DisplayValue", "CodeType"], optional: false };
    fn read(r: &mut Row<'_>) -> Self {
        CodeSet {
            id: r.id("CodeSetID"),
            code: r.text("Code"),
            display_value: r.text("DisplayValue"),
            code_type: r.text("CodeType"),
        }
    }
    fn values(&self) -> Vec<String> {
        vec![self.id.to_string(), self.code.clone(), self.display_value.clone(), self.code_type.clone()]
    }
    fn key(&self) -> Key {
        Key::Id("CodeSetID", self.id)
    }
}

/// A row of `PCAS_Account.txt`: a parent portal (web access) account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalAccount {
    /// `PCAS_AccountID`.
    pub id: i64,
    /// `Username`.
    pub username: String,
    /// `EmailAddress`.
    pub email: String,
    /// `PersonID`: the contact who owns the account, if linked.
    pub person_id: Option<PersonId>,
}

impl Record for PortalAccount {
    const SPEC: TableSpec = TableSpec {
        file: "PCAS_Account.txt",
        columns: &["PCAS_AccountID", "Username", "EmailAddress", "PersonID"],
        optional: false,
    };
    fn read(r: &mut Row<'_>) -> Self {
        PortalAccount {
            id: r.id("PCAS_AccountID"),
            username: r.text("Username"),
            email: r.text("EmailAddress"),
            person_id: r.opt_int("PersonID").map(PersonId),
        }
    }
    fn values(&self) -> Vec<String> {
        vec![self.id.to_string(), self.username.clone(), self.email.clone(), opt(&self.person_id)]
    }
    fn key(&self) -> Key {
        Key::Id("PCAS_AccountID", self.id)
    }
}

/// A row of `PCAS_EmailContact.txt`: a further email of a portal account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalEmailContact {
    /// `PCAS_EmailContactID`.
    pub id: i64,
    /// `PCAS_AccountID`.
    pub account_id: i64,
    /// `EmailAddress`.
    pub email: String,
}

impl Record for PortalEmailContact {
    const SPEC: TableSpec = TableSpec {
        file: "PCAS_EmailContact.txt",
        columns: &["PCAS_EmailContactID", "PCAS_AccountID", "EmailAddress"],
        optional: true,
    };
    fn read(r: &mut Row<'_>) -> Self {
        PortalEmailContact {
            id: r.id("PCAS_EmailContactID"),
            account_id: r.id("PCAS_AccountID"),
            email: r.text("EmailAddress"),
        }
    }
    fn values(&self) -> Vec<String> {
        vec![self.id.to_string(), self.account_id.to_string(), self.email.clone()]
    }
    fn key(&self) -> Key {
        Key::Id("PCAS_EmailContactID", self.id)
    }
}

/// A row of `Schools.txt`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct School {
    /// `School_Number`: what SchoolID columns hold.
    pub school_number: SchoolNumber,
    /// `Name`.
    pub name: String,
}

impl Record for School {
    const SPEC: TableSpec = TableSpec { file: "Schools.txt", columns: &["School_Number", "Name"], optional: false };
    fn read(r: &mut Row<'_>) -> Self {
        School { school_number: SchoolNumber(r.id("School_Number")), name: r.text("Name") }
    }
    fn values(&self) -> Vec<String> {
        vec![self.school_number.to_string(), self.name.clone()]
    }
    fn key(&self) -> Key {
        Key::Id("School_Number", self.school_number.get())
    }
}

/// A row of `Terms.txt`. A term's ID repeats across schools; the key is
/// (ID, SchoolID).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    /// `ID`: e.g. 3600 for the 2026-27 year, 3601 for its first semester.
    pub id: TermId,
    /// `SchoolID`.
    pub school_id: SchoolNumber,
    /// `Name`.
    pub name: String,
    /// `Abbreviation`.
    pub abbreviation: String,
    /// `FirstDay`.
    pub first_day: Date,
    /// `LastDay`.
    pub last_day: Date,
    /// `YearID`.
    pub year_id: i64,
    /// `IsYearRec`: the full-year term.
    pub is_year: bool,
}

impl Record for Term {
    const SPEC: TableSpec = TableSpec {
        file: "Terms.txt",
        columns: &["ID", "SchoolID", "Name", "Abbreviation", "FirstDay", "LastDay", "YearID", "IsYearRec"],
        optional: false,
    };
    fn read(r: &mut Row<'_>) -> Self {
        Term {
            id: TermId(r.id("ID")),
            school_id: SchoolNumber(r.id("SchoolID")),
            name: r.text("Name"),
            abbreviation: r.text("Abbreviation"),
            first_day: r.date("FirstDay"),
            last_day: r.date("LastDay"),
            year_id: r.id("YearID"),
            is_year: r.flag("IsYearRec"),
        }
    }
    fn values(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.school_id.to_string(),
            self.name.clone(),
            self.abbreviation.clone(),
            self.first_day.to_us(),
            self.last_day.to_us(),
            self.year_id.to_string(),
            flag(self.is_year),
        ]
    }
    fn key(&self) -> Key {
        Key::Pair("ID", self.id.get(), "SchoolID", self.school_id.get())
    }
}

/// A row of `Courses.txt`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Course {
    /// `Course_Number`.
    pub course_number: String,
    /// `Course_Name`.
    pub name: String,
    /// `Credit_Hours`.
    pub credit_hours: f64,
}

impl Record for Course {
    const SPEC: TableSpec =
        TableSpec { file: "Courses.txt", columns: &["Course_Number", "Course_Name", "Credit_Hours"], optional: false };
    fn read(r: &mut Row<'_>) -> Self {
        let course_number = r.text("Course_Number");
        if course_number.is_empty() {
            r.id("Course_Number"); // records "a value is required"
        }
        Course { course_number, name: r.text("Course_Name"), credit_hours: r.number("Credit_Hours") }
    }
    fn values(&self) -> Vec<String> {
        vec![self.course_number.clone(), self.name.clone(), self.credit_hours.to_string()]
    }
    fn key(&self) -> Key {
        Key::Text("Course_Number", self.course_number.clone())
    }
}

/// A row of `Sections.txt`: a class of a course in a term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// `ID`.
    pub id: SectionId,
    /// `DCID`.
    pub dcid: i64,
    /// `Course_Number`.
    pub course_number: String,
    /// `Section_Number`.
    pub section_number: String,
    /// `SchoolID`.
    pub school_id: SchoolNumber,
    /// `TermID`.
    pub term_id: TermId,
    /// `Teacher`: the lead teacher's name as exported.
    pub teacher: String,
    /// `Expression`: period and days, e.g. `3(A)`.
    pub expression: String,
    /// `Room`.
    pub room: String,
    /// `MaxEnrollment`.
    pub max_enrollment: i32,
    /// `No_of_Students`.
    pub enrolled: i32,
}

impl Record for Section {
    const SPEC: TableSpec = TableSpec {
        file: "Sections.txt",
        columns: &[
            "ID",
            "DCID",
            "Course_Number",
            "Section_Number",
            "SchoolID",
            "TermID",
            "Teacher",
            "Expression",
            "Room",
            "MaxEnrollment",
            "No_of_Students",
        ],
        optional: false,
    };
    fn read(r: &mut Row<'_>) -> Self {
        Section {
            id: SectionId(r.id("ID")),
            dcid: r.id("DCID"),
            course_number: r.text("Course_Number"),
            section_number: r.text("Section_Number"),
            school_id: SchoolNumber(r.id("SchoolID")),
            term_id: TermId(r.id("TermID")),
            teacher: r.text("Teacher"),
            expression: r.text("Expression"),
            room: r.text("Room"),
            max_enrollment: r.opt_i32("MaxEnrollment").unwrap_or(0),
            enrolled: r.opt_i32("No_of_Students").unwrap_or(0),
        }
    }
    fn values(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.dcid.to_string(),
            self.course_number.clone(),
            self.section_number.clone(),
            self.school_id.to_string(),
            self.term_id.to_string(),
            self.teacher.clone(),
            self.expression.clone(),
            self.room.clone(),
            self.max_enrollment.to_string(),
            self.enrolled.to_string(),
        ]
    }
    fn key(&self) -> Key {
        Key::Id("ID", self.id.get())
    }
}

/// A row of `CC.txt`: a student's enrolment in a section. PowerSchool marks a
/// dropped enrolment with negative SectionID and TermID.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseEnrollment {
    /// `ID`.
    pub id: i64,
    /// `StudentID`: Students.ID.
    pub student_id: StudentId,
    /// `SectionID`.
    pub section_id: SectionId,
    /// `SchoolID`.
    pub school_id: SchoolNumber,
    /// `TermID`.
    pub term_id: TermId,
    /// `Course_Number`.
    pub course_number: String,
    /// `Section_Number`.
    pub section_number: String,
    /// `DateEnrolled`.
    pub date_enrolled: Date,
    /// `DateLeft`.
    pub date_left: Date,
}

impl Record for CourseEnrollment {
    const SPEC: TableSpec = TableSpec {
        file: "CC.txt",
        columns: &[
            "ID",
            "StudentID",
            "SectionID",
            "SchoolID",
            "TermID",
            "Course_Number",
            "Section_Number",
            "DateEnrolled",
            "DateLeft",
        ],
        optional: false,
    };
    fn read(r: &mut Row<'_>) -> Self {
        CourseEnrollment {
            id: r.id("ID"),
            student_id: StudentId(r.id("StudentID")),
            section_id: SectionId(r.id("SectionID")),
            school_id: SchoolNumber(r.id("SchoolID")),
            term_id: TermId(r.id("TermID")),
            course_number: r.text("Course_Number"),
            section_number: r.text("Section_Number"),
            date_enrolled: r.date("DateEnrolled"),
            date_left: r.date("DateLeft"),
        }
    }
    fn values(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.student_id.to_string(),
            self.section_id.to_string(),
            self.school_id.to_string(),
            self.term_id.to_string(),
            self.course_number.clone(),
            self.section_number.clone(),
            self.date_enrolled.to_us(),
            self.date_left.to_us(),
        ]
    }
    fn key(&self) -> Key {
        Key::Id("ID", self.id)
    }
}
