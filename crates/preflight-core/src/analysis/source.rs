//! A named piece of SQL the user gave: a file, a pasted buffer, a Markdown
//! runbook whose ```sql blocks hold the statements.
use std::borrow::Cow;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

    /// The SQL to parse. For Markdown, the text with everything outside
    /// SQL code blocks blanked, so every statement keeps its real line and
    /// column; each block ends with `;` on its closing fence line so that a
    /// block without a final semicolon does not run into the next one.
    pub fn sql(&self) -> Cow<'_, str> {
        if !self.is_markdown() {
            return Cow::Borrowed(&self.text);
        }
        let mut sql = String::with_capacity(self.text.len());
        let mut in_sql_block = false;
        let mut in_other_block = false;
        for line in self.text.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            let ending = &line[content.len()..];
            let fence = content.trim_start();
            if in_sql_block && fence.starts_with("```") {
                in_sql_block = false;
                sql.push(';');
            } else if in_sql_block {
                sql.push_str(content);
            } else if in_other_block {
                in_other_block = !fence.starts_with("```");
            } else if let Some(info) = fence.strip_prefix("```") {
                let language = info.split_whitespace().next().unwrap_or("");
                let language = language.to_ascii_lowercase();
                in_sql_block = matches!(
                    language.as_str(),
                    "sql" | "postgres" | "postgresql" | "pgsql" | "plpgsql"
                );
                in_other_block = !in_sql_block;
            }
            sql.push_str(ending);
        }
        Cow::Owned(sql)
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
        assert_eq!(sql, "\n\nSELECT 1\n;\n\n\n\n\n\nSELECT 2;\n;\n");
        assert_eq!(sql.lines().count(), text.lines().count());
    }

    #[test]
    fn sql_files_are_taken_as_they_are() {
        let source = Source::new("a.sql", "SELECT 1");
        assert!(matches!(source.sql(), Cow::Borrowed("SELECT 1")));
    }
}
