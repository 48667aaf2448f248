//! What the window's backend keeps between commands: the engine (and its token cache), the
//! credential the user entered (write-only from the webview's side, and bound to the client
//! and token URL it was entered for), the request in flight, the last token, the clipboard,
//! the file chooser, and the simulator once started. The engine and the profiles' keyring
//! and settings are made on first use, not before the window's first paint.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use token_desk_core::certificate::{CertificateError, ClientCertificate, MAX_FILE_BYTES};
use token_desk_core::destination::{BoundCredential, Destination};
use token_desk_core::form::{FormRequest, Session, TokenForm};
use token_desk_core::profiles::changes::NewSecret;
use token_desk_core::profiles::secrets::SecretError;
use token_desk_core::profiles::{AuthMethod, Profile};
use token_desk_core::request::{Credential, TokenRequest};
use token_desk_core::secret::{CertificatePem, ClientSecret};
use token_desk_core::simulator::{Simulator, SimulatorConfig};
use token_desk_core::token::AccessToken;
use token_desk_core::usage::Copyable;
use token_desk_core::{Engine, Failure, FailureKind, Outcome, Token};
use tokio::sync::OnceCell;
use tokio::task::AbortHandle;

use crate::chooser::Chooser;
use crate::clipboard::{self, Copier, TextClipboard};
use crate::guard::lock;
use crate::profile_state::Profiles;

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
    entered: Mutex<Option<Entered>>,
    /// Asks the user for files; the page never names one.
    pub chooser: Chooser,
    /// The profile whose network settings (company CA, proxy, timeout) are in effect; `None`:
    /// "No profile", whose settings are only those typed under Advanced since (see
    /// `crate::network`). Requests for one client never use another profile's proxy or CA.
    network_of: Mutex<Option<String>>,
    /// The token request in flight, so it can be cancelled; numbered so a finished request
    /// never clears a newer one's handle.
    running: Mutex<Option<(u64, AbortHandle)>>,
    runs: AtomicU64,
    /// The token last shown, the API it is for (what Copy and Reveal use), and the request
    /// that got it (what the token test's one-click fix extends). Always set together.
    last: Mutex<Option<(Token, String, TokenRequest)>>,
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
            entered: Mutex::new(None),
            chooser: Chooser::from_env(),
            network_of: Mutex::new(None),
            running: Mutex::new(None),
            runs: AtomicU64::new(0),
            last: Mutex::new(None),
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
    pub fn request_for(&self, form: &TokenForm) -> Result<FormRequest, Failure> {
        form.request(self, self.engine().clock().now())
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
        let entered = (!secret.is_blank())
            .then(|| Entered { bound: BoundCredential::new(Credential::secret(secret), destination), pem: None });
        let set = entered.is_some();
        *lock(&self.entered) = entered;
        set
    }

    /// Reads the certificate file at `path` (capped, regular files only) and keeps it for
    /// `destination`. The path comes from the chooser, never from the page.
    pub fn set_certificate(&self, path: &Path, destination: Destination) -> Result<Arc<ClientCertificate>, Failure> {
        let (pem, cert) = read_certificate(path)?;
        let cert = Arc::new(cert);
        let bound = BoundCredential::new(Credential::Certificate(cert.clone()), destination);
        *lock(&self.entered) = Some(Entered { bound, pem: Some(pem) });
        Ok(cert)
    }

    /// Drops the entered credential: the client or token URL changed, or a profile was chosen.
    pub fn forget_credential(&self) {
        *lock(&self.entered) = None;
    }

    /// Whether a secret is held (for the page's "secret set" line).
    pub fn has_secret(&self) -> bool {
        lock(&self.entered).as_ref().is_some_and(|e| e.auth() == AuthMethod::Secret)
    }

    /// The entered credential of kind `auth`, for `client_id` at `token_url` only: for any
    /// other client or origin the engine's refusal, which says to enter it again.
    pub fn credential(&self, auth: AuthMethod, client_id: &str, token_url: &str) -> Result<Credential, Failure> {
        let entered = lock(&self.entered);
        let entered = entered.as_ref().filter(|e| e.auth() == auth).ok_or_else(|| missing(auth))?;
        entered.bound.credential_for(client_id, token_url)
    }

    /// The entered credential, to save in the keyring for a profile of `client_id` at
    /// `token_url` (refused for any other, like [`AppState::credential`]).
    pub fn new_secret(&self, auth: AuthMethod, client_id: &str, token_url: &str) -> Result<NewSecret, Failure> {
        let credential = self.credential(auth, client_id, token_url)?;
        let entered = lock(&self.entered);
        Ok(match (credential, entered.as_ref().and_then(|e| e.pem.as_ref())) {
            (Credential::Secret(s), _) => NewSecret::ClientSecret(ClientSecret::new(s.expose())),
            (Credential::Certificate(_), Some(pem)) => NewSecret::Certificate(CertificatePem::new(pem.expose())),
            (Credential::Certificate(_), None) => return Err(missing(AuthMethod::Certificate)),
        })
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
        known.client_ids.extend(lock(&self.entered).as_ref().map(|e| e.bound.destination().client_id().to_owned()));
        known.client_ids.extend(lock(&self.last).as_ref().map(|(_, _, r)| r.client_id().to_owned()));
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

    /// Gets a token for `request` in a task of its own, which [`AppState::cancel`] can stop.
    pub async fn fetch(&self, request: TokenRequest, force: bool) -> Result<Outcome, Failure> {
        let engine = self.engine().clone();
        let task = tokio::spawn(async move { engine.token(&request, force).await });
        let run = self.runs.fetch_add(1, Ordering::AcqRel) + 1;
        if let Some((_, earlier)) = lock(&self.running).replace((run, task.abort_handle())) {
            earlier.abort();
        }
        let result = task.await;
        let mut running = lock(&self.running);
        if running.as_ref().is_some_and(|(r, _)| *r == run) {
            *running = None;
        }
        match result {
            Ok(outcome) => outcome,
            Err(e) if e.is_cancelled() => Err(Failure::new(
                FailureKind::Cancelled,
                "Cancelled. No token was received; choose Get token when you are ready.",
            )),
            Err(e) => {
                Err(Failure::new(FailureKind::UnexpectedResponse, "Token Desk hit an internal error. Try again.")
                    .with_detail(token_desk_core::failure::Detail { cause: Some(e.to_string()), ..Default::default() }))
            }
        }
    }

    /// Stops the request in flight; returns whether there was one.
    pub fn cancel(&self) -> bool {
        match lock(&self.running).take() {
            Some((_, handle)) => {
                handle.abort();
                true
            }
            None => false,
        }
    }

    /// Keeps the token just shown with its API URL and the request that got it.
    pub fn remember(&self, token: Token, api_url: String, request: TokenRequest) {
        *lock(&self.last) = Some((token, api_url, request));
    }

    /// Forgets the token last shown (the client or profile changed).
    pub fn forget_last(&self) {
        *lock(&self.last) = None;
    }

    /// The token last shown, the API URL that goes with it, and the request that got it.
    pub fn last_with_request(&self) -> Result<(Token, String, TokenRequest), Failure> {
        let no_token = || Failure::bad_input("There is no token to test yet. Choose Get token first.");
        lock(&self.last).clone().ok_or_else(no_token)
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
        lock(&self.last)
            .as_ref()
            .map(|(t, _, _)| t.access_token.clone())
            .ok_or_else(|| Failure::bad_input("There is no token yet. Choose Get token first."))
    }

    /// Puts `what` about the last token on the clipboard; it is cleared after
    /// [`AppState::clear_after`] if it is still there.
    pub fn copy(&self, what: Copyable) -> Result<(), Failure> {
        let (token, api_url) = lock(&self.last)
            .as_ref()
            .map(|(t, api, _)| (t.clone(), api.clone()))
            .ok_or_else(|| Failure::bad_input("There is no token to copy yet. Choose Get token first."))?;
        if token.expires_at <= self.engine().clock().now() {
            return Err(Failure::bad_input("This token has expired. Choose Get new token, then copy."));
        }
        let copier = self
            .clipboard
            .get()
            .ok_or_else(|| Failure::new(FailureKind::UnexpectedResponse, "The clipboard is not available."))?;
        copier.copy(what.text(&token.access_token, &api_url)).map_err(|cause| {
            Failure::new(FailureKind::UnexpectedResponse, "Copying failed: the clipboard could not be reached.")
                .with_detail(token_desk_core::failure::Detail { cause: Some(cause), ..Default::default() })
        })
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
    /// the built-in simulator only when `request` went to the one this app started.
    pub fn source_of(&self, outcome: &Outcome, request: &TokenRequest) -> String {
        let built_in = self.started_simulator().map(Simulator::token_url);
        token_desk_core::usage::source_words(outcome.from_cache, request.token_url().as_str(), built_in.as_deref())
    }

    /// The simulator if it was started; for tests that need its demo credentials.
    pub fn started_simulator(&self) -> Option<&Simulator> {
        self.simulator.get()
    }
}

/// The window's session, as the engine's forms ask it: the profiles in the settings file and
/// the keyring, the Live ones confirmed, and the credential entered.
impl Session for AppState {
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

/// A credential entered in the window, bound to where it may go, and for a certificate the
/// file's text (what a profile saves in the keyring).
struct Entered {
    bound: BoundCredential,
    pem: Option<CertificatePem>,
}

impl Entered {
    fn auth(&self) -> AuthMethod {
        if self.pem.is_some() {
            AuthMethod::Certificate
        } else {
            AuthMethod::Secret
        }
    }
}

fn missing(auth: AuthMethod) -> Failure {
    Failure::bad_input(match auth {
        AuthMethod::Secret => "Enter the client secret.",
        AuthMethod::Certificate => "Choose the certificate file (.pem) that Stitch sent you.",
    })
}

/// The text of a certificate file and the certificate in it, read only as a capped regular
/// file (never `/dev/zero`, a FIFO or a folder).
pub(crate) fn read_certificate(path: &Path) -> Result<(CertificatePem, ClientCertificate), Failure> {
    use token_desk_core::files::{self, FileError};
    let bytes = files::read_capped(path, MAX_FILE_BYTES).map_err(|e| match e {
        FileError::TooLarge { size, .. } => CertificateError::TooLarge(size),
        other => CertificateError::Unreadable(other.to_string()),
    })?;
    let cert = ClientCertificate::from_pem(&bytes)?;
    let text = String::from_utf8(bytes).map_err(|_| Failure::from(CertificateError::NotPem))?;
    Ok((CertificatePem::new(text), cert))
}
