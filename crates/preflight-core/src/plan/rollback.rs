//! Recognises rollback (down) scripts, by name or because all they do is
//! undo what other files create, so they stay out of the forward order.

use crate::analysis::facts::{Action, Fact, ObjectRef};
use crate::plan::load::Loaded;
use crate::words::counted;
use crate::HashSet;

/// The files among `files` that are rollback scripts, with the reason.
pub fn rollback_scripts(loaded: &Loaded, files: &[usize]) -> Vec<(usize, String)> {
    files
        .iter()
        .filter_map(|&file| {
            let others: Vec<usize> = (files.iter().copied())
                .filter(|&other| other != file)
                .collect();
            let why = by_name(loaded, file)
                .or_else(|| by_content(loaded, file, &others, &[Action::Creates], "other files"))?;
            Some((file, why))
        })
        .collect()
}

/// The blocks of a runbook that undo earlier blocks (a runbook says what
/// runs first, so only a later block can undo an earlier one; renaming
/// back counts as undoing a rename).
pub fn rollback_blocks(loaded: &Loaded, blocks: &[usize]) -> Vec<(usize, String)> {
    let made = [Action::Creates, Action::Renames];
    (blocks.iter().enumerate())
        .filter_map(|(at, &file)| {
            let why = by_content(loaded, file, &blocks[..at], &made, "earlier blocks")?;
            Some((file, why))
        })
        .collect()
}

fn by_name(loaded: &Loaded, file: usize) -> Option<String> {
    let name = loaded.files[file]
        .name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .to_lowercase();
    let words: Vec<&str> = name.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    words
        .iter()
        .any(|w| matches!(*w, "rollback" | "revert" | "undo" | "down" | "downgrade"))
        .then(|| "its name marks it as a rollback script".into())
}

/// Whether `file` only undoes what `others` do and reverses at least one of
/// their renames (a forward migration that only drops a feature looks the
/// same otherwise, so dropping alone is not enough). `made`: the actions
/// of the others that make what the file may write; `others_are`: how the
/// reason names them.
fn by_content(
    loaded: &Loaded,
    file: usize,
    others: &[usize],
    made: &[Action],
    others_are: &str,
) -> Option<String> {
    let this = [file];
    let own_renames: Vec<(ObjectRef, ObjectRef)> = renames(loaded, &this).collect();
    if own_renames.is_empty() {
        return None;
    }
    let renamed_elsewhere: HashSet<(ObjectRef, ObjectRef)> = renames(loaded, others).collect();
    let renames_back = own_renames
        .into_iter()
        .any(|(from, to)| renamed_elsewhere.contains(&(to, from)));
    if !renames_back {
        return None;
    }
    let created_elsewhere: HashSet<ObjectRef> = facts_of(loaded, others)
        .filter(|fact| made.contains(&fact.action))
        .map(|fact| fact.object.identity())
        .collect();
    let writes: Vec<&Fact> = facts_of(loaded, &this)
        .filter(|fact| fact.action.writes())
        .collect();
    let only_undoes = writes
        .iter()
        .all(|fact| created_elsewhere.contains(&fact.object.identity()));
    only_undoes.then(|| {
        format!(
            "it only undoes what {others_are} do, renaming back what they rename ({})",
            counted(writes.len(), "change")
        )
    })
}

fn facts_of<'a>(loaded: &'a Loaded, files: &'a [usize]) -> impl Iterator<Item = &'a Fact> + 'a {
    files
        .iter()
        .flat_map(|&file| &loaded.files[file].units)
        .flat_map(|&unit| &loaded.units[unit].facts.facts)
}

/// (old name, new name) of every rename in `files`: a statement's `Renames`
/// fact and the `Creates` of the same kind that follows it.
fn renames<'a>(
    loaded: &'a Loaded,
    files: &'a [usize],
) -> impl Iterator<Item = (ObjectRef, ObjectRef)> + 'a {
    files
        .iter()
        .flat_map(|&file| &loaded.files[file].units)
        .flat_map(|&unit| {
            let facts = &loaded.units[unit].facts.facts;
            facts.iter().enumerate().filter_map(|(at, fact)| {
                let renamed = (fact.action == Action::Renames).then_some(fact)?;
                let created = facts[at..].iter().find(|f| {
                    f.action == Action::Creates && f.object.kind == renamed.object.kind
                })?;
                Some((renamed.object.identity(), created.object.identity()))
            })
        })
}
