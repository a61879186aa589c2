//! Links between persons and students: who else a person is a contact of
//! ("used by"), whether a link is active or expired, and the family around
//! an application (its batch and the students sharing its contacts).

use serde::{Deserialize, Serialize};

use super::form::FormContact;
use super::index::ContactIndex;
use super::profile::code_display;
use crate::application::{Application, FieldMappings};
use crate::domain::{Date, StudentDcid};
use crate::snapshot::{Snapshot, Student, StudentContactDetail};

/// Another student a candidate person is linked to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsedBy {
    /// The student's number.
    pub student_number: String,
    /// The student's name (`First Last`).
    pub student_name: String,
    /// The relationship's display value (`Mother`), empty if unknown.
    pub relationship: String,
    /// False when the relationship has ended: the current detail's EndDate is
    /// on or before today, or its IsActive is 0.
    pub active: bool,
}

/// A student of the same family: a sibling on another application of the
/// family's batch, or a student in PowerSchool sharing a contact with this one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Sibling {
    /// The sibling's application in the same family batch, if any.
    pub application: Option<String>,
    /// The sibling's Students.DCID, if the sibling is in PowerSchool.
    pub student_dcid: Option<StudentDcid>,
    /// The sibling's name as staff read it.
    pub name: String,
    /// The sibling's student number, if known.
    pub student_number: Option<String>,
    /// The contact blocks of the sibling's application (matchable ones only).
    pub contacts: Vec<FormContact>,
}

impl Sibling {
    /// `Ana García (100234)`.
    pub fn label(&self) -> String {
        match &self.student_number {
            Some(n) => format!("{} ({n})", self.name),
            None => self.name.clone(),
        }
    }
}

/// The relationship and status of one StudentContactAssoc row on `today`.
pub(crate) fn link_status(snapshot: &Snapshot, index: &ContactIndex, sc: u32, today: Date) -> (String, bool) {
    let Some(link) = snapshot.student_contacts.get(sc as usize) else { return (String::new(), false) };
    let details: Vec<&StudentContactDetail> =
        index.details.get(link.id).iter().filter_map(|&d| snapshot.student_contact_details.get(d as usize)).collect();
    let is_active = |d: &StudentContactDetail| d.is_active && d.end_date.is_none_or(|end| end > today);
    let current = details
        .iter()
        .filter(|d| is_active(d))
        .max_by_key(|d| (d.start_date, d.id))
        .or_else(|| details.iter().max_by_key(|d| (d.start_date, d.id)));
    let rel = current.and_then(|d| d.relationship_type).or(link.relationship_type);
    let relationship = rel.map(|r| code_display(snapshot, index, r).to_string()).unwrap_or_default();
    (relationship, current.is_none_or(|d| is_active(d)))
}

/// The students (other than `except_dcid`) that the person at `pos` is a
/// contact of, by student number.
pub(crate) fn used_by(
    snapshot: &Snapshot,
    index: &ContactIndex,
    pos: u32,
    today: Date,
    except_dcid: Option<StudentDcid>,
) -> Vec<UsedBy> {
    let mut out = Vec::new();
    for &sc in index.person_links.get(pos) {
        let Some(link) = snapshot.student_contacts.get(sc as usize) else { continue };
        if Some(link.student_dcid) == except_dcid {
            continue;
        }
        let Some(student) = index.students.first(link.student_dcid).and_then(|i| snapshot.students.get(i as usize))
        else {
            continue;
        };
        let (relationship, active) = link_status(snapshot, index, sc, today);
        out.push(UsedBy {
            student_number: student.student_number.to_string(),
            student_name: student_name(student),
            relationship,
            active,
        });
    }
    crate::sort::by(&mut out, |a, b| (&a.student_number, !a.active).cmp(&(&b.student_number, !b.active)));
    out
}

fn student_name(s: &Student) -> String {
    super::form::join_name(&s.first_name, "", &s.last_name)
}

/// The family around `this` application: the other applications of its
/// batch (same `family_batch`), and, when the student is in PowerSchool, the
/// students sharing one of its contacts through a link active on `today`.
/// Each sibling appears once.
pub fn family(
    snapshot: &Snapshot,
    index: &ContactIndex,
    mappings: &FieldMappings,
    this: &Application,
    applications: &[Application],
    today: Date,
) -> Vec<Sibling> {
    let find_student = |a: &Application| a.student_number.as_ref().and_then(|n| index.student(snapshot, n));
    let this_student = find_student(this);
    let mut out: Vec<Sibling> = Vec::new();
    if let Some(batch) = &this.family_batch {
        for a in applications.iter().filter(|a| a.id != this.id && a.family_batch.as_ref() == Some(batch)) {
            let student = find_student(a);
            if student.is_some() && student.map(|s| s.dcid) == this_student.map(|s| s.dcid) {
                continue;
            }
            let name = match student {
                Some(s) => student_name(s),
                None => application_student_name(a, mappings),
            };
            out.push(Sibling {
                application: Some(a.id.to_string()),
                student_dcid: student.map(|s| s.dcid),
                name,
                student_number: a.student_number.as_ref().map(|n| n.to_string()),
                contacts: a.contacts.iter().filter_map(|b| FormContact::from_block(b, mappings).ok()).collect(),
            });
        }
    }
    if let Some(me) = this_student {
        let mut dcids: Vec<StudentDcid> = Vec::new();
        for &sc in index.student_links.get(me.dcid) {
            let Some(pos) = snapshot.student_contacts.get(sc as usize).and_then(|l| index.position(l.person_id)) else {
                continue;
            };
            for &other in index.person_links.get(pos) {
                if let Some(l) = snapshot.student_contacts.get(other as usize) {
                    if l.student_dcid != me.dcid && link_status(snapshot, index, other, today).1 {
                        dcids.push(l.student_dcid);
                    }
                }
            }
        }
        crate::sort::values(&mut dcids);
        dcids.dedup();
        for dcid in dcids {
            if out.iter().any(|s| s.student_dcid == Some(dcid)) {
                continue;
            }
            let Some(s) = index.students.first(dcid).and_then(|i| snapshot.students.get(i as usize)) else { continue };
            out.push(Sibling {
                application: None,
                student_dcid: Some(dcid),
                name: student_name(s),
                student_number: Some(s.student_number.to_string()),
                contacts: Vec::new(),
            });
        }
    }
    out
}

/// The student's name on an application, through the mappings' First_Name
/// and Last_Name fields (legal names as a fallback).
fn application_student_name(a: &Application, mappings: &FieldMappings) -> String {
    let value = |columns: &[&str]| {
        columns
            .iter()
            .find_map(|col| {
                mappings
                    .student_fields
                    .iter()
                    .find(|m| m.target.column.eq_ignore_ascii_case(col))
                    .and_then(|m| a.student.get(&m.form_field))
                    .filter(|v| !v.trim().is_empty())
            })
            .cloned()
            .unwrap_or_default()
    };
    let first = value(&["First_Name", "PSCore_Legal_First_Name"]);
    let last = value(&["Last_Name", "PSCore_Legal_Last_Name"]);
    let name = super::form::join_name(&first, "", &last);
    if name.is_empty() {
        format!("the student of {}", a.id)
    } else {
        name
    }
}
