//! Every statement PostgreSQL's grammar has, and what Preflight makes of
//! it. The match has no wildcard: a statement kind new to the parser does
//! not compile until it is placed here.
use std::collections::BTreeMap;

use pg_query::NodeEnum;

use crate::diagnostics::{codes, Diagnostic, Severity};
use crate::plan::load::Loaded;

/// What Preflight makes of a kind of statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Census {
    /// Its facts say what it creates, changes, drops and reads.
    Modelled,
    /// It changes nothing another statement could need and needs nothing
    /// (session state, notifications, cursors).
    NoSchemaEffect,
    /// Not modelled yet: kept in its file's order, with a warning.
    NotUnderstood,
    /// Not a statement of its own: a piece of one, or a node inside a
    /// PL/pgSQL or SQL function body.
    NotAStatement,
}

pub fn census(node: &NodeEnum) -> Census {
    match node {
        NodeEnum::CreateStmt(_)
        | NodeEnum::AlterTableStmt(_)
        | NodeEnum::IndexStmt(_)
        | NodeEnum::ViewStmt(_)
        | NodeEnum::CreateTableAsStmt(_)
        | NodeEnum::CreateSeqStmt(_)
        | NodeEnum::AlterSeqStmt(_)
        | NodeEnum::CreateSchemaStmt(_)
        | NodeEnum::CreateExtensionStmt(_)
        | NodeEnum::CreateEnumStmt(_)
        | NodeEnum::CompositeTypeStmt(_)
        | NodeEnum::CreateDomainStmt(_)
        | NodeEnum::AlterEnumStmt(_)
        | NodeEnum::CreateFunctionStmt(_)
        | NodeEnum::AlterFunctionStmt(_)
        | NodeEnum::CreateTrigStmt(_)
        | NodeEnum::CreatePolicyStmt(_)
        | NodeEnum::AlterPolicyStmt(_)
        | NodeEnum::CreatePublicationStmt(_)
        | NodeEnum::AlterPublicationStmt(_)
        | NodeEnum::CreateRoleStmt(_)
        | NodeEnum::GrantRoleStmt(_)
        | NodeEnum::DropStmt(_)
        | NodeEnum::RenameStmt(_)
        | NodeEnum::CommentStmt(_)
        | NodeEnum::AlterOwnerStmt(_)
        | NodeEnum::AlterObjectSchemaStmt(_)
        | NodeEnum::GrantStmt(_)
        | NodeEnum::InsertStmt(_)
        | NodeEnum::UpdateStmt(_)
        | NodeEnum::DeleteStmt(_)
        | NodeEnum::TruncateStmt(_)
        | NodeEnum::SelectStmt(_)
        | NodeEnum::DoStmt(_)
        | NodeEnum::CreateForeignServerStmt(_)
        | NodeEnum::CreateForeignTableStmt(_)
        | NodeEnum::TransactionStmt(_)
        | NodeEnum::VariableSetStmt(_)
        | NodeEnum::RefreshMatViewStmt(_)
        | NodeEnum::VacuumStmt(_)
        | NodeEnum::CreateEventTrigStmt(_)
        | NodeEnum::MergeStmt(_)
        | NodeEnum::AlterCollationStmt(_)
        | NodeEnum::AlterDomainStmt(_)
        | NodeEnum::AlterDefaultPrivilegesStmt(_)
        | NodeEnum::CopyStmt(_)
        | NodeEnum::AlterExtensionStmt(_)
        | NodeEnum::AlterExtensionContentsStmt(_)
        | NodeEnum::CreateFdwStmt(_)
        | NodeEnum::AlterForeignServerStmt(_)
        | NodeEnum::CreateUserMappingStmt(_)
        | NodeEnum::AlterUserMappingStmt(_)
        | NodeEnum::DropUserMappingStmt(_)
        | NodeEnum::AlterEventTrigStmt(_)
        | NodeEnum::AlterRoleStmt(_)
        | NodeEnum::AlterRoleSetStmt(_)
        | NodeEnum::DropRoleStmt(_)
        | NodeEnum::DefineStmt(_)
        | NodeEnum::CreateOpClassStmt(_)
        | NodeEnum::CreateOpFamilyStmt(_)
        | NodeEnum::AlterOpFamilyStmt(_)
        | NodeEnum::SecLabelStmt(_)
        | NodeEnum::DeclareCursorStmt(_)
        | NodeEnum::CreateStatsStmt(_)
        | NodeEnum::AlterStatsStmt(_)
        | NodeEnum::CallStmt(_)
        | NodeEnum::AlterOperatorStmt(_)
        | NodeEnum::AlterTypeStmt(_)
        | NodeEnum::RuleStmt(_)
        | NodeEnum::CreateRangeStmt(_)
        | NodeEnum::ClusterStmt(_)
        | NodeEnum::ExplainStmt(_)
        | NodeEnum::LockStmt(_)
        | NodeEnum::ReindexStmt(_)
        | NodeEnum::CreateCastStmt(_)
        | NodeEnum::PrepareStmt(_)
        | NodeEnum::ReassignOwnedStmt(_)
        | NodeEnum::CreateSubscriptionStmt(_)
        | NodeEnum::AlterSubscriptionStmt(_)
        | NodeEnum::DropSubscriptionStmt(_) => Census::Modelled,
        NodeEnum::VariableShowStmt(_)
        | NodeEnum::ClosePortalStmt(_)
        | NodeEnum::FetchStmt(_)
        | NodeEnum::NotifyStmt(_)
        | NodeEnum::ListenStmt(_)
        | NodeEnum::UnlistenStmt(_)
        | NodeEnum::CheckPointStmt(_)
        | NodeEnum::DiscardStmt(_)
        | NodeEnum::ConstraintsSetStmt(_)
        | NodeEnum::DeallocateStmt(_)
        | NodeEnum::LoadStmt(_) => Census::NoSchemaEffect,
        NodeEnum::ReplicaIdentityStmt(_)
        | NodeEnum::CreateTableSpaceStmt(_)
        | NodeEnum::DropTableSpaceStmt(_)
        | NodeEnum::AlterTableSpaceOptionsStmt(_)
        | NodeEnum::AlterTableMoveAllStmt(_)
        | NodeEnum::AlterFdwStmt(_)
        | NodeEnum::ImportForeignSchemaStmt(_)
        | NodeEnum::CreateAmStmt(_)
        | NodeEnum::CreatePlangStmt(_)
        | NodeEnum::AlterObjectDependsStmt(_)
        | NodeEnum::CreatedbStmt(_)
        | NodeEnum::AlterDatabaseStmt(_)
        | NodeEnum::AlterDatabaseRefreshCollStmt(_)
        | NodeEnum::AlterDatabaseSetStmt(_)
        | NodeEnum::DropdbStmt(_)
        | NodeEnum::AlterSystemStmt(_)
        | NodeEnum::CreateConversionStmt(_)
        | NodeEnum::CreateTransformStmt(_)
        | NodeEnum::ExecuteStmt(_)
        | NodeEnum::DropOwnedStmt(_)
        | NodeEnum::AlterTsdictionaryStmt(_)
        | NodeEnum::AlterTsconfigurationStmt(_) => Census::NotUnderstood,
        NodeEnum::RawStmt(_)
        | NodeEnum::SetOperationStmt(_)
        | NodeEnum::ReturnStmt(_)
        | NodeEnum::PlassignStmt(_) => Census::NotAStatement,
        NodeEnum::Alias(_)
        | NodeEnum::RangeVar(_)
        | NodeEnum::TableFunc(_)
        | NodeEnum::IntoClause(_)
        | NodeEnum::Var(_)
        | NodeEnum::Param(_)
        | NodeEnum::Aggref(_)
        | NodeEnum::GroupingFunc(_)
        | NodeEnum::WindowFunc(_)
        | NodeEnum::WindowFuncRunCondition(_)
        | NodeEnum::MergeSupportFunc(_)
        | NodeEnum::SubscriptingRef(_)
        | NodeEnum::FuncExpr(_)
        | NodeEnum::NamedArgExpr(_)
        | NodeEnum::OpExpr(_)
        | NodeEnum::DistinctExpr(_)
        | NodeEnum::NullIfExpr(_)
        | NodeEnum::ScalarArrayOpExpr(_)
        | NodeEnum::BoolExpr(_)
        | NodeEnum::SubLink(_)
        | NodeEnum::SubPlan(_)
        | NodeEnum::AlternativeSubPlan(_)
        | NodeEnum::FieldSelect(_)
        | NodeEnum::FieldStore(_)
        | NodeEnum::RelabelType(_)
        | NodeEnum::CoerceViaIo(_)
        | NodeEnum::ArrayCoerceExpr(_)
        | NodeEnum::ConvertRowtypeExpr(_)
        | NodeEnum::CollateExpr(_)
        | NodeEnum::CaseExpr(_)
        | NodeEnum::CaseWhen(_)
        | NodeEnum::CaseTestExpr(_)
        | NodeEnum::ArrayExpr(_)
        | NodeEnum::RowExpr(_)
        | NodeEnum::RowCompareExpr(_)
        | NodeEnum::CoalesceExpr(_)
        | NodeEnum::MinMaxExpr(_)
        | NodeEnum::SqlvalueFunction(_)
        | NodeEnum::XmlExpr(_)
        | NodeEnum::JsonFormat(_)
        | NodeEnum::JsonReturning(_)
        | NodeEnum::JsonValueExpr(_)
        | NodeEnum::JsonConstructorExpr(_)
        | NodeEnum::JsonIsPredicate(_)
        | NodeEnum::JsonBehavior(_)
        | NodeEnum::JsonExpr(_)
        | NodeEnum::JsonTablePath(_)
        | NodeEnum::JsonTablePathScan(_)
        | NodeEnum::JsonTableSiblingJoin(_)
        | NodeEnum::NullTest(_)
        | NodeEnum::BooleanTest(_)
        | NodeEnum::MergeAction(_)
        | NodeEnum::CoerceToDomain(_)
        | NodeEnum::CoerceToDomainValue(_)
        | NodeEnum::SetToDefault(_)
        | NodeEnum::CurrentOfExpr(_)
        | NodeEnum::NextValueExpr(_)
        | NodeEnum::InferenceElem(_)
        | NodeEnum::ReturningExpr(_)
        | NodeEnum::TargetEntry(_)
        | NodeEnum::RangeTblRef(_)
        | NodeEnum::JoinExpr(_)
        | NodeEnum::FromExpr(_)
        | NodeEnum::OnConflictExpr(_)
        | NodeEnum::Query(_)
        | NodeEnum::TypeName(_)
        | NodeEnum::ColumnRef(_)
        | NodeEnum::ParamRef(_)
        | NodeEnum::AExpr(_)
        | NodeEnum::TypeCast(_)
        | NodeEnum::CollateClause(_)
        | NodeEnum::RoleSpec(_)
        | NodeEnum::FuncCall(_)
        | NodeEnum::AStar(_)
        | NodeEnum::AIndices(_)
        | NodeEnum::AIndirection(_)
        | NodeEnum::AArrayExpr(_)
        | NodeEnum::ResTarget(_)
        | NodeEnum::MultiAssignRef(_)
        | NodeEnum::SortBy(_)
        | NodeEnum::WindowDef(_)
        | NodeEnum::RangeSubselect(_)
        | NodeEnum::RangeFunction(_)
        | NodeEnum::RangeTableFunc(_)
        | NodeEnum::RangeTableFuncCol(_)
        | NodeEnum::RangeTableSample(_)
        | NodeEnum::ColumnDef(_)
        | NodeEnum::TableLikeClause(_)
        | NodeEnum::IndexElem(_)
        | NodeEnum::DefElem(_)
        | NodeEnum::LockingClause(_)
        | NodeEnum::XmlSerialize(_)
        | NodeEnum::PartitionElem(_)
        | NodeEnum::PartitionSpec(_)
        | NodeEnum::PartitionBoundSpec(_)
        | NodeEnum::PartitionRangeDatum(_)
        | NodeEnum::PartitionCmd(_)
        | NodeEnum::RangeTblEntry(_)
        | NodeEnum::RtepermissionInfo(_)
        | NodeEnum::RangeTblFunction(_)
        | NodeEnum::TableSampleClause(_)
        | NodeEnum::WithCheckOption(_)
        | NodeEnum::SortGroupClause(_)
        | NodeEnum::GroupingSet(_)
        | NodeEnum::WindowClause(_)
        | NodeEnum::RowMarkClause(_)
        | NodeEnum::WithClause(_)
        | NodeEnum::InferClause(_)
        | NodeEnum::OnConflictClause(_)
        | NodeEnum::CtesearchClause(_)
        | NodeEnum::CtecycleClause(_)
        | NodeEnum::CommonTableExpr(_)
        | NodeEnum::MergeWhenClause(_)
        | NodeEnum::ReturningOption(_)
        | NodeEnum::ReturningClause(_)
        | NodeEnum::TriggerTransition(_)
        | NodeEnum::JsonOutput(_)
        | NodeEnum::JsonArgument(_)
        | NodeEnum::JsonFuncExpr(_)
        | NodeEnum::JsonTablePathSpec(_)
        | NodeEnum::JsonTable(_)
        | NodeEnum::JsonTableColumn(_)
        | NodeEnum::JsonKeyValue(_)
        | NodeEnum::JsonParseExpr(_)
        | NodeEnum::JsonScalarExpr(_)
        | NodeEnum::JsonSerializeExpr(_)
        | NodeEnum::JsonObjectConstructor(_)
        | NodeEnum::JsonArrayConstructor(_)
        | NodeEnum::JsonArrayQueryConstructor(_)
        | NodeEnum::JsonAggConstructor(_)
        | NodeEnum::JsonObjectAgg(_)
        | NodeEnum::JsonArrayAgg(_)
        | NodeEnum::AlterTableCmd(_)
        | NodeEnum::AtalterConstraint(_)
        | NodeEnum::ObjectWithArgs(_)
        | NodeEnum::AccessPriv(_)
        | NodeEnum::Constraint(_)
        | NodeEnum::CreateOpClassItem(_)
        | NodeEnum::StatsElem(_)
        | NodeEnum::FunctionParameter(_)
        | NodeEnum::InlineCodeBlock(_)
        | NodeEnum::CallContext(_)
        | NodeEnum::VacuumRelation(_)
        | NodeEnum::PublicationTable(_)
        | NodeEnum::PublicationObjSpec(_)
        | NodeEnum::Integer(_)
        | NodeEnum::Float(_)
        | NodeEnum::Boolean(_)
        | NodeEnum::String(_)
        | NodeEnum::BitString(_)
        | NodeEnum::List(_)
        | NodeEnum::IntList(_)
        | NodeEnum::OidList(_)
        | NodeEnum::AConst(_) => Census::NotAStatement,
    }
}

