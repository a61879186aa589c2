//! A block's emails, phones and addresses under staff's field actions: the
//! rows an update writes, numbered after the records that stay, and each
//! field's row in the review.

use std::collections::BTreeSet;

use super::codes::{self, Codes};
use super::pairing::{Pair, Paired};
use super::records::{AddressParts, ExistingAddress, ExistingEmail, ExistingPhone, FormEmail, FormPhone};
use super::rows::{AddressRow, EmailRow, PhoneRow};
use super::types::{FieldAction, FieldRow};
use crate::domain::{Email, Phone};

/// A paired field with the action in effect for it.
#[derive(Debug, Clone)]
pub(super) struct ChosenField {
    pub paired: Paired,
    pub action: FieldAction,
    /// Staff's phone type, for a phone.
    pub phone_type: Option<String>,
}

impl ChosenField {
    /// The field's row in the review; `phone_type` is the phone type code
    /// written, if any.
    pub fn row(&self, phone_type: Option<String>) -> FieldRow {
        let p = &self.paired;
        FieldRow {
            key: p.key.clone(),
            kind: p.kind(),
            form: p.form_text(),
            existing: p.existing_text(),
            same: p.same(),
            type_mismatch: p.type_mismatch(),
            allowed: p.allowed(),
            action: self.action,
            phone_type,
        }
    }

    /// The existing record the form's value is written over: only an
    /// update replaces one (an add writes a new record beside it).
    fn replaced<'e, E>(&self, existing: &'e Option<E>) -> Option<&'e E> {
        existing.as_ref().filter(|_| self.action == FieldAction::Update)
    }
}

/// What an update writes of a contact's emails, phones and addresses.
#[derive(Debug, Default)]
pub(super) struct RecordRows {
    pub emails: Vec<EmailRow>,
    pub phones: Vec<PhoneRow>,
    pub addresses: Vec<AddressRow>,
    /// Whether any row changes the person.
    pub changes: bool,
}

/// The priorities taken among a person's phones or addresses.
#[derive(Debug, Default)]
struct Priorities(BTreeSet<u32>);

impl Priorities {
    /// An existing record's priority, which stays.
    fn keep(&mut self, priority: Option<i32>) {
        if let Some(n) = priority.filter(|n| *n > 0) {
            self.0.insert(n as u32);
        }
    }

    /// The priority of a written record: `wanted` (its own) if free, else
    /// the one after the last taken.
    fn next(&mut self, wanted: Option<i32>) -> u32 {
        let n = match wanted.filter(|n| *n > 0).map(|n| n as u32) {
            Some(n) if !self.0.contains(&n) => n,
            _ => self.0.iter().next_back().map_or(1, |m| m + 1),
        };
        self.0.insert(n);
        n
    }
}

/// Writes a block's fields one at a time.
#[derive(Debug)]
pub(super) struct RecordWriter<'a> {
    codes: &'a Codes,
    rows: RecordRows,
    phone_priorities: Priorities,
    address_priorities: Priorities,
    /// The contact's emails afterwards (folded), so none is written twice.
    emails_after: Vec<String>,
    /// Whether an existing primary email stays.
    primary_kept: bool,
}

