//! The workspace as compact text for the browser's storage and for share
//! links: JSON, deflated, in URL-safe base64.
use std::io::{Read, Write};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Unpacked text larger than this is refused: a link cannot make the page
/// allocate without bound.
const MAX_UNPACKED: u64 = 256 * 1024 * 1024;

pub fn pack<T: Serialize>(value: &T, compression: Compression) -> String {
    let json = serde_json::to_vec(value).expect("workspaces serialize");
    let mut encoder = DeflateEncoder::new(Vec::new(), compression);
    encoder.write_all(&json).expect("writing to memory");
    URL_SAFE_NO_PAD.encode(encoder.finish().expect("writing to memory"))
}

pub fn unpack<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let deflated = URL_SAFE_NO_PAD
        .decode(text.trim())
        .map_err(|error| format!("it is damaged ({error}); was the link cut short?"))?;
    let mut json = Vec::new();
    DeflateDecoder::new(deflated.as_slice())
        .take(MAX_UNPACKED)
        .read_to_end(&mut json)
        .map_err(|error| format!("it is damaged ({error}); was the link cut short?"))?;
    serde_json::from_slice(&json)
        .map_err(|error| format!("it is damaged ({error}); was the link cut short?"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::{NewFile, Role, Workspace};

    #[test]
    fn a_workspace_survives_packing_and_a_damaged_one_is_refused() {
        let workspace = Workspace::new(
            vec![NewFile {
                name: "001_init.sql".into(),
                text: "create table t (name text default 'ünïcode');\n".repeat(200),
                role: Role::Baseline,
                note: Some("read as Windows-1252".into()),
            }],
            false,
        );
        let packed = pack(&workspace, Compression::best());
        assert!(packed.len() < 400, "{} characters", packed.len());
        assert!(packed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(unpack::<Workspace>(&packed), Ok(workspace));
        let cut = &packed[..packed.len() / 2];
        assert!(unpack::<Workspace>(cut).unwrap_err().contains("damaged"));
        assert!(unpack::<Workspace>("not base64!").is_err());
    }
}
