//! *Save as Postman collection / Bruno collection / .http file* in the window's *Code for
//! integrators*: a thin command over the engine's `collection`. The page sends the form's
//! settings (there is no field for a secret) and never names a path: the backend's chooser
//! asks where to save.

use std::path::PathBuf;

use serde::Serialize;
use tauri::{Runtime, Window};
use token_desk_core::collection::{self, Format};
use token_desk_core::snippet::Flow;
use token_desk_core::Failure;

use crate::chooser::{choose_file, Purpose};
use crate::tester::SnippetForm;
use crate::view::ErrorView;

/// Where the collection went and how to run it.
#[derive(Debug, Serialize)]
pub struct SavedView {
    pub path: String,
    pub label: &'static str,
    pub run: String,
}

/// Makes the collection from the form's settings and saves it where the user chooses.
/// `path` is for tests only. `None` when the user cancelled.
#[tauri::command]
pub async fn save_collection<R: Runtime>(
    window: Window<R>,
    settings: SnippetForm,
    format: Format,
    flow: Flow,
    path: Option<String>,
) -> Result<Option<SavedView>, ErrorView> {
    let bad = |e: collection::CollectionError| ErrorView::from(Failure::bad_input(e.to_string()));
    let made = collection::make(format, &settings.settings(flow)).map_err(bad)?;
    let Some((path, force)) = destination(&window, format, path).await else { return Ok(None) };
    collection::save(&made, &path, force).map_err(bad)?;
    let shown = path.display().to_string();
    Ok(Some(SavedView { run: format.run_command(flow).replace("THIS", &shown), path: shown, label: format.label() }))
}

/// Where to save, and whether what is there may be replaced: a file named in the chooser may
/// (the chooser asked before accepting an existing name); a Bruno collection goes into a new
/// `stitch-client-token` folder in the folder chosen, and never replaces one.
async fn destination<R: Runtime>(window: &Window<R>, format: Format, path: Option<String>) -> Option<(PathBuf, bool)> {
    if let Some(p) = path {
        return Some((PathBuf::from(p), false));
    }
    match format.extension() {
        Some(ext) => {
            let title = format!("Save as {}", format.label());
            let purpose = Purpose::Save(format.suggested_name());
            choose_file(window, &title, format.label(), ext, purpose).await.map(|p| (p, true))
        }
        None => choose_file(window, "Folder to put the Bruno collection in", "", "", Purpose::Folder)
            .await
            .map(|p| (p.join(format.suggested_name()), false)),
    }
}
