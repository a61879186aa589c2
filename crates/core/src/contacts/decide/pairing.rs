//! Pairing a block's emails, phones and addresses with a person's existing
//! ones: equal values first, phones of the same type next, then in order;
//! what is left is form-only (to add) or existing-only (to keep or remove).

use super::records::{
    email_key, phone_key, AddressParts, ExistingAddress, ExistingEmail, ExistingPhone, FormEmail, FormPhone,
    FormValues, PersonRecords,
};
use super::types::{FieldAction, FieldKind};

/// A form value and the existing record it is paired with. (A handful per
/// block, built once: the address variant's size does not matter.)
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)]
pub(crate) enum Pair {
    /// An email row.
    Email(Option<FormEmail>, Option<ExistingEmail>),
    /// A phone row.
    Phone(Option<FormPhone>, Option<ExistingPhone>),
    /// An address row.
    Address(Option<AddressParts>, Option<ExistingAddress>),
}

/// One paired row with its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Paired {
    pub key: String,
    pub pair: Pair,
}

impl Paired {
    pub fn kind(&self) -> FieldKind {
        match self.pair {
            Pair::Email(..) => FieldKind::Email,
            Pair::Phone(..) => FieldKind::Phone,
            Pair::Address(..) => FieldKind::Address,
        }
    }

    fn sides(&self) -> (bool, bool) {
        match &self.pair {
            Pair::Email(f, e) => (f.is_some(), e.is_some()),
            Pair::Phone(f, e) => (f.is_some(), e.is_some()),
            Pair::Address(f, e) => (f.is_some(), e.is_some()),
        }
    }

    /// Whether the form's and the existing value are the same.
    pub fn same(&self) -> bool {
        match &self.pair {
            Pair::Email(Some(f), Some(e)) => email_key(&f.address) == email_key(&e.address),
            Pair::Phone(Some(f), Some(e)) => phone_key(&f.number) == phone_key(&e.number),
            Pair::Address(Some(f), Some(e)) => f.key() == e.parts.key(),
            _ => false,
        }
    }

    /// Phones whose types (both known) differ.
    pub fn type_mismatch(&self) -> bool {
        match &self.pair {
            Pair::Phone(Some(f), Some(e)) => {
                !f.phone_type.is_empty()
                    && !e.phone_type.is_empty()
                    && !f.phone_type.eq_ignore_ascii_case(&e.phone_type)
            }
            _ => false,
        }
    }

    /// The decisions allowed, the default first.
    pub fn allowed(&self) -> Vec<FieldAction> {
        use FieldAction::*;
        match self.sides() {
            (true, true) if self.same() && self.type_mismatch() => vec![Update, Keep, Remove],
            (true, true) if self.same() => vec![Keep, Remove],
            (true, true) => vec![Update, Add, Keep, Remove],
            (true, false) => vec![Add, Keep],
            (false, true) => vec![Keep, Remove],
            (false, false) => vec![Keep],
        }
    }

    /// The form's value in words.
    pub fn form_text(&self) -> Option<String> {
        match &self.pair {
            Pair::Email(f, _) => f.as_ref().map(|f| typed(&f.address, &f.email_type)),
            Pair::Phone(f, _) => f.as_ref().map(|f| typed(&f.number, &f.phone_type)),
            Pair::Address(f, _) => f.as_ref().map(|f| typed(&f.text(), &f.address_type)),
        }
    }

    /// The existing value in words.
    pub fn existing_text(&self) -> Option<String> {
        match &self.pair {
            Pair::Email(_, e) => e.as_ref().map(|e| typed(&e.address, &e.email_type)),
            Pair::Phone(_, e) => e.as_ref().map(|e| typed(&e.number, &e.phone_type)),
            Pair::Address(_, e) => e.as_ref().map(|e| typed(&e.parts.text(), &e.parts.address_type)),
        }
    }
}

fn typed(value: &str, t: &str) -> String {
    if t.is_empty() {
        value.to_string()
    } else {
        format!("{value} ({t})")
    }
}

/// Pairs the block's values with `person`'s (or none, for a new person).
pub(crate) fn pair(form: &FormValues, person: Option<&PersonRecords>) -> Vec<Paired> {
    let empty = (Vec::new(), Vec::new(), Vec::new());
    let (emails, phones, addresses) = match person {
        Some(p) => (p.emails.clone(), p.phones.clone(), p.addresses.clone()),
        None => empty,
    };
    let mut out = Vec::new();
    let email_pairs =
        pair_lists(&form.emails, &emails, |f, e| email_key(&f.address) == email_key(&e.address), |_, _| false);
    for (i, (f, e)) in email_pairs.into_iter().enumerate() {
        out.push(Paired { key: format!("email{}", i + 1), pair: Pair::Email(f, e) });
    }
    let phone_pairs = pair_lists(
        &form.phones,
        &phones,
        |f, e| phone_key(&f.number) == phone_key(&e.number),
        |f, e| f.phone_type.eq_ignore_ascii_case(&e.phone_type),
    );
    for (i, (f, e)) in phone_pairs.into_iter().enumerate() {
        out.push(Paired { key: format!("phone{}", i + 1), pair: Pair::Phone(f, e) });
    }
    let address_pairs = pair_lists(
        &form.addresses,
        &addresses,
        |f, e| f.key() == e.parts.key(),
        |f, e| f.address_type.eq_ignore_ascii_case(&e.parts.address_type),
    );
    for (i, (f, e)) in address_pairs.into_iter().enumerate() {
        out.push(Paired { key: format!("address{}", i + 1), pair: Pair::Address(f, e) });
    }
    out
}

/// Pairs two lists: equal values, then same type, then in order; the form's
/// values in form order (each with its partner), then unpaired existing ones.
fn pair_lists<F: Clone, E: Clone>(
    form: &[F],
    existing: &[E],
    equal: impl Fn(&F, &E) -> bool,
    same_type: impl Fn(&F, &E) -> bool,
) -> Vec<(Option<F>, Option<E>)> {
    let mut partner: Vec<Option<usize>> = vec![None; form.len()];
    let mut taken = vec![false; existing.len()];
    for pass in 0..3 {
        for (i, f) in form.iter().enumerate() {
            if partner[i].is_some() {
                continue;
            }
            let found = (0..existing.len()).find(|&j| {
                !taken[j]
                    && match pass {
                        0 => equal(f, &existing[j]),
                        1 => same_type(f, &existing[j]),
                        _ => true,
                    }
            });
            if let Some(j) = found {
                partner[i] = Some(j);
                taken[j] = true;
            }
        }
    }
    let mut out: Vec<(Option<F>, Option<E>)> =
        form.iter().zip(&partner).map(|(f, p)| (Some(f.clone()), p.map(|j| existing[j].clone()))).collect();
    for (j, e) in existing.iter().enumerate() {
        if !taken[j] {
            out.push((None, Some(e.clone())));
        }
    }
    out
}
