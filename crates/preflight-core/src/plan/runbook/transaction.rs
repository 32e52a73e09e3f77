//! Which statements may run inside `BEGIN; ... COMMIT;`.
use pg_query::protobuf::TransactionStmtKind;
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

/// Whether the statement opens or commits a transaction block: the step's
/// own `BEGIN; ... COMMIT;` takes its place, so blocks never nest or dangle.
pub fn is_block_boundary(node: &NodeEnum) -> bool {
    use TransactionStmtKind as K;
    matches!(node, NodeEnum::TransactionStmt(s)
        if matches!(K::try_from(s.kind), Ok(K::TransStmtBegin | K::TransStmtStart | K::TransStmtCommit)))
}

/// Transaction control the step cannot take over (ROLLBACK, PREPARE
/// TRANSACTION...): such a step runs exactly as written. Savepoints work
/// inside the step's transaction.
fn is_other_transaction_control(node: &NodeEnum) -> bool {
    use TransactionStmtKind as K;
    matches!(node, NodeEnum::TransactionStmt(s)
        if !is_block_boundary(node)
            && !matches!(K::try_from(s.kind), Ok(K::TransStmtSavepoint | K::TransStmtRelease | K::TransStmtRollbackTo)))
}

/// Whether a step of these statements is wrapped in one transaction: none
/// of them refuses one, and the step's own BEGIN/COMMIT, if any, make one
/// block that the wrapping replaces. Several blocks stay as written: one
/// transaction around them all would change what they mean (`SET LOCAL`
/// and `set_config(..., true)` last until their block's COMMIT).
pub fn runs_in_transaction<'a>(nodes: impl Iterator<Item = &'a NodeEnum>) -> bool {
    use TransactionStmtKind as K;
    let mut boundaries = Vec::new();
    for node in nodes {
        if outside_transaction(node).is_some() || is_other_transaction_control(node) {
            return false;
        }
        if let NodeEnum::TransactionStmt(s) = node {
            if is_block_boundary(node) {
                boundaries.push(K::try_from(s.kind) == Ok(K::TransStmtCommit));
            }
        }
    }
    // At most one BEGIN, then at most one COMMIT.
    matches!(boundaries.as_slice(), [] | [false] | [true] | [false, true])
}

/// The value an `ALTER TYPE ... ADD VALUE` adds: it cannot be used until
/// that transaction commits.
pub fn added_enum_value(node: &NodeEnum) -> Option<&str> {
    match node {
        NodeEnum::AlterEnumStmt(s) if s.old_val.is_empty() => Some(&s.new_val),
        _ => None,
    }
}
