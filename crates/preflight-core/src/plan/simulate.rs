//! Replays the statements in their given order against a model of the
//! database, the way a scheduler finds dependencies between instructions:
//! a statement that needs an object depends on the statement that last
//! created or changed it (read after write); one that drops, renames or
//! changes an object comes after the statements that used the old state
//! (write after read); changes to one object keep their order (write after
//! write). A statement that needs an object only created later in the given
//! order depends on that later creation: that is what makes files move.
use std::cell::Cell;
use std::collections::VecDeque;

use crate::analysis::facts::{Action, Fact, ObjectKind, ObjectRef, Strength};
use crate::analysis::names::QualifiedName;
use crate::catalog::{Catalog, Changes, Detail};
use crate::diagnostics::{codes, Diagnostic, Related, Severity};
use crate::environment::{is_builtin_role, is_builtin_schema};
use crate::layered::Layered;
use crate::plan::load::{Loaded, References};
use crate::plan::resume::{Prefix, Resume};
use crate::plan::triggered::triggered_inserts;
use crate::plan::Start;
use crate::words::counted;
use crate::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// Needs what the other statement's file created.
    ReadAfterWrite,
    /// Uses an object after a change that did not create it: only the
    /// given order ties the two.
    ReadAfterChange,
    WriteAfterRead,
    WriteAfterWrite,
    /// A guarded drop or change after the creation it is meant for.
    AfterItsCreation,
    /// An unguarded creation before another file's creation that
    /// tolerates an existing object (or drops and re-creates it).
    UnguardedFirst,
    /// An unguarded creation of what exists, after the drop that makes
    /// room for it.
    AfterTheDrop,
    /// A drop without CASCADE, before another file's creation of what
    /// would depend on the dropped object (the drop would refuse to run).
    BeforeWhatBlocksIt,
    /// A drop without CASCADE, after another file's drop of what depends
    /// on the dropped object (until then the drop would refuse to run).
    AfterWhatBlockedIt,
    /// A use of an enum value, after the `ADD VALUE` that adds it.
    EnumValue,
    /// A view defined with more columns, after the definition whose
    /// columns begin its own (columns are only added at the end).
    ViewColumns,
}

impl EdgeKind {
    /// Whether the SQL itself, not an order a replay happened to take,
    /// gives this edge.
    pub fn is_decided_by_sql(self) -> bool {
        matches!(
            self,
            EdgeKind::ReadAfterWrite
                | EdgeKind::AfterItsCreation
                | EdgeKind::UnguardedFirst
                | EdgeKind::AfterTheDrop
                | EdgeKind::BeforeWhatBlocksIt
                | EdgeKind::AfterWhatBlockedIt
                | EdgeKind::EnumValue
                | EdgeKind::ViewColumns
        )
    }
}

/// `from` must run before `to` because of `object`.
#[derive(Debug, Clone)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub object: ObjectRef,
    pub kind: EdgeKind,
    pub strength: Strength,
}

#[derive(Default)]
pub struct Simulation {
    pub edges: Vec<Edge>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Default)]
struct State {
    exists: bool,
    last_writer: Option<usize>,
    readers: Vec<(usize, Strength)>,
    /// For relations: whether their column list is known (a CREATE TABLE),
    /// so that a missing column is a real problem.
    columns_known: bool,
    created_at: Option<usize>,
    /// The statement that dropped or renamed the object, and the one that
    /// last changed it before: a later statement in the given order that
    /// still needs the object must run between the two.
    removed: Option<(usize, Option<usize>)>,
    /// The last statement that dropped something that needed the object
    /// (a foreign key to a key, a view on a table), and that something: a
    /// drop of the object without CASCADE runs after it.
    released_by: Option<(usize, ObjectRef)>,
}

impl State {
    /// The state less its readers, which a much-read object (a schema, a
    /// function every policy calls) has thousands of.
    fn without_readers(&self) -> Self {
        Self {
            readers: Vec::new(),
            released_by: self.released_by.clone(),
            ..*self
        }
    }
}

struct Simulator<'a> {
    loaded: &'a Loaded,
    states: Layered<ObjectRef, State>,
    /// Creations not yet replayed, per object, in replay order.
    pending_creators: HashMap<ObjectRef, VecDeque<usize>>,
    /// Drops not yet replayed, per object, in replay order.
    pending_droppers: HashMap<ObjectRef, VecDeque<usize>>,
    /// What exists, replayed alongside: what a drop takes with it and what
    /// follows a rename. Not kept when no statement drops or renames.
    catalog: Option<Catalog>,
    /// A checkpoint's catalog, while the replay has not reached it.
    catalog_ahead: Option<Catalog>,
    /// Whether a statement asked the catalog while it was ahead.
    asked_ahead: Cell<bool>,
    seen_edges: HashSet<(usize, usize)>,
    /// Who last wrote, and who read since, the rows of each table.
    rows: HashMap<QualifiedName, RowsState>,
    /// Statements that add rows to each table, not yet replayed.
    pending_inserts: HashMap<QualifiedName, Vec<usize>>,
    /// The first unit of the input: earlier ones are the environment's.
    planned_from: usize,
    /// The tables each table's foreign keys reference, from every statement.
    references: &'a References,
    out: Simulation,
    /// Objects needed that nothing provides, in the order first needed:
    /// each is reported once, with every statement that needs it.
    missing: Vec<Missing>,
}

struct Missing {
    object: ObjectRef,
    strength: Strength,
    units: Vec<usize>,
    suggestion: Option<String>,
}

#[derive(Default)]
struct RowsState {
    last_writer: Option<usize>,
    readers: Vec<usize>,
}

/// What the statements already applied (the environment's, the
/// baseline's) leave for the simulator: kept in [`Start`], so that a plan
/// does not replay them again.
#[derive(Debug, Clone, Default)]
pub struct Known {
    states: Layered<ObjectRef, State>,
}

