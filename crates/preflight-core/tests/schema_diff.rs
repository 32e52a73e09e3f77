//! The schema audit against a real PostgreSQL: each fixture's migrations,
//! applied in plan order, define the same public schema as `pg_dump` of the
//! database they build; one change made in the database afterwards is
//! exactly what the audit reports.
mod support;

use std::path::PathBuf;

use pg_sandbox::PgServer;
use preflight_core::analysis::source::Source;
use preflight_core::diff::{diff, Changed, SchemaDiff};
use preflight_core::plan::plan;
use support::{database_name, read_folder, supabase_database, supabase_server};

/// A database built from a fixture's migrations, and those migrations (one
/// source per planned step, so each side replays in an order that runs).
struct Built {
    server: PgServer,
    database: String,
    migrations: Vec<Source>,
}

impl Built {
    fn new(name: &str) -> Self {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let plan = plan(&read_folder(&dir), &[]);
        assert!(!plan.has_order_errors(), "{name}: {}", plan.errors_text());
        let migrations: Vec<Source> = plan
            .steps
            .iter()
            .map(|step| Source::new(step.title.clone(), step.sql.clone()))
            .collect();
        let server = supabase_server();
        let database = format!("{}_audit", database_name(name));
        supabase_database(&server, &database);
        for migration in &migrations {
            server
                .apply(&database, &migration.text)
                .unwrap_or_else(|e| panic!("{}: {e}", migration.name));
        }
        Self {
            server,
            database,
            migrations,
        }
    }

    /// The migrations against pg_dump of the database, in the public schema
    /// (the dump also holds what Supabase manages: auth, storage...).
    fn audit(&self) -> SchemaDiff {
        let dump = self
            .server
            .dump_schema_sql(&self.database)
            .expect("pg_dump");
        let mut audit = diff(&self.migrations, &[Source::new("dump.sql", dump)]);
        assert!(!audit.has_errors(), "{}", audit.to_text());
        audit.retain_schemas(&["public".into()]);
        audit
    }

    fn change(&self, sql: &str) {
        self.server
            .apply(&self.database, sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// Checks that the fixture's migrations equal their dump, then makes one
/// change in the database and returns the audit after it.
fn audit_after(name: &str, change: &str) -> SchemaDiff {
    let built = Built::new(name);
    let audit = built.audit();
    assert!(
        audit.is_empty(),
        "{name}: the migrations differ from their own dump:\n{}",
        audit.to_text()
    );
    built.change(change);
    built.audit()
}

/// The only difference is one property of one object.
fn only_change(audit: &SchemaDiff) -> (&Changed, &str, Option<&str>, Option<&str>) {
    assert!(
        audit.only_in_a.is_empty() && audit.only_in_b.is_empty(),
        "{}",
        audit.to_text()
    );
    let [changed] = audit.changed.as_slice() else {
        panic!("one changed object expected:\n{}", audit.to_text());
    };
    let [difference] = changed.differences.as_slice() else {
        panic!("one difference expected:\n{}", audit.to_text());
    };
    (
        changed,
        difference.property.as_str(),
        difference.a.definition.as_deref(),
        difference.b.definition.as_deref(),
    )
}

#[test]
fn liveeditor_a_column_type_changed_in_the_database() {
    let audit = audit_after(
        "liveeditor",
        "ALTER TABLE public.ai_usage ALTER COLUMN model TYPE varchar(100);",
    );
    let (changed, property, a, b) = only_change(&audit);
    assert_eq!(changed.object.to_string(), "column public.ai_usage.model");
    assert_eq!(
        (property, a, b),
        ("type", Some("text"), Some("character varying(100)"))
    );
    let text = audit.to_text();
    assert!(
        text.starts_with(
            "column public.ai_usage.model: type text (002_ai_usage_table.sql:5) vs character varying(100) (dump.sql:"
        ),
        "{text}"
    );
}

#[test]
fn trackpay_a_policy_dropped_in_the_database() {
    let audit = audit_after(
        "trackpay",
        r#"DROP POLICY "Users see themselves" ON public.trackpay_users;"#,
    );
    assert!(
        audit.changed.is_empty() && audit.only_in_b.is_empty(),
        "{}",
        audit.to_text()
    );
    let only: Vec<String> = audit
        .only_in_a
        .iter()
        .map(|p| p.object.to_string())
        .collect();
    assert_eq!(
        only,
        [r#"policy "Users see themselves" on public.trackpay_users"#]
    );
    assert_eq!(&*audit.only_in_a[0].at.file, "020_rls_policies.sql");
}

#[test]
fn user_management_row_level_security_disabled_in_the_database() {
    let audit = audit_after(
        "user-management",
        "ALTER TABLE public.requests DISABLE ROW LEVEL SECURITY;",
    );
    let (changed, property, a, b) = only_change(&audit);
    assert_eq!(changed.object.to_string(), "table public.requests");
    assert_eq!(
        (property, a, b),
        ("row level security", Some("enabled"), Some("disabled"))
    );
}

#[test]
fn roseram_a_default_changed_in_the_database() {
    let audit = audit_after(
        "roseram",
        "ALTER TABLE public.deployments ALTER COLUMN status SET DEFAULT 'live';",
    );
    let (changed, property, a, b) = only_change(&audit);
    assert_eq!(
        changed.object.to_string(),
        "column public.deployments.status"
    );
    assert_eq!(property, "default");
    assert_eq!(a, Some("'queued'"));
    assert_eq!(b, Some("'live'::text"));
}
