//! Puts the planner's decisions into words: why a file moves, which files
//! had to be split, where a cycle is, which orders only the file names chose.
use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::facts::{Action, ObjectKind, ObjectRef};
use crate::diagnostics::{codes, Diagnostic, Related, Severity};
use crate::plan::load::Loaded;
use crate::plan::order::Segment;
use crate::plan::runbook::transaction::added_enum_value;
use crate::plan::simulate::{Edge, EdgeKind};
use crate::{HashMap, HashSet};

/// `file:line` of a statement.
pub fn place(loaded: &Loaded, unit: usize) -> String {
    let (file, line, _) = loaded.position_of(unit);
    format!("{file}:{line}")
}

/// A statement and where it is, for a sentence: `policy "Admins" on
/// public.notes (notes.sql:4)`.
fn statement(loaded: &Loaded, unit: usize) -> String {
    format!("{} ({})", subject(loaded, unit), place(loaded, unit))
}

/// What a statement is, for a sentence: `policy "Admins" on public.notes`
/// or, when it makes nothing, its kind (`alter publication`).
pub fn subject(loaded: &Loaded, unit: usize) -> String {
    let facts = &loaded.units[unit].facts;
    let creates = |fact: &&crate::analysis::facts::Fact| fact.action == Action::Creates;
    facts
        .facts
        .iter()
        .find(|fact| creates(fact) && fact.object.kind != ObjectKind::Column)
        .or_else(|| facts.facts.iter().find(creates))
        .map(|fact| fact.object.to_string())
        .or_else(|| {
            let write = facts.facts.iter().find(|fact| fact.action.writes())?;
            Some(match write.action {
                Action::Drops => format!("drop of {}", write.object),
                Action::Renames => format!("rename of {}", write.object),
                _ => format!("{} on {}", facts.words, write.object.name),
            })
        })
        .unwrap_or_else(|| facts.words.clone())
}

/// What `edge.from` does to the object, as a verb.
fn verb(loaded: &Loaded, edge: &Edge) -> &'static str {
    let action = loaded.units[edge.from]
        .facts
        .facts
        .iter()
        .find(|fact| {
            let same_kind = fact.object.kind == edge.object.kind
                || fact.object.kind.is_relation() && edge.object.kind.is_relation();
            same_kind
                && fact.object.name.name == edge.object.name.name
                && fact.object.on == edge.object.on
        })
        .map_or(Action::Creates, |fact| fact.action);
    match (edge.object.kind, action) {
        (ObjectKind::Column, Action::Creates) => "adds",
        (_, Action::Creates) => "creates",
        (_, Action::Alters) => "changes",
        (_, Action::Drops) => "drops",
        (_, Action::Renames) => "renames",
        (_, Action::Reads) => "reads",
    }
}

/// Why `edge.from` runs before `edge.to`, in one sentence.
pub fn reason(loaded: &Loaded, edge: &Edge) -> String {
    let object = display(&edge.object);
    match edge.kind {
        EdgeKind::ReadAfterWrite | EdgeKind::ReadAfterChange => {
            // Name the creation when the same file makes the object: it says
            // more than the last change before the reader.
            let (source, verb) = match creation_in_file_of(loaded, edge) {
                Some(creator) => (
                    creator,
                    if edge.object.kind == ObjectKind::Column {
                        "adds"
                    } else {
                        "creates"
                    },
                ),
                None => (edge.from, verb(loaded, edge)),
            };
            format!(
                "{} needs {object}, which {} {verb}",
                statement(loaded, edge.to),
                place(loaded, source),
            )
        }
        EdgeKind::WriteAfterRead => format!(
            "{} still uses {object} before {} changes it",
            statement(loaded, edge.from),
            place(loaded, edge.to)
        ),
        EdgeKind::WriteAfterWrite => format!(
            "{} and {} both touch {object}; they keep their given order",
            place(loaded, edge.from),
            place(loaded, edge.to)
        ),
        EdgeKind::AfterItsCreation => format!(
            "{} is meant for {object}, which {} creates: before it, it would find nothing",
            statement(loaded, edge.to),
            place(loaded, edge.from)
        ),
        EdgeKind::EnumValue => format!(
            "{} uses '{}', which {} adds to {object}",
            statement(loaded, edge.to),
            added_enum_value(&loaded.units[edge.from].statement.node).unwrap_or_default(),
            place(loaded, edge.from)
        ),
        EdgeKind::AfterTheDrop => format!(
            "{} creates {object} again, so it comes after {} drops it",
            place(loaded, edge.to),
            place(loaded, edge.from)
        ),
        EdgeKind::BeforeWhatBlocksIt => format!(
            "{} drops what {object} needs without CASCADE, which it refuses to do once {} has created {object}, so it comes first",
            statement(loaded, edge.from),
            place(loaded, edge.to)
        ),
        EdgeKind::AfterWhatBlockedIt => format!(
            "{} drops what {object} needed without CASCADE, which it refuses to do until {} has dropped it, so it comes after",
            statement(loaded, edge.to),
            place(loaded, edge.from)
        ),
        EdgeKind::ViewColumns => format!(
            "{} defines {object} with the columns {} gives it and more after them; a view only gains columns at the end, so it comes after",
            place(loaded, edge.to),
            place(loaded, edge.from)
        ),
        EdgeKind::UnguardedFirst => format!(
            "{} creates {object} without IF NOT EXISTS or OR REPLACE, so it runs before {}, which works whether or not it exists",
            place(loaded, edge.from),
            place(loaded, edge.to)
        ),
    }
}

