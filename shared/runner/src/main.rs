//! `plasma`: run the whole platform locally, or mint a development token for it.

use clap::{Parser, Subcommand};
use plasma::{serve, token};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "plasma",
    version,
    about = "Plasma Engine: run the platform locally on embedded adapters"
)]
struct Cli {
    /// Where local state lives (SQLite databases, blobs, the development signing key).
    #[arg(
        long,
        env = "PLASMA_DATA_DIR",
        default_value = ".plasma",
        global = true
    )]
    data_dir: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API and run queue workers, event rules and schedules in this process.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "PLASMA_ADDR", default_value = "127.0.0.1:3000")]
        addr: SocketAddr,
    },
    /// Print a token signed with the local development key.
    Token(token::TokenArgs),
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve { addr } => serve::run(&cli.data_dir, addr).await,
        Command::Token(args) => token::run(&cli.data_dir, args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("plasma: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
