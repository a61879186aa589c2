//! Applying staff's decisions: the rows, the rules that block or warn, and
//! the schedules file of the approved courses.

use super::catalog::{Current, Span};
use super::decision::{Approval, CourseDecision, CourseDecisions};
use super::expression::Meetings;
use super::picker::SectionOption;
use super::review::{CourseProblem, CourseRow, CoursesOutcome, CoursesReview};
use crate::domain::{Date, SectionId};
use crate::flatfile::{ScheduleRow, SchedulesFile};

/// An approved course whose section and term are known.
struct Placed {
    course: String,
    section: SectionOption,
    span: Span,
    meetings: Option<Meetings>,
    /// The file row, when the dates are valid.
    row: Option<ScheduleRow>,
}

/// Collects problems, each tied to a course or to the whole writeback.
#[derive(Default)]
struct Problems {
    blockers: Vec<CourseProblem>,
    warnings: Vec<CourseProblem>,
    /// The warnings that are period clashes with the current schedule
    /// (also in `warnings`): said before approving, with the blockers.
    clashes: Vec<String>,
}

impl Problems {
    fn block(&mut self, course: Option<&str>, message: String) {
        self.blockers.push(CourseProblem { course: course.map(str::to_string), message });
    }
    fn warn(&mut self, course: Option<&str>, message: String) {
        self.warnings.push(CourseProblem { course: course.map(str::to_string), message });
    }
}

impl CoursesReview {
    /// The course writeback under `decisions`: rows, blockers, warnings and,
    /// when nothing blocks, the schedules file and the history summary.
    pub fn decide(&self, decisions: &CourseDecisions) -> CoursesOutcome {
        let mut p = Problems::default();
        for check in &self.prerequisites {
            if let Some(why) = &check.unmet {
                p.block(None, why.clone());
            }
        }
        for key in decisions.keys() {
            if !self.requests.iter().any(|r| &r.course_number == key) {
                p.block(
                    Some(key),
                    format!("a decision is given for {key:?}, which the family did not request: remove it"),
                );
            }
        }
        let decision = |number: &str| decisions.get(number).cloned().unwrap_or_default();
        if !self.requests.is_empty()
            && self.requests.iter().all(|r| decision(&r.course_number).approval == Approval::Pending)
        {
            p.block(None, "approve or deny at least one course before submitting".into());
        }

        let mut rows = Vec::new();
        let mut placed: Vec<Placed> = Vec::new();
        // Pending courses, checked once every approved one is placed.
        let mut pending: Vec<(usize, CourseDecision, Option<SectionOption>, Option<Date>)> = Vec::new();
        for request in &self.requests {
            let course = request.course_number.as_str();
            let d = decision(course);
            let chosen = self.chosen(course, &d);
            let span = chosen.as_ref().map(|s| Span { first: s.term.first_day, last: s.term.last_day });
            let entry_date = d.entry_date.or_else(|| span.map(|s| s.default_entry(self.today)));
            let date_left = span.and_then(|s| s.last.add_days(1));
            rows.push(CourseRow {
                request: request.clone(),
                approval: d.approval,
                section: chosen.clone(),
                entry_date,
                date_left,
                confirm_full: d.confirm_full,
                if_approved: Vec::new(),
            });
            match d.approval {
                Approval::Pending => {
                    let name = if course.is_empty() { "the course without a number" } else { course };
                    p.warn(Some(course), format!("{name} is still pending: it is neither written nor denied"));
                    pending.push((rows.len() - 1, d, chosen, entry_date));
                }
                Approval::Denied => {}
                Approval::Approved => {
                    if !request.in_catalog || self.catalog.schools_of(course).is_empty() {
                        p.block(Some(course), request.problem.clone().unwrap_or_default());
                        continue;
                    }
                    match (chosen, entry_date) {
                        (Some(section), Some(entry)) => {
                            let next = self.approve(&mut p, course, &d, section, entry, &placed);
                            placed.push(next);
                        }
                        _ => p.block(Some(course), self.missing_section(course, &d)),
                    }
                }
            }
        }

        for (index, d, chosen, entry) in pending {
            let course = rows[index].request.course_number.clone();
            rows[index].if_approved = self.if_approved(&course, &d, chosen, entry, &placed);
        }

        let approved = placed.len();
        let mut schedule = None;
        let mut schedule_text = None;
        if p.blockers.is_empty() && approved > 0 {
            let file = SchedulesFile { rows: placed.iter().filter_map(|x| x.row.clone()).collect() };
            match file.to_text() {
                Ok(text) => {
                    schedule_text = Some(text);
                    schedule = Some(file);
                }
                Err(e) => {
                    // Line 2 is the first data row.
                    let course = e.line.checked_sub(2).and_then(|i| placed.get(i)).map(|x| x.course.as_str());
                    p.block(course, format!("the schedules file cannot be written: {e}"));
                }
            }
        }
        let ready = p.blockers.is_empty();
        let by = |a: Approval| -> Vec<String> {
            if !ready {
                return Vec::new();
            }
            rows.iter().filter(|r| r.approval == a).map(|r| r.request.course_number.clone()).collect()
        };
        let (written, denied) = (by(Approval::Approved), by(Approval::Denied));
        CoursesOutcome {
            prerequisites: self.prerequisites.clone(),
            rows,
            blockers: p.blockers,
            warnings: p.warnings,
            schedule,
            schedule_text,
            written,
            denied,
        }
    }

