//! One object's neighbourhood as a picture: what it needs on the left,
//! what needs it on the right, the files that touch it below; each
//! neighbour one click from its own neighbourhood. Pure, tested natively.
use std::collections::BTreeMap;

use crate::objects::Entry;

/// Each column (and the files) shows at most this many; the rest are
/// counted.
pub const MAX_PER_COLUMN: usize = 24;
pub const NODE_HEIGHT: f64 = 28.0;
const CHAR_WIDTH: f64 = 7.0;
const MAX_LABEL: usize = 46;
const GAP: f64 = 10.0;
/// Between the columns, where the edges run.
const LANE: f64 = 90.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Needs,
    Focus,
    NeededBy,
    File,
    /// "N more", standing for what a column does not show.
    More,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub role: Role,
    /// The object's name in words, or the file's name.
    pub name: String,
    /// What the node shows: the name, shortened to fit.
    pub label: String,
    /// The reasons for its edge (or, for a file, how it touches the object).
    pub why: Vec<String>,
    /// For a file: the line of its first statement touching the object.
    pub line: u32,
    pub x: f64,
    pub y: f64,
    pub width: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub nodes: Vec<Node>,
    pub width: f64,
    pub height: f64,
}

impl Picture {
    pub fn of(name: &str, entry: &Entry) -> Self {
        let needs = column(Role::Needs, &entry.needs);
        let needed_by = column(Role::NeededBy, &entry.needed_by);
        let mut files: BTreeMap<&str, (u32, Vec<String>)> = BTreeMap::new();
        for touch in &entry.touches {
            let file = files.entry(&touch.file).or_insert((touch.line, Vec::new()));
            file.0 = file.0.min(touch.line);
            file.1.push(format!(
                "{} at line {}: {}",
                touch.action, touch.line, touch.statement
            ));
        }
        let files = capped(
            files
                .into_iter()
                .map(|(file, (line, why))| Node {
                    line,
                    ..node(Role::File, file, why)
                })
                .collect(),
        );
        let focus = node(Role::Focus, name, Vec::new());
        let width_of = |nodes: &[Node]| nodes.iter().map(|n| n.width).fold(0.0, f64::max);
        let (left, right) = (width_of(&needs), width_of(&needed_by));
        let middle = width_of(&files).max(focus.width);
        let middle_x = if left > 0.0 { left + LANE } else { 0.0 };
        let right_x = middle_x + middle + LANE;
        let height_of = |count: usize| count as f64 * (NODE_HEIGHT + GAP);
        let side_height = height_of(needs.len()).max(height_of(needed_by.len()));
        // The object sits level with the middle of its neighbours.
        let focus_y = (side_height / 2.0 - NODE_HEIGHT / 2.0).max(0.0);
        let mut nodes = Vec::new();
        nodes.extend(placed(needs, 0.0, 0.0));
        nodes.push(Node {
            x: middle_x + (middle - focus.width) / 2.0,
            y: focus_y,
            ..focus
        });
        let files_y = focus_y + NODE_HEIGHT + 2.0 * GAP;
        let file_count = files.len();
        nodes.extend(placed(files, middle_x, files_y));
        nodes.extend(placed(needed_by, right_x, 0.0));
        let width = if right > 0.0 {
            right_x + right
        } else {
            middle_x + middle
        };
        Picture {
            nodes,
            width,
            height: side_height.max(files_y + height_of(file_count)),
        }
    }

    pub fn focus(&self) -> &Node {
        self.nodes
            .iter()
            .find(|n| n.role == Role::Focus)
            .expect("the object")
    }
}

/// A column of neighbours, by name.
fn column(role: Role, neighbours: &BTreeMap<String, Vec<String>>) -> Vec<Node> {
    capped(
        neighbours
            .iter()
            .map(|(name, why)| node(role, name, why.clone()))
            .collect(),
    )
}

