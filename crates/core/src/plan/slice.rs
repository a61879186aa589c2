//! The review slice: the part of a district one application's review needs.
//!
//! The relay holds the district; a staff member's browser gets one
//! [`ReviewData`] per application opened: the application and its family's,
//! the mappings and the course settings, the candidates the district's contact index
//! finds for each block (finding them needs the whole district), and a
//! [`Snapshot`] cut down to the records those candidates, the student and
//! the requested courses touch. The browser then runs the same core on it
//! ([`ReviewData::prepare`]); the review equals the one prepared from the
//! whole district, files byte for byte (the property test in
//! `plan/tests/slice.rs`).
//!
//! What a slice holds of students other than the applicant: the students
//! who share a candidate person ("used by"), as student number, DCID and
//! name only.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use serde::{Deserialize, Serialize};

use super::{ApplicationReview, District, DistrictSettings, PrepareError, Reviewer};
use crate::application::{Application, FieldMappings};
use crate::contacts::{
    add_picked, family, match_application, search_persons, ContactMatches, FormContact, Found, MatchContext,
    SearchError,
};
use crate::courses::{CourseSettings, SectionsElsewhere};
use crate::domain::{PersonId, SchoolNumber, SectionId, StudentDcid, StudentId};
use crate::lookup::{Csr, KeyMap};
use crate::snapshot::{Snapshot, Student};

/// Everything the browser needs to review one application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewData {
    /// The application under review.
    pub application: Application,
    /// The other applications of its family batch.
    pub family: Vec<Application>,
    /// The district's field mappings.
    pub mappings: FieldMappings,
    /// The district's course writeback settings: the only settings a
    /// review reads (the delivery targets and the time zone stay on the
    /// relay).
    pub course_settings: CourseSettings,
    /// The candidates found for each contact block, over the whole district.
    pub contact_matches: Vec<ContactMatches>,
    /// Schools offering a requested course whose sections the slice leaves
    /// out (only the application's and the student's schools', and those
    /// asked for, travel): the picker lists them, choosing one asks the
    /// relay for their sections.
    #[serde(default)]
    pub sections_elsewhere: Vec<SectionsElsewhere>,
    /// The records of the district the review reads.
    pub snapshot: Snapshot,
}

impl ReviewData {
    /// Prepares the review from the slice (what the browser does).
    pub fn prepare(&self, reviewer: &Reviewer) -> Result<ApplicationReview, PrepareError> {
        let settings = DistrictSettings { courses: self.course_settings.clone(), ..DistrictSettings::default() };
        let district = District::new(self.snapshot.clone(), self.mappings.clone(), settings)?;
        Ok(ApplicationReview::prepare_matched(
            &district,
            &self.application,
            self.contact_matches.clone(),
            &self.sections_elsewhere,
            reviewer,
        ))
    }
}

/// Lookups over a district's tables that cutting a slice needs beyond the
/// contact index. Built once per district, next to it.
#[derive(Debug, Clone, Default)]
pub struct SliceIndex {
    /// Students DCID -> StudentCoreFields index.
    core_fields: KeyMap<StudentDcid>,
    /// Person position -> PersonAddressAssoc indices.
    person_addresses: Csr<u32>,
    /// PersonAddressID -> PersonAddress index.
    addresses: KeyMap<i64>,
    /// Hash of a lower-cased email -> PCAS_Account index, or
    /// PCAS_EmailContact index | `PORTAL_EXTRA`.
    portal_emails: KeyMap<u64>,
    /// PCAS_AccountID -> PCAS_Account index.
    accounts: KeyMap<i64>,
    /// Hash of a course number -> Sections indices.
    course_sections: KeyMap<u64>,
    /// Sections.ID -> Sections index.
    sections: KeyMap<SectionId>,
    /// Hash of a course number -> Courses index.
    courses: KeyMap<u64>,
    /// Students.ID -> CC indices.
    enrollments: KeyMap<StudentId>,
    /// SchoolID -> Terms indices.
    school_terms: KeyMap<SchoolNumber>,
}

