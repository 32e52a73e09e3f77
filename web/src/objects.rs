//! Every database object the files name, and every statement that
//! creates, alters, renames, drops or reads it: the answer to "what
//! touches `public.user_profiles.role`?".
use std::collections::BTreeMap;

use preflight_core::facts::{Action, ObjectKind, ObjectRef};
use preflight_core::names::QualifiedName;
use preflight_core::report::ParseReport;

/// A statement that does something to an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Touch {
    pub action: Action,
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// The statement's kind, e.g. "create policy".
    pub statement: String,
}

/// The objects by their names in words (`column public.notes.body`).
pub type ObjectIndex = BTreeMap<String, (ObjectRef, Vec<Touch>)>;

pub fn index(report: &ParseReport) -> ObjectIndex {
    let mut objects = ObjectIndex::new();
    // A reference that does not say what a relation is ("reads relation
    // public.notes") is the table, view... of that name, when one is known.
    let mut relations: BTreeMap<&QualifiedName, &ObjectRef> = BTreeMap::new();
    for fact in report
        .files
        .iter()
        .flat_map(|f| &f.statements)
        .flat_map(|s| &s.objects)
    {
        if fact.object.kind.is_relation() && fact.object.kind != ObjectKind::Relation {
            relations.entry(&fact.object.name).or_insert(&fact.object);
        }
    }
    for file in &report.files {
        for statement in &file.statements {
            for fact in &statement.objects {
                let object = match fact.object.kind {
                    ObjectKind::Relation => relations
                        .get(&fact.object.name)
                        .copied()
                        .unwrap_or(&fact.object),
                    _ => &fact.object,
                };
                let entry = objects
                    .entry(object.to_string())
                    .or_insert_with(|| (object.clone(), Vec::new()));
                entry.1.push(Touch {
                    action: fact.action,
                    file: file.file.clone(),
                    line: statement.line,
                    column: statement.column,
                    statement: statement.kind.clone(),
                });
            }
        }
    }
    objects
}

/// The objects whose name contains every word of `query` (any case), of
/// `kind` when given.
pub fn search<'a>(index: &'a ObjectIndex, query: &str, kind: Option<&str>) -> Vec<&'a str> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    index
        .iter()
        .filter(|(_, (object, _))| kind.is_none_or(|kind| object.kind.words() == kind))
        .filter(|(name, _)| {
            let name = name.to_lowercase();
            words.iter().all(|word| name.contains(word))
        })
        .map(|(name, _)| name.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use preflight_core::plan::{analyse, FileOrder};
    use preflight_core::source::Source;

    use super::*;

    #[test]
    fn a_column_is_found_with_every_statement_that_touches_it() {
        let analysis = analyse(
            &[
                Source::new("1_profiles.sql", "create table profiles (id uuid primary key);"),
                Source::new("2_role.sql", "alter table profiles add column role text;\nupdate profiles set role = 'user';"),
                Source::new("3_policy.sql", "create policy admins on profiles using (role = 'admin');"),
            ],
            &[],
            FileOrder::Names,
        );
        let index = index(&analysis.report);
        assert_eq!(
            search(&index, "profiles.ROLE", None),
            ["column public.profiles.role"]
        );
        assert_eq!(search(&index, "role", Some("table")), Vec::<&str>::new());
        // The policy's read of the table counts for the table, not a "relation".
        assert_eq!(
            search(&index, "profiles", Some("table")),
            ["table public.profiles"]
        );
        assert!(index["table public.profiles"]
            .1
            .iter()
            .any(|t| t.file == "3_policy.sql"));
        assert!(search(&index, "relation", None).is_empty());
        let touches: Vec<(String, &str, u32)> = index["column public.profiles.role"]
            .1
            .iter()
            .map(|t| (t.action.to_string(), t.file.as_str(), t.line))
            .collect();
        assert_eq!(
            touches,
            [
                ("creates".to_string(), "2_role.sql", 1),
                ("reads".to_string(), "2_role.sql", 2),
                ("reads".to_string(), "3_policy.sql", 1),
            ]
        );
    }
}
