//! A statement that fails (or duplicates) when its script runs again.
use pg_query::protobuf::{AlterTableType, ConstrType, Token};
use pg_query::NodeEnum;

use crate::analysis::facts::{Action, ObjectKind, ObjectRef};
use crate::diagnostics::{Applicability, Severity};
use crate::lint::{fix, Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF440",
    name: "not-rerunnable",
    group: Group::Idempotency,
    severity: Severity::Info,
    flags: "a statement that fails when its script runs a second time: a CREATE without IF NOT EXISTS or OR REPLACE, an ADD COLUMN or ADD CONSTRAINT without a guard, a DROP without IF EXISTS",
    why: "Scripts pasted into the SQL editor get run again: after a partial failure, on a second project, by a teammate. A statement that fails on the second run stops the rest of the script there. The Supabase CLI runs each migration once, so there it matters less.",
    also_in: "squawk prefer-robust-stmts",
    fails: "create table notes (id bigint primary key);
alter table notes add constraint notes_id_positive check (id > 0);",
    passes: "create table if not exists notes (id bigint primary key);
alter table notes drop constraint if exists notes_id_positive;
alter table notes add constraint notes_id_positive check (id > 0);
drop policy if exists \"anyone reads\" on notes;
create policy \"anyone reads\" on notes for select to anon using (true);",
    supabase_only: false,
    fix: Some(Applicability::Safe),
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    let facts = &statement.unit.facts;
    let tolerance = facts.tolerance;
    let node = statement.node();
    let (what, fix) = match node {
        NodeEnum::DropStmt(_) | NodeEnum::RenameStmt(_) if tolerance.if_exists => return,
        NodeEnum::DropStmt(_) => (
            format!(
                "the second run finds no {} to drop",
                written(statement, Action::Drops)
            ),
            after(
                statement,
                &drop_keywords(),
                " IF EXISTS",
                Applicability::Safe,
            ),
        ),
        NodeEnum::RenameStmt(_) => (
            format!(
                "the second run finds no {} to rename",
                written(statement, Action::Renames)
            ),
            None,
        ),
        NodeEnum::DoStmt(_) => return,
        _ if tolerance.if_not_exists || tolerance.or_replace => return,
        _ => {
            let Some(created) = first_created(statement) else {
                return;
            };
            if dropped_before(statement, created) {
                return;
            }
            (
                format!("the second run finds {created} already there"),
                guard(statement, created),
            )
        }
    };
    out.push(
        statement
            .finding(format!("not re-runnable: {what}"), help(node))
            .with_fix(fix),
    );
}

/// The object the statement drops or renames, in words.
fn written(statement: &Statement, action: Action) -> String {
    (statement.unit.facts.facts.iter())
        .find(|fact| fact.action == action)
        .map_or_else(|| "object".into(), |fact| fact.object.to_string())
}

/// What the statement creates that a second run trips over.
fn first_created<'a>(statement: &'a Statement) -> Option<&'a ObjectRef> {
    (statement.unit.facts.facts.iter())
        .find(|f| {
            f.action == Action::Creates
                && !matches!(
                    f.object.kind,
                    ObjectKind::Rows | ObjectKind::Key | ObjectKind::Bucket
                )
        })
        .map(|f| &f.object)
}

/// Whether an earlier statement of the same file drops the object (or its
/// table) first, so a second run re-creates it.
fn dropped_before(statement: &Statement, object: &ObjectRef) -> bool {
    let table = (object.on.clone()).map(|table| ObjectRef::new(ObjectKind::Relation, table));
    statement.dropped_earlier_in_file(object)
        || table.is_some_and(|table| statement.dropped_earlier_in_file(&table))
}

