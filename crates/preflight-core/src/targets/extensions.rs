//! What plugs into PostgreSQL: extensions altered, foreign data wrappers
//! and servers, extended statistics, event triggers, subscriptions.
use pg_query::protobuf::{self, Node};
use pg_query::NodeEnum;

use super::{object_type_words, Analysis};
use crate::facts::{Action, ObjectKind as K};

use crate::facts::Action::*;

impl Analysis<'_> {
    pub(super) fn alter_extension_contents(
        &mut self,
        s: &protobuf::AlterExtensionContentsStmt,
    ) -> String {
        self.named(Alters, K::Extension, &s.extname);
        self.object_node(Reads, s.objtype, s.object.as_deref(), None);
        format!("alter extension: {}", object_type_words(s.objtype))
    }

    /// CREATE STATISTICS: on the tables of its FROM list.
    pub(super) fn create_statistics(&mut self, s: &protobuf::CreateStatsStmt) -> String {
        self.out.tolerance.if_not_exists = s.if_not_exists;
        self.listed(Creates, K::Other, &s.defnames);
        for relation in &s.relations {
            if let Some(NodeEnum::RangeVar(range)) = &relation.node {
                self.relation(Reads, K::Relation, Some(range));
            }
        }
        "create statistics".into()
    }

    /// A statement that does `action` to one object named by a list, and
    /// is described by `what`.
    pub(super) fn listed_as(
        &mut self,
        action: Action,
        kind: K,
        names: &[Node],
        what: &str,
    ) -> String {
        self.listed(action, kind, names);
        what.into()
    }

    /// A statement that does `action` to one object named by one word.
    pub(super) fn named_as(&mut self, action: Action, kind: K, name: &str, what: &str) -> String {
        self.named(action, kind, name);
        what.into()
    }
}
