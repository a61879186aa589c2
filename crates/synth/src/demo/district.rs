//! The district's shape: schools (elementary, middle, high, sized to the
//! student count), the 2026-2027 terms of each school, and the course
//! catalog with the courses each grade takes.

use crate::names::SCHOOL_STEMS;
use writeback_core::domain::{Date, SchoolNumber, TermId};
use writeback_core::snapshot::{Course, School, Snapshot, Term};

/// The kind of school.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Level {
    Elementary,
    Middle,
    High,
}

impl Level {
    /// The level that teaches `grade` (K = 0).
    pub fn of_grade(grade: i32) -> Level {
        match grade {
            ..=5 => Level::Elementary,
            6..=8 => Level::Middle,
            _ => Level::High,
        }
    }

    /// The grades it teaches.
    pub fn grades(self) -> std::ops::RangeInclusive<i32> {
        match self {
            Level::Elementary => 0..=5,
            Level::Middle => 6..=8,
            Level::High => 9..=12,
        }
    }

    /// Periods in the school day.
    pub fn periods(self) -> usize {
        match self {
            Level::Elementary => 6,
            Level::Middle | Level::High => 7,
        }
    }
}

/// One school of the district.
#[derive(Debug, Clone)]
pub(crate) struct SchoolInfo {
    /// School_Number.
    pub number: i64,
    pub level: Level,
}

/// The full-year term's ID; semesters are [`S1`] and [`S2`].
pub(crate) const YEAR_TERM: i64 = 3600;
/// First semester.
pub(crate) const S1: i64 = 3601;
/// Second semester.
pub(crate) const S2: i64 = 3602;

/// The first and last day of a 2026-2027 term (quarters are 3603..=3606).
pub(crate) fn term_days(term: i64) -> (Date, Date) {
    let d = |y, m, d| Date::from_ymd(y, m, d).expect("valid calendar date");
    match term {
        YEAR_TERM => (d(2026, 8, 19), d(2027, 6, 4)),
        S1 => (d(2026, 8, 19), d(2027, 1, 15)),
        S2 => (d(2027, 1, 19), d(2027, 6, 4)),
        3603 => (d(2026, 8, 19), d(2026, 10, 23)),
        3604 => (d(2026, 10, 26), d(2027, 1, 15)),
        3605 => (d(2027, 1, 19), d(2027, 3, 26)),
        _ => (d(2027, 3, 29), d(2027, 6, 4)),
    }
}

/// The district's schools, in School_Number order (101, 102, ...):
/// elementary first, then middle, then high schools.
#[derive(Debug, Clone)]
pub(crate) struct District {
    pub schools: Vec<SchoolInfo>,
    elementary: usize,
    middle: usize,
    high: usize,
}

impl District {
    /// Sizes the district for `students` and adds its schools, terms and
    /// courses to `snapshot`.
    pub fn build(students: usize, snapshot: &mut Snapshot) -> District {
        // Students per grade, then schools of a realistic size per level.
        let per_grade = students.div_ceil(13);
        let elementary = (per_grade * 6).div_ceil(420).max(3);
        let middle = (per_grade * 3).div_ceil(750).max(2);
        let high = (per_grade * 4).div_ceil(1500).max(1);
        let mut schools = Vec::new();
        for (level, count, kind) in [
            (Level::Elementary, elementary, "Elementary"),
            (Level::Middle, middle, "Middle School"),
            (Level::High, high, "High School"),
        ] {
            for i in 0..count {
                let number = 101 + schools.len() as i64;
                // Stems differ between levels so that names read naturally.
                let offset = match level {
                    Level::Elementary => 0,
                    Level::Middle => 9,
                    Level::High => 17,
                };
                let stem = SCHOOL_STEMS[(i + offset) % SCHOOL_STEMS.len()];
                let name = match i / SCHOOL_STEMS.len() {
                    0 => format!("{stem} {kind}"),
                    n => format!("{stem} {kind} {}", n + 1),
                };
                snapshot.schools.push(School { school_number: SchoolNumber(number), name });
                let mut terms = vec![
                    (YEAR_TERM, "2026-2027", "26-27", true),
                    (S1, "Semester 1", "S1", false),
                    (S2, "Semester 2", "S2", false),
                ];
                if level == Level::High {
                    terms.extend([
                        (3603, "Quarter 1", "Q1", false),
                        (3604, "Quarter 2", "Q2", false),
                        (3605, "Quarter 3", "Q3", false),
                        (3606, "Quarter 4", "Q4", false),
                    ]);
                }
                for (id, name, abbreviation, is_year) in terms {
                    let (first_day, last_day) = term_days(id);
                    snapshot.terms.push(Term {
                        id: TermId(id),
                        school_id: SchoolNumber(number),
                        name: name.to_string(),
                        abbreviation: abbreviation.to_string(),
                        first_day,
                        last_day,
                        year_id: 36,
                        is_year,
                    });
                }
                schools.push(SchoolInfo { number, level });
            }
        }
        for c in COURSES {
            snapshot.courses.push(Course {
                course_number: c.number.to_string(),
                name: c.name.to_string(),
                credit_hours: c.credit,
            });
        }
        District { schools, elementary, middle, high }
    }

