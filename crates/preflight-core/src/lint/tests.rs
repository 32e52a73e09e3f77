//! Every rule's examples are its tests: the failing one makes it speak,
//! the passing one keeps it quiet.
use super::RULES;
use crate::analysis::source::Source;
use crate::plan::plan;

fn findings(rule: &str, sql: &str) -> Vec<String> {
    let plan = plan(&[Source::new("example.sql", sql)], &[]);
    (plan.diagnostics.iter())
        .filter(|d| d.rule.as_deref() == Some(rule))
        .map(|d| d.to_text())
        .collect()
}

#[test]
fn every_rule_flags_its_failing_example_and_not_its_passing_one() {
    for rule in RULES {
        let failing = findings(rule.name, rule.fails);
        assert!(
            !failing.is_empty(),
            "{}: nothing found in\n{}",
            rule.name,
            rule.fails
        );
        let passing = findings(rule.name, rule.passes);
        assert!(passing.is_empty(), "{}: {passing:#?}", rule.name);
    }
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    for (at, rule) in RULES.iter().enumerate() {
        assert!(
            rule.code.starts_with("PF4") && rule.code.len() == 5,
            "{}",
            rule.code
        );
        assert!(
            rule.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}",
            rule.name
        );
        for other in &RULES[at + 1..] {
            assert_ne!(rule.code, other.code);
            assert_ne!(rule.name, other.name);
        }
    }
}
