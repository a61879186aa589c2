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

    /// The words of the mailbox name (`maria.stanindale52@` -> `maria`,
    /// `stanindale`), letters only, folded like names; at most four.
    pub fn name_words(&self) -> Vec<String> {
        let local = self.folded.split('@').next().unwrap_or_default();
        local.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().count() >= 2).take(4).map(super::fold).collect()
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

/// Whether mailbox `words` ([`MatchEmail::name_words`]) spell `first` and
/// `last` (folded, joined name keys): as two of the words, or written
/// together (`mariastanindale`, `stanindalemaria`).
pub fn spells_name(words: &[String], first: &str, last: &str) -> bool {
    if first.chars().count() < 2 || last.chars().count() < 2 {
        return false;
    }
    if words.iter().any(|w| w == first) && words.iter().any(|w| w == last) {
        return true;
    }
    words.iter().any(|w| {
        (w.starts_with(first) && w[first.len()..] == *last) || (w.starts_with(last) && w[last.len()..] == *first)
    })
}

/// Mail providers families use most; their domains are typed often, and
/// mistyped (`gmial.com`, `gmail.con`, `hotmial.com`).
const PROVIDERS: &[&str] = &[
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "icloud.com",
    "aol.com",
    "live.com",
    "msn.com",
    "comcast.net",
    "att.net",
    "sbcglobal.net",
    "verizon.net",
    "bellsouth.net",
    "charter.net",
    "cox.net",
    "me.com",
    "ymail.com",
    "rocketmail.com",
    "protonmail.com",
    "mail.com",
];

/// The provider's domain a mistyped `domain` (folded) stands for: one edit
/// from a provider's domain and not a provider itself.
pub fn provider_typo(domain: &str) -> Option<&'static str> {
    if PROVIDERS.contains(&domain) || domain.len() < 6 {
        return None;
    }
    PROVIDERS.iter().copied().find(|p| super::typo::one_edit_apart(domain, p))
}

/// How two addresses nearly agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailNearMiss {
    /// The same mailbox at a mistyped provider (`ana@gmial.com`).
    ProviderTypo,
    /// The mailbox names differ by one letter (`ana.dias@` / `ana.diaz@`).
    OneLetter,
}

impl EmailNearMiss {
    /// In words, for the evidence.
    pub fn words(self) -> &'static str {
        match self {
            EmailNearMiss::ProviderTypo => "matches apart from a typo in the provider",
            EmailNearMiss::OneLetter => "differs by one letter",
        }
    }
}

/// The shortest mailbox name (before @) whose one-letter typos count: in
/// shorter ones one letter is too much of the name.
const MIN_LOCAL_TYPO: usize = 5;

fn split(folded: &str) -> (&str, &str) {
    folded.rsplit_once('@').unwrap_or((folded, ""))
}

/// Whether two mailbox names one edit apart differ in a digit or a
/// separator: namesakes' addresses often do (`maria.garcia7@` /
/// `maria.garcia8@`, `maria.garcia@` / `maria_garcia@`), so that is no typo
/// evidence.
fn differs_in_a_digit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    let middle = |s: &[u8]| s[head.min(s.len())..s.len().saturating_sub(tail).max(head.min(s.len()))].to_vec();
    middle(a).iter().chain(&middle(b)).any(|c| c.is_ascii_digit() || b"._-+".contains(c))
}

/// The domain with a provider typo corrected.
fn corrected(domain: &str) -> &str {
    provider_typo(domain).unwrap_or(domain)
}

impl MatchEmail {
    /// How this address nearly agrees with `other` (folded, never when
    /// they are the same address).
    pub fn near_miss(&self, other: &MatchEmail) -> Option<EmailNearMiss> {
        if self.folded == other.folded {
            return None;
        }
        let ((la, da), (lb, db)) = (split(&self.folded), split(&other.folded));
        if corrected(da) != corrected(db) {
            return None;
        }
        if la == lb {
            return Some(EmailNearMiss::ProviderTypo);
        }
        let long_enough = la.len().max(lb.len()) >= MIN_LOCAL_TYPO;
        let typo = long_enough && super::typo::one_edit_apart(la, lb) && !differs_in_a_digit(la, lb);
        typo.then_some(EmailNearMiss::OneLetter)
    }

    /// The address with a mistyped provider corrected (`ana@gmial.com` ->
    /// `ana@gmail.com`), if it has one: its index key.
    pub fn corrected_key(&self) -> Option<u64> {
        let (local, domain) = split(&self.folded);
        provider_typo(domain).map(|p| crate::lookup::fnv1a(local.bytes().chain(*b"@").chain(p.bytes())))
    }

