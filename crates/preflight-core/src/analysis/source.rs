//! A named piece of SQL the user gave: a file, a pasted buffer, a Markdown
//! runbook whose ```sql blocks hold the statements.
use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::analysis::markdown::Document;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Source {
    /// How the user knows it: a file path, or a name like "pasted.sql".
    pub name: String,
    pub text: String,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
        }
    }

    pub fn is_markdown(&self) -> bool {
        is_markdown_name(&self.name)
    }

    /// The text as SQL. For Markdown, every byte outside the SQL blocks
    /// is blanked (line breaks kept), so offsets, lines and columns are
    /// the document's own.
    pub fn sql(&self) -> Cow<'_, str> {
        if !self.is_markdown() {
            return Cow::Borrowed(&self.text);
        }
        let document = Document::read(&self.text);
        let mut sql: Vec<u8> = (self.text.bytes())
            .map(|b| if b == b'\n' || b == b'\r' { b } else { b' ' })
            .collect();
        for block in &document.blocks {
            sql[block.content.clone()]
                .copy_from_slice(&self.text.as_bytes()[block.content.clone()]);
        }
        Cow::Owned(String::from_utf8(sql).expect("blocks are whole lines"))
    }
}

/// Whether a file of this name is a Markdown runbook.
pub fn is_markdown_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with(".md") || name.ends_with(".markdown")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_keeps_sql_blocks_in_place() {
        let text = "# Step 1\n```sql\nSELECT 1\n```\nprose\n```bash\nrm -rf x\n```\n```pgsql\nSELECT 2;\n```\n";
        let sql = Source::new("guide.md", text).sql().into_owned();
        assert_eq!(sql.len(), text.len());
        assert_eq!(
            sql.split_whitespace().collect::<Vec<_>>(),
            ["SELECT", "1", "SELECT", "2;"]
        );
        assert_eq!(sql.find("SELECT 2"), text.find("SELECT 2"));
    }

    #[test]
    fn sql_files_are_taken_as_they_are() {
        let source = Source::new("a.sql", "SELECT 1");
        assert!(matches!(source.sql(), Cow::Borrowed("SELECT 1")));
    }
}
