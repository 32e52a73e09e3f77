//! A Markdown runbook read the way a person reads it: its headings, and its
//! fenced SQL blocks, each with the heading it sits under and the prose just
//! before it. Only what Preflight needs of Markdown: ATX and setext
//! headings, and ``` or ~~~ fences (a fence left open runs to the end).
use std::collections::BTreeMap;
use std::ops::Range;

use crate::analysis::block_role::BlockRole;

/// The info words that make a fenced block SQL.
const SQL_LANGUAGES: &[&str] = &["sql", "postgres", "postgresql", "pgsql", "plpgsql", "psql"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub headings: Vec<Heading>,
    /// The SQL blocks, in document order.
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `#`, 2 for `##`...
    pub level: usize,
    /// Its words, without the `#` marks.
    pub text: String,
    /// Its first line, 1-based.
    pub line: u32,
    /// Byte offset of its first line.
    pub start: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// What follows the opening fence's language, e.g. `rollback` in
    /// ```` ```sql rollback ````.
    pub info: Vec<String>,
    /// From the opening fence's first byte to the end of the closing fence's
    /// line.
    pub span: Range<usize>,
    /// The SQL between the fences.
    pub content: Range<usize>,
    /// The line of the opening fence, and of the closing one (1-based).
    pub first_line: u32,
    pub last_line: u32,
    /// The first line of the SQL.
    pub content_line: u32,
    /// The nearest heading above it, by index into `Document::headings`.
    pub heading: Option<usize>,
    /// The text between the previous heading or block (whichever is later)
    /// and this block.
    pub lead: Range<usize>,
}

impl Document {
    pub fn read(text: &str) -> Self {
        let mut headings: Vec<Heading> = Vec::new();
        let mut blocks = Vec::new();
        let mut open: Option<OpenFence> = None;
        // Where the text that leads to the next block starts.
        let mut lead_start = 0;
        let mut previous: Option<(usize, &str, u32)> = None;
        let mut offset = 0;
        for (index, line) in text.split_inclusive('\n').enumerate() {
            let number = index as u32 + 1;
            let start = offset;
            offset += line.len();
            let content = line.trim_end_matches(['\n', '\r']);
            if let Some(fence) = &open {
                if fence.closed_by(content) {
                    let fence = open.take().expect("open");
                    if let Some(block) = fence.block(start, offset, number, &headings) {
                        blocks.push(block);
                    }
                    lead_start = offset;
                    previous = None;
                }
                continue;
            }
            if let Some(fence) = OpenFence::at(content, start, offset, number, lead_start) {
                open = Some(fence);
                previous = None;
                continue;
            }
            if let Some(heading) = atx_heading(content) {
                headings.push(Heading {
                    level: heading.0,
                    text: heading.1,
                    line: number,
                    start,
                });
                lead_start = offset;
                previous = None;
                continue;
            }
            if let (Some(level), Some((above, words, line))) = (setext_level(content), previous) {
                headings.push(Heading {
                    level,
                    text: plain(words.trim()),
                    line,
                    start: above,
                });
                lead_start = offset;
                previous = None;
                continue;
            }
            previous = (!content.trim().is_empty()).then_some((start, content, number));
        }
        if let Some(fence) = open {
            let lines = text.split_inclusive('\n').count() as u32;
            if let Some(block) = fence.block(text.len(), text.len(), lines, &headings) {
                blocks.push(block);
            }
        }
        Self { headings, blocks }
    }

    /// The headings a block sits under, nearest first.
    pub fn headings_above(&self, block: &Block) -> Vec<&Heading> {
        let mut above = Vec::new();
        let mut level = usize::MAX;
        for heading in self.headings[..block.heading.map_or(0, |at| at + 1)]
            .iter()
            .rev()
        {
            if heading.level < level {
                above.push(heading);
                level = heading.level;
            }
        }
        above
    }

