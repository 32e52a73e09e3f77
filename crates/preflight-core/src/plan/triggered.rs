//! Rows that triggers add: an insert into a table whose trigger runs a
//! function that inserts into another table adds rows there too (a new
//! user's account, a handle in a registry), so data that needs those rows
//! comes after it.

use crate::analysis::facts::{Action, ObjectKind};
use crate::analysis::names::QualifiedName;
use crate::plan::load::Loaded;
use crate::{HashMap, HashSet};

/// Per table, every other table an insert into it adds rows to, through
/// triggers (following triggers of those tables too).
pub fn triggered_inserts(loaded: &Loaded) -> HashMap<QualifiedName, Vec<QualifiedName>> {
    let mut function_inserts: HashMap<QualifiedName, &[QualifiedName]> = HashMap::default();
    for unit in &loaded.units {
        let created = (unit.facts.facts.iter())
            .find(|f| f.action == Action::Creates && f.object.kind == ObjectKind::Function);
        if let (Some(function), false) = (created, unit.facts.body_inserts.is_empty()) {
            let name = function.object.name.clone().in_schema(unit.schema());
            function_inserts.insert(name, &unit.facts.body_inserts);
        }
    }
    let mut direct: HashMap<QualifiedName, Vec<QualifiedName>> = HashMap::default();
    for unit in &loaded.units {
        let facts = &unit.facts.facts;
        let trigger = facts
            .iter()
            .find(|f| f.action == Action::Creates && f.object.kind == ObjectKind::Trigger);
        let function = facts
            .iter()
            .find(|f| f.action == Action::Reads && f.object.kind == ObjectKind::Function);
        let (Some(trigger), Some(function)) = (trigger, function) else {
            continue;
        };
        let (Some(table), function) = (&trigger.object.on, function.object.name.clone()) else {
            continue;
        };
        if let Some(inserted) = function_inserts.get(&function.in_schema(unit.schema())) {
            direct
                .entry(table.clone())
                .or_default()
                .extend(inserted.iter().cloned());
        }
    }
    direct
        .keys()
        .map(|table| (table.clone(), reachable(&direct, table)))
        .collect()
}

fn reachable(
    direct: &HashMap<QualifiedName, Vec<QualifiedName>>,
    from: &QualifiedName,
) -> Vec<QualifiedName> {
    let mut seen: HashSet<&QualifiedName> = HashSet::from_iter([from]);
    let mut queue = vec![from];
    let mut found = Vec::new();
    while let Some(table) = queue.pop() {
        for next in direct.get(table).into_iter().flatten() {
            if seen.insert(next) {
                found.push(next.clone());
                queue.push(next);
            }
        }
    }
    found
}
