//! Splits a source into statements with the real PostgreSQL parser, keeping
//! each statement's exact text and place.
//!
//! The guarantee (checked by [`check_coverage`]): every byte of the text is
//! in exactly one parsed statement, one reported syntax error, or the
//! whitespace, comments and semicolons between them. A syntax error never
//! hides the statements before it, and hides as little as possible after
//! it: a bad statement ends at its `;`; an unterminated quoted string or
//! identifier (most often a missing quote) ends at the end of its line; an
//! unterminated comment or dollar-quoted body runs to the end of the text,
//! as PostgreSQL reads it.
use std::borrow::Cow;
use std::sync::OnceLock;

use pg_query::protobuf::{RawStmt, ScanToken, Token};
use pg_query::NodeEnum;
use serde::Serialize;

use crate::analysis::compact::{self, Tree};
use crate::analysis::markdown::{Block, Document};
use crate::analysis::parser_error;
use crate::analysis::source::Source;
use crate::analysis::span::{LineIndex, Position};

/// One statement as written: where it is and its syntax tree.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Byte range of the statement in its source, without the trailing `;`
    /// and without the whitespace and comments before it.
    pub start_offset: usize,
    pub end_offset: usize,
    pub start: Position,
    pub end: Position,
    text: String,
    pub node: NodeEnum,
    /// Byte offset in the source that the tree's `location` fields count
    /// from (the source's start, or the statement's when parsed alone).
    pub locations_from: usize,
    /// The tokens of `text`, scanned when first asked: several lint rules
    /// and rollbacks read them, and a statement reused from the last plan
    /// keeps them.
    tokens: OnceLock<Option<Vec<ScanToken>>>,
    /// A CREATE POLICY's USING and WITH CHECK as compact trees, made when
    /// first asked and kept as the tokens are.
    policy_expressions: OnceLock<Vec<Tree>>,
}

impl Statement {
    /// The statement as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Writes the statement differently (its tree is the caller's to keep
    /// in step).
    pub fn set_text(&mut self, text: String) {
        self.text = text;
        self.tokens = OnceLock::new();
        self.policy_expressions = OnceLock::new();
    }

    /// The tokens of its text, with their byte ranges; `None` when the
    /// lexer rejects it.
    pub fn tokens(&self) -> Option<&[ScanToken]> {
        (self.tokens.get_or_init(|| tokens(&self.text))).as_deref()
    }

    /// The USING and WITH CHECK expressions of the policy a CREATE POLICY
    /// makes, with their positions (none for other statements).
    pub fn policy_expressions(&self) -> &[Tree] {
        self.policy_expressions.get_or_init(|| match &self.node {
            NodeEnum::CreatePolicyStmt(s) => (s.qual.as_deref().into_iter())
                .chain(s.with_check.as_deref())
                .map(compact::with_positions)
                .collect(),
            _ => Vec::new(),
        })
    }
}

/// A statement the parser rejected: PostgreSQL's message, the place it
/// points at, and the whole statement as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyntaxError {
    pub message: String,
    /// Byte offset the parser points at, in the source.
    pub offset: usize,
    pub position: Position,
    /// Byte range of the rejected statement (like [`Statement`]'s).
    pub start_offset: usize,
    pub end_offset: usize,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct ParsedSource {
    pub statements: Vec<Statement>,
    pub errors: Vec<SyntaxError>,
}

/// Parses every statement of `source`; a Markdown runbook block by block,
/// so that one block's missing `;` or bad SQL stays in its block.
pub fn parse_source(source: &Source) -> ParsedSource {
    if !source.is_markdown() {
        return parse_text(&source.text);
    }
    let mut parsed = ParsedSource::default();
    for block in Document::read(&source.text).blocks {
        let one = parse_block(&source.text, &block);
        parsed.statements.extend(one.statements);
        parsed.errors.extend(one.errors);
    }
    parsed
}

/// Parses one SQL block of a Markdown runbook, placed in the document: its
/// SQL starts a line, so only offsets and line numbers move.
pub fn parse_block(document: &str, block: &Block) -> ParsedSource {
    let mut parsed = parse_text(&document[block.content.clone()]);
    let (bytes, lines) = (block.content.start, block.content_line - 1);
    for statement in &mut parsed.statements {
        statement.start_offset += bytes;
        statement.end_offset += bytes;
        statement.start.line += lines;
        statement.end.line += lines;
    }
    for error in &mut parsed.errors {
        error.offset += bytes;
        error.start_offset += bytes;
        error.end_offset += bytes;
        error.position.line += lines;
    }
    parsed
}

