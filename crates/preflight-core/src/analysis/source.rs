//! A named piece of SQL the user gave: a file, a pasted buffer, a Markdown
//! runbook whose ```sql blocks hold the statements.
use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::analysis::markdown::{has_sql_fence, Document};

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
        is_markdown(&self.name, &self.text)
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

/// Whether a file is a Markdown runbook: by its name (`.md`, `.markdown`);
/// or, when its name does not say SQL either (`runbook.txt`, no extension),
/// by a fenced SQL block in its text, as people keep runbooks as notes.
pub fn is_markdown(name: &str, text: &str) -> bool {
    let extension = extension(name);
    if MARKDOWN_EXTENSIONS.contains(&extension.as_str()) {
        return true;
    }
    !SQL_EXTENSIONS.contains(&extension.as_str()) && has_sql_fence(text)
}

/// The extensions of SQL files and of Markdown runbooks.
pub const SQL_EXTENSIONS: [&str; 3] = ["sql", "psql", "pgsql"];
pub const MARKDOWN_EXTENSIONS: [&str; 2] = ["md", "markdown"];

/// The lowercase extension of a path's file name (empty when it has none).
pub fn extension(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    (name.rsplit_once('.'))
        .map(|(_, extension)| extension.to_ascii_lowercase())
        .unwrap_or_default()
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
    fn a_runbook_is_known_by_its_name_or_else_by_a_sql_fence() {
        let runbook = "# Deploy\n\n```sql\nselect 1;\n```\n";
        assert!(Source::new("docs/GUIDE.MD", "select 1;").is_markdown());
        assert!(Source::new("deploy-notes.txt", runbook).is_markdown());
        assert!(Source::new("runbook", runbook).is_markdown());
        // A name that says SQL is believed.
        assert!(!Source::new("001_init.sql", runbook).is_markdown());
        assert!(!Source::new("schema.txt", "create table t ();").is_markdown());
        assert!(!Source::new("v1.2/schema", "create table t ();").is_markdown());
    }

    #[test]
    fn sql_files_are_taken_as_they_are() {
        let source = Source::new("a.sql", "SELECT 1");
        assert!(matches!(source.sql(), Cow::Borrowed("SELECT 1")));
    }
}
