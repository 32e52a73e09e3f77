//! Statements that name an existing object the generic way: DROP, RENAME,
//! COMMENT ON, ALTER ... OWNER TO, ALTER ... SET SCHEMA.
use pg_query::protobuf::{self, Node, RangeVar};
use pg_query::NodeEnum;

use super::{object_type_words, Analysis};
use crate::analysis::facts::{
    Action::{self, *},
    ObjectKind as K, ObjectRef,
};
use crate::analysis::names::{string_value, QualifiedName};

impl Analysis<'_> {
    pub(super) fn rename(&mut self, s: &protobuf::RenameStmt) -> String {
        self.out.tolerance.if_exists = s.missing_ok;
        let kind = K::from_object_type(s.rename_type);
        let words = format!("rename {}", object_type_words(s.rename_type));
        let old = match kind {
            K::Column | K::Constraint | K::Trigger | K::Policy if s.relation.is_some() => {
                let table = self.relation_name(s.relation.as_ref().expect("checked"));
                self.add(Reads, ObjectRef::new(K::Relation, table.clone()));
                ObjectRef::on(kind, &s.subname, table)
            }
            _ => match self.object_ref(s.rename_type, s.object.as_deref(), s.relation.as_ref()) {
                Some(object) => object,
                None => return words,
            },
        };
        let new = old.renamed(&s.newname);
        self.add(Renames, old);
        self.add(Creates, new);
        words
    }

    pub(super) fn object_node(
        &mut self,
        action: Action,
        object_type: i32,
        object: Option<&Node>,
        relation: Option<&RangeVar>,
    ) {
        if let Some(object) = self.object_ref(object_type, object, relation) {
            self.add(action, object);
        }
    }

    /// An object named the way DROP, COMMENT, GRANT, RENAME and ALTER ...
    /// OWNER name them: a relation, a list of identifiers, a function with
    /// arguments, a type name or a bare string.
    pub(super) fn object_ref(
        &self,
        object_type: i32,
        object: Option<&Node>,
        relation: Option<&RangeVar>,
    ) -> Option<ObjectRef> {
        let kind = match K::from_object_type(object_type) {
            K::Table => K::Relation,
            kind => kind,
        };
        if let Some(relation) = relation {
            return Some(ObjectRef::new(kind, self.relation_name(relation)));
        }
        let parts_of = |list: &[Node]| -> Option<(QualifiedName, String)> {
            let (name, table) = list.split_last()?;
            let table = QualifiedName::from_list(table)?.in_schema(self.schema);
            Some((table, string_value(name)?.to_string()))
        };
        match object?.node.as_ref()? {
            NodeEnum::List(list)
                if matches!(kind, K::Policy | K::Trigger | K::Column | K::Constraint) =>
            {
                let (table, name) = parts_of(&list.items)?;
                Some(ObjectRef::on(kind, &name, table))
            }
            NodeEnum::List(list) => {
                Some(self.qualified(kind, QualifiedName::from_list(&list.items)?))
            }
            NodeEnum::ObjectWithArgs(func) => {
                Some(self.qualified(kind, QualifiedName::from_list(&func.objname)?))
            }
            NodeEnum::TypeName(type_name) => {
                Some(self.qualified(kind, QualifiedName::from_list(&type_name.names)?))
            }
            NodeEnum::String(s) => Some(ObjectRef::new(kind, QualifiedName::new(None, &s.sval))),
            NodeEnum::RangeVar(range) => Some(ObjectRef::new(kind, self.relation_name(range))),
            _ => None,
        }
    }
}
