//! Roles and privileges beyond GRANT: ALTER/DROP ROLE, REASSIGN OWNED,
//! ALTER DEFAULT PRIVILEGES, SECURITY LABEL, user mappings.
use pg_query::protobuf::{self, Node, RangeVar, RoleSpec, RoleSpecType};
use pg_query::NodeEnum;

use super::{object_type_words, Analysis};
use crate::analysis::facts::{Action, Change, Grantable, ObjectKind as K, ObjectRef, Strength};
use crate::analysis::names::{quote_ident, string_value, strings, QualifiedName};
use crate::analysis::reads::Scope;

use crate::analysis::facts::Action::*;

impl Analysis<'_> {
    /// A role named by `spec`; PUBLIC, CURRENT_USER and friends always
    /// exist.
    pub(super) fn role_spec(&mut self, action: Action, spec: &RoleSpec) {
        if spec.roletype == RoleSpecType::RolespecCstring as i32 {
            self.named(action, K::Role, &spec.rolename);
        }
    }

    pub(super) fn roles<'n>(&mut self, action: Action, roles: impl IntoIterator<Item = &'n Node>) {
        for role in roles {
            if let Some(NodeEnum::RoleSpec(spec)) = &role.node {
                self.role_spec(action, spec);
            }
        }
    }

    pub(super) fn drop_role(&mut self, s: &protobuf::DropRoleStmt) -> String {
        self.out.tolerance.if_exists = s.missing_ok;
        self.roles(Drops, &s.roles);
        "drop role".into()
    }

    pub(super) fn reassign_owned(&mut self, s: &protobuf::ReassignOwnedStmt) -> String {
        self.roles(Reads, &s.roles);
        if let Some(role) = &s.newrole {
            self.role_spec(Reads, role);
        }
        "reassign owned".into()
    }

    /// The schemas and roles it names, and the roles it grants to.
    pub(super) fn default_privileges(
        &mut self,
        s: &protobuf::AlterDefaultPrivilegesStmt,
    ) -> String {
        for option in &s.options {
            let Some(NodeEnum::DefElem(def)) = &option.node else {
                continue;
            };
            let Some(NodeEnum::List(list)) = def.arg.as_deref().and_then(|arg| arg.node.as_ref())
            else {
                continue;
            };
            match def.defname.as_str() {
                "schemas" => {
                    for schema in list.items.iter().filter_map(string_value) {
                        self.named(Reads, K::Schema, schema);
                    }
                }
                "roles" => self.roles(Reads, &list.items),
                _ => {}
            }
        }
        if let Some(grant) = &s.action {
            self.roles(Reads, &grant.grantees);
        }
        "alter default privileges".into()
    }

    pub(super) fn security_label(&mut self, s: &protobuf::SecLabelStmt) -> String {
        self.object_node(Alters, s.objtype, s.object.as_deref(), None);
        format!("security label on {}", object_type_words(s.objtype))
    }

    /// CREATE/ALTER/DROP USER MAPPING: the server and the role.
    pub(super) fn user_mapping(
        &mut self,
        user: Option<&RoleSpec>,
        server: &str,
        what: &str,
    ) -> String {
        self.named(Reads, K::Server, server);
        if let Some(user) = user {
            self.role_spec(Reads, user);
        }
        what.into()
    }
}

