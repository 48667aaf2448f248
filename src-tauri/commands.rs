//! The commands the window calls: thin adapters from plain data to the engine and back.
//! Commands that take a secret are write-only, and no command returns a client secret or a
//! private key; the access token comes back only from `reveal_token`.

use serde::Deserialize;
use tauri::{Runtime, State, Window};
use token_desk_core::request::{Notice, RequestInput, TokenRequest};
use token_desk_core::scope::{self, Scopes, CLIENT_SCOPES};
use token_desk_core::secret::ClientSecret;
use token_desk_core::usage::{self, Copyable};
use token_desk_core::{Failure, STITCH_TOKEN_URL};

use crate::chooser::{Ask, Purpose};
use crate::presenter::Presenter;
use crate::state::{self, AppState, Auth};
use crate::view::{CertificateView, CopyView, DemoView, ErrorView, FormDefaults, ScopeHint, SecretView, TokenView};

type Answer<T> = Result<T, ErrorView>;

/// Stitch's defaults and the eight client scopes with a one-line description each.
#[tauri::command]
pub fn defaults(state: State<'_, AppState>) -> FormDefaults {
    FormDefaults {
        token_url: STITCH_TOKEN_URL,
        audience: STITCH_TOKEN_URL,
        scopes: CLIENT_SCOPES.to_vec(),
        clipboard_clear_seconds: state.clear_after().as_secs(),
    }
}

/// Hints for the scopes in `text` (spaces or commas between them) that are not Stitch client
/// scopes, with the scope each most likely meant.
#[tauri::command]
pub fn scope_hints(text: String) -> Vec<ScopeHint> {
    Scopes::parse([text])
        .iter()
        .filter(|s| !scope::is_known(s))
        .map(|s| {
            let suggestion = scope::did_you_mean(s);
            let message = match suggestion {
                Some(known) => format!("\"{s}\" is not a Stitch client scope. Did you mean {known}?"),
                None => format!("\"{s}\" is not one of Stitch's client scopes; Stitch may refuse it."),
            };
            ScopeHint { scope: s.to_owned(), suggestion, message }
        })
        .collect()
}

/// Which demo client to fill in.
#[derive(Debug, Default, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DemoClient {
    #[default]
    Secret,
    Certificate,
}

/// Starts the built-in simulator (once) and stores the demo client's credential: its secret,
/// or its certificate file.
#[tauri::command]
pub async fn start_demo(state: State<'_, AppState>, client: Option<DemoClient>) -> Answer<DemoView> {
    let sim = state.simulator().await?;
    let demo = sim.demo();
    let (client_id, auth, certificate) = match client.unwrap_or_default() {
        DemoClient::Secret => {
            let bound_to = state::destination(&demo.secret_client_id, Some(&sim.token_url()))?;
            state.set_secret(ClientSecret::new(demo.secret.as_str()), bound_to);
            (demo.secret_client_id.clone(), Auth::Secret, None)
        }
        DemoClient::Certificate => {
            let bound_to = state::destination(&demo.certificate_client_id, Some(&sim.token_url()))?;
            let cert = state.set_certificate(&demo.certificate_path, bound_to)?;
            let shown = CertificateView::new(&demo.certificate_path, cert.facts(), state.engine.clock().now());
            (demo.certificate_client_id.clone(), Auth::Certificate, Some(shown))
        }
    };
    let (token_url, api_url) = (sim.token_url(), sim.api_url());
    let scopes = vec!["client_paymentrequest".to_owned()];
    let secret_set = state.has_secret();
    Ok(DemoView { client_id, auth, audience: token_url.clone(), token_url, api_url, scopes, secret_set, certificate })
}

/// Stores the client secret for the client and token URL the form shows (a blank one clears
/// it); it is used for nothing else. Write-only.
#[tauri::command]
pub fn set_secret(
    state: State<'_, AppState>,
    secret: String,
    client_id: String,
    token_url: Option<String>,
) -> Answer<SecretView> {
    let bound_to = state::destination(&client_id, token_url.as_deref())?;
    Ok(SecretView { secret_set: state.set_secret(ClientSecret::new(secret), bound_to) })
}

/// Drops the secret or certificate entered: the form's client or token URL changed.
#[tauri::command]
pub fn forget_credential(state: State<'_, AppState>) {
    state.forget_credential();
}

