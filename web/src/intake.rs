//! Turns what a person brings (files chosen, a folder, a drop, a zip) into
//! workspace files, and keeps the account of what was taken and what was
//! left out, and why. Reading the bytes is the browser's job
//! (`browser_files.rs`); deciding is done here.
use std::io::{Cursor, Read};

use preflight_core::decode::{decode, Decoded};
use preflight_core::intake::{
    has_sql_blocks, kind, looks_like_dump, Brought, Kind, Skip, MAX_FILE_BYTES,
};

use crate::workspace::{NewFile, Role};

/// What came of bringing files in.
#[derive(Debug, Default, PartialEq)]
pub struct Intake {
    pub files: Vec<NewFile>,
    /// Files left out: (path, why).
    pub skipped: Vec<(String, Skip)>,
}

impl Intake {
    pub fn skip(&mut self, path: &str, why: Skip) {
        self.skipped.push((path.to_string(), why));
    }

    /// Takes the file at `path` with these bytes, or says why not.
    pub fn take(&mut self, path: &str, bytes: &[u8], brought: Brought) {
        match kind(path, brought) {
            Kind::Skipped(why) => self.skip(path, why),
            Kind::Zip => self.open_zip(path, bytes),
            Kind::Sql | Kind::Markdown if bytes.len() as u64 > MAX_FILE_BYTES => {
                self.skip(path, Skip::TooLarge(bytes.len() as u64));
            }
            Kind::Sql | Kind::Markdown => match decode(bytes) {
                Decoded::Refused(why) => self.skip(path, Skip::NotText(why)),
                Decoded::Text { text, .. }
                    if kind(path, brought) == Kind::Markdown && !has_sql_blocks(&text) =>
                {
                    self.skip(path, Skip::NoSqlBlocks);
                }
                Decoded::Text { text, note } => self.files.push(NewFile {
                    name: path.to_string(),
                    role: if looks_like_dump(&text) {
                        Role::Baseline
                    } else {
                        Role::Migration
                    },
                    text,
                    note,
                }),
            },
        }
    }

