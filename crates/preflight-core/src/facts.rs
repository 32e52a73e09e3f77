//! What a statement does to which objects: the kind of statement in plain
//! words, and every object it creates, changes, drops or reads.
use std::fmt;

use pg_query::protobuf::{self, Node, ObjectType, RangeVar};
use pg_query::NodeEnum;
use serde::Serialize;

use crate::names::{string_value, QualifiedName};
use crate::reads::collect_reads;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Creates,
    Alters,
    Drops,
    Renames,
    Reads,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Schema,
    Table,
    View,
    MaterializedView,
    Index,
    Sequence,
    Type,
    Function,
    Trigger,
    Policy,
    Extension,
    Publication,
    Role,
    /// Any other kind, named by PostgreSQL's object type.
    Other,
}

impl ObjectKind {
    fn from_object_type(object_type: i32) -> Self {
        match ObjectType::try_from(object_type) {
            Ok(ObjectType::ObjectSchema) => Self::Schema,
            Ok(ObjectType::ObjectTable | ObjectType::ObjectForeignTable) => Self::Table,
            Ok(ObjectType::ObjectView) => Self::View,
            Ok(ObjectType::ObjectMatview) => Self::MaterializedView,
            Ok(ObjectType::ObjectIndex) => Self::Index,
            Ok(ObjectType::ObjectSequence) => Self::Sequence,
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
            _ => Self::Other,
        }
    }

    /// Kinds whose unqualified names live in the default schema.
    fn is_schema_scoped(self) -> bool {
        matches!(
            self,
            Self::Table
                | Self::View
                | Self::MaterializedView
                | Self::Index
                | Self::Sequence
                | Self::Type
                | Self::Function
        )
    }
}

/// An object a statement refers to. Policies and triggers belong to a table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ObjectRef {
    pub kind: ObjectKind,
    pub name: QualifiedName,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on: Option<QualifiedName>,
}

impl ObjectKind {
    pub fn words(self) -> &'static str {
        match self {
            Self::Schema => "schema",
            Self::Table => "table",
            Self::View => "view",
            Self::MaterializedView => "materialized view",
            Self::Index => "index",
            Self::Sequence => "sequence",
            Self::Type => "type",
            Self::Function => "function",
            Self::Trigger => "trigger",
            Self::Policy => "policy",
            Self::Extension => "extension",
            Self::Publication => "publication",
            Self::Role => "role",
            Self::Other => "object",
        }
    }
}

/// E.g. `table public.notes`, `function auth.uid()`,
/// `policy "Own rows" on public.notes`.
impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind.words(), self.name)?;
        if self.kind == ObjectKind::Function {
            f.write_str("()")?;
        }
        if let Some(table) = &self.on {
            write!(f, " on {table}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    pub action: Action,
    #[serde(flatten)]
    pub object: ObjectRef,
}

/// Everything known about one statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementFacts {
    /// The kind of statement in plain words, e.g. "create policy".
    pub kind: String,
    pub facts: Vec<Fact>,
}

/// Works out what `node` (one top-level statement) does.
pub fn analyze(node: &NodeEnum) -> StatementFacts {
    let mut targets = Targets::default();
    let kind = targets.describe(node);
    let mut facts = targets.facts;
    for read in collect_reads(node) {
        if !facts.iter().any(|fact| fact.object == read) {
            facts.push(Fact {
                action: Action::Reads,
                object: read,
            });
        }
    }
    StatementFacts { kind, facts }
}

/// The objects a statement acts on directly, collected while naming its kind.
#[derive(Default)]
struct Targets {
    facts: Vec<Fact>,
}

impl Targets {
    fn add(&mut self, action: Action, kind: ObjectKind, name: QualifiedName) {
        self.add_on(action, kind, name, None);
    }

    fn add_on(
        &mut self,
        action: Action,
        kind: ObjectKind,
        name: QualifiedName,
        on: Option<QualifiedName>,
    ) {
        let name = if kind.is_schema_scoped() && kind != ObjectKind::Function {
            name.in_default_schema()
        } else {
            name
        };
        self.facts.push(Fact {
            action,
            object: ObjectRef { kind, name, on },
        });
    }

