//! The person's workspace: their files, each file's role, which one is
//! open. Everything the page keeps, saves and shares; every change to it
//! goes through [`Workspace::apply`].
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::rc::Rc;

use preflight_core::analysis::block_role::BlockRole;
use preflight_core::analysis::markdown::with_role;
use preflight_core::analysis::source::{is_markdown, Source};
use preflight_core::environment::Environment;
use preflight_core::intake::unique_name;
use preflight_core::lint::{Config, Level};
use preflight_core::plan::{natural_key, FileOrder, Options};
use serde::{Deserialize, Serialize};

/// How the planner treats a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Planned: put in order and into the runbook.
    #[default]
    Migration,
    /// Already applied (a schema dump): its objects exist, it is not planned.
    Baseline,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct File {
    pub id: u32,
    pub name: String,
    /// Compared by pointer first ([`File`]'s `PartialEq`).
    pub text: Rc<str>,
    #[serde(default)]
    pub role: Role,
    /// How the file was read when that needs saying (another encoding).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Equal files hold equal texts, and a text kept from one render to the
/// next is the same `Rc`: comparing the pointer first spares reading a
/// large file's text for every component that is given it (`Rc<str>`'s
/// own comparison reads the text every time).
impl PartialEq for File {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.name == other.name
            && (Rc::ptr_eq(&self.text, &other.text) || self.text == other.text)
            && self.role == other.role
            && self.note == other.note
    }
}

/// What the file list shows of the workspace: no texts, so typing in a
/// file does not redraw the list.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    pub files: Vec<Entry>,
    pub open: Option<u32>,
    pub arranged: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: u32,
    pub name: String,
    pub role: Role,
    /// A Markdown runbook, by its name or its SQL blocks.
    pub markdown: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Workspace {
    pub files: Vec<File>,
    /// The id of the file in the editor.
    pub open: Option<u32>,
    /// The built-in example, untouched: a person's own files replace it.
    #[serde(default)]
    pub is_example: bool,
    /// The person arranged the files: their order, not their names, is the
    /// order to plan from. Otherwise the list is kept in name order.
    #[serde(default)]
    pub arranged: bool,
    /// How far the person got through the runbook.
    #[serde(default)]
    pub progress: Progress,
    /// The database the migrations start from.
    #[serde(default)]
    pub environment: Environment,
    /// The lint settings (`preflight.toml` on the command line): exposed
    /// schemas, PostgreSQL version, rules turned off or made louder.
    #[serde(default)]
    pub lint: Config,
    #[serde(default)]
    next_id: u32,
}

/// The runbook followed so far, kept with the files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Progress {
    /// Steps marked done (by [`crate::checklist::step_key`]) and when, in
    /// milliseconds since 1970: a step whose SQL changes is no longer done.
    pub done: BTreeMap<String, f64>,
    /// The pre-flight checklist's items ticked, by their number.
    pub ticked: BTreeSet<usize>,
}

/// A file to add: its name as brought and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFile {
    pub name: String,
    pub text: String,
    pub role: Role,
    pub note: Option<String>,
}

/// One lint setting, as the page changes them.
#[derive(Debug, Clone, PartialEq)]
pub enum LintChange {
    ExposedSchemas(Option<Vec<String>>),
    Postgres(Option<u32>),
    /// A rule's level; `None`: its default.
    RuleLevel {
        rule: String,
        level: Option<Level>,
    },
}