    /// Every file of the zip, as if its folder had been dropped (named by
    /// their paths inside it).
    fn open_zip(&mut self, path: &str, bytes: &[u8]) {
        let mut archive = match zip::ZipArchive::new(Cursor::new(bytes)) {
            Ok(archive) => archive,
            Err(error) => {
                let why = format!("not a zip archive Preflight can open ({error})");
                return self.skip(path, Skip::NotText(why));
            }
        };
        for index in 0..archive.len() {
            let mut entry = match archive.by_index(index) {
                Ok(entry) => entry,
                Err(error) => {
                    let why = format!("entry {} of the zip cannot be read ({error})", index + 1);
                    self.skip(path, Skip::NotText(why));
                    continue;
                }
            };
            if entry.is_dir() {
                continue;
            }
            let inner = match entry.name() {
                Ok(name) => name.into_owned(),
                Err(error) => {
                    let why = format!(
                        "entry {} of the zip has no usable name ({error})",
                        index + 1
                    );
                    self.skip(path, Skip::NotText(why));
                    continue;
                }
            };
            if let Kind::Skipped(why) = kind(&inner, Brought::InFolder) {
                self.skip(&inner, why);
                continue;
            }
            if entry.size() > MAX_FILE_BYTES {
                self.skip(&inner, Skip::TooLarge(entry.size()));
                continue;
            }
            // The header's size may lie: never unpack more than the limit.
            let mut content = Vec::new();
            let read = (&mut entry)
                .take(MAX_FILE_BYTES + 1)
                .read_to_end(&mut content);
            match read {
                Ok(_) => self.take(&inner, &content, Brought::InFolder),
                Err(error) => {
                    let why = format!("cannot be unpacked ({error})");
                    self.skip(&inner, Skip::NotText(why));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in files {
            writer
                .start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn taken(intake: &Intake) -> Vec<(&str, Role)> {
        intake
            .files
            .iter()
            .map(|f| (f.name.as_str(), f.role))
            .collect()
    }

    #[test]
    fn a_zip_is_opened_like_a_folder() {
        let zip = zip_of(&[
            (
                "repo-main/supabase/migrations/1_init.sql",
                b"create table a ();",
            ),
            ("repo-main/README.md", b"# Readme\n"),
            (
                "repo-main/docs/runbook.md",
                b"# Run\n```sql\nselect 1;\n```\n",
            ),
            ("repo-main/node_modules/x/y.sql", b"select 1;"),
            ("repo-main/logo.png", b"\x89PNG\r\n\x1a\n"),
        ]);
        let mut intake = Intake::default();
        intake.take("repo.zip", &zip, Brought::Chosen);
        assert_eq!(
            taken(&intake),
            [
                ("repo-main/supabase/migrations/1_init.sql", Role::Migration),
                ("repo-main/docs/runbook.md", Role::Migration),
            ]
        );
        let skipped: Vec<(&str, String)> = intake
            .skipped
            .iter()
            .map(|(path, why)| (path.as_str(), why.to_string()))
            .collect();
        assert_eq!(
            skipped,
            [
                (
                    "repo-main/README.md",
                    "a Markdown file without ```sql blocks".into()
                ),
                (
                    "repo-main/node_modules/x/y.sql",
                    "inside repo-main/node_modules/, which is skipped".into()
                ),
                ("repo-main/logo.png", "not SQL or Markdown".into()),
            ]
        );
    }

    #[test]
    fn bad_files_are_skipped_by_name_and_the_good_ones_kept() {
        let mut intake = Intake::default();
        intake.take("a.sql", b"create table a ();", Brought::Chosen);
        intake.take("picture.png", b"\x89PNG\r\n\x1a\n\0\0", Brought::Chosen);
        intake.take("broken.zip", b"PK\x03\x04 not really", Brought::Chosen);
        intake.take("latin.sql", b"-- caf\xe9\nselect 1;", Brought::Chosen);
        intake.take(
            "dump.sql",
            b"--\n-- PostgreSQL database dump\n--\n",
            Brought::Chosen,
        );
        intake.take("README.md", b"# Read me\n", Brought::Chosen);
        assert_eq!(
            taken(&intake),
            [
                ("a.sql", Role::Migration),
                ("latin.sql", Role::Migration),
                ("dump.sql", Role::Baseline)
            ]
        );
        assert_eq!(intake.files[1].text, "-- café\nselect 1;");
        assert!(intake.files[1]
            .note
            .as_deref()
            .unwrap()
            .contains("Windows-1252"));
        assert_eq!(
            intake.skipped[0],
            (
                "picture.png".into(),
                Skip::NotText("not text: a PNG image".into())
            )
        );
        assert_eq!(intake.skipped[1].0, "broken.zip");
        assert_eq!(intake.skipped[2], ("README.md".into(), Skip::NoSqlBlocks));
    }

    #[test]
    fn files_over_the_limit_are_refused_with_their_size() {
        let mut intake = Intake::default();
        let big = vec![b' '; MAX_FILE_BYTES as usize + 1];
        intake.take("big.sql", &big, Brought::Chosen);
        assert!(intake.files.is_empty());
        assert!(intake.skipped[0]
            .1
            .to_string()
            .starts_with("5.0 MB is over the limit of 5.0 MB a file"));
    }
}

/// Fuzzing the import: whatever names and bytes a folder, a drop or a zip
/// holds, nothing panics and every file is taken or skipped with a reason.
#[cfg(test)]
mod fuzz {
    use std::io::Write;

    use proptest::prelude::*;

    use super::*;

    const FOLDERS: &[&str] = &[
        "",
        "supabase/migrations/",
        "node_modules/x/",
        ".git/",
        "docs/",
        "a/b/",
    ];
    const NAMES: &[&str] = &[
        "001_init.sql",
        "002 notes.SQL",
        "runbook.md",
        "notes.txt",
        "logo.png",
        "dump.psql",
        "more.zip",
        ".hidden.sql",
        "é.sql",
        "",
        "/",
        "../up.sql",
    ];

    fn contents() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            any::<Vec<u8>>(),
            Just(b"create table t (id int);".to_vec()),
            Just(b"# Runbook\n```sql\nselect 1;\n```\n".to_vec()),
            Just(b"-- PostgreSQL database dump\nSET statement_timeout = 0;\n".to_vec()),
            Just(b"\xef\xbb\xbfselect 1;".to_vec()),
            Just(b"\xff\xfes\0e\0l\0".to_vec()),
            Just(b"\x89PNG\r\n\x1a\n".to_vec()),
        ]
    }

    fn entries() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
        let name = (prop::sample::select(FOLDERS), prop::sample::select(NAMES))
            .prop_map(|(folder, name)| format!("{folder}{name}"));
        prop::collection::vec((name, contents()), 0..8)
    }

    fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            if writer
                .start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .is_ok()
            {
                writer.write_all(bytes).expect("in memory");
            }
        }
        writer.finish().expect("in memory").into_inner()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn every_file_of_a_folder_is_taken_or_skipped(entries in entries()) {
            let mut intake = Intake::default();
            for (path, bytes) in &entries {
                if !path.ends_with(".zip") {
                    intake.take(path, bytes, Brought::InFolder);
                }
            }
            let accounted = intake.files.len() + intake.skipped.len();
            let brought = entries.iter().filter(|(path, _)| !path.ends_with(".zip")).count();
            prop_assert_eq!(accounted, brought);
        }

        #[test]
        fn a_zip_whole_or_damaged_never_panics(
            entries in entries(),
            damage in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
            cut in any::<prop::sample::Index>(),
            truncate in any::<bool>(),
        ) {
            let mut bytes = zip_of(&entries);
            for (at, byte) in damage {
                if !bytes.is_empty() {
                    let at = at.index(bytes.len());
                    bytes[at] = byte;
                }
            }
            if truncate && !bytes.is_empty() {
                bytes.truncate(cut.index(bytes.len()));
            }
            let mut intake = Intake::default();
            intake.take("upload.zip", &bytes, Brought::Chosen);
            prop_assert!(intake.files.iter().all(|f| f.text.len() as u64 <= 4 * MAX_FILE_BYTES));
        }

        #[test]
        fn a_share_link_of_any_text_never_panics(fragment in "(#w=)?[A-Za-z0-9_-]{0,64}|.{0,64}") {
            let _ = crate::share::from_fragment(&fragment);
        }
    }
}
