//! `apply` per kind of change: what a statement creates, drops with what
//! went with it, renames and alters.
use super::*;
use crate::analysis::compact::Tree;
use crate::analysis::facts::{ObjectKind, ObjectRef};
use crate::analysis::names::QualifiedName;
use crate::analysis::source::Source;
use crate::environment::Environment;
use crate::plan::load::load_into;

/// `setup.sql`, then `change.sql`.
fn loaded(setup: &str, sql: &str) -> Loaded {
    let mut loaded = Loaded::empty(Environment::Postgres);
    load_into(
        &mut loaded,
        &[
            Source::new("setup.sql", setup),
            Source::new("change.sql", sql),
        ],
    );
    loaded
}

/// Each statement's changes, after `setup` ran.
fn changes(setup: &str, sql: &str) -> (Catalog, Vec<Changes>) {
    let loaded = loaded(setup, sql);
    let mut catalog = Catalog::default();
    let mut all = Vec::new();
    for unit in &loaded.units {
        let changes = catalog.apply(&loaded, unit);
        if loaded.files[unit.file].name == "change.sql" {
            all.push(changes);
        }
    }
    (catalog, all)
}

fn names(ids: &[ObjectId]) -> Vec<String> {
    ids.iter().map(ToString::to_string).collect()
}

fn table(name: &str) -> QualifiedName {
    QualifiedName::new(Some("public"), name)
}

const NOTES: &str = "
create table profiles (id uuid primary key, role text);
create table notes (id bigserial primary key, owner uuid references profiles (id), body text);
create index notes_body on notes (body);
alter table notes enable row level security;
create policy own on notes using (owner in (select id from profiles where role = 'admin'));
create view note_bodies as select body from notes;
";

#[test]
fn dropping_a_table_takes_its_parts_and_what_needs_it() {
    let (catalog, changes) = changes(NOTES, "drop table profiles cascade;");
    let dropped = names(&changes[0].dropped);
    for gone in [
        "table public.profiles",
        "column public.profiles.id",
        "constraint profiles_pkey on public.profiles",
        "constraint notes_owner_fkey on public.notes",
        "policy own on public.notes",
    ] {
        assert!(
            dropped.contains(&gone.to_string()),
            "{gone} not in {dropped:?}"
        );
    }
    assert!(catalog.relation(&table("notes")).is_some());
    assert_eq!(catalog.parts_of(&table("profiles")).count(), 0);
}

#[test]
fn dropping_a_column_takes_its_index_and_the_views_reading_it() {
    let (_, changes) = changes(NOTES, "alter table notes drop column body cascade;");
    assert_eq!(
        names(&changes[0].dropped),
        [
            "column public.notes.body",
            "index public.notes_body",
            "view public.note_bodies"
        ]
    );
}

#[test]
fn an_owned_sequence_goes_with_its_column() {
    let (_, changes) = changes(
        "create table t (n int); create sequence s owned by t.n;",
        "alter table t drop column n;",
    );
    assert_eq!(
        names(&changes[0].dropped),
        ["column public.t.n", "sequence public.s"]
    );
}

#[test]
fn a_renamed_table_takes_its_parts_and_keeps_what_needs_it() {
    let (catalog, changes) = changes(NOTES, "alter table notes rename to posts;");
    let renamed: Vec<(String, String)> = (changes[0].renamed.iter())
        .map(|(from, to)| (from.to_string(), to.to_string()))
        .collect();
    assert!(renamed.contains(&("table public.notes".into(), "table public.posts".into())));
    assert!(renamed.contains(&(
        "policy own on public.notes".into(),
        "policy own on public.posts".into()
    )));
    // The view follows, as PostgreSQL tracks it by identity: dropping the
    // table under its new name takes it.
    let mut catalog = catalog;
    let posts = catalog.relation(&table("posts")).expect("renamed");
    catalog.drop(&posts);
    let dropped = names(&catalog.take_changes().dropped);
    assert!(
        dropped.contains(&"view public.note_bodies".to_string()),
        "{dropped:?}"
    );
}

