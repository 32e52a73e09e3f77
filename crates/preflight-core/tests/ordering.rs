//! Small planning cases, without a database: what the planner decides and
//! what it says about it.
use preflight_core::analysis::source::Source;
use preflight_core::diagnostics::codes;
use preflight_core::plan::{analyse, plan, FileOrder, Options, Plan};

fn files(plan: &Plan) -> Vec<&str> {
    plan.steps
        .iter()
        .map(|step| step.sources[0].file.as_str())
        .collect()
}

/// The plan of `sources`, whose steps must run `expected`'s files in order.
fn planned_in_order(sources: &[Source], expected: &[&str]) -> Plan {
    let plan = plan(sources, &[]);
    assert_eq!(files(&plan), expected, "{}", plan.to_text());
    plan
}

/// Whether the plan's text (steps, reasons, problems) says `words`.
fn assert_says(plan: &Plan, words: &str) {
    assert!(plan.to_text().contains(words), "{}", plan.to_text());
}

/// Seed data: versions.sql looks up a row packages.sql inserts; with
/// `foreign_key`, versions rows reference packages rows.
fn seed_data(foreign_key: bool) -> [Source; 3] {
    let reference = if foreign_key {
        " references packages(id)"
    } else {
        ""
    };
    [
        Source::new("schema.sql", format!("create table packages(id int primary key, name text);\ncreate table versions(package_id int not null{reference});")),
        Source::new("versions.sql", "insert into versions(package_id) values ((select id from packages where name = 'x'));"),
        Source::new("packages.sql", "insert into packages values (1, 'x');"),
    ]
}

/// Rows that only a lookup ties leave other data in the other order: only
/// the names decided, and the warning says what the other order leaves. A
/// foreign key decides it: no warning.
#[test]
fn seed_data_that_looks_rows_up_is_ordered_and_flagged_when_only_names_decide() {
    let looked_up = plan(&seed_data(false), &[]);
    let ambiguity = looked_up
        .diagnostics
        .iter()
        .find(|d| d.code == codes::AMBIGUOUS_ORDER)
        .expect("an ambiguous-order warning");
    assert!(
        ambiguity
            .message
            .ends_with("the other order would leave other rows in public.packages"),
        "{}",
        ambiguity.message
    );
    let mut named: Vec<&str> = ambiguity.files().collect();
    named.sort();
    assert_eq!(named, ["packages.sql", "versions.sql"]);

    let keyed = plan(&seed_data(true), &[]);
    assert_eq!(
        files(&keyed),
        ["schema.sql", "packages.sql", "versions.sql"]
    );
    assert!(
        !(keyed.diagnostics.iter()).any(|d| d.code == codes::AMBIGUOUS_ORDER),
        "{}",
        keyed.to_text()
    );
}

/// Changes that commute (an index here, a policy there) are no ambiguity;
/// columns two files add to one table are (their order differs).
#[test]
fn only_orders_that_leave_another_schema_are_ambiguous() {
    let sources = [
        Source::new("schema.sql", "create table notes (id int primary key);"),
        Source::new("index.sql", "create index notes_id_idx on notes (id);"),
        Source::new(
            "security.sql",
            "alter table notes enable row level security;",
        ),
        Source::new("title.sql", "alter table notes add column title text;"),
        Source::new("body.sql", "alter table notes add column body text;"),
    ];
    let plan = plan(&sources, &[]);
    let ambiguous: Vec<&str> = (plan.diagnostics.iter())
        .filter(|d| d.code == codes::AMBIGUOUS_ORDER)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(ambiguous.len(), 1, "{ambiguous:#?}");
    assert!(
        ambiguous[0]
            .ends_with("the other order would leave the columns of public.notes in another order"),
        "{}",
        ambiguous[0]
    );
}