impl Known {
    /// Replays an applied statement (`changes`: what it did to the
    /// catalog): what it makes exists, and no edges lead to it.
    pub fn replay(&mut self, loaded: &Loaded, unit: usize, changes: &Changes) {
        let references = References::default();
        let mut simulator = Simulator::new(loaded, std::mem::take(&mut self.states), &references);
        simulator.replay(unit, false);
        simulator.carry(unit, changes);
        self.states = simulator.states;
    }

    /// What the applied statements leave becomes the base every plan's
    /// copy shares.
    pub fn freeze(&mut self) {
        self.states.freeze();
    }
}

/// Replays `order` on top of `start` (what the applied statements left).
/// `references`: per table, the tables its foreign keys reference. With
/// `resume`, the outline catalog resumes from the last plan's checkpoint
/// when the order begins as that plan's did, and keeps one for the next.
pub fn simulate(
    loaded: &Loaded,
    start: &Start,
    order: &[usize],
    references: &References,
    resume: Option<&mut Resume>,
) -> Simulation {
    // Only what a drop takes with it is asked of the catalog.
    let outline = || start.catalog.clone().with_detail(Detail::Outline);
    let run =
        |catalog, save_at| Replay::new(loaded, start, order, references).all(catalog, save_at);
    let cascades = cascades(loaded, order);
    let resume = match resume {
        Some(resume) if cascades => resume,
        Some(resume) => {
            // Replayed without a catalog: the last one's is of no more use.
            resume.outline = None;
            #[cfg(test)]
            {
                resume.resumed_statements = 0;
            }
            return run(None, None).expect("no catalog to miss").0;
        }
        None => {
            let catalog = cascades.then(outline).map(Outline::Live);
            return run(catalog, None).expect("a live catalog").0;
        }
    };
    let groups: Vec<&[usize]> = order.iter().map(std::slice::from_ref).collect();
    let applied = start.changes.len();
    let resumed = (resume.outline.take())
        .filter(|checkpoint| checkpoint.prefix.begins(loaded, applied, &groups));
    let resumed_at = resumed.as_ref().map(|checkpoint| checkpoint.prefix.len());
    let save_at = resume.save_point(loaded, &groups, resumed_at);
    let replayed = match resumed {
        Some(checkpoint) => run(Some(Outline::Resumed(checkpoint)), Some(save_at)),
        None => None,
    };
    #[cfg(test)]
    {
        resume.resumed_statements = replayed.as_ref().and(resumed_at).unwrap_or(0);
    }
    // Without a checkpoint, or when a statement before it asked what the
    // catalog held then, the catalog is replayed from the start.
    let (simulation, kept) = replayed.unwrap_or_else(|| {
        run(Some(Outline::Live(outline())), Some(save_at)).expect("a live catalog")
    });
    resume.outline = kept.map(|(catalog, changes)| Checkpoint {
        prefix: Prefix::new(loaded, applied, &groups[..save_at]),
        changes,
        catalog,
    });
    simulation
}

/// The outline catalog after the first statements of a replay, with what
/// each of them changed: a later replay of the same first statements
/// starts there.
pub struct Checkpoint {
    prefix: Prefix,
    changes: Vec<Changes>,
    catalog: Catalog,
}

/// The catalog a replay keeps alongside.
enum Outline {
    /// Replayed statement by statement.
    Live(Catalog),
    /// Taken from a checkpoint once the replay reaches it; until then each
    /// statement's changes come from it.
    Resumed(Checkpoint),
}

/// The outline catalog before a statement, and what each statement before
/// it changed.
type Kept = (Catalog, Vec<Changes>);

/// One replay of an order.
struct Replay<'a> {
    simulator: Simulator<'a>,
    order: &'a [usize],
}

impl<'a> Replay<'a> {
    fn new(
        loaded: &'a Loaded,
        start: &Start,
        order: &'a [usize],
        references: &'a References,
    ) -> Self {
        let mut simulator = Simulator::new(loaded, start.known.states.clone(), references);
        simulator.pending_creators = pending(loaded, order, Action::Creates);
        simulator.pending_droppers = pending(loaded, order, Action::Drops);
        simulator.pending_inserts = pending_inserts(loaded, order);
        simulator.planned_from = order.iter().copied().min().unwrap_or(usize::MAX);
        Replay { simulator, order }
    }

    /// Replays every statement with `outline` alongside; with `save_at`,
    /// also keeps the catalog before that statement and what each
    /// statement before it changed. `None` when a statement before a
    /// resumed checkpoint asked the catalog what it held then, which the
    /// checkpoint does not know.
    fn all(
        mut self,
        outline: Option<Outline>,
        save_at: Option<usize>,
    ) -> Option<(Simulation, Option<Kept>)> {
        let loaded = self.simulator.loaded;
        let (mut changes_before, resumed_at) = match outline {
            Some(Outline::Resumed(checkpoint)) => {
                let resumed_at = checkpoint.prefix.len();
                self.simulator.catalog_ahead = Some(checkpoint.catalog);
                (checkpoint.changes, resumed_at)
            }
            Some(Outline::Live(catalog)) => {
                self.simulator.catalog = Some(catalog);
                (Vec::new(), 0)
            }
            None => (Vec::new(), 0),
        };
        let mut kept = None;
        for (at, &unit) in self.order.iter().enumerate() {
            if at == resumed_at {
                if let Some(catalog) = self.simulator.catalog_ahead.take() {
                    self.simulator.catalog = Some(catalog);
                }
            }
            if save_at == Some(at) {
                kept = self.simulator.catalog.clone();
            }
            self.simulator.replay(unit, true);
            if at < resumed_at {
                self.simulator.carry(unit, &changes_before[at]);
                continue;
            }
            let Some(catalog) = &mut self.simulator.catalog else {
                continue;
            };
            let changes = catalog.apply(loaded, &loaded.units[unit]);
            self.simulator.carry(unit, &changes);
            if save_at.is_some_and(|save_at| at < save_at) {
                changes_before.push(changes);
            }
        }
        if self.simulator.asked_ahead.get() {
            return None;
        }
        if let Some(catalog) = self.simulator.catalog_ahead.take() {
            self.simulator.catalog = Some(catalog);
        }
        if save_at == Some(self.order.len()) {
            kept = self.simulator.catalog.clone();
        }
        changes_before.truncate(save_at.unwrap_or(0));
        self.simulator.report_missing();
        Some((
            self.simulator.out,
            kept.map(|catalog| (catalog, changes_before)),
        ))
    }
}

