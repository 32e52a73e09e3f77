//! Orders that only the file names decided: two files whose statements,
//! run the other way round, would leave another schema or other data, and
//! that nothing in the SQL orders (no dependency, however indirect). Changes
//! that commute (an index in one file, a policy in another) are no
//! ambiguity, whatever the names.
use std::collections::BTreeMap;

use petgraph::algo::has_path_connecting;
use petgraph::graphmap::DiGraphMap;

use crate::analysis::compact;
use crate::analysis::facts::{Action, Change, Fact, ObjectKind, ObjectRef, Strength};
use crate::analysis::kind::StatementKind;
use crate::analysis::names::QualifiedName;
use crate::diagnostics::Diagnostic;
use crate::plan::explain;
use crate::plan::load::{Loaded, Unit};
use crate::plan::order::Segment;
use crate::plan::simulate::{Edge, EdgeKind};
use crate::HashMap;

/// What two statements may both set, so that the last one wins.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Subject {
    /// An object files create or drop: whether it is there at the end, and
    /// which definition (`CREATE OR REPLACE` twice).
    Existence(ObjectRef),
    /// The columns files add to one table: their order.
    Columns(QualifiedName),
    /// One setting (a column's type or default, a table's row security).
    Setting(QualifiedName, String),
    Comment(ObjectRef),
    /// Who may use an object: a grant and a revoke do not commute.
    Privileges(ObjectRef),
    /// A type or domain one file changes (a domain's check) and another
    /// uses (a value cast to it).
    Type(ObjectRef),
    /// Rows one file writes and another reads (a lookup, `INSERT ...
    /// SELECT`) without a foreign key between them.
    Rows(QualifiedName),
}

/// Where the SQL orders a statement: with its whole file, or on its own in
/// a file a cycle split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Place {
    File(usize),
    Statement(usize),
}

/// How a statement touches a subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Touch {
    Sets,
    Reads,
    Grants,
    /// Rows inserted, refused if their key is taken (no ON CONFLICT).
    AddsRows,
    /// What writes to the rows do (a trigger, a rule): several on one
    /// table fire in the order of their names, not of their creation.
    ShapesWrites,
}

impl Touch {
    /// Whether two touches of one subject commute: reads with reads, grants
    /// with grants, rows added with rows added, and triggers with each
    /// other or with reads. Rows updated, deleted or upserted do not: the
    /// last statement decides what stays.
    fn commute(self, other: Touch) -> bool {
        matches!(
            (self, other),
            (Touch::Reads, Touch::Reads)
                | (Touch::Grants, Touch::Grants)
                | (Touch::AddsRows, Touch::AddsRows)
                | (Touch::ShapesWrites, Touch::ShapesWrites | Touch::Reads)
                | (Touch::Reads, Touch::ShapesWrites)
        )
    }
}

impl Subject {
    fn object(&self) -> ObjectRef {
        match self {
            Subject::Existence(object)
            | Subject::Comment(object)
            | Subject::Privileges(object)
            | Subject::Type(object) => object.clone(),
            Subject::Columns(table) | Subject::Setting(table, _) => {
                ObjectRef::new(ObjectKind::Relation, table.clone())
            }
            Subject::Rows(table) => ObjectRef::new(ObjectKind::Rows, table.clone()),
        }
    }

    /// What the other order would leave.
    fn difference(&self) -> String {
        match self {
            Subject::Existence(object) => {
                format!("{object} as the other statement leaves it (created, redefined or dropped)")
            }
            Subject::Columns(table) => format!("the columns of {table} in another order"),
            Subject::Setting(table, setting) => {
                format!("another {setting} on {table} (the last one stays)")
            }
            Subject::Comment(object) => format!("the other comment on {object}"),
            Subject::Privileges(object) => format!("other privileges on {object}"),
            Subject::Type(object) => format!("values checked against another {object}"),
            Subject::Rows(table) => format!("other rows in {table}"),
        }
    }
}

