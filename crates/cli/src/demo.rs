//! `demo-data` and `match-eval`: the generated demo district, and the
//! contact matcher measured on a generated, labelled one.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use writeback_synth::demo::{generate, DemoOptions};

/// `match-eval`: the accuracy report, with the `misses` worst misses.
pub fn match_eval(persons: usize, seed: u64, misses: usize) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let mut report = writeback_synth::eval::evaluate(persons, seed);
    report.worst_misses.truncate(misses);
    // A closed pipe (`| head`) ends the output quietly.
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "{report}");
    let _ = writeln!(out, "(generated, indexed and matched in {:.1} s)", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

/// `demo-data`: `out/snapshot/`, `out/applications/`, `out/mappings.json`
/// and `out/district.json`, the same for the same seed.
pub fn demo_data(students: usize, seed: u64, out: &Path) -> Result<ExitCode> {
    let district = generate(&DemoOptions { students, seed });
    let snapshot_dir = out.join("snapshot");
    let apps_dir = out.join("applications");
    for d in [&snapshot_dir, &apps_dir] {
        if d.exists() {
            fs::remove_dir_all(d).with_context(|| format!("clearing {}", d.display()))?;
        }
        fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
    }
    district.snapshot.export(&mut |name| {
        let f = fs::File::create(snapshot_dir.join(name))?;
        Ok(Box::new(BufWriter::with_capacity(1 << 20, f)) as Box<dyn Write>)
    })?;
    for app in &district.applications {
        let path = apps_dir.join(format!("{}.json", app.id));
        fs::write(&path, serde_json::to_vec_pretty(app)?).with_context(|| format!("writing {}", path.display()))?;
    }
    let mappings = out.join("mappings.json");
    fs::write(&mappings, serde_json::to_vec_pretty(&district.mappings)?)?;
    let settings = out.join("district.json");
    fs::write(&settings, serde_json::to_vec_pretty(&district.settings)?)?;
    println!(
        "demo district (seed {seed}): {} students, {} contacts, {} applications -> {}",
        district.snapshot.students.len(),
        district.snapshot.persons.len(),
        district.applications.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