    fn relation(&mut self, action: Action, kind: ObjectKind, range: Option<&RangeVar>) {
        if let Some(range) = range {
            self.add(action, kind, QualifiedName::relation(range));
        }
    }

    fn named(&mut self, action: Action, kind: ObjectKind, name: &str) {
        if !name.is_empty() {
            self.add(action, kind, QualifiedName::new(None, name));
        }
    }

    fn listed(&mut self, action: Action, kind: ObjectKind, parts: &[Node]) {
        if let Some(name) = QualifiedName::from_list(parts) {
            self.add(action, kind, name);
        }
    }

    /// Records the statement's targets and returns its kind in plain words.
    fn describe(&mut self, node: &NodeEnum) -> String {
        use Action::*;
        use ObjectKind as K;
        match node {
            NodeEnum::CreateStmt(s) => {
                self.relation(Creates, K::Table, s.relation.as_ref());
                "create table".into()
            }
            NodeEnum::AlterTableStmt(s) => {
                let kind = ObjectKind::from_object_type(s.objtype);
                self.relation(Alters, kind, s.relation.as_ref());
                format!("alter {}", object_type_words(s.objtype))
            }
            NodeEnum::IndexStmt(s) => {
                if let Some(relation) = &s.relation {
                    let index = QualifiedName::new(
                        Some(&QualifiedName::relation(relation).schema.unwrap_or_default()),
                        &s.idxname,
                    );
                    if !s.idxname.is_empty() {
                        self.add(Creates, K::Index, index);
                    }
                    self.relation(Alters, K::Table, Some(relation));
                }
                match (s.unique, s.concurrent) {
                    (true, true) => "create unique index concurrently".into(),
                    (true, false) => "create unique index".into(),
                    (false, true) => "create index concurrently".into(),
                    (false, false) => "create index".into(),
                }
            }
            NodeEnum::ViewStmt(s) => {
                self.relation(Creates, K::View, s.view.as_ref());
                or_replace(s.replace, "view")
            }
            NodeEnum::CreateTableAsStmt(s) => {
                let kind = ObjectKind::from_object_type(s.objtype);
                let rel = s.into.as_ref().and_then(|into| into.rel.as_ref());
                self.relation(Creates, kind, rel);
                format!("create {}", object_type_words(s.objtype))
            }
            NodeEnum::CreateSeqStmt(s) => {
                self.relation(Creates, K::Sequence, s.sequence.as_ref());
                "create sequence".into()
            }
            NodeEnum::AlterSeqStmt(s) => {
                self.relation(Alters, K::Sequence, s.sequence.as_ref());
                "alter sequence".into()
            }
            NodeEnum::CreateSchemaStmt(s) => {
                self.named(Creates, K::Schema, &s.schemaname);
                "create schema".into()
            }
            NodeEnum::CreateExtensionStmt(s) => {
                self.named(Creates, K::Extension, &s.extname);
                "create extension".into()
            }
            NodeEnum::CreateEnumStmt(s) => {
                self.listed(Creates, K::Type, &s.type_name);
                "create type (enum)".into()
            }
            NodeEnum::CompositeTypeStmt(s) => {
                self.relation(Creates, K::Type, s.typevar.as_ref());
                "create type (composite)".into()
            }
            NodeEnum::CreateDomainStmt(s) => {
                self.listed(Creates, K::Type, &s.domainname);
                "create domain".into()
            }
            NodeEnum::AlterEnumStmt(s) => {
                self.listed(Alters, K::Type, &s.type_name);
                if s.old_val.is_empty() {
                    "alter type add value".into()
                } else {
                    "alter type rename value".into()
                }
            }
            NodeEnum::CreateFunctionStmt(s) => {
                self.listed(Creates, K::Function, &s.funcname);
                or_replace(
                    s.replace,
                    if s.is_procedure {
                        "procedure"
                    } else {
                        "function"
                    },
                )
            }
            NodeEnum::AlterFunctionStmt(s) => {
                if let Some(func) = &s.func {
                    self.listed(Alters, K::Function, &func.objname);
                }
                format!("alter {}", object_type_words(s.objtype))
            }
            NodeEnum::CreateTrigStmt(s) => {
                if let Some(relation) = &s.relation {
                    let table = QualifiedName::relation(relation);
                    let trigger = QualifiedName::new(None, &s.trigname);
                    self.add_on(Creates, K::Trigger, trigger, Some(table));
                }
                self.listed(Reads, K::Function, &s.funcname);
                or_replace(s.replace, "trigger")
            }
            NodeEnum::CreatePolicyStmt(s) => {
                self.policy(Creates, &s.policy_name, s.table.as_ref());
                "create policy".into()
            }
            NodeEnum::AlterPolicyStmt(s) => {
                self.policy(Alters, &s.policy_name, s.table.as_ref());
                "alter policy".into()
            }
            NodeEnum::CreatePublicationStmt(s) => {
                self.named(Creates, K::Publication, &s.pubname);
                "create publication".into()
            }
            NodeEnum::AlterPublicationStmt(s) => {
                self.named(Alters, K::Publication, &s.pubname);
                "alter publication".into()
            }
            NodeEnum::CreateRoleStmt(s) => {
                self.named(Creates, K::Role, &s.role);
                "create role".into()
            }
            NodeEnum::DropStmt(s) => {
                self.dropped(s);
                format!("drop {}", object_type_words(s.remove_type))
            }
            NodeEnum::RenameStmt(s) => {
                self.renamed(s);
                format!("rename {}", object_type_words(s.rename_type))
            }
            NodeEnum::CommentStmt(s) => {
                self.object_node(Alters, s.objtype, s.object.as_deref(), None);
                format!("comment on {}", object_type_words(s.objtype))
            }
            NodeEnum::AlterOwnerStmt(s) => {
                self.object_node(
                    Alters,
                    s.object_type,
                    s.object.as_deref(),
                    s.relation.as_ref(),
                );
                format!("change owner of {}", object_type_words(s.object_type))
            }
            NodeEnum::GrantStmt(s) => {
                for object in &s.objects {
                    self.object_node(Alters, s.objtype, Some(object), None);
                }
                let verb = if s.is_grant { "grant on" } else { "revoke on" };
                format!("{verb} {}", object_type_words(s.objtype))
            }
            NodeEnum::InsertStmt(s) => {
                self.relation(Alters, K::Table, s.relation.as_ref());
                "insert".into()
            }
            NodeEnum::UpdateStmt(s) => {
                self.relation(Alters, K::Table, s.relation.as_ref());
                "update".into()
            }
            NodeEnum::DeleteStmt(s) => {
                self.relation(Alters, K::Table, s.relation.as_ref());
                "delete".into()
            }
            NodeEnum::TruncateStmt(s) => {
                for relation in &s.relations {
                    if let Some(NodeEnum::RangeVar(range)) = &relation.node {
                        self.relation(Alters, K::Table, Some(range));
                    }
                }
                "truncate".into()
            }
            NodeEnum::SelectStmt(_) => "select".into(),
            NodeEnum::DoStmt(_) => "do block".into(),
            NodeEnum::TransactionStmt(s) => transaction_words(s.kind).into(),
            NodeEnum::VariableSetStmt(s) if s.name.is_empty() => "set".into(),
            NodeEnum::VariableSetStmt(s) => format!("set {}", s.name),
            NodeEnum::RefreshMatViewStmt(s) => {
                self.relation(Alters, K::MaterializedView, s.relation.as_ref());
                "refresh materialized view".into()
            }
            NodeEnum::VacuumStmt(s) if s.is_vacuumcmd => "vacuum".into(),
            NodeEnum::VacuumStmt(_) => "analyze".into(),
            other => statement_words(other),
        }
    }

