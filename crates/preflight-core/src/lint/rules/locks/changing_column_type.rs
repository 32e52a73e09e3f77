//! A column's type changed on a live table: usually a rewrite.
use crate::analysis::facts::Change;
use crate::diagnostics::Severity;
use crate::lint::{Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF424",
    name: "changing-column-type",
    group: Group::Locks,
    severity: Severity::Warning,
    flags: "ALTER COLUMN ... TYPE on a table that existed before the plan",
    why: "Most type changes rewrite the table and its indexes under an ACCESS EXCLUSIVE lock: the table is unreadable for as long as that takes. Clients and views that read the column may also break. Widening a varchar or going from varchar to text does not rewrite.",
    also_in: "squawk changing-column-type, eugene E5",
    fails: "alter table auth.users alter column phone type varchar(32);",
    passes: "create table notes (id bigint primary key, body varchar(100));
alter table notes alter column body type text;",
    supabase_only: false,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    for change in &statement.unit.facts.changes {
        let Change::ColumnType { table, column } = change else {
            continue;
        };
        if statement.existed_before_plan(table) {
            out.push(statement.finding(
                format!("changing the type of existing {table}.{column} may rewrite the table while every read and write waits"),
                "add a new column, fill it in batches, and switch readers to it; or run this in a quiet window",
            ));
        }
    }
}
