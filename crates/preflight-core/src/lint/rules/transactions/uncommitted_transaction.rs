//! BEGIN without COMMIT: the script leaves its transaction open.
use crate::analysis::kind::StatementKind;
use crate::diagnostics::{Applicability, Severity};
use crate::lint::{fix, Ahead, Check, Finding, Group, Rule};

pub const RULE: Rule = Rule {
    code: "PF433",
    name: "uncommitted-transaction",
    group: Group::Transactions,
    severity: Severity::Error,
    flags: "a BEGIN with no COMMIT or ROLLBACK after it in its file",
    why: "The transaction stays open when the script ends: in the SQL editor its changes are rolled back when the connection goes, and meanwhile its locks block everyone else.",
    also_in: "squawk ban-uncommitted-transaction",
    fails: "begin;
create table a (id int primary key);",
    passes: "begin;
create table a (id int primary key);
commit;",
    supabase_only: false,
    fix: Some(Applicability::Unsafe),
    check: Check::Ahead(check),
};

fn check(statement: &Ahead, out: &mut Vec<Finding>) {
    if statement.unit.facts.kind != StatementKind::Begin {
        return;
    }
    let ends =
        |kind: StatementKind| matches!(kind, StatementKind::Commit | StatementKind::Rollback);
    let later: Vec<StatementKind> = statement
        .later_in_file()
        .map(|unit| unit.facts.kind)
        .collect();
    if later.iter().copied().any(ends) {
        return;
    }
    let fix = fix(
        "add COMMIT at the end of the file",
        Applicability::Unsafe,
        statement.append_to_file("\nCOMMIT;\n"),
    );
    out.push(
        statement
            .finding(
                "this BEGIN is never committed: the file ends with its transaction open".into(),
                "end the file with COMMIT (or ROLLBACK, to try it without keeping it)",
            )
            .with_fix(Some(fix)),
    );
}
