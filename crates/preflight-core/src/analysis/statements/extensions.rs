//! What plugs into PostgreSQL: extensions altered, foreign data wrappers
//! and servers, extended statistics, event triggers, subscriptions.
use pg_query::protobuf::{self, Node};
use pg_query::NodeEnum;

use super::{object_type_words, Analysis};
use crate::analysis::facts::{Action, ObjectKind as K, ObjectRef, Strength};
use crate::analysis::names::{string_value, QualifiedName};
use crate::environment::extension_contents;

use crate::analysis::facts::Action::*;

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

impl Analysis<'_> {
    /// The extension, and what it provides in its schema.
    pub(super) fn create_extension(&mut self, s: &protobuf::CreateExtensionStmt) {
        self.out.tolerance.if_not_exists = s.if_not_exists;
        self.named(Creates, K::Extension, &s.extname);
        let contents = extension_contents(&s.extname);
        let given_schema = s.options.iter().find_map(|option| match &option.node {
            Some(NodeEnum::DefElem(def)) if def.defname == "schema" => {
                def.arg.as_deref().and_then(string_value)
            }
            _ => None,
        });
        let schema = match (given_schema, contents.own_schema) {
            (_, Some(own)) => {
                self.named(Creates, K::Schema, own);
                own.to_string()
            }
            (Some(given), None) => {
                self.named(Reads, K::Schema, given);
                given.to_string()
            }
            (None, None) => self.schema.to_string(),
        };
        for (kind, name) in contents.objects {
            let object = ObjectRef::new(*kind, QualifiedName::new(Some(&schema), name));
            self.out.push(Creates, object, Strength::Hard);
        }
    }
}