/// Parses every statement of `text`.
pub fn parse_text(text: &str) -> ParsedSource {
    // The parser reads C strings and would stop at a NUL: a space holds its
    // place, and the statement holding it is reported.
    let has_nul = text.contains('\0');
    let scanned: Cow<str> = match has_nul {
        true => Cow::Owned(text.replace('\0', " ")),
        false => Cow::Borrowed(text),
    };
    let mut reader = Reader {
        text,
        scanned: &scanned,
        lines: LineIndex::new(text),
        parsed: ParsedSource::default(),
    };
    match pg_query::parse(&scanned, 0) {
        Ok(result) if !has_nul => {
            for raw in result.protobuf.stmts {
                reader.push_statement(0, text.len(), raw);
            }
        }
        _ => reader.read(0),
    }
    if has_nul {
        reader.report_stray_nuls();
    }
    reader.parsed
}

struct Reader<'a> {
    text: &'a str,
    /// `text` with NULs as spaces.
    scanned: &'a str,
    lines: LineIndex,
    parsed: ParsedSource,
}

impl Reader<'_> {
    /// Reads the statements from `at` to the end, one by one, so that every
    /// good statement is found and every bad one reported where it is.
    fn read(&mut self, mut at: usize) {
        while at < self.scanned.len() {
            let rest = &self.scanned[at..];
            // Scanned once; only a text the lexer rejects is asked where.
            let rejected = match tokens(rest) {
                Some(tokens) => {
                    for (start, end) in statement_ranges(&tokens, rest.len()) {
                        self.read_statement(at + start, at + end);
                    }
                    return;
                }
                None => parser_error::locate_lexer_error(rest),
            };
            let Some((message, lexer_error)) = rejected else {
                let message = "the lexer rejects this text but does not say where".to_string();
                return self.push_error(at, self.scanned.len(), message, at);
            };
            // The statements before the unterminated token are read; the one
            // it starts in is reported.
            let mut lexer_error = lexer_error.unwrap_or(0);
            // The lexer may stop inside a token that starts earlier (a bad
            // escape in a string): go back to where the text before scans.
            while lexer_error > 0 {
                match parser_error::locate_lexer_error(&rest[..lexer_error]) {
                    None => break,
                    Some((_, Some(earlier))) if earlier < lexer_error => lexer_error = earlier,
                    Some(_) => lexer_error = 0,
                }
            }
            let before = &rest[..lexer_error];
            let tokens = tokens(before).unwrap_or_default();
            let ranges = statement_ranges(&tokens, before.len());
            let bad_start = match ranges.last() {
                // The last range reaches the token only when no `;` ends it.
                Some(&(start, end)) if end == before.len() => start,
                _ => before.len(),
            };
            for &(start, end) in ranges.iter().filter(|(start, _)| *start < bad_start) {
                self.read_statement(at + start, at + end);
            }
            let line_end = rest[lexer_error..]
                .find('\n')
                .map(|line| lexer_error + line);
            let bad_end = match line_end {
                Some(end) if message.contains("unterminated quoted") && end > bad_start => end,
                _ => rest.len(),
            };
            let bad = &rest[bad_start..bad_end];
            let (message, offset) = parser_error::locate_lexer_error(bad)
                .or_else(|| parser_error::locate(bad))
                .unwrap_or((message, None));
            let offset = offset.unwrap_or(lexer_error - bad_start);
            self.push_error(
                at + bad_start,
                at + bad_end,
                message,
                at + bad_start + offset,
            );
            at += bad_end;
        }
    }

    /// A NUL the lexer took for a space between statements (in a comment,
    /// say) is reported on its own.
    fn report_stray_nuls(&mut self) {
        let text = self.text;
        let covered: Vec<(usize, usize)> = (self.parsed.statements.iter())
            .map(|s| (s.start_offset, s.end_offset))
            .chain(
                self.parsed
                    .errors
                    .iter()
                    .map(|e| (e.start_offset, e.end_offset)),
            )
            .collect();
        for (at, _) in text.match_indices('\0') {
            if !covered
                .iter()
                .any(|&(start, end)| (start..end).contains(&at))
            {
                let message = "a NUL character (byte 0) between statements; remove it".to_string();
                self.push_error(at, at + 1, message, at);
            }
        }
        self.parsed.errors.sort_by_key(|error| error.start_offset);
    }

    /// One statement, from the lexer's split.
    fn read_statement(&mut self, start: usize, end: usize) {
        if let Some(nul) = self.text[start..end].find('\0') {
            let message = "the text contains a NUL character (byte 0); remove it".to_string();
            self.push_error(start, end, message, start + nul);
            return;
        }
        let piece = &self.scanned[start..end];
        match pg_query::parse(piece, 0) {
            Ok(result) => {
                for raw in result.protobuf.stmts {
                    self.push_statement(start, piece.len(), raw);
                }
            }
            Err(_) => {
                let (message, offset) = parser_error::locate(piece).unwrap_or_else(|| {
                    // The parser accepted the text alone but not in the whole (or
                    // the syntax tree was too deep to decode): blame the start.
                    (
                        "statement could not be parsed (it may be nested too deeply)".to_string(),
                        None,
                    )
                });
                let offset = offset.unwrap_or_else(|| leading_trivia_len(piece));
                self.push_error(start, end, message, start + offset);
            }
        }
    }

    /// Takes the statement's tree (not a copy: a big file's trees are most
    /// of the memory planning needs).
    fn push_statement(&mut self, base: usize, piece_len: usize, raw: RawStmt) {
        let text = self.text;
        let Some(node) = raw.stmt.and_then(|stmt| stmt.node) else {
            return;
        };
        let raw_start = (base + raw.stmt_location.max(0) as usize).min(text.len());
        // A length of 0 means "to the end of the input".
        let raw_end = match raw.stmt_len {
            0 => base + piece_len,
            len => raw_start + len as usize,
        }
        .min(text.len());
        let (start, end) = trimmed(text, raw_start, raw_end);
        self.parsed.statements.push(Statement {
            start_offset: start,
            end_offset: end,
            start: self.lines.position(text, start),
            end: self.lines.position(text, end.saturating_sub(1).max(start)),
            text: text[start..end].to_string(),
            node,
            locations_from: base,
            tokens: OnceLock::new(),
            policy_expressions: OnceLock::new(),
        });
    }

    fn push_error(&mut self, start: usize, end: usize, message: String, offset: usize) {
        let text = self.text;
        let (start, end) = trimmed(text, start, end);
        self.parsed.errors.push(SyntaxError {
            message,
            offset,
            position: self.lines.position(text, offset),
            start_offset: start,
            end_offset: end,
            text: text[start..end].to_string(),
        });
    }
}

