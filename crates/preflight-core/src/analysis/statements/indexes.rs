//! CREATE INDEX: the index, the columns and operator classes it uses, and
//! the key a unique index on plain columns makes.
use pg_query::protobuf;
use pg_query::NodeEnum;

use super::Analysis;
use crate::analysis::facts::{Action::*, ObjectKind as K, ObjectRef, Strength};
use crate::analysis::names::QualifiedName;
use crate::analysis::reads::Scope;

impl Analysis<'_> {
    pub(super) fn create_index(&mut self, s: &protobuf::IndexStmt) -> String {
        self.out.tolerance.if_not_exists = s.if_not_exists;
        self.out.concurrently = s.concurrent;
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
