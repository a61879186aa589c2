//! Validated domain values. Each type has a `parse` constructor that refuses
//! malformed input with a [`ValueError`] naming what is wrong; once built, a
//! value is known to be well-formed. PowerSchool's record ids each have
//! their own type (`ids.rs`), so one kind cannot stand in for another.

mod date;
mod email;
mod ids;
mod phone;
mod student_number;

pub use date::Date;
pub use email::Email;
pub use ids::{ContactAssocId, PersonId, SchoolNumber, SectionId, StudentDcid, StudentId, TermId};
pub use phone::Phone;
pub use student_number::StudentNumber;

/// Why a raw string is not a valid domain value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}: {problem} ({value:?})")]
pub struct ValueError {
    /// What kind of value was expected, e.g. "date".
    pub what: &'static str,
    /// What is wrong with it.
    pub problem: String,
    /// The offending input, as given.
    pub value: String,
}

impl ValueError {
    pub(crate) fn new(what: &'static str, problem: impl Into<String>, value: &str) -> Self {
        Self { what, problem: problem.into(), value: value.to_string() }
    }
}

/// Whether `value` holds a character that would break a delimited import file
/// (tab, carriage return or line feed).
pub fn breaks_flat_file(value: &str) -> Option<char> {
    value.chars().find(|c| matches!(c, '\t' | '\r' | '\n'))
}

/// Implements `Serialize`/`Deserialize` through the type's string form, so a
/// value read from JSON is validated exactly like one read from an export.
macro_rules! serde_via_string {
    ($ty:ty) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                <$ty>::parse(&raw).map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use serde_via_string;

/// Why a name is not one of an enum's variants.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{found:?} is not a {what}: expected one of {expected}")]
pub struct UnknownName {
    /// What kind of name was expected, e.g. "course approval".
    pub what: &'static str,
    /// The names it may be, comma separated.
    pub expected: String,
    /// The name given.
    pub found: String,
}

/// For a fieldless enum whose serde form is snake_case: `ALL`, `as_str`,
/// `Display` and `FromStr` by the same names, written once (the UI's
/// `<select>` values and the JSON agree; a test checks them against serde).
macro_rules! named_variants {
    ($ty:ty, $what:literal { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every variant, in order.
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];

            /// The variant's name, as its JSON writes it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(<$ty>::$variant => $name),+
                }
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl std::str::FromStr for $ty {
            type Err = $crate::domain::UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$ty>::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| $crate::domain::UnknownName {
                    what: $what,
                    expected: <$ty>::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", "),
                    found: s.to_string(),
                })
            }
        }
    };
}
pub(crate) use named_variants;

#[cfg(test)]
mod tests {
    use std::fmt::Display;
    use std::str::FromStr;

    use crate::contacts::decide::FieldAction;
    use crate::courses::Approval;
    use crate::demographics::Decision;

    /// Every variant's name is its JSON name, and reads back as itself.
    fn check_names<T>(all: &[T])
    where
        T: Copy + PartialEq + std::fmt::Debug + Display + FromStr + serde::Serialize,
    {
        for v in all {
            assert_eq!(serde_json::to_string(v).unwrap(), format!("\"{v}\""), "{v:?}");
            assert!(T::from_str(&v.to_string()).ok() == Some(*v), "{v:?}");
        }
    }

    #[test]
    fn enum_names_are_their_json_names() {
        check_names(Decision::ALL);
        check_names(Approval::ALL);
        check_names(FieldAction::ALL);
        let err = "maybe".parse::<Approval>().unwrap_err();
        assert_eq!(err.to_string(), r#""maybe" is not a course approval: expected one of pending, approved, denied"#);
    }
}
