//! The district's CodeSet: phone, email and address types, relationships,
//! original contact types and states, with lookups by meaning.

use writeback_core::snapshot::{CodeSet, Snapshot};

/// Phone types (CodeType `Phone`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PhoneKind {
    Daytime,
    Home,
    Mobile,
    Work,
}

impl PhoneKind {
    const ALL: [PhoneKind; 4] = [PhoneKind::Daytime, PhoneKind::Home, PhoneKind::Mobile, PhoneKind::Work];

    /// The CodeSet code.
    pub fn code(self) -> &'static str {
        match self {
            PhoneKind::Daytime => "Daytime",
            PhoneKind::Home => "Home",
            PhoneKind::Mobile => "Mobile",
            PhoneKind::Work => "Work",
        }
    }
}

/// Relationship types (CodeType `Relationship`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rel {
    Mother,
    Father,
    Guardian,
    Grandparent,
    Stepparent,
    Aunt,
    Uncle,
    Other,
}

impl Rel {
    pub const ALL: [Rel; 8] =
        [Rel::Mother, Rel::Father, Rel::Guardian, Rel::Grandparent, Rel::Stepparent, Rel::Aunt, Rel::Uncle, Rel::Other];

    /// The CodeSet code.
    pub fn code(self) -> &'static str {
        match self {
            Rel::Mother => "Mother",
            Rel::Father => "Father",
            Rel::Guardian => "Guardian",
            Rel::Grandparent => "Grandparent",
            Rel::Stepparent => "Stepparent",
            Rel::Aunt => "Aunt",
            Rel::Uncle => "Uncle",
            Rel::Other => "Other",
        }
    }
}

const ORIGINAL_CONTACT_TYPES: [(&str, &str); 6] = [
    ("Mother", "Mother"),
    ("Father", "Father"),
    ("Guardian", "Guardian"),
    ("Emergency1", "Emergency 1"),
    ("Emergency2", "Emergency 2"),
    ("Emergency3", "Emergency 3"),
];

/// US states and DC (code, name), sorted by code.
const STATES: [(&str, &str); 51] = [
    ("AK", "Alaska"),
    ("AL", "Alabama"),
    ("AR", "Arkansas"),
    ("AZ", "Arizona"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DC", "District of Columbia"),
    ("DE", "Delaware"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("IA", "Iowa"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("MA", "Massachusetts"),
    ("MD", "Maryland"),
    ("ME", "Maine"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MO", "Missouri"),
    ("MS", "Mississippi"),
    ("MT", "Montana"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("NE", "Nebraska"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NV", "Nevada"),
    ("NY", "New York"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VA", "Virginia"),
    ("VT", "Vermont"),
    ("WA", "Washington"),
    ("WI", "Wisconsin"),
    ("WV", "West Virginia"),
    ("WY", "Wyoming"),
];

/// CodeSetIDs of the district's codes.
#[derive(Debug, Clone)]
pub(crate) struct Codes {
    phone: [i64; 4],
    email_current: i64,
    email_additional: i64,
    address_home: i64,
    address_mailing: i64,
    rel: [i64; 8],
    state_base: i64,
}

impl Codes {
    /// Adds the CodeSet rows to `snapshot` and returns their ids.
    pub fn build(snapshot: &mut Snapshot) -> Codes {
        let mut next = 100;
        let mut add = |code_type: &str, code: &str, display: &str| {
            next += 1;
            snapshot.code_sets.push(CodeSet {
                id: next,
                code_type: code_type.to_string(),
                code: code.to_string(),
                display_value: display.to_string(),
            });
            next
        };
        let phone = PhoneKind::ALL.map(|k| add("Phone", k.code(), k.code()));
        let email_current = add("Email", "Current", "Current");
        let email_additional = add("Email", "Additional", "Additional");
        let address_home = add("Address", "Home", "Home");
        let address_mailing = add("Address", "Mailing", "Mailing");
        let rel = Rel::ALL.map(|r| add("Relationship", r.code(), r.code()));
        for (code, display) in ORIGINAL_CONTACT_TYPES {
            add("OriginalContactType", code, display);
        }
        let mut state_base = 0;
        for (i, (code, name)) in STATES.iter().enumerate() {
            let id = add("State", code, name);
            if i == 0 {
                state_base = id;
            }
        }
        Codes { phone, email_current, email_additional, address_home, address_mailing, rel, state_base }
    }

    /// The id of a phone type.
    pub fn phone(&self, kind: PhoneKind) -> i64 {
        self.phone[kind as usize]
    }

    /// The id of the email type: `Current` for the primary, else `Additional`.
    pub fn email(&self, primary: bool) -> i64 {
        if primary {
            self.email_current
        } else {
            self.email_additional
        }
    }

    /// The id of the address type: Home or Mailing.
    pub fn address(&self, mailing: bool) -> i64 {
        if mailing {
            self.address_mailing
        } else {
            self.address_home
        }
    }

    /// The id of a relationship type.
    pub fn rel(&self, rel: Rel) -> i64 {
        self.rel[rel as usize]
    }

    /// The id of a state by its code (`MN`).
    pub fn state(&self, code: &str) -> Option<i64> {
        STATES.binary_search_by(|(c, _)| c.cmp(&code)).ok().map(|i| self.state_base + i as i64)
    }

    /// The code of a state by its id.
    pub fn state_code(&self, id: i64) -> &'static str {
        usize::try_from(id - self.state_base).ok().and_then(|i| STATES.get(i)).map_or("", |(c, _)| c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_sorted_and_look_up_both_ways() {
        assert!(STATES.windows(2).all(|w| w[0].0 < w[1].0));
        let mut s = Snapshot::default();
        let codes = Codes::build(&mut s);
        let mn = codes.state("MN").unwrap();
        assert_eq!(codes.state_code(mn), "MN");
        let row = s.code_sets.iter().find(|c| c.id == mn).unwrap();
        assert_eq!((row.code_type.as_str(), row.display_value.as_str()), ("State", "Minnesota"));
        let mobile = s.code_sets.iter().find(|c| c.id == codes.phone(PhoneKind::Mobile)).unwrap();
        assert_eq!((mobile.code_type.as_str(), mobile.code.as_str()), ("Phone", "Mobile"));
        let step = s.code_sets.iter().find(|c| c.id == codes.rel(Rel::Stepparent)).unwrap();
        assert_eq!(step.code, "Stepparent");
        assert_eq!(codes.state("XX"), None);
    }
}