#[test]
fn an_index_renamed_after_its_table_stays() {
    let (catalog, _) = changes(
        "create table a (email text); create index a_email on a (email);",
        "alter table a rename to b; alter index a_email rename to b_email; alter table b add column x int;",
    );
    let index = ObjectId::new(ObjectKind::Index, table("b_email"));
    assert!(catalog.contains(&index));
    assert_eq!(
        catalog.get(&index).and_then(|e| e.table.clone()),
        Some(table("b"))
    );
}

#[test]
fn create_or_replace_view_keeps_what_needs_the_view() {
    let (catalog, changes) = changes(
        "create table t (a int); create view v as select a from t;
         create function f() returns setof v language sql as 'select * from v';",
        "create or replace view v as select a from t;",
    );
    assert_eq!(names(&changes[0].replaced), ["view public.v"]);
    assert!(changes[0].dropped.is_empty());
    let function = ObjectRef::new(ObjectKind::Function, table("f"));
    assert_eq!(catalog.matching(&function).len(), 1);
}

#[test]
fn altering_a_column_says_what_it_was() {
    let (_, changes) = changes(
        "create table t (a int default 1);",
        "alter table t alter column a set default 2, alter column a set not null;",
    );
    let altered: Vec<(&str, Option<String>)> = (changes[0].altered.iter())
        .map(|a| (a.property, a.before.as_ref().map(|p| p.shown().to_string())))
        .collect();
    assert_eq!(
        altered,
        [
            ("default", Some("1".into())),
            ("not null", Some("nullable".into()))
        ]
    );
}

#[test]
fn dropping_one_overload_keeps_what_needs_another() {
    let (catalog, _) = changes(
        "create function f(int) returns int language sql as 'select 1';
         create function f(text) returns int language sql as 'select 2';
         create table t (a int);
         create function g() returns trigger language plpgsql as 'begin return new; end';
         create trigger tg before insert on t for each row execute function g();",
        "drop function f(int); drop function g() cascade;",
    );
    let f = ObjectRef::new(ObjectKind::Function, table("f"));
    assert_eq!(catalog.matching(&f).len(), 1);
    let trigger = ObjectId::on(ObjectKind::Trigger, "tg", &table("t"));
    assert!(!catalog.contains(&trigger), "the trigger needs g()");
}

#[test]
fn a_foreign_key_goes_with_the_key_it_references_and_nothing_else() {
    let (catalog, changes) = changes(
        "create type mood as enum ('a');
         create table p (id int primary key, m mood);
         create table c (p_id int references p (id));",
        "drop type mood cascade; alter table p drop constraint p_pkey cascade;",
    );
    // The type's drop takes no key or foreign key of the tables using it.
    let type_dropped = names(&changes[0].dropped);
    assert!(
        !type_dropped
            .iter()
            .any(|d| d.starts_with("key ") || d.contains("fkey")),
        "{type_dropped:?}"
    );
    let dropped = names(&changes[1].dropped);
    assert!(
        dropped.contains(&"constraint c_p_id_fkey on public.c".to_string()),
        "{dropped:?}"
    );
    assert!(catalog.relation(&table("c")).is_some());
}

/// The planner's outline catalog follows drops and renames as the full one
/// does, without keeping the definitions it does not read.
#[test]
fn a_drop_releases_what_the_dropped_objects_needed_outside_it() {
    let released = |sql: &str| -> Vec<(String, String)> {
        let (_, changes) = changes(NOTES, sql);
        (changes[0].released.iter())
            .map(|(needed, by)| (needed.to_string(), by.to_string()))
            .collect()
    };
    let view = released("drop view note_bodies;");
    assert!(
        view.contains(&(
            "relation public.notes".into(),
            "view public.note_bodies".into()
        )),
        "{view:?}"
    );
    // What the table takes with it is not released: the policy's read of
    // profiles and the foreign key's key are.
    let table = released("drop table notes cascade;");
    assert!(
        table.iter().all(|(needed, _)| !needed.contains("notes")),
        "{table:?}"
    );
    assert!(
        table.contains(&(
            "relation public.profiles".into(),
            "constraint notes_owner_fkey on public.notes".into()
        )),
        "{table:?}"
    );
}

