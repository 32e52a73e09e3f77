//! What should be true after each statement, as the verification queries
//! check it: objects that exist or are gone, row level security, tables in
//! publications. What a drop takes with it is no longer vouched for.
use std::collections::HashSet;

use indexmap::IndexMap;
use pg_query::NodeEnum;

use super::verify::Expectation;
use crate::facts::{Action, ObjectKind, ObjectRef, Strength};
use crate::names::QualifiedName;
use crate::plan::load::Loaded;

/// By object, in the order first seen (the order the query lists them).
#[derive(Default)]
pub struct Expectations {
    entries: IndexMap<ObjectRef, Entry>,
}

struct Entry {
    expectation: Expectation,
    /// The statements that made the object or tied it to another (a
    /// sequence's `OWNED BY`): what they need, the object needs.
    made_by: Vec<usize>,
}

impl Expectations {
    pub fn values(&self) -> Vec<Expectation> {
        self.entries
            .values()
            .map(|e| e.expectation.clone())
            .collect()
    }

    fn upsert(&mut self, unit: usize, key: &ObjectRef, expectation: Expectation) {
        let entry = Entry {
            expectation,
            made_by: vec![unit],
        };
        self.entries.insert(key.clone(), entry);
    }

    /// Forgets what goes (or moves) with `object`: a relation's columns,
    /// constraints, policies and triggers; when it is dropped, also what was
    /// made with it or needing it (indexes on it, foreign keys to it, triggers calling
    /// a function, owned sequences: CASCADE or not, they go), and the index
    /// behind a dropped constraint.
    fn forget_dependents(&mut self, loaded: &Loaded, object: &ObjectRef, dropped: bool) {
        let identity = object.identity();
        // Made by the statement that made it (a serial column's sequence),
        // or needing it.
        let tied_to_it = |unit: &usize| {
            loaded.units[*unit].facts.facts.iter().any(|f| {
                (f.action == Action::Creates
                    || (f.action == Action::Reads && f.strength == Strength::Hard))
                    && f.object.identity() == identity
            })
        };
        let backing_index = object
            .on
            .as_ref()
            .filter(|_| object.kind == ObjectKind::Constraint)
            .map(|table| {
                let name = QualifiedName::new(table.schema.as_deref(), &object.name.name);
                ObjectRef::new(ObjectKind::Index, name).identity()
            });
        // A column's NOT NULL and default go (or move) with the column.
        let column_property = |key: &ObjectRef| {
            object.kind == ObjectKind::Column
                && key.kind == ObjectKind::Other
                && key.on == object.on
                && key.name.name.ends_with(&format!(":{}", object.name.name))
        };
        self.entries.retain(|key, entry| {
            let part = (object.kind.is_relation() || object.kind == ObjectKind::Type)
                && key.on.as_ref() == Some(&object.name);
            let part = part || column_property(key);
            let dependent = dropped && entry.made_by.iter().any(tied_to_it);
            let index = backing_index.as_ref() == Some(key);
            !(part || dependent || index)
        });
    }

