//! serial columns instead of identity columns.
use crate::diagnostics::Severity;
use crate::lint::sql;
use crate::lint::{Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF461",
    name: "prefer-identity",
    group: Group::Hygiene,
    severity: Severity::Info,
    flags: "a serial, bigserial or smallserial column",
    why: "serial makes a sequence the column merely defaults to: its permissions, ownership and copying with the table need care by hand. GENERATED ... AS IDENTITY is the standard form PostgreSQL recommends.",
    also_in: "squawk prefer-identity",
    fails: "create table notes (id bigserial primary key);",
    passes: "create table notes (id bigint generated always as identity primary key);",
    supabase_only: false,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    for (table, column, type_name) in sql::column_types(statement.node(), statement.unit.schema()) {
        if matches!(
            type_name.as_str(),
            "serial" | "bigserial" | "smallserial" | "serial2" | "serial4" | "serial8"
        ) {
            out.push(statement.finding(
                format!("{table}.{column} is a {type_name}"),
                "use bigint GENERATED ALWAYS AS IDENTITY (or BY DEFAULT, if rows are inserted with ids)",
            ));
        }
    }
}
