//! The objects a statement acts on directly, statement kind by statement
//! kind; references buried in expressions are found by `reads.rs`.
use pg_query::protobuf::{
    self, AlterTableType, ConstrType, Node, ObjectType, RangeVar, TransactionStmtKind,
};
use pg_query::NodeEnum;

use crate::bodies;
use crate::environment::extension_contents;
use crate::facts::{
    Action, ForeignKey, ObjectKind as K, ObjectRef, StatementFacts, Strength, Tolerance,
};
use crate::implicit_names::{constraint_name, object_name};
use crate::names::{string_value, QualifiedName, DEFAULT_SCHEMA};
use crate::reads::{self, Scope};
use crate::rows;

use Action::*;

mod data;
mod extensions;
mod routines;
mod security;

/// Works out what `node` (one top-level statement) does. `search_path` is
/// the one in force where the statement runs; its first schema receives
/// unqualified new objects and names unqualified references.
pub fn analyze(node: &NodeEnum, search_path: &[String]) -> StatementFacts {
    let schema = search_path.first().map_or(DEFAULT_SCHEMA, String::as_str);
    let mut analysis = Analysis {
        schema,
        out: StatementFacts {
            kind: String::new(),
            facts: Vec::new(),
            tolerance: Tolerance::default(),
            search_path: None,
            foreign_keys: Vec::new(),
            body_inserts: Vec::new(),
        },
    };
    analysis.out.kind = analysis.describe(node);
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
                self.listed(Alters, K::Type, &s.type_name);
                if s.old_val.is_empty() {
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
                format!("change owner of {}", object_type_words(s.object_type))
            }
            NodeEnum::AlterObjectSchemaStmt(s) => {
                self.object_node(
                    Alters,
                    s.object_type,
                    s.object.as_deref(),
                    s.relation.as_ref(),
                );
                self.named(Reads, K::Schema, &s.newschema);
                format!(
                    "move {} to another schema",
                    object_type_words(s.object_type)
                )
            }
            NodeEnum::GrantStmt(s) => self.grant(s),
            NodeEnum::AlterDefaultPrivilegesStmt(s) => self.default_privileges(s),
            NodeEnum::InsertStmt(s) => self.insert(s),
            NodeEnum::UpdateStmt(s) => {
                let table = self.relation(Alters, K::Table, s.relation.as_ref());
                let scope = Scope::of_statement(
                    table.clone(),
                    s.relation.as_ref(),
                    &s.from_clause,
                    self.schema,
                );
                for target in &s.target_list {
                    if let (Some(NodeEnum::ResTarget(target)), Some(table)) = (&target.node, &table)
                    {
                        self.add(Reads, ObjectRef::column(table.clone(), &target.name));
                    }
                }
                self.reads_in(
                    s.target_list
                        .iter()
                        .chain(&s.from_clause)
                        .chain(s.where_clause.as_deref()),
                    scope,
                    Strength::Hard,
                );
                "update".into()
            }
            NodeEnum::DeleteStmt(s) => {
                let table = self.relation(Alters, K::Table, s.relation.as_ref());
                let scope =
                    Scope::of_statement(table, s.relation.as_ref(), &s.using_clause, self.schema);
                self.reads_in(
                    s.using_clause.iter().chain(s.where_clause.as_deref()),
                    scope,
                    Strength::Hard,
                );
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
            NodeEnum::SelectStmt(_) => {
                self.reads_in(
                    std::iter::once(&Node {
                        node: Some(node.clone()),
                    }),
                    Scope::default(),
                    Strength::Hard,
                );
                "select".into()
            }
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
            NodeEnum::ReindexStmt(s) => self.upkeep(s.relation.as_ref(), "reindex"),
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

    /// A DO block runs when it is given: what its plain statements create or
    /// change counts (guarded, so never "created twice"); everything it
    /// reads, there or in conditions and dynamic SQL, is soft.
    fn do_block(&mut self, s: &protobuf::DoStmt) {
        for node in bodies::do_block_statements(s) {
            let inner = analyze(&node, &[self.schema.to_string()]);
            for fact in inner.facts {
                let strength = if fact.action.needs_existing() {
                    Strength::Soft
                } else {
                    fact.strength
                };
                self.out.push_with_alternatives(
                    fact.action,
                    fact.object,
                    strength,
                    fact.alternatives,
                );
            }
            self.out.foreign_keys.extend(inner.foreign_keys);
            self.out.tolerance.if_not_exists = true;
        }
        for object in bodies::do_block_reads(s, self.schema) {
            self.needs_schema(&object, Strength::Soft);
            self.out.push(Reads, object, Strength::Soft);
        }
    }

    /// The extension, and what it provides in its schema.
    fn create_extension(&mut self, s: &protobuf::CreateExtensionStmt) {
        self.out.tolerance.if_not_exists = s.if_not_exists;
        self.named(Creates, K::Extension, &s.extname);
        let contents = extension_contents(&s.extname);
        let given_schema = s.options.iter().find_map(|option| match &option.node {
            Some(NodeEnum::DefElem(def)) if def.defname == "schema" => {
                def.arg.as_deref().and_then(string_value)
            }
            _ => None,
        });
        let schema = match (given_schema, contents.own_schema) {
            (_, Some(own)) => {
                self.named(Creates, K::Schema, own);
                own.to_string()
            }
            (Some(given), None) => {
                self.named(Reads, K::Schema, given);
                given.to_string()
            }
            (None, None) => self.schema.to_string(),
        };
        for (kind, name) in contents.objects {
            let object = ObjectRef::new(*kind, QualifiedName::new(Some(&schema), name));
            self.out.push(Creates, object, Strength::Hard);
        }
    }

    fn create_table(&mut self, s: &protobuf::CreateStmt) -> String {
        self.out.tolerance.if_not_exists = s.if_not_exists;
        let Some(table) = self.relation(Creates, K::Table, s.relation.as_ref()) else {
            return "create table".into();
        };
        for parent in s.inh_relations.iter().filter_map(range_var) {
            let parent = self.relation_name(parent);
            self.add(Reads, ObjectRef::new(K::Relation, parent));
        }
        for element in &s.table_elts {
            match &element.node {
                Some(NodeEnum::ColumnDef(column)) => self.column_def(&table, column),
                Some(NodeEnum::Constraint(constraint)) => self.constraint(&table, constraint, None),
                Some(NodeEnum::TableLikeClause(like)) => {
                    self.relation(Reads, K::Relation, like.relation.as_ref());
                }
                _ => {}
            }
        }
        if s.partbound.is_some() {
            "create table (partition)".into()
        } else {
            "create table".into()
        }
    }

    /// A column of CREATE TABLE or ADD COLUMN: its type, default and
    /// constraints, and the sequence a serial or identity column gets.
    fn column_def(&mut self, table: &QualifiedName, column: &protobuf::ColumnDef) {
        self.add(Creates, ObjectRef::column(table.clone(), &column.colname));
        let mut type_name = None;
        if let Some(declared) = &column.type_name {
            type_name = declared.names.last().and_then(string_value);
            self.type_read(&declared.names);
        }
        let serial = type_name.is_some_and(|name| {
            matches!(
                name,
                "serial" | "bigserial" | "smallserial" | "serial2" | "serial4" | "serial8"
            )
        });
        let identity = column
            .constraints
            .iter()
            .filter_map(constraint)
            .any(|c| ConstrType::try_from(c.contype) == Ok(ConstrType::ConstrIdentity));
        if serial || identity {
            // PostgreSQL's name for it (before any clash suffix).
            let name = object_name(&table.name, Some(&column.colname), "seq");
            let sequence = QualifiedName::new(table.schema.as_deref(), &name);
            self.add(Creates, ObjectRef::new(K::Sequence, sequence));
        }
        for constraint in column.constraints.iter().filter_map(constraint) {
            self.constraint(table, constraint, Some(&column.colname));
        }
        self.reads_in(
            column.raw_default.as_deref(),
            Scope::default(),
            Strength::Hard,
        );
    }

    /// A table constraint (or a column's, with `column`): its name, and what
    /// a foreign key references.
    fn constraint(
        &mut self,
        table: &QualifiedName,
        c: &protobuf::Constraint,
        column: Option<&str>,
    ) {
        // A made-up name is numbered past those made earlier in this
        // statement.
        let taken: Vec<String> = match c.conname.is_empty() {
            true => (self.out.facts.iter())
                .filter(|f| f.action == Creates && f.object.kind == K::Constraint)
                .map(|f| f.object.name.name.clone())
                .collect(),
            false => Vec::new(),
        };
        let is_taken = |name: &str| taken.iter().any(|t| t == name);
        if let Some(name) = constraint_name(&table.name, c, column, &is_taken) {
            self.add(Creates, ObjectRef::on(K::Constraint, &name, table.clone()));
        }
        // A foreign key needs the referenced table's primary key, or the
        // unique key on the columns it names.
        let own_columns: Vec<&str> = match c.keys.is_empty() {
            true => column.into_iter().collect(),
            false => c.keys.iter().filter_map(string_value).collect(),
        };
        match ConstrType::try_from(c.contype) {
            Ok(ConstrType::ConstrForeign) => {
                if let Some(target) = self.relation(Reads, K::Relation, c.pktable.as_ref()) {
                    self.out.foreign_keys.push(ForeignKey {
                        table: table.clone(),
                        references: target.clone(),
                    });
                    let referenced: Vec<&str> =
                        c.pk_attrs.iter().filter_map(string_value).collect();
                    for key in &referenced {
                        self.add(Reads, ObjectRef::column(target.clone(), key));
                    }
                    self.add(
                        Reads,
                        ObjectRef::referenced_key(target.clone(), &referenced),
                    );
                }
                for key in c.fk_attrs.iter().filter_map(string_value) {
                    self.add(Reads, ObjectRef::column(table.clone(), key));
                }
            }
            Ok(kind @ (ConstrType::ConstrPrimary | ConstrType::ConstrUnique)) => {
                for key in c.keys.iter().filter_map(string_value) {
                    self.add(Reads, ObjectRef::column(table.clone(), key));
                }
                // `USING INDEX` names no columns: the index made that key.
                let primary = kind == ConstrType::ConstrPrimary;
                for key in ObjectRef::keys_made(table, &own_columns, primary) {
                    self.add(Creates, key);
                }
            }
            _ => {}
        }
        let scope = Scope::of_table(Some(table.clone()));
        self.reads_in(c.raw_expr.as_deref(), scope.clone(), Strength::Hard);
        self.reads_in(c.where_clause.as_deref(), scope, Strength::Hard);
    }

    fn alter_table(&mut self, s: &protobuf::AlterTableStmt) -> String {
        self.out.tolerance.if_exists = s.missing_ok;
        let kind = match ObjectType::try_from(s.objtype) {
            Ok(ObjectType::ObjectTable) => K::Relation,
            _ => K::from_object_type(s.objtype),
        };
        let Some(table) = self.relation(Alters, kind, s.relation.as_ref()) else {
            return "alter table".into();
        };
        let mut words = Vec::new();
        for cmd in s.cmds.iter().filter_map(|cmd| match &cmd.node {
            Some(NodeEnum::AlterTableCmd(cmd)) => Some(cmd),
            _ => None,
        }) {
            words.push(self.alter_table_cmd(&table, cmd));
        }
        words.dedup();
        match words.as_slice() {
            [single] => single.clone(),
            _ => format!("alter {}", object_type_words(s.objtype)),
        }
    }

    fn alter_table_cmd(&mut self, table: &QualifiedName, cmd: &protobuf::AlterTableCmd) -> String {
        use AlterTableType as T;
        let column = || ObjectRef::column(table.clone(), &cmd.name);
        let subtype = T::try_from(cmd.subtype).unwrap_or(T::Undefined);
        match subtype {
            T::AtAddColumn => {
                if let Some(NodeEnum::ColumnDef(def)) =
                    cmd.def.as_ref().and_then(|d| d.node.as_ref())
                {
                    self.out.tolerance.if_not_exists |= cmd.missing_ok;
                    self.column_def(table, def);
                }
                "add column".into()
            }
            T::AtDropColumn => {
                self.out.tolerance.if_exists |= cmd.missing_ok;
                self.add(Drops, column());
                "drop column".into()
            }
            T::AtAlterColumnType => {
                self.add(Alters, column());
                if let Some(NodeEnum::ColumnDef(def)) =
                    cmd.def.as_ref().and_then(|d| d.node.as_ref())
                {
                    if let Some(type_name) = &def.type_name {
                        self.type_read(&type_name.names);
                    }
                }
                "alter column type".into()
            }
            T::AtColumnDefault
            | T::AtSetNotNull
            | T::AtDropNotNull
            | T::AtAddIdentity
            | T::AtSetIdentity
            | T::AtDropIdentity
            | T::AtSetExpression
            | T::AtDropExpression
            | T::AtSetStatistics
            | T::AtSetStorage => {
                self.add(Alters, column());
                self.reads_in(cmd.def.as_deref(), Scope::default(), Strength::Hard);
                "alter column".into()
            }
            T::AtAddConstraint => {
                if let Some(NodeEnum::Constraint(c)) =
                    cmd.def.as_ref().and_then(|d| d.node.as_ref())
                {
                    self.constraint(table, c, None);
                }
                "add constraint".into()
            }
            T::AtDropConstraint => {
                self.out.tolerance.if_exists |= cmd.missing_ok;
                self.add(
                    Drops,
                    ObjectRef::on(K::Constraint, &cmd.name, table.clone()),
                );
                "drop constraint".into()
            }
            T::AtValidateConstraint => {
                self.add(
                    Alters,
                    ObjectRef::on(K::Constraint, &cmd.name, table.clone()),
                );
                "validate constraint".into()
            }
            T::AtEnableRowSecurity => "enable row level security".into(),
            T::AtDisableRowSecurity => "disable row level security".into(),
            T::AtForceRowSecurity => "force row level security".into(),
            T::AtNoForceRowSecurity => "no force row level security".into(),
            T::AtEnableTrig | T::AtDisableTrig | T::AtEnableAlwaysTrig | T::AtEnableReplicaTrig => {
                self.add(Alters, ObjectRef::on(K::Trigger, &cmd.name, table.clone()));
                "enable or disable trigger".into()
            }
            T::AtChangeOwner => {
                if let Some(owner) = &cmd.newowner {
                    self.named(Reads, K::Role, &owner.rolename);
                }
                "change owner".into()
            }
            T::AtAttachPartition | T::AtDetachPartition => {
                self.reads_in(cmd.def.as_deref(), Scope::default(), Strength::Hard);
                "attach or detach partition".into()
            }
            T::AtAddInherit | T::AtDropInherit => {
                self.reads_in(cmd.def.as_deref(), Scope::default(), Strength::Hard);
                "change inheritance".into()
            }
            T::AtReplicaIdentity => "set replica identity".into(),
            _ => {
                let name = subtype.as_str_name().trim_start_matches("AT_");
                name.to_lowercase().replace('_', " ")
            }
        }
    }

    fn create_index(&mut self, s: &protobuf::IndexStmt) -> String {
        self.out.tolerance.if_not_exists = s.if_not_exists;
        if let Some(table) = self.relation(Reads, K::Relation, s.relation.as_ref()) {
            if !s.idxname.is_empty() {
                let index = QualifiedName::new(table.schema.as_deref(), &s.idxname);
                self.add(Creates, ObjectRef::new(K::Index, index));
            }
            for param in &s.index_params {
                if let Some(NodeEnum::IndexElem(element)) = &param.node {
                    if !element.name.is_empty() {
                        self.add(Reads, ObjectRef::column(table.clone(), &element.name));
                    }
                    if !element.opclass.is_empty() {
                        self.listed(Reads, K::OperatorClass, &element.opclass);
                    }
                }
            }
            if let Some(columns) = key_columns(s) {
                self.add(Creates, ObjectRef::key(table.clone(), &columns));
            }
            let scope = Scope::of_table(Some(table));
            self.reads_in(
                s.index_params.iter().chain(s.where_clause.as_deref()),
                scope,
                Strength::Hard,
            );
        }
        let mut words = String::from("create ");
        if s.unique {
            words.push_str("unique ");
        }
        words.push_str("index");
        if s.concurrent {
            words.push_str(" concurrently");
        }
        words
    }

    fn create_function(&mut self, s: &protobuf::CreateFunctionStmt) -> String {
        self.out.tolerance.or_replace = s.replace;
        self.listed(Creates, K::Function, &s.funcname);
        for parameter in &s.parameters {
            if let Some(NodeEnum::FunctionParameter(parameter)) = &parameter.node {
                if let Some(type_name) = &parameter.arg_type {
                    self.type_read(&type_name.names);
                }
            }
        }
        if let Some(type_name) = &s.return_type {
            self.type_read(&type_name.names);
        }
        for (object, strength) in bodies::function_body_reads(s, self.schema) {
            self.needs_schema(&object, strength);
            self.out.push(Reads, object, strength);
        }
        self.out.body_inserts = bodies::function_body_inserts(s, self.schema);
        or_replace(
            s.replace,
            if s.is_procedure {
                "procedure"
            } else {
                "function"
            },
        )
    }

    /// A type named in a column, parameter or cast; built-in types are
    /// left out.
    fn type_read(&mut self, names: &[Node]) {
        if let Some(object) = reads::type_reference(names, self.schema) {
            self.add(Reads, object);
        }
    }

    fn sequence_options(&mut self, options: &[Node]) {
        for option in options {
            if let Some(NodeEnum::DefElem(def)) = &option.node {
                if def.defname == "owned_by" {
                    if let Some(NodeEnum::List(list)) =
                        def.arg.as_ref().and_then(|arg| arg.node.as_ref())
                    {
                        if let Some((column, table)) = list.items.split_last() {
                            if let (Some(column), Some(table)) =
                                (string_value(column), QualifiedName::from_list(table))
                            {
                                let table = table.in_schema(self.schema);
                                self.add(Reads, ObjectRef::column(table, column));
                            }
                        }
                    }
                }
            }
        }
    }

    /// USING and WITH CHECK: unqualified columns are the policy table's.
    fn policy_expressions(
        &mut self,
        table: Option<QualifiedName>,
        expressions: [Option<&Node>; 2],
    ) {
        let scope = Scope::of_table(table);
        self.reads_in(expressions.into_iter().flatten(), scope, Strength::Hard);
    }

    fn policy(
        &mut self,
        action: Action,
        name: &str,
        table: Option<&RangeVar>,
        roles: &[Node],
    ) -> Option<QualifiedName> {
        let table = self.relation(Reads, K::Relation, table)?;
        self.add(action, ObjectRef::on(K::Policy, name, table.clone()));
        self.roles(Reads, roles);
        Some(table)
    }

    fn publication_objects(&mut self, objects: &[Node]) {
        for object in objects {
            if let Some(NodeEnum::PublicationObjSpec(spec)) = &object.node {
                if let Some(table) = &spec.pubtable {
                    self.relation(Reads, K::Table, table.relation.as_ref());
                }
                if !spec.name.is_empty() {
                    self.named(Reads, K::Schema, &spec.name);
                }
            }
        }
    }

    fn grant(&mut self, s: &protobuf::GrantStmt) -> String {
        let all_in_schema = s.targtype == protobuf::GrantTargetType::AclTargetAllInSchema as i32;
        for object in &s.objects {
            if all_in_schema {
                if let Some(schema) = string_value(object) {
                    self.named(Reads, K::Schema, schema);
                }
            } else {
                self.object_node(Alters, s.objtype, Some(object), None);
            }
        }
        self.roles(Reads, &s.grantees);
        let verb = if s.is_grant { "grant on" } else { "revoke on" };
        format!("{verb} {}", object_type_words(s.objtype))
    }

    fn insert(&mut self, s: &protobuf::InsertStmt) -> String {
        let Some(table) = self.relation(Alters, K::Table, s.relation.as_ref()) else {
            return "insert".into();
        };
        let columns: Vec<&str> = s
            .cols
            .iter()
            .filter_map(|col| match &col.node {
                Some(NodeEnum::ResTarget(target)) => Some(target.name.as_str()),
                _ => None,
            })
            .collect();
        for column in &columns {
            self.add(Reads, ObjectRef::column(table.clone(), column));
        }
        if table == QualifiedName::new(Some("storage"), "buckets") {
            for bucket in bucket_ids(s, &columns) {
                self.add(
                    Creates,
                    ObjectRef::new(K::Bucket, QualifiedName::new(None, &bucket)),
                );
            }
        }
        self.reads_in(s.select_stmt.as_deref(), Scope::default(), Strength::Hard);
        "insert".into()
    }

    fn rename(&mut self, s: &protobuf::RenameStmt) -> String {
        self.out.tolerance.if_exists = s.missing_ok;
        let kind = K::from_object_type(s.rename_type);
        let words = format!("rename {}", object_type_words(s.rename_type));
        let old = match kind {
            K::Column | K::Constraint | K::Trigger | K::Policy if s.relation.is_some() => {
                let table = self.relation_name(s.relation.as_ref().expect("checked"));
                self.add(Reads, ObjectRef::new(K::Relation, table.clone()));
                ObjectRef::on(kind, &s.subname, table)
            }
            _ => match self.object_ref(s.rename_type, s.object.as_deref(), s.relation.as_ref()) {
                Some(object) => object,
                None => return words,
            },
        };
        let new = old.renamed(&s.newname);
        self.add(Renames, old);
        self.add(Creates, new);
        words
    }

    fn object_node(
        &mut self,
        action: Action,
        object_type: i32,
        object: Option<&Node>,
        relation: Option<&RangeVar>,
    ) {
        if let Some(object) = self.object_ref(object_type, object, relation) {
            self.add(action, object);
        }
    }

    /// An object named the way DROP, COMMENT, GRANT, RENAME and ALTER ...
    /// OWNER name them: a relation, a list of identifiers, a function with
    /// arguments, a type name or a bare string.
    fn object_ref(
        &self,
        object_type: i32,
        object: Option<&Node>,
        relation: Option<&RangeVar>,
    ) -> Option<ObjectRef> {
        let kind = match K::from_object_type(object_type) {
            K::Table => K::Relation,
            kind => kind,
        };
        if let Some(relation) = relation {
            return Some(ObjectRef::new(kind, self.relation_name(relation)));
        }
        let parts_of = |list: &[Node]| -> Option<(QualifiedName, String)> {
            let (name, table) = list.split_last()?;
            let table = QualifiedName::from_list(table)?.in_schema(self.schema);
            Some((table, string_value(name)?.to_string()))
        };
        match object?.node.as_ref()? {
            NodeEnum::List(list)
                if matches!(kind, K::Policy | K::Trigger | K::Column | K::Constraint) =>
            {
                let (table, name) = parts_of(&list.items)?;
                Some(ObjectRef::on(kind, &name, table))
            }
            NodeEnum::List(list) => {
                Some(self.qualified(kind, QualifiedName::from_list(&list.items)?))
            }
            NodeEnum::ObjectWithArgs(func) => {
                Some(self.qualified(kind, QualifiedName::from_list(&func.objname)?))
            }
            NodeEnum::TypeName(type_name) => {
                Some(self.qualified(kind, QualifiedName::from_list(&type_name.names)?))
            }
            NodeEnum::String(s) => Some(ObjectRef::new(kind, QualifiedName::new(None, &s.sval))),
            NodeEnum::RangeVar(range) => Some(ObjectRef::new(kind, self.relation_name(range))),
            _ => None,
        }
    }
}

fn range_var(node: &Node) -> Option<&RangeVar> {
    match node.node.as_ref()? {
        NodeEnum::RangeVar(range) => Some(range),
        _ => None,
    }
}

fn constraint(node: &Node) -> Option<&protobuf::Constraint> {
    match node.node.as_ref()? {
        NodeEnum::Constraint(constraint) => Some(constraint),
        _ => None,
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

/// The `id` values of `INSERT INTO storage.buckets (id, ...) VALUES (...)`.
fn bucket_ids(s: &protobuf::InsertStmt, columns: &[&str]) -> Vec<String> {
    let Some(position) = columns.iter().position(|c| *c == "id") else {
        return Vec::new();
    };
    let Some(NodeEnum::SelectStmt(select)) = s.select_stmt.as_ref().and_then(|n| n.node.as_ref())
    else {
        return Vec::new();
    };
    select
        .values_lists
        .iter()
        .filter_map(|row| match &row.node {
            Some(NodeEnum::List(values)) => values.items.get(position).and_then(constant_string),
            _ => None,
        })
        .collect()
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

/// The columns of a unique index on plain columns (no expression, no
/// WHERE): a key foreign keys can reference.
pub(crate) fn key_columns(s: &protobuf::IndexStmt) -> Option<Vec<&str>> {
    let columns: Vec<&str> = (s.index_params.iter())
        .filter_map(|param| match &param.node {
            Some(NodeEnum::IndexElem(element)) if !element.name.is_empty() => {
                Some(element.name.as_str())
            }
            _ => None,
        })
        .collect();
    let whole = columns.len() == s.index_params.len();
    (s.unique && s.where_clause.is_none() && whole).then_some(columns)
}
