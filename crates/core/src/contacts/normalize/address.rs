//! Street addresses as matching compares them: the house number and the
//! street in one spelling (`12 Elm Street` = `12 elm st.`), the unit and
//! the place kept apart. An address is a household's, not a person's: it
//! supports a name, it never identifies a person alone.

use super::fold::fold;
use crate::lookup::fnv1a;

/// An address normalised for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchAddress {
    /// The house number (`12`, `12b`).
    pub number: String,
    /// The street: folded words, suffixes and directions abbreviated the
    /// way USPS does (`north elm street` -> `n elm st`).
    pub street: String,
    /// The apartment or unit (`4` of `Apt 4`, `#4`), if given.
    pub unit: Option<String>,
    /// The five-digit ZIP code, if given.
    pub zip: Option<String>,
    /// The city, folded, if given.
    pub city: String,
    /// The address as typed, for the evidence's words.
    pub text: String,
}

/// USPS abbreviations of common street suffixes and directions.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("street", "st"),
    ("avenue", "ave"),
    ("av", "ave"),
    ("road", "rd"),
    ("drive", "dr"),
    ("lane", "ln"),
    ("boulevard", "blvd"),
    ("court", "ct"),
    ("place", "pl"),
    ("circle", "cir"),
    ("terrace", "ter"),
    ("parkway", "pkwy"),
    ("highway", "hwy"),
    ("trail", "trl"),
    ("square", "sq"),
    ("north", "n"),
    ("south", "s"),
    ("east", "e"),
    ("west", "w"),
    ("northeast", "ne"),
    ("northwest", "nw"),
    ("southeast", "se"),
    ("southwest", "sw"),
];

/// Words that start a unit inside the street line (`12 Elm St Apt 4`).
const UNIT_WORDS: &[&str] = &["apt", "apartment", "unit", "ste", "suite", "no", "lot", "rm"];

impl MatchAddress {
    /// Reads a street line with its unit, city and postal code. `None` when
    /// the street has no house number or no street name (nothing to compare).
    pub fn parse(street: &str, unit: &str, city: &str, postal_code: &str) -> Option<MatchAddress> {
        let folded = fold(&street.replace('#', " apt "));
        let mut words = folded.split(' ').filter(|w| !w.is_empty());
        let first = words.next()?;
        let mut in_line = None;
        let (number, rest): (String, Vec<&str>) = if first == "po" || first == "pobox" {
            let rest: Vec<&str> = words.collect();
            let n = rest.iter().find(|w| w.chars().all(|c| c.is_ascii_digit()))?;
            (n.to_string(), vec!["po", "box"])
        } else if first.starts_with(|c: char| c.is_ascii_digit()) {
            let rest: Vec<&str> = words.collect();
            let at = rest.iter().position(|w| UNIT_WORDS.contains(w)).unwrap_or(rest.len());
            in_line = unit_of(&rest[at..]);
            (first.to_string(), rest[..at].to_vec())
        } else {
            return None;
        };
        let unit = unit_of(&fold(&unit.replace('#', " apt ")).split(' ').collect::<Vec<_>>()).or(in_line);
        let street_words: Vec<&str> = rest
            .iter()
            .map(|w| ABBREVIATIONS.iter().find(|(long, _)| long == w).map_or(*w, |(_, short)| short))
            .collect();
        if street_words.is_empty() {
            return None;
        }
        let digits: String = postal_code.chars().filter(char::is_ascii_digit).take(5).collect();
        Some(MatchAddress {
            number,
            street: street_words.join(" "),
            unit,
            zip: (digits.len() == 5).then_some(digits),
            city: fold(city),
            text: street.split_whitespace().collect::<Vec<_>>().join(" "),
        })
    }

    /// The index key: house number and street (the place is checked when
    /// comparing, so an address typed without its ZIP code is still found).
    pub fn key(&self) -> u64 {
        fnv1a(self.number.bytes().chain([b'|']).chain(self.street.bytes()))
    }

    /// Whether both are the same address: the same number and street, and
    /// the same unit and ZIP code (or city) where both give one.
    pub fn same(&self, other: &MatchAddress) -> bool {
        if self.number != other.number || self.street != other.street {
            return false;
        }
        if let (Some(a), Some(b)) = (&self.unit, &other.unit) {
            if a != b {
                return false;
            }
        }
        match (&self.zip, &other.zip) {
            (Some(a), Some(b)) => a == b,
            _ => self.city.is_empty() || other.city.is_empty() || self.city == other.city,
        }
    }
}

/// The unit of words like `apt 4` / `unit 4b` / `4` (the unit words dropped).
fn unit_of(words: &[&str]) -> Option<String> {
    let unit: Vec<&str> = words.iter().copied().filter(|w| !w.is_empty() && !UNIT_WORDS.contains(w)).collect();
    (!unit.is_empty()).then(|| unit.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(street: &str, city: &str, zip: &str) -> Option<MatchAddress> {
        MatchAddress::parse(street, "", city, zip)
    }

    #[test]
    fn spellings_of_one_address_are_the_same() {
        let a = parse("12 North Elm Street", "Springfield", "55401").unwrap();
        for (street, city, zip) in [
            ("12 N. Elm St", "Springfield", "55401-1234"),
            ("12 n elm st apt 4", "", ""),
            ("12 N Elm St #4", "SPRINGFIELD", ""),
            ("  12   North  Elm  St.  ", "", "55401"),
        ] {
            let b = parse(street, city, zip).unwrap();
            assert!(a.same(&b), "{street} {city} {zip}");
            assert_eq!(a.key(), b.key(), "{street}");
        }
    }

    #[test]
    fn other_numbers_streets_and_places_differ() {
        let a = MatchAddress::parse("12 Elm St", "Apt 4", "Springfield", "55401").unwrap();
        for (street, city, zip) in [
            ("14 Elm St", "Springfield", "55401"),
            ("12 Elm Ave", "Springfield", "55401"),
            ("12 Elm St", "Springfield", "55402"),
            ("12 Elm St", "Hudson", ""),
            ("12 Elm St Apt 5", "", ""),
        ] {
            assert!(!a.same(&parse(street, city, zip).unwrap()), "{street} {city} {zip}");
        }
    }

    #[test]
    fn a_unit_given_on_one_side_only_does_not_tell_addresses_apart() {
        let stored = MatchAddress::parse("12 Elm St", "Apt 4", "", "55401").unwrap();
        assert_eq!(stored.unit.as_deref(), Some("4"));
        for street in ["12 Elm St #4", "12 Elm Street Unit 4", "12 Elm St"] {
            assert!(stored.same(&parse(street, "", "55401").unwrap()), "{street}");
        }
    }

    #[test]
    fn a_street_without_a_number_or_name_is_not_compared() {
        assert_eq!(parse("Elm Street", "", ""), None);
        assert_eq!(parse("12", "", ""), None);
        assert_eq!(parse("", "", ""), None);
        let po = parse("P.O. Box 77", "", "55401").unwrap();
        assert_eq!((po.number.as_str(), po.street.as_str()), ("77", "po box"));
    }
}
