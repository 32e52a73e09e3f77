//! SET NOT NULL on a live table: a full scan under an exclusive lock.
use crate::analysis::facts::Change;
use crate::diagnostics::Severity;
use crate::lint::{Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF422",
    name: "set-not-null-on-existing-table",
    group: Group::Locks,
    severity: Severity::Warning,
    flags: "ALTER COLUMN ... SET NOT NULL on a table that existed before the plan",
    why: "PostgreSQL scans the whole table to prove no row is NULL while holding an ACCESS EXCLUSIVE lock: every read and write waits. A CHECK (col IS NOT NULL) NOT VALID, validated in a later step, lets SET NOT NULL skip the scan (PostgreSQL 12+).",
    also_in: "squawk adding-not-nullable-field, eugene E2",
    fails: "alter table auth.users alter column email set not null;",
    passes: "alter table auth.users add constraint users_email_not_null check (email is not null) not valid;
create table notes (id bigint primary key, body text);
alter table notes alter column body set not null;",
    supabase_only: false,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    for change in &statement.unit.facts.changes {
        let Change::NotNull {
            table,
            column,
            set: true,
        } = change
        else {
            continue;
        };
        if statement.existed_before_plan(table) {
            out.push(statement.finding(
                format!("SET NOT NULL on existing {table}.{column} scans every row while reads and writes wait"),
                format!("first ADD CONSTRAINT {}_{column}_not_null CHECK ({column} IS NOT NULL) NOT VALID, then VALIDATE it in a later step; SET NOT NULL then needs no scan", table.name),
            ));
        }
    }
}
