//! What a statement does to which objects: its kind in plain words, and every
//! object it creates, changes, drops, renames or reads, down to columns.
use std::fmt;

use pg_query::protobuf::ObjectType;
use serde::{Deserialize, Serialize};

use crate::analysis::kind::StatementKind;
use crate::analysis::names::QualifiedName;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Creates,
    Alters,
    Drops,
    /// The object stops existing under this name; a `Creates` of the new
    /// name follows in the same statement.
    Renames,
    Reads,
}

impl Action {
    /// Whether the action needs the object to exist beforehand.
    pub fn needs_existing(self) -> bool {
        !matches!(self, Action::Creates)
    }

    pub fn writes(self) -> bool {
        !matches!(self, Action::Reads)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Creates => "creates",
            Action::Alters => "alters",
            Action::Drops => "drops",
            Action::Renames => "renames",
            Action::Reads => "reads",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Schema,
    Table,
    View,
    MaterializedView,
    Index,
    Sequence,
    /// A table, view, sequence... where the reference does not say which.
    Relation,
    Column,
    Constraint,
    Type,
    Function,
    Trigger,
    Policy,
    Extension,
    Publication,
    Role,
    /// A rewrite rule on a table (`CREATE RULE`).
    Rule,
    /// A Supabase Storage bucket (a row of `storage.buckets`).
    Bucket,
    /// The rows of a table: what DML writes and queries read.
    Rows,
    /// A foreign server (`CREATE SERVER`), which foreign tables use.
    Server,
    /// An index operator class, e.g. pg_trgm's `gin_trgm_ops`.
    OperatorClass,
    /// What a foreign key references on a table: its primary key, or a
    /// unique constraint or index on some columns (named by them, `(a, b)`).
    Key,
    /// Any other kind, named by PostgreSQL's object type.
    Other,
}

impl ObjectKind {
    pub(crate) fn from_object_type(object_type: i32) -> Self {
        match ObjectType::try_from(object_type) {
            Ok(ObjectType::ObjectSchema) => Self::Schema,
            Ok(ObjectType::ObjectTable | ObjectType::ObjectForeignTable) => Self::Table,
            Ok(ObjectType::ObjectView) => Self::View,
            Ok(ObjectType::ObjectMatview) => Self::MaterializedView,
            Ok(ObjectType::ObjectIndex) => Self::Index,
            Ok(ObjectType::ObjectSequence) => Self::Sequence,
            Ok(ObjectType::ObjectColumn) => Self::Column,
            Ok(ObjectType::ObjectTabconstraint) => Self::Constraint,
            Ok(ObjectType::ObjectType | ObjectType::ObjectDomain) => Self::Type,
            Ok(
                ObjectType::ObjectFunction
                | ObjectType::ObjectProcedure
                | ObjectType::ObjectRoutine
                | ObjectType::ObjectAggregate,
            ) => Self::Function,
            Ok(ObjectType::ObjectTrigger) => Self::Trigger,
            Ok(ObjectType::ObjectPolicy) => Self::Policy,
            Ok(ObjectType::ObjectExtension) => Self::Extension,
            Ok(ObjectType::ObjectPublication) => Self::Publication,
            Ok(ObjectType::ObjectRole) => Self::Role,
            Ok(ObjectType::ObjectRule) => Self::Rule,
            _ => Self::Other,
        }
    }

    /// Kinds that share one name space: PostgreSQL's `pg_class`.
    pub fn is_relation(self) -> bool {
        matches!(
            self,
            Self::Table
                | Self::View
                | Self::MaterializedView
                | Self::Index
                | Self::Sequence
                | Self::Relation
        )
    }

    /// Kinds whose names live in a schema.
    pub fn is_schema_scoped(self) -> bool {
        self.is_relation() || matches!(self, Self::Type | Self::Function | Self::OperatorClass)
    }

    /// Columns, constraints and keys: what a table's statement lists, which
    /// it does not make when it does nothing (IF NOT EXISTS).
    pub fn is_table_part(self) -> bool {
        matches!(self, Self::Column | Self::Constraint | Self::Key)
    }

