//! Comparing a form contact with a person (or with another form contact):
//! field-by-field evidence in words, flags, and whether the pair agrees
//! enough to be a candidate at all.

use super::evidence::{Evidence, EvidenceField as F, Flag, FlagKind};
use super::normalize::phone::near_miss;
use super::normalize::typo::{one_edit_apart, MIN_TYPO_LEN};
use super::normalize::{EmailAgreement, NameParts, Nicknames};
use super::profile::Profile;

/// Points per kind of agreement. Identifiers (email, phone) outweigh a full
/// name; a nickname or typo is worth less than an exact name.
pub(crate) mod points {
    pub const LAST_EXACT: i32 = 40;
    pub const LAST_PART: i32 = 32;
    pub const LAST_TYPO: i32 = 28;
    pub const LAST_PART_TYPO: i32 = 22;
    pub const FIRST_EXACT: i32 = 30;
    pub const FIRST_PART: i32 = 26;
    pub const FIRST_NICKNAME: i32 = 24;
    pub const FIRST_TYPO: i32 = 20;
    pub const FIRST_SHORT: i32 = 18;
    pub const FIRST_IS_MIDDLE: i32 = 16;
    pub const FIRST_INITIAL: i32 = 10;
    pub const SWAPPED: i32 = 60;
    pub const SWAPPED_PART: i32 = 52;
    pub const MIDDLE_EXACT: i32 = 8;
    pub const MIDDLE_INITIAL: i32 = 4;
    pub const MIDDLE_DIFFERS: i32 = -8;
    pub const MIDDLE_BOTH_BLANK: i32 = 2;
    pub const MIDDLE_ONLY_ON_FORM: i32 = -2;
    pub const SPELLING: i32 = 2;
    pub const EMAIL: i32 = 50;
    pub const EMAIL_CASE: i32 = 40;
    pub const PHONE: i32 = 45;
    pub const PHONE_EXT_DIFFERS: i32 = 30;
    pub const PHONE_MORE: i32 = 10;
    pub const PHONE_NEAR: i32 = 20;
    pub const EMAIL_NEAR: i32 = 20;
    pub const THIS_STUDENT: i32 = 30;
    pub const SIBLING: i32 = 15;
}
use points::*;

/// How a first name agrees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FirstAgreement {
    Exact,
    Part,
    Nickname,
    Typo,
    Short,
    IsMiddle,
    Initial,
}

/// How a last name agrees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LastAgreement {
    Exact,
    Part,
    Typo,
}

/// The outcome of comparing two contacts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Comparison {
    pub evidence: Vec<Evidence>,
    pub flags: Vec<Flag>,
    pub first: Option<FirstAgreement>,
    pub last: Option<LastAgreement>,
    pub swapped: bool,
    /// An email or phone agrees.
    pub contact: bool,
    /// An email or phone nearly agrees (one typo): weaker than `contact`.
    pub near_contact: bool,
    /// Both have a first name and they do not agree in any way.
    pub first_differs: bool,
}

impl Comparison {
    /// Whether the names agree on both first and last name (or are swapped).
    pub fn full_name(&self) -> bool {
        self.swapped || (self.first.is_some() && self.last.is_some())
    }
}

/// Compares the form's contact with `other` (a PowerSchool person, or a
/// block on another application when `other_label` says so).
pub(crate) fn compare(form: &Profile<'_>, other: &Profile<'_>, other_label: &str) -> Comparison {
    let mut c = Comparison::default();
    let first = first_name(form, other);
    c.first_differs = first.is_none() && !form.first.is_empty() && !other.first.is_empty();
    let last = last_name(form, other);
    if first.is_none() || last.is_none() {
        if let Some(e) = swapped(form, other) {
            c.swapped = true;
            c.evidence.push(e);
        }
    }
    if !c.swapped {
        if let Some((kind, e)) = last {
            c.last = Some(kind);
            c.evidence.push(e);
        }
        if let Some((kind, e)) = first {
            c.first = Some(kind);
            c.evidence.push(e);
        }
        if c.first.is_some() && c.first != Some(FirstAgreement::IsMiddle) {
            c.evidence.extend(middle_name(form, other));
        }
    }
    if let Some(e) = email(form, other) {
        c.contact = true;
        c.evidence.push(e);
    } else if let Some(e) = email_near_miss(form, other, other_label) {
        c.near_contact = true;
        c.evidence.push(e);
    }
    let (phones, flags) = phones(form, other, other_label);
    c.contact |= !phones.is_empty();
    if phones.is_empty() {
        if let Some(e) = phone_near_miss(form, other, other_label) {
            c.near_contact = true;
            c.evidence.push(e);
        }
    }
    c.evidence.extend(phones);
    c.flags.extend(flags);
    if c.contact && !c.swapped && (c.first.is_none() || c.last.is_none()) && !form.last.is_empty() {
        c.flags.push(Flag::new(
            FlagKind::NameMismatch,
            format!(
                "name differs although {} agrees: the form has {}, {other_label} has {}",
                if c.evidence.iter().any(|e| e.field == F::Email) { "the email" } else { "the phone" },
                form.display_name(),
                other.display_name()
            ),
        ));
    }
    c
}

