//! `check`, `review` and `emit`: a snapshot folder and JSON files in, a
//! check, the review document or the import files out.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use writeback_core::application::Application;
use writeback_core::courses::Staff;
use writeback_core::domain::Date;
use writeback_core::plan::{ApplicationReview, Blocker, Decisions, District, DistrictSettings, PlannedFile, Reviewer};
use writeback_files::{self as files, FilesError};

// What `review` and `emit` read (no doc comment: clap would take it for
// their help text).
#[derive(clap::Args)]
pub struct ReviewArgs {
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
    /// District settings (JSON: course writeback switch, AutoComm schedule);
    /// without it, course writeback is off.
    #[arg(long)]
    settings: Option<PathBuf>,
    /// The staff member reviewing (default: $USER).
    #[arg(long)]
    staff: Option<String>,
    /// A permission the staff member holds (repeatable), e.g.
    /// "Application Course Writeback".
    #[arg(long = "permission")]
    permissions: Vec<String>,
    /// Today's date, YYYY-MM-DD or MM/DD/YYYY (default: the system's date, UTC).
    #[arg(long, value_parser = parse_date)]
    today: Option<Date>,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).map_err(|e| e.to_string())
}

/// Today's date from the system clock (UTC).
fn system_today() -> Date {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    Date::from_days_since_epoch((secs / 86_400) as i64).unwrap_or_else(|| Date::from_ymd(1970, 1, 1).expect("valid"))
}

/// `check`: the snapshot loads (exit 0), or every problem on its own line (exit 1).
pub fn check(snapshot: &Path) -> Result<ExitCode> {
    match files::load_snapshot(snapshot) {
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
    }
}

/// `review`: the review document as JSON on stdout.
pub fn print(args: &ReviewArgs) -> Result<ExitCode> {
    let review = review(args)?;
    let mut out = BufWriter::new(io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, &review)?;
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}

/// `emit`: the import files into `out`, or what blocks them (exit 2).
pub fn emit(args: &ReviewArgs, out: &Path) -> Result<ExitCode> {
    let review = review(args)?;
    // Each part is written when it is ready; a part that has work
    // and is blocked stops everything, so nothing half-decided goes.
    let application_attempted = true;
    let courses_attempted = review.courses.file.is_some()
        || !review.courses.outcome.rows.iter().all(|r| r.approval == writeback_core::courses::Approval::Pending);
    let mut blocked: Vec<&Blocker> = Vec::new();
    if application_attempted {
        blocked.extend(&review.blockers);
    }
    if courses_attempted {
        blocked.extend(&review.courses.blocking);
    }
    if !blocked.is_empty() {
        eprintln!("nothing written: {} thing(s) block this writeback:", blocked.len());
        for b in blocked {
            let field = b.field.as_ref().map(|f| format!(" [{f}]")).unwrap_or_default();
            eprintln!("- {:?}{field}: {}", b.section, b.message);
        }
        return Ok(ExitCode::from(2));
    }
    let files: Vec<&PlannedFile> = review.files.iter().chain(&review.courses.file).collect();
    if files.is_empty() {
        eprintln!("nothing to write: every field is decided Ignore and no course is approved");
        return Ok(ExitCode::SUCCESS);
    }
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    for f in files {
        let name = format!("{}_{}.txt", review.application_id, f.kind);
        let path = out.join(&name);
        files::write_file(out, &format!(".{name}.part"), &name, f.text.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
        println!("{} ({} row(s))", path.display(), f.rows);
    }
    if let Some(summary) = review.courses.outcome.summary().filter(|_| courses_attempted) {
        println!("{summary}");
    }
    Ok(ExitCode::SUCCESS)
}

fn review(args: &ReviewArgs) -> Result<writeback_core::plan::Review> {
    let snapshot = files::load_snapshot(&args.snapshot)?;
    let application = files::load_application(&args.application)?;
    let mappings = files::load_mappings(&args.mappings)?;
    let settings = match &args.settings {
        Some(p) => files::read_json::<DistrictSettings>(p)?,
        None => DistrictSettings::default(),
    };
    let decisions = match &args.decisions {
        Some(p) => files::read_json::<Decisions>(p)?,
        None => Decisions::default(),
    };
    let district = District::new(snapshot, mappings, settings)?;
    let reviewer = Reviewer {
        staff: Staff {
            name: args.staff.clone().or_else(|| std::env::var("USER").ok()).unwrap_or_else(|| "unknown".into()),
            permissions: args.permissions.clone(),
        },
        today: args.today.unwrap_or_else(system_today),
    };
    let family = family_applications(&args.application, &application)?;
    Ok(ApplicationReview::prepare(&district, &application, &family, &reviewer).decide(&decisions))
}

/// The other applications of the same family batch, from the application
/// file's folder (none when the application has no batch).
fn family_applications(path: &Path, application: &Application) -> Result<Vec<Application>> {
    let Some(batch) = &application.family_batch else { return Ok(Vec::new()) };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut family = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let p = entry?.path();
        if p.extension().is_none_or(|e| e != "json") || p == path {
            continue;
        }
        // Other JSON files in the folder (decisions, settings) are not applications.
        if let Ok(other) = files::load_application(&p) {
            if other.family_batch.as_ref() == Some(batch) && other.id != application.id {
                family.push(other);
            }
        }
    }
    family.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(family)
}