impl<'a> RecordWriter<'a> {
    /// A writer for `fields`, knowing the existing records they leave as
    /// they are.
    pub fn new(codes: &'a Codes, fields: &[ChosenField]) -> RecordWriter<'a> {
        let mut writer = RecordWriter {
            codes,
            rows: RecordRows::default(),
            phone_priorities: Priorities::default(),
            address_priorities: Priorities::default(),
            emails_after: Vec::new(),
            primary_kept: false,
        };
        for f in fields.iter().filter(|f| matches!(f.action, FieldAction::Keep | FieldAction::Add)) {
            writer.keep(&f.paired.pair);
        }
        writer
    }

    /// An existing record that stays: its priority is taken, its email
    /// stays the contact's.
    fn keep(&mut self, pair: &Pair) {
        match pair {
            Pair::Email(_, Some(e)) => {
                self.emails_after.push(e.address.to_lowercase());
                self.primary_kept |= e.primary;
            }
            Pair::Phone(_, Some(e)) => self.phone_priorities.keep(e.priority),
            Pair::Address(_, Some(e)) => self.address_priorities.keep(e.priority),
            _ => {}
        }
    }

    /// Writes one field: `Ok` with the phone type code written (for a
    /// phone), or why the field cannot be written.
    pub fn write(&mut self, field: &ChosenField) -> Result<Option<String>, String> {
        use FieldAction::{Add, Keep, Remove, Update};
        match (&field.paired.pair, field.action) {
            (_, Keep) => Ok(None),
            (pair, Remove) => {
                self.remove(pair);
                Ok(None)
            }
            (Pair::Email(Some(f), e), Update | Add) => self.write_email(f, field.replaced(e)).map(|()| None),
            (Pair::Phone(Some(f), e), Update | Add) => {
                let chosen_type = field.phone_type.as_deref();
                self.write_phone(f, field.replaced(e), chosen_type, field.paired.type_mismatch()).map(Some)
            }
            (Pair::Address(Some(f), e), Update | Add) => self.write_address(f, field.replaced(e)).map(|()| None),
            _ => Ok(None),
        }
    }

    /// The rows written, with one primary email: an existing primary that
    /// stays, else the first email written.
    pub fn finish(mut self) -> RecordRows {
        let primary_written = self.rows.emails.iter().any(|e| matches!(e, EmailRow::Write { primary: true, .. }));
        if !self.primary_kept && !primary_written {
            let first_written = self.rows.emails.iter_mut().find(|e| matches!(e, EmailRow::Write { .. }));
            if let Some(EmailRow::Write { primary, .. }) = first_written {
                *primary = true;
            }
        }
        self.rows
    }

    /// Removes the existing record of a pair.
    fn remove(&mut self, pair: &Pair) {
        match pair {
            Pair::Email(_, Some(e)) => self.rows.emails.push(EmailRow::Delete { id: e.id }),
            Pair::Phone(_, Some(e)) => self.rows.phones.push(PhoneRow::Delete { id: e.id }),
            Pair::Address(_, Some(e)) => self.rows.addresses.push(AddressRow::Delete { id: e.id }),
            _ => return,
        }
        self.rows.changes = true;
    }

    /// Writes the form's email, over `existing` if given.
    fn write_email(&mut self, form: &FormEmail, existing: Option<&ExistingEmail>) -> Result<(), String> {
        let Ok(email) = Email::parse(&form.address) else {
            return Err(format!("{:?} is not a valid email: correct it or do not update", form.address));
        };
        let t = existing.map(|e| e.email_type.as_str()).filter(|t| !t.is_empty()).unwrap_or(&form.email_type);
        let t = if t.is_empty() { "Current" } else { t };
        let Some(code) = self.codes.code(codes::EMAIL, t) else {
            return Err(format!(
                "email type {t:?} is not in the district's CodeSet ({})",
                self.codes.list(codes::EMAIL)
            ));
        };
        let folded = email.folded();
        if self.emails_after.contains(&folded) {
            return Err(format!("{email} is already an email of this contact: do not add it twice"));
        }
        self.emails_after.push(folded);
        self.rows.emails.push(EmailRow::Write {
            id: existing.map(|e| e.id),
            address: email.to_string(),
            email_type: code.to_string(),
            primary: existing.is_some_and(|e| e.primary),
        });
        self.rows.changes = true;
        Ok(())
    }

    /// Writes the form's phone, over `existing` if given; the phone type
    /// code written.
    fn write_phone(
        &mut self,
        form: &FormPhone,
        existing: Option<&ExistingPhone>,
        chosen_type: Option<&str>,
        type_mismatch: bool,
    ) -> Result<String, String> {
        let Ok(phone) = Phone::parse(&form.number) else {
            return Err(format!("{:?} is not a valid phone number: correct it or do not update", form.number));
        };
        let t = phone_type(form, existing, chosen_type, type_mismatch)?;
        let Some(code) = self.codes.code(codes::PHONE, &t) else {
            return Err(format!("choose the phone type: {t:?} is not one of {}", self.codes.list(codes::PHONE)));
        };
        let code = code.to_string();
        let priority = self.phone_priorities.next(existing.and_then(|e| e.priority));
        self.rows.phones.push(PhoneRow::Write {
            id: existing.map(|e| e.id),
            number: phone.formatted(),
            extension: phone.extension().unwrap_or_default().to_string(),
            phone_type: code.clone(),
            priority,
            preferred: existing.is_some_and(|e| e.preferred),
            sms: existing.is_some_and(|e| e.sms),
        });
        self.rows.changes = true;
        Ok(code)
    }

    /// Writes the form's address, over `existing` if given.
    fn write_address(&mut self, form: &AddressParts, existing: Option<&ExistingAddress>) -> Result<(), String> {
        if [&form.street, &form.city, &form.state, &form.postal_code].iter().any(|s| s.trim().is_empty()) {
            return Err("the address needs street, city, state and postal code: complete it or do not update".into());
        }
        let Some(state) = self.codes.code(codes::STATE, &form.state) else {
            return Err(format!("state {:?} is not in the district's CodeSet", form.state));
        };
        let t = existing.map(|e| e.parts.address_type.as_str()).filter(|t| !t.is_empty()).unwrap_or(&form.address_type);
        let Some(address_type) = self.codes.code(codes::ADDRESS, t) else {
            return Err(format!(
                "address type {t:?} is not in the district's CodeSet ({})",
                self.codes.list(codes::ADDRESS)
            ));
        };
        let parts = AddressParts { state: state.to_string(), address_type: address_type.to_string(), ..form.clone() };
        let priority = self.address_priorities.next(existing.and_then(|e| e.priority));
        self.rows.addresses.push(AddressRow::Write { id: existing.map(|e| e.id), parts, priority });
        self.rows.changes = true;
        Ok(())
    }
}

/// The phone type written: staff's, else the existing phone's (staff must
/// choose when the form's differs), else the form's.
fn phone_type(
    form: &FormPhone,
    existing: Option<&ExistingPhone>,
    chosen: Option<&str>,
    type_mismatch: bool,
) -> Result<String, String> {
    match (chosen, existing) {
        (Some(t), _) => Ok(t.to_string()),
        (None, Some(e)) if type_mismatch => Err(format!(
            "phone type mismatch: {} on the form, {} in PowerSchool: choose the phone type",
            form.phone_type, e.phone_type
        )),
        (None, Some(e)) if !e.phone_type.is_empty() => Ok(e.phone_type.clone()),
        _ => Ok(form.phone_type.clone()),
    }
}
