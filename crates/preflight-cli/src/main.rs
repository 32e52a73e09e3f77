//! `preflight`: the command-line face of Preflight's core.
mod inputs;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use preflight_core::diff::diff;
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
    /// Compares two schemas: what A's SQL leaves behind against what B's
    /// does (e.g. your schema file against a production dump).
    Diff {
        /// Side A: a SQL or Markdown file, or a folder.
        a: PathBuf,
        /// Side B: a SQL or Markdown file, or a folder.
        b: PathBuf,
        /// More SQL for side A, run after <A> in the order given (e.g.
        /// migrations after a baseline).
        #[arg(long = "a", value_name = "PATH")]
        more_a: Vec<PathBuf>,
        /// More SQL for side B, run after <B> in the order given.
        #[arg(long = "b", value_name = "PATH")]
        more_b: Vec<PathBuf>,
        /// Compare only objects in this schema (repeatable), e.g. `public`.
        #[arg(long)]
        schema: Vec<String>,
        #[arg(long, value_enum, default_value_t = ParseFormat::Text)]
        format: ParseFormat,
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

/// Exit codes: 0 all good, 1 problems found in the SQL (for `diff`: the
/// schemas differ), 2 bad usage or unreadable input (clap also uses 2 for
/// usage errors).
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

/// Runs a command; `Ok(false)` when the SQL has errors (or differs).
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
        Command::Diff {
            a,
            b,
            more_a,
            more_b,
            schema,
            format,
        } => {
            let side = |first: PathBuf, more: Vec<PathBuf>| {
                let paths: Vec<PathBuf> = std::iter::once(first).chain(more).collect();
                inputs::read_sources(&paths).map_err(|e| e.to_string())
            };
            let mut audit = diff(&side(a, more_a)?, &side(b, more_b)?);
            if !schema.is_empty() {
                audit.retain_schemas(&schema);
            }
            match format {
                ParseFormat::Text => print!("{}", audit.to_text()),
                ParseFormat::Json => println!("{}", to_json(&audit)),
            }
            if audit.has_errors() {
                return Err("syntax errors: the statements they are in were not compared".into());
            }
            Ok(audit.is_empty())
        }
    }
}

fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).expect("reports serialize")
}
