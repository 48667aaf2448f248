//! What the window's backend keeps between commands, each part in a module named for what it
//! holds: the engine (and its token cache), the credential entered ([`crate::credentials`]),
//! the request in flight ([`crate::runs`]), the last token ([`crate::last_token`]), the
//! clipboard, the file chooser, and the simulator once started. The engine and the profiles' keyring
//! and settings are made on first use, not before the window's first paint.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use token_desk_core::certificate::ClientCertificate;
use token_desk_core::client_request::{Asked, ClientRequest, ClientToken, Face, Session};
use token_desk_core::destination::Destination;
use token_desk_core::form::TokenForm;
use token_desk_core::keyring::profile_secrets::SecretError;
use token_desk_core::profiles::changes::NewSecret;
use token_desk_core::profiles::{AuthMethod, Profile};
use token_desk_core::request::{Credential, TokenRequest};
use token_desk_core::secret::ClientSecret;
use token_desk_core::simulator::{Simulator, SimulatorConfig};
use token_desk_core::token::AccessToken;
use token_desk_core::usage::Copyable;
use token_desk_core::{Engine, Failure, FailureKind, Outcome, Token};
use tokio::sync::OnceCell;

use crate::chooser::Chooser;
use crate::clipboard::{self, Copier, TextClipboard};
use crate::credentials::Credentials;
use crate::guard::lock;
use crate::last_token::LastToken;
use crate::profile_state::Profiles;
use crate::runs::Runs;

/// The environment variable that sets the built-in simulator's token lifetime in seconds
/// (default 3600), e.g. to watch a token expire.
pub const SIMULATOR_LIFETIME_ENV: &str = "TOKEN_DESK_SIMULATOR_TOKEN_SECONDS";

/// Shared by every command of the app, for the whole session.
pub struct AppState {
    /// Made on first use ([`AppState::engine`]): building its HTTP client reads the system's
    /// root certificates, which the first paint need not wait for.
    engine: OnceLock<Arc<Engine>>,
    /// Saved profiles: the session's one keyring (which also keeps the engine's tokens).
    pub profiles: Profiles,
    /// The secret or certificate entered in the window, for the client and token URL shown
    /// then; dropped when either changes or a profile is chosen. Never sent back.
    credentials: Credentials,
    /// Asks the user for files; the page never names one.
    pub chooser: Chooser,
    /// The profile whose network settings (company CA, proxy, timeout) are in effect; `None`:
    /// "No profile", whose settings are only those typed under Advanced since (see
    /// `crate::network`). Requests for one client never use another profile's proxy or CA.
    network_of: Mutex<Option<String>>,
    /// The token request in flight, so it can be cancelled.
    runs: Runs,
    /// The token last shown, the API it is for, and the request that got it.
    last: LastToken,
    /// The system clipboard, attached when the app starts (tests attach another).
    clipboard: OnceLock<Copier>,
    clear_after: Duration,
    simulator: OnceCell<Simulator>,
    simulator_dir: Option<PathBuf>,
    simulator_lifetime: Option<Duration>,
}

impl Default for AppState {
    /// The state for a real run: delays from the environment, the simulator's files in
    /// its default folder.
    fn default() -> Self {
        let lifetime = std::env::var(SIMULATOR_LIFETIME_ENV).ok().and_then(|v| v.trim().parse::<u64>().ok());
        Self {
            engine: OnceLock::new(),
            profiles: Profiles::default(),
            credentials: Credentials::default(),
            chooser: Chooser::from_env(),
            network_of: Mutex::new(None),
            runs: Runs::default(),
            last: LastToken::default(),
            clipboard: OnceLock::new(),
            clear_after: clipboard::clear_after_from_env(),
            simulator: OnceCell::new(),
            simulator_dir: None,
            simulator_lifetime: lifetime.filter(|s| *s > 0).map(Duration::from_secs),
        }
    }
}

impl AppState {
    /// A state whose simulator keeps its demo files in `dir` (tests use a temporary folder).
    pub fn with_simulator_dir(dir: PathBuf) -> Self {
        Self { simulator_dir: Some(dir), ..Self::default() }
    }

    /// Keeps the profiles in `path` instead of the platform's config folder (tests).
    pub fn with_profiles_file(self, path: impl Into<PathBuf>) -> Self {
        Self { profiles: self.profiles.in_file(path), ..self }
    }

    /// The engine, made on first use with the profiles' keyring keeping its tokens.
    pub fn engine(&self) -> &Arc<Engine> {
        self.engine.get_or_init(|| Arc::new(Engine::with_defaults().with_token_store(self.profiles.tokens().clone())))
    }

