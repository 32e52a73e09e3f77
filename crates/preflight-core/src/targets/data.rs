//! Statements about rows and their upkeep: COPY, MERGE, LOCK, REINDEX,
//! CLUSTER; those that plan a query without running it (EXPLAIN, PREPARE,
//! DECLARE); and rules, which rewrite the DML on a table.
use pg_query::protobuf::{self, Node};
use pg_query::NodeEnum;

use super::{analyze, or_replace, Analysis};
use crate::facts::{ObjectKind as K, ObjectRef, Strength};
use crate::names::string_value;
use crate::reads::Scope;

use crate::facts::Action::*;

impl Analysis<'_> {
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
