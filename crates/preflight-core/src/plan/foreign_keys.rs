//! Foreign keys that no order of CREATE TABLEs can satisfy (tables that
//! reference each other, or a table referencing one created further down its
//! own file) are taken out of the CREATE TABLE and added afterwards with
//! ALTER TABLE ... ADD CONSTRAINT, the way pg_dump does. Both statements are
//! generated with PostgreSQL's deparser, so names and options are kept.
use std::sync::Arc;

use petgraph::algo::tarjan_scc;
use petgraph::graphmap::DiGraphMap;
use pg_query::protobuf::{self, AlterTableType, ConstrType, Node, ObjectType};
use pg_query::{DeparseOptions, NodeEnum};

use crate::analysis::names::{QualifiedName, DEFAULT_SCHEMA};
use crate::analysis::statements::analyze;
use crate::diagnostics::{codes, Diagnostic, Severity};
use crate::plan::load::{Loaded, Unit};
use crate::HashMap;

/// A foreign key to move: in which CREATE TABLE, which element (and, for a
/// column's REFERENCES, which of its constraints), and the table it needs.
struct Deferred {
    unit: usize,
    element: usize,
    column_constraint: Option<usize>,
    target: usize,
}

/// Rewrites the planned files' units in place; returns what it did, in words.
pub fn break_cycles(loaded: &mut Loaded, files: &[usize]) -> Vec<Diagnostic> {
    let creators = table_creators(loaded, files);
    let mut references = Vec::new();
    let mut graph: DiGraphMap<usize, ()> = DiGraphMap::new();
    for &unit in creators.values() {
        graph.add_node(unit);
        for (element, column_constraint, table) in foreign_keys(loaded, unit) {
            if let Some(&target) = creators.get(&table) {
                if target != unit {
                    graph.add_edge(target, unit, ());
                    references.push(Deferred {
                        unit,
                        element,
                        column_constraint,
                        target,
                    });
                }
            }
        }
    }
    let component: HashMap<usize, usize> = tarjan_scc(&graph)
        .into_iter()
        .enumerate()
        .filter(|(_, members)| members.len() > 1)
        .flat_map(|(index, members)| members.into_iter().map(move |unit| (unit, index)))
        .collect();
    let position = |unit: usize| {
        let file = loaded.units[unit].file;
        (
            file,
            loaded.files[file].units.iter().position(|&u| u == unit),
        )
    };
    let same_cycle = |a: usize, b: usize| {
        component
            .get(&a)
            .is_some_and(|c| component.get(&b) == Some(c))
    };
    let mut deferred: Vec<(Deferred, bool)> = references
        .into_iter()
        .filter_map(|r| {
            let cyclic = same_cycle(r.unit, r.target);
            let (file, at) = position(r.unit);
            let (target_file, target_at) = position(r.target);
            (cyclic || file == target_file && target_at > at).then_some((r, cyclic))
        })
        .collect();
    // Later elements first, so earlier indices stay valid while removing.
    deferred.sort_by_key(|(d, _)| (d.unit, std::cmp::Reverse((d.element, d.column_constraint))));
    deferred
        .iter()
        .filter_map(|(d, cyclic)| rewrite(loaded, d, *cyclic))
        .collect()
}

/// The CREATE TABLE statement of each table the planned files create.
fn table_creators(loaded: &Loaded, files: &[usize]) -> HashMap<QualifiedName, usize> {
    let mut creators = HashMap::default();
    for &file in files {
        for &unit in &loaded.files[file].units {
            if let NodeEnum::CreateStmt(create) = &loaded.units[unit].statement.node {
                if let Some(relation) = &create.relation {
                    let table = QualifiedName::relation(relation, schema_of(&loaded.units[unit]));
                    creators.entry(table).or_insert(unit);
                }
            }
        }
    }
    creators
}

fn schema_of(unit: &Unit) -> &str {
    unit.search_path
        .first()
        .map_or(DEFAULT_SCHEMA, String::as_str)
}