/// Per object, the statements that `action` it, in replay order.
fn pending(
    loaded: &Loaded,
    order: &[usize],
    action: Action,
) -> HashMap<ObjectRef, VecDeque<usize>> {
    let mut pending: HashMap<ObjectRef, VecDeque<usize>> = HashMap::default();
    for &unit in order {
        for fact in &loaded.units[unit].facts.facts {
            if fact.action == action {
                pending
                    .entry(key(&fact.object))
                    .or_default()
                    .push_back(unit);
            }
        }
    }
    pending
}

/// Per table, the statements that add rows to it, themselves or through
/// triggers.
fn pending_inserts(loaded: &Loaded, order: &[usize]) -> HashMap<QualifiedName, Vec<usize>> {
    let triggered = triggered_inserts(loaded);
    let mut inserts: HashMap<QualifiedName, Vec<usize>> = HashMap::default();
    for &unit in order {
        let facts = &loaded.units[unit].facts;
        if !facts.kind.adds_rows() {
            continue;
        }
        let schema = loaded.units[unit].schema();
        let written = facts
            .facts
            .iter()
            .filter(|fact| fact.object.kind == ObjectKind::Rows && fact.action.writes());
        for fact in written {
            let table = fact.object.name.clone().in_schema(schema);
            for also in triggered.get(&table).into_iter().flatten() {
                inserts.entry(also.clone()).or_default().push(unit);
            }
            inserts.entry(table).or_default().push(unit);
        }
    }
    inserts
}

/// Whether a statement drops or renames something, which may take or move
/// other objects with it.
fn cascades(loaded: &Loaded, order: &[usize]) -> bool {
    order.iter().any(|&unit| loaded.units[unit].facts.removes())
}

fn key(object: &ObjectRef) -> ObjectRef {
    object.identity()
}

impl<'a> Simulator<'a> {
    /// A simulator that knows `states` and has nothing to plan yet.
    fn new(
        loaded: &'a Loaded,
        states: Layered<ObjectRef, State>,
        references: &'a References,
    ) -> Self {
        Simulator {
            loaded,
            states,
            pending_creators: HashMap::default(),
            pending_droppers: HashMap::default(),
            pending_inserts: HashMap::default(),
            planned_from: usize::MAX,
            catalog: None,
            catalog_ahead: None,
            asked_ahead: Cell::new(false),
            seen_edges: HashSet::default(),
            rows: HashMap::default(),
            references,
            out: Simulation::default(),
            missing: Vec::new(),
        }
    }

    fn replay(&mut self, unit: usize, planned: bool) {
        let facts = &self.loaded.units[unit].facts;
        for fact in &facts.facts {
            if fact.object.kind == ObjectKind::Rows {
                if planned {
                    self.rows(unit, fact);
                }
                continue;
            }
            let needed = fact.action.needs_existing();
            let resolved = if needed {
                self.resolve_fact(fact, unit)
            } else {
                Some(key(&fact.object))
            };
            let Some(object) = resolved else { continue };
            if needed && planned {
                self.need(unit, &object, fact.action, fact.strength);
            }
            if fact.action.writes() {
                self.write(unit, &object, fact.action, planned);
            }
        }
        for fact in &facts.facts {
            let pending = match fact.action {
                Action::Creates => &mut self.pending_creators,
                Action::Drops => &mut self.pending_droppers,
                _ => continue,
            };
            if let Some(units) = pending.get_mut(&key(&fact.object)) {
                units.retain(|&other| other != unit);
            }
        }
        if facts.kind.adds_rows() {
            for inserts in self.pending_inserts.values_mut() {
                inserts.retain(|&insert| insert != unit);
            }
        }
    }

    /// The object a fact means: its object, or the first of its
    /// alternatives that exists when the object does not. A reference that
    /// could mean several objects, none of them known, is left unchecked.
    fn resolve_fact(&self, fact: &Fact, unit: usize) -> Option<ObjectRef> {
        let primary = self.resolve(&fact.object, unit);
        if fact.alternatives.is_empty() {
            return primary;
        }
        std::iter::once(&fact.object)
            .chain(&fact.alternatives)
            .filter_map(|candidate| self.resolve(candidate, unit))
            .find(|candidate| self.is_known(candidate))
    }

