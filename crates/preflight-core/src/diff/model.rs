//! One side's end state: every object with its definition, property by
//! property, each in a canonical form (for comparing) and as written (for
//! showing), with the place that set it.
use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::facts::{ObjectKind, ObjectRef};
use crate::names::QualifiedName;

use super::normal::SqlType;

/// Where a definition is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub file: String,
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
pub struct DiffObject {
    #[serde(flatten)]
    pub object: ObjectRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
}

impl DiffObject {
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

impl From<ObjectRef> for DiffObject {
    fn from(object: ObjectRef) -> Self {
        Self {
            object,
            arguments: None,
        }
    }
}

/// E.g. `column public.todos.done`, `function public.f(uuid, text)`.
impl fmt::Display for DiffObject {
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
    pub compare: Value,
    pub shown: String,
    pub at: Place,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub at: Place,
    /// The table an index or sequence belongs to (columns, constraints,
    /// policies and triggers name theirs in `on`).
    pub table: Option<QualifiedName>,
    pub properties: BTreeMap<&'static str, Property>,
}

#[derive(Debug, Default)]
pub struct Model {
    pub objects: BTreeMap<DiffObject, Entry>,
    /// Functions and types extensions provide: where unqualified names
    /// resolve, not compared (a dump does not list them).
    pub provided: Vec<(ObjectKind, QualifiedName)>,
}

impl Model {
    /// Creates (or replaces) an object.
    pub fn create(&mut self, key: DiffObject, at: &Place) -> &mut Entry {
        self.objects.insert(
            key.clone(),
            Entry {
                at: at.clone(),
                table: None,
                properties: BTreeMap::new(),
            },
        );
        self.objects.get_mut(&key).expect("just inserted")
    }

    pub fn set(&mut self, key: &DiffObject, name: &'static str, property: Property) {
        if let Some(entry) = self.objects.get_mut(key) {
            entry.properties.insert(name, property);
        }
    }

    pub fn unset(&mut self, key: &DiffObject, name: &str) {
        if let Some(entry) = self.objects.get_mut(key) {
            entry.properties.remove(name);
        }
    }

    pub fn property(&self, key: &DiffObject, name: &str) -> Option<&Property> {
        self.objects.get(key)?.properties.get(name)
    }

    /// The table, view, sequence... of that name, whatever its kind.
    pub fn relation(&self, name: &QualifiedName) -> Option<DiffObject> {
        self.objects
            .keys()
            .find(|key| {
                key.object.kind.is_relation() && key.object.on.is_none() && &key.object.name == name
            })
            .cloned()
    }

    /// The objects an identity from a statement's facts means: a relation
    /// of any kind, every overload of a function.
    pub fn matching(&self, object: &ObjectRef) -> Vec<DiffObject> {
        if object.kind.is_relation() && object.on.is_none() {
            return self.relation(&object.name).into_iter().collect();
        }
        self.objects
            .keys()
            .filter(|key| &key.object == object)
            .cloned()
            .collect()
    }

    /// The schema of the first search-path schema holding a type or
    /// function of this name.
    pub fn resolve(&self, kind: ObjectKind, name: &str, search_path: &[String]) -> Option<String> {
        search_path
            .iter()
            .find(|schema| {
                let qualified = QualifiedName::new(Some(schema), name);
                let start = DiffObject::new(kind, qualified.clone());
                let defined = self.objects.range(start..).next().is_some_and(|(key, _)| {
                    key.object.kind == kind && key.object.name == qualified
                });
                defined || self.provided.contains(&(kind, qualified))
            })
            .cloned()
    }

    /// Drops an object and what belongs to it.
    pub fn drop(&mut self, key: &DiffObject) {
        self.objects.remove(key);
        if key.object.kind.is_relation() {
            let table = &key.object.name;
            self.objects.retain(|other, entry| {
                other.object.on.as_ref() != Some(table) && entry.table.as_ref() != Some(table)
            });
        }
    }

    /// Drops everything in a schema (DROP SCHEMA ... CASCADE).
    pub fn drop_schema(&mut self, schema: &str) {
        self.objects.retain(|key, _| key.schema() != Some(schema));
    }