/// A PL/pgSQL body runs when it is called, not when it is created: code
/// that names a table a later numbered file creates keeps the person's
/// order; without numbers, the table comes first.
#[test]
fn what_code_needs_when_it_runs_does_not_move_numbered_files() {
    let function = "create function new_user() returns trigger language plpgsql as $$ begin insert into public.workspaces (owner) values (new.id); return new; end $$;";
    let table = "create table public.workspaces (owner uuid);";
    let numbered = [
        Source::new("20240101_profiles.sql", function),
        Source::new("20240102_workspaces.sql", table),
    ];
    let plan = planned_in_order(
        &numbered,
        &["20240101_profiles.sql", "20240102_workspaces.sql"],
    );
    assert!(
        !(plan.diagnostics.iter()).any(|d| d.code == codes::MOVED),
        "{}",
        plan.to_text()
    );
    let named = [
        Source::new("a_profiles.sql", function),
        Source::new("b_workspaces.sql", table),
    ];
    planned_in_order(&named, &["b_workspaces.sql", "a_profiles.sql"]);
}

/// A plain DROP needs its object: when another file's DROP IF EXISTS would
/// take it first, the plain drop comes before that file, even though its
/// own file creates the object again further down.
#[test]
fn a_drop_that_needs_its_object_comes_before_another_files_guarded_drop() {
    let sources = [
        Source::new(
            "a_create.sql",
            "create table t (id int);\ncreate policy p on t using (true);",
        ),
        Source::new("b_harden.sql", "drop policy if exists p on t;"),
        Source::new(
            "c_capture.sql",
            "drop policy p on t;\ncreate policy p on t using (id > 0);",
        ),
    ];
    let plan = planned_in_order(&sources, &["a_create.sql", "c_capture.sql", "b_harden.sql"]);
    let unresolved = (plan.diagnostics.iter()).any(|d| d.code == codes::UNRESOLVED);
    assert!(!unresolved, "{}", plan.to_text());
}

/// The files of every "ambiguous order" warning of `sources`' plan, each
/// pair sorted.
fn ambiguous_pairs(sources: &[Source]) -> Vec<Vec<String>> {
    let plan = plan(sources, &[]);
    let mut pairs: Vec<Vec<String>> = (plan.diagnostics.iter())
        .filter(|d| d.code == codes::AMBIGUOUS_ORDER)
        .map(|d| {
            let mut files: Vec<String> = d.files().map(str::to_string).collect();
            files.sort();
            files.dedup();
            files
        })
        .collect();
    pairs.sort();
    pairs
}

/// Rows written in one file and a table, view, function, index or grant
/// that names their table in another leave the same rows either way; a
/// trigger on the table, a new default, or an update of the rows do not.
/// Rows inserted by two files commute unless ON CONFLICT lets the first
/// one win; the same guarded statement twice is no ambiguity.
#[test]
fn data_is_ambiguous_only_with_what_changes_the_rows_it_leaves() {
    let schema = Source::new(
        "schema.sql",
        "create table users (id int primary key, name text);\ncreate function audit() returns trigger language plpgsql as $$ begin return new; end $$;",
    );
    let seed = Source::new("seed.sql", "insert into users values (1, 'ann');");
    let with = |others: &[(&str, &str)]| {
        let mut sources = vec![schema.clone(), seed.clone()];
        sources.extend(others.iter().map(|(name, sql)| Source::new(*name, *sql)));
        ambiguous_pairs(&sources)
    };
    let commuting = with(&[
        ("tokens.sql", "create table tokens (user_id int references users (id));"),
        ("view.sql", "create view names as select name from users;"),
        ("lookup.sql", "create function named(n text) returns int language sql as $$ select id from users where name = n $$;"),
        ("index.sql", "create index users_name_idx on users (name);"),
        ("grant.sql", "grant select on users to public;"),
        ("more.sql", "insert into users values (2, 'bob');"),
        ("citext_a.sql", "create extension if not exists citext;"),
        ("citext_b.sql", "create extension if not exists citext;"),
    ]);
    assert_eq!(commuting, Vec::<Vec<String>>::new());

    // A trigger changes what later writes do, not the rows a query reads.
    let trigger =
        "create trigger users_audit before insert on users for each row execute function audit();";
    let read = "create table copied as select name from users;";
    let unseeded = [
        schema.clone(),
        Source::new("trigger.sql", trigger),
        Source::new("read.sql", read),
    ];
    assert_eq!(ambiguous_pairs(&unseeded), Vec::<Vec<String>>::new());

    let pair = |other: &str| {
        let mut pair = vec![other.to_string(), "seed.sql".to_string()];
        pair.sort();
        pair
    };
    assert_eq!(with(&[("trigger.sql", trigger)]), [pair("trigger.sql")]);
    assert_eq!(with(&[("read.sql", read)]), [pair("read.sql")]);
    let default = "alter table users alter column name set default 'anon';";
    assert_eq!(with(&[("default.sql", default)]), [pair("default.sql")]);
    let rename = "update users set name = upper(name);";
    assert_eq!(with(&[("update.sql", rename)]), [pair("update.sql")]);
    let upsert =
        "insert into users values (1, 'bob') on conflict (id) do update set name = excluded.name;";
    assert_eq!(with(&[("upsert.sql", upsert)]), [pair("upsert.sql")]);
}

