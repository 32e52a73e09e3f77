//! Real Supabase migration histories (../shared/corpus, third-party data read
//! in place, never copied): the plan of the shuffled files must apply to a
//! real PostgreSQL and build the same schema as the original order.
//!
//! To look into a renamed run: PREFLIGHT_DUMP_DIR=DIR writes each plan there,
//! PREFLIGHT_VERBOSE=1 prints more of the failing statements.
mod support;

use std::path::PathBuf;

use pg_sandbox::{normalise_dump, schema_diff, PgServer};
use preflight_core::diagnostics::{codes, Severity};
use preflight_core::plan::plan;
use preflight_core::source::Source;
use support::{read_folder, renamed, shuffled, supabase_database, supabase_server};

const SHUFFLES: u64 = 3;

struct Project {
    name: String,
    sources: Vec<Source>,
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("PREFLIGHT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        });
    dir.join("SOURCES.tsv").is_file().then_some(dir)
}

/// Every project of the corpus, minus the files SOURCES.tsv says to skip.
fn projects() -> Option<Vec<Project>> {
    let Some(dir) = corpus_dir() else {
        eprintln!(
            "SKIPPED: ../shared/corpus is not present (set PREFLIGHT_CORPUS to run these tests)"
        );
        return None;
    };
    let index = std::fs::read_to_string(dir.join("SOURCES.tsv")).expect("SOURCES.tsv");
    let mut projects = Vec::new();
    for row in index.lines().skip(1) {
        let columns: Vec<&str> = row.split('\t').collect();
        let (skipped, folder) = (columns[6], columns[9]);
        let sources = read_folder(&dir.join(folder))
            .into_iter()
            .filter(|source| skipped == "-" || !skipped.split(',').any(|s| s.trim() == source.name))
            .collect();
        projects.push(Project {
            name: folder.to_string(),
            sources,
        });
    }
    Some(projects)
}

/// The schema the files build in their original (file-name) order.
fn reference_schema(server: &PgServer, project: &Project) -> String {
    let database = format!("{}_reference", database_name(&project.name));
    supabase_database(server, &database);
    for source in &project.sources {
        server
            .apply(&database, &source.text)
            .unwrap_or_else(|error| panic!("{} {}: {error}", project.name, source.name));
    }
    normalise_dump(&server.dump_schema(&database).expect("pg_dump"))
}

fn database_name(project: &str) -> String {
    project
        .to_lowercase()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
}

#[test]
fn shuffled_corpus_files_plan_into_the_original_schema() {
    let Some(projects) = projects() else {
        return;
    };
    let server = supabase_server();
    let mut failures = Vec::new();
    for project in &projects {
        let reference = reference_schema(&server, project);
        for seed in 0..SHUFFLES {
            let sources = shuffled(&project.sources, seed);
            let plan = plan(&sources, &[]);
            if plan.has_errors() {
                failures.push(format!(
                    "{} shuffle {seed}: plan has errors:\n{}",
                    project.name,
                    plan.errors_text()
                ));
                continue;
            }
            let database = format!("{}_shuffle_{seed}", database_name(&project.name));
            supabase_database(&server, &database);
            if let Err(error) = server.apply(&database, &plan.to_sql()) {
                failures.push(format!(
                    "{} shuffle {seed}: the plan does not apply: {error}",
                    project.name
                ));
                continue;
            }
            let schema = normalise_dump(&server.dump_schema(&database).expect("pg_dump"));
            let diff = schema_diff(&reference, &schema);
            if !diff.is_empty() {
                failures.push(format!(
                    "{} shuffle {seed}: schema differs:\n{}",
                    project.name,
                    diff.join("\n")
                ));
            }
        }
        eprintln!(
            "{}: {} files, {} shuffles checked",
            project.name,
            project.sources.len(),
            SHUFFLES
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// With names that carry no order, dependencies alone do not always decide:
/// a run where anything fails or differs must carry ambiguity or error
/// diagnostics; how many failures sit in a file they name is printed.
#[test]
fn renamed_corpus_files_fail_only_where_preflight_said_so() {
    let Some(projects) = projects() else {
        return;
    };
    let server = supabase_server();
    let mut unannounced = Vec::new();
    for project in &projects {
        let reference = reference_schema(&server, project);
        for seed in 0..SHUFFLES {
            let sources = renamed(&project.sources, seed);
            let plan = plan(&sources, &[]);
            let database = format!("{}_renamed_{seed}", database_name(&project.name));
            supabase_database(&server, &database);
            if let Some(dir) = std::env::var_os("PREFLIGHT_DUMP_DIR") {
                let path = PathBuf::from(dir).join(format!("{database}.sql"));
                std::fs::write(&path, plan.to_sql() + &plan.to_text()).expect("writable dump dir");
            }
            let (sql, step_lines) = plan.to_sql_with_lines();
            let failed = server.apply_each(&database, &sql);
            // A failure is covered when a warning or error names its file.
            let flagged: Vec<&str> = plan
                .diagnostics
                .iter()
                .filter(|d| d.severity != Severity::Info)
                .map(|d| d.file.as_str())
                .collect();
            let file_at = |line: u32| {
                let step = step_lines
                    .iter()
                    .position(|lines| lines.contains(&(line as usize)))?;
                Some(plan.steps[step].sources[0].file.as_str())
            };
            let covered = failed
                .iter()
                .filter(|f| {
                    f.line
                        .and_then(file_at)
                        .is_some_and(|file| flagged.contains(&file))
                })
                .count();
            let schema = normalise_dump(&server.dump_schema(&database).expect("pg_dump"));
            let diff = schema_diff(&reference, &schema);
            let announced = plan
                .diagnostics
                .iter()
                .filter(|d| d.code == codes::AMBIGUOUS_ORDER || d.severity == Severity::Error)
                .count();
            eprintln!(
                "{} renamed {seed}: {} statements failed ({covered} in a file a warning or error names), {} schema differences, {} ambiguity/error diagnostics",
                project.name,
                failed.len(),
                diff.len(),
                announced
            );
            for failure in failed
                .iter()
                .take(if std::env::var_os("PREFLIGHT_VERBOSE").is_some() {
                    30
                } else {
                    5
                })
            {
                eprintln!("    failed: {:?} {}", failure.line, failure.message);
            }
            for line in diff.iter().take(5) {
                eprintln!("    differs: {line}");
            }
            if (!failed.is_empty() || !diff.is_empty()) && announced == 0 {
                unannounced.push(format!("{} renamed {seed}", project.name));
            }
        }
    }
    assert!(
        unannounced.is_empty(),
        "failures without a diagnostic: {unannounced:?}"
    );
}
