//! Fixtures written after the users' runbooks (../shared/seeds): each holds
//! files in an order that does not run, and `ORDER`, one order that does.
//! The plan of the files, shuffled and even renamed, must apply to a real
//! PostgreSQL and build the same schema as that order.
mod support;

use std::path::PathBuf;

use pg_sandbox::{normalise_dump, schema_diff, PgServer};
use preflight_core::analysis::source::Source;
use preflight_core::plan::{parse_timestamp, plan, Plan};
use support::{
    check_runbook, database_name, read_folder, renamed, shuffled, supabase_database,
    supabase_server,
};

const SHUFFLES: u64 = 4;

fn fixture(name: &str) -> (Vec<Source>, Vec<String>) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let order = std::fs::read_to_string(dir.join("ORDER")).expect("ORDER file");
    (
        read_folder(&dir),
        order.lines().map(str::to_string).collect(),
    )
}

fn reference_schema(server: &PgServer, name: &str, sources: &[Source], order: &[String]) -> String {
    let database = format!("{}_reference", database_name(name));
    supabase_database(server, &database);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    for file in order {
        // A `.reference` file holds the schema written out in an order that
        // runs, for fixtures whose files run in no order as written.
        let text = match sources.iter().find(|s| &s.name == file) {
            Some(source) => source.text.clone(),
            None => std::fs::read_to_string(dir.join(file)).expect("ORDER names a file"),
        };
        server
            .apply(&database, &text)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    normalise_dump(&server.dump_schema(&database).expect("pg_dump"))
}

fn assert_applies(server: &PgServer, database: &str, plan: &Plan, reference: &str) {
    assert!(
        !plan.has_order_errors(),
        "{database}: the plan has errors:\n{}",
        plan.errors_text()
    );
    supabase_database(server, database);
    server.apply(database, &plan.to_sql()).unwrap_or_else(|e| {
        panic!(
            "{database}: the plan does not apply: {e}\n{}",
            plan.to_sql()
        )
    });
    assert_schema(server, database, reference);
}

fn assert_schema(server: &PgServer, database: &str, reference: &str) {
    let schema = normalise_dump(&server.dump_schema(database).expect("pg_dump"));
    let diff = schema_diff(reference, &schema);
    assert!(
        diff.is_empty(),
        "{database}: schema differs:\n{}",
        diff.join("\n")
    );
}

/// The Supabase CLI applies `supabase/migrations/` in file name order.
fn assert_migrations_apply(server: &PgServer, database: &str, plan: &Plan, reference: &str) {
    supabase_database(server, database);
    let start = parse_timestamp("20241231235958").expect("a timestamp");
    let mut migrations = plan.supabase_migrations(start);
    migrations.sort_by(|a, b| a.name.cmp(&b.name));
    for migration in &migrations {
        server
            .apply(database, &migration.sql)
            .unwrap_or_else(|e| panic!("{database}: {} fails: {e}", migration.name));
    }
    assert_schema(server, database, reference);
}

/// Checks a fixture and returns the plan of its files in name order; the
/// steps that cannot be undone are `irreversible`.
fn check(name: &str, irreversible: &[usize]) -> Plan {
    let (sources, order) = fixture(name);
    let server = supabase_server();
    let reference = reference_schema(&server, name, &sources, &order);
    let by_reference = order.iter().any(|file| file.ends_with(".reference"));
    let planned: Vec<&Source> = sources
        .iter()
        .filter(|s| by_reference || order.contains(&s.name))
        .collect();
    let rollbacks: Vec<&str> = sources
        .iter()
        .filter(|s| !planned.contains(s))
        .map(|s| s.name.as_str())
        .collect();
    for seed in 0..SHUFFLES {
        let database = format!("{}_shuffled_{seed}", database_name(name));
        let kept = plan(&shuffled(&sources, seed), &[]);
        if !by_reference {
            assert_eq!(
                kept.steps.len(),
                planned.len(),
                "{database}: one step per file"
            );
        }
        assert_applies(&server, &database, &kept, &reference);

        // Names that carry no order: the rollback script is recognised by
        // what it does.
        let database = format!("{}_renamed_{seed}", database_name(name));
        let renamed_sources = renamed(&sources, seed);
        let new_name = |old: &str| {
            let at = shuffled(&sources, seed)
                .iter()
                .position(|s| s.name == old)
                .expect("known file");
            renamed_sources[at].name.clone()
        };
        let without_names = plan(&renamed_sources, &[]);
        let found: Vec<String> = without_names
            .rollback_scripts
            .iter()
            .map(|r| r.file.clone())
            .collect();
        let expected: Vec<String> = rollbacks.iter().map(|old| new_name(old)).collect();
        assert_eq!(found, expected, "{database}: rollback scripts");
        assert_applies(&server, &database, &without_names, &reference);
    }
    let plan = plan(&sources, &[]);
    let database = format!("{}_migrations", database_name(name));
    assert_migrations_apply(&server, &database, &plan, &reference);
    let marked: Vec<usize> = plan
        .steps
        .iter()
        .filter(|step| step.rollback_sql.is_none())
        .map(|step| step.number)
        .collect();
    assert_eq!(
        marked, irreversible,
        "{name}: the steps that cannot be undone"
    );
    check_runbook(&server, name, &plan);
    plan
}

/// Embedded double quotes, mixed case, reserved words, spaces and unicode in
/// every kind of name: the generated verification and rollback SQL must
/// name each object exactly, or it fails on PostgreSQL.
#[test]
fn hostile_names_are_quoted_exactly() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile-names");
    let plan = plan(&read_folder(&dir), &[]);
    assert!(!plan.has_order_errors(), "{}", plan.errors_text());
    let counts = check_runbook(&supabase_server(), "hostile-names", &plan);
    assert_eq!(counts.undone, plan.steps.len(), "every step is undone");
    let health = plan.health_check_sql.as_deref().expect("a health check");
    for checked in [
        r#"to_regclass('"Sales ""EU"""."Order ""View"""')"#,
        r#"conname = 'Group "is" set'"#,
        r#"attname = 'Naïve Column'"#,
        r#"to_regclass('public."User Accounts"')"#,
        r#"'Owner''s "row" ✓'"#,
        r#"'Before "update"'"#,
    ] {
        assert!(
            health.contains(checked),
            "the health check names {checked}:\n{health}"
        );
    }
}

