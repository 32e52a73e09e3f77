//! Keeps the workspace in the browser's local storage, packed, so a reload
//! or a closed tab loses nothing. Storage that is full or disabled is
//! reported, never fatal.
use std::cell::RefCell;

use flate2::Compression;
use gloo::storage::{LocalStorage, Storage};

use crate::pack::{pack, unpack};
use crate::workspace::Workspace;

const KEY: &str = "preflight.workspace.v1";

/// Whether the last save worked.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveState {
    /// The built-in example, untouched: nothing to keep yet.
    Example,
    Saved,
    Unsaved,
    /// Showing a shared workspace: the person's own is kept as it was.
    Paused,
    Failed(String),
}

thread_local! {
    /// The workspace as changed since it was last saved: kept outside the
    /// app's state so that a crash of the page can still save it.
    static UNSAVED: RefCell<Option<Workspace>> = const { RefCell::new(None) };
}

/// Remembers the workspace to save next (`None`: nothing to save).
pub fn remember(workspace: Option<Workspace>) {
    UNSAVED.with(|unsaved| {
        if let Ok(mut unsaved) = unsaved.try_borrow_mut() {
            *unsaved = workspace;
        }
    });
}

/// Saves the workspace remembered, if there is one.
pub fn save_remembered() -> Option<SaveState> {
    let workspace = UNSAVED.with(|unsaved| unsaved.try_borrow_mut().ok()?.take())?;
    Some(save(&workspace))
}

pub fn save(workspace: &Workspace) -> SaveState {
    let packed = pack(workspace, Compression::fast());
    match LocalStorage::raw().set_item(KEY, &packed) {
        Ok(()) => SaveState::Saved,
        Err(_) => SaveState::Failed(format!(
            "the browser refused to store {:.1} MB (storage full, or disabled in a private window); download the files to keep them",
            packed.len() as f64 / 1_048_576.0
        )),
    }
}

/// The saved workspace, if there is one; why it cannot be read otherwise.
pub fn restore() -> Result<Option<Workspace>, String> {
    let storage = web_sys::window()
        .and_then(|window| window.local_storage().ok().flatten())
        .ok_or(
            "the browser's storage is disabled for this page, so work is not kept across reloads",
        )?;
    match storage.get_item(KEY) {
        Ok(Some(packed)) => unpack(&packed)
            .map(Some)
            .map_err(|why| format!("the saved workspace could not be read: {why}")),
        _ => Ok(None),
    }
}
