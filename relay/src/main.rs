//! The `writeback-relay` server.

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use writeback_relay::config::Destination;
use writeback_relay::{app, AppState, Config};

#[tokio::main]
async fn main() -> ExitCode {
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
            "loaded {} application(s) and {} student(s) from {}",
            state.demo().applications().count(),
            state.demo().student_count(),
            dir.display()
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
