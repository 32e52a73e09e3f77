//! The objects a statement acts on directly, statement kind by statement
//! kind; references buried in expressions are found by `reads.rs`.
use pg_query::protobuf::{self, Node, ObjectType, RangeVar, TransactionStmtKind};
use pg_query::NodeEnum;

use crate::analysis::facts::{
    Action, Change, ObjectKind as K, ObjectRef, StatementFacts, Strength, Tolerance,
};
use crate::analysis::kind::StatementKind;
use crate::analysis::names::{string_value, QualifiedName, DEFAULT_SCHEMA};
use crate::analysis::reads::{self, Scope};
use crate::analysis::rows;

use Action::*;

mod data;
mod extensions;
mod indexes;
mod objects;
mod routines;
mod security;
mod tables;

pub(crate) use indexes::key_columns;

/// Works out what `node` (one top-level statement) does. `search_path` is
/// the one in force where the statement runs; its first schema receives
/// unqualified new objects and names unqualified references.
pub fn analyze(node: &NodeEnum, search_path: &[String]) -> StatementFacts {
    let schema = search_path.first().map_or(DEFAULT_SCHEMA, String::as_str);
    let mut analysis = Analysis {
        schema,
        out: StatementFacts {
            kind: StatementKind::of(node),
            words: String::new(),
            facts: Vec::new(),
            changes: Vec::new(),
            tolerance: Tolerance::default(),
            concurrently: false,
            search_path: None,
            foreign_keys: Vec::new(),
            body_inserts: Vec::new(),
        },
    };
    analysis.out.words = analysis.describe(node);
    rows::add_row_facts(&mut analysis.out);
    analysis.out
}

struct Analysis<'a> {
    schema: &'a str,
    out: StatementFacts,
}

