//! TRUNCATE ... CASCADE: empties every table that references this one.
use pg_query::protobuf::DropBehavior;
use pg_query::NodeEnum;

use crate::diagnostics::Severity;
use crate::lint::{Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF454",
    name: "truncate-cascade",
    group: Group::Destructive,
    severity: Severity::Warning,
    flags: "TRUNCATE ... CASCADE",
    why: "CASCADE also empties every table with a foreign key to the truncated ones, and the tables referencing those, without naming them: a seed-data reset can wipe user data.",
    also_in: "Atlas DS101",
    fails: "truncate table auth.users cascade;",
    passes: "create table scratch (id int primary key);
truncate table scratch;",
    supabase_only: false,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    if let NodeEnum::TruncateStmt(s) = statement.node() {
        if s.behavior == DropBehavior::DropCascade as i32 {
            out.push(statement.finding(
                "TRUNCATE ... CASCADE also empties every table that references these, without naming them".into(),
                "truncate the referencing tables by name, so the statement says everything it empties",
            ));
        }
    }
}
