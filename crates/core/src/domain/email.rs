use std::fmt;

use super::{serde_via_string, ValueError};

/// An email address: trimmed, one `@`, a non-empty local part, a domain with a
/// dot, no spaces. The domain is lower-cased (domains are case-insensitive);
/// the local part keeps its case, because mailbox names may be case-sensitive.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Email(String);

impl Email {
    /// Parses an email address.
    pub fn parse(raw: &str) -> Result<Email, ValueError> {
        let s = raw.trim();
        let bad = |p: &str| ValueError::new("email", p, raw);
        if s.is_empty() {
            return Err(bad("is empty"));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("contains a space or control character"));
        }
        let (local, domain) = s.rsplit_once('@').ok_or_else(|| bad("has no @"))?;
        if local.is_empty() || local.contains('@') {
            return Err(bad("expected exactly one @ with a name before it"));
        }
        if domain.len() < 3
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
        {
            return Err(bad("the domain after @ is not valid"));
        }
        if s.len() > 254 {
            return Err(bad("is longer than 254 characters"));
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The whole address lower-cased: the key under which two addresses are
    /// "the same email" for PowerSchool's duplicate rules.
    pub fn folded(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

serde_via_string!(Email);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_domain_only() {
        let e = Email::parse(" Ana.Diaz@Example.ORG ").unwrap();
        assert_eq!(e.as_str(), "Ana.Diaz@example.org");
        assert_eq!(e.folded(), "ana.diaz@example.org");
    }

    #[test]
    fn refuses_malformed() {
        for bad in
            ["", "no-at.example.org", "@example.org", "a@b", "a b@example.org", "a@@example.org", "a@example..org"]
        {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