/// The lexer's tokens of `text`, comments included, with their byte
/// ranges; `None` when the lexer rejects it (an unterminated string,
/// comment or body).
pub fn tokens(text: &str) -> Option<Vec<ScanToken>> {
    // With no token at all, `scan_tokens` builds a slice from a null
    // pointer (undefined behaviour): PostgreSQL's whitespace is not scanned.
    if text
        .bytes()
        .all(|byte| matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
    {
        return Some(Vec::new());
    }
    pg_query::scan_tokens(text).ok()
}

/// `start..end` without the whitespace and comments before it and the
/// whitespace after it.
fn trimmed(text: &str, start: usize, end: usize) -> (usize, usize) {
    let start = start + leading_trivia_len(&text[start..end]);
    (start, start + text[start..end].trim_end().len())
}

/// The byte ranges of the statements in `tokens` (of a text `len` long):
/// split at each `;` outside parentheses and outside a `BEGIN ATOMIC ... END`
/// body, as psql splits them. Ranges holding only comments are left out.
fn statement_ranges(tokens: &[ScanToken], len: usize) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let (mut start, mut parens, mut atomic) = (0usize, 0usize, 0usize);
    let mut has_code = false;
    let mut previous = None;
    for token in tokens {
        let kind = Token::try_from(token.token).ok();
        match kind {
            Some(Token::SqlComment | Token::CComment) => continue,
            Some(Token::Ascii40) => parens += 1,
            Some(Token::Ascii41) => parens = parens.saturating_sub(1),
            Some(Token::Atomic) if previous == Some(Token::BeginP) => atomic = 1,
            Some(Token::Case) if atomic > 0 => atomic += 1,
            Some(Token::EndP) if atomic > 0 => atomic -= 1,
            Some(Token::Ascii59) if parens == 0 && atomic == 0 => {
                if has_code {
                    ranges.push((start, token.start as usize));
                }
                start = token.end as usize;
                has_code = false;
                previous = kind;
                continue;
            }
            _ => {}
        }
        has_code = true;
        previous = kind;
    }
    if has_code {
        ranges.push((start, len));
    }
    ranges
}

