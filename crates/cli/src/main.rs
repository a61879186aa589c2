//! `writeback`: the command-line tool. Checks snapshots, prints reviews,
//! emits import files and generates the demo district.
//!
//! One module per family of subcommands: `review` (check, review, emit:
//! files in, a review or import files out), `keys` (staff-token keys and
//! tokens), `demo` (the demo district and the matcher's accuracy report).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

mod demo;
mod keys;
mod review;

use review::ReviewArgs;

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
        Command::Check { snapshot } => review::check(&snapshot),
        Command::Review(args) => review::print(&args),
        Command::Emit { review: args, out } => review::emit(&args, &out),
        Command::MatchEval { persons, seed, misses } => demo::match_eval(persons, seed, misses),
        Command::Keys { out } => keys::keys(&out),
        Command::Token { signing_key, staff, name, permissions, ttl_seconds, issuer } => {
            let request = writeback_auth::TokenRequest { staff_id: staff, name, permissions, ttl_seconds };
            keys::token(&signing_key, issuer, &request)
        }
        Command::DemoData { students, seed, out } => demo::demo_data(students, seed, &out),
    }
}