    /// Kinds PostgreSQL has many of built in, which the model does not list.
    pub fn may_be_builtin(self) -> bool {
        matches!(self, Self::Function | Self::OperatorClass)
    }

    pub fn words(self) -> &'static str {
        match self {
            Self::Schema => "schema",
            Self::Table => "table",
            Self::View => "view",
            Self::MaterializedView => "materialized view",
            Self::Index => "index",
            Self::Sequence => "sequence",
            Self::Relation => "relation",
            Self::Column => "column",
            Self::Constraint => "constraint",
            Self::Type => "type",
            Self::Function => "function",
            Self::Trigger => "trigger",
            Self::Policy => "policy",
            Self::Extension => "extension",
            Self::Publication => "publication",
            Self::Role => "role",
            Self::Rule => "rule",
            Self::Bucket => "storage bucket",
            Self::Rows => "rows of",
            Self::Server => "foreign server",
            Self::OperatorClass => "operator class",
            Self::Key => "key",
            Self::Other => "object",
        }
    }
}

/// An object a statement refers to. Columns, constraints, policies and
/// triggers belong to a table (`on`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjectRef {
    pub kind: ObjectKind,
    pub name: QualifiedName,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on: Option<QualifiedName>,
}

impl ObjectRef {
    pub fn new(kind: ObjectKind, name: QualifiedName) -> Self {
        Self {
            kind,
            name,
            on: None,
        }
    }

    pub fn on(kind: ObjectKind, name: &str, table: QualifiedName) -> Self {
        Self {
            kind,
            name: QualifiedName::new(None, name),
            on: Some(table),
        }
    }

    pub fn column(table: QualifiedName, column: &str) -> Self {
        Self::on(ObjectKind::Column, column, table)
    }

    /// A unique key of a table, named by its columns in any order.
    pub fn key(table: QualifiedName, columns: &[&str]) -> Self {
        let mut columns = columns.to_vec();
        columns.sort_unstable();
        Self::on(ObjectKind::Key, &format!("({})", columns.join(", ")), table)
    }

    /// The columns of a key named by them (see `key`).
    pub fn key_columns(&self) -> Option<Vec<&str>> {
        let list = self.name.name.strip_prefix('(')?.strip_suffix(')')?;
        (self.kind == ObjectKind::Key).then(|| list.split(", ").collect())
    }

    /// A table's primary key, whatever its columns.
    pub fn primary_key(table: QualifiedName) -> Self {
        Self::on(ObjectKind::Key, "primary key", table)
    }

    /// The key a foreign key references: the one on the columns it names,
    /// or the primary key when it names none.
    pub fn referenced_key(table: QualifiedName, columns: &[&str]) -> Self {
        match columns.is_empty() {
            true => Self::primary_key(table),
            false => Self::key(table, columns),
        }
    }

    /// The keys a primary key or unique constraint (or a unique index, not
    /// primary) makes: by its columns when it names them, and the primary key.
    pub fn keys_made(table: &QualifiedName, columns: &[&str], primary: bool) -> Vec<Self> {
        let by_columns = (!columns.is_empty()).then(|| Self::key(table.clone(), columns));
        let primary = primary.then(|| Self::primary_key(table.clone()));
        by_columns.into_iter().chain(primary).collect()
    }

    /// The object as a lookup key: references to a relation find a table,
    /// a view or a sequence of that name.
    pub fn identity(&self) -> ObjectRef {
        let mut identity = self.clone();
        if identity.kind.is_relation() {
            identity.kind = ObjectKind::Relation;
        }
        identity
    }

    /// Whether both are the same object as lookup keys (what
    /// [`ObjectRef::identity`] makes equal), without copying either.
    pub fn same_as(&self, other: &ObjectRef) -> bool {
        let kind = |object: &ObjectRef| match object.kind.is_relation() {
            true => ObjectKind::Relation,
            false => object.kind,
        };
        kind(self) == kind(other) && self.name == other.name && self.on == other.on
    }

