//! Benchmarks of the review: preparing an application (find the student,
//! compare every mapped field, match the contacts, look the courses up) and deciding (what every click in the
//! UI re-runs: apply decisions, find blockers, write the file).
//!
//! Run with `cargo bench --bench review`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use writeback::domain::Date;
use writeback::plan::{ApplicationReview, Decisions, District, Reviewer};
use writeback_synth::demo::demo_staff;
use writeback_synth::demo::{generate, DemoOptions};

fn bench_review(c: &mut Criterion) {
    let mut group = c.benchmark_group("review");
    group.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    for students in [2_000, 100_000] {
        let demo = generate(&DemoOptions { students, seed: 1 });
        let reviewer = Reviewer { staff: demo_staff(), today: Date::parse("2026-08-20").unwrap() };
        let district = District::new(demo.snapshot, demo.mappings, demo.settings).expect("demo mappings fit");
        // A returning student's approved application with contacts: the
        // review staff do most. Its family are the applications of its batch
        // (as the CLI and the widget pass them).
        let app = demo
            .applications
            .iter()
            .rev()
            .find(|a| {
                a.status == writeback::application::ApplicationStatus::Approved
                    && a.enrollment_written_back
                    && a.contacts.len() >= 2
                    && a.family_batch.is_some()
            })
            .expect("a returning student's application")
            .clone();
        let family: Vec<_> = demo
            .applications
            .iter()
            .filter(|a| a.family_batch == app.family_batch && a.id != app.id)
            .cloned()
            .collect();
        group.bench_with_input(BenchmarkId::new("prepare", students), &students, |b, _| {
            b.iter(|| ApplicationReview::prepare(black_box(&district), black_box(&app), &family, &reviewer))
        });
        let prepared = ApplicationReview::prepare(&district, &app, &family, &reviewer);
        let mut decisions = Decisions::default();
        if let Some(f) = prepared.demographics().fields.iter().find(|f| f.allowed.len() > 1) {
            decisions.demographics.insert(f.form_field.clone(), f.allowed[1]);
        }
        group.bench_with_input(BenchmarkId::new("decide", students), &students, |b, _| {
            b.iter(|| prepared.decide(black_box(&decisions)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_review);
criterion_main!(benches);
