//! Typed reads of what the catalog holds: row level security, policies,
//! primary and foreign keys.
use pg_query::protobuf::ConstrType;

use crate::analysis::compact::Tree;

use super::normal::strings_of;
use super::{Catalog, ObjectId};
use crate::analysis::facts::ObjectKind;
use crate::analysis::names::QualifiedName;

/// A foreign key of a table, by columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub references: QualifiedName,
    /// The referenced columns (the primary key's when none were named).
    pub referenced: Vec<String>,
}

/// A policy as the catalog holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy<'a> {
    pub name: &'a str,
    /// `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`.
    pub command: &'a str,
    pub permissive: bool,
    /// `public` when it names none.
    pub roles: Vec<&'a str>,
}

impl Catalog {
    /// A policy's command, kind and roles.
    pub fn policy<'a>(&'a self, key: &'a ObjectId) -> Option<Policy<'a>> {
        let text = |name: &str| self.text(key, name);
        let roles = (self.property(key, "roles")?.compare.as_list()?.iter())
            .filter_map(Tree::as_str)
            .collect();
        Some(Policy {
            name: &key.object.name.name,
            command: text("command")?,
            permissive: text("kind")? == "PERMISSIVE",
            roles,
        })
    }

    /// A text property of an object: `"enabled"`, `"permissive"`, `"all"`...
    pub fn text(&self, key: &ObjectId, property: &str) -> Option<&str> {
        self.property(key, property)?.compare.as_str()
    }

    /// Whether row level security is enabled on the table.
    pub fn row_security(&self, table: &QualifiedName) -> bool {
        let key = ObjectId::new(ObjectKind::Table, table.clone());
        self.text(&key, "row level security") == Some("enabled")
    }

    /// The policies on a table.
    pub fn policies(&self, table: &QualifiedName) -> impl Iterator<Item = &ObjectId> {
        (self.parts_of(table)).filter(|key| key.object.kind == ObjectKind::Policy)
    }

    /// The columns of the table's primary key.
    pub fn primary_key(&self, table: &QualifiedName) -> Option<Vec<String>> {
        self.constraints(table, ConstrType::ConstrPrimary)
            .next()
            .map(|definition| strings_of(definition.get("keys")))
    }

    /// The table's foreign keys.
    pub fn foreign_keys(&self, table: &QualifiedName) -> Vec<ForeignKey> {
        (self.constraints(table, ConstrType::ConstrForeign))
            .filter_map(|definition| {
                let target = definition.get("pktable")?;
                let name = |field: &str| target.get(field).and_then(Tree::as_str);
                Some(ForeignKey {
                    columns: strings_of(definition.get("fk_attrs")),
                    references: QualifiedName::new(name("schemaname"), name("relname")?),
                    referenced: strings_of(definition.get("pk_attrs")),
                })
            })
            .collect()
    }

    /// The table's indexes with their canonical definitions (which leave
    /// out the name).
    pub fn index_definitions(&self, table: &QualifiedName) -> Vec<(&ObjectId, &Tree)> {
        (self.parts_of(table))
            .filter(|key| key.object.kind == ObjectKind::Index)
            .filter_map(|key| Some((key, &self.property(key, "definition")?.compare)))
            .collect()
    }

    /// The column lists the table's indexes and keys lead with, in order
    /// (an expression ends a list).
    pub fn indexed_columns(&self, table: &QualifiedName) -> Vec<Vec<String>> {
        let indexes = (self.index_definitions(table).into_iter()).map(|(_, definition)| {
            let params = definition.get("index_params").and_then(Tree::as_list);
            (params.into_iter().flatten())
                .map_while(|param| {
                    param
                        .at("/node/IndexElem/name")?
                        .as_str()
                        .filter(|n| !n.is_empty())
                })
                .map(str::to_string)
                .collect()
        });
        let keys = [ConstrType::ConstrPrimary, ConstrType::ConstrUnique]
            .into_iter()
            .flat_map(|kind| self.constraints(table, kind))
            .map(|definition| strings_of(definition.get("keys")));
        indexes.chain(keys).collect()
    }

    /// The canonical definitions of the table's constraints of a kind.
    fn constraints(&self, table: &QualifiedName, kind: ConstrType) -> impl Iterator<Item = &Tree> {
        (self.parts_of(table))
            .filter(|key| key.object.kind == ObjectKind::Constraint)
            .filter_map(|key| Some(&self.property(key, "definition")?.compare))
            .filter(move |definition| {
                definition.get("contype").and_then(Tree::as_i64) == Some(kind as i64)
            })
    }
}