impl LintChange {
    fn apply(self, lint: &mut Config) {
        match self {
            LintChange::ExposedSchemas(schemas) => lint.exposed_schemas = schemas,
            LintChange::Postgres(version) => lint.postgres = version,
            LintChange::RuleLevel { rule, level: None } => {
                lint.rules.remove(&rule);
            }
            LintChange::RuleLevel {
                rule,
                level: Some(level),
            } => {
                lint.rules.insert(rule, level);
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Files brought in; they replace the example.
    Add(Vec<NewFile>),
    Edit {
        id: u32,
        text: String,
    },
    Rename {
        id: u32,
        name: String,
    },
    SetRole {
        id: u32,
        role: Role,
    },
    Remove(u32),
    /// Moves a file one place up (`-1`) or down (`1`): the list's order is
    /// then the order to plan from.
    Move {
        id: u32,
        by: isize,
    },
    /// Back to planning from the names (numbers, timestamps).
    SortByName,
    /// Plan on a Supabase project or a plain PostgreSQL database.
    SetEnvironment(Environment),
    /// One lint setting changed; the others stay as they are now (a
    /// change made from an older view of the settings loses nothing).
    Lint(LintChange),
    /// A Markdown block's role, written on its opening fence (on line
    /// `fence_line`) of the file as it is now.
    SetBlockRole {
        id: u32,
        fence_line: u32,
        role: BlockRole,
    },
    /// A runbook step marked done (at this time) or not done (`None`).
    MarkDone {
        step: String,
        at: Option<f64>,
    },
    /// A pre-flight checklist item ticked or not.
    Tick {
        item: usize,
        ticked: bool,
    },
    Open(u32),
    Replace(Workspace),
}

/// What a change did that the person should hear about.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    /// Names given to added files when theirs was taken: (wanted, given).
    pub renamed: Vec<(String, String)>,
    /// Why a rename was refused.
    pub refused: Option<String>,
}

impl Workspace {
    pub fn new(files: Vec<NewFile>, is_example: bool) -> Self {
        let mut workspace = Self::default();
        workspace.apply(Change::Add(files));
        workspace.is_example = is_example;
        workspace
    }

    pub fn listing(&self) -> Listing {
        Listing {
            files: self
                .files
                .iter()
                .map(|file| Entry {
                    id: file.id,
                    name: file.name.clone(),
                    role: file.role,
                    markdown: is_markdown(&file.name, &file.text),
                })
                .collect(),
            open: self.open,
            arranged: self.arranged,
        }
    }

    pub fn file(&self, id: u32) -> Option<&File> {
        self.files.iter().find(|file| file.id == id)
    }

    pub fn open_file(&self) -> Option<&File> {
        self.open.and_then(|id| self.file(id))
    }

    /// The files of these names, in list order (as the schema audit reads
    /// a side).
    pub fn sources_named(&self, names: &[String]) -> Vec<Source> {
        self.files
            .iter()
            .filter(|file| names.contains(&file.name))
            .map(|file| Source::new(file.name.clone(), file.text.to_string()))
            .collect()
    }

    /// The planned files and the baseline, in list order.
    pub fn sources(&self) -> (Vec<Source>, Vec<Source>) {
        let of = |role: Role| {
            self.files
                .iter()
                .filter(|file| file.role == role)
                .map(|file| Source::new(file.name.clone(), file.text.to_string()))
                .collect()
        };
        (of(Role::Migration), of(Role::Baseline))
    }

    /// Applies `change`; says what the person should know about it.
    pub fn apply(&mut self, change: Change) -> Outcome {
        let mut outcome = Outcome::default();
        match change {
            Change::Add(files) => {
                if self.is_example {
                    *self = Self::default();
                }
                outcome.renamed = self.add(files);
            }
            Change::Edit { id, text } => {
                if let Some(file) = self.file_mut(id) {
                    file.text = text.into();
                    self.is_example = false;
                }
            }
            Change::Rename { id, name } => outcome.refused = self.rename(id, name.trim()),
            Change::SetRole { id, role } => {
                if let Some(file) = self.file_mut(id) {
                    file.role = role;
                }
            }
            Change::Remove(id) => {
                let at = self.files.iter().position(|file| file.id == id);
                if let Some(at) = at {
                    self.files.remove(at);
                    if self.open == Some(id) {
                        let next = at.min(self.files.len().saturating_sub(1));
                        self.open = self.files.get(next).map(|file| file.id);
                    }
                }
            }
            Change::Move { id, by } => {
                if let Some(at) = self.files.iter().position(|file| file.id == id) {
                    let to = at.saturating_add_signed(by).min(self.files.len() - 1);
                    let file = self.files.remove(at);
                    self.files.insert(to, file);
                    self.arranged = true;
                    self.is_example = false;
                }
            }
            Change::SortByName => self.arranged = false,
            Change::SetEnvironment(environment) => {
                self.environment = environment;
                // A choice worth keeping, as an edit is.
                self.is_example = false;
            }
            Change::Lint(change) => {
                change.apply(&mut self.lint);
                self.is_example = false;
            }
            Change::SetBlockRole {
                id,
                fence_line,
                role,
            } => {
                if let Some(file) = self.file_mut(id) {
                    file.text = with_role(&file.text, fence_line, role).into();
                    self.is_example = false;
                }
            }
            Change::MarkDone { step, at: Some(at) } => {
                self.progress.done.insert(step, at);
            }
            Change::MarkDone { step, at: None } => {
                self.progress.done.remove(&step);
            }
            Change::Tick { item, ticked: true } => {
                self.progress.ticked.insert(item);
            }
            Change::Tick {
                item,
                ticked: false,
            } => {
                self.progress.ticked.remove(&item);
            }
            Change::Open(id) => {
                if self.file(id).is_some() {
                    self.open = Some(id);
                }
            }
            Change::Replace(workspace) => *self = workspace,
        }
        self.keep_in_order();
        outcome
    }

    /// Files go by their names, unless the person arranged them.
    fn keep_in_order(&mut self) {
        if !self.arranged {
            self.files
                .sort_by_cached_key(|file| natural_key(&file.name));
        }
    }

    /// `stem-N.extension` with the first N no file has.
    pub fn free_name(&self, stem: &str, extension: &str) -> String {
        let taken = self.names();
        (1..)
            .map(|n| format!("{stem}-{n}.{extension}"))
            .find(|name| !taken.contains(name))
            .expect("some number is free")
    }

    /// Whether the change alters what is planned (not only what is shown
    /// or how far the runbook was followed).
    pub fn plans(change: &Change) -> bool {
        !matches!(
            change,
            Change::Open(_) | Change::MarkDone { .. } | Change::Tick { .. }
        )
    }

    /// How to plan: on which database, where the file order comes from,
    /// and the lint settings.
    pub fn options(&self) -> Options {
        Options {
            environment: self.environment,
            order: match self.arranged {
                true => FileOrder::Given,
                false => FileOrder::Names,
            },
            lint: self.lint.clone(),
        }
    }

    /// The files as a zip, each at its name: what "Download files" saves,
    /// and what opening that zip brings back.
    pub fn to_zip(&self) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        for file in &self.files {
            // Writing to memory cannot fail; names are unique.
            let _ = zip.start_file(file.name.as_str(), options);
            let _ = zip.write_all(file.text.as_bytes());
        }
        zip.finish()
            .map(|cursor| cursor.into_inner())
            .unwrap_or_default()
    }

    fn file_mut(&mut self, id: u32) -> Option<&mut File> {
        self.files.iter_mut().find(|file| file.id == id)
    }

    fn names(&self) -> HashSet<String> {
        self.files.iter().map(|file| file.name.clone()).collect()
    }

    /// Adds `files` under names of their own and opens the one the list
    /// shows first (a folder's entries come in no order); their line
    /// endings become LF, as the editor would make them.
    fn add(&mut self, files: Vec<NewFile>) -> Vec<(String, String)> {
        let mut taken = self.names();
        let mut renamed = Vec::new();
        let mut added = HashSet::new();
        for file in files {
            let name = unique_name(&taken, &file.name);
            if name != file.name {
                renamed.push((file.name.clone(), name.clone()));
            }
            taken.insert(name.clone());
            added.insert(self.next_id);
            self.files.push(File {
                id: self.next_id,
                name,
                text: as_the_editor_holds(file.text).into(),
                role: file.role,
                note: file.note,
            });
            self.next_id += 1;
        }
        self.keep_in_order();
        let shown_first = self.files.iter().find(|file| added.contains(&file.id));
        if let Some(file) = shown_first {
            self.open = Some(file.id);
        }
        renamed
    }

    fn rename(&mut self, id: u32, name: &str) -> Option<String> {
        let current = self.file(id)?.name.clone();
        if name == current {
            return None;
        }
        if name.is_empty() {
            return Some("a file needs a name".into());
        }
        if self.names().contains(name) {
            return Some(format!("{name} is already the name of another file"));
        }
        let file = self.file_mut(id)?;
        file.name = name.to_string();
        self.is_example = false;
        None
    }
}

/// The text as a textarea holds it: CRLF and a lone CR become LF, so that a
/// line in the editor is a line in the plan.
fn as_the_editor_holds(text: String) -> String {
    match text.contains('\r') {
        true => text.replace("\r\n", "\n").replace('\r', "\n"),
        false => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_file(name: &str, text: &str) -> NewFile {
        NewFile {
            name: name.into(),
            text: text.into(),
            role: Role::Migration,
            note: None,
        }
    }

    fn names(workspace: &Workspace) -> Vec<&str> {
        workspace.files.iter().map(|f| f.name.as_str()).collect()
    }

    #[test]
    fn own_files_replace_the_example_and_duplicates_are_kept_apart() {
        let mut workspace = Workspace::new(vec![new_file("001_example.sql", "select 1;")], true);
        let outcome = workspace.apply(Change::Add(vec![
            new_file("001.sql", "create table a ();"),
            new_file("001.sql", "create table b ();"),
        ]));
        // In name order, as the planner reads them.
        assert_eq!(names(&workspace), ["001 (2).sql", "001.sql"]);
        assert_eq!(outcome.renamed, [("001.sql".into(), "001 (2).sql".into())]);
        assert_eq!(&*workspace.files[0].text, "create table b ();");
        assert!(!workspace.is_example);
        assert_eq!(
            workspace.open_file().map(|f| f.name.as_str()),
            Some("001 (2).sql"),
            "the file the list shows first"
        );

        workspace.apply(Change::Add(vec![new_file(
            "002.sql",
            "select 1;\r\nselect 2;\rselect 3;",
        )]));
        assert_eq!(names(&workspace), ["001 (2).sql", "001.sql", "002.sql"]);
        // Lines end as the editor ends them, so lines are counted alike.
        assert_eq!(&*workspace.files[2].text, "select 1;\nselect 2;\nselect 3;");
        assert_eq!(workspace.free_name("untitled", "sql"), "untitled-1.sql");
    }

    #[test]
    fn a_folder_brought_in_opens_the_file_listed_first_or_arranged_first() {
        let folder = || {
            ["3_c.sql", "10_d.sql", "1_a.sql", "2_b.sql"]
                .map(|name| new_file(name, "select 1;"))
                .to_vec()
        };
        let mut workspace = Workspace::new(Vec::new(), false);
        workspace.apply(Change::Add(folder()));
        assert_eq!(
            names(&workspace),
            ["1_a.sql", "2_b.sql", "3_c.sql", "10_d.sql"]
        );
        assert_eq!(
            workspace.open_file().map(|f| f.name.as_str()),
            Some("1_a.sql")
        );

        workspace.arranged = true;
        workspace.apply(Change::Add(vec![
            new_file("0_z.sql", "select 2;"),
            new_file("0_y.sql", "select 3;"),
        ]));
        assert_eq!(
            workspace.open_file().map(|f| f.name.as_str()),
            Some("0_z.sql")
        );
    }

    #[test]
    fn the_files_zip_opens_as_the_same_files() {
        let workspace = Workspace::new(
            vec![
                new_file("supabase/migrations/1_a.sql", "create table a ();"),
                new_file("b.md", "# B\n```sql\nselect 1;\n```\n"),
            ],
            false,
        );
        let mut intake = crate::intake::Intake::default();
        intake.take(
            "files.zip",
            &workspace.to_zip(),
            preflight_core::intake::Brought::Chosen,
        );
        let reopened = Workspace::new(intake.files, false);
        assert_eq!(reopened.files, workspace.files);
    }

    /// Settings and roles chosen one after the other, each from the page as
    /// it was before either landed, all stay: a change names only what it
    /// changes.
    #[test]
    fn changes_made_from_an_older_view_lose_nothing() {
        let mut workspace = Workspace::new(
            vec![new_file("guide.md", "# A\n```sql\nselect 1;\n```\n")],
            false,
        );
        workspace.apply(Change::Lint(LintChange::ExposedSchemas(Some(vec![
            "public".into(),
            "api".into(),
        ]))));
        workspace.apply(Change::Lint(LintChange::RuleLevel {
            rule: "auth-rls-initplan".into(),
            level: Some(Level::Off),
        }));
        workspace.apply(Change::Lint(LintChange::Postgres(Some(14))));
        let lint = &workspace.lint;
        assert_eq!(
            lint.exposed_schemas.as_deref(),
            Some(&["public".to_string(), "api".to_string()][..])
        );
        assert_eq!(lint.rules.get("auth-rls-initplan"), Some(&Level::Off));
        assert_eq!(lint.postgres, Some(14));

        // Typed text, then a role chosen: the role is written on the text
        // as it is now.
        let id = workspace.files[0].id;
        workspace.apply(Change::Edit {
            id,
            text: "# A\n```sql\nselect 2;\n```\n".into(),
        });
        workspace.apply(Change::SetBlockRole {
            id,
            fence_line: 2,
            role: BlockRole::Verification,
        });
        assert_eq!(
            &*workspace.files[0].text,
            "# A\n```sql verification\nselect 2;\n```\n"
        );
    }

    #[test]
    fn rename_refuses_a_taken_or_empty_name() {
        let mut workspace =
            Workspace::new(vec![new_file("a.sql", ""), new_file("b.sql", "")], false);
        let outcome = workspace.apply(Change::Rename {
            id: 1,
            name: "a.sql".into(),
        });
        assert_eq!(
            outcome.refused.as_deref(),
            Some("a.sql is already the name of another file")
        );
        assert!(workspace
            .apply(Change::Rename {
                id: 1,
                name: " ".into()
            })
            .refused
            .is_some());
        assert_eq!(
            workspace.apply(Change::Rename {
                id: 1,
                name: "c.sql".into()
            }),
            Outcome::default()
        );
        assert_eq!(names(&workspace), ["a.sql", "c.sql"]);
    }

    #[test]
    fn baselines_are_given_apart_and_removing_the_open_file_opens_its_neighbour() {
        let mut workspace = Workspace::new(
            vec![
                new_file("schema.sql", "s"),
                new_file("1.sql", "a"),
                new_file("2.sql", "b"),
            ],
            false,
        );
        workspace.apply(Change::SetRole {
            id: 0,
            role: Role::Baseline,
        });
        let (planned, baseline) = workspace.sources();
        assert_eq!(
            planned.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            ["1.sql", "2.sql"]
        );
        assert_eq!(baseline[0].name, "schema.sql");

        workspace.apply(Change::Open(1));
        workspace.apply(Change::Remove(1));
        assert_eq!(
            workspace.open_file().map(|f| f.name.as_str()),
            Some("2.sql")
        );
        workspace.apply(Change::Remove(2));
        workspace.apply(Change::Remove(0));
        assert_eq!(workspace.open, None);
    }

    #[test]
    fn files_keep_name_order_until_the_person_arranges_them() {
        let mut workspace = Workspace::new(
            vec![
                new_file("10_c.sql", ""),
                new_file("2_b.sql", ""),
                new_file("1_a.sql", ""),
            ],
            false,
        );
        assert_eq!(names(&workspace), ["1_a.sql", "2_b.sql", "10_c.sql"]);
        assert_eq!(workspace.options().order, FileOrder::Names);
        workspace.apply(Change::Move { id: 0, by: -2 });
        assert_eq!(names(&workspace), ["10_c.sql", "1_a.sql", "2_b.sql"]);
        assert_eq!(workspace.options().order, FileOrder::Given);
        workspace.apply(Change::Add(vec![new_file("0_z.sql", "")]));
        assert_eq!(
            names(&workspace),
            ["10_c.sql", "1_a.sql", "2_b.sql", "0_z.sql"]
        );
        workspace.apply(Change::SetEnvironment(Environment::Postgres));
        assert_eq!(workspace.options().environment, Environment::Postgres);
        workspace.apply(Change::SortByName);
        assert_eq!(
            names(&workspace),
            ["0_z.sql", "1_a.sql", "2_b.sql", "10_c.sql"]
        );
        assert_eq!(workspace.options().order, FileOrder::Names);
    }
}
