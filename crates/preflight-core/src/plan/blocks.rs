//! A Markdown runbook's blocks in the plan: what each is, which steps run
//! it, and the author's own verification and rollback blocks given to the
//! step they check or undo.

use serde::{Deserialize, Serialize};

use super::load::Loaded;
use super::order::base_name;
use super::order::Segment;
use super::Step;
use crate::analysis::block_role::BlockRole;
use crate::analysis::facts::{Action, ObjectRef};
use crate::{HashMap, HashSet};

/// A block of a runbook, as the plan treats it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedBlock {
    pub file: String,
    pub title: String,
    pub first_line: u32,
    pub last_line: u32,
    pub role: BlockRole,
    /// Why it has that role, in words a person can check.
    pub why: String,
    /// The steps that run it (a migration), or the step it checks or
    /// undoes; none for an illustration.
    pub steps: Vec<usize>,
}

impl PlannedBlock {
    /// Where it runs, in words: "step 2", "with step 3", "not run".
    pub fn runs(&self) -> String {
        let steps: Vec<String> = self.steps.iter().map(|s| format!("step {s}")).collect();
        match (self.role, steps.is_empty()) {
            (_, true) => "not run".to_string(),
            (BlockRole::Migration, false) => steps.join(", "),
            (_, false) => format!("with {}", steps.join(", ")),
        }
    }
}

/// The author's verification or rollback block, given to a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorBlock {
    pub role: BlockRole,
    pub title: String,
    pub file: String,
    pub first_line: u32,
    pub last_line: u32,
    pub sql: String,
}

impl AuthorBlock {
    /// "your rollback “Undo the ledger” (lines 95-99)".
    pub fn label(&self) -> String {
        format!(
            "your {} “{}” (lines {}-{})",
            self.role.word(),
            self.title,
            self.first_line,
            self.last_line
        )
    }
}

/// Every block of the files from `first` on, in document order; the
/// author's verification and rollback blocks are added to their steps.
pub fn place(
    loaded: &Loaded,
    first: usize,
    segments: &[Segment],
    steps: &mut [Step],
) -> Vec<PlannedBlock> {
    let mut steps_of: HashMap<usize, Vec<usize>> = HashMap::default();
    for (at, segment) in segments.iter().enumerate() {
        steps_of.entry(segment.file).or_default().push(at + 1);
    }
    let mut planned = Vec::new();
    // The migration blocks of the current document, in order.
    let mut migrations: Vec<usize> = Vec::new();
    for file in first..loaded.files.len() {
        let Some(block) = &loaded.files[file].block else {
            continue;
        };
        if file == first || loaded.files[file - 1].name != loaded.files[file].name {
            migrations.clear();
        }
        let ran = |file: usize| steps_of.get(&file).cloned().unwrap_or_default();
        let role = block.role.role;
        let block_steps = match role {
            BlockRole::Migration => {
                let ran = ran(file);
                if !ran.is_empty() {
                    migrations.push(file);
                }
                ran
            }
            BlockRole::Verification => {
                let checked =
                    (named_file(loaded, &block.names_files, first)).or(migrations.last().copied());
                Vec::from_iter(checked.and_then(|m| ran(m).last().copied()))
            }
            BlockRole::Rollback => {
                let undone = (named_file(loaded, &block.names_files, first))
                    .or_else(|| undone(loaded, file, &migrations))
                    .or(migrations.last().copied());
                Vec::from_iter(undone.and_then(|m| ran(m).first().copied()))
            }
            BlockRole::Illustration => Vec::new(),
        };
        if matches!(role, BlockRole::Verification | BlockRole::Rollback) {
            if let Some(&step) = block_steps.first() {
                steps[step - 1].from_runbook.push(AuthorBlock {
                    role,
                    title: block.title.clone(),
                    file: loaded.files[file].name.clone(),
                    first_line: block.first_line,
                    last_line: block.last_line,
                    sql: block.sql.clone(),
                });
            }
        }
        planned.push(PlannedBlock {
            file: loaded.files[file].name.clone(),
            title: block.title.clone(),
            first_line: block.first_line,
            last_line: block.last_line,
            role,
            why: block.role.why.clone(),
            steps: block_steps,
        });
    }
    planned
}

/// The one planned file (not a runbook block) that `names` name, by its
/// file name: a runbook that says "# File: scripts/010_x.sql" before a
/// check means that file.
fn named_file(loaded: &Loaded, names: &[String], first: usize) -> Option<usize> {
    let named: HashSet<usize> = (first..loaded.files.len())
        .filter(|&file| loaded.files[file].block.is_none())
        .filter(|&file| {
            let base = base_name(&loaded.files[file].name);
            names.iter().any(|name| base_name(name) == base)
        })
        .collect();
    match named.len() {
        1 => named.into_iter().next(),
        _ => None,
    }
}

/// The migration block a rollback block undoes: the one that created most
/// of what it drops or renames back; ties go to the later block.
fn undone(loaded: &Loaded, rollback: usize, migrations: &[usize]) -> Option<usize> {
    let objects = |file: usize, actions: &[Action]| -> HashSet<ObjectRef> {
        (loaded.files[file].units.iter())
            .flat_map(|&unit| &loaded.units[unit].facts.facts)
            .filter(|fact| actions.contains(&fact.action))
            .map(|fact| fact.object.identity())
            .collect()
    };
    let undoes = objects(rollback, &[Action::Drops, Action::Renames]);
    (migrations.iter())
        .map(|&file| {
            let created = objects(file, &[Action::Creates]);
            (created.intersection(&undoes).count(), file)
        })
        .filter(|(count, _)| *count > 0)
        .max()
        .map(|(_, file)| file)
}