    /// What would block approving `course` in section `section_id` from
    /// `entry_date`, beside the other courses as `decisions` stand: for the
    /// picker, before staff choose. A full section is left out (the picker
    /// marks it and asks to confirm).
    pub fn conflicts_if_chosen(
        &self,
        decisions: &CourseDecisions,
        course: &str,
        section_id: SectionId,
        entry_date: Option<Date>,
    ) -> Vec<String> {
        let mut trial = decisions.clone();
        trial.insert(
            course.to_string(),
            CourseDecision {
                section_id: Some(section_id),
                entry_date,
                approval: Approval::Pending,
                confirm_full: true,
            },
        );
        let outcome = self.decide(&trial);
        outcome.rows.into_iter().find(|r| r.request.course_number == course).map(|r| r.if_approved).unwrap_or_default()
    }

    /// The chosen section, when it is a section of `course` with a known term.
    fn chosen(&self, course: &str, d: &CourseDecision) -> Option<SectionOption> {
        let s = self.catalog.section(d.section_id?).filter(|s| s.course_number == course)?;
        let term = self.catalog.term(s.school_id, s.term_id)?;
        Some(SectionOption::new(&self.catalog, s, term))
    }

    /// What would block a pending `course` if staff approved it as it
    /// stands, beside the courses already approved (`placed`), then its
    /// period clashes with the current schedule (a warning once approved).
    /// Without a section: the student's current enrolments in the course.
    fn if_approved(
        &self,
        course: &str,
        d: &CourseDecision,
        chosen: Option<SectionOption>,
        entry: Option<Date>,
        placed: &[Placed],
    ) -> Vec<String> {
        if let (Some(section), Some(entry)) = (chosen, entry) {
            let mut scratch = Problems::default();
            self.approve(&mut scratch, course, d, section, entry, placed);
            return scratch.blockers.into_iter().map(|b| b.message).chain(scratch.clashes).collect();
        }
        self.catalog
            .current_from(self.today)
            .filter(|c| c.course_number == course)
            .map(|c| {
                format!(
                    "the student is already enrolled in {course} (section {}, {}): approve it only in a term that does not overlap",
                    c.section_number, c.term_name
                )
            })
            .collect()
    }

    /// Why an approved course has no usable section.
    fn missing_section(&self, course: &str, d: &CourseDecision) -> String {
        let Some(id) = d.section_id else {
            return format!("{course} is approved without a section: choose a section of {course}, or deny it");
        };
        match self.catalog.section(id) {
            None => format!(
                "the section chosen for {course} (Sections.ID {id}) is not a section of {course} in the snapshot: choose a section again"
            ),
            Some(s) if s.course_number != course => format!(
                "the section chosen for {course} (Sections.ID {id}) is section {} of {}: choose a section of {course}",
                s.section_number, s.course_number
            ),
            Some(s) => format!(
                "the term of {course} section {} (TermID {} at {}) is not in Terms: refresh the snapshot, or choose another section",
                s.section_number,
                s.term_id,
                self.catalog.school_name(s.school_id)
            ),
        }
    }