impl Analysis<'_> {
    /// USING and WITH CHECK: unqualified columns are the policy table's.
    pub(super) fn policy_expressions(
        &mut self,
        table: Option<QualifiedName>,
        expressions: [Option<&Node>; 2],
    ) {
        let scope = Scope::of_table(table);
        self.reads_in(expressions.into_iter().flatten(), scope, Strength::Hard);
    }

    pub(super) fn policy(
        &mut self,
        action: Action,
        name: &str,
        table: Option<&RangeVar>,
        roles: &[Node],
    ) -> Option<QualifiedName> {
        let table = self.relation(Reads, K::Relation, table)?;
        self.add(action, ObjectRef::on(K::Policy, name, table.clone()));
        self.roles(Reads, roles);
        Some(table)
    }

    pub(super) fn publication_objects(&mut self, objects: &[Node]) {
        for object in objects {
            if let Some(NodeEnum::PublicationObjSpec(spec)) = &object.node {
                if let Some(table) = &spec.pubtable {
                    self.relation(Reads, K::Table, table.relation.as_ref());
                }
                if !spec.name.is_empty() {
                    self.named(Reads, K::Schema, &spec.name);
                }
            }
        }
    }

    /// What a GRANT or REVOKE on named objects leaves: a privilege per
    /// object, role and privilege (and column, when it lists columns).
    /// Kinds the verification does not check (types, databases...) give
    /// none.
    fn privileges(&mut self, s: &protobuf::GrantStmt) {
        let roles: Vec<String> = (s.grantees.iter())
            .filter_map(|role| match &role.node {
                Some(NodeEnum::RoleSpec(spec)) => match RoleSpecType::try_from(spec.roletype) {
                    Ok(RoleSpecType::RolespecCstring) => Some(spec.rolename.clone()),
                    Ok(RoleSpecType::RolespecPublic) => Some("public".into()),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        // (privilege, columns); no privileges listed is ALL.
        let privileges: Vec<(Option<String>, Vec<String>)> = match s.privileges.is_empty() {
            true => vec![(None, Vec::new())],
            false => (s.privileges.iter())
                .filter_map(|privilege| match &privilege.node {
                    Some(NodeEnum::AccessPriv(p)) => Some((
                        Some(p.priv_name.to_uppercase()).filter(|name| !name.is_empty()),
                        strings(&p.cols),
                    )),
                    _ => None,
                })
                .collect(),
        };
        let kind = K::from_object_type(s.objtype);
        for object in &s.objects {
            let target = match (kind, &object.node) {
                (K::Table | K::Sequence, Some(NodeEnum::RangeVar(range))) => Grantable::Relation {
                    name: self.relation_name(range),
                },
                (K::Schema, Some(NodeEnum::String(schema))) => Grantable::Schema {
                    name: schema.sval.clone(),
                },
                (K::Function, Some(NodeEnum::ObjectWithArgs(function))) => {
                    let Some(name) = QualifiedName::from_list(&function.objname) else {
                        continue;
                    };
                    Grantable::Function {
                        name: name.in_schema(self.schema),
                        arguments: signature(function),
                    }
                }
                _ => continue,
            };
            for (privilege, columns) in &privileges {
                // A column list narrows a table's privilege to those columns.
                let on: Vec<Grantable> = match (&target, columns.is_empty()) {
                    (_, true) => vec![target.clone()],
                    (Grantable::Relation { name }, false) => (columns.iter())
                        .map(|column| Grantable::Column {
                            table: name.clone(),
                            column: column.clone(),
                        })
                        .collect(),
                    (_, false) => Vec::new(),
                };
                for (on, role) in on
                    .iter()
                    .flat_map(|on| roles.iter().map(move |role| (on, role)))
                {
                    self.out.changes.push(Change::Privilege {
                        on: on.clone(),
                        role: role.clone(),
                        privilege: privilege.clone(),
                        granted: s.is_grant,
                        grant_option: s.grant_option,
                    });
                }
            }
        }
    }

    pub(super) fn grant(&mut self, s: &protobuf::GrantStmt) -> String {
        let all_in_schema = s.targtype == protobuf::GrantTargetType::AclTargetAllInSchema as i32;
        for object in &s.objects {
            if all_in_schema {
                if let Some(schema) = string_value(object) {
                    self.named(Reads, K::Schema, schema);
                }
            } else {
                self.object_node(Alters, s.objtype, Some(object), None);
            }
        }
        self.roles(Reads, &s.grantees);
        if !all_in_schema {
            self.privileges(s);
        }
        let verb = if s.is_grant { "grant on" } else { "revoke on" };
        format!("{verb} {}", object_type_words(s.objtype))
    }
}

/// A function's argument types as PostgreSQL's names (`pg_catalog.int4`,
/// `public.mood[]`), when the statement lists them.
fn signature(function: &protobuf::ObjectWithArgs) -> Option<Vec<String>> {
    if function.args_unspecified {
        return None;
    }
    (function.objargs.iter())
        .map(|argument| match &argument.node {
            Some(NodeEnum::TypeName(type_name)) if !type_name.pct_type => {
                let names: Vec<String> = strings(&type_name.names)
                    .iter()
                    .map(|n| quote_ident(n).into_owned())
                    .collect();
                Some(names.join(".") + &"[]".repeat(type_name.array_bounds.len()))
            }
            _ => None,
        })
        .collect()
}
