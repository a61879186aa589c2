use std::fmt;

use super::{serde_via_string, ValueError};

/// The district's student number (`Students.Student_Number`), the key of every
/// import file: 1 to 20 ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StudentNumber(String);

impl StudentNumber {
    /// Parses a student number, trimming surrounding spaces.
    pub fn parse(raw: &str) -> Result<StudentNumber, ValueError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(ValueError::new("student number", "is empty", raw));
        }
        if s.len() > 20 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValueError::new("student number", "expected 1 to 20 digits", raw));
        }
        Ok(StudentNumber(s.to_string()))
    }

    /// The number as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StudentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

serde_via_string!(StudentNumber);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_digits_only() {
        assert_eq!(StudentNumber::parse(" 004512 ").unwrap().as_str(), "004512");
        assert!(StudentNumber::parse("").is_err());
        assert!(StudentNumber::parse("12a").is_err());
        assert!(StudentNumber::parse("123456789012345678901").is_err());
    }
}