/// Asks for the certificate file in the system's chooser, reads it (its key stays in the
/// backend) for the client and token URL the form shows, and returns what may be shown.
/// `None` when the user cancelled.
#[tauri::command]
pub async fn choose_certificate<R: Runtime>(
    window: Window<R>,
    state: State<'_, AppState>,
    client_id: String,
    token_url: Option<String>,
) -> Answer<Option<CertificateView>> {
    let ask = Ask {
        title: "Choose the certificate file from Stitch",
        kind: "Certificate (.pem)",
        extension: "pem",
        purpose: Purpose::Open,
    };
    let Some(path) = state.chooser.choose(&window, ask).await else { return Ok(None) };
    let cert = state.set_certificate(&path, state::destination(&client_id, token_url.as_deref())?)?;
    Ok(Some(CertificateView::new(&path, cert.facts(), state.engine.clock().now())))
}

/// The form as the window sends it.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    pub client_id: String,
    pub auth: Auth,
    /// Ticked scopes and whatever was typed as another scope.
    pub scopes: Vec<String>,
    #[serde(default)]
    pub token_url: Option<String>,
    #[serde(default)]
    pub audience: Option<String>,
    /// Ask for a new token even if a cached one is still fresh.
    #[serde(default)]
    pub force: bool,
    /// A saved profile: its client, URLs and keyring credential are used (see `profiles`).
    #[serde(default)]
    pub profile: Option<String>,
}

/// Gets a token with the credential entered for this client and token URL (or the chosen
/// profile's saved one), from the cache when still fresh. The request can
/// be stopped with `cancel_token`.
#[tauri::command]
pub async fn get_token(state: State<'_, AppState>, form: TokenForm) -> Answer<TokenView> {
    let force = form.force;
    let (request, notices, api_url) = request_for(&state, form)?;
    let outcome = state.fetch(request.clone(), force).await?;
    state.remember(outcome.token.clone(), api_url.clone(), request);
    let notices = notices.into_iter().map(|n| n.message).collect();
    Ok(TokenView::new(outcome, notices, api_url, state.engine.clock().now()))
}

/// The checked request the form describes (a profile's, or the typed client's), its notices
/// and the API URL that goes with it. Shared by `get_token` and "Find which one".
pub(crate) fn request_for(state: &AppState, form: TokenForm) -> Result<(TokenRequest, Vec<Notice>, String), Failure> {
    let (input, profile_api_url) = match form.profile.as_deref() {
        Some(name) => crate::profiles::token_input(state, name, &form).map(|(i, api)| (i, Some(api)))?,
        None => (entered_input(state, &form)?, None),
    };
    let (request, notices) = TokenRequest::check(input, state.engine.clock().now())?;
    let api_url = profile_api_url.unwrap_or_else(|| usage::api_url_for(request.token_url().as_str()));
    Ok((request, notices, api_url))
}

/// The request for a form without a profile, with the credential entered for exactly its
/// client and token URL (refused for any other).
fn entered_input(state: &AppState, form: &TokenForm) -> Result<RequestInput, token_desk_core::Failure> {
    let token_url = state::token_url_or_stitch(form.token_url.as_deref());
    Ok(RequestInput {
        client_id: form.client_id.clone(),
        scopes: Scopes::parse(&form.scopes),
        token_url: form.token_url.clone(),
        audience: form.audience.clone(),
        credential: state.credential(form.auth, &form.client_id, token_url)?,
    })
}

/// Stops the token request in flight (it then fails as `cancelled`); returns whether one was
/// running.
#[tauri::command]
pub fn cancel_token(state: State<'_, AppState>) -> bool {
    state.cancel()
}

/// The whole access token last shown, for Reveal. Only on request, so it is not on screen
/// or in the page by default.
#[tauri::command]
pub fn reveal_token(state: State<'_, AppState>, presenter: State<'_, Presenter>) -> Answer<String> {
    presenter.refuse_reveal()?;
    Ok(state.last_token()?.as_str().to_owned())
}

/// Forgets the last token, when the client or profile changes: nothing of the previous client
/// stays to be copied, revealed or tested.
#[tauri::command]
pub fn forget_token(state: State<'_, AppState>) {
    state.forget_last();
}

/// Copies the last token, its `Authorization` header, or a cURL command using it. The
/// backend composes the text and clears the clipboard later if it still holds it.
#[tauri::command]
pub fn copy(state: State<'_, AppState>, what: Copyable) -> Answer<CopyView> {
    state.copy(what)?;
    Ok(CopyView { copied: what, clear_after_seconds: state.clear_after().as_secs() })
}
