//! Comparing a form contact with a person (or with another form contact):
//! field-by-field evidence in words, flags, and whether the pair agrees
//! enough to be a candidate at all.

use super::evidence::{Evidence, EvidenceField as F, Flag, FlagKind};
use super::normalize::email::spells_name;
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
    pub const FIRST_SIMILAR: i32 = 16;
    pub const FIRST_SIMILAR_WEAK: i32 = 12;
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
    pub const ADDRESS: i32 = 20;
    pub const EMAIL_NAME: i32 = 15;
    pub const GENDER_DIFFERS: i32 = -25;
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
    /// Spelled alike (Jaro-Winkler), beyond one typo: Mohammad / Muhammad.
    Similar,
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
    /// A street address agrees (a household's: not an identifier).
    pub address: bool,
    /// A form email's mailbox spells the other's first and last name
    /// (`maria.stanindale52@` for Maria Stanindale) while the form's name
    /// does not wholly agree.
    pub email_name: bool,
    /// The form's relationship implies another gender than the other's.
    pub gender_differs: bool,
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
    if let Some(e) = address(form, other) {
        c.address = true;
        c.evidence.push(e);
    }
    if !c.contact && !c.full_name() {
        let spelled = form.emails.iter().find(|e| spells_name(&e.words, &other.first.joined, &other.last.joined));
        if let Some(e) = spelled {
            c.email_name = true;
            let text = format!("email {} spells the name {}", e.email.email, other.display_name());
            c.evidence.push(Evidence::new(F::Email, EMAIL_NAME, text));
        }
    }
    if let (Some(a), Some(b)) = (form.gender, other.gender) {
        if a != b && !form.gender_source.is_empty() {
            c.gender_differs = true;
            let text = format!(
                "relationship {} on the form ({}), {other_label} has {}",
                form.gender_source,
                a.words(),
                b.words()
            );
            c.evidence.push(Evidence::new(F::Relationship, GENDER_DIFFERS, text));
        }
    }
    if c.first_differs && (c.contact || c.address) && !c.swapped {
        let (f, o) = (&form.first.joined, &other.first.joined);
        if let Some(pts) = similar_first(f, &form.first_skeleton, o, SIMILAR_WITH_IDENTIFIER) {
            c.first = Some(FirstAgreement::Similar);
            c.first_differs = false;
            let text = format!("first name perhaps spelled another way ({} / {})", form.first_raw, other.first_raw);
            c.evidence.push(Evidence::new(F::FirstName, pts, text));
        }
    }
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
    if let Some(pts) = similar_first(&f.joined, &form.first_skeleton, &o.joined, SIMILAR_WEAK) {
        let text = format!("first name spelled alike ({} / {})", form.first_raw, other.first_raw);
        return e(FirstAgreement::Similar, pts, text);
    }
    None
}

/// Spelling similarity (Jaro-Winkler over [`skeleton`]s) at or above which
/// two first names count as spelled alike: weakly, fully at
/// [`SIMILAR_STRONG`], and at [`SIMILAR_WITH_IDENTIFIER`] only when an
/// email, phone or address agrees as well.
pub(crate) const SIMILAR_WEAK: f64 = 0.88;
const SIMILAR_STRONG: f64 = 0.94;
const SIMILAR_WITH_IDENTIFIER: f64 = 0.78;

/// Points for two first names spelled alike at `floor` or above (see
/// [`similarity`]; `a_skeleton` is `a`'s [`skeleton`]).
pub(crate) fn similar_first(a: &str, a_skeleton: &str, b: &str, floor: f64) -> Option<i32> {
    let sim = similarity(a, a_skeleton, b)?;
    if sim >= SIMILAR_STRONG {
        Some(FIRST_SIMILAR)
    } else if sim >= floor {
        Some(FIRST_SIMILAR_WEAK)
    } else {
        None
    }
}

/// How alike two folded first names of at least 4 letters are spelled, 0 to
/// 1: Jaro-Winkler (strsim) over their [`skeleton`]s, so `Sophia` / `Sofia`
/// are the same and `Mohammed` / `Muhammad` close. `None` for shorter
/// names, and for names that differ only in a final a / o (Mario / Maria:
/// another person).
pub(crate) fn similarity(a: &str, a_skeleton: &str, b: &str) -> Option<f64> {
    if a.chars().count() < 4 || b.chars().count() < 4 {
        return None;
    }
    let stem = |s: &'_ str| s.strip_suffix(['a', 'o']).map(str::to_string);
    if let (Some(x), Some(y)) = (stem(a), stem(b)) {
        if x == y {
            return None;
        }
    }
    Some(strsim::jaro_winkler(a_skeleton, &skeleton(b)))
}

/// A name with the spellings of one sound made one: `ph` -> `f`, `c`, `q`,
/// `ck`, `kh` -> `k`, `th` -> `t`, `z` -> `s`, `y` -> `i`, `w` -> `v`, no `h`
/// after the first letter, no doubled letters (`Mohammed` -> `moamed`).
pub(crate) fn skeleton(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let chars: Vec<char> = name.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let next = chars.get(i + 1).copied();
        let (c, step) = match (chars[i], next) {
            ('p', Some('h')) => ('f', 2),
            ('c', Some('k')) | ('k', Some('h')) => ('k', 2),
            ('t', Some('h')) => ('t', 2),
            ('c' | 'q', _) => ('k', 1),
            ('z', _) => ('s', 1),
            ('y', _) => ('i', 1),
            ('w', _) => ('v', 1),
            (c, _) => (c, 1),
        };
        i += step;
        if (c == 'h' && !out.is_empty()) || out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    out
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

/// The first form address that is also one of `other`'s.
fn address(form: &Profile<'_>, other: &Profile<'_>) -> Option<Evidence> {
    let a = form.addresses.iter().find(|a| other.addresses.iter().any(|b| a.same(b)))?;
    Some(Evidence::new(F::Address, ADDRESS, format!("address matches ({})", a.text)))
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
