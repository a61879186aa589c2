//! What a relationship on the form says about the contact: a Mother is a
//! woman, a Father a man. Compared with the person's gender in PowerSchool,
//! it tells namesakes apart (Guadalupe, Jordan, Jesús María).

/// A gender as PowerSchool stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    /// `F`.
    Female,
    /// `M`.
    Male,
}

impl Gender {
    /// PowerSchool's `F` / `M` (or the words); `None` for anything else.
    pub fn parse(stored: &str) -> Option<Gender> {
        match stored.trim().to_ascii_lowercase().as_str() {
            "f" | "female" => Some(Gender::Female),
            "m" | "male" => Some(Gender::Male),
            _ => None,
        }
    }

    /// The relationship's gender: `Mother`, `Stepmother`, `Grandmother`,
    /// `Aunt`, `Sister` are female, their counterparts male; `Guardian`,
    /// `Parent`, `Other` say nothing.
    pub fn of_relationship(relationship: &str) -> Option<Gender> {
        let r = super::fold(relationship).replace(' ', "");
        const FEMALE: &[&str] = &["mother", "mom", "aunt", "sister", "grandma", "wife", "madre", "tia", "abuela"];
        const MALE: &[&str] = &["father", "dad", "uncle", "brother", "grandpa", "husband", "padre", "tio", "abuelo"];
        let has = |words: &[&str]| words.iter().any(|w| r.ends_with(w) || r.starts_with(w));
        match (has(FEMALE), has(MALE)) {
            (true, false) => Some(Gender::Female),
            (false, true) => Some(Gender::Male),
            _ => None,
        }
    }

    /// In words: `a woman`, `a man`.
    pub fn words(self) -> &'static str {
        match self {
            Gender::Female => "a woman",
            Gender::Male => "a man",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Gender::{self, *};

    #[test]
    fn relationships_imply_a_gender_or_none() {
        for (r, g) in [
            ("Mother", Some(Female)),
            ("Step-Mother", Some(Female)),
            ("Grandmother", Some(Female)),
            ("AUNT", Some(Female)),
            ("Father", Some(Male)),
            ("Stepfather", Some(Male)),
            ("Grandfather", Some(Male)),
            ("Tío", Some(Male)),
            ("Guardian", None),
            ("Parent", None),
            ("", None),
        ] {
            assert_eq!(Gender::of_relationship(r), g, "{r}");
        }
        assert_eq!(Gender::parse(" f"), Some(Female));
        assert_eq!(Gender::parse("U"), None);
    }
}
