//! The names PostgreSQL makes up for unnamed constraints, indexes and
//! sequences, compared one by one with Preflight's on a real server: later
//! migrations drop and alter them by these names.
mod support;

use std::collections::BTreeSet;

use preflight_core::analysis::facts::{Action, ObjectKind};
use preflight_core::analysis::parse::parse_text;
use preflight_core::analysis::source::Source;
use preflight_core::analysis::statements::analyze;
use preflight_core::diff::diff;
use support::{supabase_database, supabase_server};

const TABLES: &str = r#"
create table public.orders (
  id int primary key,
  amount int check (amount > 0),
  low int,
  high int,
  check (low < high),
  check (true),
  "Mixed Case" int unique,
  parent int references public.orders (id),
  unique (low, high),
  total int check (amount > 0)
);
create table public.a_table_name_long_enough_that_postgres_must_shorten_it_x (
  id int primary key,
  a_column_name_that_is_long_as_well_for_the_test int check (a_column_name_that_is_long_as_well_for_the_test > 0)
    references public.orders (id) unique
);
create table public.bookings (
  room int,
  during tsrange,
  exclude using gist (during with &&)
);
create table public."Café ☕" (
  "naïve" int check ("naïve" > 0) unique
);
create table public.counters (
  id serial,
  a_column_name_that_is_long_as_well_for_the_test_of_sequences bigserial,
  ident int generated always as identity
);
"#;

const INDEXES: &str = r#"
create index on public.orders (low);
create index on public.orders (low, high, low);
create index on public.orders (lower("Mixed Case"::text));
create index on public.orders ((low + high));
create index on public.a_table_name_long_enough_that_postgres_must_shorten_it_x (a_column_name_that_is_long_as_well_for_the_test);
"#;

/// `query`'s rows (one name each) as a set.
fn names(server: &pg_sandbox::PgServer, database: &str, query: &str) -> BTreeSet<String> {
    server
        .query(database, query)
        .expect("the catalog answers")
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn unnamed_constraints_indexes_and_sequences_get_the_names_postgres_gives_them() {
    let server = supabase_server();
    let database = "implicit_names";
    supabase_database(&server, database);
    server
        .query(database, "create extension if not exists btree_gist;")
        .expect("btree_gist");
    server
        .query(database, TABLES)
        .expect("the tables are created");
    server
        .query(database, INDEXES)
        .expect("the indexes are created");
    let postgres = names(
        &server,
        database,
        "select conname from pg_constraint c join pg_namespace n on n.oid = c.connamespace \
         where n.nspname = 'public' and contype in ('p', 'u', 'f', 'c', 'x')",
    );
    let parsed = parse_text(TABLES);
    let preflight: BTreeSet<String> = parsed
        .statements
        .iter()
        .flat_map(|statement| analyze(&statement.node, &["public".to_string()]).facts)
        .filter(|fact| fact.action == Action::Creates && fact.object.kind == ObjectKind::Constraint)
        .map(|fact| fact.object.name.name.to_string())
        .collect();
    assert_eq!(preflight, postgres);
    // Indexes (those CREATE INDEX names, not those behind constraints) as
    // the schema audit names them; sequences as the facts name them.
    let indexes = names(
        &server,
        database,
        "select indexname from pg_indexes i where schemaname = 'public' and not exists \
         (select 1 from pg_constraint c where c.conname = i.indexname)",
    );
    let audit = diff(
        &[Source::new("a.sql", TABLES), Source::new("b.sql", INDEXES)],
        &[Source::new("a.sql", TABLES)],
    );
    let audited: BTreeSet<String> = (audit.only_in_a.iter())
        .filter(|presence| presence.object.object.kind == ObjectKind::Index)
        .map(|presence| presence.object.object.name.name.to_string())
        .collect();
    assert_eq!(audited, indexes);
    for name in [
        "orders_lower_idx",
        "orders_expr_idx",
        "orders_low_high_low1_idx",
    ] {
        assert!(indexes.contains(name), "{name} in {indexes:?}");
    }
    let sequences = names(
        &server,
        database,
        "select sequencename from pg_sequences where schemaname = 'public'",
    );
    let made: BTreeSet<String> = parsed
        .statements
        .iter()
        .flat_map(|statement| analyze(&statement.node, &["public".to_string()]).facts)
        .filter(|fact| fact.action == Action::Creates && fact.object.kind == ObjectKind::Sequence)
        .map(|fact| fact.object.name.name.to_string())
        .collect();
    assert_eq!(made, sequences);
    // The cases that matter, spelled out.
    for name in [
        "orders_amount_check",
        "orders_check",
        "orders_low_high_key",
        "orders_Mixed Case_key",
        "bookings_during_excl",
    ] {
        assert!(postgres.contains(name), "{name} in {postgres:?}");
    }
}