    /// The object a reference means, or `None` when it needs no checking
    /// (built-in functions, catalogs, roles every cluster has).
    fn resolve(&self, object: &ObjectRef, unit: usize) -> Option<ObjectRef> {
        let search_path = &self.loaded.units[unit].search_path;
        match object.kind {
            ObjectKind::Schema if is_builtin_schema(&object.name.name) => None,
            ObjectKind::Role if is_builtin_role(&object.name.name) => None,
            ObjectKind::Column
            | ObjectKind::Policy
            | ObjectKind::Trigger
            | ObjectKind::Constraint
            | ObjectKind::Key => {
                let table = object.on.as_ref()?;
                let table =
                    self.resolve(&ObjectRef::new(ObjectKind::Relation, table.clone()), unit)?;
                if object.kind == ObjectKind::Column && !self.columns_known(&table) {
                    return None;
                }
                Some(ObjectRef {
                    on: Some(table.name),
                    ..key(object)
                })
            }
            _ if object.kind.is_schema_scoped() => {
                let schema = object.name.schema.as_deref();
                if schema.is_some_and(is_catalog_schema) || object.name.name.starts_with("pg_") {
                    return None;
                }
                let unqualified =
                    schema.is_none() || schema == search_path.first().map(String::as_str);
                let candidates: Vec<ObjectRef> = if unqualified {
                    search_path
                        .iter()
                        .map(|schema| {
                            let name = QualifiedName::new(Some(schema), &object.name.name);
                            key(&ObjectRef::new(object.kind, name))
                        })
                        .collect()
                } else {
                    vec![key(object)]
                };
                // Every table is also a composite type of the same name.
                let as_relation = |candidate: &ObjectRef| ObjectRef {
                    kind: ObjectKind::Relation,
                    ..candidate.clone()
                };
                let known = candidates
                    .iter()
                    .find(|candidate| self.is_known(candidate))
                    .cloned()
                    .or_else(|| {
                        let relations = candidates.iter().map(as_relation);
                        let mut relations = relations.filter(|_| object.kind == ObjectKind::Type);
                        relations.find(|candidate| self.is_known(candidate))
                    });
                match known {
                    Some(found) => Some(found),
                    // Unqualified functions and operator classes may be
                    // built in: never a problem.
                    None if object.kind.may_be_builtin() && unqualified => None,
                    None => candidates.into_iter().next(),
                }
            }
            _ => Some(key(object)),
        }
    }

    fn is_known(&self, object: &ObjectRef) -> bool {
        self.states.get(object).is_some_and(|state| state.exists)
            || self
                .pending_creators
                .get(object)
                .is_some_and(|c| !c.is_empty())
    }

    fn columns_known(&self, table: &ObjectRef) -> bool {
        match self.states.get(table) {
            Some(state) if state.exists => state.columns_known,
            state => {
                state.is_some_and(|s| s.columns_known)
                    || self.pending_creators.get(table).is_some_and(|creators| {
                        creators
                            .iter()
                            .any(|&creator| self.creates_columns_of(creator, table))
                    })
            }
        }
    }

    fn creates_columns_of(&self, unit: usize, table: &ObjectRef) -> bool {
        self.loaded.units[unit].facts.facts.iter().any(|fact| {
            fact.action == Action::Creates
                && fact.object.kind == ObjectKind::Column
                && fact.object.on.as_ref() == Some(&table.name)
        })
    }

    /// `unit` needs `object` to exist.
    fn need(&mut self, unit: usize, object: &ObjectRef, action: Action, strength: Strength) {
        let state = (self.states.get(object)).map_or_else(State::default, State::without_readers);
        if state.exists {
            if let Some(writer) = state.last_writer {
                let kind = self.kind_after(&state, writer);
                self.edge(writer, unit, object, kind, strength);
            }
            if action == Action::Reads {
                (self.states.get_or_default(object))
                    .readers
                    .push((unit, strength));
            }
            return;
        }
        let tolerant = self.loaded.units[unit].facts.tolerance.if_exists && action != Action::Reads;
        if tolerant {
            self.after_what_it_guards(unit, object);
            return;
        }
        if let Some((remover, _)) = state.removed {
            // Its own file made it a few statements up, and another file's
            // drop came in between: the replay order is wrong, not the SQL.
            // The drop ends the life of this file's object, so it comes
            // after this use of it.
            let units = &self.loaded.units;
            let own_creation = state.created_at.filter(|&creator| {
                units[creator].file == units[unit].file
                    && creator < unit
                    && units[remover].file != units[unit].file
            });
            if let Some(creator) = own_creation {
                self.edge(creator, unit, object, EdgeKind::ReadAfterWrite, strength);
                self.edge(unit, remover, object, EdgeKind::WriteAfterRead, strength);
                return;
            }
        }
        if let Some((remover, before)) = state.removed {
            // A creation further down its own file cannot serve this use.
            let later_creator = self.later_creator_elsewhere(unit, object).is_some();
            if !later_creator && remover != unit {
                if let Some(writer) = before {
                    let kind = self.kind_after(&state, writer);
                    self.edge(writer, unit, object, kind, strength);
                }
                self.edge(unit, remover, object, EdgeKind::WriteAfterRead, strength);
                return;
            }
        }
        let later_creator = self.later_creator_elsewhere(unit, object);
        // Code that runs later may use what its own file creates further down.
        if later_creator.is_none()
            && strength == Strength::Soft
            && self.created_later_in_its_file(unit, object)
        {
            return;
        }
        match later_creator {
            Some(creator) => {
                self.edge(creator, unit, object, EdgeKind::ReadAfterWrite, strength);
                // It needs the object again after another file took it away.
                if let Some((remover, _)) = state.removed {
                    self.edge(
                        remover,
                        unit,
                        object,
                        EdgeKind::WriteAfterWrite,
                        Strength::Soft,
                    );
                }
            }
            None if self.loaded.units[unit].facts.tolerance.if_exists
                && action != Action::Reads => {}
            // Keys order a foreign key after them; one no file makes (the
            // environment's, a baseline's) is no problem.
            None if object.kind == ObjectKind::Key => {}
            None => self.unresolved(unit, object, strength),
        }
    }

    /// A guarded drop or change (IF EXISTS) of an object another file
    /// creates, in a file that does not create it again: it is meant for
    /// that file's object, so it comes after it. Before it, it would do
    /// nothing and leave the object behind. File names that both say where
    /// they go keep their order.
    fn after_what_it_guards(&mut self, unit: usize, object: &ObjectRef) {
        let Some(creator) = self.later_creator_elsewhere(unit, object) else {
            return;
        };
        let (units, files) = (&self.loaded.units, &self.loaded.files);
        let named_order =
            files[units[unit].file].has_order_hint() && files[units[creator].file].has_order_hint();
        if !named_order && !self.created_later_in_its_file(unit, object) {
            self.edge(
                creator,
                unit,
                object,
                EdgeKind::AfterItsCreation,
                Strength::Hard,
            );
        }
    }

