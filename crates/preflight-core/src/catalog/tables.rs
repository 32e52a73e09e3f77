//! CREATE TABLE and ALTER TABLE: columns (type, NOT NULL, default,
//! identity), constraints under PostgreSQL's names, row level security.
use pg_query::protobuf::{
    AlterTableCmd, AlterTableStmt, AlterTableType, ColumnDef, ConstrType, Constraint, CreateStmt,
    DropBehavior, Node, ObjectType, RangeVar,
};
use pg_query::NodeEnum;

use crate::analysis::facts::{ObjectKind, ObjectRef};
use crate::analysis::implicit_names::{constraint_name, object_name};
use crate::analysis::names::{quote_literal, string_value, QualifiedName};

use super::model::ObjectId;
use super::normal::{
    canonical, expression_sql, parse_expression, statement_sql, string_node, SqlType,
};
use super::replay::Replay;

pub fn create_table(r: &mut Replay, s: &CreateStmt) {
    let Some(range) = &s.relation else {
        return;
    };
    let table = QualifiedName::relation(range, r.schema());
    let existing = r.model.relation(&table);
    if s.if_not_exists && existing.is_some() {
        return;
    }
    if let Some(existing) = existing {
        r.model.drop(&existing);
    }
    let key = ObjectId::new(ObjectKind::Table, table.clone());
    r.model.create(key.clone(), &r.at);
    let disabled = r.text("disabled");
    r.model.set(&key, "row level security", disabled);
    for element in &s.table_elts {
        if let Some(NodeEnum::ColumnDef(column)) = &element.node {
            add_column(r, &table, column);
        }
    }
    for element in &s.table_elts {
        if let Some(NodeEnum::Constraint(constraint)) = &element.node {
            add_constraint(r, &table, constraint, None);
        }
    }
}

pub fn alter_table(r: &mut Replay, s: &AlterTableStmt) {
    let Some(range) = &s.relation else {
        return;
    };
    let table = QualifiedName::relation(range, r.schema());
    // ALTER INDEX / VIEW / SEQUENCE ... change nothing compared here.
    if s.objtype != ObjectType::ObjectTable as i32 {
        return;
    }
    // A table the side never creates (e.g. Supabase's own): nothing to
    // record its changes on.
    let Some(key) = r.model.relation(&table) else {
        return;
    };
    for cmd in &s.cmds {
        if let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node {
            alter_table_cmd(r, &key, &table, cmd);
        }
    }
}

