//! Recognises rollback (down) scripts, by name or because all they do is
//! undo what other files create, so they stay out of the forward order.
use std::collections::HashSet;

use crate::facts::{Action, ObjectKind, ObjectRef};
use crate::plan::load::Loaded;

/// The files among `files` that are rollback scripts, with the reason.
pub fn rollback_scripts(loaded: &Loaded, files: &[usize]) -> Vec<(usize, String)> {
    files
        .iter()
        .filter_map(|&file| reason(loaded, file, files).map(|why| (file, why)))
        .collect()
}

fn reason(loaded: &Loaded, file: usize, files: &[usize]) -> Option<String> {
    let name = loaded.files[file]
        .name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .to_lowercase();
    let words: Vec<&str> = name.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    if words
        .iter()
        .any(|w| matches!(*w, "rollback" | "revert" | "undo" | "down" | "downgrade"))
    {
        return Some("its name marks it as a rollback script".into());
    }
    let created_elsewhere: HashSet<ObjectRef> = files
        .iter()
        .filter(|&&other| other != file)
        .flat_map(|&other| &loaded.files[other].units)
        .flat_map(|&unit| &loaded.units[unit].facts.facts)
        .filter(|fact| fact.action == Action::Creates)
        .map(|fact| fact.object.clone())
        .collect();
    let writes: Vec<_> = loaded.files[file]
        .units
        .iter()
        .flat_map(|&unit| &loaded.units[unit].facts.facts)
        .filter(|fact| fact.action.writes())
        .collect();
    let undoes = |fact: &&crate::facts::Fact| {
        matches!(fact.action, Action::Drops | Action::Renames)
            && created_elsewhere.contains(&fact.object)
            || fact.action == Action::Creates && created_elsewhere.contains(&fact.object)
    };
    let renames_back = writes
        .iter()
        .any(|fact| fact.action == Action::Renames && created_elsewhere.contains(&fact.object));
    let undone_definitions = writes
        .iter()
        .filter(|fact| fact.action == Action::Drops && created_elsewhere.contains(&fact.object))
        .filter(|fact| fact.object.kind != ObjectKind::Column)
        .count();
    let only_undoes = !writes.is_empty() && writes.iter().all(undoes);
    (only_undoes && (renames_back || undone_definitions >= 3)).then(|| {
        format!(
            "it only undoes what other files create ({} objects dropped or renamed back)",
            writes.len()
        )
    })
}
