//! Values `ALTER TYPE ... ADD VALUE` adds: a statement of another file that
//! uses one (a quoted literal, as in `insert ... values ('archived')`) fails
//! before the value exists, so it comes after the statement that adds it.
//! Steps are separate transactions, so the value is committed by then.
use crate::analysis::facts::{Action, Change, ObjectKind, ObjectRef, Strength};
use crate::analysis::names::quote_literal;
use crate::plan::load::Loaded;
use crate::plan::simulate::{Edge, EdgeKind};

/// An edge from each added value to every statement of another file that
/// uses it, among the `planned` units.
pub fn needs(loaded: &Loaded, planned: &[usize]) -> Vec<Edge> {
    let added: Vec<(usize, ObjectRef, String)> = (planned.iter())
        .flat_map(|&unit| {
            loaded.units[unit]
                .facts
                .changes
                .iter()
                .filter_map(move |change| match change {
                    Change::EnumValue { type_name, value } => Some((
                        unit,
                        ObjectRef::new(ObjectKind::Type, type_name.clone()),
                        quote_literal(value),
                    )),
                    _ => None,
                })
        })
        .collect();
    let mut edges = Vec::new();
    for (adder, type_ref, literal) in &added {
        let file = loaded.units[*adder].file;
        for &user in planned {
            let unit = &loaded.units[user];
            // The type's own statements (made again, changed) are not uses.
            let defines_type = (unit.facts.facts.iter())
                .any(|fact| fact.action != Action::Reads && fact.object.same_as(type_ref));
            if unit.file != file
                && !defines_type
                && unit.statement.text().contains(literal.as_str())
            {
                edges.push(Edge {
                    from: *adder,
                    to: user,
                    object: type_ref.clone(),
                    kind: EdgeKind::EnumValue,
                    strength: Strength::Hard,
                });
            }
        }
    }
    edges
}