impl Analysis<'_> {
    fn add(&mut self, action: Action, object: ObjectRef) {
        if action.needs_existing() || object.kind.is_schema_scoped() {
            self.needs_schema(&object, Strength::Hard);
        }
        self.out.push(action, object, Strength::Hard);
    }

    /// Creating or using `schema.x` needs the schema.
    fn needs_schema(&mut self, object: &ObjectRef, strength: Strength) {
        let schema = object
            .on
            .as_ref()
            .and_then(|table| table.schema.clone())
            .or_else(|| {
                object
                    .name
                    .schema
                    .clone()
                    .filter(|_| object.kind.is_schema_scoped())
            });
        if let Some(schema) = schema {
            let schema = ObjectRef::new(K::Schema, QualifiedName::new(None, &schema));
            self.out.push(Reads, schema, strength);
        }
    }

    fn qualified(&self, kind: K, name: QualifiedName) -> ObjectRef {
        let name = if kind.is_schema_scoped() {
            name.in_schema(self.schema)
        } else {
            name
        };
        ObjectRef::new(kind, name)
    }

    fn relation_name(&self, range: &RangeVar) -> QualifiedName {
        QualifiedName::relation(range, self.schema)
    }

    fn relation(
        &mut self,
        action: Action,
        kind: K,
        range: Option<&RangeVar>,
    ) -> Option<QualifiedName> {
        let name = self.relation_name(range?);
        self.add(action, ObjectRef::new(kind, name.clone()));
        Some(name)
    }

    fn listed(&mut self, action: Action, kind: K, parts: &[Node]) -> Option<QualifiedName> {
        let object = self.qualified(kind, QualifiedName::from_list(parts)?);
        let name = object.name.clone();
        self.add(action, object);
        Some(name)
    }

    fn named(&mut self, action: Action, kind: K, name: &str) {
        if !name.is_empty() {
            self.add(action, ObjectRef::new(kind, QualifiedName::new(None, name)));
        }
    }

    /// References anywhere below `nodes`, resolved in `scope`.
    fn reads_in<'n>(
        &mut self,
        nodes: impl IntoIterator<Item = &'n Node>,
        scope: Scope,
        strength: Strength,
    ) {
        for node in nodes {
            for read in reads::collect(node, &scope, self.schema) {
                self.needs_schema(&read.object, strength);
                self.out
                    .push_with_alternatives(Reads, read.object, strength, read.alternatives);
            }
        }
    }

    fn reads_in_opt(&mut self, node: Option<&Node>, scope: Scope) {
        self.reads_in(node, scope, Strength::Hard);
    }

    fn describe(&mut self, node: &NodeEnum) -> String {
        match node {
            NodeEnum::CreateStmt(s) => self.create_table(s),
            NodeEnum::AlterTableStmt(s) => self.alter_table(s),
            NodeEnum::IndexStmt(s) => self.create_index(s),
            NodeEnum::ViewStmt(s) => {
                self.out.tolerance.or_replace = s.replace;
                self.relation(Creates, K::View, s.view.as_ref());
                self.reads_in_opt(s.query.as_deref(), Scope::default());
                or_replace(s.replace, "view")
            }
            NodeEnum::CreateTableAsStmt(s) => {
                self.out.tolerance.if_not_exists = s.if_not_exists;
                let kind = K::from_object_type(s.objtype);
                let rel = s.into.as_ref().and_then(|into| into.rel.as_ref());
                self.relation(Creates, kind, rel);
                self.reads_in_opt(s.query.as_deref(), Scope::default());
                format!("create {}", object_type_words(s.objtype))
            }
            NodeEnum::CreateSeqStmt(s) => {
                self.out.tolerance.if_not_exists = s.if_not_exists;
                self.relation(Creates, K::Sequence, s.sequence.as_ref());
                self.sequence_options(&s.options);
                "create sequence".into()
            }
            NodeEnum::AlterSeqStmt(s) => {
                self.out.tolerance.if_exists = s.missing_ok;
                self.relation(Alters, K::Sequence, s.sequence.as_ref());
                self.sequence_options(&s.options);
                "alter sequence".into()
            }
            NodeEnum::CreateSchemaStmt(s) => {
                self.out.tolerance.if_not_exists = s.if_not_exists;
                self.named(Creates, K::Schema, &s.schemaname);
                "create schema".into()
            }
            NodeEnum::CreateExtensionStmt(s) => {
                self.create_extension(s);
                "create extension".into()
            }
            NodeEnum::CreateEnumStmt(s) => {
                self.listed(Creates, K::Type, &s.type_name);
                "create type (enum)".into()
            }
            NodeEnum::CompositeTypeStmt(s) => {
                self.relation(Creates, K::Type, s.typevar.as_ref());
                self.reads_in(&s.coldeflist, Scope::default(), Strength::Hard);
                "create type (composite)".into()
            }
            NodeEnum::CreateDomainStmt(s) => {
                self.listed(Creates, K::Type, &s.domainname);
                if let Some(type_name) = &s.type_name {
                    self.type_read(&type_name.names);
                }
                self.reads_in(&s.constraints, Scope::default(), Strength::Hard);
                "create domain".into()
            }
            NodeEnum::AlterEnumStmt(s) => {
                self.out.tolerance.if_not_exists = s.skip_if_new_val_exists;
                let type_name = self.listed(Alters, K::Type, &s.type_name);
                if s.old_val.is_empty() {
                    if let Some(type_name) = type_name {
                        let value = s.new_val.clone();
                        (self.out.changes).push(Change::EnumValue { type_name, value });
                    }
                    "alter type add value".into()
                } else {
                    "alter type rename value".into()
                }
            }
            NodeEnum::CreateFunctionStmt(s) => self.create_function(s),
            NodeEnum::AlterFunctionStmt(s) => {
                if let Some(func) = &s.func {
                    self.listed(Alters, K::Function, &func.objname);
                }
                format!("alter {}", object_type_words(s.objtype))
            }
            NodeEnum::CreateTrigStmt(s) => {
                self.out.tolerance.or_replace = s.replace;
                if let Some(table) = self.relation(Reads, K::Relation, s.relation.as_ref()) {
                    self.add(
                        Creates,
                        ObjectRef::on(K::Trigger, &s.trigname, table.clone()),
                    );
                    for column in s.columns.iter().filter_map(string_value) {
                        self.add(Reads, ObjectRef::column(table.clone(), column));
                    }
                }
                self.listed(Reads, K::Function, &s.funcname);
                or_replace(s.replace, "trigger")
            }
            NodeEnum::CreatePolicyStmt(s) => {
                let table = self.policy(Creates, &s.policy_name, s.table.as_ref(), &s.roles);
                self.policy_expressions(table, [s.qual.as_deref(), s.with_check.as_deref()]);
                "create policy".into()
            }
            NodeEnum::AlterPolicyStmt(s) => {
                let table = self.policy(Alters, &s.policy_name, s.table.as_ref(), &s.roles);
                self.policy_expressions(table, [s.qual.as_deref(), s.with_check.as_deref()]);
                "alter policy".into()
            }
            NodeEnum::CreatePublicationStmt(s) => {
                self.named(Creates, K::Publication, &s.pubname);
                self.publication_objects(&s.pubobjects);
                "create publication".into()
            }
            NodeEnum::AlterPublicationStmt(s) => {
                self.named(Alters, K::Publication, &s.pubname);
                self.publication_objects(&s.pubobjects);
                "alter publication".into()
            }
            NodeEnum::CreateRoleStmt(s) => {
                self.named(Creates, K::Role, &s.role);
                "create role".into()
            }
            NodeEnum::GrantRoleStmt(s) => {
                self.roles(Reads, s.granted_roles.iter().chain(&s.grantee_roles));
                if s.is_grant {
                    "grant role"
                } else {
                    "revoke role"
                }
                .into()
            }
            NodeEnum::DropStmt(s) => {
                self.out.tolerance.if_exists = s.missing_ok;
                self.out.tolerance.cascade = cascades(s.behavior);
                self.out.concurrently = s.concurrent;
                for object in &s.objects {
                    self.object_node(Drops, s.remove_type, Some(object), None);
                }
                format!("drop {}", object_type_words(s.remove_type))
            }
            NodeEnum::RenameStmt(s) => self.rename(s),
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
                if let Some(owner) = &s.newowner {
                    self.role_spec(Reads, owner);
                }
                format!("change owner of {}", object_type_words(s.object_type))
            }
            NodeEnum::AlterObjectSchemaStmt(s) => {
                // A move is a rename into the other schema.
                self.out.tolerance.if_exists = s.missing_ok;
                let object =
                    self.object_ref(s.object_type, s.object.as_deref(), s.relation.as_ref());
                if let Some(old) = object {
                    let old = ObjectRef {
                        name: old.name.clone().in_schema(self.schema),
                        ..old
                    };
                    let new = old.moved_to(&s.newschema);
                    self.add(Renames, old);
                    self.add(Creates, new);
                }
                self.named(Reads, K::Schema, &s.newschema);
                format!(
                    "move {} to another schema",
                    object_type_words(s.object_type)
                )
            }
            NodeEnum::GrantStmt(s) => self.grant(s),
            NodeEnum::AlterDefaultPrivilegesStmt(s) => self.default_privileges(s),
            NodeEnum::InsertStmt(s) => self.insert(s),
            NodeEnum::UpdateStmt(s) => self.update(s),
            NodeEnum::DeleteStmt(s) => self.delete(s),
            NodeEnum::TruncateStmt(s) => self.truncate(s),
            NodeEnum::SelectStmt(_) => self.select(node),
            NodeEnum::DoStmt(s) => {
                self.do_block(s);
                "do block".into()
            }
            NodeEnum::CreateForeignServerStmt(s) => {
                self.out.tolerance.if_not_exists = s.if_not_exists;
                self.named(Creates, K::Server, &s.servername);
                "create server".into()
            }
            NodeEnum::CreateForeignTableStmt(s) => {
                self.named(Reads, K::Server, &s.servername);
                if let Some(base) = &s.base_stmt {
                    self.create_table(base);
                }
                "create foreign table".into()
            }
            NodeEnum::TransactionStmt(s) => transaction_words(s.kind).into(),
            NodeEnum::VariableSetStmt(s) => {
                if s.name == "search_path" {
                    self.out.search_path =
                        Some(s.args.iter().filter_map(constant_string).collect());
                }
                if s.name.is_empty() {
                    "set".into()
                } else {
                    format!("set {}", s.name)
                }
            }
            NodeEnum::RefreshMatViewStmt(s) => {
                self.out.concurrently = s.concurrent;
                self.relation(Alters, K::MaterializedView, s.relation.as_ref());
                "refresh materialized view".into()
            }
            NodeEnum::VacuumStmt(s) if s.is_vacuumcmd => "vacuum".into(),
            NodeEnum::VacuumStmt(_) => "analyze".into(),
            NodeEnum::CreateEventTrigStmt(s) => {
                self.named(Creates, K::Other, &s.trigname);
                self.listed(Reads, K::Function, &s.funcname);
                "create event trigger".into()
            }
            NodeEnum::CopyStmt(s) => self.copy(s),
            NodeEnum::MergeStmt(s) => self.merge(s),
            NodeEnum::LockStmt(s) => self.lock(s),
            NodeEnum::ReindexStmt(s) => {
                self.out.concurrently = (s.params.iter()).any(|param| {
                    matches!(&param.node, Some(NodeEnum::DefElem(d)) if d.defname == "concurrently")
                });
                self.upkeep(s.relation.as_ref(), "reindex")
            }
            NodeEnum::ClusterStmt(s) => self.upkeep(s.relation.as_ref(), "cluster"),
            NodeEnum::ExplainStmt(s) => {
                self.inner_reads(s.query.as_deref());
                "explain".into()
            }
            NodeEnum::PrepareStmt(s) => {
                self.inner_reads(s.query.as_deref());
                "prepare".into()
            }
            NodeEnum::DeclareCursorStmt(s) => {
                self.inner_reads(s.query.as_deref());
                "declare cursor".into()
            }
            NodeEnum::RuleStmt(s) => self.rule(s),
            NodeEnum::AlterRoleStmt(s) => {
                if let Some(role) = &s.role {
                    self.role_spec(Alters, role);
                }
                "alter role".into()
            }
            NodeEnum::AlterRoleSetStmt(s) => {
                if let Some(role) = &s.role {
                    self.role_spec(Alters, role);
                }
                "alter role set".into()
            }
            NodeEnum::DropRoleStmt(s) => self.drop_role(s),
            NodeEnum::ReassignOwnedStmt(s) => self.reassign_owned(s),
            NodeEnum::SecLabelStmt(s) => self.security_label(s),
            NodeEnum::CreateUserMappingStmt(s) => {
                self.out.tolerance.if_not_exists = s.if_not_exists;
                self.user_mapping(s.user.as_ref(), &s.servername, "create user mapping")
            }
            NodeEnum::AlterUserMappingStmt(s) => {
                self.user_mapping(s.user.as_ref(), &s.servername, "alter user mapping")
            }
            NodeEnum::DropUserMappingStmt(s) => {
                self.out.tolerance.if_exists = s.missing_ok;
                self.user_mapping(s.user.as_ref(), &s.servername, "drop user mapping")
            }
            NodeEnum::CallStmt(s) => self.call(s),
            NodeEnum::DefineStmt(s) => self.define(s),
            NodeEnum::CreateCastStmt(s) => self.create_cast(s),
            NodeEnum::CreateRangeStmt(s) => {
                self.listed_as(Creates, K::Type, &s.type_name, "create type (range)")
            }
            NodeEnum::AlterDomainStmt(s) => {
                self.listed_as(Alters, K::Type, &s.type_name, "alter domain")
            }
            NodeEnum::AlterTypeStmt(s) => {
                self.listed_as(Alters, K::Type, &s.type_name, "alter type")
            }
            NodeEnum::CreateOpClassStmt(s) => self.create_operator_class(s),
            NodeEnum::CreateOpFamilyStmt(s) => {
                self.listed_as(Creates, K::Other, &s.opfamilyname, "create operator family")
            }
            NodeEnum::AlterOpFamilyStmt(s) => {
                self.listed_as(Alters, K::Other, &s.opfamilyname, "alter operator family")
            }
            NodeEnum::AlterOperatorStmt(s) => {
                if let Some(operator) = &s.opername {
                    self.listed(Alters, K::Other, &operator.objname);
                }
                "alter operator".into()
            }
            NodeEnum::AlterCollationStmt(s) => {
                self.listed_as(Alters, K::Other, &s.collname, "alter collation")
            }
            NodeEnum::AlterExtensionStmt(s) => {
                self.named_as(Alters, K::Extension, &s.extname, "alter extension")
            }
            NodeEnum::AlterExtensionContentsStmt(s) => self.alter_extension_contents(s),
            NodeEnum::CreateFdwStmt(s) => {
                self.named_as(Creates, K::Other, &s.fdwname, "create foreign data wrapper")
            }
            NodeEnum::AlterForeignServerStmt(s) => {
                self.named_as(Alters, K::Server, &s.servername, "alter server")
            }
            NodeEnum::CreateStatsStmt(s) => self.create_statistics(s),
            NodeEnum::AlterStatsStmt(s) => {
                self.listed_as(Alters, K::Other, &s.defnames, "alter statistics")
            }
            NodeEnum::AlterEventTrigStmt(s) => {
                self.named_as(Alters, K::Other, &s.trigname, "alter event trigger")
            }
            NodeEnum::CreateSubscriptionStmt(s) => {
                self.named_as(Creates, K::Other, &s.subname, "create subscription")
            }
            NodeEnum::AlterSubscriptionStmt(s) => {
                self.named_as(Alters, K::Other, &s.subname, "alter subscription")
            }
            NodeEnum::DropSubscriptionStmt(s) => {
                self.out.tolerance.if_exists = s.missing_ok;
                self.named_as(Drops, K::Other, &s.subname, "drop subscription")
            }
            other => statement_words(other),
        }
    }

    /// A type named in a column, parameter or cast; built-in types are
    /// left out.
    fn type_read(&mut self, names: &[Node]) {
        if let Some(object) = reads::type_reference(names, self.schema) {
            self.add(Reads, object);
        }
    }
}

/// `'x'` in `SET search_path = 'x'` or `x` in `SET search_path TO x`.
fn constant_string(node: &Node) -> Option<String> {
    match node.node.as_ref()? {
        NodeEnum::AConst(constant) => match constant.val.as_ref()? {
            protobuf::a_const::Val::Sval(s) => Some(s.sval.clone()),
            _ => None,
        },
        _ => None,
    }
    .map(|value| value.trim().trim_matches('"').to_string())
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
    use TransactionStmtKind as T;
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

/// Whether a drop's behaviour is CASCADE.
fn cascades(behavior: i32) -> bool {
    behavior == protobuf::DropBehavior::DropCascade as i32
}
