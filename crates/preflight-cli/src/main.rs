//! `preflight`: the command-line face of Preflight's core.
mod inputs;
mod sarif;
mod settings;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use preflight_core::analysis::source::Source;
use preflight_core::diagnostics::Severity;
use preflight_core::diff::diff;
use preflight_core::environment::Environment;
use preflight_core::lint;
use preflight_core::plan::{parse_timestamp, plan_with, Options, Plan};
use preflight_core::report::ParseReport;
use preflight_core::words::counted;
use time::{OffsetDateTime, PrimitiveDateTime};

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
        /// SQL files and Markdown runbooks (also kept as .txt), `-` for standard input, or folders: searched for .sql files; a runbook in a folder is planned when named.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = ParseFormat::Text)]
        format: ParseFormat,
    },
    /// Orders the migrations so they run, explains the order and the problems.
    Plan {
        #[command(flatten)]
        project: Project,
        #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
        format: PlanFormat,
        /// Write the output to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// First migration timestamp of `--format zip` (YYYYMMDDHHMMSS, UTC);
        /// the current time when left out.
        #[arg(long, value_parser = timestamp)]
        timestamp: Option<PrimitiveDateTime>,
        /// With `--format markdown`: give back the one Markdown runbook
        /// among the paths in the author's own words, its blocks in the
        /// planned order, with the checks, rollbacks and problems added.
        #[arg(long)]
        keep_prose: bool,
    },
    /// Reports the problems only, for CI: exit code 1 when there are errors.
    Check {
        #[command(flatten)]
        project: Project,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Applies the fixes lint rules offer, and says what it changed.
    Fix {
        #[command(flatten)]
        project: Project,
        /// Also apply the fixes that may change what the SQL means.
        #[arg(long = "unsafe")]
        unsafe_too: bool,
        /// Write the fixed files into this folder (keeping their names).
        #[arg(
            short,
            long,
            required_unless_present = "in_place",
            conflicts_with = "in_place"
        )]
        output: Option<PathBuf>,
        /// Rewrite the files where they are.
        #[arg(long)]
        in_place: bool,
    },
    /// Lists the lint rules, or explains one: what it flags, why, examples.
    Rules {
        /// A rule's name, e.g. policy-always-true.
        name: Option<String>,
        #[arg(long, value_enum, default_value_t = ParseFormat::Text)]
        format: ParseFormat,
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

/// What to plan: the migrations, what is already applied, on which
/// database, with which settings.
#[derive(Args)]
struct Project {
    /// SQL files and Markdown runbooks (also kept as .txt), `-` for standard input, or folders: searched for .sql files; a runbook in a folder is planned when named.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// SQL already applied (a schema dump): its objects exist, it is not planned.
    #[arg(long)]
    baseline: Vec<PathBuf>,
    /// The database the migrations start from: `supabase` (its roles,
    /// `auth`, `storage`, `extensions`, `supabase_realtime`) or `postgres`
    /// (a new PostgreSQL database).
    #[arg(long = "env", default_value = "supabase")]
    environment: Environment,
    /// The lint settings; without it, the first preflight.toml found in the
    /// first path's folder or a folder above it, or in the current folder.
    #[arg(long)]
    config: Option<PathBuf>,
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
    /// A Supabase CLI `supabase/migrations/` folder, renumbered in planned order.
    Zip,
    /// The step graph for Graphviz.
    Dot,
    /// The step graph for Mermaid.
    Mermaid,
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
    /// GitHub Actions annotations (`::error file=...`).
    Github,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
}

fn timestamp(text: &str) -> Result<PrimitiveDateTime, String> {
    parse_timestamp(text).ok_or_else(|| format!("{text:?} is not a timestamp like 20250131235959"))
}

/// Exit codes: 0 all good; 1 problems found in the SQL (for `diff`: the
/// schemas differ), or a file left out or read as Windows-1252 (each said
/// on standard error; the other files are still read); 2 bad usage or a path
/// that cannot be read (clap also uses 2 for usage errors).
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
            let inputs = read(&paths)?;
            let report = ParseReport::new(&inputs.sources);
            match format {
                ParseFormat::Text => emit(None, report.to_text().as_bytes())?,
                ParseFormat::Json => emit(None, (to_json(&report) + "\n").as_bytes())?,
            }
            Ok(report.error_count() == 0 && !inputs.with_problems)
        }
        Command::Plan {
            project,
            format,
            output,
            timestamp,
            keep_prose,
        } => {
            if keep_prose && !matches!(format, PlanFormat::Markdown) {
                return Err("--keep-prose needs --format markdown".into());
            }
            let (plan, sources, read_cleanly) = plan_of(&project)?;
            let now = || {
                let now = OffsetDateTime::now_utc();
                PrimitiveDateTime::new(now.date(), now.time())
            };
            let rendered = match format {
                PlanFormat::Text => plan.to_text().into_bytes(),
                PlanFormat::Sql => plan.to_sql().into_bytes(),
                PlanFormat::Json => (to_json(&plan) + "\n").into_bytes(),
                PlanFormat::Markdown if keep_prose => {
                    plan.with_prose(the_runbook(&sources)?).into_bytes()
                }
                PlanFormat::Markdown => plan.to_markdown().into_bytes(),
                PlanFormat::Zip => plan.to_supabase_zip(timestamp.unwrap_or_else(now)),
                PlanFormat::Dot => plan.to_dot().into_bytes(),
                PlanFormat::Mermaid => plan.to_mermaid().into_bytes(),
            };
            emit(output.as_deref(), &rendered)?;
            // Text shows the errors already; other formats go to a file or
            // a tool, so the errors go to standard error.
            if plan.has_errors() && !matches!(format, PlanFormat::Text) {
                eprint!("{}", plan.errors_text());
            }
            Ok(!plan.has_errors() && read_cleanly)
        }
        Command::Check { project, format } => {
            let (plan, _, read_cleanly) = plan_of(&project)?;
            let rendered: String = match format {
                CheckFormat::Text => {
                    let problems: String = plan.diagnostics.iter().map(|d| d.to_text()).collect();
                    format!(
                        "{problems}{}, {}\n",
                        counted(plan.count(Severity::Error), "error"),
                        counted(plan.count(Severity::Warning), "warning")
                    )
                }
                CheckFormat::Json => to_json(&plan.diagnostics) + "\n",
                CheckFormat::Github => plan.diagnostics.iter().map(|d| d.to_github()).collect(),
                CheckFormat::Sarif => to_json(&sarif::report(&plan.diagnostics)) + "\n",
            };
            emit(None, rendered.as_bytes())?;
            Ok(!plan.has_errors() && read_cleanly)
        }
        Command::Fix {
            project,
            unsafe_too,
            output,
            // Without `--output`, clap requires `--in-place`.
            in_place: _,
        } => {
            let (plan, sources, read_cleanly) = plan_of(&project)?;
            let fixed = lint::fix::apply(&sources, &plan.diagnostics, unsafe_too);
            // Standard input's text goes back to standard output, fixed or
            // not, so that the command works in a pipe.
            let piped =
                (fixed.changed.iter().chain(&sources)).find(|source| source.name == inputs::STDIN);
            for source in fixed
                .changed
                .iter()
                .filter(|source| source.name != inputs::STDIN)
            {
                let path = match &output {
                    Some(folder) => {
                        folder.join(Path::new(&source.name).file_name().unwrap_or_default())
                    }
                    None => PathBuf::from(&source.name),
                };
                if let Some(folder) = &output {
                    std::fs::create_dir_all(folder)
                        .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
                }
                emit(Some(&path), source.text.as_bytes())?;
            }
            let mut report: String = (fixed.applied.iter())
                .map(|what| format!("fixed {what}\n"))
                .collect();
            report += &(fixed.left_out.iter())
                .map(|what| format!("left {what}\n"))
                .collect::<String>();
            report += &format!(
                "{} applied in {}\n",
                counted(fixed.applied.len(), "fix"),
                counted(fixed.changed.len(), "file")
            );
            match piped {
                Some(source) => {
                    emit(None, source.text.as_bytes())?;
                    eprint!("{report}");
                }
                None => emit(None, report.as_bytes())?,
            }
            Ok(read_cleanly)
        }
        Command::Rules { name, format } => {
            let rules: Vec<&lint::Rule> = match &name {
                Some(name) => vec![lint::rule(name).ok_or_else(|| {
                    format!("no rule is named {name}: `preflight rules` lists them")
                })?],
                None => lint::RULES.to_vec(),
            };
            let rendered = match (format, &name) {
                (ParseFormat::Json, _) => to_json(&rules) + "\n",
                (ParseFormat::Text, Some(_)) => rules[0].docs(),
                (ParseFormat::Text, None) => (rules.iter())
                    .map(|rule| {
                        format!(
                            "{} {:<32} {:<12} {}\n",
                            rule.code,
                            rule.name,
                            rule.group.words(),
                            rule.severity.words()
                        )
                    })
                    .collect(),
            };
            emit(None, rendered.as_bytes())?;
            Ok(true)
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
                read(&paths)
            };
            let (a, b) = (side(a, more_a)?, side(b, more_b)?);
            let mut audit = diff(&a.sources, &b.sources);
            if !schema.is_empty() {
                audit.retain_schemas(&schema);
            }
            let rendered = match format {
                ParseFormat::Text => audit.to_text(),
                ParseFormat::Json => to_json(&audit) + "\n",
            };
            emit(None, rendered.as_bytes())?;
            if audit.has_errors() {
                return Err("syntax errors: the statements they are in were not compared".into());
            }
            Ok(audit.is_empty() && !a.with_problems && !b.with_problems)
        }
    }
}

