//! Reads the paths given on the command line into sources.
use std::fmt;
use std::path::{Path, PathBuf};

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
/// files, in name order.
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
    let text = String::from_utf8(bytes)
        .map_err(|_| input_error(path, "not UTF-8 text; save the file as UTF-8".into()))?;
    Ok(Source::new(path.display().to_string(), text))
}

fn sql_files_under(folder: &Path) -> Result<Vec<PathBuf>, InputError> {
    let mut files = Vec::new();
    let entries =
        std::fs::read_dir(folder).map_err(|error| input_error(folder, error.to_string()))?;
    for entry in entries {
        let path = entry
            .map_err(|error| input_error(folder, error.to_string()))?
            .path();
        if path.is_dir() {
            files.extend(sql_files_under(&path)?);
        } else if path.extension().is_some_and(|ext| ext == "sql") {
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