    /// Number of elementary attendance areas (one per elementary school);
    /// middle and high schools each take several.
    pub fn areas(&self) -> usize {
        self.elementary
    }

    /// The index (into `schools`) of the school a student of `grade` living
    /// in attendance `area` attends.
    pub fn school_for(&self, area: usize, grade: i32) -> usize {
        let area = area % self.elementary;
        match Level::of_grade(grade) {
            Level::Elementary => area,
            Level::Middle => self.elementary + area * self.middle / self.elementary,
            Level::High => self.elementary + self.middle + area * self.high / self.elementary,
        }
    }

    /// The index of the school with School_Number `number`.
    pub fn index_of(&self, number: i64) -> usize {
        (number - 101) as usize
    }
}

/// Where a course is taught in the building (for room names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wing {
    Homeroom,
    English,
    Math,
    Science,
    Social,
    Gym,
    Arts,
    Music,
    Languages,
}

impl Wing {
    /// A room of this wing; `n` tells rooms apart.
    pub fn room(self, n: usize) -> String {
        match self {
            Wing::Homeroom => format!("{}", 101 + (n / 8) * 100 + n % 8 * 2),
            Wing::English => format!("A{}", 101 + n),
            Wing::Math => format!("B{}", 101 + n),
            Wing::Science => format!("C{}", 201 + n),
            Wing::Social => format!("D{}", 101 + n),
            Wing::Gym => format!("Gym {}", 1 + n % 3),
            Wing::Arts => format!("Art {}", 1 + n),
            Wing::Music => format!("Music {}", 1 + n),
            Wing::Languages => format!("E{}", 110 + n),
        }
    }
}

/// A course of the catalog.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CourseDef {
    pub number: &'static str,
    pub name: &'static str,
    pub credit: f64,
    pub wing: Wing,
}

const fn c(number: &'static str, name: &'static str, credit: f64, wing: Wing) -> CourseDef {
    CourseDef { number, name, credit, wing }
}