/// Checks the parse guarantee: every byte of `text` is in exactly one
/// statement or syntax error of `parsed`, or is whitespace, a comment or a
/// `;` between them. Returns where it breaks.
pub fn check_coverage(text: &str, parsed: &ParsedSource) -> Result<(), String> {
    let mut spans: Vec<(usize, usize, &str)> = parsed
        .statements
        .iter()
        .map(|s| (s.start_offset, s.end_offset, "statement"))
        .chain(
            parsed
                .errors
                .iter()
                .map(|e| (e.start_offset, e.end_offset, "syntax error")),
        )
        .collect();
    spans.sort();
    // What is covered becomes spaces; what is left must be trivia (a
    // comment may run around a reported NUL).
    let mut rest = text.as_bytes().to_vec();
    let mut at = 0;
    for (start, end, what) in spans {
        if start < at {
            return Err(format!(
                "a {what} at byte {start} overlaps the one before it (ending at byte {at})"
            ));
        }
        if end > text.len() || start > end {
            return Err(format!(
                "a {what} spans bytes {start}..{end} of a text {} bytes long",
                text.len()
            ));
        }
        rest[start..end].fill(b' ');
        at = end;
    }
    let rest = String::from_utf8(rest).map_err(|_| "a span cuts a character".to_string())?;
    match untrivial(&rest) {
        Some(lost) => Err(format!(
            "bytes from {lost} are in no statement and no error: {:?}",
            &text[lost..]
        )),
        None => Ok(()),
    }
}

