//! One side's end state: every object with its definition, property by
//! property, each in a canonical form (for comparing) and as written (for
//! showing), with the place that set it.
use std::collections::BTreeSet;
use std::fmt;
use std::hash::Hash;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use crate::analysis::compact::Tree;
use crate::analysis::facts::{ObjectKind, ObjectRef};
use crate::analysis::names::QualifiedName;
use crate::{HashMap, HashSet};

use super::changes::Changes;

/// Where a definition is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// Shared by every definition one statement makes.
    pub file: Arc<str>,
    pub line: u32,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// An object's identity; functions also by their argument types, which
/// tell overloads apart.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjectId {
    #[serde(flatten)]
    pub object: ObjectRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
}

impl ObjectId {
    pub fn new(kind: ObjectKind, name: QualifiedName) -> Self {
        ObjectRef::new(kind, name).into()
    }

    pub fn on(kind: ObjectKind, name: &str, table: &QualifiedName) -> Self {
        ObjectRef::on(kind, name, table.clone()).into()
    }

    /// The schema the object lives in (a table's, for what belongs to one).
    pub fn schema(&self) -> Option<&str> {
        match (&self.object.on, self.object.kind) {
            (Some(table), _) => table.schema.as_deref(),
            (None, ObjectKind::Schema) => Some(&self.object.name.name),
            (None, _) => self.object.name.schema.as_deref(),
        }
    }
}

impl From<ObjectRef> for ObjectId {
    fn from(object: ObjectRef) -> Self {
        Self {
            object,
            arguments: None,
        }
    }
}

/// E.g. `column public.todos.done`, `function public.f(uuid, text)`.
impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.arguments {
            Some(arguments) => write!(f, "function {}({arguments})", self.object.name),
            None => write!(f, "{}", self.object),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Property {
    /// The canonical form: equal on both sides means the same definition.
    pub compare: Tree,
    pub words: Words,
    pub at: Place,
}

impl Property {
    /// The definition as written (deparsed when first asked).
    pub fn shown(&self) -> &str {
        match &self.words {
            Words::Text(text) => text,
            Words::Deparsed(deferred) => deferred.words.get_or_init(|| (deferred.make)()),
        }
    }
}

/// A definition's words: as given, or deparsed from its syntax tree when
/// first shown. Deparsing is most of what a replay costs, and only the audit
/// and rollbacks show definitions.
#[derive(Clone)]
pub enum Words {
    Text(String),
    Deparsed(Arc<Deferred>),
}

pub struct Deferred {
    words: OnceLock<String>,
    make: Box<dyn Fn() -> String + Send + Sync>,
}

impl Words {
    pub fn deparsed(make: impl Fn() -> String + Send + Sync + 'static) -> Self {
        Words::Deparsed(Arc::new(Deferred {
            words: OnceLock::new(),
            make: Box::new(make),
        }))
    }
}

impl fmt::Debug for Words {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Words::Text(text) => write!(f, "{text:?}"),
            Words::Deparsed(deferred) => match deferred.words.get() {
                Some(text) => write!(f, "{text:?}"),
                None => f.write_str("(not deparsed yet)"),
            },
        }
    }
}