/// One diagnostic per pair of files that only the names ordered, naming
/// what they both set. `edges`: the planned files' edges; `decisive`: which
/// of them the SQL decides.
pub fn ambiguities(
    loaded: &Loaded,
    segments: &[Segment],
    edges: &[&Edge],
    decisive: impl Fn(&Edge) -> bool,
) -> Vec<Diagnostic> {
    let file_of = |unit: usize| loaded.units[unit].file;
    // The SQL orders whole files, or the statements of files a cycle split
    // (in written order): a path between two places decides.
    let mut parts: HashMap<usize, usize> = HashMap::default();
    for segment in segments {
        *parts.entry(segment.file).or_default() += 1;
    }
    let place = |unit: usize| match parts.get(&file_of(unit)) {
        Some(&count) if count > 1 => Place::Statement(unit),
        _ => Place::File(file_of(unit)),
    };
    let mut decided: DiGraphMap<Place, ()> = DiGraphMap::new();
    for edge in edges.iter().filter(|edge| decisive(edge)) {
        let (from, to) = (place(edge.from), place(edge.to));
        if from != to {
            decided.add_edge(from, to, ());
        }
    }
    for (&file, _) in parts.iter().filter(|(_, &count)| count > 1) {
        for pair in loaded.files[file].units.windows(2) {
            decided.add_edge(Place::Statement(pair[0]), Place::Statement(pair[1]), ());
        }
    }
    let ordered = |a: usize, b: usize| {
        let (a, b) = (place(a), place(b));
        decided.contains_node(a)
            && decided.contains_node(b)
            && (has_path_connecting(&decided, a, b, None)
                || has_path_connecting(&decided, b, a, None))
    };
    // Per subject, the statements that set it (or read it: rows), in the
    // planned order.
    let mut touches: BTreeMap<Subject, Vec<(usize, Touch)>> = BTreeMap::new();
    for unit in segments.iter().flat_map(|segment| &segment.units) {
        for (subject, touch) in subjects(loaded, *unit) {
            touches.entry(subject).or_default().push((*unit, touch));
        }
    }
    let mut pairs: BTreeMap<(usize, usize), Vec<(Edge, String)>> = BTreeMap::new();
    for (subject, units) in &touches {
        for pair in units.windows(2) {
            let ((first, first_touch), (second, second_touch)) = (pair[0], pair[1]);
            let (a, b) = (file_of(first), file_of(second));
            let hinted = loaded.files[a].has_order_hint() && loaded.files[b].has_order_hint();
            // Cheapest first: comparing two statements builds their trees.
            if a == b
                || hinted
                || first_touch.commute(second_touch)
                || ordered(first, second)
                || alike_and_tolerant(loaded, first, second)
            {
                continue;
            }
            let edge = Edge {
                from: first,
                to: second,
                object: subject.object(),
                kind: EdgeKind::WriteAfterWrite,
                strength: Strength::Soft,
            };
            pairs
                .entry((a.min(b), a.max(b)))
                .or_default()
                .push((edge, subject.difference()));
        }
    }
    // Data: whatever a data statement shares with another file's statement
    // (a table, a type its values are checked against, a function its
    // values come from) may change what it writes, unless the SQL orders
    // the two.
    for edge in edges.iter().filter(|edge| !decisive(edge)) {
        let (a, b) = (file_of(edge.from), file_of(edge.to));
        let hinted = loaded.files[a].has_order_hint() && loaded.files[b].has_order_hint();
        if a == b || hinted || ordered(edge.from, edge.to) {
            continue;
        }
        let Some((writer, table)) = [edge.from, edge.to]
            .into_iter()
            .find_map(|unit| Some((unit, rows_written(loaded, unit)?)))
        else {
            continue;
        };
        let other = if writer == edge.from {
            edge.to
        } else {
            edge.from
        };
        if !changes_what_is_written(loaded, other, table, &edge.object) {
            continue;
        }
        let difference = format!("other rows in {table}");
        let items = pairs.entry((a.min(b), a.max(b))).or_default();
        if !items.iter().any(|(_, known)| *known == difference) {
            items.push(((*edge).clone(), difference));
        }
    }
    pairs
        .values()
        .map(|items| explain::ambiguous(loaded, items))
        .collect()
}

/// The table whose rows a data statement writes.
fn rows_written(loaded: &Loaded, unit: usize) -> Option<&QualifiedName> {
    let facts = &loaded.units[unit].facts;
    let data = matches!(
        facts.kind,
        StatementKind::Insert
            | StatementKind::Update
            | StatementKind::Delete
            | StatementKind::Merge
            | StatementKind::CopyFrom
    );
    (facts.facts.iter())
        .find(|fact| data && fact.object.kind == ObjectKind::Rows && fact.action.writes())
        .map(|fact| &fact.object.name)
}