#[test]
fn an_order_a_person_arranged_is_kept_where_it_runs_and_is_not_called_ambiguous() {
    // The same seed data as above, arranged with versions.sql first: it
    // still waits for the table, and for the row packages.sql inserts (it
    // would insert a null otherwise); b_view.sql waits for its table. The
    // rest of the person's order stands.
    let sources = [
        seed_data(false).to_vec(),
        vec![
            Source::new("b_view.sql", "create view b as select * from a;"),
            Source::new("a_table.sql", "create table a (id int);"),
        ],
    ]
    .concat();
    let arranged = analyse(
        &sources,
        &[],
        Options {
            order: FileOrder::Given,
            ..Options::default()
        },
    )
    .plan;
    assert_eq!(
        files(&arranged),
        [
            "schema.sql",
            "packages.sql",
            "versions.sql",
            "a_table.sql",
            "b_view.sql"
        ]
    );
    assert!(!arranged
        .diagnostics
        .iter()
        .any(|d| d.code == codes::AMBIGUOUS_ORDER));
    let by_names = analyse(&sources, &[], Options::default()).plan;
    assert_eq!(by_names, plan(&sources, &[]));
    assert_eq!(
        files(&by_names),
        [
            "a_table.sql",
            "b_view.sql",
            "schema.sql",
            "packages.sql",
            "versions.sql"
        ]
    );
}

#[test]
fn a_server_a_do_block_creates_comes_before_the_foreign_table_on_it() {
    let sources = [
        Source::new(
            "1_products.sql",
            "create foreign table products (id text) server stripe_server;",
        ),
        Source::new(
            "2_server.sql",
            "do $$ begin\n  if not exists (select 1 from pg_foreign_server where srvname = 'stripe_server') then\n    create server stripe_server foreign data wrapper postgres_fdw;\n  end if;\nend $$;",
        ),
    ];
    let plan = plan(&sources, &[]);
    assert!(!plan.has_order_errors(), "{}", plan.errors_text());
    assert_eq!(files(&plan), ["2_server.sql", "1_products.sql"]);
}

