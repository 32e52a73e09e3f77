//! Positions in a source text: byte offsets as the parser reports them, and
//! the 1-based line and column a person reads.
use serde::{Deserialize, Serialize};

/// A 1-based line and column. A line ends at LF, CRLF or a lone CR; the
/// column counts characters, not bytes (a tab is one column), as the page's
/// editor counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// Maps byte offsets of one text to line/column positions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let line_starts = std::iter::once(0)
            .chain(bytes.iter().enumerate().filter_map(|(at, &byte)| {
                let ends_line =
                    byte == b'\n' || (byte == b'\r' && bytes.get(at + 1) != Some(&b'\n'));
                ends_line.then_some(at + 1)
            }))
            .collect();
        Self { line_starts }
    }

    /// The position of `offset` in `text` (the text this index was built from).
    /// Offsets past the end or inside a character are clamped, never a panic.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let column = text[self.line_starts[line]..offset].chars().count() + 1;
        Position {
            line: line as u32 + 1,
            column: column as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "ab\ncé\n\nx";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(index.position(text, 3), Position { line: 2, column: 1 });
        // 'x' sits after "é" (two bytes) on line 4.
        assert_eq!(
            index.position(text, text.len() - 1),
            Position { line: 4, column: 1 }
        );
        assert_eq!(index.position(text, 6), Position { line: 2, column: 3 });
    }

    #[test]
    fn crlf_and_a_lone_cr_end_a_line() {
        let text = "a\r\nb\rc";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 3), Position { line: 2, column: 1 });
        assert_eq!(index.position(text, 5), Position { line: 3, column: 1 });
    }

    #[test]
    fn offsets_out_of_range_are_clamped() {
        let text = "é";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 1), Position { line: 1, column: 1 });
        assert_eq!(index.position(text, 99), Position { line: 1, column: 2 });
    }
}
