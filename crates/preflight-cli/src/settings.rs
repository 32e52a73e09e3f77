//! Finds and reads `preflight.toml`, the project's lint settings.
use std::path::{Path, PathBuf};

use preflight_core::lint::Config;

const FILE_NAME: &str = "preflight.toml";

/// The settings of `explicit`, or of the first `preflight.toml` found in
/// the first path's folder or a folder above it, or in the current folder;
/// the defaults when there is none. Says on standard error which file it read.
pub fn read(explicit: Option<&Path>, paths: &[PathBuf]) -> Result<Config, String> {
    let Some(file) = explicit.map(Path::to_path_buf).or_else(|| find(paths)) else {
        return Ok(Config::default());
    };
    let text = std::fs::read_to_string(&file)
        .map_err(|error| format!("cannot read {}: {error}", file.display()))?;
    let config = toml::from_str::<Config>(&text)
        .map_err(|error| error.to_string())
        .and_then(Config::checked)
        .map_err(|error| format!("{}: {error}", file.display()))?;
    eprintln!("preflight: lint settings from {}", file.display());
    Ok(config)
}

fn find(paths: &[PathBuf]) -> Option<PathBuf> {
    let first = paths.first()?;
    let start = match first.is_dir() {
        true => first.clone(),
        false => first.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let start = std::path::absolute(&start).ok()?;
    let current = std::env::current_dir().ok();
    (start.ancestors().map(Path::to_path_buf))
        .chain(current)
        .map(|folder| folder.join(FILE_NAME))
        .find(|file| file.is_file())
}
