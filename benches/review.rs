//! Benchmarks of the demographics review: preparing an application (find the
//! student, compare every mapped field) and deciding (what every click in the
//! UI re-runs: apply decisions, find blockers, write the file).
//!
//! Run with `cargo bench --bench review`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use writeback::demo::demo_staff;
use writeback::demo::{generate, DemoOptions};
use writeback::domain::Date;
use writeback::plan::{ApplicationReview, Decisions, District, Reviewer};

fn bench_review(c: &mut Criterion) {
    let mut group = c.benchmark_group("review");
    group.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    for students in [2_000, 100_000] {
        let demo = generate(&DemoOptions { students, seed: 1 });
        let reviewer = Reviewer { staff: demo_staff(), today: Date::parse("2026-08-20").unwrap() };
        let district = District::new(demo.snapshot, demo.mappings, demo.settings).expect("demo mappings fit");
        let app = demo
            .applications
            .iter()
            .rev()
            .find(|a| {
                ApplicationReview::prepare(&district, a, &demo.applications, &reviewer)
                    .decide(&Decisions::default())
                    .ready()
            })
            .expect("a ready application")
            .clone();
        group.bench_with_input(BenchmarkId::new("prepare", students), &students, |b, _| {
            b.iter(|| ApplicationReview::prepare(black_box(&district), black_box(&app), &demo.applications, &reviewer))
        });
        let prepared = ApplicationReview::prepare(&district, &app, &demo.applications, &reviewer);
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
