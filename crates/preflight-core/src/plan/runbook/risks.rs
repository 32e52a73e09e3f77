//! What can go wrong when a statement runs on a live database, in plain words.
use std::collections::HashSet;

use pg_query::NodeEnum;

use crate::analysis::facts::{Action, Change, ObjectKind, ObjectRef, RowSecurity};
use crate::analysis::kind::StatementKind;
use crate::plan::load::Unit;

/// `existing`: objects (by identity) that exist before the plan runs, so
/// hold data and serve traffic.
pub fn risks(unit: &Unit, existing: &HashSet<ObjectRef>) -> Vec<String> {
    let facts = &unit.facts;
    let mut risks = Vec::new();
    let is_existing_table = |name: &crate::analysis::names::QualifiedName| {
        existing.contains(&ObjectRef::new(ObjectKind::Relation, name.clone()).identity())
    };
    for fact in &facts.facts {
        let object = &fact.object;
        match (fact.action, object.kind) {
            (Action::Drops, ObjectKind::Table | ObjectKind::Relation | ObjectKind::Column) => {
                risks.push(format!(
                    "destroys data: dropping {object} deletes what it holds for good"
                ));
            }
            (Action::Alters, kind) if kind.is_relation() && is_existing_table(&object.name) => {
                let retyped = |change: &Change| matches!(change, Change::ColumnType { table, .. } if *table == object.name);
                let lock = if facts.kind.changes_data() && facts.kind != StatementKind::Truncate {
                    "changes its rows"
                } else if facts.changes.iter().any(retyped) {
                    "rewrites the table under an ACCESS EXCLUSIVE lock: every read and write of it waits until the step commits"
                } else {
                    "takes an ACCESS EXCLUSIVE lock: every read and write of it waits until the step commits"
                };
                risks.push(format!(
                    "{} on existing {}: {lock}",
                    facts.words, object.name
                ));
            }
            (Action::Creates, ObjectKind::Constraint)
                if object.on.as_ref().is_some_and(is_existing_table) =>
            {
                risks.push(format!(
                    "depends on existing data: fails if rows of {} break {object}",
                    object.on.as_ref().expect("checked")
                ));
            }
            _ => {}
        }
    }
    if let NodeEnum::IndexStmt(index) = &unit.statement.node {
        let table = index
            .relation
            .as_ref()
            .map(|r| crate::analysis::names::QualifiedName::relation(r, unit.schema()));
        if let Some(table) = table.filter(|t| !facts.concurrently && is_existing_table(t)) {
            risks.push(format!(
                "{} on existing {table}: takes a SHARE lock, so writes to it wait while the index builds (CREATE INDEX CONCURRENTLY avoids that)",
                facts.words
            ));
        }
    }
    for change in &facts.changes {
        if let Change::RowSecurity { table, setting } = change {
            let who = match setting {
                RowSecurity::Enable => "roles other than its owner",
                RowSecurity::Force => "its owner too",
                RowSecurity::Disable | RowSecurity::NoForce => continue,
            };
            risks.push(format!(
                "from now on {who} see no rows of {table} unless a policy lets them"
            ));
        }
    }
    risks
}

/// The first object a statement creates that a second run would find
/// already there.
pub fn not_rerunnable(unit: &Unit) -> Option<&ObjectRef> {
    let tolerance = unit.facts.tolerance;
    if tolerance.if_not_exists || tolerance.or_replace {
        return None;
    }
    unit.facts
        .facts
        .iter()
        .find(|f| f.action == Action::Creates && f.object.kind != ObjectKind::Rows)
        .map(|f| &f.object)
}
