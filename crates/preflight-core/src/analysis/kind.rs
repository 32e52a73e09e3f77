//! What kind of statement a statement is. Decisions are taken on this
//! enum; the statement's words ("create unique index concurrently") are for
//! people only.
use pg_query::protobuf::{ObjectType, TransactionStmtKind};
use pg_query::NodeEnum;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    // Tables, views, sequences (`statements/tables.rs`).
    CreateTable,
    CreateTableAs,
    CreateForeignTable,
    AlterTable,
    CreateView,
    CreateMaterializedView,
    RefreshMaterializedView,
    CreateSequence,
    AlterSequence,
    // Indexes and their upkeep (`statements/indexes.rs`, `data.rs`).
    CreateIndex,
    Reindex,
    Cluster,
    // Schemas, types, extensions and what plugs in.
    CreateSchema,
    CreateExtension,
    AlterExtension,
    CreateType,
    AlterType,
    CreateDomain,
    AlterDomain,
    ForeignDataWrapper,
    ForeignServer,
    UserMapping,
    Subscription,
    Statistics,
    // Routines and what runs code (`statements/routines.rs`).
    CreateFunction,
    AlterFunction,
    Call,
    Do,
    CreateTrigger,
    EventTrigger,
    CreateRule,
    CreateCast,
    /// Aggregates, operators, collations, base types (`DefineStmt`), and
    /// operator classes and families.
    DefineObject,
    // Security (`statements/security.rs`).
    CreatePolicy,
    AlterPolicy,
    CreateRole,
    AlterRole,
    DropRole,
    GrantRole,
    Grant,
    Revoke,
    AlterDefaultPrivileges,
    CreatePublication,
    AlterPublication,
    SecurityLabel,
    ReassignOwned,
    // Any object named the generic way (`statements/objects.rs`).
    Drop,
    Rename,
    Comment,
    ChangeOwner,
    ChangeSchema,
    // Rows (`statements/data.rs`).
    Insert,
    Update,
    Delete,
    Truncate,
    Merge,
    CopyFrom,
    CopyTo,
    Select,
    Lock,
    /// EXPLAIN, PREPARE, DECLARE CURSOR: a query planned, not run.
    PlanQuery,
    // The session.
    Begin,
    Commit,
    Rollback,
    Savepoint,
    Set,
    /// VACUUM and ANALYZE.
    Maintenance,
    /// Anything else: the census says whether it is understood.
    Other,
}

