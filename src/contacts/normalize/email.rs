//! Email addresses as match keys: trimmed, the domain lower-cased. Two
//! addresses that differ only in the case of the local part are weaker
//! evidence than identical ones: mailbox names may be case-sensitive, so they
//! are never taken as the same identity.

use crate::domain::Email;

/// An email address ready for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchEmail {
    /// The address, trimmed, domain lower-cased.
    pub email: Email,
    /// The whole address lower-cased: the index key.
    pub folded: String,
}

/// How two addresses agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailAgreement {
    /// The same address (the domain's case aside).
    Same,
    /// The local parts differ in case only (`Ana.Diaz@` vs `ana.diaz@`).
    CaseOnly,
    /// Different addresses.
    Different,
}

impl MatchEmail {
    /// Parses an address, or says why it is not one.
    pub fn parse(raw: &str) -> Result<MatchEmail, String> {
        let email = Email::parse(raw).map_err(|e| e.problem)?;
        let folded = email.folded();
        Ok(MatchEmail { email, folded })
    }

    /// How this address agrees with `other`.
    pub fn agreement(&self, other: &MatchEmail) -> EmailAgreement {
        if self.email == other.email {
            EmailAgreement::Same
        } else if self.folded == other.folded {
            EmailAgreement::CaseOnly
        } else {
            EmailAgreement::Different
        }
    }
}

/// The index key of a folded address (FNV-1a, 64 bits; deterministic on
/// every platform). Hits are verified against the address itself.
pub fn email_key(folded: &str) -> u64 {
    super::hash_bytes(folded.bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(a: &str, b: &str, expect: Expect) {
        let actual = match (MatchEmail::parse(a), MatchEmail::parse(b)) {
            (Ok(x), Ok(y)) => format!("{} / {}: {:?}", x.email, y.email, x.agreement(&y)),
            (Err(e), _) | (_, Err(e)) => format!("not an email: {e}"),
        };
        expect.assert_eq(&actual);
    }

    #[test]
    fn domain_case_and_spaces_do_not_matter() {
        check(
            " ana.diaz@Example.ORG ",
            "ana.diaz@example.org",
            expect!["ana.diaz@example.org / ana.diaz@example.org: Same"],
        );
    }

    #[test]
    fn local_part_case_is_weaker() {
        check(
            "Ana.Diaz@example.org",
            "ana.diaz@example.org",
            expect!["Ana.Diaz@example.org / ana.diaz@example.org: CaseOnly"],
        );
        check(
            "ana.diaz@example.org",
            "ana.dias@example.org",
            expect!["ana.diaz@example.org / ana.dias@example.org: Different"],
        );
    }

    #[test]
    fn malformed_addresses_say_why() {
        check("ana.diaz@", "a@b.org", expect!["not an email: the domain after @ is not valid"]);
        check("ana diaz@example.org", "a@b.org", expect!["not an email: contains a space or control character"]);
    }
}
