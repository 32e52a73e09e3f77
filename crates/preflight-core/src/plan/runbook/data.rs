//! What a data statement should leave: inserted rows found by a key given
//! as literals, updated rows holding their new literal values, deleted rows
//! gone, a truncated table empty. Where the values are not literal (a
//! query, a function call, COPY), what to check by hand.

use pg_query::protobuf::{self, a_const::Val, Node};
use pg_query::NodeEnum;

use super::history::Existing;
use super::verify::Expectation;
use crate::analysis::facts::{ObjectKind, ObjectRef};
use crate::analysis::kind::StatementKind;
use crate::analysis::names::{quote_ident, quote_literal, string_value, QualifiedName};
use crate::catalog::normal::expression_sql;
use crate::plan::load::Unit;

/// What to verify after a data statement.
pub enum DataCheck {
    Rows(RowCheck),
    /// Nothing literal to look up: what a person should check.
    ByHand(String),
}

/// A condition on a table's rows, and which later writes undo it.
#[derive(Clone)]
pub struct RowCheck {
    pub table: QualifiedName,
    pub expectation: Expectation,
    /// For inserted rows, the key they are found by: they stay checked
    /// through later inserts and updates of other columns. Without one,
    /// the check is that no row is some way (still to update, or deleted),
    /// which later deletes keep true.
    key: Option<Vec<String>>,
}

impl RowCheck {
    /// Whether `unit`, writing the table's rows after the check was made,
    /// may make it fail.
    pub fn undone_by(&self, unit: &Unit) -> bool {
        let node = &unit.statement.node;
        match &self.key {
            None => !matches!(node, NodeEnum::DeleteStmt(_) | NodeEnum::TruncateStmt(_)),
            Some(key) => match node {
                NodeEnum::InsertStmt(_) => false,
                NodeEnum::UpdateStmt(s) => {
                    (s.target_list.iter()).any(|target| match &target.node {
                        Some(NodeEnum::ResTarget(target)) => key.contains(&target.name),
                        _ => true,
                    })
                }
                _ => true,
            },
        }
    }
}

/// `existing`: what exists before the statement (the keys of its table).
pub fn data_check(unit: &Unit, existing: &Existing) -> Option<DataCheck> {
    let schema = unit.schema();
    let table_of = |range: Option<&protobuf::RangeVar>| {
        range.map(|range| QualifiedName::relation(range, schema).in_schema(schema))
    };
    let (table, check) = match &unit.statement.node {
        NodeEnum::InsertStmt(s) => {
            let table = table_of(s.relation.as_ref())?;
            let check = inserted(s, &table, existing).map(|(key, e)| (Some(key), e));
            let what = format!("the rows this INSERT added to {table}");
            (table, check.ok_or(what))
        }
        NodeEnum::UpdateStmt(s) => {
            let table = table_of(s.relation.as_ref())?;
            let check = s
                .from_clause
                .is_empty()
                .then(|| updated(s, &table))
                .flatten();
            let what = format!("the rows of {table} this UPDATE changed");
            (table, check.map(|e| (None, e)).ok_or(what))
        }
        NodeEnum::DeleteStmt(s) => {
            let table = table_of(s.relation.as_ref())?;
            let check = s
                .using_clause
                .is_empty()
                .then(|| deleted(s, &table))
                .flatten();
            let what = format!("that the rows of {table} this DELETE meant are gone");
            (table, check.map(|e| (None, e)).ok_or(what))
        }
        NodeEnum::TruncateStmt(s) if s.relations.len() == 1 => {
            let Some(NodeEnum::RangeVar(range)) = &s.relations[0].node else {
                return None;
            };
            let table = table_of(Some(range))?;
            let empty = Expectation {
                label: format!("{table} is empty"),
                condition: format!("NOT EXISTS (SELECT 1 FROM {table})"),
            };
            (table, Ok((None, empty)))
        }
        _ if unit.facts.kind.adds_rows() || unit.facts.kind == StatementKind::Truncate => {
            return Some(DataCheck::ByHand(format!(
                "the rows this {} changed",
                unit.facts.words
            )));
        }
        _ => return None,
    };
    Some(match check {
        Ok((key, expectation)) => DataCheck::Rows(RowCheck {
            table,
            expectation,
            key,
        }),
        Err(what) => DataCheck::ByHand(what),
    })
}

