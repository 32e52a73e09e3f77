//! What should be true after each statement, as the verification queries
//! check it: objects that exist or are gone, row level security, tables in
//! publications. What a drop takes with it is no longer vouched for.

use super::data::{self, DataCheck, RowCheck};
use super::history::Existing;
use super::verify::Expectation;
use crate::analysis::facts::{Action, Change, Grantable, ObjectKind, ObjectRef, RowSecurity};
use crate::analysis::names::QualifiedName;
use crate::catalog::Changes;
use crate::plan::load::Unit;
use crate::HashMap;
use std::rc::Rc;

/// By object, in the order first seen (the order the query lists them).
#[derive(Clone, Default)]
pub struct Expectations {
    /// Each with the number that places it in the query; shared with the
    /// plan's health check, which takes every step's.
    entries: HashMap<ObjectRef, (usize, Rc<Expectation>)>,
    placed: usize,
    /// The keys that belong to each table (its parts, its columns'
    /// properties), so that forgetting a table or a column does not read
    /// every entry: the plan's health check holds thousands. Keys already
    /// forgotten may linger here.
    by_table: HashMap<QualifiedName, Vec<ObjectRef>>,
    /// Checks of rows, after the objects' in the query: right after a
    /// step, not in the health check, which must run whatever tables there
    /// are.
    rows: Vec<RowCheck>,
    /// What only a person can check (rows not given as literals).
    pub by_hand: Vec<String>,
}

/// What one statement does to what is expected, found once for the
/// step's verification and the plan's health check.
pub enum Effect {
    /// Forget what went (or moved) with an object; `itself`: its own
    /// entry too.
    Forget {
        object: ObjectRef,
        itself: bool,
    },
    Expect(ObjectRef, Rc<Expectation>),
}

impl Expectations {
    pub fn values(&self) -> Vec<&Expectation> {
        let mut placed: Vec<&(usize, Rc<Expectation>)> = self.entries.values().collect();
        placed.sort_unstable_by_key(|(place, _)| *place);
        let objects = placed.into_iter().map(|(_, expectation)| &**expectation);
        let rows = self.rows.iter().map(|check| &check.expectation);
        objects.chain(rows).collect()
    }

    /// Takes what a statement did ([`effects`]).
    pub fn take(&mut self, effects: &[Effect]) {
        for effect in effects {
            match effect {
                Effect::Forget { object, itself } => self.forget(object, *itself),
                Effect::Expect(key, expectation) => self.expect(key, expectation),
            }
        }
    }

    /// A later expectation of an object replaces the earlier in its place.
    fn expect(&mut self, key: &ObjectRef, expectation: &Rc<Expectation>) {
        if let Some((_, earlier)) = self.entries.get_mut(key) {
            earlier.clone_from(expectation);
            return;
        }
        self.placed += 1;
        (self.entries).insert(key.clone(), (self.placed, expectation.clone()));
        if let Some(table) = &key.on {
            self.by_table
                .entry(table.clone())
                .or_default()
                .push(key.clone());
        }
    }

    /// Forgets what went (or moved) with `object`: its own facts (row
    /// level security, publication membership, enum values, a column's NOT
    /// NULL and default); what the catalog's cascade took with it comes in
    /// `Changes` and is forgotten the same way.
    /// `itself`: the object's own entry too (the statement's own objects
    /// keep their place in the query, checked gone).
    fn forget(&mut self, object: &ObjectRef, itself: bool) {
        if itself {
            self.entries.remove(&object.identity());
        }
        let has_parts = object.kind.is_relation()
            || matches!(
                object.kind,
                ObjectKind::Type | ObjectKind::Function | ObjectKind::Schema
            );
        if has_parts {
            for part in self.by_table.remove(&object.name).unwrap_or_default() {
                self.entries.remove(&part);
            }
        }
        if let (ObjectKind::Column, Some(table)) = (object.kind, &object.on) {
            let suffix = format!(":{}", object.name.name);
            let column_property =
                |key: &ObjectRef| key.kind == ObjectKind::Other && key.name.name.ends_with(&suffix);
            let entries = &mut self.entries;
            if let Some(keys) = self.by_table.get_mut(table) {
                keys.retain(|key| {
                    let forgotten = column_property(key);
                    if forgotten {
                        entries.remove(key);
                    }
                    !forgotten
                });
            }
        }
        if object.kind.is_relation() || object.kind == ObjectKind::Column {
            let table = object.on.as_ref().unwrap_or(&object.name);
            self.rows.retain(|check| check.table != *table);
        }
    }