/// The plan, the sources planned, and whether every file was read as it is.
fn plan_of(project: &Project) -> Result<(Plan, Vec<Source>, bool), String> {
    let (sources, baseline) = (read(&project.paths)?, read(&project.baseline)?);
    let read_cleanly = !sources.with_problems && !baseline.with_problems;
    let options = Options {
        environment: project.environment,
        lint: settings::read(project.config.as_deref(), &project.paths)?,
        ..Options::default()
    };
    let plan = plan_with(&sources.sources, &baseline.sources, options);
    Ok((plan, sources.sources, read_cleanly))
}

/// The one Markdown runbook among `sources`, for `--keep-prose`.
fn the_runbook(sources: &[Source]) -> Result<&Source, String> {
    let runbooks: Vec<&Source> = sources.iter().filter(|s| s.is_markdown()).collect();
    match runbooks[..] {
        [runbook] => Ok(runbook),
        [] => Err("--keep-prose gives back a Markdown runbook, and no .md file was given".into()),
        _ => Err(format!(
            "--keep-prose gives back one Markdown runbook, and {} were given",
            runbooks.len()
        )),
    }
}

fn read(paths: &[PathBuf]) -> Result<inputs::Inputs, String> {
    inputs::read_sources(paths).map_err(|e| e.to_string())
}

/// Writes to `output`, or to standard output; a reader that stops early
/// (`| head`) is not an error.
fn emit(output: Option<&Path>, bytes: &[u8]) -> Result<(), String> {
    match output {
        Some(path) => {
            std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => match std::io::stdout().write_all(bytes) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(format!("cannot write the output: {e}"))
            }
            _ => Ok(()),
        },
    }
}

fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).expect("reports serialize")
}