/// The inserted rows, by the first key of the table whose columns every
/// row gives as literals.
fn inserted(
    s: &protobuf::InsertStmt,
    table: &QualifiedName,
    existing: &Existing,
) -> Option<(Vec<String>, Expectation)> {
    let columns: Vec<&str> = (s.cols.iter())
        .filter_map(|column| match &column.node {
            Some(NodeEnum::ResTarget(target)) => Some(target.name.as_str()),
            _ => None,
        })
        .collect();
    let Some(NodeEnum::SelectStmt(select)) = s.select_stmt.as_ref()?.node.as_ref() else {
        return None;
    };
    // Values stay syntax trees until the key is known: only the key's are
    // written out (a seed row may carry many long values).
    let mut rows: Vec<Vec<Option<&Node>>> = (select.values_lists.iter())
        .map(|row| match &row.node {
            Some(NodeEnum::List(values)) => values.items.iter().map(Some).collect(),
            _ => Vec::new(),
        })
        .collect();
    // `INSERT ... SELECT 'a', 'b' [WHERE NOT EXISTS (...)]`: one row, or
    // none when it was there already; either way it is there after.
    if rows.is_empty() && select.from_clause.is_empty() && select.larg.is_none() {
        let values = (select.target_list.iter()).map(|target| match &target.node {
            Some(NodeEnum::ResTarget(target)) => target.val.as_deref(),
            _ => None,
        });
        rows.push(values.collect());
    }
    if rows.is_empty() {
        return None;
    }
    let mut keys: Vec<Vec<&str>> = (existing.iter())
        .map(|(object, ())| object)
        .filter(|object| object.kind == ObjectKind::Key && object.on.as_ref() == Some(table))
        .filter_map(ObjectRef::key_columns)
        .collect();
    keys.sort();
    let positions = keys.iter().find_map(|key| {
        let positions: Option<Vec<usize>> = (key.iter())
            .map(|column| columns.iter().position(|c| c == column))
            .collect();
        let positions = positions?;
        let literal = |row: &Vec<Option<&Node>>| {
            (positions.iter()).all(|&p| row.get(p).copied().flatten().is_some_and(is_literal))
        };
        rows.iter().all(literal).then_some(positions)
    })?;
    let key: Vec<&str> = positions.iter().map(|&p| columns[p]).collect();
    let mut tuples: Vec<String> = (rows.iter())
        .map(|row| {
            let values: Vec<String> = (positions.iter())
                .filter_map(|&p| row[p].and_then(literal))
                .collect();
            format!("({})", values.join(", "))
        })
        .collect();
    tuples.sort();
    tuples.dedup();
    let names: Vec<_> = key.iter().map(|c| quote_ident(c)).collect();
    let label = match tuples.as_slice() {
        [one] => format!(
            "the row of {table} with ({}) = {one} exists",
            key.join(", ")
        ),
        many => format!(
            "the {} rows inserted into {table} exist (by {})",
            many.len(),
            key.join(", ")
        ),
    };
    let expectation = Expectation {
        label,
        condition: format!(
            "(SELECT count(*) FROM {table} WHERE ({}) IN ({})) = {}",
            names.join(", "),
            tuples.join(", "),
            tuples.len()
        ),
    };
    Some((key.iter().map(|c| c.to_string()).collect(), expectation))
}

