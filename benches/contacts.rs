//! Benchmarks of contact matching at 10k, 100k and 1M persons: building the
//! index, and matching an application of 4 contacts (what the review runs
//! when it opens; one contact is what re-runs when staff edit a field).
//! Prints index memory per person and the query p95 (floors: build at 100k
//! < 300 ms; p95 < 2 ms at 100k and < 10 ms at 1M; < 400 bytes per person).
//!
//! Run with `cargo bench --bench contacts`; `CONTACTS_BENCH_SIZES=10000,100000`
//! picks the sizes.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use writeback::contacts::{find_candidates, ContactIndex, ContactMatches, FormContact, MatchContext};
use writeback::domain::Date;
use writeback_synth::eval::generate;

fn match_all(ctx: &MatchContext<'_>, app: &[FormContact]) -> Vec<ContactMatches> {
    app.iter().map(|c| find_candidates(ctx, c)).collect()
}

fn bench_contacts(c: &mut Criterion) {
    let today = Date::from_ymd(2026, 8, 15).expect("a date");
    let sizes: Vec<usize> = match std::env::var("CONTACTS_BENCH_SIZES") {
        Ok(v) => v.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
        Err(_) => vec![10_000, 100_000, 1_000_000],
    };
    for persons in sizes {
        let started = Instant::now();
        let district = generate(persons, 1);
        let generated = started.elapsed();
        let snapshot = &district.snapshot;
        let mut group = c.benchmark_group(format!("contacts_{persons}"));
        group.sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));
        group.bench_function(BenchmarkId::new("build", persons), |b| {
            b.iter(|| ContactIndex::build(black_box(snapshot)))
        });

        let index = ContactIndex::build(snapshot);
        let ctx = MatchContext { snapshot, index: &index, today, student: None, siblings: &[] };
        // Applications of 4 contacts each, from the labelled contacts.
        let apps: Vec<Vec<FormContact>> =
            district.cases.chunks_exact(4).map(|c| c.iter().map(|case| case.contact.clone()).collect()).collect();
        let mut next = 0;
        group.bench_function(BenchmarkId::new("query_4_contacts", persons), |b| {
            b.iter(|| {
                next = (next + 1) % apps.len();
                match_all(&ctx, black_box(&apps[next]))
            })
        });
        group.finish();

        // Percentiles over every application (after one warm-up pass).
        for app in apps.iter().take(200) {
            black_box(match_all(&ctx, app));
        }
        let mut times: Vec<Duration> = apps
            .iter()
            .map(|app| {
                let t = Instant::now();
                black_box(match_all(&ctx, app));
                t.elapsed()
            })
            .collect();
        times.sort_unstable();
        let pct = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
        println!(
            "contacts {persons}: {} persons (generated in {:.1} s), index {:.1} MB = {:.0} bytes/person, \
             query of 4 contacts over {} applications: p50 {:?}, p95 {:?}, max {:?}",
            snapshot.persons.len(),
            generated.as_secs_f64(),
            index.memory_bytes() as f64 / 1e6,
            index.memory_bytes() as f64 / snapshot.persons.len() as f64,
            apps.len(),
            pct(50),
            pct(95),
            times[times.len() - 1],
        );
    }
}

criterion_group!(benches, bench_contacts);
criterion_main!(benches);
