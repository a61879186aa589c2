//! Contact details as people write them, for both generators: phone
//! numbers in their styles, email addresses (the mailbox patterns, the free
//! providers and employers' domains, capitals), and the street line of an
//! address.

use crate::names::{ascii_key, EMAIL_DOMAINS, WORK_DOMAINS};
use crate::rng::Rng;

/// How a phone number is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PhoneStyle {
    /// `(555) 201-3344`
    Paren,
    /// `555-201-3344`
    Dash,
    /// `555.201.3344`
    Dots,
    /// `5552013344`
    Plain,
    /// `+1 555 201 3344`
    Plus,
    /// `1-555-201-3344`
    Trunk,
}

/// Writes 10 digits in `style`; any other number as it is.
pub(crate) fn phone_text(digits: &str, style: PhoneStyle) -> String {
    if digits.len() != 10 {
        return digits.to_string();
    }
    let (a, b, c) = (&digits[..3], &digits[3..6], &digits[6..]);
    match style {
        PhoneStyle::Paren => format!("({a}) {b}-{c}"),
        PhoneStyle::Dash => format!("{a}-{b}-{c}"),
        PhoneStyle::Dots => format!("{a}.{b}.{c}"),
        PhoneStyle::Plain => digits.to_string(),
        PhoneStyle::Plus => format!("+1 {a} {b} {c}"),
        PhoneStyle::Trunk => format!("1-{a}-{b}-{c}"),
    }
}

/// A phone as a form gives it: 10 digits in any style (dashes twice as
/// often as the others), an extension after ` x` or ` ext. `.
pub(crate) fn typed_phone(rng: &mut Rng, digits: &str, extension: &str) -> String {
    use PhoneStyle::*;
    let style = [Dash, Dash, Paren, Dots, Plain, Plus, Trunk][rng.below(7)];
    let mut s = phone_text(digits, style);
    if !extension.is_empty() {
        s.push_str(if rng.percent(50) { " x" } else { " ext. " });
        s.push_str(extension);
    }
    s
}

/// A name's ASCII key for an email address or username, or `fallback` when
/// nothing of it is left (`José` -> `jose`).
pub(crate) fn key_or(s: &str, fallback: &str) -> String {
    let k = ascii_key(s);
    if k.is_empty() {
        fallback.to_string()
    } else {
        k
    }
}

/// A personal mailbox name from the keys of a first and last name
/// (`maria.delgado`, `mdelgado`, `delgado.m`, `mariadelgado84`).
pub(crate) fn mailbox(rng: &mut Rng, first: &str, last: &str) -> String {
    let initial = &first[..first.len().min(1)];
    match rng.below(7) {
        0 | 1 => format!("{first}.{last}"),
        2 => format!("{initial}{last}"),
        3 => format!("{first}{last}"),
        4 => format!("{first}_{last}"),
        5 => format!("{last}.{initial}"),
        _ => format!("{first}{last}{}", rng.range(70, 99)),
    }
}

/// A free email provider, by how many people use it.
pub(crate) fn free_domain(rng: &mut Rng) -> &'static str {
    EMAIL_DOMAINS[rng.weighted(&EMAIL_DOMAINS.map(|(_, w)| w))].0
}

/// A work mailbox name and its employer's domain (`mdelgado`,
/// `contoso.com`).
pub(crate) fn work_mailbox(rng: &mut Rng, first: &str, last: &str) -> (String, &'static str) {
    let local =
        if rng.percent(50) { format!("{}{last}", &first[..first.len().min(1)]) } else { format!("{first}.{last}") };
    (local, rng.choose(WORK_DOMAINS))
}

/// `maria.delgado@gmail.com` -> `Maria.Delgado@gmail.com` (some people
/// register their address with capitals, and some systems store it so; the
/// domain stays lower-case).
pub(crate) fn capitalise_words(email: &str) -> String {
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let mut out = String::with_capacity(email.len());
    let mut start = true;
    for c in local.chars() {
        out.push(if start { c.to_ascii_uppercase() } else { c });
        start = !c.is_ascii_alphanumeric();
    }
    format!("{out}@{domain}")
}

/// A house: its number, street and suffix (short, long), as both
/// generators draw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StreetLine {
    pub number: i64,
    pub street: &'static str,
    pub suffix: (&'static str, &'static str),
}

impl StreetLine {
    /// A house numbered 100 to 3999 on one of `streets`, with one of
    /// `suffixes`.
    pub fn random(rng: &mut Rng, streets: &[&'static str], suffixes: &[(&'static str, &'static str)]) -> StreetLine {
        StreetLine { number: rng.range(100, 3999), street: rng.choose(streets), suffix: rng.choose(suffixes) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_and_emails_are_written_as_people_write_them() {
        assert_eq!(phone_text("6515550147", PhoneStyle::Plus), "+1 651 555 0147");
        assert_eq!(phone_text("+252612345678", PhoneStyle::Paren), "+252612345678");
        assert_eq!(capitalise_words("maria.delgado-ruiz2@gmail.com"), "Maria.Delgado-Ruiz2@gmail.com");
        assert_eq!(key_or("Đặng", "x"), "dang");
        assert_eq!(key_or("---", "x"), "x");
        let mut rng = Rng::new(2);
        for _ in 0..50 {
            let typed = typed_phone(&mut rng, "6515550147", "12");
            let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
            assert!(digits.ends_with("651555014712") && typed.ends_with("12"), "{typed}");
        }
    }
}
