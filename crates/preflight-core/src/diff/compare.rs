//! Two models side by side: what only one has, and what both have but
//! define differently, property by property.
use std::collections::BTreeSet;

use super::{Changed, Definition, Difference, Presence, SchemaDiff};
use crate::analysis::compact::Tree;
use crate::analysis::facts::ObjectKind;
use crate::catalog::{Catalog, Entry, ObjectId, Property};

pub fn compare(a: &Catalog, b: &Catalog) -> SchemaDiff {
    let mut changed = Vec::new();
    for (key, a_entry) in a.iter() {
        let Some(b_entry) = b.get(key) else {
            continue;
        };
        let names: BTreeSet<&str> = a_entry
            .properties
            .keys()
            .chain(b_entry.properties.keys())
            .collect();
        let differences: Vec<Difference> = names
            .into_iter()
            .filter_map(|name| {
                let (a_property, b_property) =
                    (a_entry.properties.get(name), b_entry.properties.get(name));
                let a_compare = a_property.map(|p| &p.compare).unwrap_or(&Tree::Null);
                let b_compare = b_property.map(|p| &p.compare).unwrap_or(&Tree::Null);
                (a_compare != b_compare).then(|| Difference {
                    property: name.to_string(),
                    a: definition(a_entry, a_property),
                    b: definition(b_entry, b_property),
                })
            })
            .collect();
        if !differences.is_empty() {
            changed.push(Changed {
                object: key.clone(),
                differences,
            });
        }
    }
    SchemaDiff {
        only_in_a: only_in(a, b),
        only_in_b: only_in(b, a),
        changed,
        diagnostics: Vec::new(),
    }
}

/// An absent property (no default, no WITH CHECK...) is shown as none, at
/// the object's place.
fn definition(entry: &Entry, property: Option<&Property>) -> Definition {
    Definition {
        definition: property.map(|p| p.shown().to_string()),
        at: property.map_or(&entry.at, |p| &p.at).clone(),
    }
}

/// Objects of `side` that `other` lacks, except those belonging to a table
/// that is itself missing (the table says it all).
fn only_in(side: &Catalog, other: &Catalog) -> Vec<Presence> {
    // Keys are what foreign keys need; the constraints and indexes that
    // make them are compared.
    let missing = |key: &ObjectId| !other.contains(key) && key.object.kind != ObjectKind::Key;
    side.iter()
        .filter(|(key, entry)| {
            let owner = key.object.on.as_ref().or(entry.table.as_ref());
            let owner_missing = owner
                .and_then(|table| side.relation(table))
                .is_some_and(|table| missing(&table));
            missing(key) && !owner_missing
        })
        .map(|(key, entry)| Presence {
            object: key.clone(),
            at: entry.at.clone(),
        })
        .collect()
}