/// Where `gap` first holds something other than whitespace, comments and
/// semicolons.
fn untrivial(gap: &str) -> Option<usize> {
    let mut at = 0;
    loop {
        at += leading_trivia_len(&gap[at..]);
        match gap[at..].starts_with(';') {
            true => at += 1,
            false => return (at < gap.len()).then_some(at),
        }
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

    /// Every parse in these tests is checked against the guarantee.
    fn parse(text: &str) -> ParsedSource {
        let parsed = parse_source(&Source::new("test.sql", text));
        if let Err(broken) = check_coverage(text, &parsed) {
            panic!("{broken}\nin {text:?}\n{parsed:#?}");
        }
        parsed
    }

    #[test]
    fn a_statement_written_differently_is_scanned_again() {
        let mut statement = parse("grant select on t to anon").statements.remove(0);
        let words = |statement: &Statement| {
            let tokens = statement.tokens().expect("lexes");
            (tokens.iter())
                .map(|t| statement.text()[t.start as usize..t.end as usize].to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            words(&statement),
            ["grant", "select", "on", "t", "to", "anon"]
        );
        statement.set_text("revoke select on t from anon".into());
        assert_eq!(
            words(&statement),
            ["revoke", "select", "on", "t", "from", "anon"]
        );
    }

    #[test]
    fn a_policy_written_differently_has_its_expressions_made_again() {
        let policy = |sql: &str| parse(sql).statements.remove(0);
        let columns = |statement: &Statement| {
            (statement.policy_expressions().iter())
                .map(|tree| {
                    tree.at("/node/ColumnRef/fields/0/node/String/sval")
                        .cloned()
                })
                .collect::<Vec<_>>()
        };
        let mut statement = policy("create policy p on t using (a) with check (b)");
        assert_eq!(columns(&statement), [Some("a".into()), Some("b".into())]);
        // A rewrite changes the tree and writes the text.
        let other = policy("create policy p on t using (c)");
        statement.node = other.node.clone();
        statement.set_text(other.text().to_string());
        assert_eq!(columns(&statement), [Some("c".into())]);
        assert!(policy("select 1").policy_expressions().is_empty());
    }

    fn texts(parsed: &ParsedSource) -> (Vec<&str>, Vec<&str>) {
        (
            parsed.statements.iter().map(|s| s.text.as_str()).collect(),
            parsed.errors.iter().map(|e| e.text.as_str()).collect(),
        )
    }

    #[test]
    fn a_misspelt_keyword_is_an_error_alone_or_between_good_statements() {
        assert_eq!(texts(&parse("SELEC 1;")), (vec![], vec!["SELEC 1"]));
        let parsed = parse("create table a (id int);\nSELEC 1;\ncreate table b (id int);\n");
        assert_eq!(
            texts(&parsed),
            (
                vec!["create table a (id int)", "create table b (id int)"],
                vec!["SELEC 1"]
            )
        );
        assert_eq!(parsed.errors[0].position, Position { line: 2, column: 1 });
        assert_eq!(
            parsed.errors[0].message,
            "syntax error at or near \"SELEC\""
        );
    }

    #[test]
    fn an_unclosed_parenthesis_is_an_error() {
        let parsed = parse("create table x (id int;\n");
        assert_eq!(texts(&parsed), (vec![], vec!["create table x (id int;"]));
    }

    #[test]
    fn an_unterminated_string_hides_only_the_rest_of_its_line() {
        let parsed = parse("create table c (id int);\nselect 'oops;\ncreate table d (id int);\n");
        assert_eq!(
            texts(&parsed),
            (
                vec!["create table c (id int)", "create table d (id int)"],
                vec!["select 'oops;"]
            )
        );
        assert!(parsed.errors[0]
            .message
            .starts_with("unterminated quoted string"));
        assert_eq!(parsed.errors[0].position, Position { line: 2, column: 8 });
        // A missing quote of an identifier, after a grammar error.
        let parsed = parse("SELEC 1;\nselect \"oops from t;\nselect 2;");
        assert_eq!(
            texts(&parsed),
            (vec!["select 2"], vec!["SELEC 1", "select \"oops from t;"])
        );
    }

    #[test]
    fn an_unclosed_comment_runs_to_the_end_as_postgres_reads_it() {
        let parsed = parse("select 1;\n/* note\nselect 2;\n");
        assert_eq!(
            texts(&parsed),
            (vec!["select 1"], vec!["/* note\nselect 2;"])
        );
        assert!(parsed.errors[0].message.contains("unterminated /* comment"));
        let parsed = parse("select 1;\ncreate function f() returns int as $$ select 1;\nselect 2;");
        assert_eq!(parsed.statements.len(), 1);
        assert!(parsed.errors[0].message.contains("dollar-quoted"));
    }

    #[test]
    fn a_bad_escape_inside_a_string_is_blamed_from_the_string_on() {
        let parsed = parse("select 1;\nselect E'\\' begin; select 2; \\UJ;\r\n");
        assert_eq!(parsed.statements.len(), 1);
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].message, "invalid Unicode escape");
        assert!(parsed.errors[0].text.starts_with("select E'"));
    }

    #[test]
    fn semicolons_inside_bodies_and_rules_do_not_split_when_reading_piece_by_piece() {
        let text = "SELEC 1;\n\
            create function f() returns int language sql begin atomic select 1; select case when true then 2 end; end;\n\
            create function g() returns int language plpgsql as $$ begin return 1; end $$;\n\
            create rule r as on insert to t do instead (insert into u values (1); insert into u values (2));\n\
            select 3;";
        let parsed = parse(text);
        assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
        assert_eq!(parsed.statements.len(), 4);
        assert!(parsed.statements[0].text.ends_with("end; end"));
    }

    #[test]
    fn line_endings_tabs_and_other_scripts_are_counted_the_same_everywhere() {
        // CRLF and a lone CR both end a line; a tab is one column, like
        // any character.
        let parsed = parse("select 1;\r\nselect 2;\rselect\t\t1 2;");
        assert_eq!(parsed.statements[1].start, Position { line: 2, column: 1 });
        assert_eq!(
            parsed.errors[0].position,
            Position {
                line: 3,
                column: 11
            }
        );
        let parsed = parse("-- état des lieux: 日本語\ncreate table é (id int);");
        assert_eq!(parsed.statements[0].start, Position { line: 2, column: 1 });
        assert_eq!(parsed.statements[0].text, "create table é (id int)");
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
        assert_eq!(parsed.statements.len(), 1);
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
        let parsed = parse("SELECT 1;\nSELECT \0;\nSELECT 2");
        assert_eq!(parsed.errors[0].position, Position { line: 2, column: 8 });
        assert_eq!(
            texts(&parsed),
            (vec!["SELECT 1", "SELECT 2"], vec!["SELECT \0"])
        );
    }

    #[test]
    fn the_guarantee_check_finds_a_lost_statement() {
        let text = "select 1; select 2;";
        let mut parsed = parse(text);
        parsed.statements.pop();
        assert!(check_coverage(text, &parsed)
            .unwrap_err()
            .contains("select 2"));
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