/// Every finding of a rule in the plan, as text.
fn finding(plan: &Plan, rule: &str) -> String {
    (plan.diagnostics.iter())
        .filter(|d| d.rule.as_deref() == Some(rule))
        .map(|d| d.to_text())
        .collect()
}

#[test]
fn liveeditor_role_column_moves_before_the_policy_that_reads_it() {
    let plan = check("liveeditor", &[]);
    // The insert policy open to everyone, and the constraint its runbook
    // calls idempotent.
    let open = finding(&plan, "policy-always-true");
    assert!(open.contains("\"Service can insert usage records\" on public.ai_usage lets every role (anon included) INSERT any row"), "{open}");
    let rerun = finding(&plan, "not-rerunnable");
    assert!(
        rerun.contains("constraint user_profiles_role_check on public.user_profiles already there"),
        "{rerun}"
    );
    let titles: Vec<&str> = plan.steps.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "001_user_profiles.sql",
            "003_role_column.sql",
            "002_ai_usage_table.sql"
        ]
    );
    insta::assert_snapshot!(plan.to_text());
    insta::assert_snapshot!("liveeditor_runbook", plan.to_markdown());
}

#[test]
fn trackpay_tables_move_before_realtime_and_rls() {
    let plan = check("trackpay", &[]);
    assert_eq!(plan.steps[1].title, "trackpay_schema.sql");
    // The seed's mistake is flagged before anything runs, with the column
    // that holds the user.
    let mismatch = finding(&plan, "identity-mismatch");
    assert!(
        mismatch.contains("\"Clients see their invoices\" on public.trackpay_invoices compares auth.uid() with client_id")
            && mismatch.contains("the user is public.trackpay_users.auth_user_id"),
        "{mismatch}"
    );
    insta::assert_snapshot!(plan.to_text());
    insta::assert_snapshot!("trackpay_runbook", plan.to_markdown());
}

