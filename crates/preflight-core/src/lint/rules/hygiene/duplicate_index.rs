//! Two indexes that are the same index.
use crate::analysis::compact::Tree;

use crate::diagnostics::Severity;
use crate::lint::{Check, End, Finding, Group, Rule};

pub const RULE: Rule = Rule {
    code: "PF465",
    name: "duplicate-index",
    group: Group::Hygiene,
    severity: Severity::Warning,
    flags: "two indexes of a table with the same definition under different names",
    why: "Every insert and update maintains both, and both take space and memory, for no faster reads.",
    also_in: "splinter 0009 duplicate_index",
    fails: "create table notes (id int primary key, owner uuid);
create index notes_owner_idx on notes (owner);
create index idx_notes_owner on notes (owner);",
    passes: "create table notes (id int primary key, owner uuid, at timestamptz);
create index notes_owner_idx on notes (owner);
create index notes_owner_at_idx on notes (owner, at);",
    supabase_only: false,
    fix: None,
    check: Check::End(check),
};

fn check(end: &End, out: &mut Vec<Finding>) {
    for table in end.tables() {
        // A table has a few indexes: grouping by comparing is enough.
        let mut by_definition: Vec<(&Tree, Vec<&str>)> = Vec::new();
        for (index, definition) in end.catalog.index_definitions(table) {
            let name = index.object.name.name.as_str();
            match by_definition
                .iter_mut()
                .find(|(other, _)| *other == definition)
            {
                Some((_, names)) => names.push(name),
                None => by_definition.push((definition, vec![name])),
            }
        }
        for (_, names) in by_definition.iter().filter(|(_, names)| names.len() > 1) {
            if let Some(unit) = end.creator(table) {
                out.push(Finding::new(
                    unit,
                    format!(
                        "indexes {} of {table} are the same index",
                        names.join(" and ")
                    ),
                    format!(
                        "drop all but one (e.g. DROP INDEX {})",
                        names[1..].join(", ")
                    ),
                ));
            }
        }
    }
}
