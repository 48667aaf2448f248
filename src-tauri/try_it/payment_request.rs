//! Try it's payment requests: creating one, reading its state, completing it as if paid, and
//! *Test token*'s proof that the token can create one. How often the page reads a pending
//! request's state again is set here too.

use std::time::Duration;

use tauri::State;
use token_desk_core::try_it::payment_request::{self as payment, Completion, PaymentRequestForm, Status};

use super::link::{shown, CreatedView, TryIt};
use super::{on_api, test_client, Answer};
use crate::presenter::Presenter;
use crate::state::AppState;
use crate::view::ErrorView;

/// The environment variable that sets, in milliseconds, how often a pending payment request's
/// state is read again while the page watches it (tests shorten it).
pub const STATUS_CHECK_ENV: &str = "TOKEN_DESK_STATUS_CHECK_MS";

/// A few seconds: often enough to see a payment land while presenting, seldom enough to be
/// kind to the API.
pub const DEFAULT_STATUS_CHECK: Duration = Duration::from_secs(5);

/// The status check's interval from the value of [`STATUS_CHECK_ENV`]: a positive whole number
/// of milliseconds, otherwise the default.
pub fn status_check_from(value: Option<&str>) -> Duration {
    value
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .map_or(DEFAULT_STATUS_CHECK, Duration::from_millis)
}

/// Creates a test payment request from the form, with the token on screen.
#[tauri::command(rename_all = "snake_case")]
pub async fn create_payment_request(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    kept: State<'_, TryIt>,
    form: PaymentRequestForm,
    api_url: Option<String>,
    profile: Option<String>,
) -> Answer<CreatedView> {
    let made = async {
        let client = test_client(&state, profile)?;
        let request = form.check()?;
        let made = on_api(&state, api_url, async |api| payment::create(api, &client, &request).await).await?;
        Ok::<_, ErrorView>(shown(&kept, made))
    };
    presenter.answer(&state, made.await, &[])
}

/// Reads the payment request `id`'s state.
#[tauri::command(rename_all = "snake_case")]
pub async fn payment_request_status(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    id: String,
    api_url: Option<String>,
) -> Answer<Status> {
    let read =
        async { Ok::<_, ErrorView>(on_api(&state, api_url, async |api| payment::status(api, &id).await).await?) };
    presenter.answer(&state, read.await, &[])
}

/// Completes the test payment request `id` as if paid, without a bank.
#[tauri::command(rename_all = "snake_case")]
pub async fn simulate_payment(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    id: String,
    api_url: Option<String>,
    profile: Option<String>,
) -> Answer<Completion> {
    let done = async {
        let client = test_client(&state, profile)?;
        Ok::<_, ErrorView>(
            on_api(&state, api_url, async |api| payment::simulate_complete(api, &client, &id).await).await?,
        )
    };
    presenter.answer(&state, done.await, &[])
}

/// *Test token*'s optional real proof (issue 25, item 6): on a test client only, one demo
/// payment request (R1.00) made with the token, proving `client_paymentrequest` can create.
#[tauri::command(rename_all = "snake_case")]
pub async fn check_create_payment_request(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    kept: State<'_, TryIt>,
    api_url: Option<String>,
    profile: Option<String>,
) -> Answer<CreatedView> {
    let made = async {
        let client = test_client(&state, profile)?;
        let made = on_api(&state, api_url, async |api| payment::prove_create(api, &client).await).await?;
        let mut view = shown(&kept, made);
        view.scope_note = Some(token_desk_core::verdicts::works_and_created(view.created.id.for_page()));
        Ok::<_, ErrorView>(view)
    };
    presenter.answer(&state, made.await, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_check_runs_every_few_seconds_unless_told_otherwise() {
        assert_eq!(status_check_from(None), Duration::from_secs(5));
        assert_eq!(status_check_from(Some("250")), Duration::from_millis(250));
        for odd in ["0", "soon", "-5", ""] {
            assert_eq!(status_check_from(Some(odd)), DEFAULT_STATUS_CHECK, "{odd}");
        }
    }
}
