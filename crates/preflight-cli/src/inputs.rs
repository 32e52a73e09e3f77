//! Reads the paths given on the command line into sources.
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use preflight_core::analysis::source::Source;
use preflight_core::decode::{decode, Decoded};
use preflight_core::intake::{has_sql_blocks, kind, skipped_folder, Brought, Kind};

#[derive(Debug)]
pub struct InputError {
    path: PathBuf,
    reason: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read {}: {}", self.path.display(), self.reason)
    }
}

/// The sources read, and whether every file was read as it is.
#[derive(Debug, Default)]
pub struct Inputs {
    pub sources: Vec<Source>,
    /// A file was left out (not text) or read as Windows-1252; each was
    /// named on standard error, and the run exits 1.
    pub with_problems: bool,
}

/// The name standard input's text goes by, in every `file:line`.
pub const STDIN: &str = "<stdin>";

/// Files are read as given (`-` is standard input, read once); folders are
/// searched recursively for `.sql` files (skipping `node_modules/` and
/// hidden folders), in name order. A Markdown runbook inside a folder is
/// named on standard error and left out: its SQL most often repeats the
/// folder's files; named by itself it is planned. A folder without SQL
/// files stops the run, so that a wrong path is never a clean plan of
/// nothing. Text that is not UTF-8 is read as Windows-1252 and a file that
/// is not text is left out, each with a line on standard error; the other
/// files are still read. A path that cannot be read stops the run.
pub fn read_sources(paths: &[PathBuf]) -> Result<Inputs, InputError> {
    let mut inputs = Inputs::default();
    // A runbook named beside its folder is planned, so not "left out".
    let named: Vec<PathBuf> = (paths.iter())
        .filter(|path| path.is_file())
        .filter_map(|path| path.canonicalize().ok())
        .collect();
    for path in paths {
        if path.as_os_str() == "-" {
            let bytes = read_stdin().map_err(|reason| input_error(path, reason))?;
            take(STDIN, &bytes, &mut inputs);
            continue;
        }
        let files = match path.is_dir() {
            true => sql_files_in(path, &named)?,
            false => vec![path.clone()],
        };
        for file in files {
            read_file(&file, &mut inputs)?;
        }
    }
    Ok(inputs)
}

/// The SQL files under `folder`, after saying which runbooks are left out
/// (unless they are among the `named` paths).
fn sql_files_in(folder: &Path, named: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut found = Found::default();
    found.walk(folder, folder)?;
    let runbooks: Vec<String> = (found.markdown.iter())
        .filter(|path| std::fs::read_to_string(path).is_ok_and(|text| has_sql_blocks(&text)))
        .filter(|path| !path.canonicalize().is_ok_and(|path| named.contains(&path)))
        .map(|path| path.display().to_string())
        .collect();
    if found.sql.is_empty() {
        let reason = match runbooks.as_slice() {
            [] => "it holds no .sql file".to_string(),
            named => format!(
                "it holds no .sql file; to plan its Markdown runbook, name it: preflight plan {}",
                named.join(" ")
            ),
        };
        return Err(input_error(folder, reason));
    }
    for runbook in runbooks {
        eprintln!("{runbook}: a Markdown runbook in a folder is left out; name it to plan it");
    }
    Ok(found.sql)
}

/// What a folder holds, in name order.
#[derive(Default)]
struct Found {
    sql: Vec<PathBuf>,
    markdown: Vec<PathBuf>,
}

impl Found {
    fn walk(&mut self, root: &Path, folder: &Path) -> Result<(), InputError> {
        let entries =
            std::fs::read_dir(folder).map_err(|error| input_error(folder, error.to_string()))?;
        let mut paths = Vec::new();
        for entry in entries {
            paths.push(
                entry
                    .map_err(|error| input_error(folder, error.to_string()))?
                    .path(),
            );
        }
        paths.sort();
        for path in paths {
            let relative = path.strip_prefix(root).unwrap_or(&path).to_string_lossy();
            if path.is_dir() {
                let folders: Vec<&str> = relative.split(['/', '\\']).collect();
                if skipped_folder(&folders).is_none() {
                    self.walk(root, &path)?;
                }
                continue;
            }
            match kind(&relative, Brought::InFolder) {
                Kind::Sql => self.sql.push(path),
                Kind::Markdown => self.markdown.push(path),
                _ => {}
            }
        }
        Ok(())
    }
}

fn read_stdin() -> Result<Vec<u8>, String> {
    static READ: AtomicBool = AtomicBool::new(false);
    if READ.swap(true, Ordering::SeqCst) {
        return Err("standard input is read once: give `-` one time".into());
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|error| error.to_string())?;
    Ok(bytes)
}

fn read_file(path: &Path, inputs: &mut Inputs) -> Result<(), InputError> {
    let bytes = std::fs::read(path).map_err(|error| input_error(path, error.to_string()))?;
    take(&path.display().to_string(), &bytes, inputs);
    Ok(())
}

/// Takes the text of `name`, or says on standard error why not.
fn take(name: &str, bytes: &[u8], inputs: &mut Inputs) {
    match decode(bytes) {
        Decoded::Text { text, note } => {
            if let Some(note) = note {
                eprintln!("{name}: {note}");
                inputs.with_problems = true;
            }
            inputs.sources.push(Source::new(name, text));
        }
        Decoded::Refused(why) => {
            eprintln!("{name}: {why}; left out");
            inputs.with_problems = true;
        }
    }
}

fn input_error(path: &Path, reason: String) -> InputError {
    InputError {
        path: path.to_path_buf(),
        reason,
    }
}
