//! Splits a source into statements with the real PostgreSQL parser, keeping
//! each statement's exact text and place. A syntax error in one statement
//! does not hide the others.
use pg_query::protobuf::RawStmt;
use pg_query::NodeEnum;
use serde::Serialize;

use crate::parser_error;
use crate::source::Source;
use crate::span::{LineIndex, Position};

/// One statement as written: where it is and its syntax tree.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Byte range of the statement in its source, without the trailing `;`
    /// and without the whitespace and comments before it.
    pub start_offset: usize,
    pub end_offset: usize,
    pub start: Position,
    pub end: Position,
    pub text: String,
    pub node: NodeEnum,
}

/// A statement the parser rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyntaxError {
    pub message: String,
    /// Byte offset the parser points at, in the source.
    pub offset: usize,
    pub position: Position,
}

#[derive(Debug, Clone, Default)]
pub struct ParsedSource {
    pub statements: Vec<Statement>,
    pub errors: Vec<SyntaxError>,
}

/// Parses every statement of `source`.
pub fn parse_source(source: &Source) -> ParsedSource {
    let sql = source.sql();
    let text = sql.as_ref();
    let lines = LineIndex::new(text);
    let mut parsed = ParsedSource::default();
    if let Some(offset) = text.find('\0') {
        // The parser reads C strings; it would see only the text before it.
        parsed.errors.push(SyntaxError {
            message: "the text contains a NUL character (byte 0); remove it".into(),
            offset,
            position: lines.position(text, offset),
        });
        return parsed;
    }
    match pg_query::parse(text, 0) {
        Ok(result) => {
            for raw in &result.protobuf.stmts {
                parsed.push_statement(text, &lines, 0, text.len(), raw);
            }
        }
        Err(_) => parse_piece_by_piece(text, &lines, &mut parsed),
    }
    parsed
}

/// The whole text does not parse: parse statement by statement (split by the
/// lexer) so that every good statement is still found and every bad one is
/// reported where it is.
fn parse_piece_by_piece(text: &str, lines: &LineIndex, parsed: &mut ParsedSource) {
    let pieces = match pg_query::split_with_scanner(text) {
        Ok(pieces) => pieces,
        // The lexer itself failed (an unterminated string or comment).
        Err(_) => {
            parsed.push_error(text, lines, 0, text);
            return;
        }
    };
    for piece in pieces {
        let base = piece.as_ptr() as usize - text.as_ptr() as usize;
        match pg_query::parse(piece, 0) {
            Ok(result) => {
                for raw in &result.protobuf.stmts {
                    parsed.push_statement(text, lines, base, piece.len(), raw);
                }
            }
            Err(_) => parsed.push_error(text, lines, base, piece),
        }
    }
}

impl ParsedSource {
    fn push_statement(
        &mut self,
        text: &str,
        lines: &LineIndex,
        base: usize,
        piece_len: usize,
        raw: &RawStmt,
    ) {
        let Some(node) = raw.stmt.as_ref().and_then(|stmt| stmt.node.clone()) else {
            return;
        };
        let raw_start = (base + raw.stmt_location.max(0) as usize).min(text.len());
        // A length of 0 means "to the end of the input".
        let raw_end = match raw.stmt_len {
            0 => base + piece_len,
            len => raw_start + len as usize,
        }
        .min(text.len());
        let start = raw_start + leading_trivia_len(&text[raw_start..raw_end]);
        let end = start + text[start..raw_end].trim_end().len();
        self.statements.push(Statement {
            start_offset: start,
            end_offset: end,
            start: lines.position(text, start),
            end: lines.position(text, end.saturating_sub(1).max(start)),
            text: text[start..end].to_string(),
            node,
        });
    }

