//! The relations and functions a statement reads anywhere in its syntax tree
//! (subqueries, defaults, policy expressions, foreign keys...).
//!
//! PostgreSQL's tree has hundreds of node types; rather than a hand-written
//! visitor for each, this walks the tree's serde form, where every relation
//! reference has the shape of a `RangeVar` and every call is a `FuncCall`.
use pg_query::NodeEnum;
use serde_json::{Map, Value};

use crate::facts::{ObjectKind, ObjectRef};
use crate::names::{QualifiedName, DEFAULT_SCHEMA};

/// Every relation and function `node` refers to, in order of appearance,
/// each once.
pub fn collect_reads(node: &NodeEnum) -> Vec<ObjectRef> {
    let mut reads = Vec::new();
    if let Ok(tree) = serde_json::to_value(node) {
        walk(&tree, &mut reads);
    }
    reads
}

fn walk(value: &Value, reads: &mut Vec<ObjectRef>) {
    match value {
        Value::Array(items) => items.iter().for_each(|item| walk(item, reads)),
        Value::Object(fields) => {
            if let Some(read) = relation(fields).or_else(|| function_call(fields)) {
                if !reads.contains(&read) {
                    reads.push(read);
                }
            }
            fields.values().for_each(|field| walk(field, reads));
        }
        _ => {}
    }
}

/// A `RangeVar`, tagged or not (fields typed as `RangeVar` carry no tag).
fn relation(fields: &Map<String, Value>) -> Option<ObjectRef> {
    let relname = fields.get("relname")?.as_str()?;
    fields.get("relpersistence")?;
    let schema = match fields.get("schemaname").and_then(Value::as_str) {
        Some("") | None => DEFAULT_SCHEMA,
        Some(schema) => schema,
    };
    Some(ObjectRef {
        kind: ObjectKind::Table,
        name: QualifiedName::new(Some(schema), relname),
        on: None,
    })
}

fn function_call(fields: &Map<String, Value>) -> Option<ObjectRef> {
    let call = fields.get("FuncCall")?;
    let parts: Vec<&str> = call
        .get("funcname")?
        .as_array()?
        .iter()
        .filter_map(|part| part.pointer("/node/String/sval").and_then(Value::as_str))
        .collect();
    let name = match parts.as_slice() {
        [name] => QualifiedName::new(None, name),
        [.., schema, name] => QualifiedName::new(Some(schema), name),
        [] => return None,
    };
    Some(ObjectRef {
        kind: ObjectKind::Function,
        name,
        on: None,
    })
}