fn alter_table_cmd(r: &mut Replay, key: &ObjectId, table: &QualifiedName, cmd: &AlterTableCmd) {
    use AlterTableType as T;
    let column = ObjectId::from(ObjectRef::column(table.clone(), &cmd.name));
    let def = cmd.def.as_deref().and_then(|def| def.node.as_ref());
    match T::try_from(cmd.subtype).unwrap_or(T::Undefined) {
        T::AtAddColumn => {
            if let Some(NodeEnum::ColumnDef(def)) = def {
                let exists = r
                    .model
                    .contains(&ObjectRef::column(table.clone(), &def.colname).into());
                if !(cmd.missing_ok && exists) {
                    add_column(r, table, def);
                }
            }
        }
        T::AtDropColumn => r.model.drop(&column),
        T::AtAlterColumnType => {
            if let Some(NodeEnum::ColumnDef(def)) = def {
                if let Some(type_name) = &def.type_name {
                    r.define(&column, "type", |r| {
                        let (sql_type, _) = SqlType::of(type_name, &r.cx());
                        r.property(sql_type.to_tree(), sql_type.to_string())
                    });
                }
            }
        }
        T::AtColumnDefault => set_default(r, &column, cmd.def.as_deref()),
        T::AtSetNotNull => set_not_null(r, &column, true),
        T::AtDropNotNull => set_not_null(r, &column, false),
        T::AtAddIdentity => {
            if let Some(NodeEnum::Constraint(identity)) = def {
                set_identity(r, table, &cmd.name, identity);
            }
        }
        T::AtDropIdentity => r.model.unset(&column, "identity"),
        T::AtAddConstraint => {
            if let Some(NodeEnum::Constraint(constraint)) = def {
                add_constraint(r, table, constraint, None);
            }
        }
        T::AtDropConstraint => {
            let constraint = ObjectId::on(ObjectKind::Constraint, &cmd.name, table);
            r.model.drop(&constraint);
        }
        T::AtValidateConstraint => {
            let constraint = ObjectId::on(ObjectKind::Constraint, &cmd.name, table);
            r.model.update(&constraint, "definition", |definition| {
                definition.remove("skip_validation");
                definition.set("initially_valid", true.into());
            });
        }
        T::AtEnableRowSecurity | T::AtDisableRowSecurity => {
            let enabled = cmd.subtype == T::AtEnableRowSecurity as i32;
            let state = r.text(if enabled { "enabled" } else { "disabled" });
            r.model.set(key, "row level security", state);
        }
        T::AtForceRowSecurity => {
            let forced = r.text("forced");
            r.model.set(key, "forced row level security", forced);
        }
        T::AtNoForceRowSecurity => r.model.unset(key, "forced row level security"),
        subtype @ (T::AtEnableTrig
        | T::AtDisableTrig
        | T::AtEnableAlwaysTrig
        | T::AtEnableReplicaTrig) => {
            let trigger = ObjectId::on(ObjectKind::Trigger, &cmd.name, table);
            let state = match subtype {
                T::AtDisableTrig => "disabled",
                T::AtEnableAlwaysTrig => "enabled always",
                T::AtEnableReplicaTrig => "enabled replica",
                _ => "enabled",
            };
            let state = r.text(state);
            r.model.set(&trigger, "enabled", state);
        }
        _ => {}
    }
}

fn add_column(r: &mut Replay, table: &QualifiedName, def: &ColumnDef) {
    let Some(type_name) = &def.type_name else {
        return;
    };
    let column = ObjectId::from(ObjectRef::column(table.clone(), &def.colname));
    let (sql_type, serial) = SqlType::of(type_name, &r.cx());
    r.model.create(column.clone(), &r.at);
    r.define(&column, "type", |r| {
        r.property(sql_type.to_tree(), sql_type.to_string())
    });
    let mut not_null = def.is_not_null || serial;
    if serial {
        let sequence = add_sequence(r, table, &def.colname, None);
        let nextval = format!(
            "nextval({}::regclass)",
            quote_literal(&sequence.to_string())
        );
        set_default(r, &column, parse_expression(&nextval).as_ref());
    }
    let mut table_constraints = Vec::new();
    for node in &def.constraints {
        let Some(NodeEnum::Constraint(c)) = &node.node else {
            continue;
        };
        match ConstrType::try_from(c.contype) {
            Ok(ConstrType::ConstrNotnull) => not_null = true,
            Ok(ConstrType::ConstrNull) => not_null = false,
            Ok(ConstrType::ConstrDefault) => set_default(r, &column, c.raw_expr.as_deref()),
            Ok(ConstrType::ConstrIdentity) => {
                not_null = true;
                set_identity(r, table, &def.colname, c);
            }
            Ok(ConstrType::ConstrGenerated) => {
                if let Some(expression) = c.raw_expr.as_deref().filter(|_| r.model.defines()) {
                    let shown = expression.clone();
                    let property = r.deparsed(r.compared(expression), move || {
                        format!("GENERATED ALWAYS AS ({}) STORED", expression_sql(&shown))
                    });
                    r.model.set(&column, "generated", property);
                }
            }
            Ok(ConstrType::ConstrPrimary) => {
                not_null = true;
                table_constraints.push(c);
            }
            _ => table_constraints.push(c),
        }
    }
    set_not_null(r, &column, not_null);
    for c in table_constraints {
        add_constraint(r, table, c, Some(&def.colname));
    }
}