    /// The checked request `form` describes, from its profile or its typed client (see
    /// [`TokenForm::request`]).
    pub fn request_for(&self, form: &TokenForm) -> Result<ClientRequest, Failure> {
        form.request(self, self.engine().clock().now())
    }

    /// The token `form` asks for (see [`TokenForm::token`]): a profile's kept one found
    /// without reading its secret, else through its request; in a run [`AppState::cancel`]
    /// can stop.
    pub async fn token_for(&self, form: &TokenForm) -> Result<ClientToken, Failure> {
        self.runs.run(form.token(self.engine(), self.profiles.keys(), self)).await
    }

    /// Uses `clipboard`, clearing copies after `clear_after`, instead of the system clipboard.
    pub fn with_clipboard(self, clipboard: Arc<dyn TextClipboard>, clear_after: Duration) -> Self {
        let _ = self.clipboard.set(Copier::new(clipboard, clear_after));
        Self { clear_after, ..self }
    }

    /// Token lifetime of the built-in simulator, if it is not started yet.
    pub fn with_simulator_lifetime(self, lifetime: Duration) -> Self {
        Self { simulator_lifetime: Some(lifetime), ..self }
    }

    /// Attaches the system clipboard unless another one was given.
    pub fn attach_clipboard(&self, clipboard: Arc<dyn TextClipboard>) {
        let _ = self.clipboard.set(Copier::new(clipboard, self.clear_after));
    }

    /// How long a copy stays on the clipboard.
    pub fn clear_after(&self) -> Duration {
        self.clear_after
    }

    /// Keeps `secret` for `destination` (a blank one clears it). Returns whether one is set.
    pub fn set_secret(&self, secret: ClientSecret, destination: Destination) -> bool {
        self.credentials.set_secret(secret, destination)
    }

    /// Reads the certificate file at `path` and keeps it for `destination` (see
    /// [`Credentials::set_certificate`]).
    pub fn set_certificate(&self, path: &Path, destination: Destination) -> Result<Arc<ClientCertificate>, Failure> {
        self.credentials.set_certificate(path, destination)
    }

    /// Drops the entered credential: the client or token URL changed, or a profile was chosen.
    pub fn forget_credential(&self) {
        self.credentials.forget();
    }

    /// Whether a secret is held (for the page's "secret set" line).
    pub fn has_secret(&self) -> bool {
        self.credentials.has_secret()
    }

    /// The entered credential of kind `auth`, for `client_id` at `token_url` only.
    pub fn credential(&self, auth: AuthMethod, client_id: &str, token_url: &str) -> Result<Credential, Failure> {
        self.credentials.credential(auth, client_id, token_url)
    }

    /// The entered credential, to save in the keyring for a profile of `client_id` at
    /// `token_url` (refused for any other).
    pub fn new_secret(&self, auth: AuthMethod, client_id: &str, token_url: &str) -> Result<NewSecret, Failure> {
        self.credentials.new_secret(auth, client_id, token_url)
    }

    /// The profile whose network settings are in effect (`None`: "No profile").
    pub fn network_owner(&self) -> Option<String> {
        lock(&self.network_of).clone()
    }

    /// Records whose network settings are now in effect.
    pub fn set_network_owner(&self, profile: Option<String>) {
        *lock(&self.network_of) = profile;
    }

    /// The client ids and file paths this session knows (the credential entered, the last
    /// request, the simulator's demo clients, the saved profiles and their CA files, the CA in
    /// effect): what presenter mode shortens in a message.
    pub fn identifiers(&self) -> Identifiers {
        let mut known = Identifiers::default();
        known.client_ids.extend(self.credentials.client_id());
        known.client_ids.extend(self.last.client_id());
        if let Some(sim) = self.simulator.get() {
            known.client_ids.extend([sim.demo().secret_client_id.clone(), sim.demo().certificate_client_id.clone()]);
            known.paths.push(sim.demo().certificate_path.display().to_string());
        }
        for profile in self.profiles.settings().ok().and_then(|s| s.load().ok()).unwrap_or_default() {
            known.client_ids.push(profile.client_id);
            known.paths.extend(profile.ca_file);
        }
        known.paths.extend(self.engine().http().network().ca.map(|ca| ca.path().display().to_string()));
        known.paths.extend(self.chooser.last_chosen().map(|p| p.display().to_string()));
        known
    }

