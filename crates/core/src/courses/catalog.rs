//! The part of a snapshot a course writeback needs, kept by the review so it
//! owns its data: school names, terms, the requested courses, their
//! sections, and the student's current enrolments.

use std::collections::{BTreeMap, BTreeSet};

use super::expression::Meetings;
use crate::domain::{Date, SchoolNumber, SectionId, TermId};
use crate::snapshot::{Course, Section, Snapshot, Student, Term};

/// A first and last day, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub first: Date,
    pub last: Date,
}

impl Span {
    /// A term's days.
    pub fn of(term: &Term) -> Span {
        Span { first: term.first_day, last: term.last_day }
    }

    /// Whether `date` is one of its days.
    pub fn covers(self, date: Date) -> bool {
        self.first <= date && date <= self.last
    }

    /// The entry date offered for a term of these days: `today` while it
    /// runs, else its first day.
    pub fn default_entry(self, today: Date) -> Date {
        if self.covers(today) {
            today
        } else {
            self.first
        }
    }

    /// Whether the two share a day.
    pub fn overlaps(self, other: Span) -> bool {
        self.first <= other.last && other.first <= self.last
    }

    /// `08/19/2026-01/15/2027`.
    pub fn label(self) -> String {
        format!("{}-{}", self.first.to_us(), self.last.to_us())
    }
}

/// One of the student's active CC enrolments.
#[derive(Debug, Clone)]
pub(crate) struct Current {
    pub course_number: String,
    /// The course's name in Courses, when the snapshot has it.
    pub course_name: Option<String>,
    pub school_id: SchoolNumber,
    pub section_number: String,
    /// The section's Expression and teacher (empty when Sections lacks it).
    pub expression: String,
    pub teacher: String,
    /// The term's name (or `term <ID>` when Terms lacks it).
    pub term_name: String,
    /// The term's days, or the enrolment's own when Terms lacks the term.
    pub span: Span,
    /// When the section meets, if its Expression is known and readable.
    pub meetings: Option<Meetings>,
}

impl Current {
    /// The number of its first period, for ordering (`u32::MAX` when its
    /// Expression is unknown or its period is not a number).
    pub fn first_period(&self) -> u32 {
        let first = self.meetings.as_ref().and_then(|m| m.periods().into_iter().next());
        first.and_then(|p| p.parse().ok()).unwrap_or(u32::MAX)
    }
}

/// The schools offering a requested course whose sections a review slice
/// leaves out (only how many travel): the picker still lists them;
/// choosing one fetches its sections.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SectionsElsewhere {
    /// The course.
    pub course_number: String,
    /// (School_Number, how many sections of the course it has), by school.
    pub schools: Vec<(SchoolNumber, usize)>,
}

impl SectionsElsewhere {
    /// Whether `course`'s sections at `school` were left out.
    pub fn left_out(all: &[SectionsElsewhere], course: &str, school: SchoolNumber) -> bool {
        all.iter().any(|e| e.course_number == course && e.schools.iter().any(|(s, _)| *s == school))
    }
}

/// What the review keeps of the snapshot.
#[derive(Debug, Clone, Default)]
pub(crate) struct Catalog {
    /// Schools offering a requested course whose sections were left out.
    elsewhere: Vec<SectionsElsewhere>,
    schools: BTreeMap<SchoolNumber, String>,
    /// Keyed by (SchoolID, term ID): a term's ID repeats across schools.
    terms: BTreeMap<(SchoolNumber, TermId), Term>,
    courses: BTreeMap<String, Course>,
    /// Sections of the requested courses, by Sections.ID.
    sections: BTreeMap<SectionId, Section>,
    /// The student's active enrolments (CC rows with a positive SectionID).
    pub current: Vec<Current>,
}