    /// Headings that offer a choice ("Option 1: ...", "Option B"), grouped
    /// by the heading they sit under: each group's headings are
    /// alternatives, of which a person runs one.
    pub fn options(&self) -> Vec<Vec<usize>> {
        // By the heading above and the level.
        let mut groups: BTreeMap<(Option<usize>, usize), Vec<usize>> = BTreeMap::new();
        for (at, heading) in self.headings.iter().enumerate() {
            let mut words = heading.text.split_whitespace();
            let is_option = words
                .next()
                .is_some_and(|w| w.eq_ignore_ascii_case("option"))
                && words
                    .next()
                    .is_some_and(|w| w.chars().next().is_some_and(char::is_alphanumeric));
            if !is_option {
                continue;
            }
            let parent = self.headings[..at]
                .iter()
                .rposition(|above| above.level < heading.level);
            groups.entry((parent, heading.level)).or_default().push(at);
        }
        (groups.into_values())
            .filter(|members| members.len() > 1)
            .collect()
    }

    /// A block's name for people: the heading it sits under.
    pub fn title(&self, block: &Block) -> Option<&str> {
        Some(self.headings[block.heading?].text.as_str())
    }
}

/// Whether `text` opens a fenced SQL block on some line: what tells a
/// Markdown runbook from plain SQL when its name does not (a pasted text, a
/// `runbook.txt`).
pub fn has_sql_fence(text: &str) -> bool {
    text.lines()
        .any(|line| OpenFence::at(line, 0, 0, 0, 0).is_some_and(|fence| fence.sql))
}

/// `text` with the role of the block whose opening fence is on line
/// `fence_line` (1-based) written on its fence: ```` ```sql ```` becomes
/// ```` ```sql rollback ````, replacing any role written before; the
/// migration role, the default, is written too, since a person chose it.
pub fn with_role(text: &str, fence_line: u32, role: BlockRole) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        if index as u32 + 1 != fence_line {
            out.push_str(line);
            continue;
        }
        let indent = &content[..content.len() - content.trim_start().len()];
        let fence = content.trim_start();
        let marks = fence.chars().take_while(|c| matches!(c, '`' | '~')).count();
        let mut words: Vec<&str> = fence[marks..]
            .split_whitespace()
            .filter(|word| BlockRole::from_word(word).is_none())
            .collect();
        if words.is_empty() {
            words.push("sql");
        }
        words.insert(1, role.word());
        out.push_str(indent);
        out.push_str(&fence[..marks]);
        out.push_str(&words.join(" "));
        out.push_str(&line[content.len()..]);
    }
    out
}

struct OpenFence {
    marker: char,
    length: usize,
    info: Vec<String>,
    sql: bool,
    start: usize,
    content_start: usize,
    line: u32,
    lead: Range<usize>,
}

impl OpenFence {
    fn at(line: &str, start: usize, end: usize, number: u32, lead_start: usize) -> Option<Self> {
        let trimmed = line.trim_start();
        let marker = trimmed.chars().next().filter(|c| matches!(c, '`' | '~'))?;
        let length = trimmed.chars().take_while(|&c| c == marker).count();
        if length < 3 {
            return None;
        }
        let info = &trimmed[length..];
        if marker == '`' && info.contains('`') {
            return None;
        }
        let mut words = info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{' || c == '}')
            .filter(|word| !word.is_empty());
        let language = words.next().unwrap_or_default().to_ascii_lowercase();
        Some(Self {
            marker,
            length,
            info: words.map(str::to_string).collect(),
            sql: SQL_LANGUAGES.contains(&language.as_str()),
            start,
            content_start: end,
            line: number,
            lead: lead_start..start,
        })
    }

    fn closed_by(&self, line: &str) -> bool {
        let trimmed = line.trim();
        trimmed.len() >= self.length && trimmed.chars().all(|c| c == self.marker)
    }

    /// The block, if it is SQL; `close_start..close_end` is the closing
    /// fence's line.
    fn block(
        self,
        close_start: usize,
        close_end: usize,
        close_line: u32,
        headings: &[Heading],
    ) -> Option<Block> {
        self.sql.then(|| Block {
            info: self.info,
            span: self.start..close_end,
            content: self.content_start..close_start.max(self.content_start),
            first_line: self.line,
            last_line: close_line,
            content_line: self.line + 1,
            heading: headings.len().checked_sub(1),
            lead: self.lead,
        })
    }
}

