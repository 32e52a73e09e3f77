//! Shared by the tests that run plans on a real PostgreSQL server.
#![allow(dead_code)] // each test file uses its own part

use std::path::{Path, PathBuf};

use pg_sandbox::{normalise_dump, schema_diff, PgServer};
use preflight_core::analysis::block_role::BlockRole;
use preflight_core::analysis::source::Source;
use preflight_core::environment::Environment;
use preflight_core::plan::Plan;

/// A server with the cluster-wide Supabase roles created once.
pub fn supabase_server() -> PgServer {
    let server = PgServer::start().unwrap_or_else(|error| panic!("{error}"));
    let roles = &Environment::Supabase.sources()[0];
    server
        .apply("postgres", &roles.text)
        .unwrap_or_else(|error| panic!("roles.sql: {error}"));
    server
}

/// A fresh database with the Supabase environment loaded.
pub fn supabase_database(server: &PgServer, name: &str) {
    server
        .create_database(name)
        .unwrap_or_else(|error| panic!("{error}"));
    let environment = &Environment::Supabase.sources()[1];
    server
        .apply(name, &environment.text)
        .unwrap_or_else(|error| panic!("environment.sql: {error}"));
}

/// The SQL files of a folder, sorted by name.
pub fn read_folder(folder: &Path) -> Vec<Source> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
        .map(|entry| entry.expect("readable folder").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let name = path
                .file_name()
                .expect("a file")
                .to_string_lossy()
                .into_owned();
            Source::new(name, std::fs::read_to_string(path).expect("UTF-8 SQL"))
        })
        .collect()
}

/// `sources` in a random order that is the same on every run for `seed`.
pub fn shuffled(sources: &[Source], seed: u64) -> Vec<Source> {
    let mut shuffled = sources.to_vec();
    fastrand::Rng::with_seed(seed).shuffle(&mut shuffled);
    shuffled
}

/// `sources` shuffled and renamed to random letters, so that names carry no
/// order.
pub fn renamed(sources: &[Source], seed: u64) -> Vec<Source> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut renamed = shuffled(sources, seed);
    for source in &mut renamed {
        let name: String = (0..10).map(|_| rng.lowercase()).collect();
        source.name = format!("{name}.sql");
    }
    renamed
}

/// A database name made from a project or fixture name.
pub fn database_name(name: &str) -> String {
    name.to_lowercase()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
}

/// What [`check_runbook`] saw.
pub struct RunbookCounts {
    pub steps: usize,
    pub reversible: usize,
    /// Steps undone from the end, up to the last one that cannot be.
    pub undone: usize,
}

/// Applies the plan step by step as a person would (each step's SQL as
/// pasted); each step's verification passes right after it and the health
/// check at the end. Then undoes the steps in reverse order, as far as they
/// can be undone: each rollback brings back the schema from before its
/// step, so with no irreversible step the schema before the plan, where
/// the health check fails again.
pub fn check_runbook(server: &PgServer, name: &str, plan: &Plan) -> RunbookCounts {
    check_runbook_on(server, name, plan, "")
}

/// [`check_runbook`] on a database that already holds `baseline`; the
/// author's own verification blocks run right after their step too.
pub fn check_runbook_on(
    server: &PgServer,
    name: &str,
    plan: &Plan,
    baseline: &str,
) -> RunbookCounts {
    let database = format!("{}_runbook", database_name(name));
    supabase_database(server, &database);
    if !baseline.is_empty() {
        server
            .apply(&database, baseline)
            .unwrap_or_else(|e| panic!("{database}: the baseline does not apply: {e}"));
    }
    let schema = || normalise_dump(&server.dump_schema(&database).expect("pg_dump"));
    let health = plan.health_check_sql.as_deref().expect("a health check");
    let passes = |sql: &str, what: &str| {
        let rows = server
            .query(&database, sql)
            .unwrap_or_else(|e| panic!("{database}: {what} does not run: {e}\n{sql}"));
        assert!(!rows.contains("|fail"), "{database}: {what} fails:\n{rows}");
    };
    for step in &plan.steps {
        assert!(
            step.rollback_sql.is_some() || step.rollback_note.is_some(),
            "{database}: step {} says why it cannot be undone",
            step.number
        );
        assert!(
            step.verify_sql.is_some(),
            "{database}: step {} has no verification:\n{}",
            step.number,
            step.sql
        );
    }
    let undoable_from = plan
        .steps
        .iter()
        .rposition(|step| step.rollback_sql.is_none())
        .map_or(0, |last_irreversible| last_irreversible + 1);
    let mut before_step = Vec::new();
    for (at, step) in plan.steps.iter().enumerate() {
        if at >= undoable_from {
            before_step.push(schema());
        }
        server
            .apply(&database, &step.runnable_sql())
            .unwrap_or_else(|e| panic!("{database}: step {} fails: {e}", step.number));
        if let Some(verify) = &step.verify_sql {
            passes(verify, &format!("the verification of step {}", step.number));
        }
        for check in (step.from_runbook.iter()).filter(|b| b.role == BlockRole::Verification) {
            server.query(&database, &check.sql).unwrap_or_else(|e| {
                panic!(
                    "{database}: “{}” does not run after step {}: {e}",
                    check.title, step.number
                )
            });
        }
    }
    passes(health, "the health check");
    let undone = &plan.steps[undoable_from..];
    for (step, before) in undone.iter().zip(&before_step).rev() {
        let rollback = step.rollback_sql.as_deref().expect("undoable");
        server.apply(&database, rollback).unwrap_or_else(|e| {
            panic!(
                "{database}: the rollback of step {} fails: {e}",
                step.number
            )
        });
        let diff = schema_diff(before, &schema());
        assert!(
            diff.is_empty(),
            "{database}: the rollback of step {} leaves:\n{}",
            step.number,
            diff.join("\n")
        );
    }
    if undoable_from == 0 && !plan.steps.is_empty() {
        let rows = server
            .query(&database, health)
            .expect("the health check runs");
        assert!(rows.contains("|fail"), "{database}: {rows}");
    }
    RunbookCounts {
        steps: plan.steps.len(),
        reversible: plan
            .steps
            .iter()
            .filter(|s| s.rollback_sql.is_some())
            .count(),
        undone: undone.len(),
    }
}