fn set_not_null(r: &mut Replay, column: &ObjectId, not_null: bool) {
    let shown = if not_null { "NOT NULL" } else { "nullable" };
    let property = r.property(not_null.into(), shown.into());
    r.model.set(column, "not null", property);
}

/// `DEFAULT NULL` is no default, as in PostgreSQL's catalog.
fn set_default(r: &mut Replay, column: &ObjectId, expression: Option<&Node>) {
    let is_null = |node: &Node| matches!(&node.node, Some(NodeEnum::AConst(c)) if c.isnull);
    match expression {
        _ if !r.model.defines() => {}
        Some(expression) if !is_null(expression) => {
            let shown = expression.clone();
            let property = r.deparsed(r.compared(expression), move || expression_sql(&shown));
            r.model.set(column, "default", property);
        }
        _ => r.model.unset(column, "default"),
    }
}

fn set_identity(r: &mut Replay, table: &QualifiedName, column: &str, identity: &Constraint) {
    let shown = match identity.generated_when.as_str() {
        "a" => "GENERATED ALWAYS AS IDENTITY",
        _ => "GENERATED BY DEFAULT AS IDENTITY",
    };
    let property = r.text(shown);
    let key = ObjectId::from(ObjectRef::column(table.clone(), column));
    r.model.set(&key, "identity", property);
    let named = identity
        .options
        .iter()
        .find_map(|option| match &option.node {
            Some(NodeEnum::DefElem(def)) if def.defname == "sequence_name" => {
                match def.arg.as_deref().and_then(|arg| arg.node.as_ref()) {
                    Some(NodeEnum::List(list)) => QualifiedName::from_list(&list.items),
                    _ => None,
                }
            }
            _ => None,
        });
    add_sequence(r, table, column, named);
}

/// The sequence of a serial or identity column, under PostgreSQL's name
/// unless one is given.
fn add_sequence(
    r: &mut Replay,
    table: &QualifiedName,
    column: &str,
    name: Option<QualifiedName>,
) -> QualifiedName {
    let name = name
        .map(|name| name.in_schema(table.schema.as_deref().unwrap_or(r.schema())))
        .unwrap_or_else(|| {
            QualifiedName::new(
                table.schema.as_deref(),
                &object_name(&table.name, Some(column), "seq"),
            )
        });
    let sequence = ObjectId::new(ObjectKind::Sequence, name.clone());
    r.model
        .create_belonging(sequence, &r.at, Some(table.clone()));
    name
}

