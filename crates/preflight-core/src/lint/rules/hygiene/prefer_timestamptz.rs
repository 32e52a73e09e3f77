//! `timestamp` without a time zone.
use crate::diagnostics::Severity;
use crate::lint::sql;
use crate::lint::{Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF460",
    name: "prefer-timestamptz",
    group: Group::Hygiene,
    severity: Severity::Info,
    flags: "a column of type timestamp (without time zone)",
    why: "A timestamp without time zone stores the wall-clock reading and forgets which zone it was in: clients in other zones, and daylight saving, shift its meaning. timestamptz stores the instant; Supabase's own tables use it.",
    also_in: "squawk prefer-timestamptz",
    fails: "create table events (id int primary key, at timestamp not null);",
    passes: "create table events (id int primary key, at timestamptz not null);",
    supabase_only: false,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    for (table, column, type_name) in sql::column_types(statement.node(), statement.unit.schema()) {
        if type_name == "timestamp" {
            out.push(statement.finding(
                format!("{table}.{column} is a timestamp without time zone"),
                "use timestamptz (timestamp with time zone)",
            ));
        }
    }
}