/// An exact agreement's points and words: full points when the spellings
/// are the same apart from case, a little less (and both spellings shown)
/// when they differ in accents or punctuation (`José = Jose`): a form typed
/// the way PowerSchool has it is slightly stronger evidence.
fn exact(what: &str, pts: i32, a: &str, b: &str) -> (i32, String) {
    if a.to_lowercase() == b.to_lowercase() {
        (pts, format!("{what} exact"))
    } else {
        (pts - SPELLING, format!("{what} exact ({a} = {b})"))
    }
}

fn first_name(form: &Profile<'_>, other: &Profile<'_>) -> Option<(FirstAgreement, Evidence)> {
    let (f, o) = (&form.first, &other.first);
    if f.is_empty() || o.is_empty() {
        return None;
    }
    let e = |kind, pts, text: String| Some((kind, Evidence::new(F::FirstName, pts, text)));
    if f.joined == o.joined {
        let (pts, text) = exact("first name", FIRST_EXACT, form.first_raw, other.first_raw);
        return e(FirstAgreement::Exact, pts, text);
    }
    if shares_part(f, o) {
        let longer = if f.parts.len() >= o.parts.len() { form.first_raw } else { other.first_raw };
        return e(FirstAgreement::Part, FIRST_PART, format!("first name matches one part of {longer}"));
    }
    let nicknames = Nicknames::table();
    if f.nickname_keys().any(|a| o.nickname_keys().any(|b| nicknames.related_pair(a, b))) {
        return e(
            FirstAgreement::Nickname,
            FIRST_NICKNAME,
            format!("first name nickname {} = {}", form.first_raw, other.first_raw),
        );
    }
    if typo(&f.joined, &o.joined) {
        return e(FirstAgreement::Typo, FIRST_TYPO, "first name typo (1 letter)".to_string());
    }
    if let Some((short, long)) = short_for(&f.joined, &o.joined, form.first_raw, other.first_raw) {
        return e(FirstAgreement::Short, FIRST_SHORT, format!("first name {short} is short for {long}"));
    }
    if !other.middle.is_empty() && f.joined == other.middle.joined {
        return e(
            FirstAgreement::IsMiddle,
            FIRST_IS_MIDDLE,
            format!("first name {} is the other record's middle name", form.first_raw),
        );
    }
    if !form.middle.is_empty() && form.middle.joined == o.joined {
        return e(
            FirstAgreement::IsMiddle,
            FIRST_IS_MIDDLE,
            format!("middle name {} is the other record's first name", form.middle_raw),
        );
    }
    let initial = |n: &NameParts| n.joined.chars().next();
    if (f.joined.chars().count() == 1 || o.joined.chars().count() == 1) && initial(f) == initial(o) {
        let i = initial(f).map(|c| c.to_uppercase().to_string()).unwrap_or_default();
        return e(FirstAgreement::Initial, FIRST_INITIAL, format!("first name initial {i}"));
    }
    None
}

/// Whether one name is the other's beginning (at least 3 letters, and at
/// least 2 letters shorter): `Nat` for `Natalia`, `Abdi` for `Abdirahman`.
/// Returns (short, long) as typed.
fn short_for<'a>(a: &str, b: &str, a_raw: &'a str, b_raw: &'a str) -> Option<(&'a str, &'a str)> {
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la >= 3 && lb >= la + 2 && b.starts_with(a) {
        Some((a_raw, b_raw))
    } else if lb >= 3 && la >= lb + 2 && a.starts_with(b) {
        Some((b_raw, a_raw))
    } else {
        None
    }
}

