//! The names PostgreSQL makes up for unnamed constraints, compared one by
//! one with Preflight's on a real server: later migrations drop and alter
//! constraints by these names.
mod support;

use std::collections::BTreeSet;

use preflight_core::facts::{Action, ObjectKind};
use preflight_core::parse::parse_text;
use preflight_core::targets::analyze;
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
"#;

#[test]
fn unnamed_constraints_get_the_names_postgres_gives_them() {
    let server = supabase_server();
    let database = "implicit_names";
    supabase_database(&server, database);
    server
        .query(database, "create extension if not exists btree_gist;")
        .expect("btree_gist");
    server
        .query(database, TABLES)
        .expect("the tables are created");
    let postgres: BTreeSet<String> = server
        .query(
            database,
            "select conname from pg_constraint c join pg_namespace n on n.oid = c.connamespace \
             where n.nspname = 'public' and contype in ('p', 'u', 'f', 'c', 'x')",
        )
        .expect("constraints")
        .lines()
        .map(str::to_string)
        .collect();
    let parsed = parse_text(TABLES);
    let preflight: BTreeSet<String> = parsed
        .statements
        .iter()
        .flat_map(|statement| analyze(&statement.node, &["public".to_string()]).facts)
        .filter(|fact| fact.action == Action::Creates && fact.object.kind == ObjectKind::Constraint)
        .map(|fact| fact.object.name.name)
        .collect();
    assert_eq!(preflight, postgres);
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