    fn policy(&mut self, action: Action, name: &str, table: Option<&RangeVar>) {
        let table = table.map(QualifiedName::relation);
        self.add_on(
            action,
            ObjectKind::Policy,
            QualifiedName::new(None, name),
            table,
        );
    }

    fn dropped(&mut self, s: &protobuf::DropStmt) {
        for object in &s.objects {
            self.object_node(Action::Drops, s.remove_type, Some(object), None);
        }
    }

    fn renamed(&mut self, s: &protobuf::RenameStmt) {
        self.object_node(
            Action::Renames,
            s.rename_type,
            s.object.as_deref(),
            s.relation.as_ref(),
        );
    }

    /// An object named the way DROP, COMMENT, GRANT and ALTER ... OWNER name
    /// them: a relation, a list of identifiers, a function with arguments, a
    /// type name or a bare string.
    fn object_node(
        &mut self,
        action: Action,
        object_type: i32,
        object: Option<&Node>,
        relation: Option<&RangeVar>,
    ) {
        let kind = ObjectKind::from_object_type(object_type);
        if let Some(relation) = relation {
            self.relation(action, kind, Some(relation));
            return;
        }
        let Some(node) = object.and_then(|object| object.node.as_ref()) else {
            return;
        };
        match node {
            NodeEnum::List(list) if matches!(kind, ObjectKind::Policy | ObjectKind::Trigger) => {
                // [schema.]table.name
                if let Some((name, table)) = list.items.split_last() {
                    let name = string_value(name).unwrap_or_default();
                    let table =
                        QualifiedName::from_list(table).map(QualifiedName::in_default_schema);
                    self.add_on(action, kind, QualifiedName::new(None, name), table);
                }
            }
            NodeEnum::List(list) => self.listed(action, kind, &list.items),
            NodeEnum::ObjectWithArgs(func) => self.listed(action, kind, &func.objname),
            NodeEnum::TypeName(type_name) => self.listed(action, kind, &type_name.names),
            NodeEnum::String(s) => self.named(action, kind, &s.sval),
            NodeEnum::RangeVar(range) => self.relation(action, kind, Some(range)),
            _ => {}
        }
    }
}

