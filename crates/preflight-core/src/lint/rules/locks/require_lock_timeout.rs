//! A lock on a live table taken without a lock_timeout.
use crate::analysis::facts::Action;
use crate::analysis::kind::StatementKind;
use crate::diagnostics::Severity;
use crate::lint::{Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF425",
    name: "require-lock-timeout",
    group: Group::Locks,
    severity: Severity::Info,
    flags: "a schema change of a table that existed before the plan, with no SET lock_timeout earlier in its file",
    why: "An ALTER waits for its ACCESS EXCLUSIVE lock behind any long query on the table, and every query that comes after waits behind the ALTER: a slow report can stop the whole app. With SET lock_timeout = '5s' the change gives up instead, and can be retried.",
    also_in: "squawk require-lock-timeout, eugene E9",
    fails: "alter table auth.users add column nickname text;",
    passes: "set lock_timeout = '5s';
alter table auth.users add column nickname text;",
    supabase_only: false,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    let facts = &statement.unit.facts;
    let schema_change = matches!(
        facts.kind,
        StatementKind::AlterTable | StatementKind::Drop | StatementKind::Rename
    );
    let Some(table) = (facts.facts.iter())
        .find(|fact| {
            fact.action.writes() && fact.action != Action::Creates && fact.object.kind.is_relation()
        })
        .map(|fact| &fact.object.name)
    else {
        return;
    };
    if !schema_change || !statement.existed_before_plan(table) {
        return;
    }
    let timeout_set = statement.earlier_in_file().any(|unit| {
        unit.facts.kind == StatementKind::Set && unit.facts.words == "set lock_timeout"
    });
    if !timeout_set {
        out.push(statement.finding(
            format!("this waits for an exclusive lock on existing {table} with no time limit, and every query on it waits behind"),
            "SET lock_timeout = '5s' at the top of the file (and retry the step if it times out)",
        ));
    }
}
