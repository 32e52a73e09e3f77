use super::*;

fn compare(a: &str, b: &str) -> SchemaDiff {
    diff(&[Source::new("a.sql", a)], &[Source::new("b.sql", b)])
}

/// The difference lines of the text report, without the summary.
fn report(a: &str, b: &str) -> Vec<String> {
    let diff = compare(a, b);
    assert!(diff.diagnostics.is_empty(), "{:?}", diff.diagnostics);
    let text = diff.to_text();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines.pop();
    lines
}

const HAND_WRITTEN: &str = r#"
create type mood as enum ('happy', 'sad');
create table todos (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users(id) on delete cascade,
  title varchar(200) not null,
  done bool default false,
  priority int4 default 0 check (priority >= 0),
  status text default 'open' check (status in ('open', 'closed')),
  feeling mood,
  seq_no serial,
  n bigint generated always as identity,
  created_at timestamptz not null default now(),
  unique (user_id, title)
);
create index on todos (user_id);
create index todos_title_lower on todos (lower(title)) where not done;
alter table todos enable row level security;
create policy "own todos" on todos for select to authenticated using (auth.uid() = user_id);
create function todo_count(for_user uuid default null) returns integer
  language sql stable security definer set search_path = public
  as $$ select count(*)::int from todos $$;
create function touch() returns trigger language plpgsql as $$
begin new.created_at = now(); return new; end $$;
create trigger todos_touch before update on todos for each row execute procedure touch();
create view open_todos as select id, title from todos where status = 'open';
alter publication supabase_realtime add table todos;
"#;

/// What pg_dump writes for the schema above.
const DUMPED: &str = r#"
\restrict Y3RBjmev2POz7GG3uO61TthcDZt1NMLzYStFPz0RNuEgu8TXJuSuHctIAL3sdLl
SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
CREATE TYPE public.mood AS ENUM (
    'happy',
    'sad'
);
CREATE FUNCTION public.todo_count(for_user uuid DEFAULT NULL::uuid) RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'public'
    AS $$ select count(*)::int from todos $$;
CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin new.created_at = now(); return new; end $$;
SET default_tablespace = '';
CREATE TABLE public.todos (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    title character varying(200) NOT NULL,
    done boolean,
    priority integer DEFAULT 0,
    status text DEFAULT 'open'::text,
    feeling public.mood,
    seq_no integer NOT NULL,
    n bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT todos_priority_check CHECK ((priority >= 0)),
    CONSTRAINT todos_status_check CHECK ((status = ANY (ARRAY['open'::text, 'closed'::text])))
);
ALTER TABLE public.todos ALTER COLUMN n ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.todos_n_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);
CREATE VIEW public.open_todos AS
 SELECT todos.id,
    todos.title
   FROM public.todos
  WHERE (todos.status = 'open'::text);
CREATE SEQUENCE public.todos_seq_no_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.todos_seq_no_seq OWNED BY public.todos.seq_no;
ALTER TABLE ONLY public.todos ALTER COLUMN seq_no SET DEFAULT nextval('public.todos_seq_no_seq'::regclass);
ALTER TABLE ONLY public.todos ALTER COLUMN done SET DEFAULT false;
ALTER TABLE ONLY public.todos
    ADD CONSTRAINT todos_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.todos
    ADD CONSTRAINT todos_user_id_title_key UNIQUE (user_id, title);
CREATE INDEX todos_title_lower ON public.todos USING btree (lower((title)::text)) WHERE (NOT done);
CREATE INDEX todos_user_id_idx ON public.todos USING btree (user_id);
CREATE TRIGGER todos_touch BEFORE UPDATE ON public.todos FOR EACH ROW EXECUTE FUNCTION public.touch();
ALTER TABLE ONLY public.todos
    ADD CONSTRAINT todos_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;
CREATE POLICY "own todos" ON public.todos FOR SELECT TO authenticated USING ((auth.uid() = user_id));
ALTER TABLE public.todos ENABLE ROW LEVEL SECURITY;
ALTER PUBLICATION supabase_realtime ADD TABLE ONLY public.todos;
GRANT ALL ON TABLE public.todos TO authenticated;
COMMENT ON TABLE public.todos IS 'things to do';
\unrestrict Y3RBjmev2POz7GG3uO61TthcDZt1NMLzYStFPz0RNuEgu8TXJuSuHctIAL3sdLl
"#;

#[test]
fn a_pg_dump_equals_the_hand_written_schema() {
    let diff = compare(HAND_WRITTEN, DUMPED);
    assert!(diff.is_empty(), "{}", diff.to_text());
    assert_eq!(diff.to_text(), "The schemas are the same.\n");
}

