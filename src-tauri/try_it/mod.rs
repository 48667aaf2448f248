//! Try it on the API: the window's face of `core::try_it` (issue 25). Each command takes the
//! token on screen, asks the engine for one operation and hands back the engine's answer as it
//! is (plain words beside what the API said, as outside text). The engine checks every input
//! and refuses a client that is not a test client before anything is sent; the page renders.
//!
//! Kept here, not in the page: the payment link last made (so *Copy link* and *Open* act on
//! the link the API gave, never on a URL the page names), its QR code (drawn here from the
//! link, as SVG, no network), and the one way a link reaches the system browser.
//!
//! One module per concern, each command an adapter of a few lines; what they share (the token
//! on screen, the API to call, the test client) is here:
//! - [`offer`]: whether Try it is offered for the token on screen, and the forms' demo values;
//! - [`payment_request`]: creating a payment request, its state, a simulated payment, and
//!   *Test token*'s proof that the token can create one;
//! - [`refund`]: a refund and its status;
//! - [`bank_account`]: a bank account check;
//! - [`link`]: the payment link last made, its QR code, *Copy link* and *Open*;
//! - [`code`]: the code for the last call.

pub mod bank_account;
pub mod code;
pub mod link;
pub mod offer;
pub mod payment_request;
pub mod refund;

use token_desk_core::try_it::graphql::Api;
use token_desk_core::try_it::test_client::TestClient;
use token_desk_core::Failure;

use crate::state::AppState;
use crate::view::ErrorView;

/// What a Try it command answers.
pub type Answer<T> = Result<T, ErrorView>;

/// Runs one operation on the API with the token on screen: at `api_url` when given, else
/// the token's own API. Every Try it command reaches the API this way.
pub async fn on_api<T>(
    state: &AppState,
    api_url: Option<String>,
    operation: impl AsyncFnOnce(&Api<'_>) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let (token, default_api, _) = state.last_with_asked()?;
    let api_url = api_url.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty()).unwrap_or(default_api);
    let api = Api::new(state.engine().http(), &api_url, &token.access_token)?;
    operation(&api).await
}

/// The token's client as a test client: the client the token was asked for, and, when a saved
/// profile of that client is chosen, refused also when the profile is marked live.
pub fn test_client(state: &AppState, profile: Option<String>) -> Result<TestClient, Failure> {
    let (_, _, asked) = state.last_with_asked()?;
    if let Some(name) = profile.filter(|n| !n.trim().is_empty()) {
        let saved = state.profiles.settings()?.find(&name)?;
        if saved.client_id == asked.client_id() {
            return TestClient::of_profile(&saved);
        }
    }
    TestClient::new(asked.client_id())
}
