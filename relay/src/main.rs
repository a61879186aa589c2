//! The `writeback-relay` server.

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use writeback_relay::config::Destination;
use writeback_relay::{app, AppState, Config};

/// `writeback-relay audit`: prints the audit log.
#[derive(Debug, Parser)]
#[command(
    name = "writeback-relay audit",
    about = "Print the audit log: who opened which application's data and who submitted what"
)]
struct AuditArgs {
    /// The relay's data folder.
    #[arg(long, env = "WRITEBACK_DATA_DIR", default_value = "var/relay", value_name = "DIR")]
    data_dir: std::path::PathBuf,
    /// Only this application's records.
    #[arg(long, value_name = "ID")]
    application: Option<String>,
    /// The newest this many records.
    #[arg(long, default_value_t = 1000)]
    limit: usize,
}

fn audit(args: AuditArgs) -> anyhow::Result<()> {
    let db = writeback_relay::db::Db::open(&args.data_dir)?;
    for r in db.audit_log(args.application.as_deref(), args.limit)? {
        println!("{}\t{}\t{} ({})\t{}\t{}", r.at, r.action, r.staff_name, r.staff_id, r.application_id, r.detail);
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .init();
    if std::env::args().nth(1).as_deref() == Some("audit") {
        let args = AuditArgs::parse_from(std::env::args().skip(1));
        return match audit(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    match run(Config::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> anyhow::Result<()> {
    let state = AppState::start(&config).context("writeback-relay cannot start")?;

    match &config.demo {
        Some(dir) => println!(
            "loaded {} application(s) and {} student(s) from {} ({} warning(s) about PowerSchool's data)",
            state.applications().len(),
            state.data().student_count(),
            dir.display(),
            state.data().warnings.len()
        ),
        None => println!("no --demo folder: no applications loaded"),
    }
    match config.destination()? {
        Destination::Outbox(_) => {
            let path = state.destination().trim_start_matches("outbox ");
            println!("no SFTP configured: files are written to the local outbox {path}");
        }
        Destination::Sftp(_) => {
            println!("files are delivered over SFTP to {}", state.destination())
        }
    }
    if config.demo_signing_key.is_some() {
        println!("DEMO: /demo/token signs a staff token for anyone who asks (the demo page's stand-in for the enrollment system); never use --demo-signing-key in production");
    }
    match &config.dist {
        Some(dir) => println!("serving the UI from {}", dir.display()),
        None => println!("no --dist folder: only the API is served"),
    }

    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    println!("listening on http://{}/", listener.local_addr()?);
    axum::serve(listener, app(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
            println!("shutting down");
        })
        .await
        .context("the server failed")?;
    Ok(())
}