/// A table constraint, or a column's (`column`), under the name PostgreSQL
/// gives it, with its columns written out as pg_dump writes them.
pub fn add_constraint(r: &mut Replay, table: &QualifiedName, c: &Constraint, column: Option<&str>) {
    use ConstrType as C;
    let kind = C::try_from(c.contype).unwrap_or(C::Undefined);
    if !matches!(
        kind,
        C::ConstrPrimary | C::ConstrUnique | C::ConstrCheck | C::ConstrForeign | C::ConstrExclusion
    ) {
        return;
    }
    // PostgreSQL numbers a made-up name past those of the schema's
    // constraints.
    let taken = |name: &str| r.model.has_constraint(table.schema.as_deref(), name);
    let Some(name) = constraint_name(&table.name, c, column, &taken) else {
        return;
    };
    // An outline keeps only the columns a cascade follows.
    let mut c = match r.model.defines() {
        true => c.clone(),
        false => keys_only(c),
    };
    c.conname.clear();
    // What the constraint cannot exist without: a foreign key's table and key.
    let mut needs = Vec::new();
    let columns = || {
        column
            .map(|column| vec![string_node(column)])
            .unwrap_or_default()
    };
    match kind {
        C::ConstrPrimary | C::ConstrUnique if c.keys.is_empty() => c.keys = columns(),
        C::ConstrForeign => {
            if let Some(target) = c.pktable.as_ref() {
                let target = QualifiedName::relation(target, r.schema());
                let referenced: Vec<&str> = c.pk_attrs.iter().filter_map(string_value).collect();
                needs.push(ObjectRef::referenced_key(target.clone(), &referenced));
                needs.push(ObjectRef::new(ObjectKind::Relation, target));
            }
            if c.fk_attrs.is_empty() {
                c.fk_attrs = columns();
            }
            if let Some(target) = c.pktable.as_mut() {
                if target.schemaname.is_empty() {
                    target.schemaname = r.schema().to_string();
                }
                if c.pk_attrs.is_empty() {
                    let target = QualifiedName::relation(target, r.schema());
                    c.pk_attrs = (r.model.primary_key(&target))
                        .unwrap_or_else(|| vec!["id".into()])
                        .iter()
                        .map(|key| string_node(key))
                        .collect();
                }
            }
        }
        _ => {}
    }
    let key = ObjectId::on(ObjectKind::Constraint, &name, table);
    let keys: Vec<String> = c
        .keys
        .iter()
        .filter_map(string_value)
        .map(str::to_string)
        .collect();
    let compare = match r.model.compares() {
        true => canonical(&c, &r.cx()),
        // The runbook and the lints read no more of a constraint.
        false => canonical(&keys_only(&c), &r.cx()),
    };
    let property = r.definition_of(compare, c, constraint_sql);
    r.model.create(key.clone(), &r.at);
    r.model.set(&key, "definition", property);
    r.model.add_needs(&key, needs);
    if kind == C::ConstrPrimary {
        for column in &keys {
            let column = ObjectId::from(ObjectRef::column(table.clone(), column));
            set_not_null(r, &column, true);
        }
    }
    if matches!(kind, C::ConstrPrimary | C::ConstrUnique) {
        let columns: Vec<&str> = keys.iter().map(String::as_str).collect();
        add_keys(r, table, &columns, kind == C::ConstrPrimary, &key.object);
    }
}

/// The parts of a constraint that name columns and what they reference:
/// all a cascade, the runbook and the lints read of it.
fn keys_only(c: &Constraint) -> Constraint {
    Constraint {
        contype: c.contype,
        keys: c.keys.clone(),
        including: c.including.clone(),
        fk_attrs: c.fk_attrs.clone(),
        pktable: c.pktable.clone(),
        pk_attrs: c.pk_attrs.clone(),
        ..Constraint::default()
    }
}

/// The keys a primary key, a unique constraint or a unique index makes:
/// what foreign keys need. Dropping what made them takes them, and the
/// foreign keys with them, as PostgreSQL's CASCADE does.
pub fn add_keys(
    r: &mut Replay,
    table: &QualifiedName,
    columns: &[&str],
    primary: bool,
    made_by: &ObjectRef,
) {
    for key in ObjectRef::keys_made(table, columns, primary) {
        let key = ObjectId::from(key);
        r.model.create(key.clone(), &r.at);
        r.model.add_needs(&key, [made_by.clone()]);
    }
}

/// The primary key's columns; `id` when the table is not on this side
/// (e.g. `REFERENCES auth.users` without the Supabase environment).
/// `PRIMARY KEY (id)`, `FOREIGN KEY (a) REFERENCES public.b (id)`...
fn constraint_sql(c: &Constraint) -> String {
    const PREFIX: &str = "ALTER TABLE t ADD ";
    let statement = NodeEnum::AlterTableStmt(AlterTableStmt {
        relation: Some(RangeVar {
            relname: "t".into(),
            inh: true,
            relpersistence: "p".into(),
            ..Default::default()
        }),
        cmds: vec![Node {
            node: Some(NodeEnum::AlterTableCmd(Box::new(AlterTableCmd {
                subtype: AlterTableType::AtAddConstraint as i32,
                def: Some(Box::new(Node {
                    node: Some(NodeEnum::Constraint(Box::new(c.clone()))),
                })),
                behavior: DropBehavior::DropRestrict as i32,
                ..Default::default()
            }))),
        }],
        objtype: ObjectType::ObjectTable as i32,
        missing_ok: false,
    });
    let sql = statement_sql(&statement);
    sql.strip_prefix(PREFIX).unwrap_or(&sql).to_string()
}
