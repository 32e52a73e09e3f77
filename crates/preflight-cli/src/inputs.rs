//! Reads the paths given on the command line into sources.
use std::fmt;
use std::path::{Path, PathBuf};

use preflight_core::analysis::source::Source;
use preflight_core::decode::{decode, Decoded};
use preflight_core::intake::{kind, Brought, Kind};

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

/// Files are read as given; folders are searched recursively for `.sql`
/// files (skipping `node_modules/` and hidden folders), in name order.
/// Text that is not UTF-8 is read as Windows-1252 and a file that is not
/// text is left out, each with a line on standard error; the other files
/// are still read. A path that cannot be read stops the run.
pub fn read_sources(paths: &[PathBuf]) -> Result<Inputs, InputError> {
    let mut inputs = Inputs::default();
    for path in paths {
        let files = match path.is_dir() {
            true => sql_files_under(path)?,
            false => vec![path.clone()],
        };
        for file in files {
            read_file(&file, &mut inputs)?;
        }
    }
    Ok(inputs)
}

fn read_file(path: &Path, inputs: &mut Inputs) -> Result<(), InputError> {
    let bytes = std::fs::read(path).map_err(|error| input_error(path, error.to_string()))?;
    match decode(&bytes) {
        Decoded::Text { text, note } => {
            if let Some(note) = note {
                eprintln!("{}: {note}", path.display());
                inputs.with_problems = true;
            }
            inputs
                .sources
                .push(Source::new(path.display().to_string(), text));
        }
        Decoded::Refused(why) => {
            eprintln!("{}: {why}; left out", path.display());
            inputs.with_problems = true;
        }
    }
    Ok(())
}

fn sql_files_under(folder: &Path) -> Result<Vec<PathBuf>, InputError> {
    let mut files = Vec::new();
    let entries =
        std::fs::read_dir(folder).map_err(|error| input_error(folder, error.to_string()))?;
    for entry in entries {
        let path = entry
            .map_err(|error| input_error(folder, error.to_string()))?
            .path();
        let relative = path.strip_prefix(folder).unwrap_or(&path);
        let relative = relative.to_string_lossy();
        if path.is_dir() {
            if !matches!(
                kind(&format!("{relative}/x.sql"), Brought::InFolder),
                Kind::Skipped(_)
            ) {
                files.extend(sql_files_under(&path)?);
            }
        } else if kind(&relative, Brought::InFolder) == Kind::Sql {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn input_error(path: &Path, reason: String) -> InputError {
    InputError {
        path: path.to_path_buf(),
        reason,
    }
}
