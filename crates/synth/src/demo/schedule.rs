//! The 2026-2027 master schedule: each school's grade is split into class
//! groups of about 26; a group takes one section of each course of its day
//! (so a student's periods never clash), and the returning students are
//! enrolled (CC) in those sections for the term.

use super::district::{course_index, slots, term_days, District, Wing, COURSES};
use super::records::{EXT_USER, USER_HOMEROOM};
use crate::names::{self, Heritage};
use crate::rng::Rng;
use writeback_core::domain::{SchoolNumber, SectionId, StudentDcid, StudentId, TermId};
use writeback_core::snapshot::{CourseEnrollment, Section, Snapshot};

/// Target class size.
const GROUP: usize = 26;

/// A course's sections at one school so far.
#[derive(Debug, Clone, Default)]
struct CourseState {
    sections: usize,
    teacher: String,
    room: String,
}

/// Adds sections and CC rows for every active student in `snapshot`, and
/// fills their homeroom teacher in `U_StudentsUserFields`.
pub(crate) fn build(rng: &mut Rng, district: &District, snapshot: &mut Snapshot) {
    // Active students by school and grade: (Students.ID, DCID).
    let mut buckets: Vec<Vec<(StudentId, StudentDcid)>> = vec![Vec::new(); district.schools.len() * 13];
    for s in &snapshot.students {
        if s.enroll_status == 0 && (0..=12).contains(&s.grade_level) {
            buckets[district.index_of(s.school_id.get()) * 13 + s.grade_level as usize].push((s.id, s.dcid));
        }
    }
    let mut section_id = 10_001;
    let mut cc_id = 1_000_001;
    let mut homerooms: Vec<(StudentDcid, String)> = Vec::new();
    for (si, school) in district.schools.iter().enumerate() {
        let periods = school.level.periods();
        let mut courses = vec![CourseState::default(); COURSES.len()];
        let mut rooms = [0usize; 9];
        let mut group_no = 0;
        for grade in school.level.grades() {
            let members = &buckets[si * 13 + grade as usize];
            if members.is_empty() {
                continue;
            }
            let groups = members.len().div_ceil(GROUP);
            let (base, extra) = (members.len() / groups, members.len() % groups);
            let mut start = 0;
            for g in 0..groups {
                let size = base + usize::from(g < extra);
                let group = &members[start..start + size];
                start += size;
                for (slot_no, slot) in slots(grade).iter().enumerate() {
                    let choice = *rng.pick(slot);
                    let period = (slot_no + group_no) % periods + 1;
                    for (number, term) in choice.parts() {
                        let ci = course_index(number);
                        let wing = COURSES[ci].wing;
                        let state = &mut courses[ci];
                        let per_teacher = if wing == Wing::Homeroom { 1 } else { 6 };
                        if state.sections % per_teacher == 0 {
                            state.teacher = teacher_name(rng);
                            let w = wing as usize;
                            state.room = wing.room(rooms[w]);
                            rooms[w] += 1;
                        }
                        state.sections += 1;
                        let max = if size >= 20 && rng.percent(22) {
                            size as i32
                        } else {
                            (size as i32 + rng.range(1, 6) as i32).clamp(20, 32).max(size as i32)
                        };
                        let id = section_id;
                        section_id += 1;
                        let section_number = state.sections.to_string();
                        snapshot.sections.push(Section {
                            id: SectionId(id),
                            dcid: 7_000_000 + id,
                            course_number: number.to_string(),
                            section_number: section_number.clone(),
                            school_id: SchoolNumber(school.number),
                            term_id: TermId(term),
                            teacher: state.teacher.clone(),
                            expression: format!("{period}(A)"),
                            room: state.room.clone(),
                            max_enrollment: max,
                            enrolled: size as i32,
                        });
                        let (first, last) = term_days(term);
                        let left = last.add_days(1).expect("valid date");
                        for &(student_id, _) in group {
                            snapshot.enrollments.push(CourseEnrollment {
                                id: cc_id,
                                student_id,
                                section_id: SectionId(id),
                                school_id: SchoolNumber(school.number),
                                term_id: TermId(term),
                                course_number: number.to_string(),
                                section_number: section_number.clone(),
                                date_enrolled: first,
                                date_left: left,
                            });
                            cc_id += 1;
                        }
                        if slot_no == 0 && term == super::district::YEAR_TERM {
                            homerooms.extend(group.iter().map(|&(_, dcid)| (dcid, state.teacher.clone())));
                        }
                    }
                }
                group_no += 1;
            }
        }
    }
    let rows = &mut snapshot.extensions[EXT_USER].rows;
    for (dcid, teacher) in homerooms {
        if let Some(row) = rows.get_mut(&dcid) {
            row[USER_HOMEROOM] = teacher;
        }
    }
}

/// A teacher's name as Sections.Teacher shows it: `Last, First`.
fn teacher_name(rng: &mut Rng) -> String {
    let h = if rng.percent(65) { Heritage::Anglo } else { names::heritage(rng) };
    let gender = if rng.percent(70) { "F" } else { "M" };
    let first = names::first_name(rng, h, gender);
    let last = names::last_name(rng, h);
    format!("{last}, {first}")
}