    /// Gets a token for `request` in a run [`AppState::cancel`] can stop.
    pub async fn fetch(&self, request: &TokenRequest, force: bool) -> Result<Outcome, Failure> {
        self.runs.run(self.engine().token(request, force)).await
    }

    /// Stops the request in flight; returns whether there was one.
    pub fn cancel(&self) -> bool {
        self.runs.cancel()
    }

    /// Keeps the token just shown with its API URL and how it was asked for.
    pub fn remember(&self, token: Token, api_url: String, asked: Asked) {
        self.last.remember(token, api_url, asked);
    }

    /// Forgets the token last shown (the client or profile changed).
    pub fn forget_last(&self) {
        self.last.forget();
    }

    /// The token last shown, the API URL that goes with it, and how it was asked for.
    pub fn last_with_asked(&self) -> Result<(Token, String, Asked), Failure> {
        self.last.with_asked()
    }

    /// Copies `text`, which must hold no secret (a code snippet, an inspector record); it is
    /// cleared later like any other copy.
    pub fn copy_text(&self, text: String) -> Result<(), Failure> {
        let copier = self
            .clipboard
            .get()
            .ok_or_else(|| Failure::new(FailureKind::UnexpectedResponse, "The clipboard is not available."))?;
        copier.copy(text).map_err(|cause| {
            Failure::new(FailureKind::UnexpectedResponse, "Copying failed: the clipboard could not be reached.")
                .with_detail(token_desk_core::failure::Detail { cause: Some(cause), ..Default::default() })
        })
    }

    /// The token last shown.
    pub fn last_token(&self) -> Result<AccessToken, Failure> {
        self.last.token()
    }

    /// Puts `what` about the last token on the clipboard; it is cleared after
    /// [`AppState::clear_after`] if it is still there. An expired token is not copied.
    pub fn copy(&self, what: Copyable) -> Result<(), Failure> {
        let text = self.last.text_to_copy(what, self.engine().clock().now())?;
        self.copy_text(text)
    }

    /// The built-in simulator, started on first use and kept running until the app exits.
    pub async fn simulator(&self) -> Result<&Simulator, Failure> {
        self.simulator
            .get_or_try_init(|| async {
                let mut config = SimulatorConfig::default();
                if let Some(dir) = &self.simulator_dir {
                    config.data_dir = dir.clone();
                }
                if let Some(lifetime) = self.simulator_lifetime {
                    config.token_lifetime = lifetime;
                }
                Simulator::start(config).await.map_err(|e| {
                    Failure::new(FailureKind::CannotConnect, "The built-in simulator could not start.").with_detail(
                        token_desk_core::failure::Detail { cause: Some(e.to_string()), ..Default::default() },
                    )
                })
            })
            .await
    }

    /// Where `outcome`'s token came from, in words ([`token_desk_core::usage::source_words`]):
    /// the built-in simulator only when `request` went to the one this app started (`None`: no
    /// request was made, a kept token was reused).
    pub fn source_of(&self, outcome: &Outcome, request: Option<&TokenRequest>) -> String {
        let built_in = self.started_simulator().map(Simulator::token_url);
        let token_url = request.map(|r| r.token_url().as_str()).unwrap_or_default();
        token_desk_core::usage::source_words(outcome.from_cache, token_url, built_in.as_deref())
    }

    /// The simulator if it was started; for tests that need its demo credentials.
    pub fn started_simulator(&self) -> Option<&Simulator> {
        self.simulator.get()
    }
}

/// The window's session, as the engine's forms ask it: the profiles in the settings file and
/// the keyring, the Live ones confirmed, and the credential entered.
impl Session for AppState {
    fn face(&self) -> Face {
        Face::Window
    }

    fn given_credential(&self) -> Result<Option<Credential>, Failure> {
        Ok(None)
    }

    fn profile(&self, name: &str) -> Result<Profile, Failure> {
        Ok(self.profiles.settings()?.find(name)?)
    }

    fn live_confirmed(&self, name: &str) -> bool {
        self.profiles.is_confirmed(name)
    }

    fn saved_credential(&self, profile: &Profile) -> Result<Option<Credential>, SecretError> {
        self.profiles.secrets().credential(profile)
    }

    fn entered_credential(&self, auth: AuthMethod, client_id: &str, token_url: &str) -> Result<Credential, Failure> {
        self.credential(auth, client_id, token_url)
    }
}

/// Client ids and file paths the session knows, for presenter mode to shorten.
#[derive(Debug, Default)]
pub struct Identifiers {
    pub client_ids: Vec<String>,
    pub paths: Vec<String>,
}
