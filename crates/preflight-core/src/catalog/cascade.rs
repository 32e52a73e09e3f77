//! The one drop and rename cascade: what goes with a dropped object, and
//! what follows a renamed one, as PostgreSQL tracks them. Every consumer
//! (planner, runbook, audit) reads the result from [`Changes`].
//!
//! [`Changes`]: super::Changes
use std::sync::Arc;

use crate::analysis::compact::Tree;

use crate::analysis::facts::{ObjectKind, ObjectRef};
use crate::analysis::names::QualifiedName;

use super::model::{Catalog, Entry, ObjectId, Words};
use super::normal::{strings_of, SqlType};

impl Catalog {
    /// Drops an object and what goes with it: what belongs to a table (its
    /// columns, constraints, indexes, policies, triggers, owned sequences);
    /// the constraints and indexes that use a dropped column; the index
    /// behind a dropped constraint; whatever needs a dropped object (a view
    /// on a table, a foreign key to it, a trigger calling a function).
    /// PostgreSQL refuses a drop that would take dependents without
    /// CASCADE, so a drop that ran took them.
    pub fn drop(&mut self, key: &ObjectId) {
        let mut queue = vec![key.clone()];
        while let Some(key) = queue.pop() {
            let Some(entry) = self.objects.remove(&key) else {
                continue;
            };
            self.unindex(&key, &entry);
            let needed = entry.needs.iter().cloned();
            (self.journal.released).extend(needed.map(|needed| (needed, key.object.clone())));
            self.journal.dropped.push(key.clone());
            let object = &key.object;
            if object.kind.is_relation() && object.on.is_none() {
                queue.extend(self.parts.take(&object.name));
            }
            match object.kind {
                ObjectKind::Column => queue.extend(self.using_column(&key)),
                ObjectKind::Constraint => queue.extend(self.backing_index(&key)),
                _ => {}
            }
            let identity = object.identity();
            // One overload of a function going leaves what needs another.
            if self.matching(&identity).is_empty() {
                queue.extend(self.dependents.take(&identity));
            }
        }
    }

    /// Drops everything in a schema (DROP SCHEMA ... CASCADE).
    pub fn drop_schema(&mut self, schema: &str) {
        let mut inside: Vec<ObjectId> = self
            .objects
            .keys()
            .filter(|key| key.schema() == Some(schema))
            .cloned()
            .collect();
        inside.sort_unstable();
        for key in inside {
            self.drop(&key);
        }
    }

    /// The constraints and indexes of a column's table that use it.
    fn using_column(&self, column: &ObjectId) -> Vec<ObjectId> {
        let (Some(table), name) = (&column.object.on, &column.object.name.name) else {
            return Vec::new();
        };
        let uses_column = |definition: &Tree| {
            ["keys", "fk_attrs"]
                .iter()
                .any(|list| strings_of(definition.get(list)).iter().any(|c| c == name))
                || (definition.get("index_params").and_then(Tree::as_list)).is_some_and(|params| {
                    params
                        .iter()
                        .any(|p| p.at("/node/IndexElem/name").and_then(Tree::as_str) == Some(name))
                })
        };
        self.parts_of(table)
            .filter(|key| {
                self.property(key, "definition")
                    .is_some_and(|d| uses_column(&d.compare))
            })
            .cloned()
            .collect()
    }

    /// A primary key, unique or exclusion constraint's index, when the
    /// catalog lists it (`ADD CONSTRAINT ... USING INDEX`).
    fn backing_index(&self, constraint: &ObjectId) -> Option<ObjectId> {
        let table = constraint.object.on.as_ref()?;
        let name = QualifiedName::new(table.schema.as_deref(), &constraint.object.name.name);
        let index = ObjectId::new(ObjectKind::Index, name);
        self.contains(&index).then_some(index)
    }

    pub fn rename(&mut self, key: &ObjectId, new_name: &str) {
        let mut new = key.object.name.clone();
        new.name = new_name.into();
        self.rename_to(key, new);
    }

    /// Renames an object, into another schema too (`SET SCHEMA`).
    pub fn rename_to(&mut self, key: &ObjectId, new: QualifiedName) {
        let Some(entry) = self.objects.remove(key) else {
            return;
        };
        self.unindex(key, &entry);
        let mut renamed = key.clone();
        renamed.object.name = new.clone();
        self.index(&renamed, &entry);
        self.objects.insert(renamed.clone(), entry);
        self.journal.renamed.push((key.clone(), renamed.clone()));
        self.needs_renamed(&key.object.identity(), &renamed.object.identity());
        let old = &key.object;
        match old.kind {
            kind if kind.is_relation() => self.relation_renamed(&old.name, &new),
            ObjectKind::Column => {
                if let Some(table) = &old.on {
                    self.column_renamed(table, &old.name.name, &new.name);
                }
            }
            ObjectKind::Type => self.type_renamed(&old.name, &new),
            _ => {}
        }
    }

    /// What needed the old name needs the new one.
    fn needs_renamed(&mut self, old: &ObjectRef, new: &ObjectRef) {
        let dependents = self.dependents.take(old);
        if dependents.is_empty() {
            return;
        }
        for dependent in &dependents {
            if let Some(entry) = self.objects.get_mut(dependent).map(Arc::make_mut) {
                for needed in entry.needs.iter_mut().filter(|n| *n == old) {
                    *needed = new.clone();
                }
            }
        }
        self.dependents.extend(new.clone(), dependents);
    }

