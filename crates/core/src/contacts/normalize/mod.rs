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

/// FNV-1a over bytes: a small deterministic hash for index keys (the same on
/// every platform and in every run).
pub(crate) fn hash_bytes(bytes: impl Iterator<Item = u8>) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3);
    }
    h
}
