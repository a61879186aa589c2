use std::fmt;

use super::{serde_via_string, ValueError};

/// A phone number as PowerSchool stores it: North American numbers as 10
/// digits (a leading `1`/`+1` dropped), international numbers as `+` and
/// digits, and an extension kept apart.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Phone {
    number: String,
    extension: Option<String>,
}

impl Phone {
    /// Parses a phone number as people type it: `(555) 201-3344`,
    /// `555.201.3344 x12`, `+1 555 201 3344`, `+44 20 7946 0958`.
    pub fn parse(raw: &str) -> Result<Phone, ValueError> {
        let s = raw.trim();
        let bad = |p: &str| ValueError::new("phone", p, raw);
        if s.is_empty() {
            return Err(bad("is empty"));
        }
        let lower = s.to_lowercase();
        let (main, ext) = match ["ext.", "ext", "x", "#"].iter().find_map(|m| lower.find(m).map(|i| (i, m.len()))) {
            Some((i, len)) => (&s[..i], Some(&s[i + len..])),
            None => (s, None),
        };
        if main.chars().any(|c| !(c.is_ascii_digit() || " ()-.+/".contains(c))) {
            return Err(bad("contains characters that are not part of a phone number"));
        }
        let international = main.trim_start().starts_with('+');
        let digits: String = main.chars().filter(char::is_ascii_digit).collect();
        let number = if international && !digits.starts_with('1') {
            if !(8..=15).contains(&digits.len()) {
                return Err(bad("an international number has 8 to 15 digits"));
            }
            format!("+{digits}")
        } else {
            let national = match digits.len() {
                11 if digits.starts_with('1') => &digits[1..],
                10 => &digits[..],
                _ => return Err(bad("expected 10 digits (North American) or +country code")),
            };
            national.to_string()
        };
        let extension = match ext {
            Some(e) => {
                let e = e.trim();
                if e.is_empty() || e.len() > 8 || !e.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad("the extension must be 1 to 8 digits"));
                }
                Some(e.to_string())
            }
            None => None,
        };
        Ok(Phone { number, extension })
    }

    /// The number without extension: 10 digits, or `+` and digits.
    pub fn number(&self) -> &str {
        &self.number
    }

    /// The extension, if any.
    pub fn extension(&self) -> Option<&str> {
        self.extension.as_deref()
    }

    /// The number as people read it: `555-201-3344`.
    pub fn formatted(&self) -> String {
        if self.number.len() == 10 && !self.number.starts_with('+') {
            format!("{}-{}-{}", &self.number[..3], &self.number[3..6], &self.number[6..])
        } else {
            self.number.clone()
        }
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formatted())?;
        if let Some(ext) = &self.extension {
            write!(f, " x{ext}")?;
        }
        Ok(())
    }
}

serde_via_string!(Phone);

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(input: &str, expect: Expect) {
        let actual = match Phone::parse(input) {
            Ok(p) => format!("{} ext={:?} shown={p}", p.number(), p.extension()),
            Err(e) => format!("error: {e}"),
        };
        expect.assert_eq(&actual);
    }

    #[test]
    fn normalises_north_american_numbers() {
        check("(555) 201-3344", expect![[r#"5552013344 ext=None shown=555-201-3344"#]]);
        check("+1 555 201 3344", expect![[r#"5552013344 ext=None shown=555-201-3344"#]]);
        check("1-555-201-3344 x12", expect![[r#"5552013344 ext=Some("12") shown=555-201-3344 x12"#]]);
        check("555.201.3344 ext. 7", expect![[r#"5552013344 ext=Some("7") shown=555-201-3344 x7"#]]);
    }

    #[test]
    fn keeps_international_numbers() {
        check("+44 20 7946 0958", expect![[r#"+442079460958 ext=None shown=+442079460958"#]]);
    }

    #[test]
    fn refuses_malformed() {
        check(
            "555-1234",
            expect![[r#"error: phone: expected 10 digits (North American) or +country code ("555-1234")"#]],
        );
        check(
            "call me",
            expect![[r#"error: phone: contains characters that are not part of a phone number ("call me")"#]],
        );
        check(
            "555 201 3344 xab",
            expect![[r#"error: phone: the extension must be 1 to 8 digits ("555 201 3344 xab")"#]],
        );
    }
}