fn last_name(form: &Profile<'_>, other: &Profile<'_>) -> Option<(LastAgreement, Evidence)> {
    let (f, o) = (&form.last, &other.last);
    if f.is_empty() || o.is_empty() {
        return None;
    }
    let e = |kind, pts, text: String| Some((kind, Evidence::new(F::LastName, pts, text)));
    let compound = if o.parts.len() >= f.parts.len() { other.last_raw } else { form.last_raw };
    if f.joined == o.joined {
        let (pts, text) = exact("last name", LAST_EXACT, form.last_raw, other.last_raw);
        return e(LastAgreement::Exact, pts, text);
    }
    if shares_part(f, o) {
        return e(LastAgreement::Part, LAST_PART, format!("last name matches one part of {compound}"));
    }
    if typo(&f.joined, &o.joined) {
        return e(LastAgreement::Typo, LAST_TYPO, "last name typo (1 letter)".to_string());
    }
    if (f.is_compound() || o.is_compound()) && f.parts.iter().any(|a| o.parts.iter().any(|b| typo(a, b))) {
        return e(LastAgreement::Typo, LAST_PART_TYPO, format!("last name typo (1 letter) in one part of {compound}"));
    }
    None
}

fn shares_part(a: &NameParts, b: &NameParts) -> bool {
    a.parts.iter().any(|p| b.parts.contains(p))
}

fn typo(a: &str, b: &str) -> bool {
    a.chars().count().max(b.chars().count()) >= MIN_TYPO_LEN && one_edit_apart(a, b)
}

fn swapped(form: &Profile<'_>, other: &Profile<'_>) -> Option<Evidence> {
    let (f, l) = (&form.first, &form.last);
    if f.is_empty() || l.is_empty() || other.first.is_empty() || other.last.is_empty() {
        return None;
    }
    if f.joined == other.last.joined && l.joined == other.first.joined {
        return Some(Evidence::new(F::Name, SWAPPED, "first and last name swapped"));
    }
    // With a compound surname, often only one part of it is written.
    let agrees = |a: &NameParts, b: &NameParts| a.joined == b.joined || shares_part(a, b);
    let compound = other.last.is_compound() || l.is_compound() || f.parts.len() > 1;
    (compound && agrees(f, &other.last) && agrees(l, &other.first)).then(|| {
        Evidence::new(F::Name, SWAPPED_PART, format!("first and last name swapped (with part of {})", other.last_raw))
    })
}

fn middle_name(form: &Profile<'_>, other: &Profile<'_>) -> Option<Evidence> {
    let (f, o) = (&form.middle, &other.middle);
    match (f.is_empty(), o.is_empty()) {
        (true, true) => return Some(Evidence::new(F::MiddleName, MIDDLE_BOTH_BLANK, "no middle name on either")),
        (false, true) => {
            return Some(Evidence::new(F::MiddleName, MIDDLE_ONLY_ON_FORM, "middle name only on the form"))
        }
        (true, false) => return None,
        (false, false) => {}
    }
    if f.joined == o.joined {
        return Some(Evidence::new(F::MiddleName, MIDDLE_EXACT, "middle name exact"));
    }
    let (a, b) = (f.joined.chars().next(), o.joined.chars().next());
    if a == b && (f.joined.chars().count() == 1 || o.joined.chars().count() == 1) {
        let i = a.map(|c| c.to_uppercase().to_string()).unwrap_or_default();
        return Some(Evidence::new(F::MiddleName, MIDDLE_INITIAL, format!("middle initial {i}")));
    }
    if typo(&f.joined, &o.joined) || Nicknames::table().related_pair(&f.joined, &o.joined) {
        return None;
    }
    Some(Evidence::new(
        F::MiddleName,
        MIDDLE_DIFFERS,
        format!("middle name differs ({} / {})", form.middle_raw, other.middle_raw),
    ))
}