/// `## Words ##` → (2, "Words").
fn atx_heading(line: &str) -> Option<(usize, String)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let line = &line[indent..];
    let level = line.chars().take_while(|&c| c == '#').count();
    let rest = &line[level..];
    if !(1..=6).contains(&level) || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let words = rest.trim().trim_end_matches('#').trim_end();
    Some((level, plain(words)))
}

/// Heading words without their emphasis marks (`**`, `__`).
fn plain(words: &str) -> String {
    words.replace("**", "").replace("__", "")
}

/// A line of `=` (level 1) or `-` (level 2) under a paragraph line.
fn setext_level(line: &str) -> Option<usize> {
    let trimmed = line.trim();
    let marker = trimmed.chars().next()?;
    let level = match marker {
        '=' => 1,
        '-' => 2,
        _ => return None,
    };
    trimmed.chars().all(|c| c == marker).then_some(level)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUIDE: &str = "# Guide\n\nIntro.\n\n## Step 1: Add column\n\nRun this:\n\n```sql\nALTER TABLE t ADD c int;\n```\n\n```bash\nls\n```\n\nSetext\n------\n~~~~postgresql rollback\nSELECT 1;\n~~~~\n```sql\nSELECT 2;\n";

    #[test]
    fn blocks_know_their_heading_lines_and_lead() {
        let document = Document::read(GUIDE);
        let titles: Vec<&str> = document.headings.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(titles, ["Guide", "Step 1: Add column", "Setext"]);
        assert_eq!(document.headings[2].line, 17);
        assert_eq!(document.blocks.len(), 3);
        let first = &document.blocks[0];
        assert_eq!((first.first_line, first.last_line), (9, 11));
        assert_eq!(&GUIDE[first.content.clone()], "ALTER TABLE t ADD c int;\n");
        assert_eq!(&GUIDE[first.lead.clone()], "\nRun this:\n\n");
        assert_eq!(document.title(first), Some("Step 1: Add column"));
        let second = &document.blocks[1];
        assert_eq!(second.info, ["rollback"]);
        assert_eq!(document.title(second), Some("Setext"));
        // Left open: it runs to the end.
        let third = &document.blocks[2];
        assert_eq!(&GUIDE[third.content.clone()], "SELECT 2;\n");
        assert!(third.lead.is_empty());
        let untitled = Document::read("```sql\nSELECT 1\n```\n");
        assert_eq!(untitled.title(&untitled.blocks[0]), None);
        let above: Vec<&str> = (document.headings_above(first).iter())
            .map(|h| h.text.as_str())
            .collect();
        assert_eq!(above, ["Step 1: Add column", "Guide"]);
    }

    #[test]
    fn a_role_is_written_on_the_fence_in_place_of_the_old_one() {
        let text = "# Undo\r\n  ```sql verification title=x\r\nDROP TABLE t;\r\n  ```\r\n";
        let marked = with_role(text, 2, BlockRole::Rollback);
        assert_eq!(
            marked,
            "# Undo\r\n  ```sql rollback title=x\r\nDROP TABLE t;\r\n  ```\r\n"
        );
        let document = Document::read(&marked);
        assert_eq!(document.blocks[0].info, ["rollback", "title=x"]);
    }

    #[test]
    fn options_under_one_heading_are_alternatives() {
        let text = "## A\n### Option 1: drop\n### Option 2: keep\n## B\n### Option A\n### Options galore\n";
        assert_eq!(Document::read(text).options(), [vec![1, 2]]);
    }

    #[test]
    fn a_fence_needs_three_marks_and_no_backtick_in_its_info() {
        let text = "``sql\nx\n``\n```sql `x`\ny\n```\n";
        assert!(Document::read(text).blocks.is_empty());
        assert!(!has_sql_fence(text));
    }

    #[test]
    fn a_sql_fence_is_found_on_any_line_in_either_marker() {
        assert!(has_sql_fence(GUIDE));
        assert!(has_sql_fence("Run:\n  ~~~psql\nselect 1;\n~~~\n"));
        assert!(!has_sql_fence("select '```sql';\n"));
        assert!(!has_sql_fence("# Readme\n```bash\nnpm i\n```\n"));
    }
}