    /// Whether a statement of `unit`'s own file, not replayed yet, creates
    /// `object`.
    fn created_later_in_its_file(&self, unit: usize, object: &ObjectRef) -> bool {
        let units = &self.loaded.units;
        let file = units[unit].file;
        (self.pending_creators.get(object))
            .is_some_and(|creators| creators.iter().any(|&c| units[c].file == file))
    }

    /// Needing what a file created is a real dependency; coming after a
    /// mere change of it only keeps the given order.
    fn kind_after(&self, state: &State, writer: usize) -> EdgeKind {
        let units = &self.loaded.units;
        let created_there = state
            .created_at
            .is_some_and(|creator| units[creator].file == units[writer].file);
        if created_there {
            EdgeKind::ReadAfterWrite
        } else {
            EdgeKind::ReadAfterChange
        }
    }

    /// The next creation of `object` not yet replayed, in another file than
    /// `unit`'s: statements of one file keep their order, so a creation
    /// further down the same file cannot come first.
    fn later_creator_elsewhere(&self, unit: usize, object: &ObjectRef) -> Option<usize> {
        self.later_elsewhere(&self.pending_creators, unit, object)
    }

    /// The next of `pending`'s statements on `object` in another file than
    /// `unit`'s.
    fn later_elsewhere(
        &self,
        pending: &HashMap<ObjectRef, VecDeque<usize>>,
        unit: usize,
        object: &ObjectRef,
    ) -> Option<usize> {
        let file = self.loaded.units[unit].file;
        let units = pending.get(object)?;
        units
            .iter()
            .copied()
            .find(|&other| self.loaded.units[other].file != file)
    }

    /// The next drop in another file that takes `object` away: its own, or
    /// its table's (a constraint, policy or trigger, an owned sequence, an
    /// index go with their table).
    fn later_dropper(&self, unit: usize, object: &ObjectRef) -> Option<usize> {
        let own = self.later_elsewhere(&self.pending_droppers, unit, object);
        own.or_else(|| {
            let owner = match &object.on {
                Some(table) => table.clone(),
                None => {
                    if self.catalog_ahead.is_some() {
                        self.asked_ahead.set(true);
                        return None;
                    }
                    let catalog = self.catalog.as_ref()?;
                    (catalog.matching(object).iter())
                        .find_map(|id| catalog.get(id)?.table.clone())?
                }
            };
            let table = key(&ObjectRef::new(ObjectKind::Relation, owner));
            self.later_elsewhere(&self.pending_droppers, unit, &table)
        })
    }

    /// A `DROP ... IF EXISTS` of an object another file creates later only
    /// means something in that order: keep it (and say so when nothing but
    /// the file names chose it).
    fn keep_before_later_creator(&mut self, unit: usize, object: &ObjectRef) {
        let later = self.later_creator_elsewhere(unit, object);
        if let Some(creator) = later {
            self.edge(
                unit,
                creator,
                object,
                EdgeKind::WriteAfterWrite,
                Strength::Soft,
            );
        } else if let Some(table) = &object.on {
            // Dropping a policy or trigger of a table made later.
            let table = ObjectRef::new(ObjectKind::Relation, table.clone());
            self.keep_before_later_creator(unit, &table);
        }
    }

    /// Data is ordered like definitions, but softly (it gives way in a
    /// cycle): reading rows comes after the last write of them, a write
    /// after the reads and the write before it, and inserted or updated
    /// rows need the rows their foreign keys point at.
    fn rows(&mut self, unit: usize, fact: &Fact) {
        let relation = ObjectRef::new(ObjectKind::Relation, fact.object.name.clone());
        let Some(table) = self.resolve(&relation, unit) else {
            return;
        };
        if fact.action == Action::Reads {
            self.read_rows(unit, table.name);
            return;
        }
        if matches!(
            self.loaded.units[unit].facts.words.as_str(),
            "insert" | "update"
        ) {
            let referenced = self
                .references
                .get(&table.name)
                .cloned()
                .unwrap_or_default();
            for other in referenced {
                self.read_rows(unit, other);
            }
        }
        let object = ObjectRef::new(ObjectKind::Rows, table.name.clone());
        let state = self.rows.entry(table.name).or_default();
        let writer = state.last_writer.replace(unit);
        let readers = std::mem::take(&mut state.readers);
        if let Some(writer) = writer {
            self.edge(
                writer,
                unit,
                &object,
                EdgeKind::WriteAfterWrite,
                Strength::Soft,
            );
        }
        // Rows added do not take away what earlier readers saw: those
        // readers wanted them, and come after (`read_rows`).
        if self.loaded.units[unit].facts.kind.adds_rows() {
            return;
        }
        for reader in readers {
            self.edge(
                reader,
                unit,
                &object,
                EdgeKind::WriteAfterRead,
                Strength::Soft,
            );
        }
    }

    /// Reading rows comes after the last write of them, and after every
    /// insert into the table that another file makes later: the rows a
    /// query or a foreign key looks for are the ones the data files add.
    fn read_rows(&mut self, unit: usize, table: QualifiedName) {
        let object = ObjectRef::new(ObjectKind::Rows, table.clone());
        let file = self.loaded.units[unit].file;
        let later_inserts: Vec<usize> = (self.pending_inserts.get(&table).into_iter().flatten())
            .copied()
            .filter(|&insert| self.loaded.units[insert].file != file)
            .collect();
        for insert in later_inserts {
            self.edge(
                insert,
                unit,
                &object,
                EdgeKind::ReadAfterWrite,
                Strength::Soft,
            );
        }
        let state = self.rows.entry(table).or_default();
        state.readers.push(unit);
        if let Some(writer) = state.last_writer {
            // Rows another file inserted are needed, like a creation.
            let kind = if self.loaded.units[writer].facts.kind.adds_rows() {
                EdgeKind::ReadAfterWrite
            } else {
                EdgeKind::ReadAfterChange
            };
            self.edge(writer, unit, &object, kind, Strength::Soft);
        }
    }

