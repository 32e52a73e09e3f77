//! What each statement does, by statement family: its kind, words, facts,
//! changes and tolerance, as reviewed snapshots. A change to what the
//! analysis finds shows here first.
use std::fmt::Write;

use preflight_core::analysis::parse::parse_text;
use preflight_core::analysis::statements::analyze;

/// One block per statement of `sql`: the statement, then what it does.
fn describe(sql: &str) -> String {
    let parsed = parse_text(sql);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let mut out = String::new();
    let search_path = ["public".to_string()];
    for statement in &parsed.statements {
        let facts = analyze(&statement.node, &search_path);
        let text = statement.text().trim();
        let _ = writeln!(out, "{text}\n  {:?}: {}", facts.kind, facts.words);
        for fact in &facts.facts {
            let _ = writeln!(
                out,
                "  {} {} ({:?})",
                fact.action, fact.object, fact.strength
            );
        }
        for change in &facts.changes {
            let _ = writeln!(out, "  change {}", serde_json::to_string(change).unwrap());
        }
        let tolerance = facts.tolerance;
        if tolerance != Default::default() {
            let _ = writeln!(out, "  tolerates {tolerance:?}");
        }
        if facts.concurrently {
            let _ = writeln!(out, "  concurrently");
        }
        out.push('\n');
    }
    out
}

#[test]
fn tables() {
    insta::assert_snapshot!(describe(
        "create table if not exists notes (id bigint generated always as identity primary key, \
           owner uuid not null references auth.users, body text check (length(body) < 500));
         alter table notes enable row level security, force row level security;
         alter table notes alter column body type varchar(500), alter column body set not null,
           alter column body set default '', add constraint notes_owner_fkey foreign key (owner) references profiles (id) not valid,
           add constraint notes_body_key unique (body);
         alter table notes alter column body drop default, alter column body drop not null;
         alter table notes disable row level security;
         alter table notes add column if not exists title text default 'untitled';
         create view recent as select id, body from notes;
         create materialized view counts as select owner, count(*) from notes group by owner;
         refresh materialized view concurrently counts;
         create sequence if not exists ticket_seq owned by notes.id;"
    ));
}

#[test]
fn indexes() {
    insta::assert_snapshot!(describe(
        "create unique index concurrently if not exists notes_owner_idx on notes (owner);
         create index notes_body_trgm on notes using gin (body gin_trgm_ops) where owner is not null;
         drop index concurrently if exists notes_owner_idx;
         reindex index concurrently notes_body_trgm;"
    ));
}

#[test]
fn types_and_routines() {
    insta::assert_snapshot!(describe(
        "create type mood as enum ('happy', 'sad');
         alter type mood add value if not exists 'calm' after 'happy';
         create domain short_text as text check (length(value) < 10);
         create or replace function notes_for(who uuid) returns setof notes
           language sql stable security definer set search_path = '' as
           $$ select * from public.notes where owner = who $$;
         create trigger touch before update on notes for each row execute function touch();
         do $$ begin create type size as enum ('s', 'm'); exception when duplicate_object then null; end $$;
         call archive_notes(30);"
    ));
}

#[test]
fn security() {
    insta::assert_snapshot!(describe(
        "create policy \"owners read\" on notes for select to authenticated using ((select auth.uid()) = owner);
         alter policy \"owners read\" on notes using (owner = auth.uid());
         grant select, insert on notes to authenticated;
         revoke all on function notes_for(uuid) from anon;
         alter default privileges in schema public grant select on tables to anon;
         create role reporting nologin;
         grant reporting to authenticated;
         alter publication supabase_realtime add table notes;"
    ));
}

#[test]
fn data() {
    insta::assert_snapshot!(describe(
        "insert into storage.buckets (id, name, public) values ('avatars', 'avatars', true);
         insert into tags (name) values ('news') on conflict (name) do nothing;
         update notes set body = upper(body) from profiles where profiles.id = notes.owner;
         delete from notes using profiles where profiles.id = notes.owner and profiles.banned;
         truncate notes, profiles;
         copy notes (body) from stdin;
         select count(*) from notes;"
    ));
}

#[test]
fn objects_by_name() {
    insta::assert_snapshot!(describe(
        "drop table if exists old_notes cascade;
         alter table notes rename column body to content;
         alter table notes rename to posts;
         comment on column posts.content is 'what was written';
         alter function notes_for(uuid) owner to postgres;
         alter table posts set schema archive;"
    ));
}

#[test]
fn session() {
    insta::assert_snapshot!(describe(
        "begin;
         set search_path = app, public;
         set local lock_timeout = '5s';
         savepoint before_change;
         commit;
         vacuum analyze notes;"
    ));
}
