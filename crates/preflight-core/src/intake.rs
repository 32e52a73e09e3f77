//! Which files a person brings are sources: files chosen one by one, every
//! file of a folder or a zip. Folders are walked the way a person means
//! them: their SQL and Markdown runbooks are taken, dependencies, version
//! control and hidden folders are not, and every file left out says why.
use std::collections::HashSet;
use std::fmt;

use crate::analysis::source::{extension, MARKDOWN_EXTENSIONS, SQL_EXTENSIONS};

/// Larger files are refused before they are read: a schema dump is far
/// smaller (`pg_dump --schema-only`), and the page stays responsive.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// What a path is, judged by its name alone (before reading it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Sql,
    Markdown,
    /// A zip archive chosen or dropped by itself: its files are opened.
    Zip,
    Skipped(Skip),
}

/// Why a file is left out.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Skip {
    /// Inside a folder that never holds migrations (`node_modules/`,
    /// `.git/`, a hidden folder): the folder's path.
    Folder(String),
    HiddenFile,
    NotSql,
    ZipInFolder,
    TooLarge(u64),
    NotText(String),
    NoSqlBlocks,
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Skip::Folder(folder) => write!(f, "inside {folder}/, which is skipped"),
            Skip::HiddenFile => f.write_str("a hidden file"),
            Skip::NotSql => f.write_str("not SQL or Markdown"),
            Skip::ZipInFolder => {
                f.write_str("a zip inside a folder; open it by itself to read its files")
            }
            Skip::TooLarge(bytes) => write!(
                f,
                "{} is over the limit of {} a file; a schema-only dump (pg_dump --schema-only) is far smaller",
                megabytes(*bytes),
                megabytes(MAX_FILE_BYTES)
            ),
            Skip::NotText(what) => f.write_str(what),
            Skip::NoSqlBlocks => f.write_str("a Markdown file without ```sql blocks"),
        }
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// How a path was brought: chosen by itself, or found walking a folder or a
/// zip. A file chosen by itself is taken as SQL whatever its extension,
/// unless it is not text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Brought {
    Chosen,
    InFolder,
}

/// Folders that never hold a project's migrations.
const SKIPPED_FOLDERS: [&str; 1] = ["node_modules"];

/// Why the files under these folders (a relative path, one name each) are
/// left out, if they are: the first hidden or dependency folder on it.
pub fn skipped_folder(folders: &[&str]) -> Option<Skip> {
    let at = (folders.iter())
        .position(|folder| folder.starts_with('.') || SKIPPED_FOLDERS.contains(folder))?;
    Some(Skip::Folder(folders[..=at].join("/")))
}

/// What `path` (relative, `/`-separated, e.g. `supabase/migrations/1_a.sql`)
/// is, from its name.
pub fn kind(path: &str, brought: Brought) -> Kind {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let (name, folders) = parts.split_last().unwrap_or((&"", &[]));
    if let Some(skip) = skipped_folder(folders) {
        return Kind::Skipped(skip);
    }
    match (extension(name).as_str(), brought) {
        (sql, _) if SQL_EXTENSIONS.contains(&sql) => Kind::Sql,
        (markdown, _) if MARKDOWN_EXTENSIONS.contains(&markdown) => Kind::Markdown,
        ("zip", Brought::Chosen) => Kind::Zip,
        ("zip", Brought::InFolder) => Kind::Skipped(Skip::ZipInFolder),
        (_, Brought::Chosen) => Kind::Sql,
        _ if name.starts_with('.') => Kind::Skipped(Skip::HiddenFile),
        _ => Kind::Skipped(Skip::NotSql),
    }
}

/// Whether Markdown text has a block Preflight plans.
pub fn has_sql_blocks(markdown: &str) -> bool {
    crate::analysis::source::Source::new("runbook.md", markdown)
        .sql()
        .chars()
        .any(|c| !c.is_whitespace() && c != ';')
}

/// Whether the text is a plain-format `pg_dump`: already applied, so a
/// baseline rather than a migration.
pub fn looks_like_dump(text: &str) -> bool {
    text.lines()
        .take(5)
        .any(|line| line.trim() == "-- PostgreSQL database dump")
}

/// `wanted`, or `wanted` with ` (2)`, ` (3)`... before its extension when
/// `taken` already holds it: a second file of the same name never
/// overwrites the first.
pub fn unique_name(taken: &HashSet<String>, wanted: &str) -> String {
    if !taken.contains(wanted) {
        return wanted.to_string();
    }
    let file_start = wanted.rfind('/').map_or(0, |at| at + 1);
    let (stem, extension) = match wanted[file_start..].rfind('.') {
        Some(dot) if dot > 0 => wanted.split_at(file_start + dot),
        _ => (wanted, ""),
    };
    (2..)
        .map(|n| format!("{stem} ({n}){extension}"))
        .find(|name| !taken.contains(name))
        .expect("some number is free")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_give_their_sql_and_markdown_and_say_why_the_rest_is_left_out() {
        let folder = |path| kind(path, Brought::InFolder);
        assert_eq!(folder("supabase/migrations/20240101_init.sql"), Kind::Sql);
        assert_eq!(folder("docs/RUNBOOK.md"), Kind::Markdown);
        assert_eq!(folder("db/dump.PSQL"), Kind::Sql);
        assert_eq!(
            folder("app/node_modules/pg/schema.sql"),
            Kind::Skipped(Skip::Folder("app/node_modules".into()))
        );
        assert_eq!(
            folder("repo/.git/hooks/x.sql"),
            Kind::Skipped(Skip::Folder("repo/.git".into()))
        );
        assert_eq!(
            folder("repo/.github/workflows/a.md"),
            Kind::Skipped(Skip::Folder("repo/.github".into()))
        );
        assert_eq!(
            folder("supabase/functions/a/index.ts"),
            Kind::Skipped(Skip::NotSql)
        );
        assert_eq!(folder("notes.txt"), Kind::Skipped(Skip::NotSql));
        assert_eq!(folder("backup.zip"), Kind::Skipped(Skip::ZipInFolder));
        assert_eq!(folder("supabase/.env"), Kind::Skipped(Skip::HiddenFile));
    }

    #[test]
    fn a_file_chosen_by_itself_is_taken_unless_it_is_a_zip() {
        assert_eq!(kind("notes.txt", Brought::Chosen), Kind::Sql);
        assert_eq!(kind("schema", Brought::Chosen), Kind::Sql);
        assert_eq!(kind("migrations.ZIP", Brought::Chosen), Kind::Zip);
    }

    #[test]
    fn duplicate_names_get_a_number_before_the_extension() {
        let taken: HashSet<String> = ["001.sql", "001 (2).sql", "a/b.c/README"]
            .map(String::from)
            .into();
        assert_eq!(unique_name(&taken, "002.sql"), "002.sql");
        assert_eq!(unique_name(&taken, "001.sql"), "001 (3).sql");
        assert_eq!(unique_name(&taken, "a/b.c/README"), "a/b.c/README (2)");
    }

    #[test]
    fn a_markdown_file_without_sql_blocks_is_told_apart() {
        let runbook = "# Step 1\n\n```sql\nselect 1;\n```\n";
        assert!(has_sql_blocks(runbook));
        assert!(!has_sql_blocks("# Readme\n```bash\nnpm i\n```\n"));
    }

    #[test]
    fn plain_dumps_are_recognised() {
        assert!(looks_like_dump("--\n-- PostgreSQL database dump\n--\n"));
        assert!(!looks_like_dump("create table t ();"));
    }
}