/// One warning per kind of statement not understood in each planned file:
/// how many, and where the first is.
pub(crate) fn not_understood(loaded: &Loaded, files: &[usize]) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for &file in files {
        let file = &loaded.files[file];
        let mut kinds: BTreeMap<&str, (usize, &crate::analysis::parse::Statement)> =
            BTreeMap::new();
        for &unit in &file.units {
            let unit = &loaded.units[unit];
            if census(&unit.statement.node) == Census::NotUnderstood {
                kinds
                    .entry(unit.facts.words.as_str())
                    .or_insert((0, &unit.statement))
                    .0 += 1;
            }
        }
        for (kind, (count, first)) in kinds {
            let statements = match count {
                1 => "1 statement".to_string(),
                n => format!("{n} statements, the first here"),
            };
            warnings.push(Diagnostic {
                severity: Severity::Warning,
                code: codes::NOT_UNDERSTOOD.into(),
                message: format!("not understood: {kind} ({statements}); kept in its file's order"),
                file: file.name.clone(),
                line: first.start.line,
                column: first.start.column,
                help: "Preflight does not know what it needs or makes: if other statements depend on it, or it on them, check its place in the plan".into(),
                related: Vec::new(),
            rule: None,
fix: None,
});
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::parse::parse_text;
    use crate::analysis::source::Source;
    use crate::plan::plan;

    /// One statement of every kind PostgreSQL's grammar has at the top level.
    const EXAMPLES: &[(&str, &str)] = &[
        ("InsertStmt", "insert into t values (1)"),
        ("DeleteStmt", "delete from t"),
        ("UpdateStmt", "update t set a = 1"),
        (
            "MergeStmt",
            "merge into t using u on t.id = u.id when matched then do nothing",
        ),
        ("SelectStmt", "select 1"),
        ("CreateSchemaStmt", "create schema s"),
        ("AlterTableStmt", "alter table t add column b int"),
        ("ReplicaIdentityStmt", ""),
        ("AlterCollationStmt", "alter collation c refresh version"),
        ("AlterDomainStmt", "alter domain d set not null"),
        ("GrantStmt", "grant select on t to anon"),
        ("GrantRoleStmt", "grant r to anon"),
        (
            "AlterDefaultPrivilegesStmt",
            "alter default privileges in schema public grant select on tables to anon",
        ),
        ("CopyStmt", "copy t from stdin"),
        ("VariableSetStmt", "set search_path = public"),
        ("VariableShowStmt", "show search_path"),
        ("CreateStmt", "create table t (id int)"),
        (
            "CreateTableSpaceStmt",
            "create tablespace ts location '/tmp'",
        ),
        ("DropTableSpaceStmt", "drop tablespace ts"),
        (
            "AlterTableSpaceOptionsStmt",
            "alter tablespace ts set (seq_page_cost = 1)",
        ),
        (
            "AlterTableMoveAllStmt",
            "alter table all in tablespace ts set tablespace pg_default",
        ),
        ("CreateExtensionStmt", "create extension pgcrypto"),
        ("AlterExtensionStmt", "alter extension pgcrypto update"),
        (
            "AlterExtensionContentsStmt",
            "alter extension pgcrypto add function f()",
        ),
        ("CreateFdwStmt", "create foreign data wrapper w"),
        (
            "AlterFdwStmt",
            "alter foreign data wrapper w options (add a '1')",
        ),
        (
            "CreateForeignServerStmt",
            "create server s foreign data wrapper w",
        ),
        (
            "AlterForeignServerStmt",
            "alter server s options (add a '1')",
        ),
        (
            "CreateForeignTableStmt",
            "create foreign table f (id int) server s",
        ),
        (
            "CreateUserMappingStmt",
            "create user mapping for current_user server s",
        ),
        (
            "AlterUserMappingStmt",
            "alter user mapping for current_user server s options (add a '1')",
        ),
        (
            "DropUserMappingStmt",
            "drop user mapping for current_user server s",
        ),
        (
            "ImportForeignSchemaStmt",
            "import foreign schema r from server s into public",
        ),
        ("CreatePolicyStmt", "create policy p on t using (true)"),
        ("AlterPolicyStmt", "alter policy p on t using (false)"),
        (
            "CreateAmStmt",
            "create access method a type table handler h",
        ),
        (
            "CreateTrigStmt",
            "create trigger g after insert on t for each row execute function f()",
        ),
        (
            "CreateEventTrigStmt",
            "create event trigger e on ddl_command_end execute function f()",
        ),
        ("AlterEventTrigStmt", "alter event trigger e disable"),
        (
            "CreatePlangStmt",
            "create language pl handler pl_call_handler",
        ),
        ("CreateRoleStmt", "create role r"),
        ("AlterRoleStmt", "alter role r login"),
        ("AlterRoleSetStmt", "alter role r set statement_timeout = 0"),
        ("DropRoleStmt", "drop role r"),
        ("CreateSeqStmt", "create sequence q"),
        ("AlterSeqStmt", "alter sequence q restart"),
        (
            "DefineStmt",
            "create aggregate a (int) (sfunc = int4pl, stype = int)",
        ),
        (
            "CreateDomainStmt",
            "create domain d as int check (value > 0)",
        ),
        (
            "CreateOpClassStmt",
            "create operator class c for type int using btree as operator 1 <",
        ),
        ("CreateOpFamilyStmt", "create operator family o using btree"),
        (
            "AlterOpFamilyStmt",
            "alter operator family o using btree add operator 1 < (int, int)",
        ),
        ("DropStmt", "drop table t"),
        ("TruncateStmt", "truncate t"),
        ("CommentStmt", "comment on table t is 'x'"),
        ("SecLabelStmt", "security label on table t is 'x'"),
        ("DeclareCursorStmt", "declare c cursor for select 1"),
        ("ClosePortalStmt", "close c"),
        ("FetchStmt", "fetch next from c"),
        ("IndexStmt", "create index i on t (id)"),
        ("CreateStatsStmt", "create statistics st on a, b from t"),
        ("AlterStatsStmt", "alter statistics st set statistics 100"),
        (
            "CreateFunctionStmt",
            "create function f() returns int language sql as 'select 1'",
        ),
        ("AlterFunctionStmt", "alter function f() stable"),
        ("DoStmt", "do $$ begin end $$"),
        ("CallStmt", "call p()"),
        ("RenameStmt", "alter table t rename to u"),
        (
            "AlterObjectDependsStmt",
            "alter function f() depends on extension e",
        ),
        ("AlterObjectSchemaStmt", "alter table t set schema s"),
        ("AlterOwnerStmt", "alter function f() owner to r"),
        (
            "AlterOperatorStmt",
            "alter operator < (int, int) set (restrict = scalarltsel)",
        ),
        ("AlterTypeStmt", "alter type ty set (send = f)"),
        (
            "RuleStmt",
            "create rule r as on insert to t do instead nothing",
        ),
        ("NotifyStmt", "notify ch"),
        ("ListenStmt", "listen ch"),
        ("UnlistenStmt", "unlisten ch"),
        ("TransactionStmt", "begin"),
        ("CompositeTypeStmt", "create type ty as (a int)"),
        ("CreateEnumStmt", "create type e as enum ('a')"),
        ("CreateRangeStmt", "create type r as range (subtype = int)"),
        ("AlterEnumStmt", "alter type e add value 'b'"),
        ("ViewStmt", "create view v as select 1"),
        ("LoadStmt", "load 'auto_explain'"),
        ("CreatedbStmt", "create database d"),
        ("AlterDatabaseStmt", "alter database d connection limit 1"),
        (
            "AlterDatabaseRefreshCollStmt",
            "alter database d refresh collation version",
        ),
        (
            "AlterDatabaseSetStmt",
            "alter database d set timezone = 'UTC'",
        ),
        ("DropdbStmt", "drop database d"),
        ("AlterSystemStmt", "alter system set work_mem = '4MB'"),
        ("ClusterStmt", "cluster t using i"),
        ("VacuumStmt", "vacuum t"),
        ("ExplainStmt", "explain select 1"),
        ("CreateTableAsStmt", "create table t2 as select 1"),
        ("RefreshMatViewStmt", "refresh materialized view m"),
        ("CheckPointStmt", "checkpoint"),
        ("DiscardStmt", "discard all"),
        ("LockStmt", "lock table t"),
        ("ConstraintsSetStmt", "set constraints all deferred"),
        ("ReindexStmt", "reindex table t"),
        (
            "CreateConversionStmt",
            "create conversion cv for 'LATIN1' to 'UTF8' from iso8859_1_to_utf8",
        ),
        (
            "CreateCastStmt",
            "create cast (int as text) with function f(int)",
        ),
        (
            "CreateTransformStmt",
            "create transform for int language plperl (from sql with function f(internal))",
        ),
        ("PrepareStmt", "prepare q as select 1"),
        ("ExecuteStmt", "execute q"),
        ("DeallocateStmt", "deallocate q"),
        ("DropOwnedStmt", "drop owned by r"),
        ("ReassignOwnedStmt", "reassign owned by r to postgres"),
        (
            "AlterTsdictionaryStmt",
            "alter text search dictionary d (stopwords = 'english')",
        ),
        (
            "AlterTsconfigurationStmt",
            "alter text search configuration c add mapping for word with simple",
        ),
        ("CreatePublicationStmt", "create publication pb for table t"),
        ("AlterPublicationStmt", "alter publication pb add table u"),
        (
            "CreateSubscriptionStmt",
            "create subscription sb connection 'host=x' publication pb",
        ),
        ("AlterSubscriptionStmt", "alter subscription sb disable"),
        ("DropSubscriptionStmt", "drop subscription sb"),
    ];

    fn variant(node: &NodeEnum) -> String {
        let value = serde_json::to_value(node).expect("nodes serialize");
        value
            .as_object()
            .and_then(|o| o.keys().next().cloned())
            .unwrap_or_default()
    }

    #[test]
    fn every_kind_of_statement_is_placed_and_each_not_understood_one_is_said() {
        let mut kinds = std::collections::BTreeSet::new();
        for &(kind, sql) in EXAMPLES {
            // REPLICA IDENTITY is written as ALTER TABLE; the node exists for
            // the parser's own use.
            if sql.is_empty() {
                continue;
            }
            let parsed = parse_text(sql);
            assert!(parsed.errors.is_empty(), "{sql}: {:?}", parsed.errors);
            let [statement] = &parsed.statements[..] else {
                panic!("{sql}: one statement expected");
            };
            assert_eq!(variant(&statement.node), kind, "{sql}");
            assert!(kinds.insert(kind), "{kind} twice");
            let placed = census(&statement.node);
            assert_ne!(placed, Census::NotAStatement, "{sql}");
            let warned = plan(&[Source::new("1.sql", format!("{sql};"))], &[])
                .diagnostics
                .iter()
                .any(|d| d.code == codes::NOT_UNDERSTOOD);
            assert_eq!(warned, placed == Census::NotUnderstood, "{sql}");
        }
        // Every statement kind of the grammar but the four that only occur
        // inside another (RawStmt, SetOperationStmt, ReturnStmt,
        // PlassignStmt) and ReplicaIdentityStmt.
        assert_eq!(kinds.len(), 112);
    }

    #[test]
    fn statements_not_understood_are_said_once_per_kind_and_file() {
        let plan = plan(
            &[Source::new(
                "1.sql",
                "create table t (id int);\nalter system set work_mem = '8MB';\nalter system set work_mem = '16MB';\ndrop owned by anon;\n",
            )],
            &[],
        );
        let warnings: Vec<(u32, &str)> = plan
            .diagnostics
            .iter()
            .filter(|d| d.code == codes::NOT_UNDERSTOOD)
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert_eq!(
            warnings,
            [
                (2, "not understood: alter system (2 statements, the first here); kept in its file's order"),
                (4, "not understood: drop owned (1 statement); kept in its file's order"),
            ]
        );
    }
}