    fn push_error(&mut self, text: &str, lines: &LineIndex, base: usize, piece: &str) {
        let (message, offset) = parser_error::locate(piece).unwrap_or_else(|| {
            // The parser accepted the text alone but not in the whole (or the
            // syntax tree was too deep to decode): blame the statement's start.
            (
                "statement could not be parsed (it may be nested too deeply)".to_string(),
                None,
            )
        });
        let offset = base + offset.unwrap_or_else(|| leading_trivia_len(piece));
        self.errors.push(SyntaxError {
            message,
            offset,
            position: lines.position(text, offset),
        });
    }
}

/// Length of the whitespace and SQL comments that precede a statement.
fn leading_trivia_len(text: &str) -> usize {
    let mut rest = text;
    loop {
        let trimmed = rest.trim_start();
        if let Some(comment) = trimmed.strip_prefix("--") {
            rest = comment.find('\n').map_or("", |at| &comment[at..]);
        } else if trimmed.starts_with("/*") {
            match block_comment_len(trimmed) {
                Some(len) => rest = &trimmed[len..],
                None => return text.len() - trimmed.len(),
            }
        } else {
            return text.len() - trimmed.len();
        }
    }
}

/// Length of the (possibly nested) block comment `text` starts with.
fn block_comment_len(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let bytes = text.as_bytes();
    let mut at = 0;
    while at + 1 < bytes.len() {
        match &bytes[at..at + 2] {
            b"/*" => {
                depth += 1;
                at += 2;
            }
            b"*/" => {
                depth -= 1;
                at += 2;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => at += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ParsedSource {
        parse_source(&Source::new("test.sql", text))
    }

    #[test]
    fn statements_keep_their_exact_text_and_place() {
        let text = "-- header\nCREATE TABLE a (id int);\n\n  /* note */ SELECT\n  1 ;";
        let parsed = parse(text);
        assert!(parsed.errors.is_empty());
        let found: Vec<_> = parsed
            .statements
            .iter()
            .map(|s| (s.text.as_str(), s.start, s.end.line))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "CREATE TABLE a (id int)",
                    Position { line: 2, column: 1 },
                    2
                ),
                (
                    "SELECT\n  1",
                    Position {
                        line: 4,
                        column: 14
                    },
                    5
                ),
            ]
        );
    }

    #[test]
    fn a_syntax_error_does_not_hide_the_other_statements() {
        let parsed = parse("SELECT 1;\nCREATE TABLE t (a int,, b int);\nSELECT 2;");
        assert_eq!(parsed.statements.len(), 2);
        assert_eq!(parsed.statements[1].text, "SELECT 2");
        assert_eq!(parsed.errors.len(), 1);
        let error = &parsed.errors[0];
        assert_eq!(error.message, "syntax error at or near \",\"");
        assert_eq!(
            error.position,
            Position {
                line: 2,
                column: 23
            }
        );
    }

    #[test]
    fn an_unterminated_string_is_reported_not_fatal() {
        let parsed = parse("SELECT 1;\nSELECT 'oops;");
        assert_eq!(parsed.errors.len(), 1);
        assert!(
            parsed.errors[0].message.contains("unterminated"),
            "{:?}",
            parsed.errors
        );
        assert_eq!(parsed.errors[0].position.line, 2);
    }

    #[test]
    fn empty_and_comment_only_input_has_no_statements() {
        for text in ["", "  \n", "-- nothing here\n/* still nothing */"] {
            let parsed = parse(text);
            assert!(
                parsed.statements.is_empty() && parsed.errors.is_empty(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_nul_character_is_reported_where_it_is() {
        let parsed = parse("SELECT 1;\nSELECT \0;");
        assert_eq!(parsed.errors[0].position, Position { line: 2, column: 8 });
    }

    #[test]
    fn pathological_nesting_is_an_error_not_a_crash() {
        let deep_parens = format!("SELECT {}1{};", "(".repeat(20_000), ")".repeat(20_000));
        let long_chain = format!("SELECT 1{};", " + 1".repeat(5_000));
        for text in [deep_parens, long_chain] {
            let parsed = parse(&text);
            assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
            assert!(parsed.statements.is_empty());
        }
    }
}
