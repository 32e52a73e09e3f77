//! The columns a view shows: `CREATE OR REPLACE VIEW` may add columns at
//! the end, never drop, rename or reorder them ("cannot drop columns from
//! view"). Of two definitions of one view in different files, where the
//! columns of one begin the other's, the shorter comes first.
use pg_query::protobuf::{self, Node, SetOperation};
use pg_query::NodeEnum;

use crate::analysis::facts::{Action, ObjectKind, ObjectRef, Strength};
use crate::analysis::names::{string_value, strings, QualifiedName};
use crate::plan::load::Loaded;
use crate::plan::simulate::{Edge, EdgeKind};
use crate::HashMap;

/// An edge from each `CREATE OR REPLACE VIEW` to every definition of the
/// same view in another file that shows its columns and more after them,
/// among the `planned` units.
pub fn needs(loaded: &Loaded, planned: &[usize]) -> Vec<Edge> {
    let mut definitions: HashMap<QualifiedName, Vec<(usize, Vec<String>)>> = HashMap::default();
    for &unit in planned {
        let statement = &loaded.units[unit];
        let NodeEnum::ViewStmt(view) = &statement.statement.node else {
            continue;
        };
        let Some(relation) = view.view.as_ref() else {
            continue;
        };
        let name = QualifiedName::relation(relation, statement.schema());
        if !view.replace || dropped_above(loaded, unit, &name) {
            continue;
        }
        if let Some(columns) = output_columns(view) {
            definitions.entry(name).or_default().push((unit, columns));
        }
    }
    let mut edges = Vec::new();
    for (name, definitions) in &definitions {
        for (shorter, fewer) in definitions {
            for (longer, more) in definitions {
                let other_file = loaded.units[*shorter].file != loaded.units[*longer].file;
                if other_file && fewer.len() < more.len() && more.starts_with(fewer) {
                    edges.push(Edge {
                        from: *shorter,
                        to: *longer,
                        object: ObjectRef::new(ObjectKind::Relation, name.clone()),
                        kind: EdgeKind::ViewColumns,
                        strength: Strength::Hard,
                    });
                }
            }
        }
    }
    edges
}

/// Whether the view's file drops it above this definition: then the
/// definition makes the view anew, with whatever columns.
fn dropped_above(loaded: &Loaded, unit: usize, view: &QualifiedName) -> bool {
    let file = &loaded.files[loaded.units[unit].file];
    let view = ObjectRef::new(ObjectKind::Relation, view.clone());
    (file.units.iter().take_while(|&&other| other != unit)).any(|&other| {
        (loaded.units[other].facts.facts.iter())
            .any(|fact| fact.action == Action::Drops && fact.object.same_as(&view))
    })
}

/// The names of the view's columns, as PostgreSQL makes them up; `None`
/// when a `*` leaves their number to the tables.
pub fn output_columns(view: &protobuf::ViewStmt) -> Option<Vec<String>> {
    let NodeEnum::SelectStmt(query) = view.query.as_ref()?.node.as_ref()? else {
        return None;
    };
    // A UNION's columns are its first query's.
    let mut select: &protobuf::SelectStmt = query;
    while select.op != SetOperation::SetopNone as i32 {
        select = select.larg.as_deref()?;
    }
    let mut names = Vec::new();
    for target in &select.target_list {
        let Some(NodeEnum::ResTarget(target)) = &target.node else {
            return None;
        };
        names.push(match target.name.as_str() {
            "" => column_name(target.val.as_deref()?)?,
            name => name.to_string(),
        });
    }
    for (name, given) in names.iter_mut().zip(strings(&view.aliases)) {
        *name = given;
    }
    Some(names)
}

/// The name an unnamed output column gets (PostgreSQL's `FigureColname`,
/// for what views hold); `None` for a `*`.
fn column_name(node: &Node) -> Option<String> {
    const UNNAMED: &str = "?column?";
    Some(match node.node.as_ref()? {
        // `t.*` and `*` have no one name.
        NodeEnum::ColumnRef(column) => string_value(column.fields.last()?)?.to_string(),
        NodeEnum::FuncCall(call) => string_value(call.funcname.last()?)?.to_string(),
        NodeEnum::TypeCast(cast) => match cast.arg.as_deref().and_then(column_name) {
            Some(name) if name != UNNAMED => name,
            _ => {
                let type_name = cast.type_name.as_ref()?;
                string_value(type_name.names.last()?)?.to_string()
            }
        },
        NodeEnum::AIndirection(indirection) => {
            match indirection.indirection.last().and_then(string_value) {
                Some(name) => name.to_string(),
                None => column_name(indirection.arg.as_deref()?)?,
            }
        }
        NodeEnum::CaseExpr(_) => "case".into(),
        NodeEnum::CoalesceExpr(_) => "coalesce".into(),
        _ => UNNAMED.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(sql: &str) -> Option<Vec<String>> {
        let parsed = pg_query::parse(sql, 0).expect("parses");
        let statement = parsed.protobuf.stmts[0].stmt.as_ref().expect("a statement");
        match statement.node.as_ref() {
            Some(NodeEnum::ViewStmt(view)) => output_columns(view),
            _ => panic!("not a view: {sql}"),
        }
    }

    /// The names PostgreSQL gives a view's columns (checked with `\d v`).
    #[test]
    fn columns_are_named_as_postgresql_names_them() {
        assert_eq!(
            columns(
                "create view v as select a, t.b, f(x), x::int, 1::text, 2, case when true then 1 end,
                 coalesce(a, b), y as named, (arr)[1] from t"
            ),
            Some(
                ["a", "b", "f", "x", "text", "?column?", "case", "coalesce", "named", "arr"]
                    .map(String::from)
                    .to_vec()
            )
        );
        assert_eq!(
            columns("create view v (one, two) as select a, b, c from t union select 1, 2, 3"),
            Some(["one", "two", "c"].map(String::from).to_vec())
        );
        assert_eq!(columns("create view v as select t.* from t"), None);
        assert_eq!(columns("create view v as select * from t"), None);
    }
}
