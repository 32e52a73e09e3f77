//! Statements about rows and their upkeep: INSERT, UPDATE, DELETE,
//! TRUNCATE, SELECT, COPY, MERGE, LOCK, REINDEX, CLUSTER; those that plan a query without running it (EXPLAIN, PREPARE,
//! DECLARE); and rules, which rewrite the DML on a table.
use pg_query::protobuf::{self, Node};
use pg_query::NodeEnum;

use super::{analyze, constant_string, or_replace, Analysis};
use crate::analysis::facts::{ObjectKind as K, ObjectRef, Strength};
use crate::analysis::names::{string_value, QualifiedName};
use crate::analysis::reads::Scope;

use crate::analysis::facts::Action::*;

impl Analysis<'_> {
    pub(super) fn update(&mut self, s: &protobuf::UpdateStmt) -> String {
        let table = self.relation(Alters, K::Table, s.relation.as_ref());
        let scope = Scope::of_statement(
            table.clone(),
            s.relation.as_ref(),
            &s.from_clause,
            self.schema,
        );
        for target in &s.target_list {
            if let (Some(NodeEnum::ResTarget(target)), Some(table)) = (&target.node, &table) {
                self.add(Reads, ObjectRef::column(table.clone(), &target.name));
            }
        }
        self.reads_in(
            (s.target_list.iter())
                .chain(&s.from_clause)
                .chain(s.where_clause.as_deref()),
            scope,
            Strength::Hard,
        );
        "update".into()
    }

    pub(super) fn delete(&mut self, s: &protobuf::DeleteStmt) -> String {
        let table = self.relation(Alters, K::Table, s.relation.as_ref());
        let scope = Scope::of_statement(table, s.relation.as_ref(), &s.using_clause, self.schema);
        self.reads_in(
            s.using_clause.iter().chain(s.where_clause.as_deref()),
            scope,
            Strength::Hard,
        );
        "delete".into()
    }

    pub(super) fn truncate(&mut self, s: &protobuf::TruncateStmt) -> String {
        for relation in &s.relations {
            if let Some(NodeEnum::RangeVar(range)) = &relation.node {
                self.relation(Alters, K::Table, Some(range));
            }
        }
        "truncate".into()
    }

    pub(super) fn select(&mut self, node: &NodeEnum) -> String {
        let statement = Node {
            node: Some(node.clone()),
        };
        self.reads_in([&statement], Scope::default(), Strength::Hard);
        "select".into()
    }

    pub(super) fn copy(&mut self, s: &protobuf::CopyStmt) -> String {
        match (&s.relation, s.is_from) {
            (Some(range), true) => {
                if let Some(table) = self.relation(Alters, K::Table, Some(range)) {
                    for column in s.attlist.iter().filter_map(string_value) {
                        self.add(Reads, ObjectRef::column(table.clone(), column));
                    }
                }
                "copy from".into()
            }
            (Some(range), false) => {
                self.relation(Reads, K::Relation, Some(range));
                "copy to".into()
            }
            (None, _) => {
                self.inner_reads(s.query.as_deref());
                "copy to".into()
            }
        }
    }

    pub(super) fn merge(&mut self, s: &protobuf::MergeStmt) -> String {
        let table = self.relation(Alters, K::Table, s.relation.as_ref());
        let source: Vec<Node> = s
            .source_relation
            .iter()
            .map(|node| (**node).clone())
            .collect();
        let scope = Scope::of_statement(table, s.relation.as_ref(), &source, self.schema);
        let read = source
            .iter()
            .chain(s.join_condition.as_deref())
            .chain(&s.merge_when_clauses);
        self.reads_in(read, scope, Strength::Hard);
        "merge".into()
    }

    pub(super) fn lock(&mut self, s: &protobuf::LockStmt) -> String {
        for relation in &s.relations {
            if let Some(NodeEnum::RangeVar(range)) = &relation.node {
                self.relation(Reads, K::Relation, Some(range));
            }
        }
        "lock table".into()
    }

    /// REINDEX and CLUSTER need their table (or index).
    pub(super) fn upkeep(&mut self, relation: Option<&protobuf::RangeVar>, what: &str) -> String {
        self.relation(Reads, K::Relation, relation);
        what.into()
    }

    /// EXPLAIN, PREPARE, DECLARE: the query is planned, so everything it
    /// names must exist; it is not run (what EXPLAIN ANALYZE writes is not
    /// followed).
    pub(super) fn inner_reads(&mut self, inner: Option<&Node>) {
        let Some(node) = inner.and_then(|inner| inner.node.as_ref()) else {
            return;
        };
        let inner = analyze(node, &[self.schema.to_string()]);
        for fact in inner.facts {
            if fact.action.needs_existing() && fact.object.kind != K::Rows {
                self.out.push_with_alternatives(
                    Reads,
                    fact.object,
                    fact.strength,
                    fact.alternatives,
                );
            }
        }
    }

    /// A rule on a table, and the tables its actions write to (not the
    /// `new` and `old` rows it sees).
    pub(super) fn rule(&mut self, s: &protobuf::RuleStmt) -> String {
        self.out.tolerance.or_replace = s.replace;
        if let Some(table) = self.relation(Reads, K::Relation, s.relation.as_ref()) {
            self.add(Creates, ObjectRef::on(K::Rule, &s.rulename, table));
        }
        for action in &s.actions {
            let target = match &action.node {
                Some(NodeEnum::InsertStmt(insert)) => insert.relation.as_ref(),
                Some(NodeEnum::UpdateStmt(update)) => update.relation.as_ref(),
                Some(NodeEnum::DeleteStmt(delete)) => delete.relation.as_ref(),
                _ => None,
            };
            let pseudo = |range: &&protobuf::RangeVar| {
                range.schemaname.is_empty() && matches!(range.relname.as_str(), "new" | "old")
            };
            if let Some(range) = target.filter(|range| !pseudo(range)) {
                self.relation(Reads, K::Relation, Some(range));
            }
        }
        or_replace(s.replace, "rule")
    }
}

impl Analysis<'_> {
    pub(super) fn insert(&mut self, s: &protobuf::InsertStmt) -> String {
        self.out.tolerance.on_conflict = s.on_conflict_clause.is_some();
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
