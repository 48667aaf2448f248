//! The code for integrators: the engine's `snippet` for the form's settings, four languages
//! and both flows. Snippets read the secret from an environment variable, never hold it.

use serde::Serialize;
use tauri::State;
use token_desk_core::form::TokenForm;
use token_desk_core::snippet::{self, Flow, Lang};

use crate::presenter::Presenter;
use crate::state::AppState;
use crate::view::{CopiedView, ErrorView};

/// One snippet.
#[derive(Debug, Serialize)]
pub struct SnippetView {
    pub lang: Lang,
    pub label: &'static str,
    pub flow: Flow,
    pub code: String,
}

/// All eight snippets (four languages, both flows) from the form's settings; in presenter
/// mode the client id in them is shortened (Copy code still copies the code in full).
#[tauri::command]
pub fn snippets(settings: TokenForm, presenter: State<'_, Presenter>) -> Vec<SnippetView> {
    settings
        .flows()
        .into_iter()
        .flat_map(|flow| {
            let s = settings.snippet_settings(flow);
            Lang::ALL.map(|lang| {
                let code = presenter.text(snippet::snippet(lang, &s), &s.client_id);
                SnippetView { lang, label: lang.label(), flow, code }
            })
        })
        .collect()
}

/// Copies one snippet, made again from the settings (the page never hands over code to copy).
#[tauri::command]
pub fn copy_snippet(
    state: State<'_, AppState>,
    settings: TokenForm,
    lang: Lang,
    flow: Flow,
) -> Result<CopiedView, ErrorView> {
    state.copy_text(snippet::snippet(lang, &settings.snippet_settings(flow)))?;
    Ok(CopiedView { clear_after_seconds: crate::clipboard::seconds_shown(state.clear_after()) })
}
