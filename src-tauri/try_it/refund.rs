//! Try it's refunds: refunding a completed test payment, and reading the refund's status.

use tauri::State;
use token_desk_core::try_it::refund::{self, RefundForm, RefundStatus, Started};

use super::{on_api, test_client, Answer};
use crate::presenter::Presenter;
use crate::state::AppState;
use crate::view::ErrorView;

/// Refunds a completed test payment (a fresh nonce each time, shown).
#[tauri::command(rename_all = "snake_case")]
pub async fn refund_payment(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    form: RefundForm,
    api_url: Option<String>,
    profile: Option<String>,
) -> Answer<Started> {
    let started = async {
        let client = test_client(&state, profile)?;
        let checked = form.check()?;
        Ok::<_, ErrorView>(on_api(&state, api_url, async |api| refund::initiate(api, &client, &checked).await).await?)
    };
    presenter.answer(&state, started.await, &[])
}

/// Reads the refund `id`'s status.
#[tauri::command(rename_all = "snake_case")]
pub async fn refund_status(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    id: String,
    api_url: Option<String>,
) -> Answer<RefundStatus> {
    let read = async { Ok::<_, ErrorView>(on_api(&state, api_url, async |api| refund::status(api, &id).await).await?) };
    presenter.answer(&state, read.await, &[])
}
