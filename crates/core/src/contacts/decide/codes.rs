//! The district's CodeSet as the contacts file uses it: a value on the form
//! (code or display value, any case) to its code, and a CodeSetID to its
//! code.

use crate::snapshot::CodeSet;

/// CodeType of phone types.
pub(crate) const PHONE: &str = "Phone";
/// CodeType of email types.
pub(crate) const EMAIL: &str = "Email";
/// CodeType of address types.
pub(crate) const ADDRESS: &str = "Address";
/// CodeType of relationship types.
pub(crate) const RELATIONSHIP: &str = "Relationship";
/// CodeType of states.
pub(crate) const STATE: &str = "State";

/// Lookups over the CodeSet rows.
#[derive(Debug, Clone, Default)]
pub(crate) struct Codes {
    rows: Vec<CodeSet>,
}

impl Codes {
    pub fn new(rows: &[CodeSet]) -> Codes {
        Codes { rows: rows.to_vec() }
    }

    /// The code of `value` (a code or display value, any case, trimmed).
    pub fn code(&self, code_type: &str, value: &str) -> Option<&str> {
        let v = value.trim();
        if v.is_empty() {
            return None;
        }
        let of_type = || self.rows.iter().filter(|c| c.code_type.eq_ignore_ascii_case(code_type));
        of_type()
            .find(|c| c.code.eq_ignore_ascii_case(v))
            .or_else(|| of_type().find(|c| c.display_value.eq_ignore_ascii_case(v)))
            .map(|c| c.code.as_str())
    }

    /// The code of CodeSetID `id`.
    pub fn by_id(&self, id: Option<i64>) -> Option<&str> {
        let id = id?;
        self.rows.iter().find(|c| c.id == id).map(|c| c.code.as_str())
    }

    /// The CodeSet rows.
    pub fn rows(&self) -> &[CodeSet] {
        &self.rows
    }

    /// The codes of a type, for messages.
    pub fn list(&self, code_type: &str) -> String {
        let codes: Vec<&str> =
            self.rows.iter().filter(|c| c.code_type.eq_ignore_ascii_case(code_type)).map(|c| c.code.as_str()).collect();
        codes.join(", ")
    }
}