    fn write(&mut self, unit: usize, object: &ObjectRef, action: Action, planned: bool) {
        let mut state = self.states.remove(object).unwrap_or_default();
        let tolerance = self.loaded.units[unit].facts.tolerance;
        if action == Action::Creates
            && state.exists
            && tolerance.if_not_exists
            && !tolerance.or_replace
        {
            // CREATE ... IF NOT EXISTS of what exists does nothing.
            self.states.insert(object.clone(), state);
            return;
        }
        if action.needs_existing() && !state.exists {
            // Given before the object exists: it runs after the creation (an
            // edge `need` added), so it is not the object's latest change.
            self.states.insert(object.clone(), state);
            if planned && action == Action::Drops {
                self.keep_before_later_creator(unit, object);
            }
            return;
        }
        // Only dropping or renaming takes an object away from its readers;
        // adding a column or enabling RLS leaves earlier readers valid.
        let invalidates = matches!(action, Action::Drops | Action::Renames);
        if planned && invalidates {
            for (reader, strength) in std::mem::take(&mut state.readers) {
                if reader != unit {
                    self.edge(reader, unit, object, EdgeKind::WriteAfterRead, strength);
                }
            }
        }
        // A creation that an earlier-given file was already found to need
        // (so it runs before that file): the replay order is wrong here, not
        // the SQL, and the next replay puts it right.
        // An unguarded CREATE fails when the object exists: it comes before
        // another file's creation that tolerates it (OR REPLACE, IF NOT
        // EXISTS), whatever order the names give. Not for the columns and
        // constraints of a CREATE TABLE IF NOT EXISTS, which make nothing
        // when the table exists.
        let whole = !object.kind.is_table_part();
        let unguarded = whole && !tolerance.or_replace && !tolerance.if_not_exists;
        let before_tolerant = (action == Action::Creates && state.exists && unguarded)
            .then_some(state.created_at)
            .flatten()
            .and_then(|creator| self.tolerating(creator, unit, object));
        // Created again while it exists: another file's drop comes first
        // (the replay order is wrong here, not the SQL).
        let dropper = (action == Action::Creates && state.exists && unguarded)
            .then(|| self.later_dropper(unit, object))
            .flatten();
        if let (true, Some(dropper)) = (planned, dropper) {
            // When the file of the creation replayed first needs this file,
            // this creation is the first: the drop goes between the two.
            let first_creator =
                (state.created_at).filter(|&creator| self.needs_file_of(creator, unit));
            match first_creator {
                Some(creator) => {
                    self.edge(
                        unit,
                        dropper,
                        object,
                        EdgeKind::AfterItsCreation,
                        Strength::Hard,
                    );
                    self.edge(
                        dropper,
                        creator,
                        object,
                        EdgeKind::AfterTheDrop,
                        Strength::Hard,
                    );
                }
                None => self.edge(
                    dropper,
                    unit,
                    object,
                    EdgeKind::AfterTheDrop,
                    Strength::Hard,
                ),
            }
        }
        if let (true, Some(first)) = (planned, before_tolerant) {
            self.edge(
                unit,
                first,
                object,
                EdgeKind::UnguardedFirst,
                Strength::Hard,
            );
        }
        let needed_earlier = action == Action::Creates
            && state.exists
            && state
                .created_at
                .is_some_and(|creator| self.already_needed_by_file_of(unit, creator));
        if planned && !needed_earlier && before_tolerant.is_none() && dropper.is_none() {
            if let Some(writer) = state.last_writer {
                // Created again, unguarded, after another file dropped it:
                // before that drop it would find the object there.
                let made_room = action == Action::Creates
                    && unguarded
                    && (state.removed).is_some_and(|(remover, _)| remover == writer);
                let kind = if made_room {
                    EdgeKind::AfterTheDrop
                } else {
                    EdgeKind::WriteAfterWrite
                };
                self.edge(writer, unit, object, kind, Strength::Hard);
            }
            // Constraint names PostgreSQL made up may have been taken away by
            // a CASCADE this model does not follow: no complaint for those.
            // Columns (and keys) of a table created twice are reported with
            // the table.
            let reliable = !object.kind.is_table_part();
            if action == Action::Creates && state.exists && reliable {
                self.created_twice(unit, object, state.created_at);
            }
        }
        if invalidates {
            state.readers.clear();
        }
        let previous_writer = state.last_writer;
        if planned {
            state.last_writer = Some(unit);
        }
        match action {
            Action::Creates => {
                state.removed = None;
                if !state.exists || state.created_at.is_none() {
                    state.created_at = Some(unit);
                }
                state.exists = true;
                if object.kind == ObjectKind::Relation {
                    state.columns_known |= self.creates_columns_of(unit, object);
                }
            }
            Action::Drops | Action::Renames => {
                state.exists = false;
                state.removed = Some((unit, previous_writer));
            }
            Action::Alters | Action::Reads => {}
        }
        self.states.insert(object.clone(), state);
    }

    /// What went with a drop (a table's columns, policies, triggers; what
    /// needed the dropped object) is gone; what belongs to a renamed table
    /// moves to its new name. The objects the statement names itself were
    /// handled by its facts.
    fn carry(&mut self, unit: usize, changes: &Changes) {
        let named = |object: &ObjectRef| self.loaded.units[unit].facts.writes_to(object);
        let dropped: Vec<ObjectRef> = (changes.dropped.iter())
            .map(|id| id.object.identity())
            .filter(|object| !named(object))
            .collect();
        let renamed: Vec<(ObjectRef, ObjectRef)> = (changes.renamed.iter())
            .map(|(from, to)| (from.object.identity(), to.object.identity()))
            .filter(|(from, _)| !named(from))
            .collect();
        let facts = &self.loaded.units[unit].facts;
        if !facts.tolerance.cascade {
            for object in &changes.dropped {
                self.after_what_blocked_it(unit, &object.object.identity());
            }
        }
        for (needed, by) in &changes.released {
            if let Some(state) = self.states.get_mut(&needed.identity()) {
                state.released_by = Some((unit, by.identity()));
            }
        }
        for object in dropped {
            if !facts.tolerance.cascade && self.depends_from_outside(unit, &object) {
                self.before_what_blocks_it(unit, &object);
            }
            if let Some(state) = self.states.get_mut(&object) {
                state.exists = false;
                state.last_writer = Some(unit);
            }
        }
        for (from, to) in renamed {
            let Some(mut state) = self.states.remove(&from) else {
                continue;
            };
            let mut old = state.clone();
            old.exists = false;
            old.last_writer = Some(unit);
            self.states.insert(from, old);
            state.last_writer = Some(unit);
            self.states.insert(to, state);
        }
    }

