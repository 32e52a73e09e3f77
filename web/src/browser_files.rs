//! Reads what the browser hands over (a file input's list, a folder input,
//! a drop of files and folders) into an [`Intake`]. Folders that are
//! skipped anyway are not walked, and files too large are not read.
use preflight_core::intake::{kind, Brought, Kind, Skip, MAX_FILE_BYTES};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DataTransfer, File, FileList, FileSystemDirectoryEntry, FileSystemEntry, FileSystemFileEntry,
};

use crate::intake::Intake;

/// A file the browser gave, with its path relative to what was brought.
struct Item {
    path: String,
    file: File,
    brought: Brought,
}

/// Every file of a file input: chosen one by one, or a folder's tree (a
/// folder input gives each file its relative path).
pub async fn read_file_list(list: FileList) -> Intake {
    let items = (0..list.length())
        .filter_map(|index| list.get(index))
        .map(|file| {
            let relative = js_sys::Reflect::get(&file, &"webkitRelativePath".into())
                .ok()
                .and_then(|path| path.as_string())
                .filter(|path| !path.is_empty());
            match relative {
                Some(path) => Item {
                    path,
                    file,
                    brought: Brought::InFolder,
                },
                None => Item {
                    path: file.name(),
                    file,
                    brought: Brought::Chosen,
                },
            }
        })
        .collect();
    read_items(items, Intake::default()).await
}

/// The entries of a drop, taken while the drop event lasts (the browser
/// forgets them afterwards).
pub fn dropped_entries(transfer: &DataTransfer) -> Vec<FileSystemEntry> {
    let items = transfer.items();
    (0..items.length())
        .filter_map(|index| items.get(index))
        .filter_map(|item| item.webkit_get_as_entry().ok().flatten())
        .collect()
}

/// Every file under the dropped entries; folders are walked.
pub async fn read_dropped(entries: Vec<FileSystemEntry>) -> Intake {
    let mut intake = Intake::default();
    let mut items = Vec::new();
    let mut folders: Vec<FileSystemDirectoryEntry> = Vec::new();
    for entry in entries {
        if entry.is_directory() {
            folders.push(entry.unchecked_into());
        } else {
            push_file(
                &mut items,
                &mut intake,
                entry.unchecked_into(),
                Brought::Chosen,
            )
            .await;
        }
    }
    while let Some(folder) = folders.pop() {
        let path = relative_path(&folder);
        if let Kind::Skipped(why @ Skip::Folder(_)) = kind(&format!("{path}/x"), Brought::InFolder)
        {
            intake.skip(&format!("{path}/"), why);
            continue;
        }
        match folder_entries(&folder).await {
            Ok(children) => {
                for child in children {
                    if child.is_directory() {
                        folders.push(child.unchecked_into());
                    } else {
                        let file = child.unchecked_into();
                        push_file(&mut items, &mut intake, file, Brought::InFolder).await;
                    }
                }
            }
            Err(why) => intake.skip(&format!("{path}/"), Skip::NotText(why)),
        }
    }
    items.sort_by(|a, b| a.path.cmp(&b.path));
    read_items(items, intake).await
}

async fn push_file(
    items: &mut Vec<Item>,
    intake: &mut Intake,
    entry: FileSystemFileEntry,
    brought: Brought,
) {
    let path = relative_path(&entry);
    match file_of(&entry).await {
        Ok(file) => items.push(Item {
            path,
            file,
            brought,
        }),
        Err(why) => intake.skip(&path, Skip::NotText(why)),
    }
}

/// The entry's path without the leading `/` of the drop's root.
fn relative_path(entry: &FileSystemEntry) -> String {
    entry.full_path().trim_start_matches('/').to_string()
}

async fn read_items(items: Vec<Item>, mut intake: Intake) -> Intake {
    for item in items {
        // Decided by name and size before a byte is read.
        if let Kind::Skipped(why) = kind(&item.path, item.brought) {
            intake.skip(&item.path, why);
            continue;
        }
        let size = item.file.size() as u64;
        if size > MAX_FILE_BYTES && kind(&item.path, item.brought) != Kind::Zip {
            intake.skip(&item.path, Skip::TooLarge(size));
            continue;
        }
        match bytes_of(&item.file).await {
            Ok(bytes) => intake.take(&item.path, &bytes, item.brought),
            Err(why) => intake.skip(&item.path, Skip::NotText(why)),
        }
    }
    intake
}

async fn bytes_of(file: &File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|error| format!("the browser could not read it ({error:?})"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

async fn file_of(entry: &FileSystemFileEntry) -> Result<File, String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        entry.file_with_callback_and_callback(&resolve, &reject);
    });
    JsFuture::from(promise)
        .await
        .map(JsCast::unchecked_into)
        .map_err(|error| format!("the browser could not open it ({error:?})"))
}

/// All entries of a folder: the reader gives them in batches until an
/// empty one.
async fn folder_entries(folder: &FileSystemDirectoryEntry) -> Result<Vec<FileSystemEntry>, String> {
    let reader = folder.create_reader();
    let mut entries = Vec::new();
    loop {
        let promise = js_sys::Promise::new(&mut |resolve, reject| {
            if let Err(error) = reader.read_entries_with_callback_and_callback(&resolve, &reject) {
                let _ = reject.call1(&JsValue::NULL, &error);
            }
        });
        let batch: js_sys::Array = JsFuture::from(promise)
            .await
            .map_err(|error| format!("the browser could not list the folder ({error:?})"))?
            .unchecked_into();
        if batch.length() == 0 {
            return Ok(entries);
        }
        entries.extend(batch.iter().map(JsCast::unchecked_into));
    }
}