/// The district's course catalog.
pub(crate) const COURSES: &[CourseDef] = &[
    c("HRK", "Kindergarten", 0.0, Wing::Homeroom),
    c("HR1", "Grade 1", 0.0, Wing::Homeroom),
    c("HR2", "Grade 2", 0.0, Wing::Homeroom),
    c("HR3", "Grade 3", 0.0, Wing::Homeroom),
    c("HR4", "Grade 4", 0.0, Wing::Homeroom),
    c("HR5", "Grade 5", 0.0, Wing::Homeroom),
    c("ELART", "Elementary Art", 0.0, Wing::Arts),
    c("ELMUS", "Elementary Music", 0.0, Wing::Music),
    c("ELPE", "Elementary Physical Education", 0.0, Wing::Gym),
    c("ENG6", "English 6", 1.0, Wing::English),
    c("ENG7", "English 7", 1.0, Wing::English),
    c("ENG8", "English 8", 1.0, Wing::English),
    c("MATH6", "Math 6", 1.0, Wing::Math),
    c("MATH7", "Math 7", 1.0, Wing::Math),
    c("PREALG", "Pre-Algebra", 1.0, Wing::Math),
    c("SCI6", "Earth Science 6", 1.0, Wing::Science),
    c("SCI7", "Life Science 7", 1.0, Wing::Science),
    c("SCI8", "Physical Science 8", 1.0, Wing::Science),
    c("SS6", "World Geography 6", 1.0, Wing::Social),
    c("SS7", "Minnesota Studies", 1.0, Wing::Social),
    c("SS8", "U.S. History 8", 1.0, Wing::Social),
    c("PEM", "Physical Education (MS)", 0.5, Wing::Gym),
    c("HLTHM", "Health (MS)", 0.5, Wing::Science),
    c("BANDM", "Band (MS)", 1.0, Wing::Music),
    c("CHORM", "Choir (MS)", 1.0, Wing::Music),
    c("ARTM", "Art (MS)", 1.0, Wing::Arts),
    c("SPANM", "Exploring Spanish", 1.0, Wing::Languages),
    c("TECHM", "Technology Exploration", 1.0, Wing::Math),
    c("ENG9", "English 9", 1.0, Wing::English),
    c("ENG10", "English 10", 1.0, Wing::English),
    c("ENG11", "American Literature", 1.0, Wing::English),
    c("ENG12", "English 12: Composition", 1.0, Wing::English),
    c("ALG1", "Algebra 1", 1.0, Wing::Math),
    c("GEOM", "Geometry", 1.0, Wing::Math),
    c("ALG2", "Algebra 2", 1.0, Wing::Math),
    c("PRECAL", "Precalculus", 1.0, Wing::Math),
    c("CALC", "AP Calculus AB", 1.0, Wing::Math),
    c("BIO", "Biology", 1.0, Wing::Science),
    c("CHEM", "Chemistry", 1.0, Wing::Science),
    c("ENVSCI", "Environmental Science", 1.0, Wing::Science),
    c("PHYS", "Physics", 1.0, Wing::Science),
    c("ANAT", "Anatomy and Physiology", 1.0, Wing::Science),
    c("GEOG", "Human Geography", 1.0, Wing::Social),
    c("WHIST", "World History", 1.0, Wing::Social),
    c("USHIST", "U.S. History", 1.0, Wing::Social),
    c("GOVT", "American Government", 0.5, Wing::Social),
    c("ECON", "Economics", 0.5, Wing::Social),
    c("PSYCH", "Psychology", 0.5, Wing::Social),
    c("PE", "Physical Education", 0.5, Wing::Gym),
    c("HLTH", "Health", 0.5, Wing::Science),
    c("LFIT", "Lifetime Fitness", 0.5, Wing::Gym),
    c("ART1", "Art 1", 1.0, Wing::Arts),
    c("ART2", "Art 2", 1.0, Wing::Arts),
    c("BAND", "Concert Band", 1.0, Wing::Music),
    c("CHOR", "Concert Choir", 1.0, Wing::Music),
    c("SPAN1", "Spanish 1", 1.0, Wing::Languages),
    c("SPAN2", "Spanish 2", 1.0, Wing::Languages),
    c("SPAN3", "Spanish 3", 1.0, Wing::Languages),
    c("FREN1", "French 1", 1.0, Wing::Languages),
    c("CSP", "AP Computer Science Principles", 1.0, Wing::Math),
];

/// The index of a course in [`COURSES`].
pub(crate) fn course_index(number: &str) -> usize {
    COURSES.iter().position(|c| c.number == number).expect("course in the catalog")
}

/// What a student takes in one slot of the day: a full-year course, or one
/// course each semester in the same period.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Choice {
    Year(&'static str),
    Semesters(&'static str, &'static str),
}

impl Choice {
    /// The choice's (course number, term) pairs.
    pub fn parts(self) -> impl Iterator<Item = (&'static str, i64)> {
        let (a, b) = match self {
            Choice::Year(c) => ((c, YEAR_TERM), None),
            Choice::Semesters(x, y) => ((x, S1), Some((y, S2))),
        };
        std::iter::once(a).chain(b)
    }
}

use Choice::{Semesters as Sem, Year as Y};

type Slots = &'static [&'static [Choice]];