/// How much an edge says about why its statements are in this order: a
/// rule of the SQL's own (a view's columns, an enum value...) says most,
/// then a creation needed, then a use of what the SQL made, then an order
/// only the replay kept (a later change of what already existed).
fn telling(loaded: &Loaded, edge: &Edge) -> u8 {
    match edge.kind {
        EdgeKind::ReadAfterWrite | EdgeKind::ReadAfterChange
            // Most often the writer itself: no need to read its file.
            if creates(loaded, edge.from, &edge.object)
                || creation_in_file_of(loaded, edge).is_some() =>
        {
            2
        }
        EdgeKind::ReadAfterWrite => 1,
        kind if kind.is_decided_by_sql() => 3,
        _ => 0,
    }
}

/// Per key, the most telling reason found so far, with how telling it is.
pub type MostTelling<'e, K> = BTreeMap<K, (u8, &'e Edge)>;

/// Keeps `edge` as `key`'s reason when it is more telling than the one
/// kept (of equally telling edges, the first).
pub fn keep_most_telling<'e, K: Ord>(
    loaded: &Loaded,
    best: &mut MostTelling<'e, K>,
    key: K,
    edge: &'e Edge,
) {
    let telling = telling(loaded, edge);
    let slot = best.entry(key).or_insert((telling, edge));
    if telling > slot.0 {
        *slot = (telling, edge);
    }
}

/// The statement of `edge.from`'s file that creates the edge's object.
fn creation_in_file_of(loaded: &Loaded, edge: &Edge) -> Option<usize> {
    let file = &loaded.files[loaded.units[edge.from].file];
    (file.units.iter().copied()).find(|&unit| creates(loaded, unit, &edge.object))
}

fn creates(loaded: &Loaded, unit: usize, object: &ObjectRef) -> bool {
    (loaded.units[unit].facts.facts.iter())
        .any(|fact| fact.action == Action::Creates && fact.object.same_as(object))
}

fn display(object: &ObjectRef) -> String {
    match object.kind {
        ObjectKind::Relation => object.name.to_string(),
        _ => object.to_string(),
    }
}