impl StatementKind {
    pub fn of(node: &NodeEnum) -> Self {
        use StatementKind as S;
        match node {
            NodeEnum::CreateStmt(_) => S::CreateTable,
            NodeEnum::CreateTableAsStmt(s) if s.objtype == ObjectType::ObjectMatview as i32 => {
                S::CreateMaterializedView
            }
            NodeEnum::CreateTableAsStmt(_) => S::CreateTableAs,
            NodeEnum::CreateForeignTableStmt(_) => S::CreateForeignTable,
            NodeEnum::AlterTableStmt(_) => S::AlterTable,
            NodeEnum::ViewStmt(_) => S::CreateView,
            NodeEnum::RefreshMatViewStmt(_) => S::RefreshMaterializedView,
            NodeEnum::CreateSeqStmt(_) => S::CreateSequence,
            NodeEnum::AlterSeqStmt(_) => S::AlterSequence,
            NodeEnum::IndexStmt(_) => S::CreateIndex,
            NodeEnum::ReindexStmt(_) => S::Reindex,
            NodeEnum::ClusterStmt(_) => S::Cluster,
            NodeEnum::CreateSchemaStmt(_) => S::CreateSchema,
            NodeEnum::CreateExtensionStmt(_) => S::CreateExtension,
            NodeEnum::AlterExtensionStmt(_) | NodeEnum::AlterExtensionContentsStmt(_) => {
                S::AlterExtension
            }
            NodeEnum::CreateEnumStmt(_)
            | NodeEnum::CompositeTypeStmt(_)
            | NodeEnum::CreateRangeStmt(_) => S::CreateType,
            NodeEnum::AlterEnumStmt(_) | NodeEnum::AlterTypeStmt(_) => S::AlterType,
            NodeEnum::CreateDomainStmt(_) => S::CreateDomain,
            NodeEnum::AlterDomainStmt(_) => S::AlterDomain,
            NodeEnum::CreateFdwStmt(_) => S::ForeignDataWrapper,
            NodeEnum::CreateForeignServerStmt(_) | NodeEnum::AlterForeignServerStmt(_) => {
                S::ForeignServer
            }
            NodeEnum::CreateUserMappingStmt(_)
            | NodeEnum::AlterUserMappingStmt(_)
            | NodeEnum::DropUserMappingStmt(_) => S::UserMapping,
            NodeEnum::CreateSubscriptionStmt(_)
            | NodeEnum::AlterSubscriptionStmt(_)
            | NodeEnum::DropSubscriptionStmt(_) => S::Subscription,
            NodeEnum::CreateStatsStmt(_) | NodeEnum::AlterStatsStmt(_) => S::Statistics,
            NodeEnum::CreateFunctionStmt(_) => S::CreateFunction,
            NodeEnum::AlterFunctionStmt(_) => S::AlterFunction,
            NodeEnum::CallStmt(_) => S::Call,
            NodeEnum::DoStmt(_) => S::Do,
            NodeEnum::CreateTrigStmt(_) => S::CreateTrigger,
            NodeEnum::CreateEventTrigStmt(_) | NodeEnum::AlterEventTrigStmt(_) => S::EventTrigger,
            NodeEnum::RuleStmt(_) => S::CreateRule,
            NodeEnum::CreateCastStmt(_) => S::CreateCast,
            NodeEnum::DefineStmt(_)
            | NodeEnum::CreateOpClassStmt(_)
            | NodeEnum::CreateOpFamilyStmt(_)
            | NodeEnum::AlterOpFamilyStmt(_)
            | NodeEnum::AlterOperatorStmt(_)
            | NodeEnum::AlterCollationStmt(_) => S::DefineObject,
            NodeEnum::CreatePolicyStmt(_) => S::CreatePolicy,
            NodeEnum::AlterPolicyStmt(_) => S::AlterPolicy,
            NodeEnum::CreateRoleStmt(_) => S::CreateRole,
            NodeEnum::AlterRoleStmt(_) | NodeEnum::AlterRoleSetStmt(_) => S::AlterRole,
            NodeEnum::DropRoleStmt(_) => S::DropRole,
            NodeEnum::GrantRoleStmt(_) => S::GrantRole,
            NodeEnum::GrantStmt(s) if s.is_grant => S::Grant,
            NodeEnum::GrantStmt(_) => S::Revoke,
            NodeEnum::AlterDefaultPrivilegesStmt(_) => S::AlterDefaultPrivileges,
            NodeEnum::CreatePublicationStmt(_) => S::CreatePublication,
            NodeEnum::AlterPublicationStmt(_) => S::AlterPublication,
            NodeEnum::SecLabelStmt(_) => S::SecurityLabel,
            NodeEnum::ReassignOwnedStmt(_) => S::ReassignOwned,
            NodeEnum::DropStmt(_) => S::Drop,
            NodeEnum::RenameStmt(_) => S::Rename,
            NodeEnum::CommentStmt(_) => S::Comment,
            NodeEnum::AlterOwnerStmt(_) => S::ChangeOwner,
            NodeEnum::AlterObjectSchemaStmt(_) => S::ChangeSchema,
            NodeEnum::InsertStmt(_) => S::Insert,
            NodeEnum::UpdateStmt(_) => S::Update,
            NodeEnum::DeleteStmt(_) => S::Delete,
            NodeEnum::TruncateStmt(_) => S::Truncate,
            NodeEnum::MergeStmt(_) => S::Merge,
            NodeEnum::CopyStmt(s) if s.is_from => S::CopyFrom,
            NodeEnum::CopyStmt(_) => S::CopyTo,
            NodeEnum::SelectStmt(_) => S::Select,
            NodeEnum::LockStmt(_) => S::Lock,
            NodeEnum::ExplainStmt(_)
            | NodeEnum::PrepareStmt(_)
            | NodeEnum::DeclareCursorStmt(_) => S::PlanQuery,
            NodeEnum::TransactionStmt(s) => {
                use TransactionStmtKind as T;
                match T::try_from(s.kind) {
                    Ok(T::TransStmtBegin | T::TransStmtStart) => S::Begin,
                    Ok(T::TransStmtCommit) => S::Commit,
                    Ok(T::TransStmtRollback) => S::Rollback,
                    _ => S::Savepoint,
                }
            }
            NodeEnum::VariableSetStmt(_) => S::Set,
            NodeEnum::VacuumStmt(_) => S::Maintenance,
            _ => S::Other,
        }
    }

    /// DML that changes rows.
    pub fn changes_data(self) -> bool {
        self.adds_rows() || matches!(self, Self::Update | Self::Delete | Self::Truncate)
    }

    /// DML that can add rows to a table.
    pub fn adds_rows(self) -> bool {
        matches!(self, Self::Insert | Self::CopyFrom | Self::Merge)
    }
}
