//! CONCURRENTLY inside BEGIN ... COMMIT: PostgreSQL refuses it.
use crate::diagnostics::Severity;
use crate::lint::{Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF430",
    name: "concurrently-in-transaction",
    group: Group::Transactions,
    severity: Severity::Error,
    flags: "CREATE INDEX, DROP INDEX, REINDEX or REFRESH MATERIALIZED VIEW CONCURRENTLY between BEGIN and COMMIT",
    why: "PostgreSQL refuses to run these inside a transaction block: the statement fails, and with it the rest of the transaction.",
    also_in: "squawk (via transaction nesting), eugene",
    fails: "create table notes (id int primary key, owner uuid);
begin;
create index concurrently notes_owner_idx on notes (owner);
commit;",
    passes: "create table notes (id int primary key, owner uuid);
create index concurrently notes_owner_idx on notes (owner);",
    supabase_only: false,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    if statement.unit.facts.concurrently && statement.in_transaction_block() {
        out.push(statement.finding(
            format!(
                "{} cannot run inside a transaction block: it fails here, between BEGIN and COMMIT",
                statement.unit.facts.words
            ),
            "move it after the COMMIT, into a step of its own",
        ));
    }
}
