//! Dropping a column that holds data.
use crate::analysis::facts::{Action, ObjectKind};
use crate::diagnostics::Severity;
use crate::lint::{Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF451",
    name: "drop-column",
    group: Group::Destructive,
    severity: Severity::Warning,
    flags: "DROP COLUMN of a column that existed before the plan",
    why: "Its values are gone for good, and clients still selecting or writing it fail as soon as the step runs: deploy the code that stops using it first.",
    also_in: "squawk ban-drop-column, Atlas DS103",
    fails: "alter table auth.users drop column phone;",
    passes: "create table notes (id int primary key, draft text);
alter table notes drop column draft;",
    supabase_only: false,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    for fact in &statement.unit.facts.facts {
        let object = &fact.object;
        if fact.action == Action::Drops
            && object.kind == ObjectKind::Column
            && statement.existed_before(object)
        {
            out.push(statement.finding(
                format!("dropping existing {object} deletes its values for good and breaks clients that still use it"),
                "stop using the column in the app first, and keep a backup of its values",
            ));
        }
    }
}
