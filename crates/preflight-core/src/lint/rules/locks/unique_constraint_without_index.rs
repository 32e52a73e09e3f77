//! A unique or primary key added to a live table by building its index
//! under the table's lock.
use crate::analysis::facts::{Change, ConstraintKind};
use crate::diagnostics::Severity;
use crate::lint::{Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF423",
    name: "unique-constraint-without-index",
    group: Group::Locks,
    severity: Severity::Warning,
    flags: "ADD a UNIQUE or PRIMARY KEY constraint to a table that existed before the plan without USING INDEX",
    why: "The constraint builds its index while holding an ACCESS EXCLUSIVE lock: nothing reads or writes the table until it is done. Building the unique index CONCURRENTLY first and adding the constraint USING INDEX takes the lock only for a moment.",
    also_in: "squawk disallowed-unique-constraint, eugene E7",
    fails: "alter table auth.users add constraint users_phone_key unique (phone);",
    passes: "create unique index concurrently users_phone_key on auth.users (phone);
alter table auth.users add constraint users_phone_key unique using index users_phone_key;",
    supabase_only: false,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    for change in &statement.unit.facts.changes {
        let Change::AddConstraint {
            table,
            name,
            kind,
            using_index: false,
            ..
        } = change
        else {
            continue;
        };
        let words = match kind {
            ConstraintKind::Unique => "UNIQUE",
            ConstraintKind::PrimaryKey => "PRIMARY KEY",
            _ => continue,
        };
        if statement.existed_before_plan(table) {
            out.push(statement.finding(
                format!("adding {words} {name} builds its index on existing {table} while reads and writes wait"),
                format!("CREATE UNIQUE INDEX CONCURRENTLY {name} ON {table} (...) in a step of its own, then ADD CONSTRAINT {name} {words} USING INDEX {name}"),
            ));
        }
    }
}
