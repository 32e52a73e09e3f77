//! Markdown runbooks written after the users' own documents
//! (../shared/seeds): every SQL block is a unit named after its heading and
//! classified; illustrations are not run and raise no syntax error; the
//! author's verification and rollback blocks go with the step they belong
//! to, and run there on a real PostgreSQL.
mod support;

use std::path::PathBuf;

use pg_sandbox::{normalise_dump, schema_diff};
use preflight_core::analysis::block_role::BlockRole;
use preflight_core::analysis::source::Source;
use preflight_core::diagnostics::codes;
use preflight_core::plan::{plan, Plan};
use support::{check_runbook_on, database_name, supabase_database, supabase_server};

use BlockRole::{Illustration, Migration, Rollback, Verification};

struct Runbook {
    source: Source,
    baseline: Option<Source>,
}

fn runbook(name: &'static str) -> Runbook {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/runbooks");
    let read = |file: &str| {
        let path = dir.join(file);
        path.is_file()
            .then(|| Source::new(file, std::fs::read_to_string(path).expect("readable")))
    };
    Runbook {
        source: read(&format!("{name}.md")).expect("the runbook"),
        baseline: read(&format!("{name}.baseline.sql")),
    }
}

impl Runbook {
    fn plan(&self) -> Plan {
        plan(
            std::slice::from_ref(&self.source),
            Vec::from_iter(self.baseline.clone()).as_slice(),
        )
    }
}

/// Each block's title and role, in document order.
fn roles(plan: &Plan) -> Vec<(&str, BlockRole)> {
    (plan.blocks.iter())
        .map(|block| (block.title.as_str(), block.role))
        .collect()
}

fn step_titles(plan: &Plan) -> Vec<&str> {
    plan.steps.iter().map(|step| step.title.as_str()).collect()
}

/// The titles of the author's blocks of `role` given to the step `title`.
fn given_to<'a>(plan: &'a Plan, title: &str, role: BlockRole) -> Vec<&'a str> {
    let step = (plan.steps.iter())
        .find(|step| step.title == title)
        .unwrap_or_else(|| panic!("no step {title}"));
    (step.from_runbook.iter())
        .filter(|block| block.role == role)
        .map(|block| block.title.as_str())
        .collect()
}

