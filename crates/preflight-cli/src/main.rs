//! `preflight`: the command-line face of Preflight's core.
mod inputs;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use preflight_core::plan::plan;
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
        /// SQL or Markdown files, or folders (searched for .sql files).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = ParseFormat::Text)]
        format: ParseFormat,
    },
    /// Orders the migrations so they run, explains the order and the problems.
    Plan {
        /// SQL or Markdown files, or folders (searched for .sql files).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// SQL already applied (a schema dump): its objects exist, it is not planned.
        #[arg(long)]
        baseline: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
        format: PlanFormat,
        /// Write the output to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ParseFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum PlanFormat {
    Text,
    Sql,
    Json,
    /// A runbook to follow: steps with verification, rollback and risks.
    Markdown,
}

/// Exit codes: 0 all good, 1 problems found in the SQL, 2 bad usage or
/// unreadable input (clap also uses 2 for usage errors).
fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("preflight: {error}");
            ExitCode::from(2)
        }
    }
}

/// Runs a command; `Ok(false)` when the SQL has errors.
fn run(command: Command) -> Result<bool, String> {
    match command {
        Command::Parse { paths, format } => {
            let sources = inputs::read_sources(&paths).map_err(|e| e.to_string())?;
            let report = ParseReport::new(&sources);
            match format {
                ParseFormat::Text => print!("{}", report.to_text()),
                ParseFormat::Json => println!("{}", to_json(&report)),
            }
            Ok(report.error_count() == 0)
        }
        Command::Plan {
            paths,
            baseline,
            format,
            output,
        } => {
            let sources = inputs::read_sources(&paths).map_err(|e| e.to_string())?;
            let baseline = inputs::read_sources(&baseline).map_err(|e| e.to_string())?;
            let plan = plan(&sources, &baseline);
            let rendered = match format {
                PlanFormat::Text => plan.to_text(),
                PlanFormat::Sql => plan.to_sql(),
                PlanFormat::Json => to_json(&plan) + "\n",
                PlanFormat::Markdown => plan.to_markdown(),
            };
            match output {
                Some(path) => std::fs::write(&path, rendered)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
                None => print!("{rendered}"),
            }
            if plan.has_errors()
                && matches!(
                    format,
                    PlanFormat::Sql | PlanFormat::Json | PlanFormat::Markdown
                )
            {
                eprint!("{}", plan.errors_text());
            }
            Ok(!plan.has_errors())
        }
    }
}

fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).expect("reports serialize")
}
