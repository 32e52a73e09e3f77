//! Real Supabase migration histories (../shared/corpus, third-party data read
//! in place, never copied): the plan of the shuffled files must apply to a
//! real PostgreSQL and build the same schema as the original order; the
//! page's analysis after an edit, which reuses the last one's, must be the
//! analysis of the edited files.
//!
//! To look into a renamed run: PREFLIGHT_DUMP_DIR=DIR writes each plan there
//! (and its renamed files in a folder of the same name),
//! PREFLIGHT_VERBOSE=1 prints more of the failing statements.
mod support;

use std::collections::HashSet;
use std::path::PathBuf;

use pg_sandbox::{normalise_dump, schema_diff, PgServer};
use preflight_core::analysis::parse::parse_source;
use preflight_core::analysis::source::Source;
use preflight_core::diagnostics::{codes, Diagnostic, Severity};
use preflight_core::plan::{analyse, analyse_reusing, plan, Options, Reuse};
use support::{
    check_runbook, database_name, read_folder, renamed, shuffled, supabase_database,
    supabase_server,
};

const SHUFFLES: u64 = 3;

/// With renamed files, per project and seed: the most statements that may
/// fail on PostgreSQL, and the most "ambiguous order" (PF201) warnings. A
/// ratchet: lower these when the planner orders more (the notes of issue
/// 12 say what still fails and why); a run above them is a regression.
/// dbdev's seed data, which looks packages up by a name that another file's
/// function makes differently, is flagged (PF201) and lands on either side
/// of that function as the random names fall: its count per seed moves with
/// any change to the order.
const RENAMED_AT_MOST: &[(&str, [(usize, usize); 3])] = &[
    ("mckaywrigley__chatbot-ui", [(0, 3), (0, 3), (0, 3)]),
    ("supabase__dbdev", [(7, 15), (11, 16), (1, 12)]),
    ("QuivrHQ__quivr", [(1, 49), (2, 50), (2, 45)]),
    (
        "SanjoSolutions__next-js-supabase-saas-starter",
        [(0, 4), (0, 4), (0, 4)],
    ),
    ("supabase-community__postgres-new", [(0, 1), (0, 1), (0, 1)]),
];

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

