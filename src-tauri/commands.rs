//! The commands the window calls: thin adapters from plain data to the engine and back.
//! Commands that take a secret are write-only, and no command returns a client secret or a
//! private key; the access token comes back only from `reveal_token`.

use serde::Deserialize;
use tauri::{Runtime, State, Window};
use token_desk_core::client_request::ClientToken;
use token_desk_core::destination::Destination;
use token_desk_core::form::TokenForm;
use token_desk_core::known_scopes::CLIENT_SCOPES;
use token_desk_core::profiles::AuthMethod;
use token_desk_core::scope::{self, Hint};
use token_desk_core::secret::ClientSecret;
use token_desk_core::usage::Copyable;
use token_desk_core::STITCH_TOKEN_URL;

use crate::chooser::Ask;
use crate::presenter::Presenter;
use crate::state::AppState;
use crate::view::{CertificateView, CopyView, DemoView, ErrorView, FormDefaults, FormView, SecretView, TokenView};

type Answer<T> = Result<T, ErrorView>;

/// Stitch's defaults and the eight client scopes with a one-line description each.
#[tauri::command]
pub fn defaults(state: State<'_, AppState>) -> FormDefaults {
    FormDefaults {
        token_url: STITCH_TOKEN_URL,
        audience: STITCH_TOKEN_URL,
        scopes: CLIENT_SCOPES.to_vec(),
        clipboard_clear_seconds: crate::clipboard::seconds_shown(state.clear_after()),
    }
}

/// Whether the form's token URL is the built-in simulator's, and whether the simulator card
/// shows (see [`crate::view::demo_card_shown`]).
#[tauri::command]
pub fn form_view(state: State<'_, AppState>, client_id: String, token_url: Option<String>) -> Answer<FormView> {
    let saved = state.profiles.settings()?.load().map_err(token_desk_core::Failure::from)?.len();
    let built_in = state.started_simulator().map(|s| s.token_url());
    let token_url = token_desk_core::destination::token_url_or_stitch(token_url.as_deref());
    Ok(FormView::new(token_url, built_in.as_deref(), saved, !client_id.trim().is_empty()))
}

/// Hints for the scopes in `text` (spaces or commas between them) that are not Stitch client
/// scopes, with the scope each most likely meant.
#[tauri::command]
pub fn scope_hints(text: String) -> Vec<Hint> {
    scope::hints(&text)
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
/// or its certificate file (in presenter mode shown by its file name only).
#[tauri::command]
pub async fn start_demo(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    client: Option<DemoClient>,
) -> Answer<DemoView> {
    let sim = state.simulator().await?;
    let demo = sim.demo();
    let (client_id, auth, certificate) = match client.unwrap_or_default() {
        DemoClient::Secret => {
            let bound_to = Destination::new(&demo.secret_client_id, &sim.token_url())?;
            state.set_secret(ClientSecret::new(demo.secret.as_str()), bound_to);
            (demo.secret_client_id.clone(), AuthMethod::Secret, None)
        }
        DemoClient::Certificate => {
            let bound_to = Destination::new(&demo.certificate_client_id, &sim.token_url())?;
            let cert = state.set_certificate(&demo.certificate_path, bound_to)?;
            let mut shown = CertificateView::new(&demo.certificate_path, cert.facts(), state.engine().clock().now());
            shown.path = presenter.path(&demo.certificate_path);
            (demo.certificate_client_id.clone(), AuthMethod::Certificate, Some(shown))
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
    presenter: State<'_, Presenter>,
    secret: String,
    client_id: String,
    token_url: Option<String>,
) -> Answer<SecretView> {
    let bound_to = Destination::of_form(&client_id, token_url.as_deref()).map_err(ErrorView::from);
    let set = bound_to.map(|to| SecretView { secret_set: state.set_secret(ClientSecret::new(secret), to) });
    presenter.answer(&state, set, &[&client_id])
}

/// Drops the secret or certificate entered: the form's client or token URL changed.
#[tauri::command]
pub fn forget_credential(state: State<'_, AppState>) {
    state.forget_credential();
}

/// Asks for the certificate file in the system's chooser, reads it (its key stays in the
/// backend) for the client and token URL the form shows, and returns what may be shown (in
/// presenter mode its path by the file name only). `None` when the user cancelled.
#[tauri::command]
pub async fn choose_certificate<R: Runtime>(
    window: Window<R>,
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    client_id: String,
    token_url: Option<String>,
) -> Answer<Option<CertificateView>> {
    let ask = Ask::certificate("Choose the certificate file from Stitch");
    let Some(path) = state.chooser.choose(&window, ask).await else { return Ok(None) };
    let read = Destination::of_form(&client_id, token_url.as_deref()).and_then(|to| state.set_certificate(&path, to));
    let shown = read.map(|cert| {
        let view = CertificateView::new(&path, cert.facts(), state.engine().clock().now());
        Some(CertificateView { path: presenter.path(&path), ..view })
    });
    presenter.answer(&state, shown.map_err(ErrorView::from), &[&client_id])
}

/// Gets a token with the credential entered for this client and token URL, or the chosen
/// profile's (its kept token when still fresh, found without reading its saved secret), from
/// the cache when still fresh, through the network settings of the form's profile (none of
/// another's). The request can be stopped with `cancel_token`.
#[tauri::command]
pub async fn get_token(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    form: TokenForm,
) -> Answer<TokenView> {
    let ids = [form.client_id.as_str()];
    let got = token(&state, &form).await.map(|view| TokenView {
        refresh_failure: view.refresh_failure.map(|e| presenter.error(&state, e, &ids)),
        ..view
    });
    presenter.answer(&state, got, &ids)
}

async fn token(state: &AppState, form: &TokenForm) -> Answer<TokenView> {
    crate::network::follow(state, form.profile.as_deref())?;
    let ClientToken { notices, api_url, asked, outcome, .. } = state.token_for(form).await?;
    let outcome = outcome?;
    let source = state.source_of(&outcome, asked.request());
    state.remember(outcome.token.clone(), api_url.clone(), asked);
    let notices = notices.into_iter().map(|n| n.message).collect();
    Ok(TokenView::new(outcome, notices, api_url, source, state.engine().clock().now()))
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
    Ok(CopyView { copied: what, clear_after_seconds: crate::clipboard::seconds_shown(state.clear_after()) })
}
