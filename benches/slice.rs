//! The review slice the relay serves for each application opened: cutting
//! it (candidates over the whole district, then the records), its size as
//! JSON, and preparing the review from it (what the browser does).
//!
//! Run with `cargo bench --bench slice` (about 3 minutes: the 500,000
//! student district takes most of it to generate and index). Besides
//! criterion's samples the bench prints, per district size, the p95 time
//! to cut and serialize a slice and the largest slice, over every approved
//! application (one timing each).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use writeback::domain::Date;
use writeback::plan::{District, Reviewer, SliceIndex};
use writeback_synth::demo::{demo_staff, generate, DemoOptions};

fn bench_slice(c: &mut Criterion) {
    let mut group = c.benchmark_group("slice");
    group.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    let reviewer = Reviewer { staff: demo_staff(), today: Date::parse("2026-08-20").unwrap() };
    for students in [2_000, 100_000, 500_000] {
        let demo = generate(&DemoOptions { students, seed: 1 });
        let started = Instant::now();
        let district = District::new(demo.snapshot, demo.mappings, demo.settings).expect("demo mappings fit");
        let index_time = started.elapsed();
        let started = Instant::now();
        let slices = SliceIndex::build(&district);
        let slice_index_time = started.elapsed();
        let apps = &demo.applications;
        let family = |a: &writeback::application::Application| -> Vec<_> {
            match &a.family_batch {
                Some(b) => {
                    apps.iter().filter(|o| o.family_batch.as_ref() == Some(b) && o.id != a.id).cloned().collect()
                }
                None => Vec::new(),
            }
        };
        // One timing per application (up to 2,000), and every size.
        let mut times = Vec::new();
        let mut sizes = Vec::new();
        for a in apps.iter().take(2_000) {
            let fam = family(a);
            let t = Instant::now();
            let data = slices.review_data(&district, a, &fam, &reviewer, &[]);
            let bytes = serde_json::to_vec(&data).unwrap();
            times.push(t.elapsed());
            sizes.push(bytes.len());
        }
        times.sort();
        sizes.sort();
        let p95 = times[times.len() * 95 / 100];
        println!(
            "slice/{students}: district index {index_time:.2?}, slice index {slice_index_time:.2?}; \
             cut + JSON over {} applications: p50 {:.2?}, p95 {p95:.2?}, max {:.2?}; \
             size p50 {} B, p95 {} B, max {} B",
            times.len(),
            times[times.len() / 2],
            times[times.len() - 1],
            sizes[sizes.len() / 2],
            sizes[sizes.len() * 95 / 100],
            sizes[sizes.len() - 1],
        );
        // The review staff open most: a returning student's application with contacts.
        let app = apps
            .iter()
            .rev()
            .find(|a| {
                a.status == writeback::application::ApplicationStatus::Approved
                    && a.enrollment_written_back
                    && a.contacts.len() >= 2
            })
            .expect("a returning student's application")
            .clone();
        let fam = family(&app);
        group.bench_with_input(BenchmarkId::new("cut", students), &students, |b, _| {
            b.iter(|| slices.review_data(black_box(&district), black_box(&app), &fam, &reviewer, &[]))
        });
        let data = slices.review_data(&district, &app, &fam, &reviewer, &[]);
        group.bench_with_input(BenchmarkId::new("prepare_from_slice", students), &students, |b, _| {
            b.iter(|| black_box(&data).prepare(&reviewer).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench_slice);
criterion_main!(benches);
