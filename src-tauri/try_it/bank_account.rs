//! Try it's bank account check: an account and its holder verified, on a test client.

use tauri::State;
use token_desk_core::try_it::bank_account::{self, VerificationForm, Verified};
use token_desk_core::try_it::graphql::Api;

use super::{test_client, token_and_api, Answer};
use crate::presenter::Presenter;
use crate::state::AppState;
use crate::view::ErrorView;

/// Verifies a bank account and its holder, on a test client.
#[tauri::command(rename_all = "snake_case")]
pub async fn verify_bank_account(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    form: VerificationForm,
    api_url: Option<String>,
    profile: Option<String>,
) -> Answer<Verified> {
    let verified = async {
        let (token, api_url) = token_and_api(&state, api_url)?;
        let client = test_client(&state, profile)?;
        let checked = form.check()?;
        let api = Api::new(state.engine().http(), &api_url, &token.access_token)?;
        Ok::<_, ErrorView>(bank_account::verify(&api, &client, &checked).await?)
    };
    presenter.answer(&state, verified.await, &[])
}
