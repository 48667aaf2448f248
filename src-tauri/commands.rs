//! The commands the window calls: thin adapters from plain data to the engine and back.
//! None of them ever returns a client secret; `set_secret` is write-only.

use serde::{Deserialize, Serialize};
use tauri::State;
use token_desk_core::request::{Credential, RequestInput, TokenRequest};
use token_desk_core::scope::{KnownScope, Scopes, CLIENT_SCOPES};
use token_desk_core::secret::ClientSecret;
use token_desk_core::{clock, Failure};

use crate::state::AppState;

/// Stitch's client scopes with a one-line description each.
#[tauri::command]
pub fn scopes() -> Vec<KnownScope> {
    CLIENT_SCOPES.to_vec()
}

/// What the window shows about the simulator's demo client. The demo secret stays here.
#[derive(Debug, Serialize)]
pub struct DemoView {
    pub client_id: String,
    pub token_url: String,
    pub api_url: String,
    pub scopes: Vec<String>,
    pub secret_set: bool,
}

/// Starts the built-in simulator (once) and makes its demo secret the current secret.
#[tauri::command]
pub async fn start_demo(state: State<'_, AppState>) -> Result<DemoView, Failure> {
    let sim = state.simulator().await?;
    let demo = sim.demo();
    state.set_secret(ClientSecret::new(demo.secret.as_str()));
    let scopes = vec!["client_paymentrequest".to_owned()];
    Ok(DemoView {
        client_id: demo.secret_client_id.clone(),
        token_url: sim.token_url(),
        api_url: sim.api_url(),
        scopes,
        secret_set: true,
    })
}

/// Stores the client secret for this session. Write-only: nothing reads it back.
#[tauri::command]
pub fn set_secret(state: State<'_, AppState>, secret: String) {
    state.set_secret(ClientSecret::new(secret));
}

/// The form as the window sends it.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    pub client_id: String,
    pub scopes: Vec<String>,
    #[serde(default)]
    pub token_url: Option<String>,
    #[serde(default)]
    pub audience: Option<String>,
    /// Ask for a new token even if a cached one is still fresh.
    #[serde(default)]
    pub force: bool,
}

/// A token as the window shows it.
#[derive(Debug, Serialize)]
pub struct TokenView {
    /// Needed for Copy; the window displays `masked` unless asked to reveal.
    pub access_token: String,
    pub masked: String,
    pub token_type: String,
    pub expires_in: u64,
    pub issued_at: String,
    pub expires_at: String,
    pub requested: Vec<String>,
    pub granted: Vec<String>,
    pub not_granted: Vec<String>,
    pub from_cache: bool,
    /// Warnings about the request, e.g. a misspelt scope.
    pub notices: Vec<String>,
    /// A renewal failed and this still-valid token was served instead.
    pub refresh_failure: Option<Failure>,
}

/// Gets a token with the stored secret, from the cache when still fresh.
#[tauri::command]
pub async fn get_token(state: State<'_, AppState>, form: TokenForm) -> Result<TokenView, Failure> {
    let secret = state.secret().ok_or_else(|| Failure::bad_input("Enter the client secret."))?;
    let input = RequestInput {
        client_id: form.client_id,
        scopes: Scopes::parse(&form.scopes),
        token_url: form.token_url,
        audience: form.audience,
        credential: Credential::Secret(secret),
    };
    let (request, notices) = TokenRequest::check(input, state.engine.clock().now())?;
    let outcome = state.engine.token(&request, form.force).await?;
    let t = outcome.token;
    Ok(TokenView {
        masked: t.access_token.masked(),
        access_token: t.access_token.as_str().to_owned(),
        not_granted: t.not_granted(),
        token_type: t.token_type,
        expires_in: t.expires_in,
        issued_at: clock::rfc3339(t.issued_at),
        expires_at: clock::rfc3339(t.expires_at),
        requested: t.requested.iter().map(str::to_owned).collect(),
        granted: t.granted.iter().map(str::to_owned).collect(),
        from_cache: outcome.from_cache,
        notices: notices.into_iter().map(|n| n.message).collect(),
        refresh_failure: outcome.refresh_failure,
    })
}