/// Every row the WHERE clause picks holds the new literal values.
fn updated(s: &protobuf::UpdateStmt, table: &QualifiedName) -> Option<Expectation> {
    let mut differs = Vec::new();
    for target in &s.target_list {
        let Some(NodeEnum::ResTarget(target)) = &target.node else {
            return None;
        };
        if !target.indirection.is_empty() {
            return None;
        }
        let value = target.val.as_deref().and_then(literal)?;
        let column = quote_ident(&target.name);
        differs.push(format!("{column} IS DISTINCT FROM {value}"));
    }
    let filter = plain_filter(s.where_clause.as_deref())?;
    let picked = match &filter {
        Some(filter) => format!("rows of {table} where {filter}"),
        None => format!("every row of {table}"),
    };
    Some(Expectation {
        label: format!("{picked} hold the new values"),
        condition: format!(
            "NOT EXISTS (SELECT 1 FROM {table} WHERE {}({}))",
            filter.map_or(String::new(), |f| format!("({f}) AND ")),
            differs.join(" OR ")
        ),
    })
}

fn deleted(s: &protobuf::DeleteStmt, table: &QualifiedName) -> Option<Expectation> {
    let filter = plain_filter(s.where_clause.as_deref())?;
    let (label, condition) = match filter {
        Some(filter) => (
            format!("rows of {table} where {filter} are gone"),
            format!("NOT EXISTS (SELECT 1 FROM {table} WHERE {filter})"),
        ),
        None => (
            format!("{table} is empty"),
            format!("NOT EXISTS (SELECT 1 FROM {table})"),
        ),
    };
    Some(Expectation { label, condition })
}

/// The WHERE clause as SQL (`Some(None)` when there is none), if it picks
/// the same rows when run again: no function calls, no subqueries.
fn plain_filter(filter: Option<&Node>) -> Option<Option<String>> {
    let Some(filter) = filter else {
        return Some(None);
    };
    let tree = serde_json::to_string(filter).ok()?;
    let plain = [
        "\"FuncCall\"",
        "\"SubLink\"",
        "\"SQLValueFunction\"",
        "\"ParamRef\"",
    ]
    .iter()
    .all(|node| !tree.contains(node));
    plain.then(|| Some(expression_sql(filter)))
}

/// A constant (`'x'`, `42`, `true`, `'x'::uuid`; not null) as SQL.
fn literal(node: &Node) -> Option<String> {
    if !is_literal(node) {
        return None;
    }
    // Plain constants are written as the deparser would; casts go through it.
    let plain = match node.node.as_ref()? {
        NodeEnum::AConst(protobuf::AConst { val: Some(val), .. }) => match val {
            Val::Ival(i) => Some(i.ival.to_string()),
            Val::Fval(f) => Some(f.fval.clone()),
            Val::Boolval(b) => Some(b.boolval.to_string()),
            Val::Sval(s) => Some(quote_literal(&s.sval)),
            Val::Bsval(_) => None,
        },
        _ => None,
    };
    Some(plain.unwrap_or_else(|| expression_sql(node)))
}

fn is_literal(node: &Node) -> bool {
    match &node.node {
        Some(NodeEnum::AConst(constant)) => !constant.isnull,
        Some(NodeEnum::TypeCast(cast)) => {
            let names = cast.type_name.as_ref().map(|t| &t.names[..]).unwrap_or(&[]);
            let plain_type = names.iter().filter_map(string_value).all(|n| !n.is_empty());
            plain_type
                && matches!(
                    cast.arg.as_deref().and_then(|a| a.node.as_ref()),
                    Some(NodeEnum::AConst(_))
                )
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::normal::parse_expression;

    /// The rows a check looks up must be written exactly as PostgreSQL reads
    /// them back: the plain constants written here agree with the deparser.
    #[test]
    fn constants_are_written_as_the_deparser_writes_them() {
        for text in [
            "'plain'",
            "'it''s'",
            "E'back\\\\slash'",
            "'two\nlines'",
            "42",
            "-7",
            "3.25",
            "-0.5",
            "1e10",
            "true",
            "false",
            "'2024-01-01'::date",
        ] {
            let node = parse_expression(text).expect("an expression");
            assert_eq!(literal(&node), Some(expression_sql(&node)), "{text}");
        }
        let null = parse_expression("NULL").expect("an expression");
        assert_eq!(literal(&null), None);
    }
}