    pub fn rename(&mut self, key: &DiffObject, new_name: &str) {
        let Some(entry) = self.objects.remove(key) else {
            return;
        };
        let mut renamed = key.clone();
        renamed.object.name.name = new_name.to_string();
        self.objects.insert(renamed, entry);
        let old = &key.object;
        match old.kind {
            kind if kind.is_relation() => self.relation_renamed(&old.name, new_name),
            ObjectKind::Column => {
                if let Some(table) = &old.on {
                    self.column_renamed(table, &old.name.name, new_name);
                }
            }
            ObjectKind::Type => self.type_renamed(&old.name, new_name),
            _ => {}
        }
    }

    /// What belongs to the table follows it; definitions that name it
    /// (foreign keys, indexes, expressions) name the new name, as
    /// PostgreSQL, which tracks objects by identity, shows them.
    fn relation_renamed(&mut self, old: &QualifiedName, new_name: &str) {
        let mut new = old.clone();
        new.name = new_name.to_string();
        let moved: Vec<DiffObject> = self
            .objects
            .keys()
            .filter(|key| key.object.on.as_ref() == Some(old))
            .cloned()
            .collect();
        for key in moved {
            let entry = self.objects.remove(&key).expect("listed");
            let mut child = key;
            child.object.on = Some(new.clone());
            self.objects.insert(child, entry);
        }
        for entry in self.objects.values_mut() {
            if entry.table.as_ref() == Some(old) {
                entry.table = Some(new.clone());
            }
            for property in entry.properties.values_mut() {
                walk_objects(&mut property.compare, &mut |fields| {
                    let is_old = fields.get("relname").and_then(Value::as_str) == Some(&old.name)
                        && fields.get("schemaname").and_then(Value::as_str)
                            == old.schema.as_deref();
                    if is_old {
                        fields.insert("relname".into(), new_name.into());
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
            for property in entry.properties.values_mut() {
                walk_objects(&mut property.compare, &mut |fields| {
                    let references_table = fields.get("pktable").is_some_and(|pktable| {
                        pktable.get("relname").and_then(Value::as_str) == Some(&table.name)
                            && pktable.get("schemaname").and_then(Value::as_str)
                                == table.schema.as_deref()
                    });
                    if references_table {
                        rename_strings(fields.get_mut("pk_attrs"), old, new);
                    }
                    if !own {
                        return;
                    }
                    for list in ["keys", "fk_attrs", "including", "columns"] {
                        rename_strings(fields.get_mut(list), old, new);
                    }
                    if let Some(Value::Object(column)) = fields.get_mut("ColumnRef") {
                        rename_strings(column.get_mut("fields"), old, new);
                    }
                    if let Some(Value::Object(element)) = fields.get_mut("IndexElem") {
                        if element.get("name").and_then(Value::as_str) == Some(old) {
                            element.insert("name".into(), new.into());
                        }
                    }
                });
            }
        }
    }

    /// Columns, arguments and casts of the type name the new name.
    fn type_renamed(&mut self, old: &QualifiedName, new_name: &str) {
        let old_names: Vec<Value> = old
            .schema
            .iter()
            .chain([&old.name])
            .map(|s| s.as_str().into())
            .collect();
        let mut new_names = old_names.clone();
        *new_names.last_mut().expect("a name") = new_name.into();
        for entry in self.objects.values_mut() {
            for (name, property) in &mut entry.properties {
                let mut changed = false;
                walk_objects(&mut property.compare, &mut |fields| {
                    if fields.get("names").and_then(Value::as_array) == Some(&old_names) {
                        fields.insert("names".into(), Value::Array(new_names.clone()));
                        changed = true;
                    }
                });
                if changed && *name == "type" {
                    if let Ok(sql_type) =
                        serde_json::from_value::<SqlType>(property.compare.clone())
                    {
                        property.shown = sql_type.to_string();
                    }
                }
            }
        }
    }
}

/// Calls `visit` on every JSON object below `value`, innermost first.
pub fn walk_objects(
    value: &mut Value,
    visit: &mut impl FnMut(&mut serde_json::Map<String, Value>),
) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(|item| walk_objects(item, visit)),
        Value::Object(fields) => {
            fields
                .values_mut()
                .for_each(|field| walk_objects(field, visit));
            visit(fields);
        }
        _ => {}
    }
}

/// Renames `old` in a list of `String` nodes.
fn rename_strings(list: Option<&mut Value>, old: &str, new: &str) {
    let Some(Value::Array(items)) = list else {
        return;
    };
    for item in items {
        if let Some(sval) = item.pointer_mut("/node/String/sval") {
            if sval.as_str() == Some(old) {
                *sval = new.into();
            }
        }
    }
}
