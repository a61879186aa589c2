//! The course writeback over every application of a generated district.

use writeback_core::application::ApplicationStatus;
use writeback_core::courses::{
    Approval, CourseDecision, CourseDecisions, CourseSettings, CoursesReview, Staff, COURSE_WRITEBACK_PERMISSION,
};
use writeback_core::flatfile::SchedulesFile;
use writeback_synth::demo::{generate, DemoOptions};

use super::date;

/// Every approved application with courses in a generated district:
/// approving each course with the picker's first non-full section gives a
/// schedules file that reads back, or blockers that each name a course or
/// the writeback — never a panic.
#[test]
fn every_demo_application_gives_a_file_or_clear_blockers() {
    let district = generate(&DemoOptions { students: 400, seed: 3 });
    let settings = CourseSettings { feature_enabled: true, autocomm: None };
    let staff = Staff { name: "Dana".into(), permissions: vec![COURSE_WRITEBACK_PERMISSION.into()] };
    let today = date("2026-08-10");
    let (mut files, mut blocked, mut reasons) = (0, 0, std::collections::BTreeMap::<String, usize>::new());
    for app in district.applications.iter().filter(|a| a.status == ApplicationStatus::Approved && !a.courses.is_empty())
    {
        let review = CoursesReview::prepare(&district.snapshot, app, &settings, &staff, today);
        let mut decisions = CourseDecisions::new();
        for r in review.requests() {
            let picker = review.picker(&r.course_number, None, None, None);
            let section = picker.sections.iter().find(|s| !s.full);
            decisions.insert(
                r.course_number.clone(),
                CourseDecision {
                    section_id: section.map(|s| s.section_id),
                    entry_date: picker.entry_date,
                    approval: Approval::Approved,
                    confirm_full: false,
                },
            );
        }
        let outcome = review.decide(&decisions);
        if outcome.ready() {
            let text = outcome.schedule_text.as_deref().expect("an approved, unblocked writeback has a file");
            let file = SchedulesFile::read(text).unwrap();
            assert_eq!(Some(&file), outcome.schedule.as_ref());
            assert_eq!(file.rows.len(), review.requests().len(), "{}", app.id);
            assert!(file.rows.iter().all(|row| Some(&row.student_number) == app.student_number.as_ref()));
            files += 1;
        } else {
            assert!(outcome.schedule.is_none() && outcome.written.is_empty());
            for b in &outcome.blockers {
                assert!(!b.message.is_empty());
                if let Some(c) = &b.course {
                    assert!(b.message.contains(c.as_str()), "{}: {b:?}", app.id);
                }
                let kind = b.message.split(':').next().unwrap_or("").split_whitespace().take(4).collect::<Vec<_>>();
                *reasons.entry(kind.join(" ")).or_default() += 1;
            }
            blocked += 1;
        }
    }
    assert!(files > 0 && blocked > 0, "files {files}, blocked {blocked}, {reasons:?}");
}
