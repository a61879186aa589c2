//! Normalisation of what a form and PowerSchool hold into comparable keys,
//! one module per kind of value.

pub mod address;
pub mod email;
pub mod fold;
pub mod name;
pub mod nickname;
pub mod phone;
pub mod relationship;
pub mod typo;

pub use address::MatchAddress;
pub use email::{EmailAgreement, MatchEmail};
pub use fold::fold;
pub use name::NameParts;
pub use nickname::Nicknames;
pub use phone::MatchPhone;
pub use relationship::Gender;
