//! *Save as Postman collection / Bruno collection / .http file* in the window's *Code for
//! integrators*: a thin command over the engine's `collection`. The page sends the form's
//! settings (there is no field for a secret) and never names a path: the backend's chooser
//! asks where to save.

use std::path::PathBuf;

use serde::Serialize;
use tauri::{Runtime, State, Window};
use token_desk_core::collection::{self, Format};
use token_desk_core::form::TokenForm;
use token_desk_core::snippet::Flow;
use token_desk_core::Failure;

use crate::chooser::{Ask, Chooser, Purpose};
use crate::state::AppState;
use crate::view::ErrorView;

/// Where the collection went and how to run it.
#[derive(Debug, Serialize)]
pub struct SavedView {
    pub path: String,
    pub label: &'static str,
    pub run: String,
}

/// Makes the collection from the form's settings and saves it where the user chooses in the
/// backend's chooser (the page names no path). `None` when the user cancelled.
#[tauri::command]
pub async fn save_collection<R: Runtime>(
    window: Window<R>,
    state: State<'_, AppState>,
    settings: TokenForm,
    format: Format,
    flow: Flow,
) -> Result<Option<SavedView>, ErrorView> {
    let bad = |e: collection::CollectionError| ErrorView::from(Failure::bad_input(e.to_string()));
    let made = collection::make(format, &settings.snippet_settings(flow)).map_err(bad)?;
    let Some((path, force)) = destination(&window, &state.chooser, format).await else { return Ok(None) };
    collection::save(&made, &path, force).map_err(bad)?;
    let shown = path.display().to_string();
    Ok(Some(SavedView { run: format.run_command(flow).replace("THIS", &shown), path: shown, label: format.label() }))
}

/// Where to save, and whether what is there may be replaced: a file named in the chooser may
/// (the chooser asked before accepting an existing name); a Bruno collection goes into a new
/// `stitch-client-token` folder in the folder chosen, and never replaces one.
async fn destination<R: Runtime>(window: &Window<R>, chooser: &Chooser, format: Format) -> Option<(PathBuf, bool)> {
    match format.extension() {
        Some(extension) => {
            let title = format!("Save as {}", format.label());
            let ask =
                Ask { title: &title, kind: format.label(), extension, purpose: Purpose::Save(format.suggested_name()) };
            chooser.choose(window, ask).await.map(|p| (p, true))
        }
        None => {
            let ask = Ask {
                title: "Folder to put the Bruno collection in",
                kind: "",
                extension: "",
                purpose: Purpose::Folder,
            };
            chooser.choose(window, ask).await.map(|p| (p.join(format.suggested_name()), false))
        }
    }
}
