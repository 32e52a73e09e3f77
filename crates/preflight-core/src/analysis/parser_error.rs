//! Where a syntax error is. The `pg_query` crate reports only the message, so
//! on the error path this asks libpg_query (already linked in through
//! `pg_query`) for the cursor position through its stable C API.
use std::ffi::{c_char, c_int, CStr, CString};

#[repr(C)]
struct PgQueryError {
    message: *mut c_char,
    funcname: *mut c_char,
    filename: *mut c_char,
    lineno: c_int,
    cursorpos: c_int,
    context: *mut c_char,
}

#[repr(C)]
struct PgQueryParseResult {
    parse_tree: *mut c_char,
    stderr_buffer: *mut c_char,
    error: *mut PgQueryError,
}

#[repr(C)]
struct PgQueryProtobuf {
    len: usize,
    data: *mut c_char,
}

#[repr(C)]
struct PgQueryScanResult {
    pbuf: PgQueryProtobuf,
    stderr_buffer: *mut c_char,
    error: *mut PgQueryError,
}

extern "C" {
    fn pg_query_parse(input: *const c_char) -> PgQueryParseResult;
    fn pg_query_free_parse_result(result: PgQueryParseResult);
    fn pg_query_scan(input: *const c_char) -> PgQueryScanResult;
    fn pg_query_free_scan_result(result: PgQueryScanResult);
}

/// The parser's complaint about `sql` and the byte offset it points at
/// (`None` when the parser gives no position, or the SQL is valid).
pub(crate) fn locate(sql: &str) -> Option<(String, Option<usize>)> {
    let input = CString::new(sql).ok()?;
    // SAFETY: `input` outlives the call; the result is freed exactly once below
    // and its error fields are only read before that.
    unsafe {
        let result = pg_query_parse(input.as_ptr());
        let found = result.error.as_ref().map(|error| read_error(sql, error));
        pg_query_free_parse_result(result);
        found
    }
}

/// The lexer's complaint about `sql` (an unterminated string, comment or
/// quoted identifier) and where it is. The parser would report the first
/// grammar error instead, which may come earlier.
pub(crate) fn locate_lexer_error(sql: &str) -> Option<(String, Option<usize>)> {
    let input = CString::new(sql).ok()?;
    // SAFETY: as in `locate`.
    unsafe {
        let result = pg_query_scan(input.as_ptr());
        let found = result.error.as_ref().map(|error| read_error(sql, error));
        pg_query_free_scan_result(result);
        found
    }
}

/// # Safety
/// `error` comes from libpg_query and has not been freed.
unsafe fn read_error(sql: &str, error: &PgQueryError) -> (String, Option<usize>) {
    let message = CStr::from_ptr(error.message).to_string_lossy().into_owned();
    let offset = usize::try_from(error.cursorpos)
        .ok()
        .filter(|&position| position > 0)
        .map(|position| char_to_byte_offset(sql, position - 1));
    (message, offset)
}

/// PostgreSQL counts the cursor position in characters, 1-based.
fn char_to_byte_offset(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(offset, _)| offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_at_the_offending_token() {
        let sql = "SELECT 1;\nSELEC 2;";
        let (message, offset) = locate(sql).expect("a syntax error");
        assert!(
            message.contains("syntax error at or near \"SELEC\""),
            "{message}"
        );
        assert_eq!(offset, Some(10));
    }

    #[test]
    fn counts_characters_not_bytes() {
        let sql = "SELECT 'é' FROM WHERE";
        let (_, offset) = locate(sql).expect("a syntax error");
        assert_eq!(&sql[offset.unwrap()..], "WHERE");
    }

    #[test]
    fn the_lexer_points_at_an_unterminated_string_after_a_grammar_error() {
        let sql = "SELEC 1;\nSELECT 'oops;";
        let (message, offset) = locate_lexer_error(sql).expect("a lexer error");
        assert!(message.contains("unterminated quoted string"), "{message}");
        assert_eq!(&sql[offset.unwrap()..], "'oops;");
        assert_eq!(locate_lexer_error("SELEC 1"), None);
    }

    #[test]
    fn valid_sql_has_no_error() {
        assert_eq!(locate("SELECT 1"), None);
    }
}
