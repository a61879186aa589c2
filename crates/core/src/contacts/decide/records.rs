//! The values the contacts file writes: a form block read through the
//! contact mappings, and an existing person's emails, phones, addresses and
//! link to the student as the snapshot has them.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::codes::Codes;
use super::flags::RelationshipFlags;
use crate::application::{ContactBlock, FieldMappings};
use crate::domain::{ContactAssocId, Date, Email, PersonId, Phone, StudentDcid};
use crate::snapshot::{Snapshot, StudentContactDetail};

/// An email on the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FormEmail {
    pub address: String,
    pub email_type: String,
}

/// A phone on the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FormPhone {
    pub number: String,
    pub phone_type: String,
}

/// An address's parts, on the form or in PowerSchool.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AddressParts {
    pub street: String,
    pub line_two: String,
    pub unit: String,
    pub city: String,
    /// As on the form, or the State code.
    pub state: String,
    pub postal_code: String,
    /// Address type code or form type.
    pub address_type: String,
}

impl AddressParts {
    pub fn is_empty(&self) -> bool {
        [&self.street, &self.line_two, &self.unit, &self.city, &self.state, &self.postal_code]
            .iter()
            .all(|s| s.trim().is_empty())
    }

    /// `12 Elm St, Apt 2, Springfield MN 55401`.
    pub fn text(&self) -> String {
        let street = [&self.street, &self.line_two, &self.unit]
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let place = [&self.city, &self.state, &self.postal_code]
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        [street, place].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ")
    }

    /// Equality key: parts folded to lower case with spaces collapsed.
    pub fn key(&self) -> String {
        let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        format!(
            "{}|{}|{}|{}|{}",
            fold(&self.street),
            fold(&self.line_two),
            fold(&self.unit),
            fold(&self.city),
            fold(&self.postal_code)
        )
    }
}

/// A block's values as the contacts file uses them.
#[derive(Debug, Clone, Default)]
pub(crate) struct FormValues {
    pub first_name: String,
    pub middle_name: String,
    pub last_name: String,
    pub relationship: String,
    pub emails: Vec<FormEmail>,
    pub phones: Vec<FormPhone>,
    pub addresses: Vec<AddressParts>,
    /// The [`RelationshipFlags`] the form maps, by column: `Ok(value)` or the
    /// text that is not yes/no.
    pub flags: BTreeMap<&'static str, Result<bool, String>>,
    /// `Data Access`, when mapped.
    pub data_access: Option<Result<bool, String>>,
}

impl FormValues {
    /// Reads a block through the contact mappings. Repeated emails (any
    /// case) and phones (same number) are kept once.
    pub fn read(block: &ContactBlock, mappings: &FieldMappings) -> FormValues {
        let mut v = FormValues::default();
        let mut addresses: Vec<AddressParts> = Vec::new();
        for m in &mappings.contact_fields {
            let Some(value) = block.fields.get(&m.form_field) else { continue };
            let value = value.trim().to_string();
            let (col, kind) = match m.target.split_once(':') {
                Some((c, t)) => (c.trim().to_ascii_lowercase(), t.trim().to_string()),
                None => (m.target.trim().to_ascii_lowercase(), String::new()),
            };
            if let Some(flag) = RelationshipFlags::COLUMNS.iter().find(|f| f.eq_ignore_ascii_case(&col)) {
                v.flags.insert(flag, yes_no(&value));
                continue;
            }
            if col == "data access" {
                v.data_access = Some(yes_no(&value));
                continue;
            }
            if value.is_empty() {
                continue;
            }
            let address_part = |addresses: &mut Vec<AddressParts>| -> usize {
                let t = if kind.is_empty() { "Home".to_string() } else { kind.clone() };
                match addresses.iter().position(|a| a.address_type.eq_ignore_ascii_case(&t)) {
                    Some(i) => i,
                    None => {
                        addresses.push(AddressParts { address_type: t, ..AddressParts::default() });
                        addresses.len() - 1
                    }
                }
            };
            match col.as_str() {
                "first name" => v.first_name = value,
                "middle name" => v.middle_name = value,
                "last name" => v.last_name = value,
                "relationship type" => v.relationship = value,
                "email address" => {
                    let folded = value.to_lowercase();
                    if !v.emails.iter().any(|e| e.address.to_lowercase() == folded) {
                        v.emails.push(FormEmail { address: value, email_type: kind });
                    }
                }
                "phonenumberasentered" | "phone number" => {
                    let key = phone_key(&value);
                    if !v.phones.iter().any(|p| phone_key(&p.number) == key) {
                        v.phones.push(FormPhone { number: value, phone_type: kind });
                    }
                }
                "street" | "line two" | "unit" | "city" | "state" | "postal code" => {
                    let i = address_part(&mut addresses);
                    let a = &mut addresses[i];
                    match col.as_str() {
                        "street" => a.street = value,
                        "line two" => a.line_two = value,
                        "unit" => a.unit = value,
                        "city" => a.city = value,
                        "state" => a.state = value,
                        _ => a.postal_code = value,
                    }
                }
                _ => {}
            }
        }
        v.addresses = addresses.into_iter().filter(|a| !a.is_empty()).collect();
        v
    }

