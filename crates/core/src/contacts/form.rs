//! A contact block of the application, read through the district's contact
//! field mappings into the values matching uses.

use serde::{Deserialize, Serialize};

use crate::application::{ContactBlock, FieldMappings};

/// A phone number on the form with its type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormPhone {
    /// As typed.
    pub number: String,
    /// The phone type from the mapping (`Mobile` of `phoneNumberAsEntered:Mobile`);
    /// empty if the mapping names none.
    pub phone_type: String,
}

/// An email address on the form with its type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormEmail {
    /// As typed.
    pub address: String,
    /// The email type from the mapping (`Current`); may be empty.
    pub email_type: String,
}

/// A street address on the form.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FormAddress {
    /// `Street`, as typed.
    pub street: String,
    /// `City`.
    pub city: String,
    /// `Postal Code`.
    pub postal_code: String,
    /// The address type from the mapping (`Home`); may be empty.
    pub address_type: String,
}

/// The matching-relevant values of one contact block.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FormContact {
    /// The block's id on the form (`contact1`).
    pub block: String,
    /// `First Name`.
    pub first_name: String,
    /// `Middle Name`.
    pub middle_name: String,
    /// `Last Name`.
    pub last_name: String,
    /// Email addresses (non-empty values only).
    pub emails: Vec<FormEmail>,
    /// Phone numbers (non-empty values only).
    pub phones: Vec<FormPhone>,
    /// `Relationship Type`, as on the form.
    pub relationship: String,
    /// Street addresses (one per address type the mappings name).
    #[serde(default)]
    pub addresses: Vec<FormAddress>,
}

/// Why a block is not matched against PowerSchool.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotMatchable {
    /// No contact field is mapped to the `Last Name` column.
    #[error("not matched: the contact's last name is not mapped to PowerSchool")]
    LastNameNotMapped,
}

impl FormContact {
    /// Reads a block through the mappings' `contact_fields`. A block is
    /// matched only if a form field is mapped to `Last Name`.
    pub fn from_block(block: &ContactBlock, mappings: &FieldMappings) -> Result<FormContact, NotMatchable> {
        let last_mapped = mappings.contact_fields.iter().any(|m| column(&m.target).0.eq_ignore_ascii_case("Last Name"));
        if !last_mapped {
            return Err(NotMatchable::LastNameNotMapped);
        }
        let mut c = FormContact { block: block.block.clone(), ..FormContact::default() };
        for m in &mappings.contact_fields {
            let Some(value) = block.fields.get(&m.form_field) else { continue };
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let (col, kind) = column(&m.target);
            let col = col.to_ascii_lowercase();
            match col.as_str() {
                "first name" => c.first_name = value.to_string(),
                "middle name" => c.middle_name = value.to_string(),
                "last name" => c.last_name = value.to_string(),
                "relationship type" => c.relationship = value.to_string(),
                "email address" => {
                    c.emails.push(FormEmail { address: value.to_string(), email_type: kind.to_string() })
                }
                "phonenumberasentered" | "phone number" => {
                    c.phones.push(FormPhone { number: value.to_string(), phone_type: kind.to_string() })
                }
                "street" | "city" | "postal code" => {
                    let a = match c.addresses.iter().position(|a| a.address_type.eq_ignore_ascii_case(kind)) {
                        Some(i) => &mut c.addresses[i],
                        None => {
                            c.addresses.push(FormAddress { address_type: kind.to_string(), ..FormAddress::default() });
                            c.addresses.last_mut().expect("just pushed")
                        }
                    };
                    let part = match col.as_str() {
                        "street" => &mut a.street,
                        "city" => &mut a.city,
                        _ => &mut a.postal_code,
                    };
                    *part = value.to_string();
                }
                _ => {}
            }
        }
        Ok(c)
    }

    /// The name as written on the form.
    pub fn display_name(&self) -> String {
        join_name(&self.first_name, &self.middle_name, &self.last_name)
    }
}

/// `First Middle Last` without doubled spaces.
pub(crate) fn join_name(first: &str, middle: &str, last: &str) -> String {
    [first, middle, last].iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Splits a mapping target `Column:Type` into its column and type.
fn column(target: &str) -> (&str, &str) {
    match target.split_once(':') {
        Some((c, t)) => (c.trim(), t.trim()),
        None => (target.trim(), ""),
    }
}
