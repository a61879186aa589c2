//! `writeback`: the command-line tool. Checks snapshots, prints reviews,
//! emits import files and generates the demo district.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use writeback::application::Application;
use writeback::courses::Staff;
use writeback::demo::{generate, DemoOptions};
use writeback::domain::Date;
use writeback::files::{self, FilesError};
use writeback::plan::{ApplicationReview, Blocker, Decisions, District, DistrictSettings, PlannedFile, Reviewer};

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
    /// Measure contact matching on a generated, labelled district: recall@1,
    /// recall@5, false candidates per contact, the worst misses.
    MatchEval {
        /// Number of persons in the district.
        #[arg(long, default_value_t = 100_000)]
        persons: usize,
        /// Seed: the same seed gives the same district and contacts.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// How many of the worst misses to print.
        #[arg(long, default_value_t = 12)]
        misses: usize,
    },
    /// Generate an Ed25519 key pair for staff tokens: DIR/signing.pem (the
    /// enrollment system keeps it) and DIR/verify.pem (the relay's
    /// --auth-public-key). Refuses to overwrite existing keys.
    Keys {
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Print a staff token (a JWT signed with EdDSA), as the enrollment
    /// system's server would sign it for its signed-in staff member.
    Token {
        /// The private key (PEM) from `writeback keys`.
        #[arg(long)]
        signing_key: PathBuf,
        /// The staff member's id (`sub`).
        #[arg(long)]
        staff: String,
        /// The staff member's name (`name`).
        #[arg(long)]
        name: String,
        /// A permission (repeatable): "Application Writeback", "Application Course Writeback".
        #[arg(long = "permission")]
        permissions: Vec<String>,
        /// Lifetime in seconds (at most 900).
        #[arg(long, default_value_t = writeback_auth::MAX_TTL_SECONDS)]
        ttl_seconds: u64,
        /// The issuer (`iss`), if the relay pins one (--auth-issuer).
        #[arg(long)]
        issuer: Option<String>,
    },
    /// Generate a deterministic demo district: snapshot/, applications/, mappings.json, district.json.
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

/// Writes a private key readable by its owner only.
fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    Ok(())
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
            // Each part is written when it is ready; a part that has work
            // and is blocked stops everything, so nothing half-decided goes.
            let application_attempted = true;
            let courses_attempted = review.courses.file.is_some()
                || !review.courses.outcome.rows.iter().all(|r| r.approval == writeback::courses::Approval::Pending);
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
            fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
            for f in files {
                let name = format!("{}_{}.txt", review.application_id, f.kind);
                let path = out.join(&name);
                files::write_file(&out, &format!(".{name}.part"), &name, f.text.as_bytes())
                    .with_context(|| format!("writing {}", path.display()))?;
                println!("{} ({} row(s))", path.display(), f.rows);
            }
            if let Some(summary) = review.courses.outcome.summary().filter(|_| courses_attempted) {
                println!("{summary}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::MatchEval { persons, seed, misses } => {
            let started = std::time::Instant::now();
            let mut report = writeback::contacts::eval::evaluate(persons, seed);
            report.worst_misses.truncate(misses);
            // A closed pipe (`| head`) ends the output quietly.
            let mut out = io::stdout().lock();
            let _ = writeln!(out, "{report}");
            let _ = writeln!(out, "(generated, indexed and matched in {:.1} s)", started.elapsed().as_secs_f64());
            Ok(ExitCode::SUCCESS)
        }
        Command::Keys { out } => {
            let pair = writeback_auth::KeyPair::generate()?;
            fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
            for name in ["signing.pem", "verify.pem"] {
                anyhow::ensure!(
                    !out.join(name).exists(),
                    "{} exists: keys are never overwritten (remove it first to make new ones)",
                    out.join(name).display()
                );
            }
            write_private(&out.join("signing.pem"), &pair.signing_pem)?;
            files::write_file(&out, ".verify.pem.part", "verify.pem", pair.verify_pem.as_bytes())
                .with_context(|| format!("writing {}", out.join("verify.pem").display()))?;
            println!(
                "{} (private: the enrollment system signs staff tokens with it)",
                out.join("signing.pem").display()
            );
            println!("{} (public: give it to the relay as --auth-public-key)", out.join("verify.pem").display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Token { signing_key, staff, name, permissions, ttl_seconds, issuer } => {
            let pem = fs::read(&signing_key).with_context(|| format!("reading {}", signing_key.display()))?;
            let signer =
                writeback_auth::Signer::from_pem(&pem, issuer).with_context(|| format!("{}", signing_key.display()))?;
            let request = writeback_auth::TokenRequest { staff_id: staff, name, permissions, ttl_seconds };
            println!("{}", signer.sign(&request, writeback_auth::now())?);
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
    let settings = out.join("district.json");
    fs::write(&settings, serde_json::to_vec_pretty(&district.settings)?)?;
    println!(
        "demo district (seed {seed}): {} students, {} contacts, {} applications -> {}",
        district.snapshot.students.len(),
        district.snapshot.persons.len(),
        district.applications.len(),
        out.display()
    );
    Ok(())
}