    /// The typo keys of this address (symmetric deletion): the address
    /// itself and each one-letter deletion of its mailbox name, at its
    /// provider's corrected domain. Two addresses one letter (or one swap)
    /// apart share a typo key; an index of every person's typo keys finds
    /// them with a few lookups instead of a thousand variants.
    pub fn typo_keys(&self) -> Vec<u32> {
        let (local, domain) = split(&self.folded);
        let tail = ["@", corrected(domain)].concat();
        let key = |bytes: &mut dyn Iterator<Item = u8>| short_hash(crate::lookup::fnv1a(bytes.chain(tail.bytes())));
        let mut out = vec![key(&mut local.bytes())];
        if local.len() < MIN_LOCAL_TYPO || !local.is_ascii() {
            return out;
        }
        let l = local.as_bytes();
        for i in 0..l.len() {
            out.push(key(&mut l[..i].iter().chain(&l[i + 1..]).copied()));
        }
        crate::sort::values(&mut out);
        out.dedup();
        out
    }
}

fn short_hash(h: u64) -> u32 {
    (h ^ (h >> 32)) as u32
}

/// The index key of a folded address (FNV-1a, 64 bits; deterministic on
/// every platform). Hits are verified against the address itself.
pub fn email_key(folded: &str) -> u64 {
    crate::lookup::fnv1a(folded.bytes())
}

#[cfg(test)]
mod name_tests {
    use super::{spells_name, MatchEmail};

    #[test]
    fn a_mailbox_may_spell_a_name() {
        let e = |s: &str| MatchEmail::parse(s).unwrap().name_words();
        assert_eq!(e("Maria.Stanindale52@gmail.com"), ["maria", "stanindale"]);
        for yes in ["maria.stanindale52@gmail.com", "stanindale_maria@yahoo.com", "mariastanindale@gmail.com"] {
            assert!(spells_name(&e(yes), "maria", "stanindale"), "{yes}");
        }
        for no in ["maria52@gmail.com", "mstanindale@gmail.com"] {
            assert!(!spells_name(&e(no), "maria", "stanindale"), "{no}");
        }
    }
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
    fn near_misses_are_a_provider_typo_or_one_letter() {
        let e = |s: &str| MatchEmail::parse(s).unwrap();
        let said = |a: &str, b: &str| e(a).near_miss(&e(b)).map(EmailNearMiss::words);
        assert_eq!(said("ana.diaz@gmial.com", "ana.diaz@gmail.com"), Some("matches apart from a typo in the provider"));
        assert_eq!(said("ana.diaz@gmail.con", "Ana.Diaz@gmail.com"), Some("matches apart from a typo in the provider"));
        assert_eq!(said("ana.dias@gmail.com", "ana.diaz@gmail.com"), Some("differs by one letter"));
        assert_eq!(said("ana.dias@hotmial.com", "ana.diaz@hotmail.com"), Some("differs by one letter"));
        assert_eq!(said("ana.diaz@gmail.com", "ana.diaz@gmail.com"), None, "the same is no near miss");
        assert_eq!(said("ana.diaz@example.org", "ana.diaz@example.com"), None, "not a provider");
        assert_eq!(said("ana@gmail.com", "ena@gmail.com"), None, "too short a mailbox");
        assert_eq!(said("ana.diaz@gmail.com", "ana.ruiz@gmail.com"), None);
        assert_eq!(said("maria.garcia7@gmail.com", "maria.garcia8@gmail.com"), None, "namesakes' numbers");
        assert_eq!(said("maria.garcia@gmail.com", "maria.garcia1@gmail.com"), None);
        assert_eq!(said("maria.garcia@gmail.com", "maria_garcia@gmail.com"), None, "namesakes' separators");
        assert_eq!(said("maria.garcia@gmail.com", "mariagarcia@gmail.com"), None);
        assert_eq!(provider_typo("mail.com"), None, "a provider itself");
        // Every near miss shares a typo key (or is the corrected address).
        for (a, b) in [
            ("ana.diaz@gmial.com", "ana.diaz@gmail.com"),
            ("ana.dias@gmail.com", "ana.diaz@gmail.com"),
            ("ana.daz@gmail.com", "ana.diaz@gmail.com"),
            ("ana.diazz@gmail.com", "ana.diaz@gmail.com"),
            ("ana.daiz@yaho.com", "ana.diaz@yahoo.com"),
        ] {
            let (x, y) = (e(a).typo_keys(), e(b).typo_keys());
            assert!(x.iter().any(|k| y.contains(k)), "{a} -> {b}");
        }
        assert_eq!(e("ana.diaz@gmial.com").corrected_key(), Some(email_key("ana.diaz@gmail.com")));
        assert_eq!(e("ana.diaz@gmail.com").corrected_key(), None);
        let (x, y) = (e("ana.diaz@gmail.com").typo_keys(), e("bob.ruiz@gmail.com").typo_keys());
        assert!(!x.iter().any(|k| y.contains(k)), "two edits apart share no key");
    }

    #[test]
    fn malformed_addresses_say_why() {
        check("ana.diaz@", "a@b.org", expect!["not an email: the domain after @ is not valid"]);
        check("ana diaz@example.org", "a@b.org", expect!["not an email: contains a space or control character"]);
    }
}
