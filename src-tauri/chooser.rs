//! The system's file chooser, awaited: one place for the three commands that ask for a file.

use std::path::PathBuf;

use tauri::{Runtime, Window};
use tauri_plugin_dialog::DialogExt;

/// Whether the user picks an existing file, names a file to write, or picks a folder.
pub enum Purpose {
    Open,
    /// Save, suggesting this file name.
    Save(&'static str),
    /// A folder to write into (`extension` is then ignored).
    Folder,
}

/// Shows the chooser over `window`, starting in the home folder, limited to `extension`
/// (described as `kind`); `None` when the user cancels.
pub async fn choose_file<R: Runtime>(
    window: &Window<R>,
    title: &str,
    kind: &str,
    extension: &str,
    purpose: Purpose,
) -> Option<PathBuf> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut chooser = window.dialog().file().set_parent(window).set_title(title);
    if !matches!(purpose, Purpose::Folder) {
        chooser = chooser.add_filter(kind, &[extension]);
    }
    if let Some(home) = std::env::var_os("HOME") {
        chooser = chooser.set_directory(home);
    }
    let done = move |picked| {
        let _ = tx.send(picked);
    };
    match purpose {
        Purpose::Open => chooser.pick_file(done),
        Purpose::Save(name) => chooser.set_file_name(name).save_file(done),
        Purpose::Folder => chooser.pick_folder(done),
    }
    rx.await.ok().flatten().and_then(|p: tauri_plugin_dialog::FilePath| p.into_path().ok())
}