#[test]
fn user_management_rename_keeps_readers_of_the_old_name_first_and_rollback_out() {
    let plan = check("user-management", &[2, 5]);
    let rollbacks: Vec<&str> = plan
        .rollback_scripts
        .iter()
        .map(|r| r.file.as_str())
        .collect();
    assert_eq!(rollbacks, ["008_rollback_to_iso_agents.sql"]);
    insta::assert_snapshot!(plan.to_text());
    insta::assert_snapshot!("user_management_runbook", plan.to_markdown());
}

#[test]
fn a_rule_moves_after_the_table_it_writes_and_every_column_change_is_verified() {
    let plan = check("ticket-statuses", &[4]);
    let titles: Vec<&str> = plan.steps.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "001_tickets.sql",
            "003_log.sql",
            "002_rules.sql",
            "004_pending.sql"
        ]
    );
    let verified = |step: usize| plan.steps[step].verify_sql.clone().unwrap_or_default();
    for (step, label) in [
        (1, "column public.ticket_log.at has no default"),
        (1, "column public.ticket_log.ticket is nullable"),
        (2, "rule log_ticket_insert on public.tickets exists"),
        (2, "column public.tickets.note has a default"),
        (2, "column public.tickets.note is NOT NULL"),
        (3, "type public.ticket_status has the value ''pending''"),
    ] {
        assert!(
            verified(step).contains(label),
            "step {}: {label}\n{}",
            step + 1,
            verified(step)
        );
    }
}

#[test]
fn roseram_foreign_key_cycle_is_broken_like_pg_dump() {
    let plan = check("roseram", &[]);
    let sql = plan.to_sql();
    let deferred = "ADD CONSTRAINT deployments_project_fk FOREIGN KEY (project_id) \
                    REFERENCES public.projects (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED";
    assert!(sql.contains(deferred), "{sql}");
    insta::assert_snapshot!(plan.to_text());
    insta::assert_snapshot!("roseram_runbook", plan.to_markdown());
}

/// Seed data is verified by what it wrote: inserted rows by their key,
/// updated rows by their new values, deleted rows gone. The checks pass
/// after each step and fail when the rows are not as the step left them.
#[test]
fn data_steps_are_verified_by_their_rows() {
    let seed = "CREATE TABLE public.plans (code text PRIMARY KEY, price int NOT NULL, note text);
INSERT INTO public.plans (code, price) VALUES ('free', 0), ('pro', 10);
INSERT INTO public.plans (code, price, note)
  SELECT 'team', 30, 'per seat' WHERE NOT EXISTS (SELECT 1 FROM public.plans WHERE code = 'team');
UPDATE public.plans SET price = 12 WHERE code = 'pro';
";
    let retire = "DELETE FROM public.plans WHERE price > 20;\n";
    let plan = plan(
        &[
            Source::new("001_plans.sql", seed),
            Source::new("002_retire.sql", retire),
        ],
        &[],
    );
    let verify = |step: usize| plan.steps[step].verify_sql.clone().expect("a verification");
    for (step, label) in [
        (0, "the 2 rows inserted into public.plans exist (by code)"),
        (0, "the row of public.plans with (code) = (''team'') exists"),
        (
            0,
            "rows of public.plans where code = ''pro'' hold the new values",
        ),
        (1, "rows of public.plans where price > 20 are gone"),
    ] {
        assert!(
            verify(step).contains(label),
            "{label} not in\n{}",
            verify(step)
        );
    }
    let server = supabase_server();
    let database = "data_steps_verified";
    supabase_database(&server, database);
    let failures = |step: usize| {
        let results = server.query(database, &verify(step)).expect("it runs");
        results.lines().filter(|l| l.ends_with("|fail")).count()
    };
    let apply = |sql: &str| server.apply(database, sql).expect("it applies");
    for step in 0..2 {
        apply(&plan.steps[step].runnable_sql());
        assert_eq!(failures(step), 0, "step {}", step + 1);
    }
    apply("INSERT INTO public.plans VALUES ('team', 30, 'back'); UPDATE public.plans SET price = 11 WHERE code = 'pro'; DELETE FROM public.plans WHERE code = 'free';");
    assert_eq!(failures(0), 2, "pro's price and free's row");
    assert_eq!(failures(1), 1, "team is back");
}