#[test]
fn each_side_is_the_end_state_of_its_statements() {
    let a = "
        create table iso_agents (id uuid primary key, email text, legacy int);
        create index idx_iso_agents_email on iso_agents (email);
        create table requests (id uuid primary key, agent_id uuid references iso_agents);
        alter table iso_agents rename to users;
        alter table requests rename column agent_id to user_id;
        alter index idx_iso_agents_email rename to idx_users_email;
        alter table users drop column legacy;
        alter table users alter column email set not null;
        alter table users add column if not exists email text;
        create policy p on users using (true);
        alter policy p on users using (id = auth.uid());
        create policy gone on users using (true);
        drop policy if exists gone on users;
        drop table if exists nothing_here;
        create function f() returns int language sql as $$ select 1 $$;
        create or replace function f() returns int language sql as $$ select 2 $$;
        create type status_new as enum ('a');
        alter type status_new add value 'b';
        alter type status_new rename to status;
        insert into users (id) values (gen_random_uuid());
    ";
    let b = "
        -- PostgreSQL keeps the names of constraints when a table is renamed.
        create table users (id uuid constraint iso_agents_pkey primary key, email text not null);
        create index idx_users_email on users (email);
        create table requests (
            id uuid primary key,
            user_id uuid,
            constraint requests_agent_id_fkey foreign key (user_id) references users (id)
        );
        create policy p on users using (id = auth.uid());
        create function f() returns int language sql as $$ select 2 $$;
        create type status as enum ('a', 'b');
    ";
    let diff = compare(a, b);
    assert!(diff.is_empty(), "{}", diff.to_text());
}

#[test]
fn columns_differ_by_type_not_null_and_default() {
    let lines = report(
        "create table todos (\n  id int,\n  done boolean not null default false\n);",
        "create table todos (\n  id int,\n  done text default 'no'\n);",
    );
    assert_eq!(
        lines,
        [
            "column public.todos.done: default false (a.sql:1) vs 'no' (b.sql:1)",
            "column public.todos.done: not null NOT NULL (a.sql:1) vs nullable (b.sql:1)",
            "column public.todos.done: type boolean (a.sql:1) vs text (b.sql:1)",
        ]
    );
}

#[test]
fn the_place_is_where_each_side_sets_the_property() {
    let lines = report(
        "create table t (a int);\n\nalter table t alter column a set default 1;",
        "create table t (a int default 2);",
    );
    assert_eq!(
        lines,
        ["column public.t.a: default 1 (a.sql:3) vs 2 (b.sql:1)"]
    );
}

#[test]
fn objects_on_one_side_only_are_listed_once() {
    let lines = report(
        "create table t (id int primary key, note text);\ncreate table gone (id int primary key);",
        "create table t (id int primary key);\ncreate table extra (id int);\ncreate index on t (id);",
    );
    assert_eq!(
        lines,
        [
            "table public.extra: only in B (b.sql:2)",
            "table public.gone: only in A (a.sql:2)",
            "index public.t_id_idx: only in B (b.sql:3)",
            "column public.t.note: only in A (a.sql:1)",
        ]
    );
}

#[test]
fn constraints_and_indexes_differ_by_definition() {
    let lines = report(
        "create table p (id int primary key);
         create table c (id int, p_id int references p on delete cascade, check (id > 0));
         create index c_p on c (p_id);",
        "create table p (id int primary key);
         create table c (id int, p_id int references p, check (id >= 0));
         create unique index c_p on c (p_id);",
    );
    assert_eq!(
        lines,
        [
            "index public.c_p: definition CREATE INDEX c_p ON public.c USING btree (p_id) (a.sql:3) vs CREATE UNIQUE INDEX c_p ON public.c USING btree (p_id) (b.sql:3)",
            "constraint c_id_check on public.c: definition CHECK (id > 0) (a.sql:2) vs CHECK (id >= 0) (b.sql:2)",
            "constraint c_p_id_fkey on public.c: definition FOREIGN KEY (p_id) REFERENCES public.p (id) ON DELETE CASCADE (a.sql:2) vs FOREIGN KEY (p_id) REFERENCES public.p (id) (b.sql:2)",
        ]
    );
}

#[test]
fn policies_differ_by_command_roles_and_expressions() {
    let lines = report(
        "create table t (owner uuid);
         create policy p on t for select to authenticated using (owner = auth.uid());",
        "create table t (owner uuid);
         create policy p on t for update to anon, authenticated
           using (true) with check (owner = auth.uid());",
    );
    assert_eq!(
        lines,
        [
            "policy p on public.t: command SELECT (a.sql:2) vs UPDATE (b.sql:2)",
            "policy p on public.t: roles authenticated (a.sql:2) vs anon, authenticated (b.sql:2)",
            "policy p on public.t: using owner = auth.uid() (a.sql:2) vs true (b.sql:2)",
            "policy p on public.t: with check none (a.sql:2) vs owner = auth.uid() (b.sql:2)",
        ]
    );
}

#[test]
fn row_level_security_is_compared() {
    let lines = report(
        "create table t (id int);\nalter table t enable row level security;",
        "create table t (id int);",
    );
    assert_eq!(
        lines,
        ["table public.t: row level security enabled (a.sql:2) vs disabled (b.sql:1)"]
    );
}