    /// Whether `other` is a planned statement (not the environment's or
    /// the baseline's) in another file than `unit`.
    fn planned_elsewhere(&self, other: usize, unit: usize) -> bool {
        let units = &self.loaded.units;
        other >= self.planned_from && units[other].file != units[unit].file
    }

    /// Whether `object`, which `unit`'s drop took with it, depends on the
    /// dropped object from outside it (a view, another table's foreign key,
    /// policy or trigger), so that a drop without CASCADE refuses to run
    /// while it exists. A table's own parts go with it either way.
    fn depends_from_outside(&self, unit: usize, object: &ObjectRef) -> bool {
        let facts = &self.loaded.units[unit].facts;
        match (object.kind, &object.on) {
            (ObjectKind::View | ObjectKind::MaterializedView, _) => true,
            (ObjectKind::Constraint | ObjectKind::Policy | ObjectKind::Trigger, Some(table)) => {
                !facts.writes_to(&ObjectRef::new(ObjectKind::Relation, table.clone()))
            }
            _ => false,
        }
    }

    /// A drop without CASCADE of `object` comes after another file's drop
    /// of what needed it.
    fn after_what_blocked_it(&mut self, unit: usize, object: &ObjectRef) {
        let released_by = (self.states.get(object)).and_then(|state| state.released_by.clone());
        if let Some((dropper, dependent)) =
            released_by.filter(|(dropper, _)| self.planned_elsewhere(*dropper, unit))
        {
            self.edge(
                dropper,
                unit,
                &dependent,
                EdgeKind::AfterWhatBlockedIt,
                Strength::Hard,
            );
        }
    }

    /// A drop without CASCADE ran in its own history, so what depends on
    /// the dropped object from outside did not exist then: another file's
    /// later drop of it comes first, or else its creation comes after.
    fn before_what_blocks_it(&mut self, unit: usize, object: &ObjectRef) {
        if let Some(dropper) = self.later_dropper(unit, object) {
            self.edge(
                dropper,
                unit,
                object,
                EdgeKind::AfterWhatBlockedIt,
                Strength::Hard,
            );
            return;
        }
        let creator = self.states.get(object).and_then(|state| state.created_at);
        if let Some(creator) = creator.filter(|&creator| self.planned_elsewhere(creator, unit)) {
            self.edge(
                unit,
                creator,
                object,
                EdgeKind::BeforeWhatBlocksIt,
                Strength::Hard,
            );
        }
    }

    /// When `creator` is another planned file's creation that tolerates an
    /// existing object, what `unit`'s unguarded one must come before: the
    /// guarded drop above it (drop and re-create), or the creation itself
    /// (OR REPLACE, IF NOT EXISTS). `None` when it would fail too.
    fn tolerating(&self, creator: usize, unit: usize, object: &ObjectRef) -> Option<usize> {
        if !self.planned_elsewhere(creator, unit) {
            return None;
        }
        if let Some(drop) = self.guarded_drop_before(creator, object) {
            return Some(drop);
        }
        let tolerance = self.loaded.units[creator].facts.tolerance;
        (tolerance.or_replace || tolerance.if_not_exists).then_some(creator)
    }

    /// The `DROP ... IF EXISTS` of `object` above `creator` in its file:
    /// the drop-and-recreate idiom, which runs whether or not it exists.
    fn guarded_drop_before(&self, creator: usize, object: &ObjectRef) -> Option<usize> {
        let units = &self.loaded.units;
        let file = &self.loaded.files[units[creator].file];
        (file.units.iter().copied())
            .take_while(|&unit| unit != creator)
            .find(|&unit| {
                let facts = &units[unit].facts;
                facts.tolerance.if_exists
                    && (facts.facts.iter())
                        .any(|fact| fact.action == Action::Drops && key(&fact.object) == *object)
            })
    }

    /// Whether the file of `unit` needs something the file of `other`
    /// creates (an edge the SQL decides).
    fn needs_file_of(&self, unit: usize, other: usize) -> bool {
        let units = &self.loaded.units;
        let (file, other_file) = (units[unit].file, units[other].file);
        (self.out.edges.iter()).any(|edge| {
            edge.kind.is_decided_by_sql()
                && units[edge.from].file == other_file
                && units[edge.to].file == file
        })
    }

    /// Whether `unit` already must run before some statement of the file of
    /// `other`.
    fn already_needed_by_file_of(&self, unit: usize, other: usize) -> bool {
        let file = self.loaded.units[other].file;
        self.out
            .edges
            .iter()
            .any(|edge| edge.from == unit && self.loaded.units[edge.to].file == file)
    }

    fn edge(
        &mut self,
        from: usize,
        to: usize,
        object: &ObjectRef,
        kind: EdgeKind,
        strength: Strength,
    ) {
        if from == to || !self.seen_edges.insert((from, to)) {
            return;
        }
        self.out.edges.push(Edge {
            from,
            to,
            object: object.clone(),
            kind,
            strength,
        });
    }

