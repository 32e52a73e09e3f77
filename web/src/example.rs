//! The migration set the app opens with (also in `examples/team-notes/`).
use preflight_core::source::Source;

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

pub fn sources() -> Vec<Source> {
    FILES
        .iter()
        .map(|(name, text)| Source::new(*name, *text))
        .collect()
}
