//! The code for the last Try it call, in a language and flow of the form's settings, made
//! from the inspector's record of the call: to read, and to copy.

use serde::Serialize;
use tauri::State;
use token_desk_core::form::TokenForm;
use token_desk_core::snippet::{self, ApiCall, Flow, Lang};
use token_desk_core::try_it::documents;
use token_desk_core::Failure;

use super::link::LinkCopied;
use super::Answer;
use crate::presenter::Presenter;
use crate::state::AppState;

/// The code for the last Try it call.
#[derive(Debug, Serialize)]
pub struct CallCodeView {
    /// The operation's name (`CreatePaymentRequest`), for the heading.
    pub operation: String,
    pub code: String,
}

/// The code for the last Try it call, as the inspector recorded it (its exact document and
/// variables), in `lang` for `flow` from the form's settings; in presenter mode the client id
/// in it is shortened (Copy code copies it in full).
#[tauri::command]
pub fn try_it_code(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    settings: TokenForm,
    lang: Lang,
    flow: Flow,
) -> Answer<CallCodeView> {
    let (operation, query, variables) = last_call(&state)?;
    let s = settings.snippet_settings(flow);
    let code = snippet::snippet_calling(lang, &s, &ApiCall { query: &query, variables: Some(&variables) });
    Ok(CallCodeView { operation, code: presenter.text(code, &s.client_id) })
}

/// Copies the code for the last Try it call, made again here (the page never hands over code).
#[tauri::command]
pub fn copy_try_it_code(state: State<'_, AppState>, settings: TokenForm, lang: Lang, flow: Flow) -> Answer<LinkCopied> {
    let (_, query, variables) = last_call(&state)?;
    let s = settings.snippet_settings(flow);
    state.copy_text(snippet::snippet_calling(lang, &s, &ApiCall { query: &query, variables: Some(&variables) }))?;
    Ok(LinkCopied { clear_after_seconds: state.clear_after().as_secs() })
}

/// The last call sent to the API, if it was one of Try it's documents: its operation's name,
/// document and variables, read back from the inspector's record of it.
fn last_call(state: &AppState) -> Result<(String, String, serde_json::Value), Failure> {
    let none = || Failure::bad_input("No Try it call yet: the code follows the last one made.");
    let body = state.engine().http().last_api_exchange().and_then(|e| e.request_body).ok_or_else(none)?;
    let sent: serde_json::Value = serde_json::from_str(&body).map_err(|_| none())?;
    let query = sent.get("query").and_then(|q| q.as_str()).filter(|q| documents::ALL.contains(q)).ok_or_else(none)?;
    let operation = query.split(['(', ' ', '{']).nth(1).unwrap_or_default().to_owned();
    Ok((operation, query.to_owned(), sent.get("variables").cloned().unwrap_or_default()))
}