/// A check holds only until a later write in the step may break it.
#[test]
fn later_writes_undo_the_row_checks_they_may_break() {
    let sql = "CREATE TABLE public.plans (code text PRIMARY KEY, price int NOT NULL, note text);
CREATE TABLE public.audit (note text);
INSERT INTO public.plans (code, price) VALUES ('free', 0), ('legacy', 5);
UPDATE public.plans SET price = 12 WHERE code = 'free';
INSERT INTO public.plans (code, price) VALUES ('pro', 10);
UPDATE public.plans SET note = 'all';
UPDATE public.plans SET code = 'pro2' WHERE code = 'pro';
DELETE FROM public.plans WHERE code = 'legacy';
INSERT INTO public.audit (note) SELECT note FROM public.plans;
";
    let plan = plan(&[Source::new("001_plans.sql", sql)], &[]);
    let verify = plan.steps[0].verify_sql.clone().expect("a verification");
    for kept in [
        "-- Check by hand: the rows this INSERT added to public.audit.",
        "rows of public.plans where code = ''pro'' hold the new values",
        "rows of public.plans where code = ''legacy'' are gone",
    ] {
        assert!(verify.contains(kept), "{kept} not in\n{verify}");
    }
    // The inserts' keys are updated; the first update is followed by an
    // insert, the second by an update.
    for undone in [
        "(by code)",
        "(''pro'')",
        "where code = ''free''",
        "every row",
    ] {
        assert!(!verify.contains(undone), "{undone} in\n{verify}");
    }
}

/// A script written after the LiveEditor guide, which its runbook calls
/// idempotent: it fails when run a second time. `preflight fix` (safe
/// fixes, then unsafe ones too) makes it run twice in a row.
#[test]
fn fixed_scripts_run_twice_in_a_row() {
    let script = r#"CREATE TYPE public.plan_tier AS ENUM ('free', 'pro');
CREATE TABLE public.user_profiles (
  id uuid PRIMARY KEY REFERENCES auth.users (id),
  tier public.plan_tier NOT NULL DEFAULT 'free'
);
ALTER TABLE public.user_profiles ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users can view own profile" ON public.user_profiles
  FOR SELECT USING (auth.uid() = id);
ALTER TABLE public.user_profiles ADD COLUMN role text DEFAULT 'user';
ALTER TABLE public.user_profiles ADD CONSTRAINT user_profiles_role_check
  CHECK (role IN ('user', 'admin'));
CREATE INDEX idx_user_profiles_role ON public.user_profiles (role);
CREATE FUNCTION public.is_admin() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
  AS $$ SELECT EXISTS (SELECT 1 FROM public.user_profiles WHERE id = auth.uid() AND role = 'admin') $$;
CREATE POLICY "Admins can view all profiles" ON public.user_profiles
  FOR SELECT USING (public.is_admin());
CREATE VIEW public.admins AS SELECT id FROM public.user_profiles WHERE role = 'admin';
"#;
    let server = supabase_server();
    let runs_twice = |database: &str, sql: &str| {
        supabase_database(&server, database);
        server.apply(database, sql).expect("the first run");
        server.apply(database, sql).is_ok()
    };
    assert!(
        !runs_twice("rerun_original", script),
        "the script as written fails the second time"
    );
    let sources = [Source::new("liveeditor.sql", script)];
    for (unsafe_too, database) in [(false, "rerun_safe_fixes"), (true, "rerun_all_fixes")] {
        let found = plan(&sources, &[]).diagnostics;
        let fixed = preflight_core::lint::fix::apply(&sources, &found, unsafe_too);
        assert!(
            fixed.left_out.iter().all(|what| what.contains("unsafe")),
            "{:#?}",
            fixed.left_out
        );
        let text = &fixed.changed[0].text;
        assert!(runs_twice(database, text), "{text}");
        let again = plan(&fixed.changed, &[]);
        let rerun: Vec<String> = (again.diagnostics.iter())
            .filter(|d| d.rule.as_deref() == Some("not-rerunnable"))
            .map(|d| d.to_text())
            .collect();
        assert!(rerun.is_empty(), "{rerun:#?}\n{text}");
    }
}

