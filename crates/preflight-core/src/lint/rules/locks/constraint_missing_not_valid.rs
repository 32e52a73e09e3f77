//! A foreign key or CHECK added to a live table, checked under its lock.
use crate::analysis::facts::{Change, ConstraintKind};
use crate::diagnostics::{Applicability, Severity};
use crate::lint::{fix, Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF421",
    name: "constraint-missing-not-valid",
    group: Group::Locks,
    severity: Severity::Warning,
    flags: "ALTER TABLE ... ADD a FOREIGN KEY or CHECK without NOT VALID on a table that existed before the plan",
    why: "Adding the constraint checks every existing row while holding a lock that blocks writes to the table (and, for a foreign key, to the referenced one). ADD ... NOT VALID takes the lock only for a moment; a later VALIDATE CONSTRAINT checks the rows without blocking writes.",
    also_in: "squawk constraint-missing-not-valid, eugene E1",
    fails: "alter table auth.users add constraint users_email_present check (email is not null);",
    passes: "alter table auth.users add constraint users_email_present check (email is not null) not valid;
alter table auth.users validate constraint users_email_present;
create table notes (id bigint primary key, owner uuid);
alter table notes add constraint notes_owner_fkey foreign key (owner) references auth.users (id);",
    supabase_only: false,
    fix: Some(Applicability::Unsafe),
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    let changes = &statement.unit.facts.changes;
    for change in changes {
        let Change::AddConstraint {
            table,
            name,
            kind,
            not_valid: false,
            ..
        } = change
        else {
            continue;
        };
        let kind = match kind {
            ConstraintKind::ForeignKey => "foreign key",
            ConstraintKind::Check => "check",
            _ => continue,
        };
        if !statement.existed_before_plan(table) {
            continue;
        }
        let end = statement.text().len();
        let fix = (changes.len() == 1).then(|| {
            fix(
                "add it NOT VALID (then VALIDATE CONSTRAINT in a later step)",
                Applicability::Unsafe,
                statement.edit(end, end, " NOT VALID"),
            )
        });
        out.push(
            statement
                .finding(
                    format!("adding {kind} {name} checks every row of existing {table} while writes to it wait"),
                    format!("add it NOT VALID, then ALTER TABLE {table} VALIDATE CONSTRAINT {name} in a later step"),
                )
                .with_fix(fix),
        );
    }
}
