//! Turning `pg_dump --schema-only` output into something two databases can be
//! compared by.

use std::collections::BTreeMap;

/// Makes two schema dumps comparable as text.
///
/// Two databases that hold the same schema but were built in a different
/// order should compare equal, so this drops everything that is not schema
/// (comments, blank lines between statements, session `SET` and
/// `SELECT pg_catalog.set_config(...)` lines, and the `\restrict` /
/// `\unrestrict` lines whose key is random on every run) and sorts the
/// remaining top-level statements. Each statement keeps its own text, so a
/// different column order inside a `CREATE TABLE` is still a difference: it
/// is one. The result is one statement after another, each ending in `;`,
/// and normalising it again changes nothing.
pub fn normalise_dump(dump: &str) -> String {
    let statements = schema_statements(dump);
    let mut out = statements.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Says what differs between two schemas, for an assertion message a person
/// can act on rather than two whole dumps.
///
/// Takes two dumps (raw or already normalised) and returns the normalised
/// statements found on one side only: `"- "` for those only in `a`, `"+ "`
/// for those only in `b`, in statement order so that the old and new form of
/// the same object usually sit next to each other. Empty when the schemas
/// are equal.
pub fn schema_diff(a: &str, b: &str) -> Vec<String> {
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for statement in schema_statements(a) {
        counts.entry(statement).or_default().0 += 1;
    }
    for statement in schema_statements(b) {
        counts.entry(statement).or_default().1 += 1;
    }
    let mut diff = Vec::new();
    for (statement, (in_a, in_b)) in counts {
        for _ in in_b..in_a {
            diff.push(format!("- {statement}"));
        }
        for _ in in_a..in_b {
            diff.push(format!("+ {statement}"));
        }
    }
    diff
}

/// The dump's schema statements, sorted; session settings left out.
fn schema_statements(dump: &str) -> Vec<String> {
    let mut statements: Vec<String> = split_statements(dump)
        .into_iter()
        .filter(|s| !is_session_setting(s))
        .map(str::to_owned)
        .collect();
    statements.sort();
    statements
}

fn is_session_setting(statement: &str) -> bool {
    let starts_with = |prefix: &str| {
        statement.len() >= prefix.len()
            && statement.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    };
    starts_with("SET ") || starts_with("SELECT pg_catalog.set_config(")
}

/// Where the lexer is, so that a `;` inside a string, a quoted identifier, a
/// dollar-quoted function body or a comment does not end a statement.
enum Lex<'a> {
    Code,
    /// `'...'`; `true` for an `E'...'` string, where backslash escapes.
    Single(bool),
    Double,
    /// `$tag$...$tag$`; holds the whole closing delimiter.
    Dollar(&'a str),
    LineComment,
    BlockComment(u32),
}

/// Splits a dump into top-level statements, each trimmed and ending in `;`.
///
/// Between statements it skips blank lines, `--` comment lines and psql
/// meta-command lines (`\restrict KEY`), which pg_dump only ever writes on a
/// line of their own.
fn split_statements(dump: &str) -> Vec<&str> {
    let bytes = dump.as_bytes();
    let mut statements = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // Between statements.
        match bytes[i] {
            b if b.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = end_of_line(bytes, i);
                continue;
            }
            b'\\' => {
                i = end_of_line(bytes, i);
                continue;
            }
            _ => {}
        }
        // Inside a statement: find the `;` that ends it.
        let start = i;
        let mut state = Lex::Code;
        let mut end = bytes.len();
        while i < bytes.len() {
            let b = bytes[i];
            match state {
                Lex::Code => match b {
                    b';' => {
                        end = i + 1;
                        i += 1;
                        break;
                    }
                    b'\'' => {
                        let escapes = i > start
                            && matches!(bytes[i - 1], b'E' | b'e')
                            && (i - 1 == start || !is_ident_byte(bytes[i - 2]));
                        state = Lex::Single(escapes);
                    }
                    b'"' => state = Lex::Double,
                    b'-' if bytes.get(i + 1) == Some(&b'-') => state = Lex::LineComment,
                    b'/' if bytes.get(i + 1) == Some(&b'*') => {
                        state = Lex::BlockComment(1);
                        i += 1;
                    }
                    b'$' if i == start || !is_ident_byte(bytes[i - 1]) => {
                        if let Some(len) = dollar_delimiter_len(&bytes[i..]) {
                            state = Lex::Dollar(&dump[i..i + len]);
                            i += len - 1;
                        }
                    }
                    _ => {}
                },
                Lex::Single(escapes) => match b {
                    b'\\' if escapes => i += 1,
                    b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 1,
                    b'\'' => state = Lex::Code,
                    _ => {}
                },
                Lex::Double => match b {
                    b'"' if bytes.get(i + 1) == Some(&b'"') => i += 1,
                    b'"' => state = Lex::Code,
                    _ => {}
                },
                Lex::Dollar(delimiter) => {
                    if bytes[i..].starts_with(delimiter.as_bytes()) {
                        i += delimiter.len() - 1;
                        state = Lex::Code;
                    }
                }
                Lex::LineComment => {
                    if b == b'\n' {
                        state = Lex::Code;
                    }
                }
                Lex::BlockComment(depth) => {
                    if b == b'/' && bytes.get(i + 1) == Some(&b'*') {
                        state = Lex::BlockComment(depth + 1);
                        i += 1;
                    } else if b == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        state = if depth == 1 {
                            Lex::Code
                        } else {
                            Lex::BlockComment(depth - 1)
                        };
                        i += 1;
                    }
                }
            }
            i += 1;
        }
        let statement = dump[start..end.min(bytes.len())].trim_end();
        if !statement.is_empty() {
            statements.push(statement);
        }
    }
    statements
}

