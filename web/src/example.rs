//! The migration set the app opens with (also in `examples/team-notes/`).
use crate::workspace::{NewFile, Role, Workspace};

const FILES: [(&str, &str); 4] = [
    (
        "001_profiles.sql",
        include_str!("../../examples/team-notes/001_profiles.sql"),
    ),
    (
        "002_notes.sql",
        include_str!("../../examples/team-notes/002_notes.sql"),
    ),
    (
        "003_roles.sql",
        include_str!("../../examples/team-notes/003_roles.sql"),
    ),
    (
        "004_realtime.sql",
        include_str!("../../examples/team-notes/004_realtime.sql"),
    ),
];

pub fn workspace() -> Workspace {
    let files = FILES
        .iter()
        .map(|(name, text)| NewFile {
            name: name.to_string(),
            text: text.to_string(),
            role: Role::Migration,
            note: None,
        })
        .collect();
    Workspace::new(files, true)
}
