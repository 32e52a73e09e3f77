//! Which statements may run inside `BEGIN; ... COMMIT;`.
use pg_query::NodeEnum;

/// Why a statement cannot run inside a transaction block, if it cannot.
pub fn outside_transaction(node: &NodeEnum) -> Option<&'static str> {
    match node {
        NodeEnum::IndexStmt(s) if s.concurrent => Some("CREATE INDEX CONCURRENTLY"),
        NodeEnum::DropStmt(s) if s.concurrent => Some("DROP INDEX CONCURRENTLY"),
        NodeEnum::ReindexStmt(s) if s.params.iter().any(is_concurrently) => {
            Some("REINDEX CONCURRENTLY")
        }
        NodeEnum::VacuumStmt(s) if s.is_vacuumcmd => Some("VACUUM"),
        NodeEnum::AlterSystemStmt(_) => Some("ALTER SYSTEM"),
        NodeEnum::CreatedbStmt(_) => Some("CREATE DATABASE"),
        NodeEnum::DropdbStmt(_) => Some("DROP DATABASE"),
        NodeEnum::CreateTableSpaceStmt(_) => Some("CREATE TABLESPACE"),
        _ => None,
    }
}

fn is_concurrently(node: &pg_query::protobuf::Node) -> bool {
    matches!(&node.node, Some(NodeEnum::DefElem(def)) if def.defname == "concurrently")
}

/// Whether the statement is BEGIN, COMMIT, ROLLBACK or the like.
pub fn is_transaction_control(node: &NodeEnum) -> bool {
    matches!(node, NodeEnum::TransactionStmt(_))
}
