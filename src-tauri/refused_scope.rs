//! "Find which one": after a refusal that names no scope, one token request per scope (on
//! that click only), through the engine's `refused_scope`. The tokens it gets are thrown away.

use tauri::State;
use token_desk_core::form::TokenForm;
use token_desk_core::refused_scope::{self, Probe};

use crate::presenter::Presenter;
use crate::state::AppState;
use crate::view::ErrorView;

/// Asks for each scope of the form on its own and names the ones the server refuses, through
/// the network settings of the form's profile (as `get_token` does).
#[tauri::command]
pub async fn find_refused_scope(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    form: TokenForm,
) -> Result<Probe, ErrorView> {
    let found = find(&state, &form).await;
    presenter.answer(&state, found, &[&form.client_id])
}

async fn find(state: &AppState, form: &TokenForm) -> Result<Probe, ErrorView> {
    crate::network::follow(state, form.profile.as_deref())?;
    let request = state.request_for(form)?.request;
    Ok(refused_scope::find_refused(state.engine().http(), &request, state.engine().clock()).await?)
}
