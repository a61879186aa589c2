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

/// How two North American numbers nearly agree: the typos people make
/// typing a number they know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneNearMiss {
    /// Two neighbouring digits swapped (`...3344` / `...3434`).
    Swapped,
    /// One digit wrong.
    OneDigit,
}

impl PhoneNearMiss {
    /// In words, for the evidence.
    pub fn words(self) -> &'static str {
        match self {
            PhoneNearMiss::Swapped => "differs by two swapped digits",
            PhoneNearMiss::OneDigit => "differs by one digit",
        }
    }
}

/// The ten digits of a North American key, or `None` for an international one.
fn ten_digits(key: u64) -> Option<[u8; 10]> {
    if key & 1 << 62 != 0 || key >= 10_000_000_000 {
        return None;
    }
    let mut d = [0u8; 10];
    let mut k = key;
    for slot in d.iter_mut().rev() {
        *slot = (k % 10) as u8;
        k /= 10;
    }
    Some(d)
}

fn key_of(d: &[u8; 10]) -> u64 {
    d.iter().fold(0u64, |k, &x| k * 10 + u64::from(x))
}

/// How keys `a` and `b` nearly agree, if they do (never when equal, and
/// only for North American numbers).
pub fn near_miss(a: u64, b: u64) -> Option<PhoneNearMiss> {
    let (x, y) = (ten_digits(a)?, ten_digits(b)?);
    let differ: Vec<usize> = (0..10).filter(|&i| x[i] != y[i]).collect();
    match differ[..] {
        [_] => Some(PhoneNearMiss::OneDigit),
        [i, j] if j == i + 1 && x[i] == y[j] && x[j] == y[i] => Some(PhoneNearMiss::Swapped),
        _ => None,
    }
}

/// Every key one typo from `key` (9 swaps of neighbouring digits and 90
/// single-digit changes), for looking near misses up in the index.
pub fn near_keys(key: u64) -> Vec<u64> {
    let Some(d) = ten_digits(key) else { return Vec::new() };
    let mut out = Vec::with_capacity(99);
    for i in 0..9 {
        if d[i] != d[i + 1] {
            let mut s = d;
            s.swap(i, i + 1);
            out.push(key_of(&s));
        }
    }
    for i in 0..10 {
        for v in 0..10u8 {
            if v != d[i] {
                let mut s = d;
                s[i] = v;
                out.push(key_of(&s));
            }
        }
    }
    out
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
    fn near_misses_are_one_swap_or_one_digit() {
        let k = |s: &str| MatchPhone::parse(s).unwrap().key;
        let said = |a: &str, b: &str| near_miss(k(a), k(b)).map(PhoneNearMiss::words);
        assert_eq!(said("555-201-3344", "555-201-3434"), Some("differs by two swapped digits"));
        assert_eq!(said("555-201-3344", "555-201-3345"), Some("differs by one digit"));
        assert_eq!(said("555-201-3344", "455-201-3344"), Some("differs by one digit"));
        assert_eq!(said("555-201-3344", "555-201-3344"), None, "equal is not a near miss");
        assert_eq!(said("555-201-3344", "555-201-4433"), None, "two changes");
        assert_eq!(said("555-201-3344", "555-210-3443"), None);
        assert_eq!(said("+44 20 7946 0958", "+44 20 7946 0985"), None, "North American numbers only");
        let near = near_keys(k("555-201-3344"));
        assert_eq!(near.len(), 90 + 5, "swapping equal neighbours (55, 55, 33, 44) changes nothing");
        assert!(near.contains(&k("555-201-3434")) && near.contains(&k("555-201-3345")));
        assert!(near.iter().all(|&n| near_miss(k("555-201-3344"), n).is_some()));
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
