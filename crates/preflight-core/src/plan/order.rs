//! Finds the order to run: files stay whole and in their given order where
//! that works; a file moves (stable, as little as possible) when it must run
//! before a file given earlier; files that depend on each other in a cycle
//! are split at statement level.
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

use petgraph::algo::{has_path_connecting, tarjan_scc};
use petgraph::graphmap::DiGraphMap;

use crate::analysis::facts::{ObjectKind, Strength};
use crate::diagnostics::Diagnostic;
use crate::plan::load::{Loaded, Lookups};
use crate::plan::simulate::{Edge, EdgeKind};
use crate::plan::{ambiguity, explain};
use crate::{HashMap, HashSet};

/// A run of statements from one file, in the order they run.
#[derive(Debug, Clone)]
pub struct Segment {
    pub file: usize,
    pub units: Vec<usize>,
}

pub struct Ordering {
    pub segments: Vec<Segment>,
    pub diagnostics: Vec<Diagnostic>,
}

/// `files` are the planned files in their given (hint) order.
pub fn order(loaded: &Loaded, files: &[usize], edges: &[Edge]) -> Ordering {
    let rank: HashMap<usize, usize> = files
        .iter()
        .enumerate()
        .map(|(rank, &file)| (file, rank))
        .collect();
    let file_of = |unit: usize| loaded.units[unit].file;
    let planned: Vec<&Edge> = edges
        .iter()
        .filter(|e| rank.contains_key(&file_of(e.from)) && rank.contains_key(&file_of(e.to)))
        .collect();
    let mut diagnostics = Vec::new();

    // Firm needs (what another file creates) decide; cycles among them
    // split files. Soft dependencies, and orders only the replay gave (a
    // use after a change), then hold wherever they close no cycle.
    let (firm, mut loose): (Vec<&Edge>, Vec<&Edge>) =
        planned.iter().copied().partition(|edge| is_firm(edge));
    let groups = cyclic_groups(files, &firm, &file_of);
    let group_of: HashMap<usize, usize> = groups
        .iter()
        .enumerate()
        .flat_map(|(group, members)| members.iter().map(move |&file| (file, group)))
        .collect();

    // Order files (a cyclic group counts as one node) by Kahn's algorithm,
    // always taking the earliest given file that is ready.
    let node_of = |file: usize| {
        group_of
            .get(&file)
            .map_or(Node::File(file), |&g| Node::Group(g))
    };
    let mut graph: DiGraphMap<Node, ()> = DiGraphMap::new();
    for &file in files {
        graph.add_node(node_of(file));
    }
    for edge in &firm {
        let (from, to) = (node_of(file_of(edge.from)), node_of(file_of(edge.to)));
        if from != to {
            graph.add_edge(from, to, ());
        }
    }
    let mut kept = firm;
    // Rows a statement needs now before what code needs when it runs.
    loose.sort_by_key(|edge| match edge.kind {
        EdgeKind::ReadAfterWrite if edge.object.kind == ObjectKind::Rows => 0,
        EdgeKind::ReadAfterWrite => 1,
        _ => 2,
    });
    // What code needs when it runs does not move a file against numbered
    // names: the person's order runs, and the code is not called before.
    let against_the_numbers = |edge: &Edge| {
        let (from, to) = (file_of(edge.from), file_of(edge.to));
        edge.strength == Strength::Soft
            && edge.object.kind != ObjectKind::Rows
            && rank[&from] > rank[&to]
            && loaded.files[from].has_order_hint()
            && loaded.files[to].has_order_hint()
    };
    for edge in loose {
        let (from, to) = (node_of(file_of(edge.from)), node_of(file_of(edge.to)));
        if from == to {
            kept.push(edge);
        } else if !against_the_numbers(edge) && !has_path_connecting(&graph, to, from, None) {
            graph.add_edge(from, to, ());
            kept.push(edge);
        }
    }
    let node_rank = |node: Node| match node {
        Node::File(file) => rank[&file],
        Node::Group(group) => groups[group]
            .iter()
            .map(|file| rank[file])
            .min()
            .unwrap_or(0),
    };
    let mut segments = Vec::new();
    for node in stable_topological_order(&graph, node_rank) {
        match node {
            Node::File(file) => segments.push(Segment {
                file,
                units: loaded.files[file].units.clone(),
            }),
            Node::Group(group) => {
                let split = split_group(loaded, &groups[group], &rank, &kept, &mut diagnostics);
                segments.extend(split);
            }
        }
    }

    diagnostics.extend(explain::moves(loaded, &rank, &kept));
    Ordering {
        segments,
        diagnostics,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Node {
    File(usize),
    Group(usize),
}

/// Whether an edge holds even inside a cycle: a hard need, not only the
/// order a replay happened to give.
fn is_firm(edge: &Edge) -> bool {
    edge.strength == Strength::Hard && edge.kind != EdgeKind::ReadAfterChange
}

/// Sets of files that depend on each other in a cycle.
fn cyclic_groups(
    files: &[usize],
    edges: &[&Edge],
    file_of: &impl Fn(usize) -> usize,
) -> Vec<BTreeSet<usize>> {
    let mut graph: DiGraphMap<usize, ()> = DiGraphMap::new();
    for &file in files {
        graph.add_node(file);
    }
    for edge in edges {
        let (from, to) = (file_of(edge.from), file_of(edge.to));
        if from != to {
            graph.add_edge(from, to, ());
        }
    }
    tarjan_scc(&graph)
        .into_iter()
        .filter(|component| component.len() > 1)
        .map(|component| component.into_iter().collect())
        .collect()
}

/// Kahn's algorithm taking the lowest-ranked ready node each time; when a
/// cycle blocks every node, the lowest-ranked blocked node goes next.
fn stable_topological_order<N>(graph: &DiGraphMap<N, ()>, rank: impl Fn(N) -> usize) -> Vec<N>
where
    N: Copy + Ord + std::hash::Hash + std::fmt::Debug,
{
    let mut indegree: HashMap<N, usize> = graph
        .nodes()
        .map(|node| {
            (
                node,
                graph
                    .neighbors_directed(node, petgraph::Direction::Incoming)
                    .count(),
            )
        })
        .collect();
    let mut ready: BinaryHeap<Reverse<(usize, N)>> = indegree
        .iter()
        .filter(|(_, &degree)| degree == 0)
        .map(|(&node, _)| Reverse((rank(node), node)))
        .collect();
    let mut done = HashSet::default();
    let mut order = Vec::with_capacity(indegree.len());
    while order.len() < indegree.len() {
        let next = match ready.pop() {
            Some(Reverse((_, node))) if done.contains(&node) => continue,
            Some(Reverse((_, node))) => node,
            None => {
                let blocked = indegree
                    .keys()
                    .filter(|node| !done.contains(*node))
                    .min_by_key(|&&node| (rank(node), node));
                *blocked.expect("nodes remain")
            }
        };
        done.insert(next);
        order.push(next);
        for successor in graph.neighbors_directed(next, petgraph::Direction::Outgoing) {
            let degree = indegree.get_mut(&successor).expect("known node");
            *degree = degree.saturating_sub(1);
            if *degree == 0 && !done.contains(&successor) {
                ready.push(Reverse((rank(successor), successor)));
            }
        }
    }
    order
}

/// Orders the statements of files that depend on each other in a cycle and
/// cuts them into runs of consecutive statements from one file.
fn split_group(
    loaded: &Loaded,
    group: &BTreeSet<usize>,
    rank: &HashMap<usize, usize>,
    edges: &[&Edge],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Segment> {
    let units: Vec<usize> = group
        .iter()
        .flat_map(|&file| loaded.files[file].units.iter().copied())
        .collect();
    let position: HashMap<usize, usize> = group
        .iter()
        .flat_map(|&file| {
            loaded.files[file]
                .units
                .iter()
                .enumerate()
                .map(move |(at, &unit)| (unit, (file, at)))
        })
        .map(|(unit, (file, at))| (unit, rank[&file] * 1_000_000 + at))
        .collect();
    let mut graph: DiGraphMap<usize, ()> = DiGraphMap::new();
    for &unit in &units {
        graph.add_node(unit);
    }
    // A file's statements keep their order: it is only cut into parts. In
    // a history every file ran top to bottom, so an edge that contradicts
    // that order comes from replaying the files in a wrong order; it gives
    // way, real needs (what another file creates) last.
    for &file in group {
        for pair in loaded.files[file].units.windows(2) {
            graph.add_edge(pair[0], pair[1], ());
        }
    }
    let mut inside: Vec<&Edge> = (edges.iter().copied())
        .filter(|edge| position.contains_key(&edge.from) && position.contains_key(&edge.to))
        .collect();
    let real_need = |edge: &Edge| edge.kind.is_decided_by_sql() && edge.strength == Strength::Hard;
    inside.sort_by_key(|edge| !real_need(edge));
    let mut unmet_needs = Vec::new();
    for edge in inside {
        if !has_path_connecting(&graph, edge.to, edge.from, None) {
            graph.add_edge(edge.from, edge.to, ());
        } else if real_need(edge) {
            unmet_needs.push(edge);
        }
    }
    // The real needs that no order meets, with what closes their cycle.
    let mut unmet = graph.clone();
    for edge in unmet_needs {
        unmet.add_edge(edge.from, edge.to, ());
    }
    for cycle in tarjan_scc(&unmet).into_iter().filter(|c| c.len() > 1) {
        diagnostics.push(explain::cycle(loaded, &cycle, edges));
    }
    let ordered = stable_topological_order(&graph, |unit| position[&unit]);
    let mut segments: Vec<Segment> = Vec::new();
    for unit in ordered {
        let file = loaded.units[unit].file;
        match segments.last_mut() {
            Some(segment) if segment.file == file => segment.units.push(unit),
            _ => segments.push(Segment {
                file,
                units: vec![unit],
            }),
        }
    }
    diagnostics.push(explain::split(loaded, group, &segments));
    segments
}

/// The orders of `segments` (the order found for `files`) that only the
/// file names decided (see `ambiguity.rs`).
pub fn ambiguities(
    loaded: &Loaded,
    files: &[usize],
    edges: &[Edge],
    lookups: &Lookups,
    segments: &[Segment],
) -> Vec<Diagnostic> {
    let planned_files: HashSet<usize> = files.iter().copied().collect();
    let planned_file = |unit: usize| planned_files.contains(&loaded.units[unit].file);
    let planned: Vec<&Edge> = (edges.iter())
        .filter(|edge| planned_file(edge.from) && planned_file(edge.to))
        .collect();
    let decided = |edge: &Edge| decisive(loaded, lookups, edge);
    ambiguity::ambiguities(loaded, segments, &planned, decided)
}

/// Whether the SQL decides the order an edge gives: a file needs what only
/// the other file creates, or rows a foreign key of its rows references
/// (a lookup alone, `select id from packages where name = 'x'`, decides
/// nothing).
fn decisive(loaded: &Loaded, lookups: &Lookups, edge: &Edge) -> bool {
    // The rows each side writes.
    let written = |unit: usize| {
        (loaded.units[unit].facts.facts.iter())
            .filter(|fact| fact.object.kind == ObjectKind::Rows && fact.action.writes())
            .map(|fact| &fact.object.name)
    };
    let by_key = || {
        written(edge.to).any(|table| {
            let keys = lookups.references.get(table);
            written(edge.from).any(|referenced| keys.is_some_and(|keys| keys.contains(referenced)))
        })
    };
    if by_key() {
        return true;
    }
    if edge.object.kind == ObjectKind::Rows {
        return false;
    }
    if edge.kind != EdgeKind::ReadAfterWrite {
        return edge.kind.is_decided_by_sql();
    }
    // Another file's creation decides unless a third file creates it too
    // (the reader's own file cannot serve a use before its creation).
    let reader_file = loaded.units[edge.to].file;
    (lookups.creators.get(&edge.object.identity()))
        .is_none_or(|files| files.iter().filter(|&&file| file != reader_file).count() <= 1)
}

/// Whether a file name says where it goes: a leading number or timestamp.
pub fn has_order_hint(name: &str) -> bool {
    base_name(name)
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_digit)
}

pub fn base_name(name: &str) -> &str {
    // Bytes, not chars: asked for every edge between two files.
    match name.bytes().rposition(|byte| byte == b'/' || byte == b'\\') {
        Some(at) => &name[at + 1..],
        None => name,
    }
}

/// Sort key that compares runs of digits as numbers: `2_x` before `10_x`.
pub fn natural_key(name: &str) -> (Vec<(u8, String)>, String) {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut digits = false;
    for c in base_name(name).chars() {
        if c.is_ascii_digit() != digits && !current.is_empty() {
            parts.push(part(digits, std::mem::take(&mut current)));
        }
        digits = c.is_ascii_digit();
        current.push(c);
    }
    if !current.is_empty() {
        parts.push(part(digits, current));
    }
    (parts, name.to_string())
}

fn part(digits: bool, text: String) -> (u8, String) {
    if digits {
        let trimmed = text.trim_start_matches('0');
        (0, format!("{:0>40}", trimmed))
    } else {
        (1, text.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_names_sort_as_numbers() {
        let mut names = vec!["10_b.sql", "2_a.sql", "x/001_c.sql", "readme.sql"];
        names.sort_by_key(|name| natural_key(name));
        assert_eq!(names, ["x/001_c.sql", "2_a.sql", "10_b.sql", "readme.sql"]);
    }

    #[test]
    fn only_leading_numbers_are_order_hints() {
        assert!(has_order_hint("supabase/migrations/20240101_init.sql"));
        assert!(!has_order_hint("init_2024.sql"));
    }
}
