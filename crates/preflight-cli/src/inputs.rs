//! Reads the paths given on the command line into sources.
use std::fmt;
use std::path::{Path, PathBuf};

use preflight_core::decode::{decode, Decoded};
use preflight_core::intake::{kind, Brought, Kind};
use preflight_core::source::Source;

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

/// Files are read as given; folders are searched recursively for `.sql`
/// files (skipping `node_modules/` and hidden folders), in name order.
/// Text that is not UTF-8 is read as Windows-1252, with a note on stderr.
pub fn read_sources(paths: &[PathBuf]) -> Result<Vec<Source>, InputError> {
    let mut sources = Vec::new();
    for path in paths {
        if path.is_dir() {
            for file in sql_files_under(path)? {
                sources.push(read_file(&file)?);
            }
        } else {
            sources.push(read_file(path)?);
        }
    }
    Ok(sources)
}

fn read_file(path: &Path) -> Result<Source, InputError> {
    let bytes = std::fs::read(path).map_err(|error| input_error(path, error.to_string()))?;
    match decode(&bytes) {
        Decoded::Text { text, note } => {
            if let Some(note) = note {
                eprintln!("{}: {note}", path.display());
            }
            Ok(Source::new(path.display().to_string(), text))
        }
        Decoded::Refused(why) => Err(input_error(path, why)),
    }
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
