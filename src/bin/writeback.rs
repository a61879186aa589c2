//! `writeback`: the command-line tool. Checks snapshots, prints reviews,
//! emits import files and generates the demo district.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use writeback::demo::{generate, DemoOptions};
use writeback::files::{self, FilesError};
use writeback::plan::{ApplicationReview, Decisions};

#[derive(Parser)]
#[command(
    name = "writeback",
    version,
    about = "Review an approved enrollment application and write it back into PowerSchool"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct ReviewArgs {
    /// Folder of PowerSchool table exports.
    #[arg(long)]
    snapshot: PathBuf,
    /// The application (JSON).
    #[arg(long)]
    application: PathBuf,
    /// The district's field mappings (JSON).
    #[arg(long)]
    mappings: PathBuf,
    /// Staff decisions (JSON); defaults apply where none is given.
    #[arg(long)]
    decisions: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a snapshot folder: exit 0, or print `file:line:column: message` lines and exit 1.
    Check {
        /// Folder of PowerSchool table exports.
        #[arg(long)]
        snapshot: PathBuf,
    },
    /// Print the review of an application as JSON.
    Review(ReviewArgs),
    /// Write the import files the decisions produce, or list what blocks them (exit 2).
    Emit {
        #[command(flatten)]
        review: ReviewArgs,
        /// Folder to write the files into.
        #[arg(long)]
        out: PathBuf,
    },
    /// Generate a deterministic demo district: snapshot/, applications/, mappings.json.
    DemoData {
        /// Number of students.
        #[arg(long, default_value_t = 2000)]
        students: usize,
        /// Seed: the same seed gives the same district.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Check { snapshot } => match files::load_snapshot(&snapshot) {
            Ok(s) => {
                println!(
                    "{}: ok ({} students, {} contacts, {} sections)",
                    snapshot.display(),
                    s.students.len(),
                    s.persons.len(),
                    s.sections.len()
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(FilesError::Snapshot(errors)) => {
                for e in &errors {
                    println!("{e}");
                }
                eprintln!("{} problem(s) in {}", errors.len(), snapshot.display());
                Ok(ExitCode::FAILURE)
            }
            Err(e) => Err(e.into()),
        },
        Command::Review(args) => {
            let review = review(&args)?;
            let mut out = BufWriter::new(io::stdout().lock());
            serde_json::to_writer_pretty(&mut out, &review)?;
            writeln!(out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Emit { review: args, out } => {
            let review = review(&args)?;
            if !review.blockers.is_empty() {
                eprintln!("nothing written: {} thing(s) block this writeback:", review.blockers.len());
                for b in &review.blockers {
                    let field = b.field.as_deref().map(|f| format!(" [{f}]")).unwrap_or_default();
                    eprintln!("- {:?}{field}: {}", b.section, b.message);
                }
                return Ok(ExitCode::from(2));
            }
            if review.files.is_empty() {
                eprintln!("nothing to write: every field is decided Ignore");
                return Ok(ExitCode::SUCCESS);
            }
            fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
            for f in &review.files {
                let name = format!("{}_{}.txt", review.application_id, f.kind);
                let path = out.join(&name);
                files::write_file(&out, &format!(".{name}.part"), &name, f.text.as_bytes())
                    .with_context(|| format!("writing {}", path.display()))?;
                println!("{} ({} row(s))", path.display(), f.rows);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::DemoData { students, seed, out } => {
            demo_data(students, seed, &out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn review(args: &ReviewArgs) -> Result<writeback::plan::Review> {
    let snapshot = files::load_snapshot(&args.snapshot)?;
    let application = files::load_application(&args.application)?;
    let mappings = files::load_mappings(&args.mappings)?;
    let decisions = match &args.decisions {
        Some(p) => files::read_json::<Decisions>(p)?,
        None => Decisions::default(),
    };
    let prepared = ApplicationReview::prepare(&snapshot, &application, &mappings)?;
    Ok(prepared.decide(&decisions))
}

fn demo_data(students: usize, seed: u64, out: &Path) -> Result<()> {
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
    println!(
        "demo district (seed {seed}): {} students, {} contacts, {} applications -> {}",
        district.snapshot.students.len(),
        district.snapshot.persons.len(),
        district.applications.len(),
        out.display()
    );
    Ok(())
}