#[test]
fn files_split_by_a_cycle_keep_their_statements_in_written_order() {
    let sources = [
        Source::new(
            "1_a.sql",
            "create table a(id int primary key);\ncreate view a_view as select * from b;\ncreate index a_idx on a(id);",
        ),
        Source::new(
            "2_b.sql",
            "create table b(id int primary key, a_id int references a(id));",
        ),
    ];
    let plan = plan(&sources, &[]);
    assert!(!plan.has_order_errors(), "{}", plan.errors_text());
    let order: Vec<(String, u32)> = plan
        .steps
        .iter()
        .flat_map(|step| step.sources.iter().map(|s| (s.file.clone(), s.start_line)))
        .collect();
    let a_lines: Vec<u32> = order
        .iter()
        .filter(|(file, _)| file == "1_a.sql")
        .map(|(_, line)| *line)
        .collect();
    assert!(a_lines.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert_eq!(files(&plan), ["1_a.sql", "2_b.sql", "1_a.sql"]);
}

/// A runbook written for an existing database alters a table nothing
/// creates: "did you mean" offers a table, never the index of a similar
/// name (and an index for an index).
#[test]
fn did_you_mean_offers_an_object_of_the_same_kind() {
    let sql = "create table public.accounts (id uuid primary key, role text);
create index idx_user_profiles_role on public.accounts (role);
alter table public.user_profiles add column plan text;
drop index idx_user_profile_role;";
    let plan = plan(&[Source::new("runbook.sql", sql)], &[]);
    let helps: Vec<&str> = (plan.diagnostics.iter())
        .filter(|d| d.code == codes::UNRESOLVED)
        .map(|d| d.help.as_str())
        .collect();
    assert_eq!(helps.len(), 2, "{helps:#?}");
    assert!(
        !helps[0].contains("did you mean"),
        "a table is not an index: {}",
        helps[0]
    );
    assert!(
        helps[1].starts_with("did you mean relation public.idx_user_profiles_role?"),
        "{}",
        helps[1]
    );
}

/// A sequence a table owns goes when the table is dropped: creating it
/// again waits for that drop, though the drop names only the table.
#[test]
fn creating_an_owned_sequence_again_waits_for_the_drop_of_its_table() {
    let sources = [
        Source::new(
            "1_tickets.sql",
            "create table tickets (id serial primary key);",
        ),
        Source::new("2_sequence.sql", "create sequence tickets_id_seq;"),
        Source::new("3_drop.sql", "drop table tickets;"),
    ];
    let plan = planned_in_order(&sources, &["1_tickets.sql", "3_drop.sql", "2_sequence.sql"]);
    assert!(
        !(plan.diagnostics.iter()).any(|d| d.code == codes::CREATED_TWICE),
        "{}",
        plan.to_text()
    );
}

/// A guarded drop in a file that does not make the table again is meant
/// for another file's table: before it, it would drop nothing and leave
/// the table behind. Names that both say where they go keep their order.
#[test]
fn a_guarded_drop_comes_after_the_creation_it_is_meant_for() {
    let cleanup = "drop table if exists legacy;";
    let legacy = "create table legacy (id int);";
    let unnamed = planned_in_order(
        &[
            Source::new("cleanup.sql", cleanup),
            Source::new("legacy.sql", legacy),
        ],
        &["legacy.sql", "cleanup.sql"],
    );
    assert_says(
        &unnamed,
        "legacy.sql moves before cleanup.sql: drop of relation public.legacy (cleanup.sql:1)",
    );
    planned_in_order(
        &[
            Source::new("1_cleanup.sql", cleanup),
            Source::new("2_legacy.sql", legacy),
        ],
        &["1_cleanup.sql", "2_legacy.sql"],
    );
}

/// A file that drops and re-creates a view runs whether or not the view
/// exists; another file's plain CREATE VIEW fails when it does, so it
/// goes first.
#[test]
fn an_unguarded_creation_comes_before_a_file_that_drops_and_recreates() {
    let sources = [
        Source::new(
            "recreate.sql",
            "drop view if exists totals;\ncreate view totals as select 1 as n, 2 as m;",
        ),
        Source::new("views.sql", "create view totals as select 1 as n;"),
    ];
    let plan = planned_in_order(&sources, &["views.sql", "recreate.sql"]);
    assert!(
        !(plan.diagnostics.iter()).any(|d| d.code == codes::CREATED_TWICE),
        "{}",
        plan.to_text()
    );
}

/// Two files create one index without IF NOT EXISTS and a third drops it:
/// the drop goes between them. The file that needs the other's table
/// creates it second, whatever order the replay met them in.
#[test]
fn a_drop_goes_between_two_unguarded_creations_of_one_object() {
    let sources = [
        Source::new(
            "again.sql",
            "alter table t add column x int;\ncreate unique index t_pkey on t (id);",
        ),
        Source::new(
            "first.sql",
            "create table t (id int);\ncreate unique index t_pkey on t (id);",
        ),
        Source::new("room.sql", "drop index t_pkey;"),
    ];
    let plan = planned_in_order(&sources, &["first.sql", "room.sql", "again.sql"]);
    assert_says(
        &plan,
        "again.sql:2 creates public.t_pkey again, so it comes after room.sql:1 drops it",
    );
}

/// A drop without CASCADE refuses to run while another table's foreign key
/// needs what it drops: the file that adds that foreign key comes after it,
/// and uses the key made again.
#[test]
fn a_drop_without_cascade_comes_before_what_would_block_it() {
    let sources = [
        Source::new(
            "a_refs.sql",
            "create table child (id int, parent_id int references parent (id));",
        ),
        Source::new("b_parent.sql", "create table parent (id int primary key);"),
        Source::new(
            "c_rekey.sql",
            "alter table parent drop constraint parent_pkey;\nalter table parent add primary key (id);",
        ),
    ];
    let plan = planned_in_order(&sources, &["b_parent.sql", "c_rekey.sql", "a_refs.sql"]);
    assert_says(&plan, "c_rekey.sql moves before a_refs.sql");
    // With CASCADE the drop takes the foreign key: nothing to wait for.
    let mut cascading = sources.clone();
    cascading[2] = Source::new(
        "c_rekey.sql",
        "alter table parent drop constraint parent_pkey cascade;\nalter table parent add primary key (id);",
    );
    planned_in_order(&cascading, &["b_parent.sql", "a_refs.sql", "c_rekey.sql"]);
}

/// A drop without CASCADE of a key another table's foreign key needs comes
/// after the file that drops that table.
#[test]
fn a_drop_without_cascade_waits_for_the_drop_of_what_blocks_it() {
    let sources = [
        Source::new(
            "a_init.sql",
            "create table parent (id int primary key);\ncreate table child (parent_id int references parent (id));",
        ),
        Source::new("b_unkey.sql", "alter table parent drop constraint parent_pkey;"),
        Source::new("c_drop_child.sql", "drop table child;"),
    ];
    let plan = planned_in_order(&sources, &["a_init.sql", "c_drop_child.sql", "b_unkey.sql"]);
    assert_says(
        &plan,
        "(b_unkey.sql:1) drops what constraint child_parent_id_fkey on public.child needed without CASCADE, which it refuses to do until c_drop_child.sql:1 has dropped it, so it comes after",
    );
}

/// Rows a foreign key needs come first even when a function body (needed
/// only when it runs) ties the two files the other way: the soft tie gives
/// way, not the rows.
#[test]
fn rows_a_foreign_key_needs_hold_where_only_code_ties_files_the_other_way() {
    let sources = [
        Source::new(
            "schema.sql",
            "create table registry (handle text primary key);\ncreate table packages (handle text references registry (handle));",
        ),
        Source::new(
            "packages.sql",
            "create table extra (id int);\ninsert into packages (handle) values ('olirice');",
        ),
        Source::new(
            "users.sql",
            "insert into registry values ('olirice');\ncreate function count_extra() returns bigint language plpgsql as $$ begin return (select count(*) from extra); end $$;",
        ),
    ];
    planned_in_order(&sources, &["schema.sql", "users.sql", "packages.sql"]);
}

/// Data that uses an enum value another file adds comes after the
/// `ADD VALUE`, whatever the names say; the move says which value.
#[test]
fn a_statement_using_an_enum_value_comes_after_the_file_that_adds_it() {
    let sources = [
        Source::new(
            "a_schema.sql",
            "create type status as enum ('open', 'closed');\ncreate table tickets (id int, s status);",
        ),
        Source::new("b_data.sql", "insert into tickets values (1, 'archived');"),
        Source::new("c_enum.sql", "alter type status add value 'archived';"),
    ];
    let plan = planned_in_order(&sources, &["a_schema.sql", "c_enum.sql", "b_data.sql"]);
    assert_says(
        &plan,
        "uses 'archived', which c_enum.sql:1 adds to type public.status",
    );
}

/// Two `CREATE OR REPLACE VIEW` of one view: the one showing more columns
/// comes after the one whose columns begin its own, whatever the names say
/// (PostgreSQL cannot drop a view's columns); no ambiguity is left.
#[test]
fn a_view_replaced_with_more_columns_comes_after_the_one_with_fewer() {
    let sources = [
        Source::new(
            "a_table.sql",
            "create table notes (id int, title text, body text);\ncreate view v as select id from notes;",
        ),
        Source::new(
            "b_more.sql",
            "create or replace view v as select id, title as heading, upper(body) from notes;",
        ),
        Source::new(
            "c_fewer.sql",
            "create or replace view v as select n.id, n.title heading from notes n;",
        ),
    ];
    let plan = planned_in_order(&sources, &["a_table.sql", "c_fewer.sql", "b_more.sql"]);
    assert_says(
        &plan,
        "b_more.sql:1 defines public.v with the columns c_fewer.sql:1 gives it and more after them",
    );
    let ambiguous = (plan.diagnostics.iter()).any(|d| d.code == codes::AMBIGUOUS_ORDER);
    assert!(!ambiguous, "{}", plan.to_text());
}