    /// Whether the block holds nothing to write (no name at all).
    pub fn is_blank(&self) -> bool {
        self.first_name.is_empty() && self.last_name.is_empty()
    }
}

/// `1`/`yes`/`true`/`y`/`x` and `0`/`no`/`false`/`n`/blank.
fn yes_no(value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "yes" | "y" | "true" | "x" | "on" => Ok(true),
        "" | "0" | "no" | "n" | "false" | "off" => Ok(false),
        _ => Err(value.to_string()),
    }
}

/// Comparison key of a phone: its parsed number, else its digits.
pub(crate) fn phone_key(raw: &str) -> String {
    match Phone::parse(raw) {
        Ok(p) => format!("{}x{}", p.number(), p.extension().unwrap_or("")),
        Err(_) => raw.chars().filter(char::is_ascii_digit).collect(),
    }
}

/// Comparison key of an email: the whole address lower-cased.
pub(crate) fn email_key(raw: &str) -> String {
    match Email::parse(raw) {
        Ok(e) => e.folded(),
        Err(_) => raw.trim().to_lowercase(),
    }
}

/// An existing email of a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExistingEmail {
    /// EmailAddressID (the import's Contact Email Address ID).
    pub id: i64,
    pub address: String,
    pub email_type: String,
    pub primary: bool,
}

/// An existing phone of a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExistingPhone {
    /// PhoneNumberID (the import's Contact Phone Number ID).
    pub id: i64,
    pub number: String,
    pub phone_type: String,
    pub priority: Option<i32>,
    pub preferred: bool,
    pub sms: bool,
}

/// An existing address of a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExistingAddress {
    /// PersonAddressID (the import's Contact Address ID).
    pub id: i64,
    pub parts: AddressParts,
    pub priority: Option<i32>,
}

/// The student's link to a person.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Link {
    /// StudentContactAssocID.
    pub id: ContactAssocId,
    pub priority: Option<i32>,
    /// The current detail (active on today, else the latest).
    pub detail: Option<StudentContactDetail>,
    /// The relationship code (detail's, else the link's).
    pub relationship: String,
    /// Whether the link is active on today.
    pub active: bool,
}

/// An existing person as the contacts file needs it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PersonRecords {
    pub id: PersonId,
    pub first_name: String,
    pub middle_name: String,
    pub last_name: String,
    pub is_active: bool,
    pub emails: Vec<ExistingEmail>,
    pub phones: Vec<ExistingPhone>,
    /// Current addresses (no end date, or ending after today).
    pub addresses: Vec<ExistingAddress>,
    /// The link to this application's student, if any.
    pub link: Option<Link>,
}

impl PersonRecords {
    pub fn name(&self) -> String {
        crate::contacts::form::join_name(&self.first_name, &self.middle_name, &self.last_name)
    }
}