fn email(form: &Profile<'_>, other: &Profile<'_>) -> Option<Evidence> {
    let mut best: Option<(EmailAgreement, bool)> = None;
    for a in &form.emails {
        for b in &other.emails {
            let agreement = a.email.agreement(&b.email);
            let better = match (agreement, best) {
                (EmailAgreement::Different, _) => false,
                (_, None) => true,
                (EmailAgreement::Same, Some((EmailAgreement::CaseOnly, _))) => true,
                (EmailAgreement::Same, Some((EmailAgreement::Same, portal))) => portal && !b.portal,
                _ => false,
            };
            if better {
                best = Some((agreement, b.portal));
            }
        }
    }
    let (agreement, portal) = best?;
    let text = match (agreement, portal) {
        (EmailAgreement::Same, false) => "email matches",
        (EmailAgreement::Same, true) => "email matches the parent portal account",
        (_, false) => "email differs in case only",
        (_, true) => "email differs in case only from the parent portal account",
    };
    let pts = if agreement == EmailAgreement::Same { EMAIL } else { EMAIL_CASE };
    Some(Evidence::new(F::Email, pts, text))
}

/// A form email one typo from one of `other`'s (see
/// [`super::normalize::email::EmailNearMiss`]).
fn email_near_miss(form: &Profile<'_>, other: &Profile<'_>, other_label: &str) -> Option<Evidence> {
    form.emails.iter().find_map(|a| {
        other.emails.iter().find_map(|b| {
            let how = a.email.near_miss(&b.email)?;
            Some(Evidence::new(
                F::Email,
                EMAIL_NEAR,
                format!("email {} (form {}, {other_label} {})", how.words(), a.email.email, b.email.email),
            ))
        })
    })
}

/// A form phone one typo from one of `other`'s (see
/// [`super::normalize::phone::PhoneNearMiss`]).
fn phone_near_miss(form: &Profile<'_>, other: &Profile<'_>, other_label: &str) -> Option<Evidence> {
    form.phones.iter().find_map(|a| {
        other.phones.iter().find_map(|b| {
            let how = near_miss(a.phone.key, b.phone.key)?;
            Some(Evidence::new(
                F::Phone,
                PHONE_NEAR,
                format!("phone {} (form {}, {other_label} {})", how.words(), a.phone.phone, b.phone.phone),
            ))
        })
    })
}

fn phones(form: &Profile<'_>, other: &Profile<'_>, other_label: &str) -> (Vec<Evidence>, Vec<Flag>) {
    let mut evidence: Vec<Evidence> = Vec::new();
    let mut flags = Vec::new();
    let mut seen: Vec<u64> = Vec::new();
    for a in &form.phones {
        if seen.contains(&a.phone.key) {
            continue;
        }
        let matches: Vec<_> = other.phones.iter().filter(|b| b.phone.key == a.phone.key).collect();
        let Some(b) = matches
            .iter()
            .find(|b| b.kind.eq_ignore_ascii_case(a.kind))
            .or_else(|| matches.iter().find(|b| b.phone.extension() == a.phone.extension()))
            .or(matches.first())
        else {
            continue;
        };
        seen.push(a.phone.key);
        let type_ok = a.kind.is_empty() || b.kind.is_empty() || a.kind.eq_ignore_ascii_case(b.kind);
        let kind = if type_ok {
            let k = if b.kind.is_empty() { a.kind } else { b.kind };
            if k.is_empty() {
                String::new()
            } else {
                format!(" ({k})")
            }
        } else {
            flags.push(Flag::new(
                FlagKind::PhoneTypeMismatch,
                format!("phone {} is {} on the form but {} in {other_label}", a.phone.phone, a.kind, b.kind),
            ));
            format!(" (form {}, {other_label} {})", a.kind, b.kind)
        };
        let (pts, text) = match (a.phone.extension(), b.phone.extension()) {
            (Some(x), Some(y)) if x != y => {
                (PHONE_EXT_DIFFERS, format!("phone matches{kind}, extension differs (x{x} / x{y})"))
            }
            _ => (PHONE, format!("phone matches{kind}")),
        };
        let pts = if evidence.is_empty() { pts } else { PHONE_MORE };
        evidence.push(Evidence::new(F::Phone, pts, text));
    }
    (evidence, flags)
}