fn or_replace(replace: bool, what: &str) -> String {
    if replace {
        format!("create or replace {what}")
    } else {
        format!("create {what}")
    }
}

/// "OBJECT_MATVIEW" → "materialized view".
fn object_type_words(object_type: i32) -> String {
    match ObjectType::try_from(object_type) {
        Ok(ObjectType::ObjectMatview) => "materialized view".into(),
        Ok(ObjectType::ObjectTabconstraint) => "constraint".into(),
        Ok(ObjectType::ObjectForeignTable) => "foreign table".into(),
        Ok(ObjectType::ObjectEventTrigger) => "event trigger".into(),
        Ok(object_type) => object_type
            .as_str_name()
            .trim_start_matches("OBJECT_")
            .to_lowercase()
            .replace('_', " "),
        Err(_) => "object".into(),
    }
}

fn transaction_words(kind: i32) -> &'static str {
    use protobuf::TransactionStmtKind as T;
    match T::try_from(kind) {
        Ok(T::TransStmtBegin | T::TransStmtStart) => "begin",
        Ok(T::TransStmtCommit) => "commit",
        Ok(T::TransStmtRollback) => "rollback",
        Ok(T::TransStmtSavepoint) => "savepoint",
        Ok(T::TransStmtRelease) => "release savepoint",
        Ok(T::TransStmtRollbackTo) => "rollback to savepoint",
        _ => "transaction control",
    }
}

/// Plain words for any other statement, from its node name:
/// "CreateEventTrigStmt" → "create event trig".
fn statement_words(node: &NodeEnum) -> String {
    let value = serde_json::to_value(node).unwrap_or_default();
    let name = value
        .as_object()
        .and_then(|object| object.keys().next().cloned())
        .unwrap_or_else(|| "Statement".into());
    let mut words = String::new();
    for (at, c) in name.trim_end_matches("Stmt").char_indices() {
        if c.is_uppercase() && at > 0 {
            words.push(' ');
        }
        words.push(c.to_ascii_lowercase());
    }
    words
}
