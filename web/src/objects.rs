//! Every database object the files name, and every statement that
//! creates, alters, renames, drops or reads it: the answer to "what
//! touches `public.user_profiles.role`?".
use std::collections::BTreeMap;

use preflight_core::analysis::facts::{Action, ObjectKind, ObjectRef};
use preflight_core::analysis::names::QualifiedName;
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

/// One object: what it is, every statement touching it, and the objects it
/// needs and that need it, each with the places that say so.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub object: ObjectRef,
    pub touches: Vec<Touch>,
    pub needs: BTreeMap<String, Vec<String>>,
    pub needed_by: BTreeMap<String, Vec<String>>,
}

/// The objects by their names in words (`column public.notes.body`).
pub type ObjectIndex = BTreeMap<String, Entry>;

pub fn index(report: &ParseReport) -> ObjectIndex {
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
    let resolve = |object: &ObjectRef| -> ObjectRef {
        match object.kind {
            ObjectKind::Relation => relations
                .get(&object.name)
                .map_or_else(|| object.clone(), |&known| known.clone()),
            _ => object.clone(),
        }
    };
    let mut objects = ObjectIndex::new();
    let link = |objects: &mut ObjectIndex, from: &str, to: &str, why: &str| {
        if from == to {
            return;
        }
        let add = |reasons: &mut Vec<String>| {
            if !reasons.iter().any(|reason| reason == why) {
                reasons.push(why.into());
            }
        };
        if let Some(entry) = objects.get_mut(from) {
            add(entry.needs.entry(to.into()).or_default());
        }
        if let Some(entry) = objects.get_mut(to) {
            add(entry.needed_by.entry(from.into()).or_default());
        }
    };
    for file in &report.files {
        for statement in &file.statements {
            let mut made = None;
            let mut read = Vec::new();
            for fact in &statement.objects {
                let object = resolve(&fact.object);
                let name = object.to_string();
                objects
                    .entry(name.clone())
                    .or_insert_with(|| Entry {
                        object: object.clone(),
                        touches: Vec::new(),
                        needs: BTreeMap::new(),
                        needed_by: BTreeMap::new(),
                    })
                    .touches
                    .push(Touch {
                        action: fact.action,
                        file: file.file.clone(),
                        line: statement.line,
                        column: statement.column,
                        statement: statement.kind.clone(),
                    });
                match fact.action {
                    Action::Creates | Action::Alters if made.is_none() => made = Some(name),
                    Action::Reads => read.push(name),
                    _ => {}
                }
            }
            // What a statement makes needs what it reads.
            if let Some(made) = made {
                let why = format!("{} {}:{}", statement.kind, file.file, statement.line);
                for read in read {
                    link(&mut objects, &made, &read, &why);
                }
            }
        }
    }
    // A column, policy, trigger... needs its table.
    let parts: Vec<(String, String)> = objects
        .iter()
        .filter_map(|(name, entry)| {
            let table = entry.object.on.as_ref()?;
            let table = resolve(&ObjectRef::new(ObjectKind::Relation, table.clone()));
            Some((name.clone(), table.to_string()))
        })
        .collect();
    for (part, table) in parts {
        if objects.contains_key(&table) {
            link(&mut objects, &part, &table, "belongs to it");
        }
    }
    objects
}

/// The schema an object lives in (a column's, a policy's: its table's).
pub fn schema_of(object: &ObjectRef) -> Option<&str> {
    match (&object.on, object.kind) {
        (Some(table), _) => table.schema.as_deref(),
        (None, ObjectKind::Schema) => Some(object.name.name.as_str()),
        (None, _) => object.name.schema.as_deref(),
    }
}

/// What to look for: words of the name (any case), a kind, a schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub words: String,
    pub kind: Option<&'static str>,
    pub schema: Option<String>,
}

/// The objects that pass `filter`.
pub fn search<'a>(index: &'a ObjectIndex, filter: &Filter) -> Vec<&'a str> {
    let words: Vec<String> = filter
        .words
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    index
        .iter()
        .filter(|(_, entry)| {
            filter
                .kind
                .is_none_or(|kind| entry.object.kind.words() == kind)
        })
        .filter(|(_, entry)| {
            (filter.schema.as_deref()).is_none_or(|schema| schema_of(&entry.object) == Some(schema))
        })
        .filter(|(name, _)| {
            let name = name.to_lowercase();
            words.iter().all(|word| name.contains(word))
        })
        .map(|(name, _)| name.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use preflight_core::analysis::source::Source;
    use preflight_core::plan::{analyse, Options};

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
            Options::default(),
        );
        let index = index(&analysis.report);
        let find = |words: &str, kind: Option<&'static str>| {
            let filter = Filter {
                words: words.into(),
                kind,
                schema: None,
            };
            search(&index, &filter)
        };
        assert_eq!(find("profiles.ROLE", None), ["column public.profiles.role"]);
        assert_eq!(find("role", Some("table")), Vec::<&str>::new());
        // The policy's read of the table counts for the table, not a "relation".
        assert_eq!(find("profiles", Some("table")), ["table public.profiles"]);
        assert!(index["table public.profiles"]
            .touches
            .iter()
            .any(|t| t.file == "3_policy.sql"));
        assert!(find("relation", None).is_empty());
        let touches: Vec<(String, &str, u32)> = index["column public.profiles.role"]
            .touches
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

    #[test]
    fn an_object_needs_what_the_statement_making_it_reads_and_its_table() {
        let analysis = analyse(
            &[
                Source::new("1_profiles.sql", "create schema app;\ncreate table app.profiles (id uuid primary key, role text);"),
                Source::new("2_notes.sql", "create table app.notes (id uuid, owner uuid references app.profiles (id));\ncreate policy admins on app.notes using (exists (select 1 from app.profiles p where p.role = 'admin'));"),
            ],
            &[],
            Options::default(),
        );
        let index = index(&analysis.report);
        let policy = &index["policy admins on app.notes"];
        let needs: Vec<&str> = policy.needs.keys().map(String::as_str).collect();
        assert!(needs.contains(&"table app.notes"), "{needs:?}");
        assert!(needs.contains(&"column app.profiles.role"), "{needs:?}");
        assert_eq!(
            policy.needs["column app.profiles.role"],
            ["create policy 2_notes.sql:2"]
        );
        let role = &index["column app.profiles.role"];
        assert!(role.needed_by.contains_key("policy admins on app.notes"));
        assert_eq!(role.needs["table app.profiles"], ["belongs to it"]);
        let in_app = search(
            &index,
            &Filter {
                schema: Some("app".into()),
                kind: Some("table"),
                ..Filter::default()
            },
        );
        assert_eq!(in_app, ["table app.notes", "table app.profiles"]);
        assert_eq!(schema_of(&index["schema app"].object), Some("app"));
    }
}