#[test]
fn functions_differ_by_signature_result_language_security_and_body() {
    let lines = report(
        "create function f(a int) returns int language sql security definer as $$ select a $$;
         create function g(a int) returns int language sql as $$ select 1 $$;",
        "create function f(a int) returns bigint language plpgsql as $$ begin return a; end $$;
         create function g(a text) returns int language sql as $$ select 1 $$;",
    );
    assert_eq!(
        lines,
        [
            "function public.f(integer): body select a (a.sql:1) vs begin return a; end (b.sql:1)",
            "function public.f(integer): language sql (a.sql:1) vs plpgsql (b.sql:1)",
            "function public.f(integer): returns integer (a.sql:1) vs bigint (b.sql:1)",
            "function public.f(integer): security SECURITY DEFINER (a.sql:1) vs SECURITY INVOKER (b.sql:1)",
            "function public.g(integer): only in A (a.sql:2)",
            "function public.g(text): only in B (b.sql:2)",
        ]
    );
}

#[test]
fn multi_line_bodies_are_shown_as_blocks() {
    let lines = report(
        "create function f() returns int language sql as $$\nselect 1\n  + 1\n$$;",
        "create function f() returns int language sql as $$\nselect 2;\n$$;",
    );
    assert_eq!(
        lines,
        [
            "function public.f(): body differs",
            "  A (a.sql:1):",
            "    select 1",
            "      + 1",
            "  B (b.sql:1):",
            "    select 2;",
        ]
    );
}

#[test]
fn enums_triggers_views_and_publications_are_compared() {
    let lines = report(
        "create type s as enum ('a', 'b');
         create table t (id int);
         create function f() returns trigger language plpgsql as $$ begin return new; end $$;
         create trigger tr before insert on t for each row execute function f();
         create view v as select id from t;
         alter publication supabase_realtime add table t;",
        "create type s as enum ('b', 'a');
         create table t (id int);
         create function f() returns trigger language plpgsql as $$ begin return new; end $$;
         create trigger tr after insert on t for each row execute function f();
         create view v as select id from t where id > 0;",
    );
    assert_eq!(lines.len(), 4, "{lines:#?}");
    assert_eq!(
        lines[0],
        "table public.t: publications supabase_realtime (a.sql:6) vs none (b.sql:2)"
    );
    assert_eq!(
        lines[1],
        "view public.v: query SELECT id FROM t (a.sql:5) vs SELECT id FROM t WHERE id > 0 (b.sql:5)"
    );
    assert_eq!(
        lines[2],
        "type public.s: values 'a', 'b' (a.sql:1) vs 'b', 'a' (b.sql:1)"
    );
    assert_eq!(
        lines[3],
        "trigger tr on public.t: definition CREATE TRIGGER tr BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.f() (a.sql:4) vs CREATE TRIGGER tr AFTER INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.f() (b.sql:4)"
    );
}

#[test]
fn the_json_names_each_object_and_both_definitions() {
    let diff = compare(
        "create table t (done boolean);",
        "create table t (done text);\ncreate schema extra;",
    );
    let json = serde_json::to_value(&diff).expect("serializes");
    assert_eq!(
        json,
        serde_json::json!({
            "only_in_a": [],
            "only_in_b": [{
                "kind": "schema",
                "name": { "schema": null, "name": "extra" },
                "at": { "file": "b.sql", "line": 2 }
            }],
            "changed": [{
                "kind": "column",
                "name": { "schema": null, "name": "done" },
                "on": { "schema": "public", "name": "t" },
                "differences": [{
                    "property": "type",
                    "a": { "definition": "boolean", "at": { "file": "a.sql", "line": 1 } },
                    "b": { "definition": "text", "at": { "file": "b.sql", "line": 1 } }
                }]
            }],
            "diagnostics": []
        })
    );
}

#[test]
fn syntax_errors_are_reported_and_schemas_can_be_scoped() {
    let mut diff = compare(
        "create table public.t (id int);\ncreate table auth.x (id int);",
        "create table public.t (id int);\ncreate tabel oops;",
    );
    assert!(diff.has_errors());
    assert!(!diff.is_empty());
    diff.retain_schemas(&["public".into()]);
    assert!(diff.is_empty(), "{}", diff.to_text());
}

/// Definitions are compared without their default fields: a zero, a false
/// or an empty name must still tell two definitions apart.
#[test]
fn zeros_and_defaults_still_tell_definitions_apart() {
    let same = compare(
        "create table t (a int default 0, b numeric(10,0), c int check (c > 0));",
        "create table t (a int default '0'::integer, b numeric(10,0), c int check (c > 0));",
    );
    assert!(same.is_empty(), "{}", same.to_text());
    let lines = report(
        "create table t (a int default 0, b numeric(10,0), c int check (c > 0));",
        "create table t (a int default 1, b numeric(10), c int check (c > false::int));",
    );
    assert_eq!(
        lines,
        [
            "column public.t.a: default 0 (a.sql:1) vs 1 (b.sql:1)",
            "column public.t.b: type numeric(10,0) (a.sql:1) vs numeric(10) (b.sql:1)",
            "constraint t_c_check on public.t: definition CHECK (c > 0) (a.sql:1) vs CHECK (c > false::int) (b.sql:1)",
        ]
    );
}