impl Catalog {
    /// Keeps what the review of `requested` course numbers for `student` needs.
    pub fn new(
        snapshot: &Snapshot,
        requested: &BTreeSet<&str>,
        student: Option<&Student>,
        elsewhere: &[SectionsElsewhere],
    ) -> Catalog {
        let schools = crate::sort::map(snapshot.schools.iter().map(|s| (s.school_number, s.name.clone())));
        let terms: BTreeMap<(SchoolNumber, TermId), Term> =
            crate::sort::map(snapshot.terms.iter().map(|t| ((t.school_id, t.id), t.clone())));
        let courses = crate::sort::map(
            snapshot
                .courses
                .iter()
                .filter(|c| requested.contains(c.course_number.as_str()))
                .map(|c| (c.course_number.clone(), c.clone())),
        );
        let sections = crate::sort::map(
            snapshot
                .sections
                .iter()
                .filter(|s| requested.contains(s.course_number.as_str()))
                .map(|s| (s.id, s.clone())),
        );
        let mut current = Vec::new();
        if let Some(student) = student {
            let rows: Vec<_> = snapshot
                .enrollments
                .iter()
                .filter(|cc| cc.student_id == student.id && cc.section_id.get() >= 0)
                .collect();
            let wanted: BTreeSet<SectionId> = crate::sort::set(rows.iter().map(|cc| cc.section_id));
            let sections: BTreeMap<SectionId, &Section> =
                crate::sort::map(snapshot.sections.iter().filter(|s| wanted.contains(&s.id)).map(|s| (s.id, s)));
            let numbers: BTreeSet<&str> = crate::sort::set(rows.iter().map(|cc| cc.course_number.trim()));
            let names: BTreeMap<&str, &str> = crate::sort::map(
                snapshot
                    .courses
                    .iter()
                    .filter(|c| numbers.contains(c.course_number.trim()))
                    .map(|c| (c.course_number.trim(), c.name.as_str())),
            );
            for cc in rows {
                let term = terms.get(&(cc.school_id, cc.term_id));
                let span = match term {
                    Some(t) => Span::of(t),
                    // DateLeft is the day after the last day.
                    None => Span { first: cc.date_enrolled, last: cc.date_left.add_days(-1).unwrap_or(cc.date_left) },
                };
                let section = sections.get(&cc.section_id);
                let number = cc.course_number.trim();
                current.push(Current {
                    course_number: number.to_string(),
                    course_name: names.get(number).map(|n| n.to_string()),
                    school_id: cc.school_id,
                    section_number: cc.section_number.clone(),
                    expression: section.map(|s| s.expression.clone()).unwrap_or_default(),
                    teacher: section.map(|s| s.teacher.clone()).unwrap_or_default(),
                    term_name: term.map(|t| t.name.clone()).unwrap_or_else(|| format!("term {}", cc.term_id)),
                    span,
                    meetings: section.and_then(|s| Meetings::parse(&s.expression).ok()),
                });
            }
        }
        let elsewhere = elsewhere.iter().filter(|e| requested.contains(e.course_number.as_str())).cloned().collect();
        Catalog { elsewhere, schools, terms, courses, sections, current }
    }

    /// The student's enrolments whose term has not ended by `today`.
    pub fn current_from(&self, today: Date) -> impl Iterator<Item = &Current> + '_ {
        self.current.iter().filter(move |c| c.span.last >= today)
    }

    /// The school's name, or `School <number>` when Schools lacks it.
    pub fn school_name(&self, school: SchoolNumber) -> String {
        self.schools.get(&school).cloned().unwrap_or_else(|| format!("School {school}"))
    }

    /// The term `id` of `school`.
    pub fn term(&self, school: SchoolNumber, id: TermId) -> Option<&Term> {
        self.terms.get(&(school, id))
    }

    /// The terms of `school`, year terms before the terms they contain:
    /// by first day, then longest first.
    pub fn terms_of(&self, school: SchoolNumber) -> Vec<&Term> {
        let mut out: Vec<&Term> =
            self.terms.range((school, TermId(i64::MIN))..=(school, TermId(i64::MAX))).map(|(_, t)| t).collect();
        crate::sort::by(&mut out, |a, b| (a.first_day, b.last_day, a.id).cmp(&(b.first_day, a.last_day, b.id)));
        out
    }

    /// The catalog entry of a requested course.
    pub fn course(&self, number: &str) -> Option<&Course> {
        self.courses.get(number)
    }

    /// A section of a requested course, by Sections.ID.
    pub fn section(&self, id: SectionId) -> Option<&Section> {
        self.sections.get(&id)
    }

    /// The sections of `course`, by ID.
    pub fn sections_of<'a>(&'a self, course: &'a str) -> impl Iterator<Item = &'a Section> + 'a {
        self.sections.values().filter(move |s| s.course_number == course)
    }

    /// The schools with a section of `course`, in School_Number order, with
    /// how many sections each has.
    pub fn schools_of(&self, course: &str) -> Vec<(SchoolNumber, usize)> {
        let mut count: BTreeMap<SchoolNumber, usize> = BTreeMap::new();
        for s in self.sections_of(course) {
            *count.entry(s.school_id).or_default() += 1;
        }
        for e in self.elsewhere.iter().filter(|e| e.course_number == course) {
            for &(school, sections) in &e.schools {
                *count.entry(school).or_default() += sections;
            }
        }
        count.into_iter().collect()
    }
}
