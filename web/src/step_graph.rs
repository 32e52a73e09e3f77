//! The plan's steps as a picture: a node per step, an edge from each step
//! to the steps that need it (with the reasons), laid out in layers by the
//! Sugiyama method (`rust-sugiyama`), top to bottom in the order they run.
use std::collections::BTreeSet;

use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use preflight_core::diagnostics::{codes, Severity};
use preflight_core::plan::{Plan, Step};
use rust_sugiyama::configure::Config;
use serde::{Deserialize, Serialize};

/// Room a title's character takes, and the limits of a node's width.
pub const CHAR_WIDTH: f64 = 7.4;
/// Room beside a title: the step number before it, a margin after it.
pub const TEXT_INSET: f64 = 40.0;
const MIN_WIDTH: f64 = 110.0;
const MAX_WIDTH: f64 = 300.0;
pub const NODE_HEIGHT: f64 = 42.0;
/// The most edges for which crossings are also reduced by transposition.
const TRANSPOSE_UP_TO: usize = 150;
/// Rows of independent parts are at most this wide (unless one part is
/// wider).
const ROW_WIDTH: f64 = 560.0;
/// Between disconnected parts of the picture, and around it.
const GAP: f64 = 40.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub step: usize,
    pub title: String,
    /// Where the step's SQL starts.
    pub file: String,
    pub start_line: u32,
    /// The top-left corner and size.
    pub x: f64,
    pub y: f64,
    pub width: f64,
    /// Problems in the step's lines, and the worst of them.
    pub problems: usize,
    pub worst: Option<Severity>,
    /// The step's file was moved before a file named earlier.
    pub moved: bool,
    /// The file was split into several steps (part k of n).
    pub part: Option<(usize, usize)>,
    pub irreversible: bool,
    /// Its statements are in a cycle no order can run (error PF200).
    pub in_cycle: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    /// Indexes into the nodes: `from` is needed by `to`.
    pub from: usize,
    pub to: usize,
    /// Why `to` runs after `from`, in the plan's words.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StepGraph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub width: f64,
    pub height: f64,
}

/// The last layout and what it depended on: the nodes' widths and the
/// edges. Typing inside a file seldom changes either, and the picture then
/// keeps its places without being laid out again.
#[derive(Default)]
pub struct Layouts {
    last: Option<(Shape, Placed)>,
}

#[derive(PartialEq)]
struct Shape {
    widths: Vec<f64>,
    edges: Vec<(usize, usize)>,
}

struct Placed {
    corners: Vec<(f64, f64)>,
    width: f64,
    height: f64,
}

impl StepGraph {
    /// The plan's picture, laid out as the last one was when `layouts`
    /// saw the same shape.
    pub fn of(plan: &Plan, layouts: &mut Layouts) -> Self {
        let nodes: Vec<Node> = plan.steps.iter().map(|step| node(plan, step)).collect();
        let index_of = |number: usize| plan.steps.iter().position(|s| s.number == number);
        let edges: Vec<Edge> = plan
            .steps
            .iter()
            .enumerate()
            .flat_map(|(to, step)| {
                step.depends_on.iter().filter_map(move |&number| {
                    let from = index_of(number)?;
                    let prefix = format!("after step {number}:");
                    let reasons = step
                        .reasons
                        .iter()
                        .filter(|reason| reason.starts_with(&prefix))
                        .cloned()
                        .collect();
                    Some(Edge { from, to, reasons })
                })
            })
            .collect();
        let mut graph = Self {
            nodes,
            edges,
            width: 0.0,
            height: 0.0,
        };
        let shape = Shape {
            widths: graph.nodes.iter().map(|node| node.width).collect(),
            edges: graph
                .edges
                .iter()
                .map(|edge| (edge.from, edge.to))
                .collect(),
        };
        match layouts.last.take().filter(|(last, _)| *last == shape) {
            Some((_, placed)) => graph.place(&placed),
            None => graph.lay_out(),
        }
        layouts.last = Some((shape, graph.placed()));
        graph
    }

    fn placed(&self) -> Placed {
        Placed {
            corners: self.nodes.iter().map(|node| (node.x, node.y)).collect(),
            width: self.width,
            height: self.height,
        }
    }

    fn place(&mut self, placed: &Placed) {
        for (node, &(x, y)) in self.nodes.iter_mut().zip(&placed.corners) {
            (node.x, node.y) = (x, y);
        }
        (self.width, self.height) = (placed.width, placed.height);
    }

