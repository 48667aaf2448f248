//! The token test and its one-click fix: thin commands over the engine's `check`. Nothing
//! here takes or returns a secret: the test uses the token the backend already holds.

use serde::Serialize;
use tauri::State;
use token_desk_core::check::{self, CheckReport};
use token_desk_core::client_request::Asked;
use token_desk_core::scope::Scopes;

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
    let (token, default_api, _) = state.last_with_asked()?;
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
    let (_, default_api, asked) = state.last_with_asked()?;
    let request = asked.with_more_scopes(&missing, state, state.engine().clock().now())?;
    let outcome = state.fetch(&request, false).await?;
    let source = state.source_of(&outcome, Some(&request));
    state.remember(outcome.token.clone(), default_api.clone(), Asked::Request(Box::new(request)));
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

/// A value the user typed, unless blank.
fn chosen(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}