/// A guard for a creation: IF NOT EXISTS, OR REPLACE, a DROP ... IF EXISTS
/// before it, or a DO block that lets a duplicate pass.
fn guard(statement: &Statement, created: &ObjectRef) -> Option<crate::diagnostics::Fix> {
    let text = statement.text();
    match statement.node() {
        NodeEnum::CreateStmt(_) => after(statement, &[Token::Table], " IF NOT EXISTS", Applicability::Safe),
        NodeEnum::IndexStmt(s) if !s.idxname.is_empty() => {
            after(statement, &[Token::Index, Token::Concurrently], " IF NOT EXISTS", Applicability::Safe)
        }
        NodeEnum::CreateSchemaStmt(_) => after(statement, &[Token::Schema], " IF NOT EXISTS", Applicability::Safe),
        NodeEnum::CreateSeqStmt(_) => after(statement, &[Token::Sequence], " IF NOT EXISTS", Applicability::Safe),
        NodeEnum::CreateExtensionStmt(_) => after(statement, &[Token::Extension], " IF NOT EXISTS", Applicability::Safe),
        // CREATE OR REPLACE TRIGGER came with PostgreSQL 14.
        NodeEnum::CreateTrigStmt(_) if statement.settings.postgres < 14 => None,
        NodeEnum::ViewStmt(_) | NodeEnum::CreateFunctionStmt(_) | NodeEnum::CreateTrigStmt(_) => {
            after(statement, &[Token::Create], " OR REPLACE", Applicability::Safe)
        }
        NodeEnum::AlterEnumStmt(_) => after(statement, &[Token::ValueP], " IF NOT EXISTS", Applicability::Safe),
        NodeEnum::CreatePolicyStmt(_) => {
            let table = created.on.as_ref()?;
            let drop = format!("DROP POLICY IF EXISTS {} ON {table};\n", quote(&created.name.name));
            Some(fix("drop the policy first if it exists", Applicability::Safe, statement.edit(0, 0, drop)))
        }
        NodeEnum::CreateEnumStmt(_)
        | NodeEnum::CompositeTypeStmt(_)
        | NodeEnum::CreateDomainStmt(_)
        | NodeEnum::CreateRoleStmt(_) => Some(fix(
            "let a second run pass the duplicate in a DO block",
            Applicability::Safe,
            statement.edit(
                0,
                text.len(),
                format!("DO $preflight$ BEGIN\n  {text};\nEXCEPTION WHEN duplicate_object THEN NULL;\nEND $preflight$"),
            ),
        )),
        NodeEnum::AlterTableStmt(s) if s.cmds.len() == 1 => {
            let Some(NodeEnum::AlterTableCmd(cmd)) = &s.cmds[0].node else {
                return None;
            };
            match AlterTableType::try_from(cmd.subtype) {
                Ok(AlterTableType::AtAddColumn) => {
                    after(statement, &[Token::AddP, Token::Column], " IF NOT EXISTS", Applicability::Safe)
                }
                Ok(AlterTableType::AtAddConstraint) => {
                    let Some(NodeEnum::Constraint(c)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else {
                        return None;
                    };
                    let table = created.on.as_ref()?;
                    // Dropping a key other tables' foreign keys use fails.
                    let applicability = match ConstrType::try_from(c.contype) {
                        Ok(ConstrType::ConstrPrimary | ConstrType::ConstrUnique) => Applicability::Unsafe,
                        _ => Applicability::Safe,
                    };
                    let drop = format!(
                        "ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {};\n",
                        quote(&created.name.name)
                    );
                    (!c.conname.is_empty()).then(|| {
                        fix("drop the constraint first if it exists", applicability, statement.edit(0, 0, drop))
                    })
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Inserts `words` after the first run of `keywords` in the statement
/// (e.g. after `INDEX CONCURRENTLY`, `ADD COLUMN`).
fn after(
    statement: &Statement,
    keywords: &[Token],
    words: &str,
    applicability: Applicability,
) -> Option<crate::diagnostics::Fix> {
    let tokens = statement.tokens();
    let listed = |at: &usize| keywords.iter().any(|k| *k as i32 == tokens[*at].token);
    let first = (0..tokens.len()).find(listed)?;
    let last = (first..tokens.len()).take_while(listed).last()?;
    let end = tokens[last].end as usize;
    Some(fix(
        format!("add{words}"),
        applicability,
        statement.edit(end, end, words),
    ))
}

/// The keywords that may come before a dropped object's name.
fn drop_keywords() -> Vec<Token> {
    vec![
        Token::Table,
        Token::View,
        Token::Index,
        Token::Concurrently,
        Token::Sequence,
        Token::Schema,
        Token::TypeP,
        Token::DomainP,
        Token::Function,
        Token::Policy,
        Token::Trigger,
        Token::Extension,
    ]
}

fn quote(name: &str) -> std::borrow::Cow<'_, str> {
    crate::analysis::names::quote_ident(name)
}

fn help(node: &NodeEnum) -> &'static str {
    match node {
        NodeEnum::DropStmt(_) => "add IF EXISTS",
        NodeEnum::RenameStmt(_) => "guard it in a DO block that checks the old name exists, or keep the script for one run only",
        NodeEnum::CreatePolicyStmt(_) => "CREATE POLICY has no IF NOT EXISTS: drop the policy if it exists first",
        NodeEnum::AlterTableStmt(_) => "use ADD COLUMN IF NOT EXISTS; for a constraint, DROP CONSTRAINT IF EXISTS first",
        NodeEnum::CreateEnumStmt(_) | NodeEnum::CompositeTypeStmt(_) | NodeEnum::CreateDomainStmt(_) => {
            "CREATE TYPE has no IF NOT EXISTS: wrap it in a DO block that ignores duplicate_object"
        }
        _ => "use IF NOT EXISTS or OR REPLACE",
    }
}
