//! Phone numbers as match keys: digits only, North American numbers as 10
//! digits (with or without `+1`), international numbers kept with `+`, the
//! extension kept apart. Parsing is [`crate::domain::Phone`]'s.

use crate::domain::Phone;

/// A phone number ready for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchPhone {
    /// The parsed number.
    pub phone: Phone,
    /// The number as one integer: the digits, with bit 62 set for
    /// international numbers (so `+44...` never equals a North American number).
    pub key: u64,
}

impl MatchPhone {
    /// Parses a phone as typed on a form (`(555) 201-3344 x12`), or says why
    /// it is not a phone number.
    pub fn parse(raw: &str) -> Result<MatchPhone, String> {
        let phone = Phone::parse(raw).map_err(|e| e.problem)?;
        Ok(MatchPhone::from_phone(phone))
    }

    /// A phone as PowerSchool stores it: the number (`PhoneNumber`, falling
    /// back to `PhoneNumberAsEntered`) and the extension column apart.
    pub fn from_stored(number: &str, extension: &str, as_entered: &str) -> Option<MatchPhone> {
        let main = if number.trim().is_empty() { as_entered } else { number };
        let ext = extension.trim();
        let text = if ext.is_empty() { main.to_string() } else { format!("{main} x{ext}") };
        MatchPhone::parse(&text).or_else(|_| MatchPhone::parse(main)).ok()
    }

    fn from_phone(phone: Phone) -> MatchPhone {
        let n = phone.number();
        let digits = n
            .bytes()
            .filter(u8::is_ascii_digit)
            .fold(0u64, |k, d| k.wrapping_mul(10).wrapping_add(u64::from(d - b'0')));
        let key = if n.starts_with('+') { digits | 1 << 62 } else { digits };
        MatchPhone { phone, key }
    }

    /// The extension, if any.
    pub fn extension(&self) -> Option<&str> {
        self.phone.extension()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(input: &str, expect: Expect) {
        let actual = match MatchPhone::parse(input) {
            Ok(p) => format!("key={} ext={:?} shown={}", p.key, p.extension(), p.phone),
            Err(e) => format!("not a phone: {e}"),
        };
        expect.assert_eq(&actual);
    }

    #[test]
    fn north_american_numbers_become_ten_digits() {
        check("(555) 201-3344", expect!["key=5552013344 ext=None shown=555-201-3344"]);
        check("+1 555 201 3344", expect!["key=5552013344 ext=None shown=555-201-3344"]);
        check("1.555.201.3344", expect!["key=5552013344 ext=None shown=555-201-3344"]);
        check("5552013344 ext. 12", expect![[r#"key=5552013344 ext=Some("12") shown=555-201-3344 x12"#]]);
    }

    #[test]
    fn international_numbers_keep_their_plus() {
        check("+44 20 7946 0958", expect!["key=4611686460506848862 ext=None shown=+442079460958"]);
        check("+52 55 1234 5678", expect!["key=4611686543939733582 ext=None shown=+525512345678"]);
    }

    #[test]
    fn malformed_numbers_say_why() {
        check("555-12", expect!["not a phone: expected 10 digits (North American) or +country code"]);
        check("", expect!["not a phone: is empty"]);
        check("call after 5", expect!["not a phone: contains characters that are not part of a phone number"]);
    }

    #[test]
    fn stored_numbers_use_the_extension_column() {
        let p = MatchPhone::from_stored("5552013344", "12", "").unwrap();
        assert_eq!((p.key, p.extension()), (5552013344, Some("12")));
        let p = MatchPhone::from_stored("", "", "555-201-3344").unwrap();
        assert_eq!(p.key, 5552013344);
        assert!(MatchPhone::from_stored("12", "", "").is_none());
    }
}
