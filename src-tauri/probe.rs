//! "Find which one": after a refusal that names no scope, one token request per scope (on
//! that click only), through the engine's `probe`. The tokens it gets are thrown away.

use tauri::State;
use token_desk_core::form::TokenForm;
use token_desk_core::probe::{self, Probe};

use crate::state::AppState;
use crate::view::ErrorView;

/// Asks for each scope of the form on its own and names the ones the server refuses.
#[tauri::command]
pub async fn find_refused_scope(state: State<'_, AppState>, form: TokenForm) -> Result<Probe, ErrorView> {
    let request = state.request_for(&form)?.request;
    Ok(probe::find_refused(state.engine().http(), &request, state.engine().clock()).await?)
}
