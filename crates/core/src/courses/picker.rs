//! The section picker: for one requested course, the schools that teach it,
//! a school's terms, the entry date, and the sections whose term covers
//! that date, with what staff need to choose one.

use serde::Serialize;

use super::catalog::{Catalog, Span};
use super::expression::Meetings;
use crate::domain::{Date, SchoolNumber, SectionId, TermId};
use crate::snapshot::{Section, Term};

/// The entry date offered for a section of `term`: `today` while the term is
/// running (its first day <= `today` <= its last day), else the term's first
/// day (a term not started yet, or one already over).
pub fn default_entry_date(term: &Term, today: Date) -> Date {
    Span::of(term).default_entry(today)
}

/// The term a picker opens on among `terms` (one school's): only year terms
/// (IsYearRec) are considered when the school has any. Of those, the one
/// running `today` (the latest-starting if several); else the next to start;
/// else the last to end. `None` when `terms` is empty.
pub(crate) fn default_term<'a>(terms: &[&'a Term], today: Date) -> Option<&'a Term> {
    let years: Vec<&Term> = terms.iter().copied().filter(|t| t.is_year).collect();
    let pool = if years.is_empty() { terms.to_vec() } else { years };
    let running =
        pool.iter().filter(|t| Span::of(t).covers(today)).max_by_key(|t| (t.first_day, std::cmp::Reverse(t.id)));
    let next = || pool.iter().filter(|t| t.first_day > today).min_by_key(|t| (t.first_day, t.id));
    let last = || pool.iter().max_by_key(|t| (t.last_day, std::cmp::Reverse(t.id)));
    running.or_else(next).or_else(last).copied()
}

/// A school the picker offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchoolChoice {
    /// School_Number.
    pub school_id: SchoolNumber,
    /// The school's name.
    pub name: String,
    /// How many sections of the course it has (any term).
    pub sections: usize,
}

/// A term the picker offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermChoice {
    /// Terms.ID.
    pub term_id: TermId,
    /// Its name, e.g. `Semester 1`.
    pub name: String,
    /// Its abbreviation, e.g. `S1`.
    pub abbreviation: String,
    /// First day.
    pub first_day: Date,
    /// Last day.
    pub last_day: Date,
    /// Whether it is the full-year term.
    pub is_year: bool,
}

impl TermChoice {
    fn of(t: &Term) -> TermChoice {
        TermChoice {
            term_id: t.id,
            name: t.name.clone(),
            abbreviation: t.abbreviation.clone(),
            first_day: t.first_day,
            last_day: t.last_day,
            is_year: t.is_year,
        }
    }
}

/// A section as staff choose it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionOption {
    /// Sections.ID (what a decision stores).
    pub section_id: SectionId,
    /// Course_Number.
    pub course_number: String,
    /// Section_Number.
    pub section_number: String,
    /// SchoolID.
    pub school_id: SchoolNumber,
    /// The school's name.
    pub school_name: String,
    /// The section's term.
    pub term: TermChoice,
    /// The lead teacher.
    pub teacher: String,
    /// The Expression as PowerSchool shows it, e.g. `3(A)`.
    pub expression: String,
    /// The periods it meets in (empty when the Expression cannot be read).
    pub periods: Vec<String>,
    /// The days it meets on (empty when the Expression cannot be read).
    pub days: Vec<String>,
    /// Room.
    pub room: String,
    /// MaxEnrollment.
    pub max_enrollment: i32,
    /// No_of_Students.
    pub enrolled: i32,
    /// MaxEnrollment - No_of_Students (negative when over capacity).
    pub seats_left: i32,
    /// No seat left: enrolling needs staff to confirm.
    pub full: bool,
}

impl SectionOption {
    /// The option for `section`, which runs in `term`.
    pub(crate) fn new(catalog: &Catalog, section: &Section, term: &Term) -> SectionOption {
        let meetings = Meetings::parse(&section.expression).ok();
        let seats_left = section.max_enrollment.saturating_sub(section.enrolled);
        SectionOption {
            section_id: section.id,
            course_number: section.course_number.clone(),
            section_number: section.section_number.clone(),
            school_id: section.school_id,
            school_name: catalog.school_name(section.school_id),
            term: TermChoice::of(term),
            teacher: section.teacher.clone(),
            expression: section.expression.clone(),
            periods: meetings.as_ref().map(Meetings::periods).unwrap_or_default(),
            days: meetings.as_ref().map(Meetings::days).unwrap_or_default(),
            room: section.room.clone(),
            max_enrollment: section.max_enrollment,
            enrolled: section.enrolled,
            seats_left,
            full: seats_left <= 0,
        }
    }
}

