//! The token test, its one-click fix, the inspector and the code for integrators: thin
//! commands over the engine's `check`, `inspect` and `snippet`. Nothing here takes or returns
//! a secret: the test uses the token the backend already holds, the inspector's records are
//! masked by the engine, and snippets read the secret from an environment variable.

use serde::{Deserialize, Serialize};
use tauri::State;
use token_desk_core::check::{self, CheckReport};
use token_desk_core::form::TokenForm;
use token_desk_core::inspect::Exchange;
use token_desk_core::scope::Scopes;
use token_desk_core::snippet::{self, Flow, Lang};
use token_desk_core::Failure;

use crate::presenter::Presenter;
use crate::state::AppState;
use crate::view::{ErrorView, TokenView};

type Answer<T> = Result<T, ErrorView>;

/// Tests the last token at `api_url` (empty: the API that goes with its token URL) for its
/// granted scopes and `scopes_to_check` (the ticked ones).
#[tauri::command(rename_all = "snake_case")]
pub async fn check_token(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    scopes_to_check: Vec<String>,
    api_url: Option<String>,
) -> Answer<CheckReport> {
    let tested = test(&state, scopes_to_check, api_url).await;
    presenter.answer(&state, tested, &[])
}

async fn test(state: &AppState, scopes_to_check: Vec<String>, api_url: Option<String>) -> Answer<CheckReport> {
    let (token, default_api, _) = state.last_with_request()?;
    let api_url = chosen(api_url).unwrap_or(default_api);
    let asked = Scopes::parse(&scopes_to_check);
    Ok(check::check(state.engine().http(), &api_url, &token.access_token, &token.granted, &asked).await?)
}

/// A new token and its test, after the one-click fix.
#[derive(Debug, Serialize)]
pub struct FixView {
    pub token: TokenView,
    pub report: CheckReport,
}

/// The one-click fix: the last request with the `missing` scopes added, a new token for it,
/// and the test again (for the scopes checked before plus the added ones).
#[tauri::command(rename_all = "snake_case")]
pub async fn fix_missing_scopes(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    missing: Vec<String>,
    scopes_to_check: Option<Vec<String>>,
    api_url: Option<String>,
) -> Answer<FixView> {
    let fixed = fix(&state, missing, scopes_to_check, api_url).await;
    presenter.answer(&state, fixed, &[])
}

async fn fix(
    state: &AppState,
    missing: Vec<String>,
    scopes_to_check: Option<Vec<String>>,
    api_url: Option<String>,
) -> Answer<FixView> {
    let (_, default_api, request) = state.last_with_request()?;
    let request = request.with_more_scopes(&missing);
    let outcome = state.fetch(request.clone(), false).await?;
    let source = state.source_of(&outcome, &request);
    state.remember(outcome.token.clone(), default_api.clone(), request);
    let token = outcome.token.clone();
    let view = TokenView::new(outcome, Vec::new(), default_api.clone(), source, state.engine().clock().now());
    let mut asked = scopes_to_check.unwrap_or_default();
    asked.extend(missing);
    let api_url = chosen(api_url).unwrap_or(default_api);
    let report =
        check::check(state.engine().http(), &api_url, &token.access_token, &token.granted, &Scopes::parse(&asked))
            .await?;
    Ok(FixView { token: view, report })
}

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

/// What was copied, and when the clipboard will be cleared.
#[derive(Debug, Serialize)]
pub struct CopiedView {
    pub clear_after_seconds: u64,
}

/// Copies one snippet, made again from the settings (the page never hands over code to copy).
#[tauri::command]
pub fn copy_snippet(state: State<'_, AppState>, settings: TokenForm, lang: Lang, flow: Flow) -> Answer<CopiedView> {
    state.copy_text(snippet::snippet(lang, &settings.snippet_settings(flow)))?;
    Ok(CopiedView { clear_after_seconds: state.clear_after().as_secs() })
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
pub fn copy_exchange(state: State<'_, AppState>, which: Which) -> Answer<CopiedView> {
    let http = state.engine().http();
    let exchange = match which {
        Which::Token => http.last_token_exchange(),
        Which::Api => http.last_api_exchange(),
    };
    let exchange = exchange.ok_or_else(|| Failure::bad_input("Nothing to copy yet: no request has been sent."))?;
    state.copy_text(exchange.to_text())?;
    Ok(CopiedView { clear_after_seconds: state.clear_after().as_secs() })
}

/// A value the user typed, unless blank.
fn chosen(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}
