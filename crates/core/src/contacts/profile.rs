//! A contact in normalised form, whether it comes from a form block or from
//! a PowerSchool person: the one shape that [`super::compare`] compares.

use super::compare::skeleton;
use super::form::FormContact;
use super::index::{ContactIndex, PORTAL_EXTRA};
use super::normalize::{Gender, MatchAddress, MatchEmail, MatchPhone, NameParts};
use crate::snapshot::Snapshot;

/// An email of a profile.
#[derive(Debug, Clone)]
pub(crate) struct ProfileEmail {
    pub email: MatchEmail,
    /// From a parent portal (web access) account.
    pub portal: bool,
    /// The mailbox's words ([`MatchEmail::name_words`]); a form's only.
    pub words: Vec<String>,
}

/// A phone of a profile.
#[derive(Debug, Clone)]
pub(crate) struct ProfilePhone<'a> {
    pub phone: MatchPhone,
    /// The phone type (`Mobile`), empty if unknown.
    pub kind: &'a str,
}

/// Names, emails and phones, normalised.
#[derive(Debug, Clone)]
pub(crate) struct Profile<'a> {
    pub first_raw: &'a str,
    pub middle_raw: &'a str,
    pub last_raw: &'a str,
    pub first: NameParts,
    pub middle: NameParts,
    pub last: NameParts,
    pub emails: Vec<ProfileEmail>,
    pub phones: Vec<ProfilePhone<'a>>,
    pub addresses: Vec<MatchAddress>,
    /// The positions of the persons at one of the addresses (a form's, once
    /// [`Profile::for_matching`] looked them up), sorted.
    pub at_address: Vec<u32>,
    /// The first name's spelling skeleton ([`skeleton`]); a form's only.
    pub first_skeleton: String,
    /// The person's gender, or the one the form's relationship implies.
    pub gender: Option<Gender>,
    /// Where `gender` comes from, in words (`relationship Mother`).
    pub gender_source: &'a str,
}