/// What the section picker shows for one course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionPicker {
    /// The course.
    pub course_number: String,
    /// Its name.
    pub course_name: String,
    /// The schools with a section of the course (the chosen one first added
    /// if it has none).
    pub schools: Vec<SchoolChoice>,
    /// The chosen school.
    pub school_id: SchoolNumber,
    /// The chosen school's terms.
    pub terms: Vec<TermChoice>,
    /// The chosen term (`None` when the school has no terms).
    pub term_id: Option<TermId>,
    /// The entry date the list is for.
    pub entry_date: Option<Date>,
    /// The course's sections at the school whose term covers the entry
    /// date: by term (longest first), period, then section number.
    pub sections: Vec<SectionOption>,
    /// Why the list is empty, or what was adjusted; `None` when all is well.
    pub message: Option<String>,
}

/// What the picker is asked for.
pub(crate) struct Query<'a> {
    pub course_number: &'a str,
    pub course_name: &'a str,
    /// Default schools, in order of preference (application's, student's).
    pub home: &'a [SchoolNumber],
    pub today: Date,
    pub school: Option<SchoolNumber>,
    pub term: Option<TermId>,
    pub entry_date: Option<Date>,
}

/// Builds the picker for `q`.
pub(crate) fn pick(catalog: &Catalog, q: &Query<'_>) -> SectionPicker {
    let course = q.course_number;
    let mut schools: Vec<SchoolChoice> = catalog
        .schools_of(course)
        .into_iter()
        .map(|(school_id, sections)| SchoolChoice { school_id, name: catalog.school_name(school_id), sections })
        .collect();
    let offers = |id: SchoolNumber| schools.iter().any(|s| s.school_id == id);
    let school_id = q
        .school
        .or_else(|| q.home.iter().copied().find(|&h| offers(h)))
        .or_else(|| q.home.first().copied())
        .unwrap_or(SchoolNumber(0));
    let offered = offers(school_id);
    let mut notes: Vec<String> = Vec::new();
    if !offered {
        let name = catalog.school_name(school_id);
        notes.push(if schools.is_empty() {
            format!("no school has a section of {course}: deny the course, or ask the registrar to add a section")
        } else {
            format!("{name} has no section of {course}: choose another school, or deny the course")
        });
        schools.insert(0, SchoolChoice { school_id, name, sections: 0 });
    }

    let terms = catalog.terms_of(school_id);
    let asked = q.term.and_then(|id| terms.iter().copied().find(|t| t.id == id));
    if let (Some(id), None) = (q.term, asked) {
        notes.push(format!("term {id} is not a term of {}: showing the default term", catalog.school_name(school_id)));
    }
    let term = asked.or_else(|| default_term(&terms, q.today));
    let entry_date = q.entry_date.or_else(|| term.map(|t| default_entry_date(t, q.today)));
    if let (Some(t), Some(d)) = (term, entry_date) {
        if !Span::of(t).covers(d) {
            notes.push(format!(
                "the entry date {} is outside {} ({}): showing the sections running on that date",
                d.to_us(),
                t.name,
                Span::of(t).label()
            ));
        }
    }
    if terms.is_empty() {
        notes.push(format!("{} has no terms in the snapshot: refresh the snapshot", catalog.school_name(school_id)));
    }

    let mut sections: Vec<(Span, &Section, &Term)> = catalog
        .sections_of(course)
        .filter(|s| s.school_id == school_id)
        .filter_map(|s| catalog.term(s.school_id, s.term_id).map(|t| (Span::of(t), s, t)))
        .filter(|(span, _, _)| entry_date.is_some_and(|d| span.covers(d)))
        .collect();
    crate::sort::by_cached_key(&mut sections, |(span, s, _)| {
        let period = Meetings::parse(&s.expression).ok().and_then(|m| m.periods().first().cloned());
        (
            span.first,
            std::cmp::Reverse(span.last),
            s.term_id,
            period.map(|p| natural(&p)),
            natural(&s.section_number),
            s.id,
        )
    });
    let sections: Vec<SectionOption> =
        sections.into_iter().map(|(_, s, t)| SectionOption::new(catalog, s, t)).collect();
    if sections.is_empty() && offered {
        if let Some(d) = entry_date {
            notes.push(format!(
                "no section of {course} at {} runs on {}: choose another term or entry date",
                catalog.school_name(school_id),
                d.to_us()
            ));
        }
    }

    SectionPicker {
        course_number: course.to_string(),
        course_name: q.course_name.to_string(),
        schools,
        school_id,
        terms: terms.iter().map(|t| TermChoice::of(t)).collect(),
        term_id: term.map(|t| t.id),
        entry_date,
        sections,
        message: (!notes.is_empty()).then(|| notes.join("; ")),
    }
}

/// Sorts numbers as numbers (`2` before `10`), and before text.
fn natural(s: &str) -> (bool, u64, String) {
    match s.trim().parse::<u64>() {
        Ok(n) => (false, n, String::new()),
        Err(_) => (true, 0, s.to_string()),
    }
}