const PORTAL_EXTRA: u32 = 1 << 31;

fn hash_of(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

fn email_hash(email: &str) -> u64 {
    hash_of(email.trim().to_lowercase())
}

fn positions<K: Copy>(rows: impl Iterator<Item = K>) -> Vec<(K, u32)> {
    rows.enumerate().map(|(i, k)| (k, i as u32)).collect()
}

/// The other applications of `application`'s family batch among `others`.
fn family_batch(application: &Application, others: &[Application]) -> Vec<Application> {
    match &application.family_batch {
        Some(batch) => others
            .iter()
            .filter(|a| a.id != application.id && a.family_batch.as_ref() == Some(batch))
            .cloned()
            .collect(),
        None => Vec::new(),
    }
}

/// Why staff's search from a block cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BlockSearchError {
    /// The application has no such block.
    #[error("the application has no contact block {0:?}")]
    NoSuchBlock(String),
    /// The block is not matched (its last name is not mapped).
    #[error("{0}")]
    NotMatchable(String),
    /// The query.
    #[error(transparent)]
    Query(#[from] SearchError),
}

/// Searches `district`'s persons for `query` from `block` of `application`,
/// ranked against that block's form contact (see [`search_persons`]).
pub fn search_from_block(
    district: &District,
    application: &Application,
    others: &[Application],
    reviewer: &Reviewer,
    block: &str,
    query: &str,
) -> Result<Found, BlockSearchError> {
    let b = application
        .contacts
        .iter()
        .find(|b| b.block == block)
        .ok_or_else(|| BlockSearchError::NoSuchBlock(block.to_string()))?;
    let form =
        FormContact::from_block(b, district.mappings()).map_err(|e| BlockSearchError::NotMatchable(e.to_string()))?;
    let family_apps = family_batch(application, others);
    Ok(in_context(district, application, &family_apps, reviewer, |ctx| search_persons(ctx, &form, query))?)
}

/// Runs `f` with the matching context of `application` (its student and
/// family) in `district`.
fn in_context<T>(
    district: &District,
    application: &Application,
    family_apps: &[Application],
    reviewer: &Reviewer,
    f: impl FnOnce(&MatchContext<'_>) -> T,
) -> T {
    let (snapshot, mappings, index) = (district.snapshot(), district.mappings(), district.contact_index());
    let student = application.student_number.as_ref().and_then(|n| index.student(snapshot, n));
    let siblings = family(snapshot, index, mappings, application, family_apps, reviewer.today);
    f(&MatchContext { snapshot, index, today: reviewer.today, student, siblings: &siblings })
}

impl SliceIndex {
    /// Indexes `district`'s tables.
    pub fn build(district: &District) -> SliceIndex {
        let s = district.snapshot();
        let index = district.contact_index();
        let person_addresses = s
            .person_addresses
            .iter()
            .enumerate()
            .filter_map(|(i, a)| index.position(a.person_id).map(|pos| (pos, i as u32)))
            .collect();
        let mut portal = positions(s.portal_accounts.iter().map(|a| email_hash(&a.email)));
        portal.extend(s.portal_emails.iter().enumerate().map(|(i, e)| (email_hash(&e.email), i as u32 | PORTAL_EXTRA)));
        SliceIndex {
            core_fields: KeyMap::new(positions(s.student_core_fields.iter().map(|c| c.students_dcid))),
            person_addresses: Csr::new(index.len(), person_addresses),
            addresses: KeyMap::new(positions(s.addresses.iter().map(|a| a.id))),
            portal_emails: KeyMap::new(portal),
            accounts: KeyMap::new(positions(s.portal_accounts.iter().map(|a| a.id))),
            course_sections: KeyMap::new(positions(s.sections.iter().map(|x| hash_of(x.course_number.trim())))),
            sections: KeyMap::new(positions(s.sections.iter().map(|x| x.id))),
            courses: KeyMap::new(positions(s.courses.iter().map(|c| hash_of(c.course_number.trim())))),
            enrollments: KeyMap::new(positions(s.enrollments.iter().map(|cc| cc.student_id))),
            school_terms: KeyMap::new(positions(s.terms.iter().map(|t| t.school_id))),
        }
    }

    /// The review data of `application` in `district`: its candidates found
    /// over the whole district, and the slice of records its review reads.
    /// `others` are the applications the caller knows of (the family batch
    /// is taken from them). The requested courses' sections travel for the
    /// application's and the student's schools and for `schools`; the
    /// other schools offering them are counted in `sections_elsewhere`.
    pub fn review_data(
        &self,
        district: &District,
        application: &Application,
        others: &[Application],
        reviewer: &Reviewer,
        schools: &[SchoolNumber],
    ) -> ReviewData {
        self.review_data_picked(district, application, others, reviewer, schools, &[])
    }

    /// [`Self::review_data`] with the persons staff picked from a search:
    /// (block, Person.ID), each added to that block's candidates and its
    /// records to the slice. A pick of an unknown block or person is left out.
    pub fn review_data_picked(
        &self,
        district: &District,
        application: &Application,
        others: &[Application],
        reviewer: &Reviewer,
        schools: &[SchoolNumber],
        picked: &[(String, PersonId)],
    ) -> ReviewData {
        let (snapshot, mappings, index) = (district.snapshot(), district.mappings(), district.contact_index());
        let family_apps = family_batch(application, others);
        let student = application.student_number.as_ref().and_then(|n| index.student(snapshot, n));
        let siblings = family(snapshot, index, mappings, application, &family_apps, reviewer.today);
        let ctx = MatchContext { snapshot, index, today: reviewer.today, student, siblings: &siblings };
        let mut contact_matches = match_application(&ctx, &application.contacts, mappings);
        for (block, person) in picked {
            let form =
                application.contacts.iter().find(|b| &b.block == block).map(|b| FormContact::from_block(b, mappings));
            let matches = contact_matches.iter_mut().find(|m| &m.block == block);
            if let (Some(Ok(form)), Some(matches)) = (form, matches) {
                add_picked(&ctx, &form, matches, *person);
            }
        }
        let (slice, sections_elsewhere) = self.cut(district, application, student, &contact_matches, schools);
        ReviewData {
            application: application.clone(),
            family: family_apps,
            mappings: mappings.clone(),
            course_settings: district.settings().courses.clone(),
            contact_matches,
            sections_elsewhere,
            snapshot: slice,
        }
    }

    /// The schools of the sections `ids` (to include them in a slice: the
    /// sections a submission's decisions name).
    pub fn schools_of_sections(
        &self,
        district: &District,
        ids: impl IntoIterator<Item = SectionId>,
    ) -> Vec<SchoolNumber> {
        let sections = &district.snapshot().sections;
        let mut out: Vec<SchoolNumber> = ids
            .into_iter()
            .flat_map(|id| {
                self.sections
                    .get(id)
                    .iter()
                    .filter_map(|&i| sections.get(i as usize))
                    .map(|s| s.school_id)
                    .collect::<Vec<_>>()
            })
            .collect();
        crate::sort::values(&mut out);
        out.dedup();
        out
    }

    /// The records the review of `application` reads, in the district's
    /// order (so the review sees them as it would in the whole snapshot).
    fn cut(
        &self,
        district: &District,
        application: &Application,
        student: Option<&Student>,
        matches: &[ContactMatches],
        asked: &[SchoolNumber],
    ) -> (Snapshot, Vec<SectionsElsewhere>) {
        let s = district.snapshot();
        let index = district.contact_index();
        let mut keep = Keep::default();

        // The applicant and the records keyed by the student.
        if let Some(st) = student {
            keep.students.extend(index.student_position(s, &st.student_number));
            keep.core_fields.extend(self.core_fields.get(st.dcid).iter().copied());
            keep.links.extend(index.student_links.get(st.dcid).iter().copied());
        }

        // The persons: the student's contacts and every candidate.
        let mut persons: BTreeSet<u32> = crate::sort::set(
            keep.links
                .iter()
                .filter_map(|&sc| s.student_contacts.get(sc as usize).and_then(|l| index.position(l.person_id))),
        );
        for m in matches {
            persons.extend(m.candidates.iter().filter_map(|c| index.position(c.person_id)));
        }
        let mut emails_in_play: Vec<String> = Vec::new();
        for &pos in &persons {
            for &(assoc, email) in index.person_emails.get(pos) {
                keep.person_emails.insert(assoc);
                keep.emails.insert(email);
                if let Some(e) = s.email_addresses.get(email as usize) {
                    emails_in_play.push(e.address.clone());
                }
            }
            for &(assoc, phone) in index.person_phones.get(pos) {
                keep.person_phones.insert(assoc);
                keep.phones.insert(phone);
            }
            for &assoc in self.person_addresses.get(pos) {
                keep.person_addresses.insert(assoc);
                if let Some(a) = s.person_addresses.get(assoc as usize) {
                    keep.addresses.extend(self.addresses.get(a.address_id).iter().copied());
                }
            }
            for &item in index.person_portal.get(pos) {
                keep.portal(item);
            }
            keep.links.extend(index.person_links.get(pos).iter().copied());
        }
        for &sc in &keep.links.clone() {
            let Some(link) = s.student_contacts.get(sc as usize) else { continue };
            keep.details.extend(index.details.get(link.id).iter().copied());
            for &st in index.students.get(link.student_dcid) {
                if Some(link.student_dcid) != student.map(|x| x.dcid) {
                    keep.used_by.insert(st);
                }
            }
        }

        // Portal accounts that hold an email in play.
        for block in &application.contacts {
            if let Ok(form) = FormContact::from_block(block, district.mappings()) {
                emails_in_play.extend(form.emails.into_iter().map(|e| e.address));
            }
        }
        for e in &emails_in_play {
            for &item in self.portal_emails.get(email_hash(e)) {
                keep.portal(item);
            }
        }
        let extra_accounts: Vec<i64> =
            keep.portal_emails.iter().filter_map(|&i| s.portal_emails.get(i as usize).map(|e| e.account_id)).collect();
        for account in extra_accounts {
            keep.accounts.extend(self.accounts.get(account).iter().copied());
        }

        // Courses: the requested ones with their sections, and the
        // student's enrolments with theirs.
        let requested: HashSet<&str> = application.courses.iter().map(|c| c.course_number.trim()).collect();
        // The terms of every school involved: the picker offers a school's
        // year term even where no section of the course is in it.
        let mut schools: BTreeSet<SchoolNumber> = crate::sort::set([application.school_id]);
        schools.extend(student.map(|st| st.school_id));
        schools.extend(asked.iter().copied());
        let full = schools.clone();
        let mut elsewhere: BTreeMap<(String, SchoolNumber), usize> = BTreeMap::new();
        for number in &requested {
            keep.courses.extend(self.courses.get(hash_of(number)).iter().copied());
            for &sec in self.course_sections.get(hash_of(number)) {
                let Some(x) = s.sections.get(sec as usize) else { continue };
                if x.course_number.trim() != *number {
                    continue;
                }
                if full.contains(&x.school_id) {
                    keep.sections.insert(sec);
                } else {
                    *elsewhere.entry((x.course_number.clone(), x.school_id)).or_default() += 1;
                }
            }
        }
        if let Some(st) = student {
            for &cc in self.enrollments.get(st.id) {
                keep.enrollments.insert(cc);
                let Some(row) = s.enrollments.get(cc as usize) else { continue };
                keep.sections.extend(self.sections.get(row.section_id).iter().copied());
                // The current schedule names its courses.
                keep.courses.extend(self.courses.get(hash_of(row.course_number.trim())).iter().copied());
                schools.insert(row.school_id);
            }
        }
        schools.extend(keep.sections.iter().filter_map(|&i| s.sections.get(i as usize).map(|x| x.school_id)));
        for school in schools {
            keep.terms.extend(self.school_terms.get(school).iter().copied());
        }
        keep.persons = persons;
        let mut grouped: Vec<SectionsElsewhere> = Vec::new();
        for ((course_number, school_id), sections) in elsewhere {
            match grouped.last_mut() {
                Some(g) if g.course_number == course_number => g.schools.push((school_id, sections)),
                _ => grouped.push(SectionsElsewhere { course_number, schools: vec![(school_id, sections)] }),
            }
        }
        (keep.snapshot(s, student.map(|x| x.dcid)), grouped)
    }
}

/// The rows a slice keeps, by table (positions in the district's tables).
#[derive(Debug, Default)]
struct Keep {
    students: BTreeSet<u32>,
    used_by: BTreeSet<u32>,
    persons: BTreeSet<u32>,
    core_fields: BTreeSet<u32>,
    links: BTreeSet<u32>,
    details: BTreeSet<u32>,
    person_emails: BTreeSet<u32>,
    emails: BTreeSet<u32>,
    person_phones: BTreeSet<u32>,
    phones: BTreeSet<u32>,
    person_addresses: BTreeSet<u32>,
    addresses: BTreeSet<u32>,
    accounts: BTreeSet<u32>,
    portal_emails: BTreeSet<u32>,
    courses: BTreeSet<u32>,
    sections: BTreeSet<u32>,
    terms: BTreeSet<u32>,
    enrollments: BTreeSet<u32>,
}

impl Keep {
    fn portal(&mut self, item: u32) {
        if item & PORTAL_EXTRA != 0 {
            self.portal_emails.insert(item & !PORTAL_EXTRA);
        } else {
            self.accounts.insert(item);
        }
    }

    /// The kept rows as a snapshot, in the district's order. Students other
    /// than the applicant keep only their number, DCID, ID and name.
    fn snapshot(&self, s: &Snapshot, applicant_dcid: Option<StudentDcid>) -> Snapshot {
        fn rows<T: Clone>(table: &[T], keep: &BTreeSet<u32>) -> Vec<T> {
            keep.iter().filter_map(|&i| table.get(i as usize).cloned()).collect()
        }
        let all_students: BTreeSet<u32> = crate::sort::set(self.students.union(&self.used_by).copied());
        let students = all_students
            .iter()
            .filter_map(|&i| s.students.get(i as usize))
            .map(|st| if Some(st.dcid) == applicant_dcid { st.clone() } else { identity_only(st) })
            .collect();
        let extensions = s
            .extensions
            .iter()
            .map(|t| crate::snapshot::ExtensionTable {
                name: t.name.clone(),
                columns: t.columns.clone(),
                rows: applicant_dcid.and_then(|d| t.rows.get(&d).map(|r| (d, r.clone()))).into_iter().collect(),
            })
            .collect();
        Snapshot {
            students,
            student_core_fields: rows(&s.student_core_fields, &self.core_fields),
            student_extra_columns: s.student_extra_columns.clone(),
            extensions,
            persons: rows(&s.persons, &self.persons),
            email_addresses: rows(&s.email_addresses, &self.emails),
            person_emails: rows(&s.person_emails, &self.person_emails),
            phone_numbers: rows(&s.phone_numbers, &self.phones),
            person_phones: rows(&s.person_phones, &self.person_phones),
            addresses: rows(&s.addresses, &self.addresses),
            person_addresses: rows(&s.person_addresses, &self.person_addresses),
            student_contacts: rows(&s.student_contacts, &self.links),
            student_contact_details: rows(&s.student_contact_details, &self.details),
            code_sets: s.code_sets.clone(),
            portal_accounts: rows(&s.portal_accounts, &self.accounts),
            portal_emails: rows(&s.portal_emails, &self.portal_emails),
            schools: s.schools.clone(),
            terms: rows(&s.terms, &self.terms),
            courses: rows(&s.courses, &self.courses),
            sections: rows(&s.sections, &self.sections),
            enrollments: rows(&s.enrollments, &self.enrollments),
        }
    }
}

/// Another student as a slice carries it: who, not what.
fn identity_only(s: &Student) -> Student {
    Student::named(s.id, s.dcid, s.student_number.clone(), &s.first_name, &s.last_name)
}
