//! A name longer than PostgreSQL keeps.
use pg_query::protobuf::Token;

use crate::diagnostics::Severity;
use crate::lint::{Check, Finding, Group, Rule, Statement};

/// PostgreSQL keeps the first 63 bytes of a name (NAMEDATALEN - 1).
const LONGEST: usize = 63;

pub const RULE: Rule = Rule {
    code: "PF462",
    name: "identifier-too-long",
    group: Group::Hygiene,
    severity: Severity::Warning,
    flags: "a name longer than 63 bytes",
    why: "PostgreSQL silently cuts names to 63 bytes: the object exists under a shorter name than the one written, so later statements and code that use the full name do not find it, and two long names can end up the same.",
    also_in: "",
    fails: "create table customer_subscription_billing_history_with_invoice_line_items_archive (id int primary key);",
    passes: "create table subscription_invoice_lines_archive (id int primary key);",
    supabase_only: false,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    // The parser has cut the names already: the words still have them whole.
    let text = statement.text();
    if !may_hold_a_long_name(text) {
        return;
    }
    for token in statement.tokens() {
        if token.token != Token::Ident as i32 {
            continue;
        }
        let written = &text[token.start as usize..token.end as usize];
        let name = written.trim_matches('"');
        if name.len() <= LONGEST {
            continue;
        }
        let mut kept = LONGEST;
        while !name.is_char_boundary(kept) {
            kept -= 1;
        }
        out.push(statement.finding(
            format!(
                "{name} is {} bytes long: PostgreSQL keeps only {}",
                name.len(),
                &name[..kept]
            ),
            "choose a name of at most 63 bytes",
        ));
    }
}

/// Whether `text` has a run of more than 63 name bytes, or quotes spanning
/// more than 63 bytes (a doubled quote inside counts as text): what a long
/// name needs. Lexing every statement costs more than this look.
fn may_hold_a_long_name(text: &str) -> bool {
    let name_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
    let bytes = text.as_bytes();
    let (mut run, mut at) = (0, 0);
    let mut quote: Option<usize> = None;
    while at < bytes.len() {
        let b = bytes[at];
        run = if name_byte(b) { run + 1 } else { 0 };
        match (b, quote) {
            (b'"', Some(_)) if bytes.get(at + 1) == Some(&b'"') => at += 1,
            (b'"', Some(start)) => {
                if at - start > LONGEST + 1 {
                    return true;
                }
                quote = None;
            }
            (b'"', None) => quote = Some(at),
            _ => {}
        }
        if run > LONGEST {
            return true;
        }
        at += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_text_with_room_for_a_long_name_is_lexed() {
        let long = "x".repeat(64);
        assert!(may_hold_a_long_name(&format!("create table {long} ();")));
        assert!(may_hold_a_long_name(&format!(
            "create table \"{} {}\" ();",
            &long[..40],
            &long[..30]
        )));
        assert!(may_hold_a_long_name(&format!(
            "create table \"{}\"\"{}\" ();",
            &long[..40],
            &long[..30]
        )));
        assert!(!may_hold_a_long_name(&format!(
            "create table \"{}\" ();",
            &long[..63]
        )));
        assert!(!may_hold_a_long_name(&format!(
            "create table {} ();",
            &long[..63]
        )));
    }
}
