//! What a review needs besides the application: the district's data and
//! settings (loaded and checked once), and who is reviewing, when.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::PrepareError;
use crate::application::FieldMappings;
use crate::contacts::ContactIndex;
use crate::courses::{CourseSettings, Staff};
use crate::delivery::DeliverySettings;
use crate::domain::{Date, StudentNumber};
use crate::snapshot::{Snapshot, Student};

/// District-wide settings (format: docs/formats.md, `district.json`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistrictSettings {
    /// Course writeback: the beta switch and the AutoComm schedule.
    #[serde(default)]
    pub courses: CourseSettings,
    /// The district's IANA time zone (`America/Chicago`), in which import
    /// runs are scheduled; UTC when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Where each import file kind is delivered and when PowerSchool reads it.
    #[serde(default, skip_serializing_if = "is_default")]
    pub delivery: DeliverySettings,
}

fn is_default(d: &DeliverySettings) -> bool {
    *d == DeliverySettings::default()
}

/// A district ready for reviews: its snapshot, its field mappings (checked
/// against the snapshot once, here), its settings, and the index of its
/// contacts (built once, when first asked for: editing a form never
/// rebuilds it, and a slice the browser reviews, whose candidates the relay
/// found, never builds it).
#[derive(Debug, Clone)]
pub struct District {
    snapshot: Snapshot,
    mappings: FieldMappings,
    settings: DistrictSettings,
    contacts: OnceLock<ContactIndex>,
}

impl District {
    /// Checks `mappings` against `snapshot`; every problem is listed.
    pub fn new(
        snapshot: Snapshot,
        mappings: FieldMappings,
        settings: DistrictSettings,
    ) -> Result<District, PrepareError> {
        mappings.check(&snapshot).map_err(PrepareError::Mappings)?;
        Ok(District { snapshot, mappings, settings, contacts: OnceLock::new() })
    }

    /// The index of the snapshot's contacts (persons), built on first use.
    pub fn contact_index(&self) -> &ContactIndex {
        self.contacts.get_or_init(|| ContactIndex::build(&self.snapshot))
    }

    /// The student numbered `number`: through the contact index when it is
    /// built, else by a scan (a slice holds a handful of students). The
    /// first in the table either way.
    pub fn student(&self, number: &StudentNumber) -> Option<&Student> {
        match self.contacts.get() {
            Some(index) => index.student(&self.snapshot, number),
            None => self.snapshot.students.iter().find(|s| &s.student_number == number),
        }
    }

    /// The SIS snapshot.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// The field mappings.
    pub fn mappings(&self) -> &FieldMappings {
        &self.mappings
    }

    /// The district's settings.
    pub fn settings(&self) -> &DistrictSettings {
        &self.settings
    }
}

/// Who reviews, and on which day (the core reads no clock).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewer {
    /// The signed-in staff member and their permissions.
    pub staff: Staff,
    /// Today's date in the district.
    pub today: Date,
}
