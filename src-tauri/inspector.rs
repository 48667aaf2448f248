//! The inspector: what went over the wire last, as the engine's `inspect` recorded it (the
//! secret masked, the assertion decoded), to read and to copy.

use serde::{Deserialize, Serialize};
use tauri::State;
use token_desk_core::inspect::Exchange;
use token_desk_core::Failure;

use crate::presenter::Presenter;
use crate::state::AppState;
use crate::view::{CopiedView, ErrorView};

/// One inspector record, with its text for Copy.
#[derive(Debug, Serialize)]
pub struct ExchangeView {
    #[serde(flatten)]
    pub exchange: Exchange,
    pub text: String,
}

impl From<Exchange> for ExchangeView {
    fn from(exchange: Exchange) -> Self {
        Self { text: exchange.to_text(), exchange }
    }
}

/// The last token request and the last API test, if any.
#[derive(Debug, Serialize)]
pub struct InspectorView {
    pub token: Option<ExchangeView>,
    pub api: Option<ExchangeView>,
}

/// What went over the wire last, secret masked and assertion decoded by the engine.
/// In presenter mode, client ids and thumbprints are shortened.
#[tauri::command]
pub fn inspector(state: State<'_, AppState>, presenter: State<'_, Presenter>) -> InspectorView {
    let http = state.engine().http();
    let shown = |e: Exchange| ExchangeView::from(presenter.exchange(e));
    InspectorView { token: http.last_token_exchange().map(shown), api: http.last_api_exchange().map(shown) }
}

/// Which inspector record to copy.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Which {
    Token,
    Api,
}

/// Copies the inspector's record of the last token request or API test.
#[tauri::command]
pub fn copy_exchange(state: State<'_, AppState>, which: Which) -> Result<CopiedView, ErrorView> {
    let http = state.engine().http();
    let exchange = match which {
        Which::Token => http.last_token_exchange(),
        Which::Api => http.last_api_exchange(),
    };
    let exchange = exchange.ok_or_else(|| Failure::bad_input("Nothing to copy yet: no request has been sent."))?;
    state.copy_text(exchange.to_text())?;
    Ok(CopiedView { clear_after_seconds: crate::clipboard::seconds_shown(state.clear_after()) })
}