/// An object's properties in the order of their names. An object has a
/// few, so a list costs one allocation where a map costs a node of room.
#[derive(Debug, Clone, Default)]
pub struct Properties(Vec<(&'static str, Property)>);

impl Properties {
    pub fn get(&self, name: &str) -> Option<&Property> {
        let at = self.position(name).ok()?;
        Some(&self.0[at].1)
    }

    /// Sets a property; its value before, if it had one.
    pub fn insert(&mut self, name: &'static str, property: Property) -> Option<Property> {
        match self.position(name) {
            Ok(at) => Some(std::mem::replace(&mut self.0[at].1, property)),
            Err(at) => {
                self.0.insert(at, (name, property));
                None
            }
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<Property> {
        let at = self.position(name).ok()?;
        Some(self.0.remove(at).1)
    }

    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().map(|(name, _)| *name)
    }

    pub fn values(&self) -> impl Iterator<Item = &Property> {
        self.0.iter().map(|(_, property)| property)
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&'static str, &mut Property)> {
        self.0.iter_mut().map(|(name, property)| (*name, property))
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(other, _)| (*other).cmp(name))
    }
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub at: Place,
    /// The table an index or sequence belongs to (columns, constraints,
    /// policies and triggers name theirs in `on`).
    pub table: Option<QualifiedName>,
    pub properties: Properties,
    /// What the object cannot exist without, beyond its table: a view's
    /// relations, a policy's tables, a trigger's function, a foreign key's
    /// referenced table. Dropping one of them takes the object with it.
    pub needs: Vec<ObjectRef>,
}

/// What exists: every object by its identity, with lookups by name and by
/// what it belongs to or needs, so that replaying a statement costs what the
/// statement touches, not what the catalog holds.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Entries are shared between clones (every plan starts from a copy
    /// of the environment's catalog) until one changes.
    pub(super) objects: HashMap<ObjectId, Arc<Entry>>,
    /// Per function (or other object known by its arguments): its
    /// overloads.
    overloads: Index<ObjectRef>,
    /// How many constraints of each name the tables of each schema have
    /// (the constraint's name in its table's schema).
    constraint_names: HashMap<QualifiedName, usize>,
    /// Per table: what belongs to it (by `on` or `table`).
    pub(super) parts: Index<QualifiedName>,
    /// Per object identity: the objects that need it.
    pub(super) dependents: Index<ObjectRef>,
    /// Functions and types extensions provide: where unqualified names
    /// resolve, not compared (a dump does not list them).
    pub(super) provided: HashSet<(ObjectKind, QualifiedName)>,
    /// What the statement being applied changed so far.
    pub(super) journal: Changes,
    /// How much of each definition is kept.
    pub(super) detail: Detail,
}

/// How much of each definition a catalog keeps: what its reader asks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Detail {
    /// Everything, comparable: the schema audit's.
    #[default]
    Comparable,
    /// Every definition's words, but canonical forms only of what is read
    /// as data (constraints by their columns and what they reference,
    /// indexes, a policy's command and roles, enum values, row security):
    /// the runbook's and the lints'. Expressions, queries and bodies are
    /// compared only by the audit.
    Working,
    /// Only what drops and renames follow: which objects exist, what
    /// belongs to and needs what, and the columns constraints and indexes
    /// use: the planner's. Other definitions (types, defaults, bodies,
    /// queries, policies' expressions) are most of what a replay costs, and
    /// the planner's replays only ask what a drop takes with it.
    Outline,
}

impl Catalog {
    /// This catalog, keeping from now on what `detail` says.
    pub fn with_detail(mut self, detail: Detail) -> Self {
        self.detail = detail;
        self
    }

    /// Whether definitions beyond what cascades read are kept.
    pub fn defines(&self) -> bool {
        self.detail != Detail::Outline
    }

    /// Whether expressions, queries and bodies are kept in canonical form.
    pub fn compares(&self) -> bool {
        self.detail == Detail::Comparable
    }

    pub fn get(&self, key: &ObjectId) -> Option<&Entry> {
        self.objects.get(key).map(Arc::as_ref)
    }

    pub fn contains(&self, key: &ObjectId) -> bool {
        self.objects.contains_key(key)
    }

    /// Every object, in the order of their identities.
    pub fn iter(&self) -> impl Iterator<Item = (&ObjectId, &Entry)> {
        let mut all: Vec<(&ObjectId, &Entry)> = (self.objects.iter())
            .map(|(key, entry)| (key, entry.as_ref()))
            .collect();
        all.sort_unstable_by(|a, b| a.0.cmp(b.0));
        all.into_iter()
    }

    /// What belongs to a table: its columns, constraints, policies,
    /// triggers, indexes and owned sequences.
    pub fn parts_of(&self, table: &QualifiedName) -> impl Iterator<Item = &ObjectId> {
        self.parts.get(table)
    }

