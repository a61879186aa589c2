//! Validated domain values. Each type has a `parse` constructor that refuses
//! malformed input with a [`ValueError`] naming what is wrong; once built, a
//! value is known to be well-formed.

mod date;
mod email;
mod phone;
mod student_number;

pub use date::Date;
pub use email::Email;
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