    /// The same object under another name (for renames).
    pub fn renamed(&self, new_name: &str) -> Self {
        let mut renamed = self.clone();
        renamed.name.name = new_name.into();
        renamed
    }

    /// The same object in another schema (`SET SCHEMA`).
    pub fn moved_to(&self, schema: &str) -> Self {
        let mut moved = self.clone();
        moved.name.schema = Some(schema.into());
        moved
    }
}

/// E.g. `table public.notes`, `function auth.uid()`, `column
/// public.notes.body`, `policy "Own rows" on public.notes`.
impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.words())?;
        match (&self.on, self.kind) {
            (Some(table), ObjectKind::Column) => write!(f, " {table}.{}", self.name),
            (Some(table), _) => write!(f, " {} on {table}", self.name),
            (None, ObjectKind::Function) => write!(f, " {}()", self.name),
            (None, _) => write!(f, " {}", self.name),
        }
    }
}

/// How firmly a statement needs an object it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// The statement fails when the object is missing.
    Hard,
    /// Only needed when the code runs later (PL/pgSQL and DO bodies).
    Soft,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub action: Action,
    #[serde(flatten)]
    pub object: ObjectRef,
    pub strength: Strength,
    /// Other objects the reference may mean, tried in order when `object`
    /// does not exist: an unqualified column inside a subquery may belong to
    /// an outer query's table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<ObjectRef>,
}

/// How a statement treats an object that already exists or is missing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tolerance {
    /// CREATE OR REPLACE: an existing object is replaced.
    pub or_replace: bool,
    /// CREATE ... IF NOT EXISTS / ADD COLUMN IF NOT EXISTS.
    pub if_not_exists: bool,
    /// DROP ... IF EXISTS and friends.
    pub if_exists: bool,
    /// DROP ... CASCADE: takes what depends on the object with it, where a
    /// plain drop refuses to run while anything outside it does.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cascade: bool,
    /// INSERT ... ON CONFLICT: a row already there is kept or updated
    /// instead of refusing the insert, so which insert ran first decides.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub on_conflict: bool,
}

/// Everything known about one statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementFacts {
    pub kind: StatementKind,
    /// The statement in plain words, e.g. "create unique index
    /// concurrently": for people, never for decisions.
    pub words: String,
    pub facts: Vec<Fact>,
    /// What the statement changes beyond "alters X", one entry per change
    /// (a multi-command ALTER TABLE has several).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    pub tolerance: Tolerance,
    /// CREATE INDEX, DROP INDEX, REINDEX or REFRESH MATERIALIZED VIEW
    /// CONCURRENTLY: not in a transaction block, no blocking lock.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub concurrently: bool,
    /// The schemas a `SET search_path` statement switches to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_path: Option<Vec<String>>,
    /// Foreign keys the statement adds: rows inserted into the table need
    /// rows of the referenced one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    /// The tables a function's body inserts into: a trigger that runs it
    /// adds rows there whenever rows come into its own table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub body_inserts: Vec<QualifiedName>,
}

impl Change {
    /// The table and the setting this sets, when another statement could
    /// set it too (then the last one wins): a column's type, default or NOT
    /// NULL, a table's row security or an option.
    pub fn setting(&self) -> Option<(QualifiedName, String)> {
        let (table, setting) = match self {
            Change::RowSecurity { table, .. } => (table, "row security".to_string()),
            Change::ColumnType { table, column } => (table, format!("type of column {column}")),
            Change::NotNull { table, column, .. } => {
                (table, format!("NOT NULL of column {column}"))
            }
            Change::Default { table, column, .. } => (table, format!("default of column {column}")),
            Change::RelationOption { table, name, .. } => (table, format!("option {name}")),
            Change::AddConstraint { .. } | Change::EnumValue { .. } | Change::Privilege { .. } => {
                return None
            }
        };
        Some((table.clone(), setting))
    }
}