    /// Creates (or replaces) an object.
    pub fn create(&mut self, key: ObjectId, at: &Place) -> &mut Entry {
        self.create_belonging(key, at, None)
    }

    /// Creates (or replaces) an object that belongs to `table` without
    /// naming it (an index, an owned sequence).
    pub fn create_belonging(
        &mut self,
        key: ObjectId,
        at: &Place,
        table: Option<QualifiedName>,
    ) -> &mut Entry {
        let entry = Entry {
            at: at.clone(),
            table,
            properties: Properties::default(),
            needs: Vec::new(),
        };
        match self.objects.remove(&key) {
            Some(old) => {
                self.unindex(&key, &old);
                self.journal.replaced.push(key.clone());
            }
            None => self.journal.created.push(key.clone()),
        }
        self.index(&key, &entry);
        Arc::make_mut(self.objects.entry(key).or_insert(Arc::new(entry)))
    }

    /// Records what an object needs, so that dropping it cascades.
    pub fn add_needs(&mut self, key: &ObjectId, needs: impl IntoIterator<Item = ObjectRef>) {
        let Some(entry) = self.objects.get_mut(key).map(Arc::make_mut) else {
            return;
        };
        for needed in needs {
            let needed = needed.identity();
            if needed == key.object.identity() || entry.needs.contains(&needed) {
                continue;
            }
            self.dependents.insert(needed.clone(), key.clone());
            entry.needs.push(needed);
        }
    }

    /// Whether a property of this name is kept: an outline keeps only
    /// constraints' and indexes' definitions.
    pub fn keeps(&self, name: &str) -> bool {
        self.defines() || name == "definition"
    }

    pub fn set(&mut self, key: &ObjectId, name: &'static str, property: Property) {
        if !self.keeps(name) {
            return;
        }
        if let Some(entry) = self.objects.get_mut(key).map(Arc::make_mut) {
            let before = entry.properties.insert(name, property);
            self.journal.altered(key, name, before);
        }
    }

    pub fn unset(&mut self, key: &ObjectId, name: &'static str) {
        if let Some(entry) = self.objects.get_mut(key).map(Arc::make_mut) {
            if let Some(before) = entry.properties.remove(name) {
                self.journal.altered(key, name, Some(before));
            }
        }
    }

    /// Changes a property's canonical form in place (VALIDATE CONSTRAINT).
    pub fn update(&mut self, key: &ObjectId, name: &'static str, change: impl FnOnce(&mut Tree)) {
        let Some(property) = self.property(key, name).cloned() else {
            return;
        };
        let mut changed = property.clone();
        change(&mut changed.compare);
        self.set(key, name, changed);
    }

    pub fn property(&self, key: &ObjectId, name: &str) -> Option<&Property> {
        self.objects.get(key)?.properties.get(name)
    }

    /// The table, view, sequence... of that name, whatever its kind.
    pub fn relation(&self, name: &QualifiedName) -> Option<ObjectId> {
        RELATION_KINDS
            .iter()
            .map(|&kind| ObjectId::new(kind, name.clone()))
            .find(|key| self.objects.contains_key(key))
    }

    /// The objects an identity from a statement's facts means: a relation
    /// of any kind, every overload of a function.
    pub fn matching(&self, object: &ObjectRef) -> Vec<ObjectId> {
        if object.kind.is_relation() && object.on.is_none() {
            return self.relation(&object.name).into_iter().collect();
        }
        let plain = ObjectId::from(object.clone());
        let overloads = self.overloads.get(object).cloned();
        let plain = self.objects.contains_key(&plain).then_some(plain);
        plain.into_iter().chain(overloads).collect()
    }

    /// Whether a constraint of that name exists on a table of `schema`.
    pub fn has_constraint(&self, schema: Option<&str>, name: &str) -> bool {
        (self.constraint_names).contains_key(&QualifiedName::new(schema, name))
    }

