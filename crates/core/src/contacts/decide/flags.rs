//! The relationship flags of a link (custody, lives with, pickup,
//! emergency, mailings) and their columns in the Student Contacts file.

use crate::snapshot::StudentContactDetail;

const CUSTODY: &str = "Contact Has Custody";
const LIVES_WITH: &str = "Contact Lives With";
const SCHOOL_PICKUP: &str = "Contact Allow School Pickup";
const EMERGENCY: &str = "Is Emergency Contact";
const RECEIVES_MAIL: &str = "Contact Receives Mailings";

/// The yes/no flags of a contact's relationship to the student, as a
/// relationship detail holds them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RelationshipFlags {
    /// Contact Has Custody (`IsCustodial`).
    pub custodial: bool,
    /// Contact Lives With (`LivesWithFlg`).
    pub lives_with: bool,
    /// Contact Allow School Pickup (`SchoolPickUpFlg`).
    pub school_pickup: bool,
    /// Is Emergency Contact (`IsEmergency`).
    pub emergency: bool,
    /// Contact Receives Mailings (`ReceivesMailFlg`).
    pub receives_mail: bool,
}

impl RelationshipFlags {
    /// The flags' columns in the template, in file order.
    pub const COLUMNS: [&'static str; 5] = [CUSTODY, LIVES_WITH, SCHOOL_PICKUP, EMERGENCY, RECEIVES_MAIL];

    /// The flags of a detail as PowerSchool has it.
    pub fn of_detail(detail: &StudentContactDetail) -> RelationshipFlags {
        RelationshipFlags {
            custodial: detail.is_custodial,
            lives_with: detail.lives_with,
            school_pickup: detail.school_pickup,
            emergency: detail.is_emergency,
            receives_mail: detail.receives_mail,
        }
    }

    /// Each flag with its column, in file order: the one place the flags
    /// meet the file.
    pub fn columns(self) -> [(&'static str, bool); 5] {
        [
            (CUSTODY, self.custodial),
            (LIVES_WITH, self.lives_with),
            (SCHOOL_PICKUP, self.school_pickup),
            (EMERGENCY, self.emergency),
            (RECEIVES_MAIL, self.receives_mail),
        ]
    }

    /// Each flag replaced by `f(column, value)`, called in file order.
    pub fn map(self, mut f: impl FnMut(&'static str, bool) -> bool) -> RelationshipFlags {
        RelationshipFlags {
            custodial: f(CUSTODY, self.custodial),
            lives_with: f(LIVES_WITH, self.lives_with),
            school_pickup: f(SCHOOL_PICKUP, self.school_pickup),
            emergency: f(EMERGENCY, self.emergency),
            receives_mail: f(RECEIVES_MAIL, self.receives_mail),
        }
    }
}