/// A change that matters to verification, locks and security, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    RowSecurity {
        table: QualifiedName,
        setting: RowSecurity,
    },
    /// ALTER COLUMN ... TYPE: rewrites the table unless binary coercible.
    ColumnType {
        table: QualifiedName,
        column: String,
    },
    /// SET NOT NULL (`set`) or DROP NOT NULL.
    NotNull {
        table: QualifiedName,
        column: String,
        set: bool,
    },
    /// SET DEFAULT (`set`) or DROP DEFAULT.
    Default {
        table: QualifiedName,
        column: String,
        set: bool,
    },
    /// A constraint added to an existing table; NOT VALID skips checking
    /// the rows already there.
    AddConstraint {
        table: QualifiedName,
        name: String,
        kind: ConstraintKind,
        not_valid: bool,
        /// `... USING INDEX`: the key takes an index built beforehand.
        using_index: bool,
    },
    /// A storage parameter set (`SET (name = value)`) or reset (`value`
    /// `None`), e.g. a view's `security_invoker`.
    RelationOption {
        table: QualifiedName,
        name: String,
        value: Option<String>,
    },
    /// ALTER TYPE ... ADD VALUE: usable only after its transaction commits.
    EnumValue {
        type_name: QualifiedName,
        value: String,
    },
    /// GRANT (`granted`) or REVOKE of a privilege (`None`: ALL) on an
    /// object to a role (`public` for PUBLIC); `grant_option`: WITH GRANT
    /// OPTION, or REVOKE GRANT OPTION FOR (which keeps the privilege).
    Privilege {
        on: Grantable,
        role: String,
        privilege: Option<String>,
        granted: bool,
        grant_option: bool,
    },
}

/// What a privilege is granted on, as the verification names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Grantable {
    /// A table, view or sequence.
    Relation {
        name: QualifiedName,
    },
    Column {
        table: QualifiedName,
        column: String,
    },
    Schema {
        name: String,
    },
    /// `arguments`: the argument types as PostgreSQL's names, when given.
    Function {
        name: QualifiedName,
        arguments: Option<Vec<String>>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    PrimaryKey,
    Unique,
    ForeignKey,
    Check,
    Exclusion,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowSecurity {
    Enable,
    Disable,
    Force,
    NoForce,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub table: QualifiedName,
    pub references: QualifiedName,
}

impl StatementFacts {
    /// Whether the statement creates, alters, drops or renames `object` (by
    /// identity) itself.
    pub fn writes_to(&self, object: &ObjectRef) -> bool {
        (self.facts.iter()).any(|fact| fact.action.writes() && fact.object.same_as(object))
    }

    /// Whether the statement drops or renames something, which may take or
    /// move other objects with it.
    pub fn removes(&self) -> bool {
        (self.facts.iter()).any(|fact| matches!(fact.action, Action::Drops | Action::Renames))
    }

    /// Whether the statement creates an object of `kind`.
    pub fn creates(&self, kind: ObjectKind) -> bool {
        self.facts
            .iter()
            .any(|f| f.action == Action::Creates && f.object.kind == kind)
    }

    /// Adds a fact unless the statement already has one for the same object
    /// with a stronger claim (a write, or a hard read).
    pub fn push(&mut self, action: Action, object: ObjectRef, strength: Strength) {
        self.push_with_alternatives(action, object, strength, Vec::new());
    }

    pub fn push_with_alternatives(
        &mut self,
        action: Action,
        object: ObjectRef,
        strength: Strength,
        alternatives: Vec<ObjectRef>,
    ) {
        let existing = self.facts.iter_mut().find(|fact| fact.object == object);
        match existing {
            Some(fact) if action == Action::Reads => {
                if strength == Strength::Hard {
                    fact.strength = Strength::Hard;
                }
            }
            Some(fact) if fact.action == Action::Reads || fact.action == action => {
                fact.action = action;
                fact.strength = Strength::Hard;
            }
            _ => self.facts.push(Fact {
                action,
                object,
                strength,
                alternatives,
            }),
        }
    }
}