/// Whether two statements are the same to the letter (and to the
/// `search_path`) and tolerate what the other made (IF NOT EXISTS, OR
/// REPLACE): whichever runs first, they leave the same.
fn alike_and_tolerant(loaded: &Loaded, a: usize, b: usize) -> bool {
    let (a, b) = (&loaded.units[a], &loaded.units[b]);
    let tolerant =
        |unit: &Unit| unit.facts.tolerance.if_not_exists || unit.facts.tolerance.or_replace;
    tolerant(a)
        && tolerant(b)
        && a.search_path == b.search_path
        && compact::to_tree(&a.statement.node) == compact::to_tree(&b.statement.node)
}

/// Whether `unit`, run on either side of a statement that writes rows of
/// `table` and shares `object` with it, changes what that write leaves. A
/// function, type or sequence the written values come from does; so do a
/// trigger or rule on the table and a column default. A view, a function
/// reading the table, an index, a table whose foreign key references it, a
/// comment or a grant leave the same rows either way; another data
/// statement is compared by the rows both touch.
fn changes_what_is_written(
    loaded: &Loaded,
    unit: usize,
    table: &QualifiedName,
    object: &ObjectRef,
) -> bool {
    let a_relation = matches!(
        object.kind,
        ObjectKind::Relation | ObjectKind::Table | ObjectKind::Rows
    );
    if !a_relation {
        return true;
    }
    // Another table's rows read into the written ones change only with
    // data, which the rows both touch compare.
    if object.name != *table {
        return false;
    }
    let facts = &loaded.units[unit].facts;
    if facts.kind.changes_data() || facts.kind == StatementKind::Select {
        return false;
    }
    let on_table = |fact: &&Fact| {
        fact.action.writes()
            && matches!(fact.object.kind, ObjectKind::Trigger | ObjectKind::Rule)
            && fact.object.on.as_ref() == Some(table)
    };
    let sets_default = |change: &Change| matches!(change, Change::Default { table: changed, .. } if changed == table);
    facts.facts.iter().any(|fact| on_table(&fact)) || facts.changes.iter().any(sets_default)
}

/// What `unit` sets, or reads, that another statement may set too.
fn subjects(loaded: &Loaded, unit: usize) -> Vec<(Subject, Touch)> {
    let facts = &loaded.units[unit].facts;
    let privileges = matches!(facts.kind, StatementKind::Grant | StatementKind::Revoke);
    let mut subjects = Vec::new();
    for fact in &facts.facts {
        let object = &fact.object;
        let subject = match (fact.action, object.kind) {
            (Action::Creates, ObjectKind::Column) => {
                let Some(table) = &object.on else { continue };
                (Subject::Columns(table.clone()), Touch::Sets)
            }
            (action, ObjectKind::Rows) => {
                let adds = matches!(facts.kind, StatementKind::Insert | StatementKind::CopyFrom)
                    && !facts.tolerance.on_conflict;
                let touch = match (action.writes(), facts.kind.changes_data(), adds) {
                    (false, _, _) => Touch::Reads,
                    (true, false, _) => Touch::ShapesWrites,
                    (true, true, true) => Touch::AddsRows,
                    (true, true, false) => Touch::Sets,
                };
                (Subject::Rows(object.name.clone()), touch)
            }
            (Action::Creates | Action::Drops, kind) if !kind.is_table_part() => {
                (Subject::Existence(object.identity()), Touch::Sets)
            }
            (Action::Alters, _) if facts.kind == StatementKind::Comment => {
                (Subject::Comment(object.identity()), Touch::Sets)
            }
            (Action::Alters, _) if privileges => {
                let touch = match facts.kind {
                    StatementKind::Grant => Touch::Grants,
                    _ => Touch::Sets,
                };
                (Subject::Privileges(object.identity()), touch)
            }
            (Action::Alters, ObjectKind::Type) => (Subject::Type(object.identity()), Touch::Sets),
            (Action::Reads, ObjectKind::Type) => (Subject::Type(object.identity()), Touch::Reads),
            _ => continue,
        };
        subjects.push(subject);
    }
    // A statement that does nothing when its object is missing (IF EXISTS)
    // depends on whether the table is there yet: nothing orders it.
    if facts.tolerance.if_exists {
        for table in (facts.facts.iter()).filter_map(|fact| fact.object.on.clone()) {
            let table = ObjectRef::new(ObjectKind::Relation, table).identity();
            subjects.push((Subject::Existence(table), Touch::Reads));
        }
    }
    for change in &facts.changes {
        if let Some((table, setting)) = change.setting() {
            subjects.push((Subject::Setting(table, setting), Touch::Sets));
        }
    }
    subjects.sort();
    subjects.dedup();
    subjects
}
