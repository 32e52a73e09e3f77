//! Tables and what belongs to them: CREATE TABLE (columns, constraints,
//! the sequences of serial and identity columns), ALTER TABLE command by
//! command, and sequence options.
use pg_query::protobuf::{self, AlterTableType, ConstrType, Node, ObjectType, RangeVar};
use pg_query::NodeEnum;

use super::{object_type_words, Analysis};
use crate::analysis::facts::{
    Action::*, Change, ConstraintKind, ForeignKey, ObjectKind as K, ObjectRef, RowSecurity,
    Strength,
};
use crate::analysis::implicit_names::{constraint_name, object_name};
use crate::analysis::names::{string_value, QualifiedName};
use crate::analysis::reads::Scope;

impl Analysis<'_> {
    pub(super) fn create_table(&mut self, s: &protobuf::CreateStmt) -> String {
        self.out.tolerance.if_not_exists = s.if_not_exists;
        let Some(table) = self.relation(Creates, K::Table, s.relation.as_ref()) else {
            return "create table".into();
        };
        for parent in s.inh_relations.iter().filter_map(range_var) {
            let parent = self.relation_name(parent);
            self.add(Reads, ObjectRef::new(K::Relation, parent));
        }
        for element in &s.table_elts {
            match &element.node {
                Some(NodeEnum::ColumnDef(column)) => self.column_def(&table, column),
                Some(NodeEnum::Constraint(constraint)) => {
                    self.constraint(&table, constraint, None);
                }
                Some(NodeEnum::TableLikeClause(like)) => {
                    self.relation(Reads, K::Relation, like.relation.as_ref());
                }
                _ => {}
            }
        }
        if s.partbound.is_some() {
            "create table (partition)".into()
        } else {
            "create table".into()
        }
    }

    /// A column of CREATE TABLE or ADD COLUMN: its type, default and
    /// constraints, and the sequence a serial or identity column gets.
    pub(super) fn column_def(&mut self, table: &QualifiedName, column: &protobuf::ColumnDef) {
        self.add(Creates, ObjectRef::column(table.clone(), &column.colname));
        let mut type_name = None;
        if let Some(declared) = &column.type_name {
            type_name = declared.names.last().and_then(string_value);
            self.type_read(&declared.names);
        }
        let serial = type_name.is_some_and(|name| {
            matches!(
                name,
                "serial" | "bigserial" | "smallserial" | "serial2" | "serial4" | "serial8"
            )
        });
        let identity = column
            .constraints
            .iter()
            .filter_map(constraint)
            .any(|c| ConstrType::try_from(c.contype) == Ok(ConstrType::ConstrIdentity));
        if serial || identity {
            // PostgreSQL's name for it (before any clash suffix).
            let name = object_name(&table.name, Some(&column.colname), "seq");
            let sequence = QualifiedName::new(table.schema.as_deref(), &name);
            self.add(Creates, ObjectRef::new(K::Sequence, sequence));
        }
        for constraint in column.constraints.iter().filter_map(constraint) {
            self.constraint(table, constraint, Some(&column.colname));
        }
        self.reads_in(
            column.raw_default.as_deref(),
            Scope::default(),
            Strength::Hard,
        );
    }

    /// A table constraint (or a column's, with `column`): its name, and what
    /// a foreign key references. Returns the name, when it has one (NOT
    /// NULL and DEFAULT do not).
    pub(super) fn constraint(
        &mut self,
        table: &QualifiedName,
        c: &protobuf::Constraint,
        column: Option<&str>,
    ) -> Option<String> {
        // A made-up name is numbered past those made earlier in this
        // statement.
        let taken: Vec<String> = match c.conname.is_empty() {
            true => (self.out.facts.iter())
                .filter(|f| f.action == Creates && f.object.kind == K::Constraint)
                .map(|f| f.object.name.name.to_string())
                .collect(),
            false => Vec::new(),
        };
        let is_taken = |name: &str| taken.iter().any(|t| t == name);
        let name = constraint_name(&table.name, c, column, &is_taken);
        if let Some(name) = &name {
            self.add(Creates, ObjectRef::on(K::Constraint, name, table.clone()));
        }
        // A foreign key needs the referenced table's primary key, or the
        // unique key on the columns it names.
        let own_columns: Vec<&str> = match c.keys.is_empty() {
            true => column.into_iter().collect(),
            false => c.keys.iter().filter_map(string_value).collect(),
        };
        match ConstrType::try_from(c.contype) {
            Ok(ConstrType::ConstrForeign) => {
                if let Some(target) = self.relation(Reads, K::Relation, c.pktable.as_ref()) {
                    self.out.foreign_keys.push(ForeignKey {
                        table: table.clone(),
                        references: target.clone(),
                    });
                    let referenced: Vec<&str> =
                        c.pk_attrs.iter().filter_map(string_value).collect();
                    for key in &referenced {
                        self.add(Reads, ObjectRef::column(target.clone(), key));
                    }
                    self.add(
                        Reads,
                        ObjectRef::referenced_key(target.clone(), &referenced),
                    );
                }
                for key in c.fk_attrs.iter().filter_map(string_value) {
                    self.add(Reads, ObjectRef::column(table.clone(), key));
                }
            }
            Ok(kind @ (ConstrType::ConstrPrimary | ConstrType::ConstrUnique)) => {
                for key in c.keys.iter().filter_map(string_value) {
                    self.add(Reads, ObjectRef::column(table.clone(), key));
                }
                // `USING INDEX` names no columns: the index made that key.
                let primary = kind == ConstrType::ConstrPrimary;
                for key in ObjectRef::keys_made(table, &own_columns, primary) {
                    self.add(Creates, key);
                }
            }
            _ => {}
        }
        let scope = Scope::of_table(Some(table.clone()));
        self.reads_in(c.raw_expr.as_deref(), scope.clone(), Strength::Hard);
        self.reads_in(c.where_clause.as_deref(), scope, Strength::Hard);
        name
    }

    pub(super) fn alter_table(&mut self, s: &protobuf::AlterTableStmt) -> String {
        self.out.tolerance.if_exists = s.missing_ok;
        let kind = match ObjectType::try_from(s.objtype) {
            Ok(ObjectType::ObjectTable) => K::Relation,
            _ => K::from_object_type(s.objtype),
        };
        let Some(table) = self.relation(Alters, kind, s.relation.as_ref()) else {
            return "alter table".into();
        };
        let mut words = Vec::new();
        for cmd in s.cmds.iter().filter_map(|cmd| match &cmd.node {
            Some(NodeEnum::AlterTableCmd(cmd)) => Some(cmd),
            _ => None,
        }) {
            words.push(self.alter_table_cmd(&table, cmd));
        }
        words.dedup();
        match words.as_slice() {
            [single] => single.clone(),
            _ => format!("alter {}", object_type_words(s.objtype)),
        }
    }

    pub(super) fn alter_table_cmd(
        &mut self,
        table: &QualifiedName,
        cmd: &protobuf::AlterTableCmd,
    ) -> String {
        use AlterTableType as T;
        let column = || ObjectRef::column(table.clone(), &cmd.name);
        let subtype = T::try_from(cmd.subtype).unwrap_or(T::Undefined);
        match subtype {
            T::AtAddColumn => {
                if let Some(NodeEnum::ColumnDef(def)) =
                    cmd.def.as_ref().and_then(|d| d.node.as_ref())
                {
                    self.out.tolerance.if_not_exists |= cmd.missing_ok;
                    self.column_def(table, def);
                }
                "add column".into()
            }
            T::AtDropColumn => {
                self.out.tolerance.if_exists |= cmd.missing_ok;
                self.out.tolerance.cascade |= super::cascades(cmd.behavior);
                self.add(Drops, column());
                "drop column".into()
            }
            T::AtAlterColumnType => {
                self.add(Alters, column());
                self.out.changes.push(Change::ColumnType {
                    table: table.clone(),
                    column: cmd.name.clone(),
                });
                if let Some(NodeEnum::ColumnDef(def)) =
                    cmd.def.as_ref().and_then(|d| d.node.as_ref())
                {
                    if let Some(type_name) = &def.type_name {
                        self.type_read(&type_name.names);
                    }
                }
                "alter column type".into()
            }
            T::AtColumnDefault | T::AtSetNotNull | T::AtDropNotNull => {
                self.add(Alters, column());
                self.reads_in(cmd.def.as_deref(), Scope::default(), Strength::Hard);
                let (table, column) = (table.clone(), cmd.name.clone());
                self.out.changes.push(match subtype {
                    T::AtColumnDefault => Change::Default {
                        table,
                        column,
                        set: cmd.def.is_some(),
                    },
                    _ => Change::NotNull {
                        table,
                        column,
                        set: subtype == T::AtSetNotNull,
                    },
                });
                "alter column".into()
            }
            T::AtAddIdentity
            | T::AtSetIdentity
            | T::AtDropIdentity
            | T::AtSetExpression
            | T::AtDropExpression
            | T::AtSetStatistics
            | T::AtSetStorage => {
                self.add(Alters, column());
                self.reads_in(cmd.def.as_deref(), Scope::default(), Strength::Hard);
                "alter column".into()
            }
            T::AtAddConstraint => {
                if let Some(NodeEnum::Constraint(c)) =
                    cmd.def.as_ref().and_then(|d| d.node.as_ref())
                {
                    let kind = match ConstrType::try_from(c.contype) {
                        Ok(ConstrType::ConstrPrimary) => Some(ConstraintKind::PrimaryKey),
                        Ok(ConstrType::ConstrUnique) => Some(ConstraintKind::Unique),
                        Ok(ConstrType::ConstrForeign) => Some(ConstraintKind::ForeignKey),
                        Ok(ConstrType::ConstrCheck) => Some(ConstraintKind::Check),
                        Ok(ConstrType::ConstrExclusion) => Some(ConstraintKind::Exclusion),
                        _ => None,
                    };
                    let name = self.constraint(table, c, None);
                    if let (Some(name), Some(kind)) = (name, kind) {
                        self.out.changes.push(Change::AddConstraint {
                            table: table.clone(),
                            name,
                            kind,
                            not_valid: c.skip_validation,
                            using_index: !c.indexname.is_empty(),
                        });
                    }
                }
                "add constraint".into()
            }
            T::AtDropConstraint => {
                self.out.tolerance.if_exists |= cmd.missing_ok;
                self.out.tolerance.cascade |= super::cascades(cmd.behavior);
                self.add(
                    Drops,
                    ObjectRef::on(K::Constraint, &cmd.name, table.clone()),
                );
                "drop constraint".into()
            }
            T::AtValidateConstraint => {
                self.add(
                    Alters,
                    ObjectRef::on(K::Constraint, &cmd.name, table.clone()),
                );
                "validate constraint".into()
            }
            T::AtEnableRowSecurity => self.row_security(table, RowSecurity::Enable),
            T::AtDisableRowSecurity => self.row_security(table, RowSecurity::Disable),
            T::AtForceRowSecurity => self.row_security(table, RowSecurity::Force),
            T::AtNoForceRowSecurity => self.row_security(table, RowSecurity::NoForce),
            T::AtEnableTrig | T::AtDisableTrig | T::AtEnableAlwaysTrig | T::AtEnableReplicaTrig => {
                self.add(Alters, ObjectRef::on(K::Trigger, &cmd.name, table.clone()));
                "enable or disable trigger".into()
            }
            T::AtChangeOwner => {
                if let Some(owner) = &cmd.newowner {
                    self.role_spec(Reads, owner);
                }
                "change owner".into()
            }
            T::AtAttachPartition | T::AtDetachPartition => {
                self.reads_in(cmd.def.as_deref(), Scope::default(), Strength::Hard);
                "attach or detach partition".into()
            }
            T::AtAddInherit | T::AtDropInherit => {
                self.reads_in(cmd.def.as_deref(), Scope::default(), Strength::Hard);
                "change inheritance".into()
            }
            T::AtReplicaIdentity => "set replica identity".into(),
            T::AtSetRelOptions | T::AtResetRelOptions => {
                let set = subtype == T::AtSetRelOptions;
                let options = match cmd.def.as_ref().and_then(|d| d.node.as_ref()) {
                    Some(NodeEnum::List(list)) => &list.items[..],
                    _ => &[],
                };
                for option in options {
                    // Options of the table's TOAST table (`toast.x`) are not its own.
                    if let Some(NodeEnum::DefElem(d)) = &option.node {
                        if d.defnamespace.is_empty() {
                            self.out.changes.push(Change::RelationOption {
                                table: table.clone(),
                                name: d.defname.clone(),
                                value: set.then(|| option_value(d)),
                            });
                        }
                    }
                }
                if set { "set options" } else { "reset options" }.into()
            }
            _ => {
                let name = subtype.as_str_name().trim_start_matches("AT_");
                name.to_lowercase().replace('_', " ")
            }
        }
    }

    fn row_security(&mut self, table: &QualifiedName, setting: RowSecurity) -> String {
        self.out.changes.push(Change::RowSecurity {
            table: table.clone(),
            setting,
        });
        match setting {
            RowSecurity::Enable => "enable row level security",
            RowSecurity::Disable => "disable row level security",
            RowSecurity::Force => "force row level security",
            RowSecurity::NoForce => "no force row level security",
        }
        .into()
    }

    pub(super) fn sequence_options(&mut self, options: &[Node]) {
        for option in options {
            if let Some(NodeEnum::DefElem(def)) = &option.node {
                if def.defname == "owned_by" {
                    if let Some(NodeEnum::List(list)) =
                        def.arg.as_ref().and_then(|arg| arg.node.as_ref())
                    {
                        if let Some((column, table)) = list.items.split_last() {
                            if let (Some(column), Some(table)) =
                                (string_value(column), QualifiedName::from_list(table))
                            {
                                let table = table.in_schema(self.schema);
                                self.add(Reads, ObjectRef::column(table, column));
                            }
                        }
                    }
                }
            }
        }
    }
}

fn range_var(node: &Node) -> Option<&RangeVar> {
    match node.node.as_ref()? {
        NodeEnum::RangeVar(range) => Some(range),
        _ => None,
    }
}

fn constraint(node: &Node) -> Option<&protobuf::Constraint> {
    match node.node.as_ref()? {
        NodeEnum::Constraint(constraint) => Some(constraint),
        _ => None,
    }
}

/// A storage parameter's value as `pg_class.reloptions` keeps it; a bare
/// name means true.
fn option_value(option: &protobuf::DefElem) -> String {
    use protobuf::node::Node as N;
    match option.arg.as_deref().and_then(|arg| arg.node.as_ref()) {
        None => "true".into(),
        Some(N::String(s)) => s.sval.clone(),
        Some(N::Integer(i)) => i.ival.to_string(),
        Some(N::Float(f)) => f.fval.clone(),
        Some(N::Boolean(b)) => b.boolval.to_string(),
        Some(N::TypeName(t)) => t
            .names
            .iter()
            .filter_map(string_value)
            .collect::<Vec<_>>()
            .join("."),
        Some(_) => String::new(),
    }
}