    /// What belongs to the table follows it; definitions that name it
    /// (foreign keys, indexes, expressions) name the new name, as
    /// PostgreSQL, which tracks objects by identity, shows them.
    fn relation_renamed(&mut self, old: &QualifiedName, new: &QualifiedName) {
        for key in self.parts.take(old) {
            let Some(mut entry) = self.objects.remove(&key) else {
                continue;
            };
            self.unindex(&key, &entry);
            let mut part = key.clone();
            if part.object.on.is_some() {
                part.object.on = Some(new.clone());
            } else {
                // Its indexes and owned sequences move with it (SET SCHEMA).
                part.object.name.schema = new.schema.clone();
            }
            if entry.table.is_some() {
                Arc::make_mut(&mut entry).table = Some(new.clone());
            }
            self.index(&part, &entry);
            self.objects.insert(part.clone(), entry);
            if part != key {
                self.journal.renamed.push((key, part));
            }
        }
        for entry in self.objects.values_mut() {
            let Some(entry) = mentioning(entry, &old.name) else {
                continue;
            };
            for (_, property) in entry.properties.iter_mut() {
                walk_objects(&mut property.compare, &mut |fields| {
                    if names_relation(fields, old) {
                        fields.set("relname", new.name.as_str().into());
                        match new.schema.as_deref() {
                            _ if new.schema == old.schema => {}
                            Some(schema) => fields.set("schemaname", schema.into()),
                            None => {
                                fields.remove("schemaname");
                            }
                        }
                    }
                });
            }
        }
    }

    /// Column names in the table's constraints, indexes, policies and
    /// triggers, and in foreign keys that reference it.
    fn column_renamed(&mut self, table: &QualifiedName, old: &str, new: &str) {
        for (key, entry) in &mut self.objects {
            let own = key.object.on.as_ref() == Some(table) || entry.table.as_ref() == Some(table);
            let Some(entry) = mentioning(entry, old) else {
                continue;
            };
            for (_, property) in entry.properties.iter_mut() {
                walk_objects(&mut property.compare, &mut |fields| {
                    let references_table = (fields.get("pktable"))
                        .is_some_and(|pktable| names_relation(pktable, table));
                    if references_table {
                        rename_strings(fields.get_mut("pk_attrs"), old, new);
                    }
                    if !own {
                        return;
                    }
                    for list in ["keys", "fk_attrs", "including", "columns"] {
                        rename_strings(fields.get_mut(list), old, new);
                    }
                    if let Some(column) = fields.get_mut("ColumnRef") {
                        rename_strings(column.get_mut("fields"), old, new);
                    }
                    if let Some(element) = fields.get_mut("IndexElem") {
                        if element.get("name").and_then(Tree::as_str) == Some(old) {
                            element.set("name", new.into());
                        }
                    }
                });
            }
        }
    }

    /// Columns, arguments and casts of the type name the new name.
    fn type_renamed(&mut self, old: &QualifiedName, new: &QualifiedName) {
        let names = |name: &QualifiedName| -> Vec<Tree> {
            (name.schema.iter().chain([&name.name]))
                .map(|s| s.as_str().into())
                .collect()
        };
        let (old_names, new_names) = (names(old), names(new));
        for entry in self.objects.values_mut() {
            let Some(entry) = mentioning(entry, &old.name) else {
                continue;
            };
            for (name, property) in entry.properties.iter_mut() {
                let mut changed = false;
                walk_objects(&mut property.compare, &mut |fields| {
                    if fields.get("names").and_then(Tree::as_list) == Some(&old_names) {
                        fields.set("names", Tree::List(new_names.clone()));
                        changed = true;
                    }
                });
                if changed && name == "type" {
                    let sql_type = SqlType::from_tree(&property.compare);
                    property.words = Words::Text(sql_type.to_string());
                }
            }
        }
    }
}

/// The entry, to change, when one of its definitions holds `word`: the
/// others stay shared.
fn mentioning<'a>(entry: &'a mut Arc<Entry>, word: &str) -> Option<&'a mut Entry> {
    fn holds(tree: &Tree, word: &str) -> bool {
        match tree {
            Tree::Text(text) => text == word,
            _ => tree.children().any(|child| holds(child, word)),
        }
    }
    let mentions = (entry.properties.values()).any(|property| holds(&property.compare, word));
    mentions.then(|| Arc::make_mut(entry))
}

/// Calls `visit` on every struct below `tree`, innermost first.
fn walk_objects(tree: &mut Tree, visit: &mut impl FnMut(&mut Tree)) {
    tree.children_mut()
        .for_each(|child| walk_objects(child, visit));
    if matches!(tree, Tree::Fields(_)) {
        visit(tree);
    }
}

/// Whether a `RangeVar` (or a foreign key's `pktable`) names `relation`.
fn names_relation(fields: &Tree, relation: &QualifiedName) -> bool {
    fields.get("relname").and_then(Tree::as_str) == Some(&relation.name)
        && fields.get("schemaname").and_then(Tree::as_str) == relation.schema.as_deref()
}

/// Renames `old` in a list of `String` nodes.
fn rename_strings(list: Option<&mut Tree>, old: &str, new: &str) {
    let Some(Tree::List(items)) = list else {
        return;
    };
    for item in items {
        if let Some(sval) = item.at_mut("/node/String/sval") {
            if sval.as_str() == Some(old) {
                *sval = new.into();
            }
        }
    }
}
