//! Share links: the whole workspace in the URL's fragment (`#w=...`),
//! which browsers never send to a server.
use flate2::Compression;

use crate::pack::{pack, unpack};
use crate::workspace::Workspace;

const PREFIX: &str = "#w=";

/// Chromium's limit on a URL's length; other tools cut links far earlier.
pub const MAX_LINK: usize = 2_000_000;

/// The link to this page with `workspace` in its fragment, or why it
/// cannot be one.
pub fn link(page: &str, workspace: &Workspace) -> Result<String, String> {
    let base = page.split('#').next().unwrap_or(page);
    let link = format!("{base}{PREFIX}{}", pack(workspace, Compression::best()));
    if link.len() > MAX_LINK {
        return Err(format!(
            "the workspace makes a link of {:.1} MB, more than a browser takes ({:.1} MB); download the files as a zip and send that instead",
            link.len() as f64 / 1_000_000.0,
            MAX_LINK as f64 / 1_000_000.0
        ));
    }
    Ok(link)
}

/// The workspace in a URL fragment, if it holds one.
pub fn from_fragment(fragment: &str) -> Option<Result<Workspace, String>> {
    let packed = fragment.strip_prefix(PREFIX)?;
    Some(unpack(packed).map_err(|why| format!("This share link cannot be opened: {why}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::{NewFile, Role};

    #[test]
    fn a_link_carries_the_workspace_in_its_fragment() {
        let workspace = Workspace::new(
            vec![NewFile {
                name: "1.sql".into(),
                text: "select 1;".into(),
                role: Role::Migration,
                note: None,
            }],
            false,
        );
        let link = link("http://127.0.0.1:8080/?x#old", &workspace).unwrap();
        let (page, fragment) = link.split_once('#').unwrap();
        assert_eq!(page, "http://127.0.0.1:8080/?x");
        assert_eq!(from_fragment(&format!("#{fragment}")), Some(Ok(workspace)));
        assert_eq!(from_fragment("#section-2"), None);
        assert!(from_fragment("#w=AAAA").unwrap().is_err());
    }
}
