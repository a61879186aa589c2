//! Headless Chromium: the review slice carries only the home schools'
//! sections; choosing another school in the section picker fetches its
//! sections from the relay, lists exactly what the core lists for the
//! whole district, and a section chosen there is written back (the relay
//! recomputes the writeback with that school's sections).

mod common;

use std::time::{Duration, Instant};

use common::*;
use fantoccini::{Client, Locator};
use writeback::courses::SectionsElsewhere;
use writeback::plan::{ApplicationReview, SliceIndex};

async fn section_ids(c: &Client) -> Vec<String> {
    let mut ids = Vec::new();
    for el in c.find_all(Locator::Css("#wb-picker tr.wb-section-option")).await.unwrap() {
        ids.push(el.attr("data-section-id").await.unwrap().unwrap_or_default());
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_schools_sections_are_fetched_when_chosen() {
    let (tmp, demo) = generate("1000", "11");
    let (district, reviewer, apps) = load_district(&demo);
    let slices = SliceIndex::build(&district);
    // An application whose first course with sections elsewhere can be
    // picked at a school other than the default one.
    let (app, index, course, school, expected) =
        apps.iter()
            .find_map(|(_, app)| {
                let prepared = ApplicationReview::prepare(&district, app, &family_of(&apps, app), &reviewer);
                let courses = prepared.courses();
                if !courses.available() {
                    return None;
                }
                let family = family_of(&apps, app);
                let slice = slices.review_data(&district, app, &family, &reviewer, &[]);
                courses.requests().iter().enumerate().find_map(|(i, r)| {
                    let default = courses.picker(&r.course_number, None, None, None);
                    // A school whose sections the slice leaves out.
                    let other = default.schools.iter().find(|s| {
                        SectionsElsewhere::left_out(&slice.sections_elsewhere, &r.course_number, s.school_id)
                    })?;
                    let there = courses.picker(&r.course_number, Some(other.school_id), None, None);
                    let ids: Vec<String> = there.sections.iter().map(|s| s.section_id.to_string()).collect();
                    (!ids.is_empty()).then(|| (app.id.to_string(), i, r.course_number.clone(), other.school_id, ids))
                })
            })
            .expect("the demo has a course offered at another school");

    let s = Session::start(tmp, demo, Vec::new()).await;
    s.open(&app).await;
    click(&s.client, &format!("#wb-course-select-{index}")).await;
    s.client
        .wait()
        .at_most(SHOW_LIMIT)
        .for_element(Locator::Css(&format!("#wb-picker[data-course='{course}']")))
        .await
        .unwrap();
    let select = s.client.find(Locator::Css("#wb-picker-school")).await.unwrap();
    select.select_by_value(&school.to_string()).await.unwrap();
    let start = Instant::now();
    loop {
        let listed = section_ids(&s.client).await;
        if listed == expected {
            break;
        }
        assert!(start.elapsed() < SHOW_LIMIT, "the picker at school {school} lists {listed:?}, the core {expected:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    click(&s.client, &format!("#wb-section-{}", expected[0])).await;
    click(&s.client, "button.wb-picker-select").await;
    let row = text_of(&s.client, &format!("#wb-course-{index}")).await;
    assert!(!row.contains("not found"), "the chosen section is known to the review: {row}");
    // Approved and submitted: the relay recomputes with that school's sections.
    let approval = s.client.find(Locator::Css(&format!("#wb-approval-{index}"))).await.unwrap();
    approval.select_by_value("approved").await.unwrap();
    click(&s.client, "button.wb-course-submit").await;
    let start = Instant::now();
    loop {
        let rows = s.client.find_all(Locator::Css("tr.wb-history-entry")).await.unwrap();
        if !rows.is_empty() {
            let text = rows[0].prop("textContent").await.unwrap().unwrap_or_default();
            assert!(text.contains(&course), "the history entry writes {course}: {text}");
            break;
        }
        let errors = s.client.find_all(Locator::Css(".wb-courses .wb-error, .wb-error")).await.unwrap();
        for e in errors {
            let t = e.prop("textContent").await.unwrap().unwrap_or_default();
            assert!(t.is_empty(), "the submission was refused: {t}");
        }
        assert!(start.elapsed() < SHOW_LIMIT, "no history entry after submitting");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