impl<'a> Profile<'a> {
    /// A form contact's profile, and a note for every value that cannot be
    /// used for matching.
    pub fn from_form(c: &'a FormContact, notes: &mut Vec<String>) -> Profile<'a> {
        let mut emails = Vec::with_capacity(c.emails.len());
        for e in &c.emails {
            match MatchEmail::parse(&e.address) {
                Ok(email) => {
                    let words = email.name_words();
                    emails.push(ProfileEmail { email, portal: false, words })
                }
                Err(why) => {
                    notes.push(format!("email {:?} is not an email address ({why}): not used for matching", e.address))
                }
            }
        }
        let mut phones = Vec::with_capacity(c.phones.len());
        for p in &c.phones {
            match MatchPhone::parse(&p.number) {
                Ok(phone) => phones.push(ProfilePhone { phone, kind: p.phone_type.as_str() }),
                Err(why) => {
                    notes.push(format!("phone {:?} is not a phone number ({why}): not used for matching", p.number))
                }
            }
        }
        let mut addresses = Vec::with_capacity(c.addresses.len());
        for a in &c.addresses {
            match MatchAddress::parse(&a.street, "", &a.city, &a.postal_code) {
                Some(address) => addresses.push(address),
                None if a.street.trim().is_empty() => {}
                None => notes.push(format!(
                    "street {:?} has no house number and street name: not used for matching",
                    a.street.trim()
                )),
            }
        }
        let mut profile = Profile {
            first_raw: c.first_name.trim(),
            middle_raw: c.middle_name.trim(),
            last_raw: c.last_name.trim(),
            first: NameParts::given(&c.first_name),
            middle: NameParts::given(&c.middle_name),
            last: NameParts::family(&c.last_name),
            emails,
            phones,
            addresses,
            at_address: Vec::new(),
            first_skeleton: String::new(),
            gender: Gender::of_relationship(&c.relationship),
            gender_source: c.relationship.trim(),
        };
        profile.first_skeleton = skeleton(&profile.first.joined);
        match (profile.first.is_empty(), profile.last.is_empty()) {
            (true, true) => notes.push("no name: matched on email and phone only".to_string()),
            (false, true) => notes.push("the last name is empty: matched on first name, email and phone only".into()),
            (true, false) => notes.push("the first name is empty: matched on last name, email and phone only".into()),
            (false, false) => {}
        }
        profile
    }

    /// A form contact's profile (see [`Profile::from_form`]) with the
    /// persons at its addresses looked up in `index`.
    pub fn for_matching(c: &'a FormContact, index: &ContactIndex, notes: &mut Vec<String>) -> Profile<'a> {
        let mut p = Profile::from_form(c, notes);
        p.at_address = p.addresses.iter().flat_map(|a| index.addresses.get(a.key()).iter().copied()).collect();
        crate::sort::values(&mut p.at_address);
        p.at_address.dedup();
        p
    }

    /// The profile of the person at `pos` (the index must be the snapshot's).
    /// Addresses are read only when the person has one of `form`'s (the
    /// only use they have).
    pub fn from_person(
        snapshot: &'a Snapshot,
        index: &ContactIndex,
        pos: u32,
        form: &Profile<'_>,
    ) -> Option<Profile<'a>> {
        let p = snapshot.persons.get(pos as usize)?;
        let mut emails = Vec::new();
        for &(_, ai) in index.person_emails.get(pos) {
            if let Some(Ok(email)) = snapshot.email_addresses.get(ai as usize).map(|a| MatchEmail::parse(&a.address)) {
                emails.push(ProfileEmail { email, portal: false, words: Vec::new() });
            }
        }
        for &i in index.person_portal.get(pos) {
            let raw = if i & PORTAL_EXTRA == 0 {
                snapshot.portal_accounts.get(i as usize).map(|a| a.email.as_str())
            } else {
                snapshot.portal_emails.get((i & !PORTAL_EXTRA) as usize).map(|e| e.email.as_str())
            };
            if let Some(Ok(email)) = raw.map(MatchEmail::parse) {
                emails.push(ProfileEmail { email, portal: true, words: Vec::new() });
            }
        }
        let mut phones = Vec::new();
        for &(ai, ni) in index.person_phones.get(pos) {
            let (Some(assoc), Some(n)) =
                (snapshot.person_phones.get(ai as usize), snapshot.phone_numbers.get(ni as usize))
            else {
                continue;
            };
            if let Some(phone) = MatchPhone::from_stored(&n.number, &n.extension, &n.as_entered) {
                let kind = assoc.phone_type.map(|t| code_value(snapshot, index, t)).unwrap_or("");
                phones.push(ProfilePhone { phone, kind });
            }
        }
        let shares_address = form.at_address.binary_search(&pos).is_ok();
        let addresses = index
            .person_addresses
            .get(pos)
            .iter()
            .filter(|_| shares_address)
            .filter_map(|&(_, ai)| snapshot.addresses.get(ai as usize))
            .filter_map(|a| MatchAddress::parse(&a.street, &a.unit, &a.city, &a.postal_code))
            .collect();
        Some(Profile {
            first_raw: p.first_name.trim(),
            middle_raw: p.middle_name.trim(),
            last_raw: p.last_name.trim(),
            first: NameParts::given(&p.first_name),
            middle: NameParts::given(&p.middle_name),
            last: NameParts::family(&p.last_name),
            emails,
            phones,
            addresses,
            at_address: Vec::new(),
            first_skeleton: String::new(),
            gender: Gender::parse(&p.gender),
            gender_source: "",
        })
    }

    /// `First Middle Last`.
    pub fn display_name(&self) -> String {
        super::form::join_name(self.first_raw, self.middle_raw, self.last_raw)
    }
}

/// A CodeSet's code (falling back to its display value), or empty.
pub(crate) fn code_value<'a>(snapshot: &'a Snapshot, index: &ContactIndex, id: i64) -> &'a str {
    match index.codes.first(id).and_then(|i| snapshot.code_sets.get(i as usize)) {
        Some(c) if !c.code.is_empty() => &c.code,
        Some(c) => &c.display_value,
        None => "",
    }
}

/// A CodeSet's display value (falling back to its code), or empty.
pub(crate) fn code_display<'a>(snapshot: &'a Snapshot, index: &ContactIndex, id: i64) -> &'a str {
    match index.codes.first(id).and_then(|i| snapshot.code_sets.get(i as usize)) {
        Some(c) if !c.display_value.is_empty() => &c.display_value,
        Some(c) => &c.code,
        None => "",
    }
}