/// `SET SCHEMA` moves a table (with what hangs on it: its index, its
/// policy, a view over it) the way a rename does: what needs the new name
/// comes after the move, the step verifies the table at its new place and
/// its rollback moves it back, on PostgreSQL.
#[test]
fn a_table_moved_to_another_schema_is_ordered_verified_and_moved_back() {
    let sources = [
        Source::new(
            "a_schema.sql",
            "create schema archive;\ncreate table public.notes (id int primary key, body text);\ncreate index notes_body on public.notes (body);\ncreate view public.note_bodies as select body from public.notes;",
        ),
        Source::new("b_reads.sql", "create view archive.recent as select id from archive.notes;"),
        Source::new("c_move.sql", "alter table public.notes set schema archive;"),
    ];
    let plan = plan(&sources, &[]);
    assert!(!plan.has_order_errors(), "{}", plan.errors_text());
    let files: Vec<&str> = (plan.steps.iter())
        .map(|step| step.sources[0].file.as_str())
        .collect();
    assert_eq!(files, ["a_schema.sql", "c_move.sql", "b_reads.sql"]);
    let moved = &plan.steps[1];
    assert_eq!(
        moved.rollback_sql.as_deref(),
        Some("ALTER TABLE archive.notes SET SCHEMA public;\n")
    );
    let counts = check_runbook(&supabase_server(), "set-schema", &plan);
    assert_eq!(counts.undone, plan.steps.len(), "every step is undone");
}

/// GRANT and REVOKE are undone in their own words, TO and FROM swapped,
/// each is verified from the objects' access lists, and each undo, run on
/// PostgreSQL, leaves the privileges as they were. (In schema `app`, which
/// Supabase's default privileges do not reach: a GRANT of what a role
/// already holds changes nothing, and its REVOKE would take more.)
#[test]
fn grants_and_revokes_are_undone_in_their_own_words() {
    let sources = [
        Source::new(
            "a_objects.sql",
            "create schema app;\ncreate table app.notes (id int primary key, body text);\ncreate function app.twice(a int) returns int language sql as $$ select 2 * a $$;\ncreate sequence app.counter;",
        ),
        Source::new(
            "b_grant.sql",
            "grant select, insert on table app.notes to anon with grant option;",
        ),
        Source::new(
            "c_revoke.sql",
            "revoke all on function app.twice(int) from public cascade;",
        ),
        Source::new("d_schema.sql", "grant usage on schema app to authenticated;"),
        Source::new(
            "e_columns.sql",
            "grant update (body), references (id, body) on app.notes to authenticated;",
        ),
        Source::new(
            "f_granted_by.sql",
            "GRANT /* the API reads it */ USAGE, SELECT ON SEQUENCE app.counter TO \"authenticated\" GRANTED BY CURRENT_USER;",
        ),
        Source::new(
            "g_option.sql",
            "revoke grant option for insert on app.notes from anon;",
        ),
    ];
    let plan = plan(&sources, &[]);
    assert!(!plan.has_order_errors(), "{}", plan.errors_text());
    let rollbacks: Vec<&str> = (plan.steps.iter().skip(1))
        .map(|step| step.rollback_sql.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(
        rollbacks,
        [
            "revoke select, insert on table app.notes from anon;\n",
            "grant all on function app.twice(int) to public;\n",
            "revoke usage on schema app from authenticated;\n",
            "revoke update (body), references (id, body) on app.notes from authenticated;\n",
            "REVOKE /* the API reads it */ USAGE, SELECT ON SEQUENCE app.counter FROM \"authenticated\" GRANTED BY CURRENT_USER;\n",
            "GRANT insert ON app.notes TO anon WITH GRANT OPTION;\n",
        ]
    );
    let verified = |step: usize| plan.steps[step].verify_sql.as_deref().unwrap_or_default();
    for (step, label) in [
        (1, "anon may grant INSERT on app.notes"),
        (
            2,
            "public has no ALL on function app.twice(pg_catalog.int4)",
        ),
        (4, "authenticated has REFERENCES on column app.notes.id"),
        (6, "anon may not grant INSERT on app.notes"),
    ] {
        assert!(
            verified(step).contains(label),
            "{label}:\n{}",
            verified(step)
        );
    }
    let counts = check_runbook(&supabase_server(), "grants", &plan);
    assert_eq!(counts.undone, plan.steps.len(), "every step is undone");
}