fn end_of_line(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| from + n + 1)
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Length of a `$tag$` opening at the start of `bytes`, if it is one (`$1`
/// is a parameter, not a quote).
fn dollar_delimiter_len(bytes: &[u8]) -> Option<usize> {
    let mut n = 1;
    while n < bytes.len() {
        match bytes[n] {
            b'$' => return Some(n + 1),
            b'0'..=b'9' if n == 1 => return None,
            b if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 => n += 1,
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real pg_dump 15.18 output, trimmed.
    const DUMP: &str = r#"--
-- PostgreSQL database dump
--

\restrict Y3RBjmev2POz7GG3uO61TthcDZt1NMLzYStFPz0RNuEgu8TXJuSuHctIAL3sdLl

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;

--
-- Name: f(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.f() RETURNS integer
    LANGUAGE plpgsql
    AS $$ begin -- hi;
 return 1; end $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: t; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.t (
    id integer NOT NULL,
    name text DEFAULT 'a;b'::text,
    note text
);


--
-- Name: TABLE t; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.t IS 'x\y;';


--
-- Name: t_name_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX t_name_idx ON public.t USING btree (name);


--
-- Name: TABLE t; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.t TO PUBLIC;


--
-- PostgreSQL database dump complete
--

\unrestrict Y3RBjmev2POz7GG3uO61TthcDZt1NMLzYStFPz0RNuEgu8TXJuSuHctIAL3sdLl
"#;

    const NORMALISED: &str = r#"COMMENT ON TABLE public.t IS 'x\y;';
CREATE FUNCTION public.f() RETURNS integer
    LANGUAGE plpgsql
    AS $$ begin -- hi;
 return 1; end $$;
CREATE INDEX t_name_idx ON public.t USING btree (name);
CREATE TABLE public.t (
    id integer NOT NULL,
    name text DEFAULT 'a;b'::text,
    note text
);
GRANT SELECT ON TABLE public.t TO PUBLIC;
"#;

    #[test]
    fn drops_everything_but_schema_and_sorts() {
        assert_eq!(normalise_dump(DUMP), NORMALISED);
    }

    #[test]
    fn normalising_twice_changes_nothing() {
        assert_eq!(normalise_dump(NORMALISED), NORMALISED);
    }

    #[test]
    fn a_new_restrict_key_and_statement_order_do_not_matter() {
        let other =
            DUMP.replace(
                "Y3RBjmev2POz7GG3uO61TthcDZt1NMLzYStFPz0RNuEgu8TXJuSuHctIAL3sdLl",
                "other",
            )
            .replace(
                "CREATE INDEX t_name_idx ON public.t USING btree (name);",
                "",
            ) + "CREATE INDEX t_name_idx ON public.t USING btree (name);\n";
        assert_eq!(normalise_dump(&other), NORMALISED);
        assert!(schema_diff(DUMP, &other).is_empty());
    }

    #[test]
    fn column_order_is_a_difference() {
        let swapped = DUMP.replace(
            "    name text DEFAULT 'a;b'::text,\n    note text\n",
            "    note text,\n    name text DEFAULT 'a;b'::text\n",
        );
        assert_ne!(normalise_dump(&swapped), NORMALISED);
        let diff = schema_diff(DUMP, &swapped);
        assert_eq!(diff.len(), 2, "{diff:#?}");
        assert!(
            diff[0].starts_with("- CREATE TABLE public.t (\n    id integer NOT NULL,\n    name")
        );
        assert!(
            diff[1].starts_with("+ CREATE TABLE public.t (\n    id integer NOT NULL,\n    note")
        );
    }

    #[test]
    fn privileges_are_kept() {
        let without_grant = DUMP.replace("GRANT SELECT ON TABLE public.t TO PUBLIC;", "");
        assert_eq!(
            schema_diff(DUMP, &without_grant),
            ["- GRANT SELECT ON TABLE public.t TO PUBLIC;"]
        );
        assert_eq!(
            schema_diff(&without_grant, DUMP),
            ["+ GRANT SELECT ON TABLE public.t TO PUBLIC;"]
        );
    }

    #[test]
    fn repeated_statements_are_counted() {
        let a = "CREATE SCHEMA s;\n";
        let b = "CREATE SCHEMA s;\nCREATE SCHEMA s;\n";
        assert_eq!(schema_diff(a, b), ["+ CREATE SCHEMA s;"]);
    }

    #[test]
    fn semicolons_inside_quotes_and_comments_do_not_split() {
        let dump = concat!(
            "CREATE FUNCTION public.g(integer) RETURNS text\n",
            "    LANGUAGE sql\n",
            "    AS $_$ select 'x;' || $1::text; $_$;\n",
            "CREATE TABLE public.\"we;ird\" (\"a\"\"b;\" text DEFAULT E'\\';'::text);\n",
            "CREATE VIEW public.v AS /* not; /* nested; */ here; */ SELECT 1 AS x -- c;\n",
            ";\n",
            "COMMENT ON SCHEMA public IS 'standard public schema';\n",
        );
        assert_eq!(
            split_statements(dump),
            [
                "CREATE FUNCTION public.g(integer) RETURNS text\n    LANGUAGE sql\n    AS $_$ select 'x;' || $1::text; $_$;",
                "CREATE TABLE public.\"we;ird\" (\"a\"\"b;\" text DEFAULT E'\\';'::text);",
                "CREATE VIEW public.v AS /* not; /* nested; */ here; */ SELECT 1 AS x -- c;\n;",
                "COMMENT ON SCHEMA public IS 'standard public schema';",
            ]
        );
    }

    #[test]
    fn set_inside_a_statement_is_kept() {
        let dump =
            "ALTER TABLE ONLY public.t ALTER COLUMN id SET DEFAULT 1;\nset search_path = x;\n";
        assert_eq!(
            normalise_dump(dump),
            "ALTER TABLE ONLY public.t ALTER COLUMN id SET DEFAULT 1;\n"
        );
    }

    #[test]
    fn empty_dump_normalises_to_nothing() {
        assert_eq!(normalise_dump("--\n-- nothing\n--\n\nSET x = 1;\n"), "");
        assert!(schema_diff("", "").is_empty());
    }
}