    fn unresolved(&mut self, unit: usize, object: &ObjectRef, strength: Strength) {
        let known = (self.missing.iter_mut())
            .find(|missing| missing.object == *object && missing.strength == strength);
        match known {
            Some(missing) if missing.units.last() == Some(&unit) => {}
            Some(missing) => missing.units.push(unit),
            None => {
                let suggestion = self.did_you_mean(unit, object);
                self.missing.push(Missing {
                    object: object.clone(),
                    strength,
                    units: vec![unit],
                    suggestion,
                });
            }
        }
    }

    /// One diagnostic per missing object, at the first statement that
    /// needs it, with the others listed: a runbook written for an existing
    /// database names each table it expects once, not at every use.
    fn report_missing(&mut self) {
        for missing in std::mem::take(&mut self.missing) {
            let Missing {
                object,
                strength,
                units,
                suggestion,
            } = missing;
            let (file, line, column) = self.loaded.position_of(units[0]);
            let (severity, code, when) = match strength {
                Strength::Hard => (Severity::Error, codes::UNRESOLVED, "it will fail"),
                Strength::Soft => (
                    Severity::Warning,
                    codes::UNRESOLVED_SOFT,
                    "it will fail when that code runs",
                ),
            };
            let words = &self.loaded.units[units[0]].facts.words;
            let environment = self.loaded.environment;
            let provider = environment.provider();
            let message = match units.len() {
                1 => format!(
                    "{words} needs {object}, which no file creates and {provider} does not provide: {when}"
                ),
                n => format!(
                    "{words} and {} need {object}, which no file creates and {provider} does not provide: {when}",
                    counted(n - 1, "more statement")
                ),
            };
            let mut help = format!(
                "if the database already has {object}, add its schema as a baseline (`{}` to a file, then --baseline FILE, or Baseline in the page); otherwise create it in an earlier file or add the file that creates it",
                environment.dump_command()
            );
            if let Some(suggestion) = &suggestion {
                help = format!("did you mean {suggestion}? Otherwise, {help}");
            }
            let related = (units[1..].iter())
                .map(|&unit| {
                    let (file, line, column) = self.loaded.position_of(unit);
                    Related {
                        file,
                        line,
                        column,
                        note: format!(
                            "{} also needs {object}",
                            self.loaded.units[unit].facts.words
                        ),
                    }
                })
                .collect();
            self.out.diagnostics.push(Diagnostic {
                severity,
                code: code.into(),
                message,
                file,
                line,
                column,
                help,
                related,
                rule: None,
                fix: None,
            });
        }
    }

    /// The known object of the same kind whose name is closest: among
    /// relations, an index for an index and a table, view or sequence for
    /// the rest.
    fn did_you_mean(&self, unit: usize, object: &ObjectRef) -> Option<String> {
        let is_index = |kind: Option<ObjectKind>| kind == Some(ObjectKind::Index);
        let wants_index = is_index(self.written_kind(unit, object));
        let same_kind = |candidate: &ObjectRef| {
            let creator = (self
                .states
                .get(candidate)
                .and_then(|state| state.created_at))
            .or_else(|| self.pending_creators.get(candidate)?.front().copied());
            let kind = creator.and_then(|creator| self.written_kind(creator, candidate));
            !object.kind.is_relation() || is_index(kind) == wants_index
        };
        let known = self
            .states
            .iter()
            .filter(|(_, state)| state.exists)
            .map(|(known, _)| known)
            .chain(
                self.pending_creators
                    .iter()
                    .filter(|(_, c)| !c.is_empty())
                    .map(|(k, _)| k),
            );
        known
            .filter(|candidate| candidate.kind == object.kind && *candidate != object)
            .filter(|candidate| same_kind(candidate))
            // Names alone: a shared `public.` would make any two alike. The
            // same schema or table breaks a tie.
            .map(|candidate| {
                let alike = alike(&object.name.name, &candidate.name.name);
                let near = candidate.on == object.on && candidate.name.schema == object.name.schema;
                (alike, near, candidate)
            })
            .filter(|(alike, _, _)| *alike > 0.85)
            .max_by(|a, b| {
                (a.0, a.1)
                    .partial_cmp(&(b.0, b.1))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then_with(|| b.2.cmp(a.2))
            })
            .map(|(_, _, candidate)| candidate)
            .map(|candidate| candidate.to_string())
    }

    /// The kind a statement names an object by (an index, a table...),
    /// where lookups go by identity.
    fn written_kind(&self, unit: usize, object: &ObjectRef) -> Option<ObjectKind> {
        (self.loaded.units[unit].facts.facts.iter())
            .find(|fact| fact.object.same_as(object))
            .map(|fact| fact.object.kind)
    }

    fn created_twice(&mut self, unit: usize, object: &ObjectRef, first: Option<usize>) {
        let tolerance = self.loaded.units[unit].facts.tolerance;
        if tolerance.or_replace || tolerance.if_not_exists {
            return;
        }
        let (file, line, column) = self.loaded.position_of(unit);
        let earlier = match first {
            Some(first) => {
                let (file, line, _) = self.loaded.position_of(first);
                format!("{file}:{line}")
            }
            None => format!("{} or the baseline", self.loaded.environment.provider()),
        };
        self.out.diagnostics.push(Diagnostic {
            severity: Severity::Error,
            code: codes::CREATED_TWICE.into(),
            message: format!("{object} is created again; it already exists from {earlier}"),
            file,
            line,
            column,
            help: "drop one of the two definitions, or use CREATE OR REPLACE / IF NOT EXISTS if re-running is intended".into(),
            related: Vec::new(),
        rule: None,
fix: None,
});
    }
}

fn is_catalog_schema(schema: &str) -> bool {
    matches!(schema, "pg_catalog" | "information_schema")
}

/// How alike two names are, from their starts or their ends: `profiles`
/// is like `user_profiles`.
fn alike(a: &str, b: &str) -> f64 {
    let reversed = |text: &str| text.chars().rev().collect::<String>();
    strsim::jaro_winkler(a, b).max(strsim::jaro_winkler(&reversed(a), &reversed(b)))
}
