//! "Test a token you were handed": a token pasted into the page, tested once with the
//! engine's safe reads and then dropped. It is never stored, never cached and never sent back
//! (the report names it only as the inspector does, shortened).

use tauri::State;
use token_desk_core::check::{self, CheckReport};
use token_desk_core::scope::Scopes;
use token_desk_core::token::AccessToken;
use token_desk_core::{Failure, STITCH_API_URL};

use crate::presenter::Presenter;
use crate::state::AppState;
use crate::view::ErrorView;

/// Tests `token` at `api_url` (empty: Stitch's API) for `scopes` (none: every scope that has
/// a safe read). Its grant is unknown, so a scope with no safe read cannot be checked safely.
#[tauri::command(rename_all = "snake_case")]
pub async fn test_handed_token(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    token: String,
    api_url: Option<String>,
    scopes: Vec<String>,
) -> Result<CheckReport, ErrorView> {
    let tested = test(&state, token, api_url, scopes).await;
    presenter.answer(&state, tested, &[])
}

async fn test(
    state: &AppState,
    token: String,
    api_url: Option<String>,
    scopes: Vec<String>,
) -> Result<CheckReport, ErrorView> {
    let token = AccessToken::new(token.trim());
    if token.as_str().is_empty() {
        return Err(Failure::bad_input("Paste the token you were given, then choose Test this token.").into());
    }
    let api_url = api_url.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty());
    let api_url = api_url.unwrap_or_else(|| STITCH_API_URL.to_owned());
    let mut report = check::check_handed(state.engine().http(), &api_url, &token, &Scopes::parse(&scopes)).await?;
    report.client = None; // the page does not show it; in presenter mode it must not hold the id
    Ok(report)
}
