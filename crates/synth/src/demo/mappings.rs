//! The demo district's field mappings: the enrollment form's fields and
//! the PowerSchool fields they are written to.

use writeback_core::application::{
    ContactFieldMapping, FieldMappings, FieldTarget, ProtectedField, StudentFieldMapping,
};

/// Student form fields: (form field, label staff see, PowerSchool field).
const STUDENT_FIELDS: [(&str, &str, &str); 22] = [
    ("legal_first_name", "Legal first name", "[StudentCoreFields]PSCore_Legal_First_Name"),
    ("legal_middle_name", "Legal middle name", "[StudentCoreFields]PSCore_Legal_Middle_Name"),
    ("legal_last_name", "Legal last name", "[StudentCoreFields]PSCore_Legal_Last_Name"),
    ("legal_suffix", "Legal suffix", "[StudentCoreFields]PSCore_Legal_Suffix"),
    ("preferred_first_name", "Preferred first name", "First_Name"),
    ("preferred_middle_name", "Preferred middle name", "Middle_Name"),
    ("preferred_last_name", "Preferred last name", "Last_Name"),
    ("dob", "Date of birth", "DOB"),
    ("gender", "Gender", "Gender"),
    ("street", "Home street address", "Street"),
    ("city", "Home city", "City"),
    ("state", "Home state", "State"),
    ("zip", "Home ZIP code", "Zip"),
    ("mailing_street", "Mailing street address", "Mailing_Street"),
    ("mailing_city", "Mailing city", "Mailing_City"),
    ("mailing_state", "Mailing state", "Mailing_State"),
    ("mailing_zip", "Mailing ZIP code", "Mailing_Zip"),
    ("home_phone", "Home phone", "Home_Phone"),
    ("bus_route", "Bus route", "[U_StudentsUserFields]bus_route"),
    ("allergies", "Allergies", "[U_StudentsUserFields]allergies"),
    ("home_language", "Language spoken at home", "[U_DEF_EXT_STUDENTS]home_language"),
    ("previous_school", "Previous school", "[U_DEF_EXT_STUDENTS]previous_school"),
];

/// Fields the district protects, and why.
const PROTECTED: [(&str, &str); 2] = [
    ("DOB", "Date of birth is changed only by the registrar, with a birth certificate."),
    (
        "[U_StudentsUserFields]allergies",
        "Allergies are updated only by the school nurse, from the student's health record.",
    ),
];

/// Contact form fields and the Student Contacts import columns they feed.
const CONTACT_FIELDS: [(&str, &str); 19] = [
    ("first_name", "First Name"),
    ("middle_name", "Middle Name"),
    ("last_name", "Last Name"),
    ("relationship", "Relationship Type"),
    ("email", "Email Address:Current"),
    ("mobile_phone", "phoneNumberAsEntered:Mobile"),
    ("home_phone", "phoneNumberAsEntered:Home"),
    ("work_phone", "phoneNumberAsEntered:Work"),
    ("street", "Street"),
    ("line_two", "Line Two"),
    ("city", "City"),
    ("state", "State"),
    ("zip", "Postal Code"),
    ("lives_with", "Contact Lives With"),
    ("has_custody", "Contact Has Custody"),
    ("school_pickup", "Contact Allow School Pickup"),
    ("emergency", "Is Emergency Contact"),
    ("receives_mail", "Contact Receives Mailings"),
    ("data_access", "Data Access"),
];

/// The demo district's mappings.
pub(crate) fn build() -> FieldMappings {
    let target = |t: &str| FieldTarget::parse(t).expect("valid PowerSchool field");
    FieldMappings {
        student_fields: STUDENT_FIELDS
            .iter()
            .map(|(form_field, label, t)| StudentFieldMapping {
                form_field: form_field.to_string(),
                label: label.to_string(),
                target: target(t),
            })
            .collect(),
        protected_fields: PROTECTED
            .iter()
            .map(|(t, reason)| ProtectedField { target: target(t), reason: reason.to_string() })
            .collect(),
        contact_fields: CONTACT_FIELDS
            .iter()
            .map(|(form_field, t)| ContactFieldMapping { form_field: form_field.to_string(), target: t.to_string() })
            .collect(),
        contact_order: Vec::new(),
    }
}
