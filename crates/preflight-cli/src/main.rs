//! `preflight`: the command-line face of Preflight's core.
mod inputs;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use preflight_core::report::ParseReport;

#[derive(Parser)]
#[command(
    name = "preflight",
    version,
    about = "Plans Supabase/PostgreSQL migrations."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lists every statement found: its kind, the objects it names, file:line.
    Parse {
        /// SQL files or folders (searched recursively for .sql files).
        #[arg(required = true)]
        paths: Vec<std::path::PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Exit codes: 0 all good, 1 problems found in the SQL, 2 bad usage or
/// unreadable input (clap also uses 2 for usage errors).
fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse { paths, format } => {
            let sources = match inputs::read_sources(&paths) {
                Ok(sources) => sources,
                Err(error) => {
                    eprintln!("preflight: {error}");
                    return ExitCode::from(2);
                }
            };
            let report = ParseReport::new(&sources);
            match format {
                Format::Text => print!("{}", report.to_text()),
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&report).expect("reports serialize")
                ),
            }
            if report.error_count() > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}