/// The first `MAX_PER_COLUMN` nodes, then how many more there are.
fn capped(mut nodes: Vec<Node>) -> Vec<Node> {
    if nodes.len() > MAX_PER_COLUMN {
        let more = format!("{} more", nodes.len() - MAX_PER_COLUMN);
        nodes.truncate(MAX_PER_COLUMN);
        nodes.push(node(Role::More, &more, Vec::new()));
    }
    nodes
}

fn node(role: Role, name: &str, why: Vec<String>) -> Node {
    let label: String = match name.chars().count() > MAX_LABEL {
        true => name.chars().take(MAX_LABEL - 1).chain(['…']).collect(),
        false => name.to_string(),
    };
    let width = label.chars().count() as f64 * CHAR_WIDTH + 20.0;
    Node {
        role,
        name: name.to_string(),
        label,
        why,
        line: 0,
        x: 0.0,
        y: 0.0,
        width,
    }
}

fn placed(nodes: Vec<Node>, x: f64, top: f64) -> impl Iterator<Item = Node> {
    nodes.into_iter().enumerate().map(move |(row, node)| Node {
        x,
        y: top + row as f64 * (NODE_HEIGHT + GAP),
        ..node
    })
}

#[cfg(test)]
mod tests {
    use preflight_core::analysis::source::Source;
    use preflight_core::plan::{analyse, Options};

    use super::*;
    use crate::objects::index;

    fn overlap(a: &Node, b: &Node) -> bool {
        a.x < b.x + b.width
            && b.x < a.x + a.width
            && a.y < b.y + NODE_HEIGHT
            && b.y < a.y + NODE_HEIGHT
    }

    #[test]
    fn needs_left_needed_by_right_files_below_nothing_overlaps() {
        let mut columns = String::new();
        for n in 0..30 {
            columns.push_str(&format!("alter table profiles add column c{n} text;\n"));
        }
        let analysis = analyse(
            &[
                Source::new("1_profiles.sql", format!("create table profiles (id uuid primary key, role text);\n{columns}")),
                Source::new("2_policy.sql", "create table notes (id uuid);\ncreate policy admins on notes using (exists (select 1 from profiles where role = 'admin'));"),
            ],
            &[],
            Options::default(),
        );
        let objects = index(&analysis.report);
        let name = "table public.profiles";
        let picture = Picture::of(name, &objects[name]);
        let focus = picture.focus();
        let of = |role| picture.nodes.iter().filter(move |n| n.role == role);
        // 32 columns, the primary key constraint, its two keys (by column,
        // and "primary key") and the policy need the table: 24 shown, then
        // "12 more".
        assert_eq!(of(Role::NeededBy).count(), MAX_PER_COLUMN);
        assert_eq!(
            of(Role::More).map(|n| n.label.as_str()).collect::<Vec<_>>(),
            ["12 more"]
        );
        assert!(of(Role::NeededBy).all(|n| n.x > focus.x + focus.width));
        let files: Vec<(&str, u32)> = of(Role::File).map(|n| (n.name.as_str(), n.line)).collect();
        assert_eq!(files, [("1_profiles.sql", 1), ("2_policy.sql", 2)]);
        assert!(of(Role::File).all(|n| n.y > focus.y));
        for (i, a) in picture.nodes.iter().enumerate() {
            for b in &picture.nodes[i + 1..] {
                assert!(!overlap(a, b), "{} overlaps {}", a.name, b.name);
            }
            assert!(a.x + a.width <= picture.width && a.y + NODE_HEIGHT <= picture.height);
        }

        let name = "policy admins on public.notes";
        let picture = Picture::of(name, &objects[name]);
        let needs: Vec<&str> = of_role(&picture, Role::Needs);
        assert_eq!(
            needs,
            [
                "column public.profiles.role",
                "table public.notes",
                "table public.profiles"
            ]
        );
        assert!(picture
            .nodes
            .iter()
            .filter(|n| n.role == Role::Needs)
            .all(|n| n.x + n.width < picture.focus().x));
    }

    fn of_role(picture: &Picture, role: Role) -> Vec<&str> {
        picture
            .nodes
            .iter()
            .filter(|n| n.role == role)
            .map(|n| n.name.as_str())
            .collect()
    }
}