/// The slots of a grade's day: each slot lists the alternatives a class
/// group may take in it.
pub(crate) fn slots(grade: i32) -> Slots {
    const K: Slots = &[&[Y("HRK")], &[Y("ELART")], &[Y("ELMUS")], &[Y("ELPE")]];
    const G1: Slots = &[&[Y("HR1")], &[Y("ELART")], &[Y("ELMUS")], &[Y("ELPE")]];
    const G2: Slots = &[&[Y("HR2")], &[Y("ELART")], &[Y("ELMUS")], &[Y("ELPE")]];
    const G3: Slots = &[&[Y("HR3")], &[Y("ELART")], &[Y("ELMUS")], &[Y("ELPE")]];
    const G4: Slots = &[&[Y("HR4")], &[Y("ELART")], &[Y("ELMUS")], &[Y("ELPE")]];
    const G5: Slots = &[&[Y("HR5")], &[Y("ELART")], &[Y("ELMUS")], &[Y("ELPE")]];
    const MS_ELECTIVES: &[Choice] = &[Y("BANDM"), Y("CHORM"), Y("ARTM")];
    const MS_EXPLORE: &[Choice] = &[Y("SPANM"), Y("TECHM")];
    const G6: Slots =
        &[&[Y("ENG6")], &[Y("MATH6")], &[Y("SCI6")], &[Y("SS6")], &[Sem("PEM", "HLTHM")], MS_ELECTIVES, MS_EXPLORE];
    const G7: Slots =
        &[&[Y("ENG7")], &[Y("MATH7")], &[Y("SCI7")], &[Y("SS7")], &[Sem("PEM", "HLTHM")], MS_ELECTIVES, MS_EXPLORE];
    const G8: Slots = &[
        &[Y("ENG8")],
        &[Y("PREALG"), Y("MATH7")],
        &[Y("SCI8")],
        &[Y("SS8")],
        &[Sem("PEM", "HLTHM")],
        MS_ELECTIVES,
        MS_EXPLORE,
    ];
    const ARTS: &[Choice] = &[Y("ART1"), Y("BAND"), Y("CHOR")];
    const G9: Slots = &[
        &[Y("ENG9")],
        &[Y("ALG1"), Y("GEOM")],
        &[Y("BIO")],
        &[Y("GEOG")],
        &[Sem("PE", "HLTH")],
        ARTS,
        &[Y("SPAN1"), Y("FREN1")],
    ];
    const G10: Slots = &[
        &[Y("ENG10")],
        &[Y("GEOM"), Y("ALG2")],
        &[Y("CHEM"), Y("ENVSCI")],
        &[Y("WHIST")],
        &[Sem("LFIT", "PSYCH")],
        ARTS,
        &[Y("SPAN2"), Y("SPAN1"), Y("CSP")],
    ];
    const G11: Slots = &[
        &[Y("ENG11")],
        &[Y("ALG2"), Y("PRECAL")],
        &[Y("PHYS"), Y("CHEM")],
        &[Y("USHIST")],
        &[Y("ART2"), Y("BAND"), Y("CHOR")],
        &[Y("SPAN3"), Y("SPAN2"), Y("CSP")],
        &[Sem("LFIT", "PSYCH")],
    ];
    const G12: Slots = &[
        &[Y("ENG12")],
        &[Y("PRECAL"), Y("CALC")],
        &[Y("PHYS"), Y("ANAT")],
        &[Sem("GOVT", "ECON")],
        &[Y("ART2"), Y("BAND"), Y("CHOR")],
        &[Y("SPAN3"), Y("CSP")],
        &[Sem("PSYCH", "LFIT")],
    ];
    match grade {
        ..=0 => K,
        1 => G1,
        2 => G2,
        3 => G3,
        4 => G4,
        5 => G5,
        6 => G6,
        7 => G7,
        8 => G8,
        9 => G9,
        10 => G10,
        11 => G11,
        _ => G12,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slot_names_catalog_courses_of_the_grade_level() {
        for grade in 0..=12 {
            for slot in slots(grade) {
                for choice in *slot {
                    for (number, _) in choice.parts() {
                        course_index(number);
                    }
                }
            }
        }
        let numbers: std::collections::HashSet<_> = COURSES.iter().map(|c| c.number).collect();
        assert_eq!(numbers.len(), COURSES.len(), "course numbers are unique");
    }

    #[test]
    fn areas_feed_schools_of_the_right_level() {
        let mut s = Snapshot::default();
        let d = District::build(2000, &mut s);
        assert!(d.schools.len() >= 5);
        for area in 0..d.areas() {
            for grade in 0..=12 {
                let school = &d.schools[d.school_for(area, grade)];
                assert_eq!(school.level, Level::of_grade(grade));
            }
        }
    }
}
