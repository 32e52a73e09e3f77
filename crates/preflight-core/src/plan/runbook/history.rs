//! What the runbook's replay knows before each statement: what exists, and
//! the statements that last defined or commented each object, which a
//! rollback replays.

use pg_query::NodeEnum;

use crate::analysis::compact::Tree;
use crate::analysis::facts::{Action, Fact, ObjectKind, ObjectRef};
use crate::analysis::names::QualifiedName;
use crate::catalog::{Catalog, Changes, ObjectId};
use crate::layered::Layered;
use crate::lint::Linter;
use crate::plan::load::Loaded;

use super::checkpoint::State;
use super::expect::Expectations;

/// A column as it is before a statement changes it.
pub struct ColumnState {
    /// The default expression as written, if any.
    pub default: Option<String>,
    pub not_null: bool,
}

pub struct History<'a> {
    loaded: &'a Loaded,
    /// What exists, with every definition: columns' defaults and NOT NULL,
    /// and what each drop takes with it.
    catalog: Catalog,
    recorded: Recorded,
    /// Units before this index stand in for the Supabase environment, whose
    /// real objects may carry comments the input does not show.
    input_from: usize,
    /// The statements of the current step that ran before this one.
    step: Vec<usize>,
}

/// What the statements recorded so far leave: what exists and which
/// statement defined, commented or created each object. The applied
/// statements' part is kept with the plan's start.
#[derive(Debug, Clone, Default)]
pub struct Recorded {
    /// Objects (by identity) that exist before the statement runs.
    existing: Existing,
    /// The last statement that defined each object.
    definitions: Layered<ObjectRef, usize>,
    /// The last `COMMENT ON` each object.
    comments: Layered<ObjectRef, usize>,
    /// The statement that created each object, parts of tables included.
    created_by: Layered<ObjectRef, usize>,
}

/// Objects (by identity) that exist.
pub type Existing = Layered<ObjectRef, ()>;

impl<'a> History<'a> {
    /// `catalog` and `recorded`: what exists before the first statement.
    pub fn new(
        loaded: &'a Loaded,
        catalog: Catalog,
        recorded: Recorded,
        input_from: usize,
    ) -> Self {
        History {
            loaded,
            catalog,
            recorded,
            input_from,
            step: Vec::new(),
        }
    }

    /// Objects (by identity) that exist before the statement runs.
    pub fn existing(&self) -> &Existing {
        &self.recorded.existing
    }

    pub fn definition(&self, object: &ObjectRef) -> Option<&str> {
        let unit = self.recorded.definitions.get(object)?;
        Some(self.loaded.units[*unit].statement.text())
    }

    pub fn comment(&self, object: &ObjectRef) -> Option<&str> {
        let unit = self.recorded.comments.get(object)?;
        Some(self.loaded.units[*unit].statement.text())
    }

    /// Whether the input created `object` (so no comment it does not show).
    pub fn created_by_input(&self, object: &ObjectRef) -> bool {
        (self.recorded.created_by)
            .get(object)
            .is_some_and(|&unit| unit >= self.input_from)
    }

    /// Whether an earlier statement of this step created `object`: undoing
    /// that creation also undoes what later statements did to it.
    pub fn created_in_step(&self, object: &ObjectRef) -> bool {
        (self.recorded.created_by)
            .get(object)
            .is_some_and(|unit| self.step.contains(unit))
    }

    /// A column's default and NOT NULL before the statement, when the
    /// input shows how the column was made.
    pub fn column(&self, table: &QualifiedName, column: &str) -> Option<ColumnState> {
        let key = ObjectId::from(ObjectRef::column(table.clone(), column));
        let entry = self.catalog.get(&key)?;
        Some(ColumnState {
            default: entry
                .properties
                .get("default")
                .map(|p| p.shown().to_string()),
            not_null: entry
                .properties
                .get("not null")
                .is_some_and(|p| p.compare == Tree::Bool(true)),
        })
    }

    /// Where the replay stands between two steps, with the plan's health
    /// check and the rules' progress: what a later plan may resume from.
    pub fn state(&self, final_state: &Expectations, linter: &Linter) -> State {
        State {
            catalog: self.catalog.clone(),
            recorded: self.recorded.clone(),
            final_state: final_state.clone(),
            lint: linter.progress(),
        }
    }

    /// Starts a new step.
    pub fn next_step(&mut self) {
        self.step.clear();
    }

    /// Runs a statement in the catalog: what it changes, before
    /// [`History::record`] moves past it.
    pub fn changes(&mut self, unit: usize) -> Changes {
        self.catalog.apply(self.loaded, &self.loaded.units[unit])
    }

    /// What exists before the statement runs.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Replays a statement's effect (`changes`: from [`History::changes`]).
    pub fn record(&mut self, unit: usize, changes: &Changes) {
        self.step.push(unit);
        self.recorded.record(self.loaded, unit, changes);
    }
}

impl Recorded {
    /// What the applied statements recorded becomes the base every plan's
    /// copy shares.
    pub fn freeze(&mut self) {
        self.existing.freeze();
        self.definitions.freeze();
        self.comments.freeze();
        self.created_by.freeze();
    }

    /// Replays a statement's effect (`changes`: what it did to the catalog).
    pub fn record(&mut self, loaded: &Loaded, unit: usize, changes: &Changes) {
        let facts = &loaded.units[unit].facts.facts;
        if let NodeEnum::CommentStmt(_) = &loaded.units[unit].statement.node {
            for fact in facts.iter().filter(|f| f.action == Action::Alters) {
                self.comments.insert(fact.object.identity(), unit);
            }
        }
        for fact in facts {
            let identity = fact.object.identity();
            match fact.action {
                Action::Creates => {
                    // A table's statement is not the definition of its parts.
                    if !matches!(
                        fact.object.kind,
                        ObjectKind::Column | ObjectKind::Constraint
                    ) {
                        self.definitions.insert(identity.clone(), unit);
                    }
                    self.created_by.insert(identity.clone(), unit);
                    self.existing.insert(identity, ());
                }
                Action::Drops => {
                    self.existing.remove(&identity);
                }
                Action::Renames => {
                    // Statements that name the old name no longer restore it.
                    let names_it = |fact: &Fact| {
                        fact.object.same_as(&identity)
                            || fact.object.on.as_ref() == Some(&identity.name)
                    };
                    let units = &loaded.units;
                    let still_valid = |_: &ObjectRef, unit: &usize| {
                        !units[*unit].facts.facts.iter().any(names_it)
                    };
                    self.definitions.retain(still_valid);
                    self.comments.retain(still_valid);
                    self.existing.remove(&identity);
                }
                Action::Alters | Action::Reads => {}
            }
        }
        // What went with a drop or followed a rename.
        for dropped in &changes.dropped {
            self.existing.remove(&dropped.object.identity());
        }
        for (from, to) in &changes.renamed {
            if self.existing.remove(&from.object.identity()).is_some() {
                self.existing.insert(to.object.identity(), ());
            }
        }
    }
}
