//! Benchmarks of the demo district generator: `generate` at 2,000 and
//! 20,000 students, and generate + export of every table at 20,000.
//!
//! Run with `cargo bench --bench demo_data`. Set `DEMO_BENCH_500K=1` to also
//! time one generate + export of 500,000 students (printed, not sampled).

use std::hint::black_box;
use std::io;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use writeback_synth::demo::{generate, DemoDistrict, DemoOptions};

/// Writes every export file into `io::sink()`.
fn export_to_sink(d: &DemoDistrict) {
    d.snapshot
        .export(&mut |_name| -> io::Result<Box<dyn io::Write>> { Ok(Box::new(io::sink())) })
        .expect("the sink accepts everything");
}

fn bench_generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("demo_generate");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(8));
    for students in [2_000, 20_000] {
        group.bench_with_input(BenchmarkId::from_parameter(students), &students, |b, &students| {
            b.iter(|| generate(black_box(&DemoOptions { students, seed: 1 })))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("demo_generate_and_export");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(10));
    group.bench_function(BenchmarkId::from_parameter(20_000), |b| {
        b.iter(|| {
            let d = generate(black_box(&DemoOptions { students: 20_000, seed: 1 }));
            export_to_sink(&d);
            d
        })
    });
    group.finish();

    if std::env::var_os("DEMO_BENCH_500K").is_some() {
        let start = Instant::now();
        let d = generate(&DemoOptions { students: 500_000, seed: 1 });
        let generated = start.elapsed();
        export_to_sink(&d);
        let total = start.elapsed();
        println!(
            "demo 500000 students: generate {generated:.2?}, generate + export {total:.2?} \
             ({} CC rows, {} persons, {} applications)",
            d.snapshot.enrollments.len(),
            d.snapshot.persons.len(),
            d.applications.len()
        );
    }
}

criterion_group!(benches, bench_generate);
criterion_main!(benches);