    /// The schema of the first search-path schema holding a type or
    /// function of this name.
    pub fn resolve(&self, kind: ObjectKind, name: &str, search_path: &[String]) -> Option<String> {
        search_path
            .iter()
            .find(|schema| {
                let qualified = QualifiedName::new(Some(schema), name);
                let object = ObjectRef::new(kind, qualified.clone());
                !self.matching(&object).is_empty() || self.provided.contains(&(kind, qualified))
            })
            .cloned()
    }

    /// Records a function or type an extension provides.
    pub fn provide(&mut self, kind: ObjectKind, name: QualifiedName) {
        self.provided.insert((kind, name));
    }

    /// What applying statements changed since the last call.
    pub fn take_changes(&mut self) -> Changes {
        let mut changes = std::mem::take(&mut self.journal);
        changes.settle();
        changes
    }

    /// Adds an object to the lookups.
    pub(super) fn index(&mut self, key: &ObjectId, entry: &Entry) {
        if key.arguments.is_some() {
            self.overloads.insert(key.object.clone(), key.clone());
        }
        if let Some(name) = constraint_name(key) {
            *self.constraint_names.entry(name).or_default() += 1;
        }
        if let Some(table) = key.object.on.as_ref().or(entry.table.as_ref()) {
            self.parts.insert(table.clone(), key.clone());
        }
        for needed in &entry.needs {
            self.dependents.insert(needed.clone(), key.clone());
        }
    }

    /// Removes an object from the lookups.
    pub(super) fn unindex(&mut self, key: &ObjectId, entry: &Entry) {
        self.overloads.remove(&key.object, key);
        if let Some(name) = constraint_name(key) {
            if let Some(count) = self.constraint_names.get_mut(&name) {
                *count -= 1;
                if *count == 0 {
                    self.constraint_names.remove(&name);
                }
            }
        }
        if let Some(table) = key.object.on.as_ref().or(entry.table.as_ref()) {
            self.parts.remove(table, key);
        }
        for needed in &entry.needs {
            self.dependents.remove(needed, key);
        }
    }
}

/// Sets of objects by a key (a table's parts, an identity's dependents, a
/// function's overloads), each shared between copies of the catalog until
/// one changes: every plan copies the environment's.
#[derive(Debug, Clone)]
pub(super) struct Index<K>(HashMap<K, Arc<BTreeSet<ObjectId>>>);

impl<K> Default for Index<K> {
    fn default() -> Self {
        Self(HashMap::default())
    }
}

impl<K: Hash + Eq> Index<K> {
    /// The objects under `key`, in order.
    pub(super) fn get(&self, key: &K) -> impl Iterator<Item = &ObjectId> {
        self.0.get(key).into_iter().flat_map(|set| set.iter())
    }

    pub(super) fn insert(&mut self, key: K, object: ObjectId) {
        Arc::make_mut(self.0.entry(key).or_default()).insert(object);
    }

    pub(super) fn remove(&mut self, key: &K, object: &ObjectId) {
        if let Some(set) = self.0.get_mut(key) {
            if set.contains(object) {
                Arc::make_mut(set).remove(object);
            }
        }
    }

    /// Takes every object under `key` out, in order.
    pub(super) fn take(&mut self, key: &K) -> BTreeSet<ObjectId> {
        (self.0.remove(key)).map_or_else(BTreeSet::new, Arc::unwrap_or_clone)
    }

    pub(super) fn extend(&mut self, key: K, objects: BTreeSet<ObjectId>) {
        Arc::make_mut(self.0.entry(key).or_default()).extend(objects);
    }
}

/// A constraint's name in its table's schema, the way names are unique
/// for [`Catalog::has_constraint`].
fn constraint_name(key: &ObjectId) -> Option<QualifiedName> {
    let table = key.object.on.as_ref()?;
    (key.object.kind == ObjectKind::Constraint)
        .then(|| QualifiedName::new(table.schema.as_deref(), &key.object.name.name))
}

const RELATION_KINDS: [ObjectKind; 6] = [
    ObjectKind::Table,
    ObjectKind::View,
    ObjectKind::MaterializedView,
    ObjectKind::Index,
    ObjectKind::Sequence,
    ObjectKind::Relation,
];