    /// Places the nodes: each connected part in layers, parts side by side.
    fn lay_out(&mut self) {
        let mut graph: StableDiGraph<f64, ()> = StableDiGraph::new();
        let ids: Vec<NodeIndex> = self.nodes.iter().map(|n| graph.add_node(n.width)).collect();
        for edge in &self.edges {
            graph.add_edge(ids[edge.from], ids[edge.to], ());
        }
        let config = Config {
            vertex_spacing: 28.0,
            // Swapping neighbours to save a few more crossings costs
            // seconds on dense graphs, and little legibility.
            transpose: self.edges.len() <= TRANSPOSE_UP_TO,
            ..Config::default()
        };
        let parts = rust_sugiyama::from_graph(&graph, &|_, width| (*width, NODE_HEIGHT), &config);
        // Each part placed at the origin first, then packed in rows no
        // wider than the widest part (or a screenful), so that a few
        // independent files do not make the picture too wide to read.
        let mut boxes = Vec::new();
        for (positions, _, _) in parts {
            let (mut min_x, mut max_x, mut min_y, mut max_y) =
                (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
            // The layout's y grows in one direction or the other: the steps
            // that run first go on top.
            let sign = self.direction(&positions, &ids);
            for &(id, (x, y)) in &positions {
                let node = &self.nodes[id.index()];
                min_x = min_x.min(x - node.width / 2.0);
                max_x = max_x.max(x + node.width / 2.0);
                min_y = min_y.min(sign * y);
                max_y = max_y.max(sign * y);
            }
            let members: Vec<usize> = positions.iter().map(|(id, _)| id.index()).collect();
            for &(id, (x, y)) in &positions {
                let node = &mut self.nodes[id.index()];
                node.x = x - node.width / 2.0 - min_x;
                node.y = sign * y - min_y;
            }
            boxes.push((members, max_x - min_x, max_y - min_y + NODE_HEIGHT));
        }
        let row_width = boxes.iter().map(|b| b.1).fold(ROW_WIDTH, f64::max);
        let (mut left, mut top, mut row_height) = (GAP, GAP, 0.0_f64);
        for (members, width, height) in boxes {
            if left > GAP && left + width > row_width + GAP {
                (left, top) = (GAP, top + row_height + GAP);
                row_height = 0.0;
            }
            for member in members {
                self.nodes[member].x += left;
                self.nodes[member].y += top;
            }
            left += width + GAP;
            row_height = row_height.max(height);
            self.width = self.width.max(left);
        }
        self.height = top + row_height + GAP;
    }

    /// The steps hidden when `collapsed` steps fold away what needs them:
    /// those no longer reached from a first step without passing through a
    /// collapsed one.
    pub fn hidden(&self, collapsed: &BTreeSet<usize>) -> BTreeSet<usize> {
        // Steps run in order: only a need on an earlier step leads anywhere
        // (a cycle's edges would leave no first step at all).
        let forward = || self.edges.iter().filter(|edge| edge.from < edge.to);
        let mut has_parent = vec![false; self.nodes.len()];
        for edge in forward() {
            has_parent[edge.to] = true;
        }
        let mut reached = vec![false; self.nodes.len()];
        let mut queue: Vec<usize> = (0..self.nodes.len()).filter(|&n| !has_parent[n]).collect();
        while let Some(node) = queue.pop() {
            if std::mem::replace(&mut reached[node], true)
                || collapsed.contains(&self.nodes[node].step)
            {
                continue;
            }
            queue.extend(forward().filter(|e| e.from == node).map(|e| e.to));
        }
        (0..self.nodes.len())
            .filter(|&n| !reached[n])
            .map(|n| self.nodes[n].step)
            .collect()
    }

    /// Whether the step has steps that need it (so it can fold them away).
    pub fn is_needed(&self, node: usize) -> bool {
        self.edges.iter().any(|edge| edge.from == node)
    }

    /// `1.0` when the layout puts needed steps above the steps needing them.
    fn direction(&self, positions: &[(NodeIndex, (f64, f64))], ids: &[NodeIndex]) -> f64 {
        let y_of = |node: usize| {
            positions
                .iter()
                .find(|(id, _)| *id == ids[node])
                .map(|(_, (_, y))| *y)
        };
        let downward: f64 = self
            .edges
            .iter()
            .filter_map(|edge| Some(y_of(edge.to)? - y_of(edge.from)?))
            .sum();
        if downward < 0.0 {
            -1.0
        } else {
            1.0
        }
    }
}

fn node(plan: &Plan, step: &Step) -> Node {
    let source = &step.sources[0];
    let parts: Vec<&Step> = plan
        .steps
        .iter()
        .filter(|s| s.sources[0].file == source.file)
        .collect();
    // A problem belongs to the part of its file that starts last before it
    // (a statement left out by a syntax error is in no step's lines).
    let owner = |line: u32| {
        parts
            .iter()
            .filter(|part| part.sources[0].start_line <= line)
            .max_by_key(|part| part.sources[0].start_line)
            .or(parts.first())
            .map(|part| part.number)
    };
    // Errors and warnings: information is not a problem to mark.
    let here: Vec<Severity> = plan
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .filter(|d| d.file == source.file && owner(d.line) == Some(step.number))
        .map(|d| d.severity)
        .collect();
    let moved = plan.diagnostics.iter().any(|d| {
        d.code == codes::MOVED
            && d.message
                .starts_with(&format!("{} moves before", source.file))
    });
    Node {
        step: step.number,
        title: step.title.clone(),
        file: source.file.clone(),
        start_line: source.start_line,
        x: 0.0,
        y: 0.0,
        width: (shown_name(&step.title).chars().count() as f64 * CHAR_WIDTH + TEXT_INSET)
            .clamp(MIN_WIDTH, MAX_WIDTH),
        problems: here.len(),
        worst: here.into_iter().min(),
        moved,
        part: step.part,
        irreversible: step.rollback_sql.is_none(),
        in_cycle: plan
            .diagnostics
            .iter()
            .filter(|d| d.code == codes::CYCLE)
            .any(|d| names_a_line_of(&d.message, step)),
    }
}

/// Whether `text` names a place (`file:line`) among the step's lines, as a
/// cycle's path does for each statement on it.
fn names_a_line_of(text: &str, step: &Step) -> bool {
    let source = &step.sources[0];
    let marker = format!("{}:", source.file);
    text.match_indices(&marker).any(|(at, _)| {
        let digits: String = text[at + marker.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits
            .parse::<u32>()
            .is_ok_and(|line| (source.start_line..=source.end_line).contains(&line))
    })
}

/// What a node shows of a step's title: the file's own name (its folder
/// is in the tooltip).
pub fn shown_name(title: &str) -> &str {
    title.rsplit('/').next().unwrap_or(title)
}

#[cfg(test)]
mod tests {
    use preflight_core::analysis::source::Source;
    use preflight_core::plan::plan;

    use super::*;

    #[test]
    fn every_step_is_a_node_every_need_an_edge_and_needed_steps_sit_above() {
        let plan = plan(
            &[
                Source::new("1_profiles.sql", "create table profiles (id int primary key);"),
                Source::new("2_notes.sql", "create table notes (id int, profile int references profiles);\nselect from from;"),
                Source::new("3_roles.sql", "alter table profiles add column role text;"),
                Source::new("4_other.sql", "create table other (id int);"),
            ],
            &[],
        );
        let graph = StepGraph::of(&plan, &mut Layouts::default());
        let titles: Vec<&str> = graph.nodes.iter().map(|n| n.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "1_profiles.sql",
                "2_notes.sql",
                "3_roles.sql",
                "4_other.sql"
            ]
        );
        let edges: Vec<(usize, usize)> = graph.edges.iter().map(|e| (e.from, e.to)).collect();
        assert_eq!(edges, [(0, 1), (0, 2)]);
        assert!(
            graph.edges[0].reasons[0].starts_with("after step 1: "),
            "{:?}",
            graph.edges[0]
        );
        for edge in &graph.edges {
            assert!(
                graph.nodes[edge.from].y + NODE_HEIGHT <= graph.nodes[edge.to].y,
                "{graph:?}"
            );
        }
        let in_notes = (plan.diagnostics.iter())
            .filter(|d| d.file == "2_notes.sql" && d.severity != Severity::Info)
            .count();
        assert!(in_notes > 1, "the syntax error and lint findings");
        assert_eq!(graph.nodes[1].problems, in_notes);
        assert_eq!(graph.nodes[1].worst, Some(Severity::Error));
        // Nodes never overlap.
        for (i, a) in graph.nodes.iter().enumerate() {
            for b in &graph.nodes[i + 1..] {
                let apart = a.x + a.width <= b.x
                    || b.x + b.width <= a.x
                    || a.y + NODE_HEIGHT <= b.y
                    || b.y + NODE_HEIGHT <= a.y;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
        assert!(graph
            .nodes
            .iter()
            .all(|n| n.x + n.width <= graph.width && n.y + NODE_HEIGHT <= graph.height));
        assert!(graph.nodes.iter().all(|n| !n.in_cycle));
    }

    #[test]
    fn collapsing_a_step_hides_what_only_it_leads_to() {
        let plan = plan(
            &[
                Source::new("1_a.sql", "create table a (id int primary key);"),
                Source::new("2_b.sql", "create table b (a int references a);"),
                Source::new("3_c.sql", "create table c (id int primary key);"),
                Source::new("4_d.sql", "create table d (b int, c int references c);\nalter table d add column x int references a;"),
            ],
            &[],
        );
        let graph = StepGraph::of(&plan, &mut Layouts::default());
        let collapse = |steps: &[usize]| graph.hidden(&steps.iter().copied().collect());
        assert!(collapse(&[]).is_empty());
        // b only needs a; d also needs c, which stays shown, so d stays too.
        assert_eq!(collapse(&[1]), BTreeSet::from([2]));
        assert_eq!(collapse(&[1, 3]), BTreeSet::from([2, 4]));
        assert!(graph.is_needed(0) && !graph.is_needed(3));
        // A need on a later step (as around a cycle) hides nothing unfolded.
        let mut looped = graph.clone();
        looped.edges.push(Edge {
            from: 3,
            to: 0,
            reasons: Vec::new(),
        });
        looped.edges.push(Edge {
            from: 3,
            to: 2,
            reasons: Vec::new(),
        });
        assert!(looped.hidden(&BTreeSet::new()).is_empty());
    }

    #[test]
    fn a_plan_of_the_same_shape_keeps_the_last_places_and_another_is_laid_out_afresh() {
        let files = |b: &str, c: &str| {
            plan(
                &[
                    Source::new("1_a.sql", "create table a (id int primary key);"),
                    Source::new("2_b.sql", b),
                    Source::new("3_c.sql", c),
                ],
                &[],
            )
        };
        let mut layouts = Layouts::default();
        let first = StepGraph::of(
            &files(
                "create table b (a int references a);",
                "create table c (id int);",
            ),
            &mut layouts,
        );
        // Typed inside a file: same steps, same needs, same titles.
        let typed = files(
            "create table b (a int references a, note text);",
            "create table c (id int);",
        );
        let mut kept = StepGraph::of(&typed, &mut layouts);
        assert_eq!(kept, StepGraph::of(&typed, &mut Layouts::default()));
        // The places are the last picture's, whatever a fresh layout gives.
        kept.nodes[0].x += 1.0;
        layouts.last.as_mut().expect("a layout").1 = kept.placed();
        assert_eq!(
            StepGraph::of(&typed, &mut layouts).nodes[0].x,
            kept.nodes[0].x
        );
        // A new need: laid out again.
        let needing = files(
            "create table b (a int references a);",
            "create table c (b int references b (a));",
        );
        let graph = StepGraph::of(&needing, &mut layouts);
        assert_ne!(graph.edges.len(), first.edges.len());
        assert_eq!(graph, StepGraph::of(&needing, &mut Layouts::default()));
    }

    #[test]
    fn the_steps_of_a_cycle_are_marked() {
        let plan = plan(
            &[
                Source::new("1_a.sql", "create view a as select * from b;"),
                Source::new("2_b.sql", "create view b as select * from a;"),
                Source::new("3_c.sql", "create table c (id int);"),
            ],
            &[],
        );
        assert!(
            plan.diagnostics.iter().any(|d| d.code == codes::CYCLE),
            "{:?}",
            plan.diagnostics
        );
        let graph = StepGraph::of(&plan, &mut Layouts::default());
        let in_cycle: Vec<&str> = graph
            .nodes
            .iter()
            .filter(|n| n.in_cycle)
            .map(|n| n.title.as_str())
            .collect();
        assert_eq!(in_cycle.len(), 2, "{:?}", graph.nodes);
        assert!(in_cycle.iter().all(|title| !title.contains("3_c")));
    }
}