/// Gathers the records of `persons` in one pass over each table.
pub(crate) fn gather(
    snapshot: &Snapshot,
    codes: &Codes,
    persons: &[PersonId],
    student_dcid: Option<StudentDcid>,
    today: Date,
) -> BTreeMap<PersonId, PersonRecords> {
    let mut out: BTreeMap<PersonId, PersonRecords> = BTreeMap::new();
    for p in snapshot.persons.iter().filter(|p| persons.contains(&p.id)) {
        out.entry(p.id).or_insert_with(|| PersonRecords {
            id: p.id,
            first_name: p.first_name.clone(),
            middle_name: p.middle_name.clone(),
            last_name: p.last_name.clone(),
            is_active: p.is_active,
            emails: Vec::new(),
            phones: Vec::new(),
            addresses: Vec::new(),
            link: None,
        });
    }
    let code = |id: Option<i64>| codes.by_id(id).unwrap_or_default().to_string();
    // One pass over each record table for the few persons wanted (no search
    // inside a loop: districts have hundreds of thousands of records).
    let email_links: Vec<_> = snapshot.person_emails.iter().filter(|a| out.contains_key(&a.person_id)).collect();
    let wanted: HashSet<i64> = email_links.iter().map(|a| a.email_address_id).collect();
    let email_rows: HashMap<i64, _> =
        snapshot.email_addresses.iter().filter(|e| wanted.contains(&e.id)).map(|e| (e.id, e)).collect();
    let mut emails: Vec<(PersonId, Option<i32>, bool, ExistingEmail)> = Vec::new();
    for a in email_links {
        let Some(e) = email_rows.get(&a.email_address_id) else { continue };
        let email = ExistingEmail {
            id: e.id,
            address: e.address.clone(),
            email_type: code(a.email_type),
            primary: a.is_primary,
        };
        emails.push((a.person_id, a.priority_order, !a.is_primary, email));
    }
    crate::sort::by_key(&mut emails, |(p, order, not_primary, e)| (*p, *not_primary, order.unwrap_or(i32::MAX), e.id));
    for (p, _, _, e) in emails {
        if let Some(r) = out.get_mut(&p) {
            if !r.emails.iter().any(|o| o.id == e.id) {
                r.emails.push(e);
            }
        }
    }
    let phone_links: Vec<_> = snapshot.person_phones.iter().filter(|a| out.contains_key(&a.person_id)).collect();
    let wanted: HashSet<i64> = phone_links.iter().map(|a| a.phone_number_id).collect();
    let phone_rows: HashMap<i64, _> =
        snapshot.phone_numbers.iter().filter(|n| wanted.contains(&n.id)).map(|n| (n.id, n)).collect();
    let mut phones: Vec<(PersonId, ExistingPhone)> = Vec::new();
    for a in phone_links {
        let Some(n) = phone_rows.get(&a.phone_number_id) else { continue };
        let number = if n.as_entered.trim().is_empty() { n.number.clone() } else { n.as_entered.clone() };
        let number = if n.extension.trim().is_empty() || number.contains('x') {
            number
        } else {
            format!("{number} x{}", n.extension.trim())
        };
        phones.push((
            a.person_id,
            ExistingPhone {
                id: n.id,
                number,
                phone_type: code(a.phone_type),
                priority: a.priority_order,
                preferred: a.is_preferred,
                sms: a.is_sms,
            },
        ));
    }
    crate::sort::by_key(&mut phones, |(p, ph)| (*p, ph.priority.unwrap_or(i32::MAX), ph.id));
    for (p, ph) in phones {
        if let Some(r) = out.get_mut(&p) {
            if !r.phones.iter().any(|o| o.id == ph.id) {
                r.phones.push(ph);
            }
        }
    }
    let address_links: Vec<_> = snapshot
        .person_addresses
        .iter()
        .filter(|a| out.contains_key(&a.person_id) && a.end_date.is_none_or(|end| end > today))
        .collect();
    let wanted: HashSet<i64> = address_links.iter().map(|a| a.address_id).collect();
    let address_rows: HashMap<i64, _> =
        snapshot.addresses.iter().filter(|ad| wanted.contains(&ad.id)).map(|ad| (ad.id, ad)).collect();
    let mut addresses: Vec<(PersonId, ExistingAddress)> = Vec::new();
    for a in address_links {
        let Some(ad) = address_rows.get(&a.address_id) else { continue };
        let parts = AddressParts {
            street: ad.street.clone(),
            line_two: ad.line_two.clone(),
            unit: ad.unit.clone(),
            city: ad.city.clone(),
            state: code(ad.state),
            postal_code: ad.postal_code.clone(),
            address_type: code(a.address_type),
        };
        addresses.push((a.person_id, ExistingAddress { id: ad.id, parts, priority: a.priority_order }));
    }
    crate::sort::by_key(&mut addresses, |(p, a)| (*p, a.priority.unwrap_or(i32::MAX), a.id));
    for (p, a) in addresses {
        if let Some(r) = out.get_mut(&p) {
            if !r.addresses.iter().any(|o| o.id == a.id) {
                r.addresses.push(a);
            }
        }
    }
    if let Some(dcid) = student_dcid {
        let links: Vec<_> = snapshot.student_contacts.iter().filter(|sc| sc.student_dcid == dcid).collect();
        let ids: HashSet<ContactAssocId> = links.iter().map(|sc| sc.id).collect();
        let mut details_of: HashMap<ContactAssocId, Vec<&StudentContactDetail>> = HashMap::new();
        for d in snapshot.student_contact_details.iter().filter(|d| ids.contains(&d.student_contact_id)) {
            details_of.entry(d.student_contact_id).or_default().push(d);
        }
        for sc in links {
            let Some(r) = out.get_mut(&sc.person_id) else { continue };
            let details = details_of.remove(&sc.id).unwrap_or_default();
            let is_active = |d: &StudentContactDetail| d.is_active && d.end_date.is_none_or(|end| end > today);
            let current = details
                .iter()
                .filter(|d| is_active(d))
                .max_by_key(|d| (d.start_date, d.id))
                .or_else(|| details.iter().max_by_key(|d| (d.start_date, d.id)))
                .map(|d| (*d).clone());
            let active = current.as_ref().is_none_or(is_active);
            let relationship = code(current.as_ref().and_then(|d| d.relationship_type).or(sc.relationship_type));
            let link = Link { id: sc.id, priority: sc.priority_order, detail: current, relationship, active };
            // A person linked twice: keep the active link.
            if r.link.as_ref().is_none_or(|l| !l.active && link.active) {
                r.link = Some(link);
            }
        }
    }
    out
}
