//! A deterministic, realistic demo district: a PowerSchool snapshot, the
//! enrollment applications waiting to be written back, and the district's
//! field mappings.
//!
//! Pure core code: no I/O, no clock, no randomness from the operating
//! system. The same [`DemoOptions`] always give byte-identical exports
//! (the generator has its own fixed pseudo-random algorithm, see `rng`).
//! Generation is linear in the number of students.
//!
//! What is in it:
//! - schools (elementary, middle, high, sized to the student count), their
//!   2026-2027 terms, a course catalog, sections with periods, rooms,
//!   teachers and some full classes, and CC enrolments of the returning
//!   students;
//! - students with diverse (accented, hyphenated) names, legal and
//!   preferred names, birth dates that fit their grade, addresses, home
//!   phones and extension fields (`U_StudentsUserFields`,
//!   `U_DEF_EXT_STUDENTS`);
//! - families: siblings sharing parents, divorced and remarried parents,
//!   guardians, emergency contacts, ended relationships, inactive persons,
//!   people with several emails, phones and addresses, portal accounts;
//! - applications (about one per ten students): returning students, new
//!   students already written back and new students not yet written back,
//!   with typos, nicknames, formatting differences, moves, new phones and
//!   emails, blanks, a sibling's parent, family batches and course requests.

mod applications;
mod codes;
mod district;
mod families;
mod mappings;
mod records;
mod schedule;
#[cfg(test)]
mod tests;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io;
use std::rc::Rc;

use writeback_core::application::{Application, FieldMappings};
use writeback_core::courses::{AutoCommSchedule, CourseSettings, Staff, COURSE_WRITEBACK_PERMISSION};
use writeback_core::plan::DistrictSettings;
use writeback_core::snapshot::Snapshot;

use crate::rng::Rng;

/// How big a district to generate, and which one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoOptions {
    /// Number of students in the snapshot (Students.txt rows).
    pub students: usize,
    /// The seed: the same seed gives the same district.
    pub seed: u64,
}

impl Default for DemoOptions {
    /// 2,000 students, seed 1.
    fn default() -> Self {
        DemoOptions { students: 2000, seed: 1 }
    }
}

/// A generated district.
#[derive(Debug, Clone)]
pub struct DemoDistrict {
    /// The district's PowerSchool data.
    pub snapshot: Snapshot,
    /// Enrollment applications, ids `APP-000001` ... in submission order.
    pub applications: Vec<Application>,
    /// The district's field mappings for the applications' forms.
    pub mappings: FieldMappings,
    /// The district's settings: course writeback on, AutoComm on school
    /// days at 06:00.
    pub settings: DistrictSettings,
}

/// The staff member the demo reviews as: a registrar allowed to write
/// courses back.
pub fn demo_staff() -> Staff {
    Staff {
        name: "Demo Registrar".into(),
        permissions: vec!["Application Writeback".into(), COURSE_WRITEBACK_PERMISSION.into()],
    }
}

fn demo_settings() -> DistrictSettings {
    use writeback_core::courses::Weekday::*;
    DistrictSettings {
        courses: CourseSettings {
            feature_enabled: true,
            autocomm: Some(AutoCommSchedule { days: vec![Mon, Tue, Wed, Thu, Fri], hour: 6 }),
        },
        ..DistrictSettings::default()
    }
}

impl DemoDistrict {
    /// The snapshot as PowerSchool export files (file name -> contents).
    pub fn snapshot_files(&self) -> BTreeMap<String, Vec<u8>> {
        let files: Rc<RefCell<BTreeMap<String, Vec<u8>>>> = Rc::default();
        let mut open = |name: &str| -> io::Result<Box<dyn io::Write>> {
            Ok(Box::new(FileBuffer { name: name.to_string(), files: Rc::clone(&files) }))
        };
        self.snapshot.export(&mut open).expect("writing to memory cannot fail");
        files.take()
    }
}

/// A writer that appends to one file of a shared set.
struct FileBuffer {
    name: String,
    files: Rc<RefCell<BTreeMap<String, Vec<u8>>>>,
}

impl io::Write for FileBuffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.files.borrow_mut().entry(self.name.clone()).or_default().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Generates a district of `options.students` students from `options.seed`.
pub fn generate(options: &DemoOptions) -> DemoDistrict {
    let seed = options.seed;
    let quotas = applications::Quotas::new(options.students);
    let mut snapshot = Snapshot::default();
    let codes = codes::Codes::build(&mut snapshot);
    let district = district::District::build(options.students, &mut snapshot);
    let mut reg = families::Registry::new(seed);
    let mut writer = records::Writer::new(&mut snapshot, &codes, &district, Rng::stream(seed, "records"));

    // The families already in the district.
    let mut rng = Rng::stream(seed, "families");
    let existing = options.students - quotas.written_back;
    writer.reserve(options.students);
    let mut families = Vec::with_capacity(existing / 2 + 1);
    let mut students = 0;
    while students < existing {
        let grades = families::population_grades(&mut rng, existing - students);
        let plan = families::plan_family(&mut rng, &mut reg, district.areas(), &grades, false);
        students += plan.kids.len();
        families.push(writer.family(plan, &mut reg));
    }

    schedule::build(&mut Rng::stream(seed, "schedule"), &district, writer.snapshot);
    let applications =
        applications::build(Rng::stream(seed, "applications"), &quotas, &mut reg, &mut writer, &families);
    DemoDistrict { snapshot, applications, mappings: mappings::build(), settings: demo_settings() }
}