    /// Records the state each object the statement writes is left in.
    pub fn apply(&mut self, loaded: &Loaded, unit_index: usize, existing: &HashSet<ObjectRef>) {
        let unit = &loaded.units[unit_index];
        let schema = unit.schema();
        // An extension is checked as a whole, not by its contents.
        let creates_extension = unit.facts.creates(ObjectKind::Extension);
        // `CREATE ... IF NOT EXISTS` of something that exists does nothing:
        // the object still exists, but what the statement lists (a table's
        // columns and constraints) may not.
        let first_created = unit
            .facts
            .facts
            .iter()
            .find(|f| f.action == Action::Creates);
        let does_nothing = unit.facts.tolerance.if_not_exists
            && first_created.is_some_and(|f| existing.contains(&f.object.identity()));
        let skipped =
            |object: &ObjectRef| does_nothing && first_created.is_some_and(|f| &f.object != object);
        if let NodeEnum::AlterSeqStmt(_) = &unit.statement.node {
            for fact in unit
                .facts
                .facts
                .iter()
                .filter(|f| f.action == Action::Alters)
            {
                if let Some(entry) = self.entries.get_mut(&fact.object.identity()) {
                    entry.made_by.push(unit_index);
                }
            }
        }
        for fact in &unit.facts.facts {
            if (creates_extension && fact.object.kind != ObjectKind::Extension)
                || (fact.action == Action::Creates && skipped(&fact.object))
            {
                continue;
            }
            let exists = match fact.action {
                Action::Creates => true,
                Action::Drops | Action::Renames => false,
                Action::Alters | Action::Reads => continue,
            };
            if !exists {
                self.forget_dependents(loaded, &fact.object, fact.action == Action::Drops);
            }
            if let Some(expectation) = Expectation::object(&fact.object, exists, schema) {
                self.upsert(unit_index, &fact.object.identity(), expectation);
            }
        }
        if let pg_query::NodeEnum::AlterPublicationStmt(s) = &unit.statement.node {
            use pg_query::protobuf::AlterPublicationAction as A;
            let added = matches!(A::try_from(s.action), Ok(A::ApAddObjects | A::ApSetObjects));
            let tables = unit
                .facts
                .facts
                .iter()
                .filter(|f| added && f.action == Action::Reads && f.object.kind.is_relation());
            for table in tables {
                let key = ObjectRef::on(ObjectKind::Other, &s.pubname, table.object.name.clone());
                let expectation =
                    Expectation::in_publication(&s.pubname, &table.object.name, schema);
                self.upsert(unit_index, &key, expectation);
            }
        }
        match &unit.statement.node {
            NodeEnum::AlterTableStmt(s) => {
                if let Some(table) = altered_table(unit) {
                    self.column_properties(unit_index, &table, &s.cmds, schema);
                }
            }
            NodeEnum::AlterEnumStmt(s) if s.old_val.is_empty() => {
                let altered = unit.facts.facts.iter().find(|f| f.action == Action::Alters);
                if let Some(type_name) = altered.map(|f| &f.object.name) {
                    let key = ObjectRef::on(
                        ObjectKind::Other,
                        &format!("value:{}", s.new_val),
                        type_name.clone(),
                    );
                    self.upsert(
                        unit_index,
                        &key,
                        Expectation::enum_value(type_name, &s.new_val, schema),
                    );
                }
            }
            _ => {}
        }
        let rls = match unit.facts.kind.as_str() {
            "enable row level security" => Some(true),
            "disable row level security" => Some(false),
            _ => None,
        };
        if let (Some(enabled), Some(table)) = (rls, altered_table(unit)) {
            let key = ObjectRef::on(ObjectKind::Other, "row level security", table.clone());
            self.upsert(
                unit_index,
                &key,
                Expectation::row_level_security(&table, enabled),
            );
        }
    }

    /// SET/DROP NOT NULL and SET/DROP DEFAULT of the table's columns.
    fn column_properties(
        &mut self,
        unit: usize,
        table: &QualifiedName,
        commands: &[pg_query::protobuf::Node],
        schema: &str,
    ) {
        use pg_query::protobuf::AlterTableType as T;
        for command in commands {
            let Some(NodeEnum::AlterTableCmd(command)) = &command.node else {
                continue;
            };
            let column = command.name.as_str();
            let (property, expectation) = match T::try_from(command.subtype) {
                Ok(T::AtSetNotNull) => (
                    "not null",
                    Expectation::not_null(table, column, true, schema),
                ),
                Ok(T::AtDropNotNull) => (
                    "not null",
                    Expectation::not_null(table, column, false, schema),
                ),
                Ok(T::AtColumnDefault) => {
                    let has = command.def.is_some();
                    (
                        "default",
                        Expectation::column_default(table, column, has, schema),
                    )
                }
                _ => continue,
            };
            let key = ObjectRef::on(
                ObjectKind::Other,
                &format!("{property}:{column}"),
                table.clone(),
            );
            self.upsert(unit, &key, expectation);
        }
    }
}

/// The table an ALTER TABLE changes.
fn altered_table(unit: &crate::plan::load::Unit) -> Option<QualifiedName> {
    unit.facts
        .facts
        .iter()
        .find(|f| f.action == Action::Alters && f.object.kind.is_relation())
        .map(|f| f.object.name.clone())
}