/// As the page plans while a person types: the newest file edited (the
/// replay resumes before its steps), then a file in the middle, then the
/// newest again; each analysis equals one made from nothing.
#[test]
fn an_analysis_after_each_edit_is_the_analysis_of_the_edited_files() {
    let Some(projects) = projects() else {
        return;
    };
    for project in projects {
        let mut files = project.sources.clone();
        let (last, middle) = (files.len() - 1, files.len() / 2);
        let mut reuse = Reuse::default();
        let mut edit = |file: usize, text: &str| {
            files[file].text.push_str(text);
            let reused = analyse_reusing(&files, &[], Options::default(), &mut reuse);
            let fresh = analyse(&files, &[], Options::default());
            assert!(
                reused == fresh,
                "{}: the analysis after an edit of {} differs",
                project.name,
                files[file].name
            );
        };
        edit(last, "");
        edit(
            last,
            "\ncreate view public.preflight_edit as select 1 as one;\n",
        );
        edit(
            last,
            "\nalter view public.preflight_edit set (security_invoker = true);\n",
        );
        edit(middle, "\n-- edited\n");
        edit(last, "\ndrop view public.preflight_edit;\n");
    }
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
            if plan.has_order_errors() {
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

/// With names that carry no order, dependencies alone do not always decide.
/// Every statement that fails must sit in a file a warning or error points
/// at, and every schema difference must name an object a warning or error
/// names.
#[test]
fn renamed_corpus_files_fail_only_where_preflight_said_so() {
    let Some(projects) = projects() else {
        return;
    };
    let server = supabase_server();
    let verbose = std::env::var_os("PREFLIGHT_VERBOSE").is_some();
    let mut unannounced = Vec::new();
    let mut above_ratchet = Vec::new();
    for project in &projects {
        let reference = reference_schema(&server, project);
        for seed in 0..SHUFFLES {
            let sources = renamed(&project.sources, seed);
            let plan = plan(&sources, &[]);
            let database = format!("{}_renamed_{seed}", database_name(&project.name));
            supabase_database(&server, &database);
            if let Some(dir) = std::env::var_os("PREFLIGHT_DUMP_DIR") {
                let dir = PathBuf::from(dir);
                let path = dir.join(format!("{database}.sql"));
                // The script as applied, so failures' lines point into it.
                let script = plan.script(false).0 + &plan.to_text();
                std::fs::write(&path, script).expect("writable dump dir");
                // And the renamed files, for `preflight plan` to look into.
                let files = dir.join(&database);
                std::fs::create_dir_all(&files).expect("writable dump dir");
                for source in &sources {
                    std::fs::write(files.join(&source.name), &source.text).expect("writable");
                }
            }
            let (sql, step_lines) = plan.script(false);
            let failed = server.apply_each(&database, &sql);
            let warnings: Vec<&Diagnostic> = plan
                .diagnostics
                .iter()
                .filter(|d| d.severity != Severity::Info && d.rule.is_none())
                .collect();
            let flagged_files: HashSet<&str> = warnings.iter().flat_map(|d| d.files()).collect();
            let file_at = |line: u32| {
                let step = step_lines
                    .iter()
                    .position(|lines| lines.contains(&(line as usize)))?;
                Some(plan.steps[step].sources[0].file.as_str())
            };
            let uncovered_failures: Vec<_> = failed
                .iter()
                .filter(|f| {
                    let in_flagged_file = f
                        .line
                        .and_then(file_at)
                        .is_some_and(|file| flagged_files.contains(file));
                    !in_flagged_file && !names_a_warned_object(&f.message, &warnings)
                })
                .collect();
            let schema = normalise_dump(&server.dump_schema(&database).expect("pg_dump"));
            let diff = schema_diff(&reference, &schema);
            // What a failed statement would have made is missing too.
            let script = parse_source(&Source::new("plan.sql", sql.as_str()));
            let failed_statements: Vec<&str> = failed
                .iter()
                .filter_map(|f| {
                    let line = f.line?;
                    script
                        .statements
                        .iter()
                        .find(|s| s.start.line <= line && line <= s.end.line)
                        .map(|s| s.text())
                })
                .collect();
            let uncovered_differences: Vec<&String> = diff
                .iter()
                .filter(|line| {
                    !names_a_flagged_object(line, &warnings)
                        && !names_what_failed(line, &failed_statements)
                })
                .collect();
            let ambiguous = warnings
                .iter()
                .filter(|d| d.code == codes::AMBIGUOUS_ORDER)
                .count();
            eprintln!(
                "{} renamed {seed}: {} steps, {} statements failed ({} outside the files warnings point at), {} schema differences ({} naming no object a warning names), {} warnings ({ambiguous} PF201)",
                project.name,
                plan.steps.len(),
                failed.len(),
                uncovered_failures.len(),
                diff.len(),
                uncovered_differences.len(),
                warnings.len()
            );
            let limits = RENAMED_AT_MOST
                .iter()
                .find(|(name, _)| *name == project.name);
            if let Some((_, limits)) = limits {
                let (most_failed, most_ambiguous) = limits[seed as usize];
                if failed.len() > most_failed || ambiguous > most_ambiguous {
                    above_ratchet.push(format!(
                        "{} renamed {seed}: {} statements failed (at most {most_failed}), {ambiguous} PF201 (at most {most_ambiguous})",
                        project.name,
                        failed.len()
                    ));
                }
            }
            let shown = if verbose { usize::MAX } else { 5 };
            if verbose {
                for failure in &failed {
                    let step = failure.line.and_then(|line| {
                        let at = step_lines
                            .iter()
                            .position(|lines| lines.contains(&(line as usize)))?;
                        Some(plan.steps[at].title.as_str())
                    });
                    eprintln!(
                        "    failed in {:?}: {}",
                        step,
                        failure.message.lines().next().unwrap_or_default()
                    );
                }
            }
            for failure in uncovered_failures.iter().take(shown) {
                eprintln!(
                    "    unannounced failure: {:?} {}",
                    failure.line, failure.message
                );
            }
            for line in uncovered_differences.iter().take(shown) {
                eprintln!("    unannounced difference: {line}");
            }
            if !uncovered_failures.is_empty() || !uncovered_differences.is_empty() {
                unannounced.push(format!("{} renamed {seed}", project.name));
            }
        }
    }
    assert!(
        unannounced.is_empty(),
        "failures without a diagnostic: {unannounced:?}"
    );
    assert!(
        above_ratchet.is_empty(),
        "more than before: {above_ratchet:#?}"
    );
}

/// Whether a line of a schema dump names a `schema.object` that a warning
/// or error mentions.
fn names_a_flagged_object(line: &str, warnings: &[&Diagnostic]) -> bool {
    dumped_names(line).any(|object| warnings.iter().any(|d| mentions(d, &object)))
}

/// The `schema.name` words of a dump line, and what they may stand for.
fn dumped_names(line: &str) -> impl Iterator<Item = String> + '_ {
    line.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .filter(|word| word.contains('.') && !word.starts_with('.') && !word.ends_with('.'))
        .flat_map(owners)
}

/// Whether a line of a schema dump names an object that one of the failed
/// statements mentions.
fn names_what_failed(line: &str, failed_statements: &[&str]) -> bool {
    dumped_names(line).any(|name| {
        let unqualified = name.rsplit('.').next().unwrap_or(&name).to_string();
        failed_statements
            .iter()
            .any(|statement| statement.contains(&unqualified))
    })
}

/// Whether PostgreSQL's error names (in double quotes) an object whose
/// order a warning or error is about.
fn names_a_warned_object(error: &str, warnings: &[&Diagnostic]) -> bool {
    let first_line = error.lines().next().unwrap_or_default();
    first_line
        .split('"')
        .skip(1)
        .step_by(2)
        .any(|name| warnings.iter().any(|d| mentions(d, name)))
}

fn mentions(diagnostic: &Diagnostic, name: &str) -> bool {
    diagnostic.message.contains(name) || diagnostic.related.iter().any(|r| r.note.contains(name))
}

/// A dumped name and what it may stand for: a serial column's sequence
/// `table_column_seq` belongs to its table, and PostgreSQL appends a number
/// to a generated name that is taken (`summaries_id_seq1`).
fn owners(name: &str) -> Vec<String> {
    let mut names = vec![name.to_string()];
    let unnumbered = name.trim_end_matches(|c: char| c.is_ascii_digit());
    if let Some(owner) = unnumbered.strip_suffix("_seq") {
        names.push(unnumbered.to_string());
        names.extend(
            owner
                .match_indices('_')
                .map(|(at, _)| owner[..at].to_string()),
        );
    }
    names
}

/// Each project's runbook, run step by step as a person would: every
/// verification and the health check pass, and the steps after the last
/// irreversible one roll back to the schema before them.
#[test]
fn corpus_runbooks_verify_and_roll_back() {
    let Some(projects) = projects() else {
        return;
    };
    let server = supabase_server();
    for project in &projects {
        let plan = plan(&project.sources, &[]);
        let counts = check_runbook(&server, &database_name(&project.name), &plan);
        eprintln!(
            "{}: {} steps, {} reversible, {} irreversible; the last {} undone on PostgreSQL",
            project.name,
            counts.steps,
            counts.reversible,
            counts.steps - counts.reversible,
            counts.undone
        );
    }
}