    /// The rows the statement writes, checked by their key when it is
    /// literal, by hand otherwise (after [`Expectations::take`]).
    pub fn rows(&mut self, unit: &Unit, existing: &Existing) {
        let rows_written = |check: &RowCheck| {
            (unit.facts.facts.iter()).any(|fact| {
                fact.object.kind == ObjectKind::Rows
                    && fact.action == Action::Alters
                    && fact.object.name == check.table
            })
        };
        self.rows
            .retain(|check| !(rows_written(check) && check.undone_by(unit)));
        match data::data_check(unit, existing) {
            Some(DataCheck::Rows(check)) => self.rows.push(check),
            Some(DataCheck::ByHand(what)) if !self.by_hand.contains(&what) => {
                self.by_hand.push(what)
            }
            Some(DataCheck::ByHand(_)) | None => {}
        }
    }
}

/// The state each object the statement writes is left in, and what it
/// takes with it. `existing`: what exists before the statement;
/// `changes`: what the catalog says it changed.
pub fn effects(unit: &Unit, existing: &Existing, changes: &Changes) -> Vec<Effect> {
    let mut effects = Vec::new();
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
        && first_created.is_some_and(|f| existing.contains_key(&f.object.identity()));
    let skipped =
        |object: &ObjectRef| does_nothing && first_created.is_some_and(|f| &f.object != object);
    // What went with the statement's drops and renames first: the
    // objects it names itself are then checked gone.
    let went = (changes.dropped.iter()).chain(changes.renamed.iter().map(|(from, _)| from));
    for object in went {
        let itself = !unit.facts.writes_to(&object.object.identity());
        effects.push(Effect::Forget {
            object: object.object.clone(),
            itself,
        });
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
            effects.push(Effect::Forget {
                object: fact.object.clone(),
                itself: false,
            });
        }
        if let Some(expectation) = Expectation::object(&fact.object, exists, schema) {
            effects.push(Effect::Expect(fact.object.identity(), Rc::new(expectation)));
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
            let expectation = Expectation::in_publication(&s.pubname, &table.object.name, schema);
            effects.push(Effect::Expect(key, Rc::new(expectation)));
        }
    }
    for change in &unit.facts.changes {
        let (key, expectation) = match change {
            Change::RowSecurity { table, setting } => {
                let property = match setting {
                    RowSecurity::Enable | RowSecurity::Disable => "row level security",
                    RowSecurity::Force | RowSecurity::NoForce => "forced row level security",
                };
                (
                    ObjectRef::on(ObjectKind::Other, property, table.clone()),
                    Expectation::row_level_security(table, *setting),
                )
            }
            Change::NotNull { table, column, set } => (
                column_property(table, "not null", column),
                Expectation::not_null(table, column, *set, schema),
            ),
            Change::Default { table, column, set } => (
                column_property(table, "default", column),
                Expectation::column_default(table, column, *set, schema),
            ),
            Change::EnumValue { type_name, value } => (
                ObjectRef::on(
                    ObjectKind::Other,
                    &format!("value:{value}"),
                    type_name.clone(),
                ),
                Expectation::enum_value(type_name, value, schema),
            ),
            Change::RelationOption { table, name, value } => (
                ObjectRef::on(ObjectKind::Other, &format!("option:{name}"), table.clone()),
                Expectation::relation_option(table, name, value.as_deref()),
            ),
            Change::Privilege {
                on,
                role,
                privilege,
                granted,
                grant_option,
            } => (
                privilege_key(on, role, privilege.as_deref(), schema),
                Expectation::privilege(
                    on,
                    role,
                    privilege.as_deref(),
                    (*granted, *grant_option),
                    schema,
                ),
            ),
            Change::ColumnType { .. } | Change::AddConstraint { .. } => continue,
        };
        effects.push(Effect::Expect(key, Rc::new(expectation)));
    }
    effects
}

/// The key of a column's property (its NOT NULL, its default), which
/// `forget` drops with the column.
fn column_property(table: &QualifiedName, property: &str, column: &str) -> ObjectRef {
    ObjectRef::on(
        ObjectKind::Other,
        &format!("{property}:{column}"),
        table.clone(),
    )
}

/// The key of a privilege a role holds on an object: a later GRANT or
/// REVOKE of the same replaces it, and it goes with its object (a column's
/// with its column).
fn privilege_key(on: &Grantable, role: &str, privilege: Option<&str>, schema: &str) -> ObjectRef {
    let privilege = privilege.unwrap_or("ALL");
    let (object, detail) = match on {
        Grantable::Relation { name } => (name.clone().in_schema(schema), String::new()),
        Grantable::Column { table, column } => {
            (table.clone().in_schema(schema), format!(":{column}"))
        }
        Grantable::Schema { name } => (QualifiedName::new(None, name), String::new()),
        Grantable::Function { name, arguments } => (
            name.clone(),
            format!("({})", arguments.as_deref().unwrap_or_default().join(",")),
        ),
    };
    ObjectRef::on(
        ObjectKind::Other,
        &format!("privilege:{role}:{privilege}{detail}"),
        object,
    )
}
