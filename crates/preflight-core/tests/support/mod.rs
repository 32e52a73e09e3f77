//! Shared by the tests that run plans on a real PostgreSQL server.
#![allow(dead_code)] // each test file uses its own part

use std::path::{Path, PathBuf};

use pg_sandbox::PgServer;
use preflight_core::environment::supabase_sources;
use preflight_core::source::Source;

/// A server with the cluster-wide Supabase roles created once.
pub fn supabase_server() -> PgServer {
    let server = PgServer::start().unwrap_or_else(|error| panic!("{error}"));
    let roles = &supabase_sources()[0];
    server
        .apply("postgres", &roles.text)
        .unwrap_or_else(|error| panic!("roles.sql: {error}"));
    server
}

/// A fresh database with the Supabase environment loaded.
pub fn supabase_database(server: &PgServer, name: &str) {
    server
        .create_database(name)
        .unwrap_or_else(|error| panic!("{error}"));
    let environment = &supabase_sources()[1];
    server
        .apply(name, &environment.text)
        .unwrap_or_else(|error| panic!("environment.sql: {error}"));
}

/// The SQL files of a folder, sorted by name.
pub fn read_folder(folder: &Path) -> Vec<Source> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
        .map(|entry| entry.expect("readable folder").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let name = path
                .file_name()
                .expect("a file")
                .to_string_lossy()
                .into_owned();
            Source::new(name, std::fs::read_to_string(path).expect("UTF-8 SQL"))
        })
        .collect()
}

/// `sources` in a random order that is the same on every run for `seed`.
pub fn shuffled(sources: &[Source], seed: u64) -> Vec<Source> {
    let mut shuffled = sources.to_vec();
    fastrand::Rng::with_seed(seed).shuffle(&mut shuffled);
    shuffled
}

/// `sources` shuffled and renamed to random letters, so that names carry no
/// order.
pub fn renamed(sources: &[Source], seed: u64) -> Vec<Source> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut renamed = shuffled(sources, seed);
    for source in &mut renamed {
        let name: String = (0..10).map(|_| rng.lowercase()).collect();
        source.name = format!("{name}.sql");
    }
    renamed
}