fn assert_no_syntax_error(plan: &Plan) {
    let errors: Vec<String> = (plan.diagnostics.iter())
        .filter(|d| d.code == codes::SYNTAX_ERROR)
        .map(|d| d.to_text())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn the_liveeditor_guide_is_planned_block_by_block_and_reordered_by_what_it_needs() {
    let plan = runbook("liveeditor-guide").plan();
    assert_eq!(
        roles(&plan),
        [
            ("Step 2: Create the credits ledger", Migration),
            ("Step 3: Check the ledger", Verification),
            ("Step 4: Add the tier column", Migration),
            ("Step 5: Final check", Verification),
            ("👤 Make yourself staff (optional)", Migration),
            ("Undo the ledger", Rollback),
            ("Undo the tier column", Rollback),
            ("📊 Monitoring", Verification),
            (
                "Error: \"constraint user_profiles_tier_check already exists\"",
                Illustration
            ),
        ]
    );
    // The staff policy reads the tier column, which step 4 adds.
    assert_eq!(
        step_titles(&plan),
        [
            "Step 4: Add the tier column",
            "Step 2: Create the credits ledger",
            "👤 Make yourself staff (optional)",
        ]
    );
    let moved = (plan.diagnostics.iter())
        .find(|d| d.code == codes::MOVED)
        .expect("the move is explained");
    assert!(
        moved.message.starts_with(
            "“Step 4: Add the tier column” moves before “Step 2: Create the credits ledger”"
        ),
        "{}",
        moved.message
    );
    assert!(moved.message.contains("column public.user_profiles.tier"));
    // The checks and the way back stay with what they check and undo.
    let ledger = "Step 2: Create the credits ledger";
    assert_eq!(
        given_to(&plan, ledger, Verification),
        ["Step 3: Check the ledger"]
    );
    assert_eq!(given_to(&plan, ledger, Rollback), ["Undo the ledger"]);
    let tier = "Step 4: Add the tier column";
    assert_eq!(given_to(&plan, tier, Verification), ["Step 5: Final check"]);
    assert_eq!(given_to(&plan, tier, Rollback), ["Undo the tier column"]);
    // The step holds its block's SQL and nothing of the other blocks.
    let step = &plan.steps[0];
    assert!(step.sql.contains("ADD COLUMN IF NOT EXISTS tier"));
    assert!(!step.sql.contains("credits_ledger"));
    assert_eq!(
        (step.sources[0].start_line, step.sources[0].end_line),
        (60, 71)
    );
    assert_no_syntax_error(&plan);
    let illustrations = (plan.diagnostics.iter()).filter(|d| d.code == codes::ILLUSTRATION);
    assert_eq!(illustrations.count(), 1);
}

/// A runbook for a database it never creates names each object it expects
/// once, with how many statements need it, and offers the baseline.
#[test]
fn a_runbook_for_an_existing_database_names_each_missing_table_once() {
    let guide = runbook("liveeditor-guide");
    let plan = plan(std::slice::from_ref(&guide.source), &[]);
    let missing: Vec<_> = (plan.diagnostics.iter())
        .filter(|d| d.code == codes::UNRESOLVED)
        .collect();
    assert_eq!(missing.len(), 1, "{missing:#?}");
    let missing = missing[0];
    assert!(
        missing
            .message
            .contains("more statements need relation public.user_profiles"),
        "{}",
        missing.message
    );
    assert_eq!(missing.line, 37, "the first statement that needs it");
    // Every other statement that needs it is listed, once each.
    let mut lines: Vec<u32> = missing.related.iter().map(|r| r.line).collect();
    lines.dedup();
    assert_eq!(lines, [62, 65, 69, 88]);
    assert!(missing.help.contains("as a baseline"), "{}", missing.help);
}

#[test]
fn quoted_fragments_and_wrong_examples_are_illustrations_not_syntax_errors() {
    let plan = runbook("trackpay-plan").plan();
    assert_eq!(
        roles(&plan),
        [
            ("The problem", Illustration),
            ("The fix (block 1 of 2)", Illustration),
            ("The fix (block 2 of 2)", Illustration),
            ("3.0 Extensions (run first)", Migration),
            ("3.0 Extensions (run first)", Verification),
            ("3.1 Tables", Migration),
            ("3.1 Tables", Verification),
            ("3.2 Policies", Migration),
            ("3.3 RLS helper function", Migration),
            ("3.3 RLS helper function", Verification),
            ("Quick health check", Verification),
            (
                "Issue: \"column auth_user_id does not exist\"",
                Illustration
            ),
        ]
    );
    assert_no_syntax_error(&plan);
    let whys: Vec<&str> = (plan.blocks.iter().take(3))
        .map(|block| block.why.as_str())
        .collect();
    assert_eq!(
        whys,
        [
            "it shows a mistake (“❌”)",
            "it holds a piece of a statement, not a whole one (“USING ...”)",
            "it quotes scripts/prod/016_delete_client.sql, which is not run from here",
        ]
    );
    // The illustration's CREATE FUNCTION is not planned; the helper is
    // created once, by 3.3, which moves before the policies that call it.
    assert_eq!(
        step_titles(&plan),
        [
            "3.0 Extensions (run first)",
            "3.1 Tables",
            "3.3 RLS helper function",
            "3.2 Policies"
        ]
    );
    assert_eq!(
        given_to(&plan, "3.3 RLS helper function", Verification),
        ["3.3 RLS helper function", "Quick health check"]
    );
    assert!(!plan.has_errors(), "{}", plan.to_text());
}

#[test]
fn an_incorrect_policy_quoted_next_to_the_fix_is_not_planned() {
    let plan = runbook("schema-audit").plan();
    assert_eq!(
        roles(&plan),
        [
            ("1. Wrong table in the admin policy", Illustration),
            (
                "Option A: fix production directly (block 1 of 2)",
                Migration
            ),
            (
                "Option A: fix production directly (block 2 of 2)",
                Migration
            ),
            ("Option A: fix production directly", Verification),
            ("1. `database-schema.sql`", Illustration),
        ]
    );
    // Nothing reads public.profiles: the wrong policy is only shown.
    assert!(
        !(plan.diagnostics.iter()).any(|d| d.message.contains("public.profiles")),
        "{}",
        plan.to_text()
    );
    assert_no_syntax_error(&plan);
    assert!(!plan.has_order_errors(), "{}", plan.to_text());
}

#[test]
fn sections_of_checks_and_troubleshooting_are_not_steps() {
    let plan = runbook("roseram-guide").plan();
    assert_eq!(
        roles(&plan),
        [
            ("Step 3: Run the unified schema", Migration),
            ("Step 4: Verify tables created", Verification),
            ("Step 5: Configure RLS policies", Verification),
            ("Additional indexes you might need", Migration),
            ("Option 1: start clean", Migration),
            ("Option 2: keep the old rows", Migration),
            ("Error: \"relation does not exist\"", Illustration),
            ("Manual snapshot", Illustration),
            ("Maintenance", Illustration),
        ]
    );
    // Options are choices: planning both is said once.
    let options: Vec<_> = (plan.diagnostics.iter())
        .filter(|d| d.code == codes::ALTERNATIVES)
        .collect();
    assert_eq!(options.len(), 1, "{}", plan.to_text());
    assert!(options[0]
        .message
        .starts_with("“Option 1: start clean” and “Option 2: keep the old rows” are options"));
    assert_eq!(
        given_to(&plan, "Step 3: Run the unified schema", Verification),
        [
            "Step 4: Verify tables created",
            "Step 5: Configure RLS policies"
        ]
    );
}

#[test]
fn a_block_that_renames_back_is_the_rollback_of_the_block_it_undoes() {
    let plan = runbook("user-management").plan();
    assert_eq!(
        roles(&plan),
        [
            ("005: Rename iso_agents to users", Migration),
            ("004: Update user roles", Migration),
            ("Emergency procedure", Rollback),
            ("1. Check table existence", Verification),
            ("2. Check role migration", Verification),
            ("Issue: orphaned records found", Illustration),
        ]
    );
    assert_eq!(
        given_to(&plan, "005: Rename iso_agents to users", Rollback),
        ["Emergency procedure"]
    );
}

/// On PostgreSQL: each runbook's plan runs step by step with the author's
/// checks after their steps; then the author's rollbacks, newest step
/// first, bring back the database from before the plan.
#[test]
fn runbooks_run_with_their_own_checks_and_rollbacks() {
    let server = supabase_server();
    for name in [
        "liveeditor-guide",
        "trackpay-plan",
        "schema-audit",
        "roseram-guide",
        "user-management",
    ] {
        let runbook = runbook(name);
        let plan = runbook.plan();
        let baseline = (runbook.baseline.as_ref()).map_or("", |b| b.text.as_str());
        check_runbook_on(&server, name, &plan, baseline);

        let database = format!("{}_authors_rollback", database_name(name));
        supabase_database(&server, &database);
        if !baseline.is_empty() {
            server
                .apply(&database, baseline)
                .expect("the baseline applies");
        }
        let before = normalise_dump(&server.dump_schema(&database).expect("pg_dump"));
        for step in &plan.steps {
            server
                .apply(&database, &step.runnable_sql())
                .unwrap_or_else(|e| panic!("{name}: step {} fails: {e}", step.number));
        }
        let rollbacks: Vec<_> = (plan.steps.iter().rev())
            .flat_map(|step| &step.from_runbook)
            .filter(|block| block.role == Rollback)
            .collect();
        for rollback in &rollbacks {
            server
                .apply(&database, &rollback.sql)
                .unwrap_or_else(|e| panic!("{name}: “{}” fails: {e}", rollback.title));
        }
        if !rollbacks.is_empty() {
            let after = normalise_dump(&server.dump_schema(&database).expect("pg_dump"));
            let diff = schema_diff(&before, &after);
            assert!(diff.is_empty(), "{name}: {}", diff.join("\n"));
        }
    }
}

/// The author's runbook given back: every line of it kept, the blocks in
/// the planned order with their prose, what the author did not write added
/// and marked; planned again, it runs as written.
#[test]
fn the_runbook_comes_back_in_the_planned_order_in_the_authors_words() {
    for name in ["liveeditor-guide", "trackpay-plan"] {
        let runbook = runbook(name);
        let plan = runbook.plan();
        let given_back = plan.with_prose(&runbook.source);
        let mut lines: Vec<&str> = given_back.lines().collect();
        for line in runbook.source.text.lines() {
            let at = (lines.iter().position(|l| *l == line))
                .unwrap_or_else(|| panic!("{name}: the line {line:?} is lost:\n{given_back}"));
            lines.remove(at);
        }
        assert!(
            given_back.contains("**Preflight moved this step**"),
            "{given_back}"
        );

        let again = Runbook {
            source: Source::new(runbook.source.name.clone(), given_back.clone()),
            baseline: runbook.baseline.clone(),
        };
        let replanned = again.plan();
        assert!(
            !(replanned.diagnostics.iter()).any(|d| d.code == codes::MOVED),
            "{name}: given back, it still needs moves:\n{}",
            replanned.to_text()
        );
        assert_eq!(step_titles(&replanned), step_titles(&plan), "{name}");
        // What Preflight added is marked, so it is not planned as a step.
        let added = (replanned.blocks.iter()).filter(|b| b.why.starts_with("marked"));
        let marks = ["```sql verification", "```sql rollback"];
        let marked: usize = marks.iter().map(|m| given_back.matches(m).count()).sum();
        assert_eq!(added.count(), marked, "{name}");
        assert_eq!(replanned.blocks.len(), given_back.matches("```sql").count());
    }
    let guide = runbook("liveeditor-guide");
    let given_back = guide.plan().with_prose(&guide.source);
    let tier = given_back
        .find("### Step 4: Add the tier column")
        .expect("kept");
    let ledger = given_back
        .find("### Step 2: Create the credits ledger")
        .expect("kept");
    let its_check = given_back
        .find("### Step 3: Check the ledger")
        .expect("kept");
    assert!(tier < ledger && ledger < its_check, "{given_back}");
    // The author wrote no check for the optional step: Preflight's follows it.
    let staff = given_back.find("Make yourself staff").expect("kept");
    let rollback_section = given_back.find("## 🔄 Rollback").expect("kept");
    let note = given_back[staff..rollback_section].to_string();
    assert!(note.contains("**Rollback:** cannot be undone"), "{note}");
    // TrackPay's policies have no check of the author's: Preflight's is added.
    let trackpay = runbook("trackpay-plan");
    let trackpay_back = trackpay.plan().with_prose(&trackpay.source);
    let policies = trackpay_back.find("### 3.2 Policies").expect("kept");
    let next = trackpay_back[policies..]
        .find("## Verification")
        .expect("kept")
        + policies;
    assert!(
        trackpay_back[policies..next].contains("```sql verification"),
        "{trackpay_back}"
    );
    // Problems sit next to the block they concern.
    let problem = given_back[..ledger].rfind("constraint-missing-not-valid");
    assert!(problem.is_some_and(|at| at > tier), "{given_back}");
}

/// A runbook whose migrations are files of their own ("# File: ..."): its
/// checks go with the step of the file their section names.
#[test]
fn checks_written_after_a_files_name_go_with_that_files_step() {
    let guide = "# Production plan\n\n## 3.0 Extensions\n\n```bash\n# File: scripts/prod/000_extensions.sql\n```\n\n**Verify:**\n```sql\nSELECT extname FROM pg_extension WHERE extname = 'pg_trgm';\n```\n\n## 3.1 Tables\n\nRun `scripts/prod/010_tables.sql`, then check:\n\n```sql\nSELECT tablename FROM pg_tables WHERE tablename = 'notes';\n```\n";
    let sources = [
        Source::new("scripts/prod/000_extensions.sql", "create extension if not exists pg_trgm;"),
        Source::new("scripts/prod/010_tables.sql", "create table public.notes (id int primary key);\nalter table public.notes enable row level security;"),
        Source::new("docs/plan.md", guide),
    ];
    let plan = plan(&sources, &[]);
    let checks: Vec<(&str, Vec<&str>)> = (plan.steps.iter())
        .map(|step| {
            let titles = step.from_runbook.iter().map(|b| b.title.as_str()).collect();
            (step.title.as_str(), titles)
        })
        .collect();
    assert_eq!(
        checks,
        [
            ("scripts/prod/000_extensions.sql", vec!["3.0 Extensions"]),
            ("scripts/prod/010_tables.sql", vec!["3.1 Tables"]),
        ]
    );
}

/// An ignore comment in one block of a runbook is weighed once, in its
/// document: the other blocks do not call it useless.
#[test]
fn an_ignore_comment_in_one_block_speaks_once_for_its_document() {
    let guide = "# A\n\n```sql\n-- preflight-ignore not-rerunnable\ncreate table public.a (id int primary key);\nalter table public.a enable row level security;\n```\n\n# B\n\n```sql\ncreate index if not exists a_id on public.a (id);\n```\n";
    let plan = plan(&[Source::new("guide.md", guide)], &[]);
    let about_ignores: Vec<String> = (plan.diagnostics.iter())
        .filter(|d| d.code == codes::IGNORE_COMMENT)
        .map(|d| d.to_text())
        .collect();
    assert!(about_ignores.is_empty(), "{about_ignores:#?}");
    assert!(!(plan.diagnostics.iter())
        .any(|d| d.line == 5 && d.rule.as_deref() == Some("not-rerunnable")));
}