/// One note per pair of files whose given order had to be reversed.
pub fn moves(loaded: &Loaded, rank: &HashMap<usize, usize>, edges: &[&Edge]) -> Vec<Diagnostic> {
    // Per pair of files, the most telling reason.
    let mut best: MostTelling<(usize, usize)> = BTreeMap::new();
    for edge in edges {
        let (from, to) = (loaded.units[edge.from].file, loaded.units[edge.to].file);
        if from == to || rank[&from] < rank[&to] {
            continue;
        }
        keep_most_telling(loaded, &mut best, (rank[&from], rank[&to]), edge);
    }
    best.values()
        .map(|&(_, edge)| {
            let (from, to) = (loaded.units[edge.from].file, loaded.units[edge.to].file);
            let (file, line, column) = loaded.position_of(edge.to);
            Diagnostic {
                severity: Severity::Info,
                code: codes::MOVED.into(),
                message: format!(
                    "{} moves before {}: {}",
                    loaded.files[from].label(),
                    loaded.files[to].label(),
                    reason(loaded, edge)
                ),
                file,
                line,
                column,
                help: match loaded.files[from].block.is_some() {
                    true => "move the block, with its prose, above the other in the document, or keep Preflight's order (the runbook given back in the planned order does it)",
                    false => "rename the files so their names give this order, or keep Preflight's order",
                }
                .into(),
                related: Vec::new(),
                rule: None,
                fix: None,
            }
        })
        .collect()
}

pub fn cycle(loaded: &Loaded, members: &[usize], edges: &[&Edge]) -> Diagnostic {
    let members: HashSet<usize> = members.iter().copied().collect();
    let path: Vec<String> = edges
        .iter()
        .filter(|edge| members.contains(&edge.from) && members.contains(&edge.to))
        .map(|edge| reason(loaded, edge))
        .collect();
    let first = *members.iter().min().expect("a cycle has members");
    let (file, line, column) = loaded.position_of(first);
    Diagnostic {
        severity: Severity::Error,
        code: codes::CYCLE.into(),
        message: format!("these statements need each other, so no order can run them all: {}", path.join("; ")),
        file,
        line,
        column,
        help: "break the cycle: create one object without the reference and add it afterwards (e.g. ALTER TABLE ... ADD CONSTRAINT)".into(),
        related: Vec::new(),
    rule: None,
fix: None,
}
}

pub fn split(loaded: &Loaded, group: &BTreeSet<usize>, segments: &[Segment]) -> Diagnostic {
    let names: Vec<String> = group
        .iter()
        .map(|&file| loaded.files[file].label())
        .collect();
    let first = segments
        .first()
        .and_then(|s| s.units.first())
        .copied()
        .unwrap_or_default();
    let (file, line, column) = loaded.position_of(first);
    // Every file split, at its first statement: each runs out of its order.
    let related = (group.iter())
        .filter_map(|&file| loaded.files[file].units.first())
        .map(|&unit| {
            let (file, line, column) = loaded.position_of(unit);
            Related {
                file,
                line,
                column,
                note: "this file runs in parts".into(),
            }
        })
        .collect();
    Diagnostic {
        severity: Severity::Warning,
        code: codes::SPLIT.into(),
        message: format!(
            "{} depend on each other, so they run in {} parts, statement by statement",
            names.join(", "),
            segments.len()
        ),
        file,
        line,
        column,
        related,
        help: "move the statements between the files so each file only needs earlier ones".into(),
        rule: None,
        fix: None,
    }
}

/// `items` (what both files set, and what the other order would leave) all
/// join the same two files; the first one is the headline.
pub fn ambiguous(loaded: &Loaded, items: &[(Edge, String)]) -> Diagnostic {
    let (edge, difference) = &items[0];
    let (file, line, column) = loaded.position_of(edge.to);
    let others = match items.len() {
        1 => String::new(),
        2 => " and 1 more object".into(),
        n => format!(" and {} more objects", n - 1),
    };
    let related = items
        .iter()
        .map(|(edge, _)| {
            let (file, line, column) = loaded.position_of(edge.from);
            Related {
                file,
                line,
                column,
                note: format!(
                    "touches {} before {} does",
                    display(&edge.object),
                    place(loaded, edge.to)
                ),
            }
        })
        .collect();
    Diagnostic {
        severity: Severity::Warning,
        code: codes::AMBIGUOUS_ORDER.into(),
        message: format!(
            "ambiguous order: {} and {} both touch {}{others}, and nothing but their file names decides which runs first ({} first was assumed); the other order would leave {}",
            place(loaded, edge.from),
            place(loaded, edge.to),
            display(&edge.object),
            loaded.files[loaded.units[edge.from].file].label(),
            difference,
        ),
        file,
        line,
        column,
        help: "give the files names that sort in the order they must run (e.g. a timestamp prefix)".into(),
        related,
    rule: None,
fix: None,
}
}
