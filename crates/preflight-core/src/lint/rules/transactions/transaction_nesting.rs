//! BEGIN inside a transaction block.
use crate::analysis::kind::StatementKind;
use crate::diagnostics::Severity;
use crate::lint::{Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF432",
    name: "transaction-nesting",
    group: Group::Transactions,
    severity: Severity::Warning,
    flags: "BEGIN while a BEGIN earlier in the file is not committed yet",
    why: "PostgreSQL has no nested transactions: the inner BEGIN only warns, and its COMMIT commits the outer transaction too, so what comes after no longer rolls back with it.",
    also_in: "squawk transaction-nesting",
    fails: "begin;
create table a (id int primary key);
begin;
create table b (id int primary key);
commit;
commit;",
    passes: "begin;
create table a (id int primary key);
commit;
begin;
create table b (id int primary key);
commit;",
    supabase_only: false,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    if statement.unit.facts.kind == StatementKind::Begin && statement.in_transaction_block() {
        out.push(statement.finding(
            "BEGIN inside a transaction that is already open: its COMMIT will commit the outer one too".into(),
            "remove the inner BEGIN and COMMIT, or use SAVEPOINT for a part that may roll back alone",
        ));
    }
}