    /// Checks one approved section against the rules and the sections
    /// approved before it; returns it placed, with its file row when its
    /// dates are valid.
    fn approve(
        &self,
        p: &mut Problems,
        course: &str,
        d: &CourseDecision,
        section: SectionOption,
        entry: Date,
        placed: &[Placed],
    ) -> Placed {
        let label = format!("{course} section {}", section.section_number);
        let span = Span { first: section.term.first_day, last: section.term.last_day };
        let mut dates_ok = true;
        if !span.covers(entry) {
            dates_ok = false;
            p.block(
                Some(course),
                format!(
                    "the entry date {} is outside {} ({}), the term of {label}: choose an entry date within the term",
                    entry.to_us(),
                    section.term.name,
                    span.label()
                ),
            );
        }
        let date_left = span.last.add_days(1);
        if date_left.is_none() {
            dates_ok = false;
            p.block(
                Some(course),
                format!("the term of {label} ends on the last day of the calendar: choose another section"),
            );
        }
        for cur in self.catalog.current.iter().filter(|c| c.course_number == course && c.span.overlaps(span)) {
            p.block(
                Some(course),
                format!(
                    "the student is already enrolled in {course} (section {}, {}): deny the course, or choose a section in a term that does not overlap",
                    cur.section_number, cur.term_name
                ),
            );
        }
        if section.full {
            p.warn(
                Some(course),
                format!("{label} is full ({} of {} seats taken)", section.enrolled, section.max_enrollment),
            );
            if !d.confirm_full {
                p.block(
                    Some(course),
                    format!(
                        "{label} is full: confirm enrolling beyond its {} seats, or choose another section",
                        section.max_enrollment
                    ),
                );
            }
        }
        if section.school_id != self.application_school {
            p.warn(
                Some(course),
                format!(
                    "{label} is at {}, not at the application's school ({})",
                    section.school_name,
                    self.catalog.school_name(self.application_school)
                ),
            );
        }
        let meetings = match Meetings::parse(&section.expression) {
            Ok(m) => Some(m),
            Err(e) => {
                p.warn(Some(course), format!("{label}: {e}: check it for period conflicts by hand"));
                None
            }
        };
        if let Some(m) = &meetings {
            for other in placed.iter().filter(|o| o.span.overlaps(span)) {
                if let Some(clash) = other.meetings.as_ref().and_then(|o| m.clash(o)) {
                    let both = Span { first: span.first.max(other.span.first), last: span.last.min(other.span.last) };
                    p.block(
                        Some(course),
                        format!(
                            "{label} and {} section {} both meet in {clash} ({}): choose another section for one of them",
                            other.course,
                            other.section.section_number,
                            both.label()
                        ),
                    );
                }
            }
            // A current section also approved (so blocked) is said once, as an approved one.
            let also_approved = |c: &Current| {
                placed.iter().any(|o| o.course == c.course_number && o.section.section_number == c.section_number)
            };
            let current = self.catalog.current.iter();
            for cur in current.filter(|c| c.course_number != course && c.span.overlaps(span) && !also_approved(c)) {
                if let Some(clash) = cur.meetings.as_ref().and_then(|o| m.clash(o)) {
                    let message = format!(
                        "{label} meets in {clash}, as does the student's current {} section {} ({}): check the student's schedule in PowerSchool",
                        cur.course_number, cur.section_number, cur.term_name
                    );
                    p.clashes.push(message.clone());
                    p.warn(Some(course), message);
                }
            }
        }
        let row = match (&self.student_number, date_left) {
            (Some(student_number), Some(date_left)) if dates_ok => Some(ScheduleRow {
                student_number: student_number.clone(),
                course_number: section.course_number.clone(),
                section_number: section.section_number.clone(),
                school_id: section.school_id,
                term_id: section.term.term_id,
                date_enrolled: entry,
                date_left,
            }),
            _ => None,
        };
        Placed { course: course.to_string(), section, span, meetings, row }
    }
}
