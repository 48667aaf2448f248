//! Try it's bank account check: an account and its holder verified, on a test client.

use tauri::State;
use token_desk_core::try_it::bank_account::{self, VerificationForm, Verified};

use super::{on_api, test_client, Answer};
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
        let client = test_client(&state, profile)?;
        let checked = form.check()?;
        Ok::<_, ErrorView>(
            on_api(&state, api_url, async |api| bank_account::verify(api, &client, &checked).await).await?,
        )
    };
    presenter.answer(&state, verified.await, &[])
}