/// (element index, column constraint index, referenced table) of every
/// foreign key in a CREATE TABLE.
fn foreign_keys(loaded: &Loaded, unit: usize) -> Vec<(usize, Option<usize>, QualifiedName)> {
    let NodeEnum::CreateStmt(create) = &loaded.units[unit].statement.node else {
        return Vec::new();
    };
    let schema = schema_of(&loaded.units[unit]);
    let mut found = Vec::new();
    for (element, node) in create.table_elts.iter().enumerate() {
        match &node.node {
            Some(NodeEnum::Constraint(c)) => {
                if let Some(table) = foreign_table(c, schema) {
                    found.push((element, None, table));
                }
            }
            Some(NodeEnum::ColumnDef(column)) => {
                for (at, constraint) in column.constraints.iter().enumerate() {
                    if let Some(NodeEnum::Constraint(c)) = &constraint.node {
                        if let Some(table) = foreign_table(c, schema) {
                            found.push((element, Some(at), table));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    found
}

fn foreign_table(c: &protobuf::Constraint, schema: &str) -> Option<QualifiedName> {
    if c.contype != ConstrType::ConstrForeign as i32 {
        return None;
    }
    Some(QualifiedName::relation(c.pktable.as_ref()?, schema))
}

/// Removes one foreign key from its CREATE TABLE and adds an ALTER TABLE
/// unit for it right after the referenced table's creation (or at the end of
/// the file when that table is created elsewhere).
fn rewrite(loaded: &mut Loaded, deferred: &Deferred, cyclic: bool) -> Option<Diagnostic> {
    let unit = &loaded.units[deferred.unit];
    let NodeEnum::CreateStmt(mut create) = unit.statement.node.clone() else {
        return None;
    };
    let relation = create.relation.clone()?;
    let constraint = match deferred.column_constraint {
        None => create.table_elts.get(deferred.element).cloned(),
        Some(at) => match &mut create.table_elts.get_mut(deferred.element)?.node {
            Some(NodeEnum::ColumnDef(column)) => {
                let mut constraint = column.constraints.get(at)?.clone();
                if let Some(NodeEnum::Constraint(c)) = &mut constraint.node {
                    // A column's REFERENCES becomes FOREIGN KEY (column).
                    c.fk_attrs = vec![string_node(&column.colname)];
                }
                Some(constraint)
            }
            _ => None,
        },
    }?;
    match deferred.column_constraint {
        None => create.table_elts[deferred.element] = Node { node: None },
        Some(at) => {
            if let Some(NodeEnum::ColumnDef(column)) = &mut create.table_elts[deferred.element].node
            {
                column.constraints[at] = Node { node: None };
            }
        }
    }
    create.table_elts.retain(|element| element.node.is_some());
    for element in &mut create.table_elts {
        if let Some(NodeEnum::ColumnDef(column)) = &mut element.node {
            column.constraints.retain(|c| c.node.is_some());
        }
    }
    let alter = NodeEnum::AlterTableStmt(protobuf::AlterTableStmt {
        relation: Some(relation),
        cmds: vec![Node {
            node: Some(NodeEnum::AlterTableCmd(Box::new(protobuf::AlterTableCmd {
                subtype: AlterTableType::AtAddConstraint as i32,
                def: Some(Box::new(constraint)),
                behavior: protobuf::DropBehavior::DropRestrict as i32,
                ..Default::default()
            }))),
        }],
        objtype: ObjectType::ObjectTable as i32,
        missing_ok: false,
    });
    let options = || DeparseOptions {
        pretty_print: true,
        ..DeparseOptions::default()
    };
    let create_text = NodeEnum::CreateStmt(create.clone())
        .deparse(options())
        .ok()?;
    let alter_text = alter.deparse(options()).ok()?;

    let search_path = unit.search_path.clone();
    let original = unit.statement.clone();
    let file = unit.file;
    let create_node = NodeEnum::CreateStmt(create);
    let updated = Arc::make_mut(&mut loaded.units[deferred.unit]);
    (updated.statement).set_text(create_text.trim_end_matches(';').to_string());
    updated.facts = analyze(&create_node, &search_path);
    updated.statement.node = create_node;

    let mut statement = original.clone();
    statement.set_text(alter_text.trim_end_matches(';').to_string());
    statement.node = alter.clone();
    let new_unit = loaded.units.len();
    loaded.units.push(Arc::new(Unit {
        file,
        statement,
        facts: analyze(&alter, &search_path),
        search_path,
    }));
    let units = &mut loaded.files[file].units;
    let after = units
        .iter()
        .position(|&u| u == deferred.target)
        .map_or(units.len(), |at| at + 1)
        .max(
            units
                .iter()
                .position(|&u| u == deferred.unit)
                .map_or(0, |at| at + 1),
        );
    units.insert(after, new_unit);
    loaded.files[file].rewritten = true;

    let (file_name, line, column) = loaded.position_of(deferred.unit);
    let (target_file, target_line, _) = loaded.position_of(deferred.target);
    let table = |unit: usize| {
        let unit = &loaded.units[unit];
        Some(QualifiedName::relation(
            create_relation(unit)?,
            schema_of(unit),
        ))
    };
    let (source, target) = (table(deferred.unit)?, table(deferred.target)?);
    let why = if cyclic {
        "the tables reference each other"
    } else {
        "it is created further down the file"
    };
    Some(Diagnostic {
        severity: Severity::Info,
        code: codes::FOREIGN_KEY_DEFERRED.into(),
        message: format!(
            "the foreign key from {source} to {target} ({target_file}:{target_line}) cannot be created with the table because {why}; {source} is created without it and the constraint is added afterwards with ALTER TABLE ... ADD CONSTRAINT"
        ),
        file: file_name,
        line,
        column,
        help: "to keep the file as written, create the referenced table first or add the constraint in a later statement yourself".into(),
        related: Vec::new(),
    rule: None,
fix: None,
})
}

fn create_relation(unit: &Unit) -> Option<&protobuf::RangeVar> {
    match &unit.statement.node {
        NodeEnum::CreateStmt(create) => create.relation.as_ref(),
        _ => None,
    }
}

fn string_node(value: &str) -> Node {
    Node {
        node: Some(NodeEnum::String(protobuf::String {
            sval: value.to_string(),
        })),
    }
}
