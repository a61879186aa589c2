//! Benchmarks that run inside the browser, timed with the browser's own
//! clock (`performance.now()`), and driven by `cargo bench --bench browser`.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::domain::Date;
use crate::plan::{ApplicationReview, Decisions, District, Reviewer};
use writeback_synth::demo::{demo_staff, generate, DemoOptions};

/// Percentiles of one measured operation, in milliseconds.
#[derive(Debug, Serialize)]
pub struct Timing {
    /// Runs measured.
    pub runs: usize,
    /// Median.
    pub p50_ms: f64,
    /// 95th percentile.
    pub p95_ms: f64,
    /// Slowest run.
    pub max_ms: f64,
}

impl Timing {
    /// Percentiles of `samples` (milliseconds).
    pub fn of(mut samples: Vec<f64>) -> Timing {
        samples.sort_by(f64::total_cmp);
        let at = |q: f64| samples.get(((samples.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0.0);
        Timing { runs: samples.len(), p50_ms: at(0.5), p95_ms: at(0.95), max_ms: at(1.0) }
    }
}

/// The browser's monotonic clock in milliseconds.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Decisions timed together per sample (one decide is below the clock's resolution).
const DECIDE_BATCH: u32 = 50;

#[derive(Serialize)]
struct ReviewBench {
    students: usize,
    prepare: Timing,
    decide: Timing,
}

/// Times preparing and deciding the review of one application of a
/// generated district of `students` students, `runs` times each.
#[wasm_bindgen(js_name = benchReview)]
pub fn bench_review(students: u32, runs: u32) -> Result<JsValue, JsError> {
    let demo = generate(&DemoOptions { students: students as usize, seed: 1 });
    let reviewer = Reviewer { staff: demo_staff(), today: Date::from_ymd(2026, 8, 20).expect("a valid date") };
    let district =
        District::new(demo.snapshot, demo.mappings, demo.settings).map_err(|e| JsError::new(&e.to_string()))?;
    // A returning student's approved application with contacts, reviewed
    // with the applications of its family batch (as the widget would).
    let app = demo
        .applications
        .iter()
        .find(|a| {
            a.status == crate::application::ApplicationStatus::Approved
                && a.enrollment_written_back
                && a.contacts.len() >= 2
        })
        .ok_or_else(|| JsError::new("no returning student's application in the generated district"))?;
    let family: Vec<_> = demo
        .applications
        .iter()
        .filter(|a| a.family_batch.is_some() && a.family_batch == app.family_batch && a.id != app.id)
        .cloned()
        .collect();
    let mut prepare = Vec::new();
    let mut decide = Vec::new();
    for _ in 0..runs.max(1) {
        let t = now_ms();
        let prepared = ApplicationReview::prepare(&district, app, &family, &reviewer);
        prepare.push(now_ms() - t);
        // The browser's clock ticks in 0.1 ms steps: time a batch, report one.
        let t = now_ms();
        for _ in 0..DECIDE_BATCH {
            std::hint::black_box(prepared.decide(&Decisions::default()));
        }
        decide.push((now_ms() - t) / DECIDE_BATCH as f64);
    }
    let result = ReviewBench {
        students: district.snapshot().students.len(),
        prepare: Timing::of(prepare),
        decide: Timing::of(decide),
    };
    serde_wasm_bindgen::to_value(&result).map_err(|e| JsError::new(&e.to_string()))
}

#[derive(Serialize)]
struct ContactBench {
    persons: usize,
    index_build_ms: f64,
    index_bytes_per_person: f64,
    applications: usize,
    query_4_contacts: Timing,
}

/// Builds the contact index over a labelled district of `persons` persons
/// and times matching applications of 4 contacts (up to `applications` of
/// them), each timed on its own.
#[wasm_bindgen(js_name = benchContactMatching)]
pub fn bench_contact_matching(persons: u32, applications: u32) -> Result<JsValue, JsError> {
    use crate::contacts::{find_candidates, ContactIndex, FormContact, MatchContext};
    use writeback_synth::eval::generate as labelled;
    let district = labelled(persons as usize, 1);
    let snapshot = &district.snapshot;
    let t = now_ms();
    let index = ContactIndex::build(snapshot);
    let index_build_ms = now_ms() - t;
    let today = Date::from_ymd(2026, 8, 15).expect("a valid date");
    let ctx = MatchContext { snapshot, index: &index, today, student: None, siblings: &[] };
    let apps: Vec<Vec<&FormContact>> = district
        .cases
        .chunks_exact(4)
        .take(applications as usize)
        .map(|c| c.iter().map(|case| &case.contact).collect())
        .collect();
    let mut samples = Vec::with_capacity(apps.len());
    for app in &apps {
        let t = now_ms();
        for contact in app {
            std::hint::black_box(find_candidates(&ctx, contact));
        }
        samples.push(now_ms() - t);
    }
    let result = ContactBench {
        persons: snapshot.persons.len(),
        index_build_ms,
        index_bytes_per_person: index.memory_bytes() as f64 / snapshot.persons.len().max(1) as f64,
        applications: apps.len(),
        query_4_contacts: Timing::of(samples),
    };
    serde_wasm_bindgen::to_value(&result).map_err(|e| JsError::new(&e.to_string()))
}
