//! PowerSchool's record ids, one type each, so one kind of id cannot be
//! passed where another belongs (a Students.DCID where a Person.ID is
//! meant). Each wraps the integer PowerSchool exports: JSON, postcard and the
//! import files write the bare number (`#[serde(transparent)]`, `Display`),
//! and `Debug` is the bare number too, so snapshots and messages read as
//! before. `FromStr` reads what `Display` writes.
//!
//! ```compile_fail
//! use writeback_core::domain::{PersonId, StudentDcid};
//! fn confirm(_person: PersonId) {}
//! confirm(StudentDcid(2_000_001)); // a DCID is no Person.ID
//! ```

use std::fmt;
use std::str::FromStr;

use super::ValueError;

/// Defines an id type over `i64`.
macro_rules! id_type {
    ($(#[$doc:meta])* $ty:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $ty(pub i64);

        impl $ty {
            /// The number PowerSchool has.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }

        impl FromStr for $ty {
            type Err = ValueError;
            /// A whole number, as `i64` reads it (no spaces).
            fn from_str(s: &str) -> Result<Self, ValueError> {
                s.parse().map($ty).map_err(|_| ValueError::new($what, "expected a whole number", s))
            }
        }
    };
}

id_type!(
    /// `Person.ID`: a contact (the Contact ID of the contacts import);
    /// also `PersonID` of the association tables and `PCAS_Account`.
    PersonId,
    "Person.ID"
);

id_type!(
    /// `Students.ID`: the internal student id CC rows name (`CC.StudentID`).
    StudentId,
    "Students.ID"
);

id_type!(
    /// `Students.DCID`: the student's key in the contact and extension
    /// tables (`StudentContactAssoc.StudentDCID`, `StudentsDCID`).
    StudentDcid,
    "Students.DCID"
);

id_type!(
    /// `StudentContactAssoc.StudentContactAssocID`: one person's link to one
    /// student (the Student Contact ID of the contacts import).
    ContactAssocId,
    "StudentContactAssoc.ID"
);

id_type!(
    /// `Sections.ID` (also `CC.SectionID`, negative for a dropped enrolment).
    SectionId,
    "Sections.ID"
);

id_type!(
    /// `Terms.ID` (also `Sections.TermID`, `CC.TermID`): repeats across
    /// schools, so a term is (TermId, SchoolNumber).
    TermId,
    "Terms.ID"
);

id_type!(
    /// `Schools.School_Number`: what every `SchoolID` column holds.
    SchoolNumber,
    "School_Number"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_number_everywhere() {
        let p = PersonId(50065);
        assert_eq!(p.to_string(), "50065");
        assert_eq!(format!("{p:?}"), "50065");
        assert_eq!(serde_json::to_string(&p).unwrap(), "50065");
        assert_eq!(serde_json::from_str::<PersonId>("50065").unwrap(), p);
        assert_eq!("50065".parse::<PersonId>().unwrap(), p);
        assert_eq!("-3".parse::<SectionId>().unwrap(), SectionId(-3));
        let err = "5x".parse::<StudentDcid>().unwrap_err();
        assert_eq!(err.to_string(), r#"Students.DCID: expected a whole number ("5x")"#);
        assert!(serde_json::from_str::<PersonId>("\"5\"").is_err());
    }
}