#[test]
fn an_outline_follows_drops_and_renames_as_the_full_catalog_does() {
    let tags = "create table tags (note bigint, label text, unique (note, label),
    foreign key (note) references notes (id));
create unique index tags_label on tags (label);
create table kept (id int primary key);";
    let sql = "alter table notes rename column body to text;
alter table notes drop column text;
alter table notes rename column id to note_id;
alter table tags drop column label;
alter table profiles rename to people;
drop table people cascade;
alter table notes drop column note_id cascade;";
    let loaded = loaded(&format!("{NOTES}{tags}"), sql);
    let mut full = Catalog::default();
    let mut outline = Catalog::default().with_detail(Detail::Outline);
    for unit in &loaded.units {
        let (a, b) = (full.apply(&loaded, unit), outline.apply(&loaded, unit));
        for (what, full, outline) in [
            ("created", &a.created, &b.created),
            ("dropped", &a.dropped, &b.dropped),
        ] {
            assert_eq!(
                names(full),
                names(outline),
                "{what} by {}",
                unit.statement.text()
            );
        }
        assert_eq!(a.renamed, b.renamed, "{}", unit.statement.text());
    }
    let objects = |catalog: &Catalog| {
        catalog
            .iter()
            .map(|(key, _)| key.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(objects(&full), objects(&outline));
    let kept = |catalog: &Catalog| -> Vec<&'static str> {
        (catalog.iter())
            .flat_map(|(_, entry)| entry.properties.keys())
            .collect()
    };
    assert!(kept(&full).iter().any(|name| *name != "definition"));
    let outlined = kept(&outline);
    assert!(outlined.contains(&"definition"), "constraints keep theirs");
    assert!(
        outlined.iter().all(|name| *name == "definition"),
        "{outlined:?}"
    );
}

/// The runbook's working catalog shows every definition as the full one
/// does, and reads keys and policies the same, without the canonical
/// forms of expressions, queries and bodies that only the audit compares
/// (and of constraints, only their columns).
#[test]
fn a_working_catalog_keeps_every_definition_but_compares_only_data() {
    let loaded = loaded(
        NOTES,
        "alter table notes alter column body set default 'none';",
    );
    let mut full = Catalog::default();
    let mut working = Catalog::default().with_detail(Detail::Working);
    for unit in &loaded.units {
        full.apply(&loaded, unit);
        working.apply(&loaded, unit);
    }
    let mut expressions = Vec::new();
    for (key, entry) in full.iter() {
        let kept = working.get(key).expect("the same objects");
        assert_eq!(
            entry.properties.keys().collect::<Vec<_>>(),
            kept.properties.keys().collect::<Vec<_>>(),
            "{key}"
        );
        for ((name, property), kept) in entry
            .properties
            .keys()
            .zip(entry.properties.values())
            .zip(kept.properties.values())
        {
            assert_eq!(property.shown(), kept.shown(), "{key} {name}");
            if kept.compare == Tree::Null && property.compare != Tree::Null {
                expressions.push(format!("{key} {name}"));
            } else if key.object.kind == ObjectKind::Constraint {
                // Of the full definition, its columns and what they
                // reference (read below).
                let Tree::Fields(fields) = &kept.compare else {
                    panic!("{key}: {:?}", kept.compare);
                };
                for (field, value) in fields {
                    assert_eq!(property.compare.get(field), Some(value), "{key} {field}");
                }
            } else {
                assert_eq!(property.compare, kept.compare, "{key} {name}");
            }
        }
    }
    expressions.sort();
    assert_eq!(
        expressions,
        [
            "column public.notes.body default",
            "column public.notes.id default",
            "policy own on public.notes using",
            "view public.note_bodies query",
        ]
    );
    let notes = table("notes");
    assert_eq!(working.foreign_keys(&notes), full.foreign_keys(&notes));
    assert_eq!(working.primary_key(&notes), Some(vec!["id".to_string()]));
    let policy = working.policies(&notes).next().expect("a policy");
    assert_eq!(working.policy(policy), full.policy(policy));
}
